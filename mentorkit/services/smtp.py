"""Delivering letters by SMTP, never twice.

Each message is recorded (``SentMessage``) as soon as the server accepts it, and a later run
skips every recorded Message-ID: a failure mid-way keeps what was sent, and the same command
run again sends the rest. The connection is TLS (STARTTLS on ``smtp://``, or ``smtps://``); an
error names the server, its code and reply, never the password.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Sequence
from typing import Any

import attrs

from mentorkit.kernel.errors import MentorkitError
from mentorkit.kernel.program import Program
from mentorkit.services.addresses import needs_smtputf8
from mentorkit.services.lookup import program_record
from mentorkit.services.mail import Letter, message_id, to_email
from mentorkit.storage import audit
from mentorkit.storage.models import Participant, SentMessage, database

URL_ENV = "MENTORKIT_SMTP_URL"
CAFILE_ENV = "MENTORKIT_SMTP_CAFILE"
DEFAULT_PORTS = {"smtp": 587, "smtps": 465}
TIMEOUT = 30  # seconds
URL_EXAMPLE = "smtp://user:password@smtp.example.org:587"


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


def _record(record: Any, letter: Letter, mid: str) -> None:
    """A message the server accepted: in the ledger and the audit log, at once."""
    with database.atomic():
        SentMessage.create(program=record, message_id=mid, kind=letter.kind,
                           participant=Participant.get_or_none(Participant.id == letter.person_id))
        audit.record("mail.sent", letter.recipient, program=record.key,
                     kind=letter.kind, event=letter.event, message_id=mid)


def _pending(program: Program, letters: Sequence[Letter]) -> tuple[list[Letter], int]:
    """The letters not yet sent (each once), and how many were sent before."""
    by_id: dict[str, Letter] = {}
    for letter in letters:
        by_id.setdefault(message_id(program.key, letter), letter)
    done = {row.message_id for row in SentMessage.select(SentMessage.message_id)
            .where(SentMessage.message_id.in_(list(by_id)))}
    return [letter for mid, letter in by_id.items() if mid not in done], len(done)


def send(program: Program, letters: Sequence[Letter], url: str | None = None) -> SendReport:
    """Deliver the letters not sent before; each one is recorded as soon as it is accepted."""
    import smtplib

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
    unreachable = []  # internationalized addresses a server without SMTPUTF8 cannot take
    try:
        utf8 = connection.has_extn("smtputf8")
        for letter in pending:
            if not utf8 and needs_smtputf8(letter.recipient):
                unreachable.append(letter)
                continue
            message = to_email(program, letter)
            connection.send_message(message)  # with SMTPUTF8 where an address needs it
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
    if unreachable:
        raise MailError(_no_smtputf8(server, sent, len(pending), unreachable))
    return SendReport(sent=sent, already_sent=already)


def _no_smtputf8(server: _Server, sent: int, pending: int, unreachable: list[Letter]) -> str:
    ids = ", ".join(str(letter.person_id) for letter in unreachable[:20])
    return (f"the mail server at {server.where} does not offer SMTPUTF8 (RFC 6531), which an "
            f"internationalized address (such as josé@... or 王@...) needs: sent {sent} of "
            f"{pending}; not sent to {len(unreachable)} participant(s) with such an address "
            f"(ids {ids}); send through a server that offers SMTPUTF8 (the same command sends "
            "only what was not sent), or reach them another way")
