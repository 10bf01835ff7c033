"""What a participant sees on their own page: their groups, as the group's own audience sees
them, with the program's cadence, the meetings logged, the open check-ins and the group's
notes (their own consent: :mod:`mentorkit.services.portal_consent`).

Everything here starts from the proven member (:mod:`mentorkit.services.links`) and reaches a
group only through :func:`my_group`, which finds it among the member's own current groups:
any other label, however it was typed, is "not found" (and audited), the same answer as a
label that does not exist. People are shown through a :class:`Viewer` for the group audience
with the group's current members, so a member sees exactly what the introduction letter and
a group export show: names, roles, e-mails, and only the answers each shared with the group.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import attrs

from mentorkit.config.followup import Assessment
from mentorkit.kernel.concerns import Audience
from mentorkit.kernel.errors import NotFoundError
from mentorkit.kernel.guard import component_hook
from mentorkit.kernel.program import Program
from mentorkit.services import relationships
from mentorkit.services.cadence import evaluate, history
from mentorkit.services.identity import person_fields
from mentorkit.services.letters import for_members
from mentorkit.services.lookup import active_memberships
from mentorkit.services.reminders import to_reader
from mentorkit.storage import audit
from mentorkit.storage.models import (
    AssessmentResponse,
    Group,
    Meeting,
    Membership,
    Participant,
    database,
)
from mentorkit.views.audience import PersonView, Viewer


class NotYours(NotFoundError):
    """A group, relationship or note that is not the member's: the same answer as one that
    does not exist."""

    def __init__(self, what: str = "page") -> None:
        super().__init__(f"There is no such {what} on your page.")
        self.what = what


def refused(program: Program, participant: Participant, what: str) -> None:
    """A member asked for something not theirs (a note, a relationship, a member of
    another group): in the log, as they asked it."""
    with database.atomic(), audit.as_member(participant.email):
        audit.record("page.refused", program.key, program=program.key, asked=what)


def me(program: Program, participant_id: int) -> Participant:
    return Participant.get_by_id(participant_id)


def my_groups(participant: Participant) -> list[Group]:
    """The member's current active groups, by label."""
    return sorted((m.group for m in active_memberships(participant)), key=lambda g: g.label)


def my_group(program: Program, participant: Participant, label: str) -> Group:
    """One of the member's own current groups; anything else is refused (audited) exactly
    as a label that does not exist."""
    for group in my_groups(participant):
        if group.label == label:
            return group
    refused(program, participant, "group")
    raise NotYours("group")


def role_label(program: Program, key: str | None) -> str:
    role = program.config.role(key) if key else None
    return role.label if role and role.label else (key or "")


@attrs.frozen
class MemberLine:
    """A member as their group sees them: the answers shared with it, by their labels."""

    id: int
    name: str
    role: str
    email: str | None
    shared: tuple[tuple[str, str], ...]
    is_me: bool


def _shown(value) -> str:
    if isinstance(value, bool):
        return "yes" if value else "no"
    return ", ".join(map(str, value)) if isinstance(value, list | tuple) else str(value)


def member_lines(program: Program, group: Group, me_id: int) -> list[MemberLine]:
    """The group's current members, from the group audience's view of them."""
    seen = history(group)
    viewer = Viewer(program, Audience.GROUP, members=[m.id for m in seen.members])
    views: list[PersonView] = viewer.people(seen.members)
    sensitive = set(viewer.sensitive_fields) - set(person_fields(program))
    lines = []
    for view in views:  # what each shared with the group of their confidential answers
        shared = tuple((viewer.label(field), _shown(value))
                       for field, value in view.answers.items()
                       if field in sensitive and value not in (None, "", []))
        lines.append(MemberLine(view.id, view.name, role_label(program, view.role), view.email,
                                shared, view.id == me_id))
    return lines


@attrs.frozen
class CadenceLine:
    expectation: str
    standing: str
    message: str
    next_due: str
    due_by: dt.date | None
    missed: tuple[str, ...]


def cadence_lines(program: Program, group: Group, moment: dt.datetime,
                  reader: str = "") -> list[CadenceLine]:
    """The program's cadence for the group: each rule, what is due next and by when, and
    its finding as `cadence status` gives it, written for the reader where it names them
    ("you could not attend", as their reminder letter says)."""
    seen, lines = history(group), []
    for rule in program.cadence:
        finding = evaluate(rule, seen, moment)
        with component_hook(rule, "cadence rule"):
            expectation = for_members(program, rule.describe()[0])
        message = for_members(program, finding.message)
        next_due = finding.next_due or ""
        lines.append(CadenceLine(expectation, str(finding.standing),
                                 to_reader(message, reader) if reader else message,
                                 to_reader(next_due, reader) if reader else next_due,
                                 finding.due_by, tuple(finding.missed)))
    return lines


MEMBER_ZONE = "time_zone"  # an intake field of this name holds each member's own zone


@attrs.frozen
class Zone:
    """The time zone a member's page shows and reads times in, and how the page names it."""

    zone: dt.tzinfo
    words: str


def zone_of(program: Program, participant: Participant) -> Zone:
    """The member's own zone where the program asks for it (an intake field ``time_zone``)
    and their answer is a zone the system knows (``America/Los_Angeles``); else the
    program's. A member far from the program must not read its clock as theirs."""
    own = participant.answers.get(MEMBER_ZONE) if program.config.field(MEMBER_ZONE) else None
    if isinstance(own, str) and own.strip():
        try:
            return Zone(ZoneInfo(own.strip()), f"your own time zone, {own.strip()}")
        except (ZoneInfoNotFoundError, ValueError):
            pass
    zone = program.config.cycle.zone
    return Zone(zone, f"{zone}, the program's time zone")


@attrs.frozen
class MeetingLine:
    when: str
    kind: str
    attendees: int


def shown_at(stored: dt.datetime, zone: dt.tzinfo) -> str:
    """A stored moment (naive UTC, as the database keeps it) as the reader's page shows it,
    in ``zone``."""
    return f"{stored.replace(tzinfo=dt.UTC).astimezone(zone):%d %b %Y %H:%M}"


def meeting_lines(program: Program, group: Group, zone: dt.tzinfo) -> list[MeetingLine]:
    """What the group logged, the latest first, its times in ``zone`` (the reader's)."""
    return [MeetingLine(shown_at(m.occurred_at, zone), m.kind, len(m.attendees))
            for m in Meeting.select().where(Meeting.group == group)
            .order_by(Meeting.occurred_at.desc())]


@attrs.frozen
class CheckIn:
    """An open assessment about one of the member's relationships."""

    assessment: Assessment
    relationship_id: int
    about: str
    answered_on: dt.date | None


def open_assessments(program: Program, participant: Participant, group: Group,
                     today: dt.date) -> list[Assessment]:
    return [a for a in program.config.assessments
            if (a.opens is None or a.opens <= today)
            and (not a.roles or participant.role in a.roles)]


def about(relationship, reader: int, names: dict[int, str]) -> str:
    if relationship.first_id is None:
        return "your group as a whole"
    other = relationship.second_id if relationship.first_id == reader else relationship.first_id
    return f"your mentoring relationship with {names.get(other, 'your match')}"


def check_ins(program: Program, participant: Participant, group: Group,
              today: dt.date) -> list[CheckIn]:
    """Each open assessment, once per relationship of the member's in the group."""
    names = {m.participant_id: m.participant.name for m in group.memberships.select(  # names
        Membership, Participant.id, Participant.name).join(Participant)  # read with places
        .where(Membership.current())}
    found = []
    for assessment in open_assessments(program, participant, group, today):
        for relationship in relationships.of_person(group, participant):
            earlier = AssessmentResponse.get_or_none(
                (AssessmentResponse.participant == participant)
                & (AssessmentResponse.assessment == assessment.name)
                & (AssessmentResponse.relationship == relationship))
            found.append(CheckIn(assessment, relationship.id,
                                 about(relationship, participant.id, names),
                                 earlier.submitted_on if earlier else None))
    return found
