"""Delivering letters by SMTP, never twice.

Each message is recorded as being sent before it is handed to the server, and as sent in the
step that learns the server accepted it, waiting out a busy database rather than lose that
record (:mod:`mentorkit.storage.outbox`); a later run skips every recorded Message-ID, so a
failure mid-way keeps what was sent, and the same command run again sends the rest. SMTP
leaves one window: a connection that dies after the message was handed over and before the
server's reply. Such a message may have been delivered; it is not sent again unless asked
(``resend_uncertain``), and every run names it. The connection is TLS (STARTTLS on
``smtp://``, or ``smtps://``), except to a relay on this machine (a loopback address) that
offers no STARTTLS: the mail does not cross a network before it. An error names the server,
its code and reply, never the password.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Sequence
from typing import Any

import attrs

from mentorkit.kernel.errors import MentorkitError, UsageMistake
from mentorkit.kernel.program import Program
from mentorkit.services.addresses import needs_smtputf8
from mentorkit.services.lookup import program_record
from mentorkit.services.mail import Letter, also_ids, message_id, to_email
from mentorkit.storage import outbox
from mentorkit.storage.urls import scrubbed
from mentorkit.views.words import plural

URL_ENV = "MENTORKIT_SMTP_URL"
CAFILE_ENV = "MENTORKIT_SMTP_CAFILE"
DEFAULT_PORTS = {"smtp": 587, "smtps": 465}
TIMEOUT = 30  # seconds
URL_EXAMPLE = "smtp://user:password@smtp.example.org:587"


@attrs.frozen
class Uncertain:
    """A message handed to the server whose acceptance was never confirmed."""

    recipient: str
    kind: str
    message_id: str


@attrs.frozen
class SendReport:
    sent: int
    already_sent: int
    # left uncertain by an earlier run and not sent again; or, when asked, sent again
    uncertain: tuple[Uncertain, ...] = ()
    resent: bool = False


class MailError(MentorkitError):
    """A problem the user can fix (the server, the password); never shows a password."""


class MailUrlError(UsageMistake, MailError):
    """MENTORKIT_SMTP_URL is missing or cannot be used as written: a usage mistake (exit 2)."""


@attrs.frozen
class _Server:
    scheme: str
    where: str  # host:port
    host: str
    port: int
    user: str
    password: str = attrs.field(repr=False)
    url: str = attrs.field(repr=False, default="")  # as given: its secrets are kept out of errors


def _parse_url(url: str | None) -> _Server:
    from urllib.parse import unquote, urlsplit

    if not url:
        raise MailUrlError(f"no mail server: set {URL_ENV}, e.g. {URL_EXAMPLE}")
    try:
        parts = urlsplit(url.strip())
        parts.hostname  # noqa: B018 - raises on a bracket out of place
    except ValueError:
        raise MailUrlError(f"{URL_ENV} is not a URL mentorkit can read (a [ or ] out of "
                           f"place?); e.g. {URL_EXAMPLE} (write characters such as @ / : # [ ] "
                           "in the password percent-encoded: %40 %2F %3A %23 %5B %5D)") from None
    scheme = parts.scheme.lower()
    if scheme not in DEFAULT_PORTS:
        raise MailUrlError(f"{URL_ENV} must start with smtp:// (STARTTLS) or smtps:// (TLS), "
                        f"not {(scheme + '://') if scheme else 'no scheme'}; e.g. {URL_EXAMPLE}")
    if not parts.hostname:
        raise MailUrlError(f"{URL_ENV} names no host; e.g. {URL_EXAMPLE} (write characters such "
                        "as @ / : # in the password percent-encoded: %40 %2F %3A %23)")
    try:
        port = DEFAULT_PORTS[scheme] if parts.port is None else parts.port
    except ValueError:
        port = 0
    if not 0 < port < 65536:
        raise MailUrlError(f"{URL_ENV} has a port for {parts.hostname} that is not a number from "
                        f"1 to 65535; e.g. {URL_EXAMPLE}")
    return _Server(scheme, f"{parts.hostname}:{port}", parts.hostname, port,
                   unquote(parts.username or ""), unquote(parts.password or ""), url)


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
        if server.scheme == "smtp" and (connection.has_extn("starttls")
                                        or not _on_this_machine(connection)):
            if not connection.has_extn("starttls"):  # a relay elsewhere: never in the clear
                raise MailError(f"the mail server at {server.where} does not offer STARTTLS: "
                                "nothing was sent unencrypted (try smtps:// on its TLS port; "
                                "only a relay on this machine is spoken to without it)")
            connection.starttls(context=context)
            connection.ehlo()
        if server.user:
            connection.login(server.user, server.password)
    except BaseException:
        connection.close()
        raise
    return connection


def _on_this_machine(connection: Any) -> bool:
    """Whether the connection goes to a relay on this machine (a loopback address, as
    connected, whatever name was given): mail to it crosses no network, so ``smtp://`` may
    go without STARTTLS there; to any other host it is required."""
    import ipaddress

    try:
        address = connection.sock.getpeername()[0]
        return ipaddress.ip_address(address.split("%", 1)[0]).is_loopback
    except (AttributeError, OSError, ValueError):
        return False


def _what_happened(error: BaseException, server: _Server) -> str:
    """The error in words: its kind, the server's code and reply if any, never the password."""
    import smtplib
    import socket
    import ssl

    def quote(text: object) -> str:  # the server's or the system's words, password hidden
        text = text.decode("utf-8", "replace") if isinstance(text, bytes) else str(text)
        return scrubbed(text, server.url)

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


def _pending(program: Program, letters: Sequence[Letter],
             resend_uncertain: bool) -> tuple[list[Letter], int, tuple[Uncertain, ...]]:
    """The letters to send now (each once), how many were sent before, and those an earlier
    run left uncertain (sent now only if asked)."""
    by_id: dict[str, Letter] = {}
    for letter in letters:
        by_id.setdefault(message_id(program.key, letter), letter)
    known = outbox.entries(list(by_id))
    uncertain = tuple(Uncertain(by_id[mid].recipient, entry.kind, mid)
                      for mid, entry in known.items() if entry.status == outbox.SENDING)
    skipped = {mid for mid, entry in known.items()
               if entry.status == outbox.SENT or not resend_uncertain}
    already = sum(1 for entry in known.values() if entry.status == outbox.SENT)
    return [letter for mid, letter in by_id.items() if mid not in skipped], already, uncertain


def _deliver(connection: Any, program: Program, record: Any, letter: Letter) -> None:
    """One letter: recorded as being sent, handed over, then recorded as sent (or, refused
    outright, forgotten so that a re-run sends it)."""
    import smtplib

    message = to_email(program, letter)
    mid, also = str(message["Message-ID"]), also_ids(program.key, letter)
    outbox.sending(record, mid, letter.kind, letter.person_id, also)
    try:
        connection.send_message(message)
    except (smtplib.SMTPRecipientsRefused, smtplib.SMTPResponseException):
        outbox.refused(mid, also)  # the server's answer was no: nothing was delivered
        raise
    except (smtplib.SMTPException, OSError) as error:
        raise _Lost(letter, error) from None
    try:
        outbox.sent(record, mid, letter.recipient, letter.kind, letter.event, also)
    except outbox.BusyDatabase as busy:
        raise MailError(f"the mail server accepted the message to {letter.recipient}, but "
                        f"{busy} and it could not be recorded as sent: it is recorded as being "
                        "sent, and a re-run lists it rather than send it again") from None


class _Lost(Exception):
    """The connection failed while a letter was being handed over."""

    def __init__(self, letter: Letter, error: BaseException) -> None:
        super().__init__(letter.recipient)
        self.letter, self.error = letter, error


def send(program: Program, letters: Sequence[Letter], url: str | None = None,
         resend_uncertain: bool = False) -> SendReport:
    """Deliver the letters not sent before; each is recorded as sent in the step that learns
    the server accepted it. Letters an earlier run left uncertain are sent again only with
    ``resend_uncertain``; the report names them either way."""
    import smtplib

    server = _parse_url(url or os.environ.get(URL_ENV))
    record = program_record(program.key)
    pending, already, uncertain = _pending(program, letters, resend_uncertain)
    if not pending:
        return SendReport(0, already, uncertain, False)
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
            _deliver(connection, program, record, letter)  # SMTPUTF8 where an address needs it
            sent += 1
    except _Lost as lost:
        raise MailError(f"{_what_happened(lost.error, server)} while the message to "
                        f"{lost.letter.recipient} was being handed over: it may or may not "
                        f"have been delivered; sent {sent} of {len(pending)} before it. Run the "
                        "same command again to send the rest: it lists that message rather "
                        "than send it twice") from None
    except (smtplib.SMTPException, OSError) as error:
        raise MailError(f"{_what_happened(error, server)}; sent {sent} of {len(pending)}; run "
                        "the same command again to send the rest (nothing is sent twice)"
                        ) from None
    except outbox.BusyDatabase as busy:
        raise MailError(f"{busy}; sent {sent} of {len(pending)}, nothing more was handed to "
                        "the mail server; run the same command again to send the rest") from None
    finally:
        with contextlib.suppress(smtplib.SMTPException, OSError):
            connection.quit()
        connection.close()
    if unreachable:
        raise MailError(_no_smtputf8(server, sent, len(pending), unreachable))
    return SendReport(sent, already, uncertain, resend_uncertain and bool(uncertain))


def _no_smtputf8(server: _Server, sent: int, pending: int, unreachable: list[Letter]) -> str:
    ids = ", ".join(str(letter.person_id) for letter in unreachable[:20])
    return (f"the mail server at {server.where} does not offer SMTPUTF8 (RFC 6531), which an "
            f"internationalized address (such as josé@... or 王@...) needs: sent {sent} of "
            f"{pending}; not sent to {plural(len(unreachable), 'participant')} with such an "
            f"address (ids {ids}); send through a server that offers SMTPUTF8 (the same command "
            "sends only what was not sent), or reach them another way")
