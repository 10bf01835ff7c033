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

from cryptography.fernet import Fernet, InvalidToken

from mentorkit.kernel.errors import MentorkitError
from mentorkit.kernel.program import Program
from mentorkit.services.lookup import program_record
from mentorkit.storage.files import KeyFileWarning, readable_by_others
from mentorkit.storage.models import Group, Note

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
