"""Private notes on groups and meetings, referral, and encryption of notes at rest.

A note is seen by its author and by the members of its group. An administrator sees a note
only once it is *referred*: flagged under one of the program's referral scenarios (a safety
concern, harassment, academic jeopardy) for faculty or administrator follow-up. Every read of
notes, every note written and every referral is in the audit log.

With ``MENTORKIT_NOTES_KEY`` (or ``MENTORKIT_NOTES_KEY_FILE``) set to a key from
``mentorkit notes keygen``, note bodies are encrypted with Fernet (AES-128-CBC + HMAC-SHA256,
from the ``cryptography`` library) before they reach the database; the key lives outside it.
"""

from __future__ import annotations

import os
from pathlib import Path

import attrs
from cryptography.fernet import Fernet, InvalidToken

from mentorkit import audit, pairs
from mentorkit.config.loader import Program
from mentorkit.meetings import find_group
from mentorkit.storage.models import Group, Meeting, Membership, Note, Participant, database

KEY_ENV = "MENTORKIT_NOTES_KEY"
KEY_FILE_ENV = "MENTORKIT_NOTES_KEY_FILE"
PREFIX = "enc:v1:"
LOCKED = "[encrypted note: set MENTORKIT_NOTES_KEY to read it]"


class NoteError(ValueError):
    """A note that cannot be written, read or referred as asked."""


def new_key() -> str:
    return Fernet.generate_key().decode()


def _fernet() -> Fernet | None:
    key = os.environ.get(KEY_ENV)
    if not key and (path := os.environ.get(KEY_FILE_ENV)):
        try:
            key = Path(path).read_text().strip()
        except OSError as error:
            raise NoteError(f"cannot read the notes key file {path}: {error.strerror}") from None
    if not key:
        return None
    try:
        return Fernet(key.encode())
    except ValueError:
        raise NoteError(f"{KEY_ENV} is not a valid key; make one with "
                        "`mentorkit notes keygen`") from None


def seal(body: str) -> str:
    fernet = _fernet()
    return PREFIX + fernet.encrypt(body.encode()).decode() if fernet else body


def unseal(stored: str) -> str:
    if not stored.startswith(PREFIX):
        return stored
    fernet = _fernet()
    if fernet is None:
        return LOCKED
    try:
        return fernet.decrypt(stored[len(PREFIX):].encode()).decode()
    except InvalidToken:
        return "[encrypted note: this key does not open it]"


def _member(group: Group, program: Program, ref: str) -> Participant:
    person = pairs.find_participant(program, ref)
    if not Membership.select().where((Membership.group == group)
                                     & (Membership.participant == person)).exists():
        raise NoteError(f"{person.name} is not a member of group {group.label}")
    return person


def write(program: Program, label: str, body: str, author: str | None = None,
          meeting_id: int | None = None, refer: str | None = None) -> Note:
    if not body.strip():
        raise NoteError("a note needs a body")
    group = find_group(program, label)
    writer = _member(group, program, author).email if author else audit.current_actor()
    meeting = None
    if meeting_id is not None:
        meeting = Meeting.get_or_none((Meeting.id == meeting_id) & (Meeting.group == group))
        if meeting is None:
            raise NoteError(f"no meeting {meeting_id} in group {label}")
    _check_scenario(program, refer)
    with database.atomic():
        note = Note.create(group=group, meeting=meeting, author=writer, body=seal(body))
        audit.record("note.write", label, program=program.key, note=note.id, author=writer)
        if refer:
            _refer(program, note, refer, writer)
    return note


def _check_scenario(program: Program, scenario: str | None) -> None:
    if scenario is None:
        return
    known = [s.key for s in program.config.privacy.referral_scenarios]
    if scenario not in known:
        raise NoteError(f"no referral scenario {scenario!r} in {program.key}; scenarios: "
                        f"{', '.join(known) or 'none (add privacy.referral_scenarios)'}")


def _refer(program: Program, note: Note, scenario: str, by: str) -> None:
    note.referred = True
    note.scenario = scenario
    note.save()
    group = note.group
    group.attention = f"note referred to {program.config.privacy.refer_to}: {scenario}"
    group.save()
    audit.record("note.refer", group.label, program=program.key, note=note.id,
                 scenario=scenario, by=by)


def refer(program: Program, note_id: int, scenario: str, by: str | None = None) -> Note:
    _check_scenario(program, scenario)
    note = Note.get_or_none(Note.id == note_id)
    if note is None or note.group.program.key != program.key:
        raise NoteError(f"no note {note_id} in {program.key}")
    with database.atomic():
        _refer(program, note, scenario, by or audit.current_actor())
    return note


@attrs.frozen
class NoteView:
    id: int
    author: str
    body: str
    referred: bool
    scenario: str | None
    meeting: int | None
    written: str


def read(program: Program, label: str, viewer: str | None = None) -> tuple[list[NoteView], int]:
    """The notes ``viewer`` may read: a member (by e-mail or id) sees all the group's notes;
    an administrator (no viewer) sees referred ones only. Returns them and how many others
    exist. The read is audited."""
    group = find_group(program, label)
    who = _member(group, program, viewer).email if viewer else None
    shown, hidden = [], 0
    for note in Note.select().where(Note.group == group).order_by(Note.created_at, Note.id):
        if who is None and not note.referred:
            hidden += 1
            continue
        shown.append(NoteView(note.id, note.author, unseal(note.body), note.referred,
                              note.scenario, note.meeting_id, f"{note.created_at:%Y-%m-%d}"))
    with database.atomic():
        audit.record("note.read", label, program=program.key,
                     viewer=who or f"administrator {audit.current_actor()}", notes=len(shown))
    return shown, hidden
