"""Logging a group's meetings and contacts, and listing them.

Times are entered in the program's time zone (or with an explicit offset) and stored in UTC,
so groups that span the country compare correctly. A private note given with a meeting is
stored as a note on the group (confidential: its author and the group see it).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import attrs

from mentorkit.kernel.errors import MentorkitError
from mentorkit.kernel.program import Program
from mentorkit.kernel.values import CONTACT_KINDS
from mentorkit.services.lookup import find_group, find_participant
from mentorkit.services.sealing import seal
from mentorkit.storage import audit
from mentorkit.storage.models import (
    Group,
    Meeting,
    Membership,
    Note,
    Participant,
    Relationship,
    database,
)
from mentorkit.storage.prepared import Prepared

KINDS = CONTACT_KINDS
MAX_MINUTES = 24 * 60
UTC = dt.UTC


class MeetingError(MentorkitError, ValueError):
    """A meeting that cannot be logged as given."""


def parse_when(program: Program, text: str) -> dt.datetime:
    """``YYYY-MM-DD`` or ``YYYY-MM-DD HH:MM`` in the program's time zone, or ISO 8601 with an
    offset; returns an aware datetime."""
    try:
        moment = dt.datetime.fromisoformat(text.strip().replace("T", " "))
    except ValueError:
        raise MeetingError(f"{text!r} is not a date or time (YYYY-MM-DD or "
                           "YYYY-MM-DD HH:MM)") from None
    if not 1900 <= moment.year <= 2200:
        raise MeetingError(f"{text!r} is not a plausible date (years 1900 to 2200)")
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=program.config.cycle.zone)
    return moment


def _stored(moment: dt.datetime) -> dt.datetime:
    return moment.astimezone(UTC).replace(tzinfo=None)


def _aware(stored: dt.datetime) -> dt.datetime:
    return stored.replace(tzinfo=UTC)


@attrs.frozen
class Planned:
    """A meeting or contact checked against every rule, ready to be stored."""

    group: Group
    when: dt.datetime
    kind: str
    attendees: list[int]
    duration: int | None = None
    note: str = ""
    answered: Meeting | None = None
    needs_reply: bool = False


class NotAMember(MeetingError):
    """An attendee who is none of the group's members (asked with ``strict``)."""


def plan(program: Program, label: str | Group, when: dt.datetime, kind: str,
         attendees: Sequence[str] = (), duration: int | None = None, note: str = "",
         reply_to: int | None = None, needs_reply: bool = False,
         strict: bool = False) -> Planned:
    """Check a meeting or contact of group ``label`` (``meetings log`` and ``meetings
    import`` alike; the group itself, where the caller found it already: the participants'
    page); raises MeetingError or NotFoundError with the reason."""
    group = label if isinstance(label, Group) else find_group(program, label)
    label = group.label
    if group.status not in ("active", "completed"):
        raise MeetingError(f"group {label} is {group.status}; only an accepted group meets")
    if kind not in KINDS:
        raise MeetingError(f"kind must be one of {', '.join(KINDS)}")
    zone = program.config.cycle.zone
    day = when.astimezone(zone).date()
    started = group.started_on or group.created_at.date()
    if day < started:
        raise MeetingError(f"{day} is before group {label} started ({started}); a meeting "
                           "before the match is not the group's")
    if when > dt.datetime.now(UTC) + dt.timedelta(minutes=5):
        raise MeetingError(f"{when.astimezone(zone):%Y-%m-%d %H:%M} is in the future; log a "
                           "meeting once it has happened")
    places = {m.participant_id: m for m in _PLACES.rows(group.id)}
    by_ref = {**{str(i): m.participant for i, m in places.items()},
              **{m.participant.email: m.participant for m in places.values()}}
    present = []
    for ref in attendees:  # a member is found among the group's own; anyone else by lookup
        person = by_ref.get(ref.strip().lower())  # (``strict``: no one else is looked for,
        if person is None and strict:             # nor named: the participants' page)
            raise NotAMember("not a member of the group")
        person = person or find_participant(program, ref)
        place = places.get(person.id)
        if place is None:
            raise MeetingError(f"{person.name} is not a member of group {label}")
        if not member_on(place, day):
            raise MeetingError(f"{person.name} was not a member of group {label} on {day} "
                               f"(from {place.joined_at.date()}"
                               + (f" to {place.left_at.date()})" if place.left_at else ")"))
        present.append(person.id)
    answered = None
    if reply_to is not None:
        answered = numbered(group, reply_to)
        if answered is None:
            raise MeetingError(f"no contact {reply_to} in group {label} to reply to (see "
                               f"`mentorkit meetings list {program.key} {label}`)")
        if when < _aware(answered.occurred_at):
            raise MeetingError("a reply cannot come before the message it answers")
        if not answered.needs_reply:  # a reply to it would satisfy no rule, and mislead
            raise MeetingError(f"contact {reply_to} in group {label} waits for no answer "
                               "(it was not logged as awaiting a reply)")
        if kind == "absence-notice":
            raise MeetingError("telling the group you cannot come answers no message: log "
                               "the reply as the text, call, e-mail or meeting it was")
    if duration is not None and not 0 <= duration <= MAX_MINUTES:
        raise MeetingError(f"duration must be 0 to {MAX_MINUTES} minutes (a day)")
    return Planned(group, when, kind, sorted(set(present)), duration, note, answered,
                   needs_reply)


def member_on(place: Membership, day: dt.date) -> bool:
    """Whether the membership held on ``day``: joined by then, and not left (a member who
    left on a day is no longer one that day)."""
    return place.joined_at.date() <= day and (place.left_at is None
                                              or place.left_at.date() > day)


def numbered(group: Group, number: int) -> Meeting | None:
    """The group's contact of that number: its contacts count from 1 in the order they were
    logged (a number never changes once given)."""
    if number < 1:
        return None
    return (Meeting.select().where(Meeting.group == group).order_by(Meeting.id)
            .offset(number - 1).first())


def number_of(meeting_id: int) -> int:
    """The contact's number within its group (see :func:`numbered`)."""
    group = Meeting.select(Meeting.group).where(Meeting.id == meeting_id)
    return Meeting.select().where(Meeting.group.in_(group) & (Meeting.id <= meeting_id)).count()


def store(program: Program, planned: Planned) -> int:
    """Store a checked meeting, its private note and its audit entry; returns its id."""
    with database.atomic():
        meeting = Meeting.create(group=planned.group, occurred_at=_stored(planned.when),
                                 kind=planned.kind, attendees=planned.attendees,
                                 duration_minutes=planned.duration,
                                 in_reply_to=planned.answered, needs_reply=planned.needs_reply,
                                 logged_by=audit.actor(),
                                 relationship=served(planned.group, planned.attendees))
        noted = bool(planned.note.strip())
        if noted:
            Note.create(group=planned.group, meeting=meeting, author=audit.author(),
                        body=seal(program, planned.note))
        # the log names no member as a note's writer (docs/confidentiality.md): a member's
        # meeting that carries a note is logged as by "a member", and its note as written
        # by one, as a note written on its own is
        by_member = audit.member() is not None
        audit.record("meeting.log", planned.group.label, unattributed=noted,
                     program=program.key, meeting=meeting.id, kind=planned.kind)
        if noted:
            audit.record("note.write", planned.group.label, unattributed=True,
                         program=program.key,
                         by="member" if by_member else audit.ADMINISTRATOR, referred=False)
    return meeting.id


# the queries a member's page runs on every meeting logged, their SQL written once
_PLACES = Prepared(lambda group: Membership.select(  # who, not their answers
    Membership, Participant.id, Participant.email, Participant.name).join(Participant).where(
    (Membership.group == group) & ~Membership.pending), 1)
_CURRENT_RELATIONSHIPS = Prepared(lambda group: Relationship.select().where(
    (Relationship.group == group) & Relationship.current()), 1)


def served(group: Group, attendees: list[int]) -> Relationship | None:
    """The relationship a meeting served: the group's only one, or the pair of its
    relationships whose two people were the ones there; None for the group as a whole."""
    current = _CURRENT_RELATIONSHIPS.rows(group.id)
    if len(current) == 1:
        return current[0]
    there = set(attendees)
    return next((r for r in current if r.first_id is not None
                 and {r.first_id, r.second_id} == there), None)


def logged_before(planned: Planned) -> bool:
    """Whether the same meeting (group, moment, kind) is stored already: an export imported
    twice logs nothing twice."""
    return Meeting.select().where(
        (Meeting.group == planned.group) & (Meeting.occurred_at == _stored(planned.when))
        & (Meeting.kind == planned.kind)).exists()


def log(program: Program, label: str | Group, when: dt.datetime, kind: str,
        attendees: Sequence[str] = (), duration: int | None = None, note: str = "",
        reply_to: int | None = None, needs_reply: bool = False, strict: bool = False) -> int:
    """Log a meeting or contact of group ``label``; returns its id (a reply names it)."""
    return store(program, plan(program, label, when, kind, attendees, duration, note,
                               reply_to, needs_reply, strict))


@attrs.frozen
class ContactRow:
    """One logged meeting or contact as the administrator lists it: no notes, no names."""

    number: int  # within the group, in the order contacts were logged
    when: str  # in the program's time zone
    kind: str
    attendees: int
    reply_to: int | None  # the number of the contact it answers
    awaiting_reply: bool


def listing(program: Program, label: str) -> list[ContactRow]:
    """The group's logged meetings and contacts, the earliest first, each with its number
    within the group."""
    group = find_group(program, label)
    zone = program.config.cycle.zone
    found = list(Meeting.select().where(Meeting.group == group).order_by(Meeting.id))
    numbers = {m.id: n for n, m in enumerate(found, start=1)}
    return [ContactRow(numbers[m.id], f"{_aware(m.occurred_at).astimezone(zone):%Y-%m-%d %H:%M}",
                       m.kind, len(m.attendees), numbers.get(m.in_reply_to_id), m.needs_reply)
            for m in sorted(found, key=lambda m: (m.occurred_at, m.id))]
