"""What a program follows besides meetings: the purposes each relationship serves (academic
support, professional development, well-being) and participants' activities (training
sessions, workshops, surveys), from the program's ``[tracking]`` table."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence

import attrs

from mentorkit.kernel.errors import MentorkitError
from mentorkit.kernel.program import Program
from mentorkit.services.lookup import (
    TAKING_PART,
    find_group,
    find_participant,
    open_cycle,
    participants,
    people_cycle,
)
from mentorkit.storage import audit
from mentorkit.storage.models import Attendance, Group, Participant, database


class TrackingError(MentorkitError, ValueError):
    """A purpose or activity the program does not list."""


def purposes_from(program: Program, answers: Iterable[dict]) -> list[str]:
    """A new group's purposes: those its members asked for, in the program's order."""
    tracking = program.config.tracking
    if not tracking.purposes_field:
        return []
    wanted = {value for a in answers for value in (a.get(tracking.purposes_field) or [])}
    return [purpose for purpose in tracking.purposes if purpose in wanted]


def purposes(program: Program, label: str, chosen: Sequence[str] = ()) -> list[str]:
    """The purposes group ``label`` serves; with ``chosen``, first recorded as these."""
    if chosen:
        return set_purposes(program, label, chosen).purposes
    return find_group(program, label).purposes


def set_purposes(program: Program, label: str, purposes: Sequence[str]) -> Group:
    open_cycle(program)  # a closed cycle's records no longer change
    known = program.config.tracking.purposes
    unknown = [p for p in purposes if p not in known]
    if not known:
        raise TrackingError(f"{program.key} tracks no purposes (add tracking.purposes)")
    if unknown:
        raise TrackingError(f"not a purpose of {program.key}: {', '.join(unknown)}; "
                            f"purposes: {', '.join(known)}")
    group = find_group(program, label)
    with database.atomic():
        group.purposes = [p for p in known if p in purposes]
        group.save()
        audit.record("group.purposes", label, program=program.key, purposes=group.purposes)
    return group


def attend(program: Program, ref: str, activity: str, on: dt.date | None = None) -> Attendance:
    open_cycle(program)  # a closed cycle's records no longer change
    person = find_participant(program, ref)
    check_attendance(program, person, activity)
    return record_attendance(program, person, activity, on)


def check_attendance(program: Program, person: Participant, activity: str) -> None:
    """Raise TrackingError unless ``person`` may attend ``activity`` (the program lists it,
    for their role)."""
    known = {a.name: a for a in program.config.tracking.activities}
    if activity not in known:
        raise TrackingError(f"no activity {activity!r} in {program.key}; activities: "
                            f"{', '.join(known) or 'none (add [[tracking.activities]])'}")
    roles = known[activity].roles
    if roles and person.role not in roles:
        raise TrackingError(f"{activity!r} is for {', '.join(roles)}, not {person.role}")


def record_attendance(program: Program, person: Participant, activity: str,
                      on: dt.date | None) -> Attendance:
    with database.atomic():
        record, created = Attendance.get_or_create(
            participant=person, activity=activity,
            defaults={"attended_on": on, "recorded_by": audit.administrator()})
        if not created and on is not None:
            record.attended_on = on
            record.save()
        audit.record("activity.attend", person.email, program=program.key, activity=activity)
    return record


@attrs.frozen
class ActivityRow:
    """One person's activities, as the administrator lists them."""

    name: str
    role: str
    attended: tuple[str, ...]
    missing: tuple[str, ...]  # required activities of their role not yet recorded


def activity_report(program: Program) -> list[ActivityRow]:
    """Everyone taking part whom an activity concerns, with what they attended and what
    they still owe, by name."""
    activities = program.config.tracking.activities
    concerned = {role for a in activities for role in a.roles}
    everyone = not concerned or not all(a.roles for a in activities)
    done: dict[int, set[str]] = {}
    cycle = people_cycle(program)  # a purged year names no one: no roster of it
    for record in Attendance.select().join(Participant).where(Participant.cycle == cycle):
        done.setdefault(record.participant_id, set()).add(record.activity)
    rows = []
    for person in participants(program, TAKING_PART, by_name=True):
        if not everyone and person.role not in concerned:
            continue
        mine = [a for a in activities if not a.roles or person.role in a.roles]
        attended = tuple(a.name for a in mine if a.name in done.get(person.id, set()))
        missing = tuple(a.name for a in mine if a.required and a.name not in attended)
        rows.append(ActivityRow(person.name, person.role, attended, missing))
    return rows
