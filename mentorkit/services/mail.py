"""Letters as e-mail: a stable Message-ID for each, and ``.eml`` files to review before sending.

A letter's Message-ID comes from what it is (program, kind, event, person), not when it was
made, so delivery (:mod:`mentorkit.services.smtp`) can resume without sending anything twice.
Review files are named after the same identity, so a re-run replaces them rather than adding
copies.
"""

from __future__ import annotations

import email.policy
import hashlib
import os
import re
from collections.abc import Sequence
from email.header import Header
from email.message import EmailMessage
from email.utils import formataddr, formatdate, parseaddr
from pathlib import Path

import attrs

from mentorkit.kernel.program import Program
from mentorkit.services import written
from mentorkit.storage.files import all_or_none

FROM_ENV = "MENTORKIT_MAIL_FROM"
DEFAULT_FROM = "mentorkit@localhost"


@attrs.frozen
class Letter:
    kind: str  # intro, reminder, assessment
    event: str  # what it is about: a group, an assessment; kind + event + person are unique
    person_id: int
    recipient: str
    name: str
    subject: str
    text: str


def message_id(program_key: str, letter: Letter) -> str:
    identity = f"{program_key}|{letter.kind}|{letter.event}|{letter.person_id}"
    return f"<{hashlib.sha256(identity.encode('utf-8')).hexdigest()[:32]}@mentorkit>"


def _set_address(message: EmailMessage, field: str, name: str, address: str) -> None:
    """Non-ASCII names encoded here: ``email`` unquotes "Zoë <x>" on refolding (CPython #87720)."""
    name, address = " ".join(name.split()), "".join(address.split())  # no line breaks
    if not address.isascii():  # RFC 6532: the address as UTF-8, sent with SMTPUTF8
        shown = (Header(name, "utf-8", header_name=field).encode(linesep="\r\n")
                 if not name.isascii() else formataddr((name, "a@b")).rpartition(" <")[0])
        message.set_raw(field, f"{shown} <{address}>" if name else address)
    elif name.isascii():
        message[field] = formataddr((name, address))
    else:
        encoded = Header(name, "utf-8", header_name=field).encode(linesep="\r\n")
        message.set_raw(field, f"{encoded}\r\n <{address}>")


def to_email(program: Program, letter: Letter) -> EmailMessage:
    contact = parseaddr(program.config.program.contact)
    sender = parseaddr(os.environ.get(FROM_ENV) or program.config.program.contact)
    message = EmailMessage(policy=email.policy.SMTP)
    _set_address(message, "From", *(sender if "@" in sender[1] else ("", DEFAULT_FROM)))
    _set_address(message, "To", letter.name, letter.recipient)
    message["Subject"] = " ".join(letter.subject.split())
    message["Date"] = formatdate(localtime=True)
    message["Message-ID"] = message_id(program.key, letter)
    if "@" in contact[1]:
        _set_address(message, "Reply-To", *contact)
    message.set_content(letter.text)
    return message


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "none"


def write_eml(folder: Path, program: Program, letters: Sequence[Letter]) -> list[Path]:
    """Each letter as an owner-only ``.eml`` file in ``folder``, to review before sending:
    all of them, or (if one cannot be written) none. Named by ids, never by addresses."""
    with all_or_none(Path(folder)) as files:
        paths = [files.add(f"{_slug(one.kind)}-{_slug(one.event)}-{one.person_id}.eml",
                           to_email(program, one).as_bytes(policy=email.policy.default.clone(
                               utf8=not one.recipient.isascii())))  # RFC 6532 headers
                 for one in letters]
    written.record(program, paths, "letter")
    return paths
