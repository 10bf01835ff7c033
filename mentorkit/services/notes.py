"""Private notes on groups and meetings, referral, members' tokens, and encryption at rest.

A note is seen by the members of its group. An administrator sees a note only once it is
*referred*: flagged under one of the program's referral scenarios (a safety concern,
harassment, academic jeopardy) for faculty or administrator follow-up. Every read of notes,
every note written and every referral is in the audit log.

Whoever runs the command line is an administrator. To read (or write) as a group member, one
gives the member's e-mail and their *token*: a random secret issued by ``notes tokens`` and
handed to that member. Only a SHA-256 digest of it is stored, and a wrong e-mail, a wrong
token and a non-member all get the same refusal, so a typo or a guess proves nothing.

With ``MENTORKIT_NOTES_KEY`` (or ``MENTORKIT_NOTES_KEY_FILE``) set to a key from
``mentorkit notes keygen``, note bodies are encrypted with Fernet (AES-128-CBC + HMAC-SHA256,
from the ``cryptography`` library) before they reach the database; the key lives outside it.
Once a program holds an encrypted note, a note written without the key is refused rather than
stored in plain text.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
import warnings
from pathlib import Path

import attrs
from cryptography.fernet import Fernet, InvalidToken

from mentorkit.kernel.errors import MentorkitError, NotFoundError
from mentorkit.kernel.program import Program
from mentorkit.services.lookup import find_group, groups, members, program_record
from mentorkit.storage import audit
from mentorkit.storage.files import KeyFileWarning, readable_by_others
from mentorkit.storage.models import (
    Group,
    Meeting,
    MemberToken,
    Note,
    Participant,
    database,
)

KEY_ENV = "MENTORKIT_NOTES_KEY"
KEY_FILE_ENV = "MENTORKIT_NOTES_KEY_FILE"
PREFIX = "enc:v1:"
PLAIN = "plain:"  # marks a plain body that would otherwise look encrypted
LOCKED = "[encrypted note: set MENTORKIT_NOTES_KEY to read it]"


class NoteError(MentorkitError, ValueError):
    """A note that cannot be written, read or referred as asked."""


def new_key() -> str:
    return Fernet.generate_key().decode()


def _fernet() -> Fernet | None:
    key = os.environ.get(KEY_ENV)
    if not key and (path := os.environ.get(KEY_FILE_ENV)):
        try:
            key = Path(path).read_text().strip()
            if readable_by_others(Path(path)):
                warnings.warn(f"the notes key file {path} can be read by other users; "
                              f"`chmod 600 {path}`", KeyFileWarning, stacklevel=2)
        except OSError as error:
            raise NoteError(f"cannot read the notes key file {path}: {error.strerror}") from None
    if not key:
        return None
    try:
        return Fernet(key.encode())
    except ValueError:
        raise NoteError(f"{KEY_ENV} is not a valid key; make one with "
                        "`mentorkit notes keygen`") from None


def seal(program: Program, body: str) -> str:
    """The body as stored: encrypted with the key when one is set. Without a key, refused
    once the program holds an encrypted note (a plain note beside them would be a leak no one
    asked for)."""
    fernet = _fernet()
    # (startswith is case-insensitive on PostgreSQL: the exact prefix is checked here)
    encrypted = next((n for n in Note.select(Note.body).join(Group).where(
        (Group.program == program_record(program.key)) & Note.body.startswith(PREFIX))
        if n.body.startswith(PREFIX)), None)
    if fernet is not None:
        if encrypted is not None:  # a second key would lock the program's notes apart
            try:
                fernet.decrypt(encrypted.body[len(PREFIX):].encode())
            except InvalidToken:
                raise NoteError(f"this key does not open {program.key}'s existing notes; "
                                "set the key they were written with") from None
        return PREFIX + fernet.encrypt(body.encode()).decode()
    if encrypted is not None:
        raise NoteError(f"{program.key}'s notes are encrypted; set {KEY_ENV} (or "
                        f"{KEY_FILE_ENV}) to the key before writing a note")
    return PLAIN + body if body.startswith((PREFIX, PLAIN)) else body


def unseal(stored: str) -> str:
    if stored.startswith(PLAIN):
        return stored[len(PLAIN):]
    if not stored.startswith(PREFIX):
        return stored
    fernet = _fernet()
    if fernet is None:
        return LOCKED
    try:
        return fernet.decrypt(stored[len(PREFIX):].encode()).decode()
    except InvalidToken:
        return "[encrypted note: this key does not open it]"


def _digest(token: str) -> str:
    return hashlib.sha256(token.strip().encode()).hexdigest()


@attrs.frozen
class IssuedToken:
    group: str
    name: str
    email: str
    token: str


def issue_tokens(program: Program, label: str | None = None) -> list[IssuedToken]:
    """A new token for every current member of ``label`` (or of every active group), each
    replacing that member's earlier token. Audited, with whom each was issued for."""
    chosen = [find_group(program, label)] if label else groups(program, ["active"])
    issued = []
    tokens: dict[int, str] = {}  # one per person: a mentor in two groups uses it for both
    with database.atomic():
        for group in chosen:
            for person in members(group):
                if person.id not in tokens:
                    tokens[person.id] = secrets.token_urlsafe(18)
                    MemberToken.delete().where(MemberToken.participant == person).execute()
                    MemberToken.create(participant=person, digest=_digest(tokens[person.id]),
                                       issued_by=audit.current_actor())
                issued.append(IssuedToken(group.label, person.name, person.email,
                                          tokens[person.id]))
            audit.record("note.tokens", group.label, program=program.key,
                         members=[i.email for i in issued if i.group == group.label])
    return issued


def token_letter(program: Program, issued: IssuedToken) -> tuple[str, str]:
    """The file name and text that hand one member their token."""
    return (f"{issued.group}-{issued.email}.txt",
            f"To: {issued.email}\n\nDear {issued.name},\n\nYour token for the private notes of "
            f"{issued.group} in {program.config.program.name}: {issued.token}\n"
            "Keep it to yourself: it lets whoever holds it read your group's notes.\n")


def verify_member(program: Program, group: Group, email: str, token: str | None) -> Participant:
    """The current member of ``group`` with this e-mail, proved by their token."""
    refused = NoteError(f"cannot confirm {email!r} as a member of {group.label}: check the "
                        "e-mail and the member's token (from `mentorkit notes tokens`)")
    if not token:
        raise refused
    member = next((p for p in members(group)
                   if p.email == email.strip().lower()), None)
    stored = MemberToken.get_or_none(MemberToken.participant == member) if member else None
    # compare a digest even when there is no member, so timing does not tell them apart
    expected = stored.digest if stored else _digest(secrets.token_urlsafe(18))
    if not hmac.compare_digest(expected, _digest(token)) or stored is None:
        audit.record("note.refused", group.label, program=program.key)
        raise refused
    return member


def write(program: Program, label: str, body: str, author: str | None = None,
          meeting_id: int | None = None, refer: str | None = None,
          token: str | None = None) -> int:
    """A note by the administrator, or with ``author`` and their ``token``, by a member;
    returns its id."""
    if not body.strip():
        raise NoteError("a note needs a body")
    group = find_group(program, label)
    writer = (verify_member(program, group, author, token).email if author
              else audit.current_actor())
    meeting = None
    if meeting_id is not None:
        meeting = Meeting.get_or_none((Meeting.id == meeting_id) & (Meeting.group == group))
        if meeting is None:
            raise NoteError(f"no meeting {meeting_id} in group {label}")
    _check_scenario(program, refer)
    with database.atomic():
        note = Note.create(group=group, meeting=meeting, author=writer,
                           body=seal(program, body))
        audit.record("note.write", label, program=program.key, note=note.id, author=writer)
        if refer:
            _refer(program, note, refer, writer)
    return note.id


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


def refer(program: Program, note_id: int, scenario: str, member: str | None = None,
          token: str | None = None) -> str:
    """Refer a note to the administrators: by a member of its group (e-mail and token), or
    by the administrator who wrote it. An administrator cannot refer someone else's note,
    since referring is what lets an administrator read it. Returns the note's group, now
    flagged for follow-up."""
    _check_scenario(program, scenario)
    note = Note.get_or_none(Note.id == note_id)
    if note is None or note.group.program.key != program.key:
        raise NotFoundError(f"no note {note_id} in {program.key}")
    if member:
        by = verify_member(program, note.group, member, token).email
    else:
        by = audit.current_actor()
        if note.author != by and not note.referred:
            raise NoteError(f"note {note_id} was written by a member of {note.group.label}; "
                            "only its group's members refer it (--as EMAIL --token TOKEN)")
    with database.atomic():
        _refer(program, note, scenario, by)
    return note.group.label


@attrs.frozen
class NoteView:
    id: int
    author: str
    body: str
    referred: bool
    scenario: str | None
    meeting: int | None
    written: str


def read(program: Program, label: str, member: str | None = None,
         token: str | None = None) -> tuple[list[NoteView], int]:
    """The notes the reader may read: a current member (their e-mail and token) sees all the
    group's notes; an administrator (no member) sees referred ones only. Returns them and how
    many others exist. The read is audited."""
    group = find_group(program, label)
    who = verify_member(program, group, member, token).email if member else None
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
