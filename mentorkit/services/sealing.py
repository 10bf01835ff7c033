"""Note bodies at rest: encrypted with a key kept outside the database, when one is set.

With ``MENTORKIT_NOTES_KEY`` (or ``MENTORKIT_NOTES_KEY_FILE``) set to a key from
``mentorkit notes keygen``, note bodies are encrypted with Fernet (AES-128-CBC + HMAC-SHA256,
from the ``cryptography`` library) before they reach the database. Once a program holds an
encrypted note, a note written without the key is refused rather than stored in plain text,
and a second key is refused rather than lock the program's notes apart.
"""

from __future__ import annotations

import os
import warnings
from pathlib import Path
from typing import TYPE_CHECKING

import attrs

from mentorkit.kernel.errors import MentorkitError
from mentorkit.kernel.lazy import lazy
from mentorkit.kernel.program import Program
from mentorkit.services.lookup import program_record
from mentorkit.storage import audit
from mentorkit.storage.files import KeyFileWarning, readable_by_others
from mentorkit.storage.models import Group, Note, database
from mentorkit.views.words import possessive

if TYPE_CHECKING:
    from cryptography.fernet import Fernet

# loaded when a note is sealed or opened: a command that logs a meeting without a note, or
# reads a cycle, needs no cryptography
crypto = lazy("cryptography.fernet")

KEY_ENV = "MENTORKIT_NOTES_KEY"
KEY_FILE_ENV = "MENTORKIT_NOTES_KEY_FILE"
OLD_KEY_ENV = "MENTORKIT_NOTES_OLD_KEY"  # the key being replaced, for `notes encrypt`
OLD_KEY_FILE_ENV = "MENTORKIT_NOTES_OLD_KEY_FILE"
PREFIX = "enc:v1:"
PLAIN = "plain:"  # marks a plain body that would otherwise look encrypted
LOCKED = "[encrypted note: set MENTORKIT_NOTES_KEY to read it]"


class NoteError(MentorkitError, ValueError):
    """A note that cannot be written, read or referred as asked."""


def new_key() -> str:
    return crypto.Fernet.generate_key().decode()


def _fernet(key_env: str = KEY_ENV, file_env: str = KEY_FILE_ENV) -> Fernet | None:
    key = os.environ.get(key_env)
    if not key and (path := os.environ.get(file_env)):
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
        return crypto.Fernet(key.encode())
    except ValueError:
        raise NoteError(f"{key_env} is not a valid key; make one with "
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
            except crypto.InvalidToken:
                raise NoteError(f"this key does not open {possessive(program.key)} existing notes; "
                                "set the key they were written with") from None
        return PREFIX + fernet.encrypt(body.encode()).decode()
    if encrypted is not None:
        raise NoteError(f"{possessive(program.key)} notes are encrypted; set {KEY_ENV} (or "
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
    except crypto.InvalidToken:
        return "[encrypted note: this key does not open it]"


@attrs.frozen
class Resealed:
    """What ``notes encrypt`` did to a program's notes."""

    encrypted: int  # stored in plain text until now
    rotated: int  # moved from the old key to the new one
    kept: int  # already encrypted with the new key


def _resealed(note: Note, new: Fernet, old: Fernet | None) -> str | None:
    """The note's body encrypted with ``new``, or None if it already is."""
    stored = note.body
    if not stored.startswith(PREFIX):
        plain = stored[len(PLAIN):] if stored.startswith(PLAIN) else stored
        return PREFIX + new.encrypt(plain.encode()).decode()
    token = stored[len(PREFIX):].encode()
    try:
        new.decrypt(token)
        return None
    except crypto.InvalidToken:
        pass
    if old is None:
        raise NoteError(f"note {note.id} is encrypted with another key: set {OLD_KEY_ENV} (or "
                        f"{OLD_KEY_FILE_ENV}) to it to move the notes to the new key; nothing "
                        "was changed")
    try:
        return PREFIX + new.encrypt(old.decrypt(token)).decode()
    except crypto.InvalidToken:
        raise NoteError(f"note {note.id} opens with neither {KEY_ENV} nor {OLD_KEY_ENV}; "
                        "nothing was changed") from None


def encrypt_notes(program: Program) -> Resealed:
    """Every note of the program encrypted with the key in ``MENTORKIT_NOTES_KEY``: notes
    written before a key was set, and (key rotation) notes encrypted with the key in
    ``MENTORKIT_NOTES_OLD_KEY``. All or nothing, in one transaction: a note that cannot be
    opened, or any failure, leaves every note as it was."""
    new = _fernet()
    if new is None:
        raise NoteError(f"set {KEY_ENV} (or {KEY_FILE_ENV}) to the key to encrypt the notes "
                        "with; `mentorkit notes keygen` makes one")
    old = _fernet(OLD_KEY_ENV, OLD_KEY_FILE_ENV)
    counts = {"encrypted": 0, "rotated": 0, "kept": 0}
    with database.atomic():
        notes = Note.select(Note.id, Note.body).join(Group).where(
            Group.program == program_record(program.key)).order_by(Note.id)
        for note in list(notes):
            body = _resealed(note, new, old)
            if body is None:
                counts["kept"] += 1
                continue
            counts["rotated" if note.body.startswith(PREFIX) else "encrypted"] += 1
            Note.update(body=body).where(Note.id == note.id).execute()
        audit.record("note.encrypt", program.key, program=program.key, **counts)
    return Resealed(**counts)
