"""A participant's year: withdraw, ask for a change of match, continue with the group.

Nothing here deletes a person's data: a withdrawal or a dissolved group is kept for the
program's records, and every change of status is written to the audit log with who and when.
A re-match after a change request only ever touches the people it freed: every other active
group stays exactly as it was (matching proposes groups for free people only).
"""

from __future__ import annotations

import datetime as dt

import attrs

from mentorkit.kernel.errors import MentorkitError
from mentorkit.kernel.program import Program
from mentorkit.services import flags, membership, pairs
from mentorkit.services.lookup import active_memberships, find_group, find_participant, open_cycle
from mentorkit.storage import audit
from mentorkit.storage.models import AuditEntry, Group, Membership, Participant, database, now
from mentorkit.views.words import possessive


class LifecycleError(MentorkitError, ValueError):
    """A lifecycle step that does not apply (withdrawing twice, continuing a closed group)."""


def set_status(program: Program, participant: Participant, status: str, **detail) -> None:
    if participant.status == status:
        return
    audit.record("participant.status", participant.email, program=program.key,
                 old=participant.status, new=status, **detail)
    participant.status = status
    participant.updated_at = now()
    participant.save()


@attrs.frozen
class Flagged:
    """A group flagged for the administrator's attention, and why."""

    group: str
    attention: str


def today_in(program: Program) -> dt.date:
    return dt.datetime.now(program.config.cycle.zone).date()


def effective_day(program: Program, on: dt.date | None) -> dt.date:
    """The day a change takes effect: ``on`` (a withdrawal dated when the person said so),
    within the cycle and not in the future; by default today where the program runs."""
    today = today_in(program)
    if on is None:
        return today
    cycle = program.config.cycle
    if on > today:
        raise DateError(f"{on} is in the future (today is {today} in {cycle.timezone})")
    if not cycle.academic_year_start <= on <= cycle.academic_year_end:
        raise DateError(f"{on} is outside {possessive(program.key)} cycle {cycle.label} "
                        f"({cycle.academic_year_start} to {cycle.academic_year_end})")
    return on


class DateError(LifecycleError):
    """A date a change cannot take effect on (in the future, outside the cycle)."""


def _after_leaving(program: Program, group: Group, on: dt.date, why: str) -> list[Participant]:
    """The group once a member has left: one person left is no group (dissolved, they are
    free to be matched again); otherwise it is told the truth again. Returns who was freed."""
    if len(group.current_memberships()) > 1:
        membership.refresh(program, group, on, why)
        return []
    freed = [m.participant for m in membership.dissolve(program, group, on, why)]
    if freed:
        flags.raise_flag(group, f"{freed[0].name} is free to be matched again", freed[0])
    return freed


def withdraw(program: Program, ref: str, reason: str = "",
             on: dt.date | None = None) -> list[Flagged]:
    """Withdraw someone (no reason required), on ``on`` (default: today); each of their
    groups is flagged for attention and told the truth again."""
    open_cycle(program)  # a closed cycle's records no longer change
    person = find_participant(program, ref)
    if person.status == "withdrawn":
        raise LifecycleError(f"{person.name} has already withdrawn")
    day = effective_day(program, on)
    flagged = []
    with database.atomic():
        for place in active_memberships(person):
            group = place.group
            membership.leave(place, day, "withdrew")
            flags.raise_flag(group, f"{person.name} ({place.role}) withdrew on {day}", person)
            for alone in _after_leaving(program, group, day, f"{person.name} withdrew"):
                if not active_memberships(alone):
                    set_status(program, alone, status_before_match(alone),
                               reason="partner withdrew")
            flagged.append(Flagged(group.label, flags.attention(group) or ""))
        set_status(program, person, "withdrawn", reason=reason, on=str(day))
    return flagged


def _chosen(program: Program, person: Participant, with_ref: str | None,
            group_label: str | None) -> list[Membership]:
    """The memberships a change request names: in the group ``group_label``, or the one
    shared with ``with_ref``; all of them only where the person has just one."""
    places = active_memberships(person)
    if not places:
        raise LifecycleError(f"{person.name} is not in an active group")
    if group_label is not None:
        places = [m for m in places if m.group.label == group_label]
        if not places:
            raise LifecycleError(f"{person.name} is not a member of {group_label}")
    if with_ref is not None:
        other = find_participant(program, with_ref)
        places = [m for m in places if other.id in {x.participant_id for x in
                                                     m.group.current_memberships()}]
        if not places or other.id == person.id:
            raise LifecycleError(f"{person.name} and {other.name} share no active group")
    if len(places) > 1:
        listed = "; ".join(f"{m.group.label} with " + ", ".join(
            x.participant.name for x in m.group.current_memberships()
            if x.participant_id != person.id) for m in places)
        raise ChangeAmbiguous(f"{person.name} is in {len(places)} groups ({listed}): name the "
                              "one to change with --with PERSON or --group LABEL")
    return places


class ChangeAmbiguous(LifecycleError):
    """A change request for someone in several groups that names none of them."""


def request_change(program: Program, ref: str, reason: str = "", *,
                   with_ref: str | None = None, group_label: str | None = None,
                   on: dt.date | None = None) -> list[str]:
    """End one of someone's relationships so they can be matched again; returns the names
    of who is freed. ``with_ref`` (the other person) or ``group_label`` name the
    relationship where the person has several.

    In a pair both people are freed and the pair is forbidden from forming again; in a larger
    group only the requester leaves, the group is flagged and told the truth again.
    """
    open_cycle(program)  # a closed cycle's records no longer change
    person = find_participant(program, ref)
    day = effective_day(program, on)
    freed: list[Participant] = []
    with database.atomic():
        for place in _chosen(program, person, with_ref, group_label):
            group = place.group
            current = group.current_memberships()
            why = f"change of match requested by {person.name}"
            if len(current) <= 2:
                freed += [m.participant for m in membership.dissolve(program, group, day, why,
                                                                     cause=person.id)]
                flags.raise_flag(group, why, person)
                if len(current) == 2:
                    other = next(m.participant for m in current if m.participant_id != person.id)
                    pairs.clear_rule(program, person.email, other.email)  # a pin ends here
                    pairs.set_rule(program, person.email, other.email, "forbid",
                                   "change of match requested")
            else:
                membership.leave(place, day, "change requested")
                flags.raise_flag(group, f"{person.name} asked to change group", person)
                membership.refresh(program, group, day, why)
                if with_ref is not None:  # not with that person again
                    pairs.clear_rule(program, person.email, with_ref)
                    pairs.set_rule(program, person.email, with_ref, "forbid",
                                   "change of match requested")
                freed.append(person)
            audit.record("match.change", group.label, program=program.key,
                         requested_by=person.email, reason=reason)
        for participant in freed:
            if not active_memberships(participant):
                set_status(program, participant, status_before_match(participant),
                           reason="change of match")
    return [participant.name for participant in freed]


def status_before_match(participant: Participant) -> str:
    """What a freed person returns to: ``selected`` if they had been selected (a selection
    stands for the cycle), else ``eligible``."""
    entries = AuditEntry.select().where((AuditEntry.action == "participant.status")
                                        & (AuditEntry.target == participant.email)
                                        & (AuditEntry.at >= participant.created_at))
    before = [e.detail.get("old") for e in entries.order_by(AuditEntry.id)
              if e.detail.get("new") == "matched" and e.detail.get("program")
              == participant.program.key]
    return "selected" if before and before[-1] == "selected" else "eligible"


def mark_continue(program: Program, label: str, continues: bool = True) -> str:
    open_cycle(program)  # a closed cycle's records no longer change
    if not program.config.cycle.continuation:
        raise LifecycleError(f"{program.key} does not offer continuation (set "
                             "cycle.continuation = true in its program file)")
    group = find_group(program, label)
    if group.status != "active":
        raise LifecycleError(f"group {label} is {group.status}, not active")
    with database.atomic():
        group.continues = continues
        group.save()
        audit.record("group.continue" if continues else "group.stop", label, program=program.key)
    return group.label


def after_withdrawal(program: Program, selects: bool) -> str:
    """What a coordinator does once a withdrawal left a place: in a program that ``selects``,
    select again first (only vacancies are filled), or match run finds no one to place."""
    refill = (f"`mentorkit participants select {program.key}` selects who takes the place "
              "left (only vacancies are filled); then " if selects else "")
    return (f"{refill}`mentorkit match run {program.key}` proposes who fills a place, where a "
            "group has room, and a new match for anyone the withdrawal freed; `mentorkit match "
            f"resolve {program.key} GROUP` once it is handled.")
