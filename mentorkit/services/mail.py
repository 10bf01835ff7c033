"""Letters as e-mail: written as ``.eml`` files to review, or delivered by SMTP, never twice.

A letter's Message-ID comes from what it is (program, kind, event, person), not when it was
made, so delivery can resume: each message is recorded (``SentMessage``) as soon as the server
accepts it, and a later run skips every recorded id. A failure mid-way keeps what was sent; the
same command run again sends the rest, nothing twice. Review files are named after the same
identity, so a re-run replaces them rather than adding copies.
"""

from __future__ import annotations

import contextlib
import email.policy
import hashlib
import os
import re
from collections.abc import Sequence
from email.header import Header
from email.message import EmailMessage
from email.utils import formataddr, formatdate, parseaddr
from pathlib import Path
from typing import TYPE_CHECKING, Any

import attrs

from mentorkit.kernel.errors import MentorkitError
from mentorkit.storage.files import private_folder, write_private

if TYPE_CHECKING:
    from mentorkit.kernel.program import Program

URL_ENV = "MENTORKIT_SMTP_URL"
FROM_ENV = "MENTORKIT_MAIL_FROM"
CAFILE_ENV = "MENTORKIT_SMTP_CAFILE"
DEFAULT_FROM = "mentorkit@localhost"
DEFAULT_PORTS = {"smtp": 587, "smtps": 465}
TIMEOUT = 30  # seconds
URL_EXAMPLE = "smtp://user:password@smtp.example.org:587"


@attrs.frozen
class Letter:
    kind: str  # intro, reminder, assessment
    event: str  # what it is about: a group, an assessment; kind + event + person are unique
    person_id: int
    recipient: str
    name: str
    subject: str
    text: str


@attrs.frozen
class SendReport:
    sent: int
    already_sent: int


class MailError(MentorkitError):
    """A problem the user can fix (the URL, the server, the password); never shows a password."""


@attrs.frozen
class _Server:
    scheme: str
    where: str  # host:port
    host: str
    port: int
    user: str
    password: str = attrs.field(repr=False)


def message_id(program_key: str, letter: Letter) -> str:
    identity = f"{program_key}|{letter.kind}|{letter.event}|{letter.person_id}"
    return f"<{hashlib.sha256(identity.encode('utf-8')).hexdigest()[:32]}@mentorkit>"


def _set_address(message: EmailMessage, field: str, name: str, address: str) -> None:
    """Non-ASCII names encoded here: ``email`` unquotes "Zoë <x>" on refolding (CPython #87720)."""
    name, address = " ".join(name.split()), "".join(address.split())  # no line breaks
    if name.isascii():
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
    """Each letter as an owner-only ``.eml`` file in ``folder``, to review before sending."""
    folder = private_folder(Path(folder))
    return [write_private(folder / f"{_slug(one.kind)}-{_slug(one.event)}-{one.person_id}.eml",
                          to_email(program, one).as_bytes(policy=email.policy.default))
            for one in letters]


def _parse_url(url: str | None) -> _Server:
    from urllib.parse import unquote, urlsplit

    if not url:
        raise MailError(f"no mail server: set {URL_ENV}, e.g. {URL_EXAMPLE}")
    parts = urlsplit(url.strip())
    scheme = parts.scheme.lower()
    if scheme not in DEFAULT_PORTS:
        raise MailError(f"{URL_ENV} must start with smtp:// (STARTTLS) or smtps:// (TLS), "
                        f"not {(scheme + '://') if scheme else 'no scheme'}; e.g. {URL_EXAMPLE}")
    if not parts.hostname:
        raise MailError(f"{URL_ENV} names no host; e.g. {URL_EXAMPLE} (write characters such "
                        "as @ / : # in the password percent-encoded: %40 %2F %3A %23)")
    try:
        port = DEFAULT_PORTS[scheme] if parts.port is None else parts.port
    except ValueError:
        port = 0
    if not 0 < port < 65536:
        raise MailError(f"{URL_ENV} has a port for {parts.hostname} that is not a number from "
                        f"1 to 65535; e.g. {URL_EXAMPLE}")
    return _Server(scheme, f"{parts.hostname}:{port}", parts.hostname, port,
                   unquote(parts.username or ""), unquote(parts.password or ""))


def _connect(server: _Server) -> Any:
    """An SMTP connection over TLS, logged in if a user is given."""
    import smtplib
    import ssl

    cafile = os.environ.get(CAFILE_ENV) or None
    try:
        context = ssl.create_default_context(cafile=cafile)
    except (OSError, ssl.SSLError) as error:
        raise MailError(f"cannot read the certificates in {CAFILE_ENV} ({cafile}): "
                        f"{getattr(error, 'strerror', None) or error}") from None
    connection = (smtplib.SMTP_SSL(server.host, server.port, timeout=TIMEOUT, context=context)
                  if server.scheme == "smtps" else smtplib.SMTP(server.host, server.port,
                                                                timeout=TIMEOUT))
    try:
        connection.ehlo()
        if server.scheme == "smtp":
            if not connection.has_extn("starttls"):
                raise MailError(f"the mail server at {server.where} does not offer STARTTLS: "
                                "nothing was sent unencrypted (try smtps:// on its TLS port)")
            connection.starttls(context=context)
            connection.ehlo()
        if server.user:
            connection.login(server.user, server.password)
    except BaseException:
        connection.close()
        raise
    return connection


def _what_happened(error: BaseException, server: _Server) -> str:
    """The error in words: its kind, the server's code and reply if any, never the password."""
    import smtplib
    import socket
    import ssl

    def quote(text: object) -> str:  # the server's or the system's words, password hidden
        text = text.decode("utf-8", "replace") if isinstance(text, bytes) else str(text)
        return text.replace(server.password, "***") if server.password else text

    reply = f"{getattr(error, 'smtp_code', '')} {quote(getattr(error, 'smtp_error', ''))}"
    plain = ((ConnectionRefusedError, "refused the connection (are the host and port right?)"),
             (socket.gaierror, "cannot be found (no such host name?)"),
             (TimeoutError, "did not answer in time"))
    said = next((text for kind, text in plain if isinstance(error, kind)),
                f"failed: {type(error).__name__}: {quote(error)}")
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        said = "refused the recipient " + "; ".join(
            f"{address} ({code} {quote(why)})" for address, (code, why) in error.recipients.items())
    elif isinstance(error, smtplib.SMTPAuthenticationError):
        said = f"refused the user name or password ({reply}); check them in {URL_ENV}"
    elif isinstance(error, smtplib.SMTPResponseException):
        said = f"answered {reply}"
    elif isinstance(error, ssl.SSLCertVerificationError):
        said = (f"has a TLS certificate that cannot be trusted ({quote(error.verify_message)}); "
                f"if your institution uses its own certificate authority, set {CAFILE_ENV}")
    return f"the mail server at {server.where} {said}"


def _record(program_record: Any, letter: Letter, mid: str) -> None:
    from mentorkit.storage import audit
    from mentorkit.storage.models import Participant, SentMessage, database

    with database.atomic():
        SentMessage.create(program=program_record, message_id=mid, kind=letter.kind,
                           participant=Participant.get_or_none(Participant.id == letter.person_id))
        audit.record("mail.sent", letter.recipient, program=program_record.key,
                     kind=letter.kind, event=letter.event, message_id=mid)


def _pending(program: Program, letters: Sequence[Letter]) -> tuple[list[Letter], int]:
    """The letters not yet sent (each once), and how many were sent before."""
    from mentorkit.storage.models import SentMessage

    by_id: dict[str, Letter] = {}
    for letter in letters:
        by_id.setdefault(message_id(program.key, letter), letter)
    done = {row.message_id for row in SentMessage.select(SentMessage.message_id)
            .where(SentMessage.message_id.in_(list(by_id)))}
    return [letter for mid, letter in by_id.items() if mid not in done], len(done)


def send(program: Program, letters: Sequence[Letter], url: str | None = None) -> SendReport:
    """Deliver the letters not sent before; each one is recorded as soon as it is accepted."""
    import smtplib

    from mentorkit.services.lookup import program_record

    server = _parse_url(url or os.environ.get(URL_ENV))
    record = program_record(program.key)
    pending, already = _pending(program, letters)
    if not pending:
        return SendReport(sent=0, already_sent=already)
    sent = 0
    try:
        connection = _connect(server)
    except (smtplib.SMTPException, OSError) as error:
        raise MailError(f"{_what_happened(error, server)}; nothing was sent") from None
    try:
        for letter in pending:
            message = to_email(program, letter)
            connection.send_message(message)
            _record(record, letter, str(message["Message-ID"]))
            sent += 1
    except (smtplib.SMTPException, OSError) as error:
        raise MailError(f"{_what_happened(error, server)}; sent {sent} of {len(pending)}; run "
                        "the same command again to send the rest (nothing is sent twice)"
                        ) from None
    finally:
        with contextlib.suppress(smtplib.SMTPException, OSError):
            connection.quit()
        connection.close()
    return SendReport(sent=sent, already_sent=already)
