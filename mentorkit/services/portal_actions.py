"""What a participant does on their own page, each through the service the command line
uses, so the coordinator's commands see it exactly the same: a meeting through
``meetings.log`` (``cadence status`` counts it), a check-in stored as an assessment response
about one relationship (``assessments list``, the report), a change of match or a withdrawal
through ``lifecycle`` (a flag on the group, ``match show``), consent through ``identity``
(every enrollment of theirs, at once), notes sealed as ``notes`` seals them.

Each function takes the proven member and a group already found among their own
(:func:`mentorkit.services.portal.my_group`); whatever else a form names (an attendee, a
relationship, a note) is looked for in that group only, and anything else is refused as not
theirs. Each write runs in one transaction, as the member (:func:`audit.as_member`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from zoneinfo import ZoneInfo

from mentorkit.kernel.errors import MentorkitError
from mentorkit.kernel.program import Program
from mentorkit.services import assessments, lifecycle, meetings, membership, relationships
from mentorkit.services.identity import apply_own_answers, person_fields
from mentorkit.services.notes import NoteView, _check_scenario, _refer, member_since
from mentorkit.services.portal import NotYours, open_assessments, zone_of
from mentorkit.services.sealing import NoteError, seal, unseal
from mentorkit.storage import audit
from mentorkit.storage.models import Group, Note, Participant, database, now


class FormError(MentorkitError, ValueError):
    """A form filled in a way that cannot be stored; the page says why."""


class FieldError(FormError):
    """A form's value refused, with the field the page shows the reason beside, and the
    kind of refusal the audit log names (never the reason: it may quote what was typed)."""

    def __init__(self, field: str, message: str, kind: str = "FormError") -> None:
        super().__init__(message)
        self.field, self.kind = field, kind


@contextmanager
def beside(field: str) -> Iterator[None]:
    """A refusal of the services, or of this module, told beside ``field``."""
    try:
        yield
    except FieldError:
        raise
    except (meetings.MeetingError, FormError) as error:
        raise FieldError(field, str(error), type(error).__name__) from None


# the kinds of contact that can wait for an answer: a text, a phone message, an e-mail
ANSWERABLE = ("text", "phone", "email")


def log_meeting(program: Program, me: Participant, group: Group, when: str, kind: str,
                attendees: Iterable[str] = (), duration: str = "", note: str = "",
                awaits: bool = False) -> int:
    """Log a meeting or contact of the member's group, as ``meetings log`` does; a message
    that ``awaits`` an answer as ``--awaiting-reply`` marks it (reply times count from it)."""
    present = {me.id}
    for ref in attendees:  # each among the group's members: meetings.plan checks it was one
        number = small_id(ref)  # on the day, and refuses anyone else as NotYours (below)
        if number is None:
            raise NotYours("member")
        present.add(number)
    with beside("minutes"):
        minutes = _minutes(duration)
    known_kind(kind)
    with beside("awaits"):
        if awaits and kind not in ANSWERABLE:
            raise FormError("Only a text, a phone message or an e-mail waits for an answer")
    with beside("when"), audit.as_member(me.email):
        moment = member_moment(program, me, when)
        try:
            return meetings.log(program, group, moment, kind,
                                [str(i) for i in sorted(present)], minutes, note,
                                needs_reply=awaits, strict=True)
        except meetings.NotAMember:
            raise NotYours("member") from None


def known_kind(kind: str) -> None:
    """A kind of contact the page offers (refused beside the form's "How")."""
    with beside("kind"):
        if kind not in meetings.KINDS:
            raise FormError("How: choose one of the ways listed")


def _minutes(duration: str) -> int | None:
    """How long, as typed: nothing, or a number of minutes up to a day."""
    text = duration.strip()
    if not text:
        return None
    if not (text.isascii() and text.isdigit()) or len(text) > 6:
        raise FormError("How long: a number of minutes, such as 45")
    minutes = int(text)
    if minutes > meetings.MAX_MINUTES:
        raise FormError(f"How long: at most {meetings.MAX_MINUTES} minutes (a day)")
    return minutes


def member_moment(program: Program, me: Participant, when: str) -> dt.datetime:
    """A time typed on the member's page: without an offset, in the zone the page showed
    them (their own, where the program asks it)."""
    moment = meetings.parse_when(program, when)
    if isinstance(moment.tzinfo, ZoneInfo):  # typed without an offset
        moment = moment.replace(tzinfo=zone_of(program, me).zone)
    return moment


def answer_check_in(program: Program, me: Participant, group: Group, name: str,
                    relationship_id: str, given: Mapping[str, str], today: dt.date) -> None:
    """Store the member's answer to an open assessment about one of their relationships in
    the group (a new answer replaces their earlier one)."""
    chosen = next((a for a in open_assessments(program, me, group, today) if a.name == name),
                  None)
    mine = {str(r.id): r for r in relationships.of_person(group, me)}
    if chosen is None or relationship_id not in mine:
        raise NotYours("check-in")
    answers = {}
    for question in chosen.questions:
        raw = (given.get(question.name) or "").strip()
        if raw:
            try:
                answers[question.name] = assessments._answer(question, raw)
            except ValueError:
                raise FormError(f"{question.text}: choose from {question.low} to "
                                f"{question.high}") from None
    if not answers:
        raise FormError("Answer at least one question")
    relationship = mine[relationship_id]
    with database.atomic(), audit.as_member(me.email):
        assessments._store(name, assessments.AssessmentImport(), me, relationship, answers,
                           today)
        audit.record("assessment.respond", group.label, program=program.key, assessment=name,
                     relationship=relationships.code(relationship))


def write_note(program: Program, me: Participant, group: Group, body: str,
               refer: str | None = None) -> int:
    """A private note on the group by the member (sealed when a key is set); the log says a
    member wrote one, not which."""
    if not body.strip():
        raise FormError("Write something first")
    _check_scenario(program, refer)
    with database.atomic(), audit.as_member(me.email):
        note = Note.create(group=group, author=me.email, body=seal(program, body))
        audit.record("note.write", group.label, unattributed=True, program=program.key,
                     by="member", referred=bool(refer))
        if refer:
            _refer(program, note, refer, me.email)
    return note.id


def read_notes(program: Program, me: Participant, group: Group) -> list[NoteView]:
    """The notes of the member's group written since they joined it (the read is audited, as
    the member): what was confided to the members before them is not theirs to read."""
    since = _joined(me, group)
    shown = [NoteView(n.id, n.author, unseal(n.body), n.referred, n.scenario, n.meeting_id,
                      f"{n.created_at:%Y-%m-%d}")
             for n in Note.select().where((Note.group == group) & (Note.created_at >= since))
             .order_by(Note.created_at, Note.id)]
    with database.atomic(), audit.as_member(me.email):
        audit.record("note.read", group.label, program=program.key, viewer=me.email)
    return shown


def _joined(me: Participant, group: Group) -> dt.datetime:
    """When the member's current membership of the group began (see notes.member_since)."""
    try:
        return member_since(me, group)
    except NoteError:  # the page lets only current members in: none is not one
        raise NotYours("group") from None


def small_id(text: str) -> int | None:
    """An id typed into an address: plain digits, and small enough to be one (a longer
    number is no id of ours, not an overflow in the database driver)."""
    return int(text) if text.isascii() and text.isdigit() and len(text) <= 18 else None


def refer_note(program: Program, me: Participant, group: Group, note_id: str,
               scenario: str) -> None:
    """Refer one of the group's notes to the program under one of its scenarios."""
    number = small_id(note_id)
    note = Note.get_or_none((Note.id == number) & (Note.group == group)
                            & (Note.created_at >= _joined(me, group))) if number else None
    if note is None:
        raise NotYours("note")
    try:
        _check_scenario(program, scenario)
    except NoteError:
        raise FormError("Choose one of the reasons listed") from None
    with database.atomic(), audit.as_member(me.email):
        _refer(program, note, scenario, me.email)


def set_consent(program: Program, me: Participant, chosen: Mapping[str, list[str]]) -> None:
    """Whom the member lets see their sensitive answers, from now on, in every cycle of
    theirs (the policy's ``person_fields``). A field or value the page did not offer is
    refused, not saved as nothing: a program that offers no choice takes none."""
    offered = [name for name in person_fields(program) if program.config.field(name)]
    if not offered or set(chosen) - set(offered):
        raise FormError("Choose among the options shown")
    own = {}
    for name in offered:
        spec = program.config.field(name)
        values = [v for v in spec.choices if v in set(chosen.get(name, ()))]
        if set(chosen.get(name, ())) - set(values):
            raise FormError("Choose among the options shown")
        own[name] = values
    with database.atomic(), audit.as_member(me.email):
        me.answers = {**me.answers, **own}
        me.updated_at = now()
        me.save()
        if me.person is not None:
            me.person.consent = {**me.person.consent, **own}
            me.person.updated_at = now()
            me.person.save()
            apply_own_answers(me.person, exclude=me.id)
        audit.record("consent.change", program.key, program=program.key,
                     fields=sorted(own))
        membership.retell(program, me.id)  # what their groups are told of them, now


def request_change(program: Program, me: Participant, group: Group) -> list[str]:
    """End the member's place in the group so they can be matched again; no reason asked."""
    with audit.as_member(me.email):
        return lifecycle.request_change(program, me.email, group_label=group.label)


def withdraw(program: Program, me: Participant) -> None:
    """Leave the program; no reason asked. The member's link stops working at once."""
    with audit.as_member(me.email):
        lifecycle.withdraw(program, me.email)
