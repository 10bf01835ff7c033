"""Letters as e-mail: a stable Message-ID for each, and ``.eml`` files to review before sending.

A letter's Message-ID comes from what it is (program, kind, event, person), not when it was
made, so delivery (:mod:`mentorkit.services.smtp`) can resume without sending anything twice.
Review files are named after the same identity, so a re-run replaces them rather than adding
copies. A letter may carry attachments (an introduction's calendar) and may stand for other
letters too (``also``: the welcome to each group a combined introduction covers), which the
ledger of sent messages records with it.

Messages are sent as :func:`to_email` builds them with the standard library's ``email``
package. Review files, thousands at a time, are written by :func:`eml_bytes`, which writes
the same message directly (the ``email`` package takes a millisecond a message), its body
as it is where that is valid 7bit (the package would choose quoted-printable for lines over
78 octets); a test checks that both read back the same.
"""

from __future__ import annotations

import base64
import binascii
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
class Attachment:
    filename: str
    content_type: str  # e.g. text/calendar
    data: bytes


@attrs.frozen
class Letter:
    kind: str  # intro, reminder, assessment
    event: str  # what it is about: a group, an assessment; kind + event + person are unique
    person_id: int
    recipient: str
    name: str
    subject: str
    text: str
    attachments: tuple[Attachment, ...] = ()
    # the events of the letters this one stands for too (of the same kind and person): an
    # introduction to several groups is the welcome to each
    also: tuple[str, ...] = ()


def message_id(program_key: str, letter: Letter, event: str | None = None) -> str:
    """The letter's Message-ID (or, with ``event``, that of the letter of that event it
    stands for too)."""
    identity = f"{program_key}|{letter.kind}|{letter.event if event is None else event}|" \
               f"{letter.person_id}"
    return f"<{hashlib.sha256(identity.encode('utf-8')).hexdigest()[:32]}@mentorkit>"


def also_ids(program_key: str, letter: Letter) -> list[str]:
    """The Message-IDs of the letters ``letter`` stands for too: an event of its own kind,
    or ``KIND:EVENT`` for a letter of another kind (a welcome stands for the news of every
    change its group had before it: the welcome tells the group as it is)."""
    found = []
    for event in letter.also:
        kind, _, other = event.partition(ALSO_KIND)
        found.append(message_id(program_key, attrs.evolve(letter, kind=kind), other) if other
                     else message_id(program_key, letter, event))
    return found


ALSO_KIND = "::"  # in Letter.also, between another kind and its event


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
    for attachment in letter.attachments:
        main, sub = attachment.content_type.split("/", 1)
        message.add_attachment(attachment.data, maintype=main, subtype=sub,
                               filename=attachment.filename)
    return message


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "none"


def write_eml(folder: Path, program: Program, letters: Sequence[Letter]) -> list[Path]:
    """Each letter as an owner-only ``.eml`` file in ``folder``, to review before sending:
    all of them, or (if one cannot be written) none. Named by ids, never by addresses."""
    common = _Common(program)
    with all_or_none(Path(folder)) as files:
        paths = [files.add(f"{_slug(one.kind)}-{_slug(one.event)}-{one.person_id}.eml",
                           eml_bytes(program, one, common))
                 for one in letters]
    written.record(program, paths, "letter")
    return paths


class _Common:
    """What every message of one run shares: its From, Date and Reply-To lines, as
    :func:`to_email` writes them."""

    def __init__(self, program: Program) -> None:
        template = to_email(program, Letter("", "", 0, "a@b", "", "", ""))
        head = template.as_bytes(policy=email.policy.default.clone(utf8=True))
        fields: dict[str, str] = {}
        name = ""
        for line in head.decode("utf-8").split("\n\n", 1)[0].split("\n"):
            if line[:1] in (" ", "\t"):  # a folded line goes on with the field before
                fields[name] += "\n" + line
            else:
                name = line.split(":", 1)[0]
                fields[name] = line
        self.lines = {field: fields.get(field, "") for field in ("From", "Date", "Reply-To")}


def _address_line(field: str, name: str, address: str) -> str:
    """``field: name <address>`` as :func:`_set_address` writes it."""
    name, address = " ".join(name.split()), "".join(address.split())
    if not address.isascii():
        shown = (Header(name, "utf-8", header_name=field).encode(linesep="\n")
                 if not name.isascii() else formataddr((name, "a@b")).rpartition(" <")[0])
        return f"{field}: {shown} <{address}>" if name else f"{field}: {address}"
    if name.isascii():
        return f"{field}: {formataddr((name, address))}"
    return f"{field}: {Header(name, 'utf-8', header_name=field).encode(linesep=chr(10))}" \
           f"\n <{address}>"


def _subject_line(subject: str) -> str:
    """The Subject line, folded at spaces within 78 characters (RFC 5322 2.1.1); a subject
    that is not ASCII is encoded (RFC 2047)."""
    subject = " ".join(subject.split())
    if not subject.isascii():
        return "Subject: " + Header(subject, "utf-8", header_name="Subject").encode(
            linesep="\n")
    lines, line = [], "Subject:"
    for word in subject.split(" "):
        if len(line) + 1 + len(word) > 78 and line.strip() and line != "Subject:":
            lines.append(line)
            line = ""
        line += " " + word
    return "\n".join([*lines, line])


def _text_part(text: str) -> tuple[list[str], bytes]:
    """The body's Content-Type lines and its encoded bytes: as it is where it is ASCII in
    lines within the 998 octets RFC 5322 allows (7bit; a review file reads as the letter does
    in any editor, and quoted-printable, a tenth of a large notify's time, is not needed),
    quoted-printable otherwise."""
    data = text.encode("utf-8")
    if data.isascii() and "\r" not in text and max(map(len, data.split(b"\n"))) <= 998:
        return (['Content-Type: text/plain; charset="utf-8"',
                 "Content-Transfer-Encoding: 7bit"], data)
    return (['Content-Type: text/plain; charset="utf-8"',
             "Content-Transfer-Encoding: quoted-printable"],
            binascii.b2a_qp(data, istext=True))


_LINES_76 = re.compile(rb".{1,76}", re.DOTALL)


def _base64_lines(data: bytes) -> bytes:
    """``data`` in base64, 76 characters a line (as ``base64.encodebytes``, in one pass)."""
    lines = _LINES_76.findall(base64.b64encode(data))
    return b"\n".join(lines) + b"\n" if lines else b""


def eml_bytes(program: Program, letter: Letter, common: _Common | None = None) -> bytes:
    """The letter as :func:`to_email` builds it, written directly (see the module's
    docstring): what the ``email`` package reads back is the same message."""
    common = common or _Common(program)
    mid = message_id(program.key, letter)
    head = [common.lines["From"], _address_line("To", letter.name, letter.recipient),
            _subject_line(letter.subject), common.lines["Date"], f"Message-ID: {mid}"]
    if common.lines["Reply-To"]:
        head.append(common.lines["Reply-To"])
    kinds, body = _text_part(letter.text)
    if not letter.attachments:
        lines = [*head, *kinds, "MIME-Version: 1.0", ""]
        return "\n".join(lines).encode("utf-8") + b"\n" + body
    boundary = "=" * 15 + mid[1:21]  # the Message-ID's digest: in no encoded body
    parts = [b"\n".join([*(line.encode() for line in kinds), b"", body])]
    for attachment in letter.attachments:
        name = attachment.filename
        parts.append("\n".join([f"Content-Type: {attachment.content_type}",
                                 "Content-Transfer-Encoding: base64",
                                 f'Content-Disposition: attachment; filename="{name}"', "",
                                 ""]).encode() + _base64_lines(attachment.data))
    lines = [*head, f'Content-Type: multipart/mixed; boundary="{boundary}"',
             "MIME-Version: 1.0", ""]
    separator = f"\n--{boundary}\n".encode()
    return ("\n".join(lines).encode("utf-8") + separator + separator.join(parts)
            + f"\n--{boundary}--\n".encode())
