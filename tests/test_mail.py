"""Mail against a real SMTP server (aiosmtpd on 127.0.0.1, STARTTLS with a certificate made
here, AUTH): what arrives, what is recorded, and that nothing is ever sent twice."""

from __future__ import annotations

import datetime as dt
import email
import email.policy
import ipaddress
import os
import socket
import ssl
import stat

import attrs
import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from mentorkit.kernel.program import load_program
from mentorkit.services.mail import Letter, message_id, write_eml
from mentorkit.services.smtp import MailError, send
from mentorkit.storage.models import AuditEntry, Participant, SentMessage
from tests.conftest import CONFIGS, EXAMPLES

USER = "coordinator"
PASSWORD = "s3cret p@ss"  # a space and an @: percent-encoded in the URL
URL_PASSWORD = "s3cret%20p%40ss"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="module")
def certificate(tmp_path_factory):
    """A self-signed certificate for 127.0.0.1 and localhost: (cert file, key file)."""
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    # valid on any day: the tests' clock (conftest.TODAY) is not the one TLS checks it by
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name)
            .public_key(key.public_key()).serial_number(x509.random_serial_number())
            .not_valid_before(dt.datetime(2000, 1, 1, tzinfo=dt.UTC))
            .not_valid_after(dt.datetime(2100, 1, 1, tzinfo=dt.UTC))
            .add_extension(x509.SubjectAlternativeName([
                x509.DNSName("localhost"), x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
                critical=False)
            .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
            .sign(key, hashes.SHA256()))
    folder = tmp_path_factory.mktemp("tls")
    cert_file, key_file = folder / "cert.pem", folder / "key.pem"
    cert_file.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_file.write_bytes(key.private_bytes(serialization.Encoding.PEM,
                                           serialization.PrivateFormat.PKCS8,
                                           serialization.NoEncryption()))
    return cert_file, key_file


class Collector:
    """An SMTP handler keeping what arrives; refuses data for the addresses in ``refuse``."""

    def __init__(self) -> None:
        self.received: list[tuple[list[str], email.message.EmailMessage, bool]] = []
        self.refuse: set[str] = set()

    async def handle_DATA(self, server, session, envelope):
        if self.refuse & set(envelope.rcpt_tos):
            return "451 4.3.0 try later"
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        self.received.append((list(envelope.rcpt_tos), message, session.ssl is not None))
        return "250 OK"


def authenticate(server, session, envelope, mechanism, auth_data):
    ok = auth_data.login == USER.encode() and auth_data.password == PASSWORD.encode()
    return AuthResult(success=ok, handled=False)


def start(handler: Collector, **kwargs) -> Controller:
    controller = Controller(handler, hostname="127.0.0.1", port=free_port(),
                            server_hostname="localhost", **kwargs)
    controller.start()
    return controller


@pytest.fixture
def server_context(certificate):
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(*certificate)
    return context


@pytest.fixture
def smtp(server_context, certificate, monkeypatch):
    """A STARTTLS-only server with AUTH: (handler, URL with the right password)."""
    monkeypatch.setenv("MENTORKIT_SMTP_CAFILE", str(certificate[0]))
    monkeypatch.delenv("MENTORKIT_SMTP_URL", raising=False)
    monkeypatch.delenv("MENTORKIT_MAIL_FROM", raising=False)
    handler = Collector()
    controller = start(handler, tls_context=server_context, require_starttls=True,
                       auth_require_tls=True, authenticator=authenticate)
    yield handler, f"smtp://{USER}:{URL_PASSWORD}@127.0.0.1:{controller.port}"
    controller.stop()


@pytest.fixture
def program(run):
    run("programs", "add", CONFIGS / "im-residency.toml")
    run("participants", "import", "im-residency", EXAMPLES / "im-residency.csv", expect=1)
    return load_program(CONFIGS / "im-residency.toml")


def letters_for(people, kind: str = "intro", event: str = "2026-27/g-3") -> list[Letter]:
    return [Letter(kind=kind, event=event, person_id=p.id, recipient=p.email, name=p.name,
                   subject=f"Your mentoring group, {p.name}",
                   text=f"Dear {p.name},\n\nYou are in group g-3 this year.\n")
            for p in people]


@pytest.fixture
def letters(program):
    return letters_for(Participant.select().order_by(Participant.id).limit(3))


def test_send_delivers_each_letter_once(program, letters, smtp):
    handler, url = smtp
    report = send(program, letters, url)
    assert (report.sent, report.already_sent) == (3, 0)
    assert len(handler.received) == 3
    for letter, (rcpt, message, over_tls) in zip(letters, handler.received, strict=True):
        assert over_tls and rcpt == [letter.recipient]
        assert message["To"].addresses[0].addr_spec == letter.recipient
        assert message["To"].addresses[0].display_name == letter.name
        assert message["Subject"] == letter.subject
        assert message["Message-ID"] == message_id(program.key, letter)
        assert message["Reply-To"] == program.config.program.contact
        assert message.get_content().replace("\r\n", "\n") == letter.text
    sent = SentMessage.select().order_by(SentMessage.id)
    assert [row.message_id for row in sent] == [message_id(program.key, x) for x in letters]
    assert [row.participant_id for row in sent] == [x.person_id for x in letters]
    audit = AuditEntry.select().where(AuditEntry.action == "mail.sent")
    assert sorted(e.target for e in audit) == sorted(x.recipient for x in letters)
    assert all(e.detail["event"] == "2026-27/g-3" for e in audit)

    again = send(program, letters, url)
    assert (again.sent, again.already_sent) == (0, 3)
    assert len(handler.received) == 3


def test_failure_mid_way_resumes_without_duplicates(program, letters, smtp, monkeypatch):
    handler, url = smtp
    monkeypatch.setenv("MENTORKIT_SMTP_URL", url)  # the URL from the environment
    handler.refuse = {letters[1].recipient}
    with pytest.raises(MailError, match="sent 1 of 3") as failure:
        send(program, letters)
    assert "451" in str(failure.value) and "run the same command again" in str(failure.value)
    assert PASSWORD not in str(failure.value) and URL_PASSWORD not in str(failure.value)
    assert [m["Message-ID"] for _, m, _ in handler.received] == [
        message_id(program.key, letters[0])]
    assert SentMessage.select().count() == 1

    handler.refuse.clear()
    report = send(program, letters)
    assert (report.sent, report.already_sent) == (2, 1)
    ids = [m["Message-ID"] for _, m, _ in handler.received]
    assert sorted(ids) == sorted(message_id(program.key, x) for x in letters)
    assert SentMessage.select().count() == 3


def test_wrong_password_is_refused_and_not_shown(program, letters, smtp):
    handler, url = smtp
    wrong = url.replace(URL_PASSWORD, "wrong-secretpw")
    with pytest.raises(MailError, match="user name or password") as failure:
        send(program, letters, wrong)
    assert "secretpw" not in str(failure.value) and "535" in str(failure.value)
    assert "nothing was sent" in str(failure.value)
    assert handler.received == [] and SentMessage.select().count() == 0


def this_machines_address() -> str | None:
    """An address of this machine that is not loopback (its network interface), if any."""
    import socket

    try:
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
            probe.connect(("192.0.2.1", 9))  # no packet is sent: it picks the interface
            address = probe.getsockname()[0]
    except OSError:
        return None
    return None if address.startswith("127.") else address


def test_a_server_elsewhere_without_starttls_gets_nothing(program, letters, smtp):
    address = this_machines_address()
    if address is None:
        pytest.skip("this machine has no network address other than loopback")
    plain = Collector()
    controller = Controller(plain, hostname=address, port=free_port())
    controller.start()
    try:
        with pytest.raises(MailError, match="does not offer STARTTLS"):
            send(program, letters, f"smtp://{USER}:{URL_PASSWORD}@{address}:{controller.port}")
    finally:
        controller.stop()
    assert plain.received == [] and SentMessage.select().count() == 0


@pytest.mark.parametrize("host", ["127.0.0.1", "localhost"])
def test_a_relay_on_this_machine_may_go_without_starttls(program, letters, smtp, host):
    """A local relay (postfix listening on localhost) that offers no STARTTLS: the mail
    crosses no network, so it is sent; the URL needs no password."""
    plain = Collector()
    controller = start(plain)
    try:
        report = send(program, letters, f"smtp://{host}:{controller.port}")
    finally:
        controller.stop()
    assert report.sent == len(letters) == len(plain.received)
    assert not any(tls for _, _, tls in plain.received)


def test_connection_refused_names_host_and_port(program, letters, smtp):
    port = free_port()  # nothing listens there
    with pytest.raises(MailError, match=f"127.0.0.1:{port}.*refused the connection"):
        send(program, letters, f"smtp://{USER}:secretpw@127.0.0.1:{port}")


def test_untrusted_certificate(program, letters, smtp, monkeypatch):
    handler, url = smtp
    monkeypatch.delenv("MENTORKIT_SMTP_CAFILE")  # the test's CA is not the system's
    with pytest.raises(MailError, match="MENTORKIT_SMTP_CAFILE"):
        send(program, letters, url)
    assert handler.received == []


def test_implicit_tls_and_a_name_to_encode(program, letters, smtp, server_context):
    handler = Collector()
    controller = start(handler, ssl_context=server_context, auth_require_tls=False,
                       authenticator=authenticate)
    zoe = attrs.evolve(letters[0], name="Zoë <script>, MD", subject="Réunion")
    try:
        url = f"smtps://{USER}:{URL_PASSWORD}@localhost:{controller.port}"
        assert send(program, [zoe], url).sent == 1
    finally:
        controller.stop()
    [(rcpt, message, _)] = handler.received
    assert rcpt == [zoe.recipient] and message["Message-ID"] == message_id(program.key, zoe)
    to = message["To"].addresses
    assert [(a.display_name, a.addr_spec) for a in to] == [(zoe.name, zoe.recipient)]
    assert message["Subject"] == "Réunion"


@pytest.mark.parametrize("url, problem", [
    ("http://x", "smtp://"),
    ("smtp://", "no host"),
    ("smtp://u:secretpw@host:notaport", "port"),
    ("smtp://u:secretpw@host:99999", "port"),
    ("smtp://u:secretpw@host:0", "port"),
    ("smtp.example.org", "no scheme"),
    ("", "set MENTORKIT_SMTP_URL"),
])
def test_bad_url(program, letters, monkeypatch, url, problem):
    monkeypatch.delenv("MENTORKIT_SMTP_URL", raising=False)
    with pytest.raises(MailError, match=problem) as failure:
        send(program, letters, url)
    assert "secretpw" not in str(failure.value)


def test_write_eml(program, letters, tmp_path, monkeypatch):
    monkeypatch.setenv("MENTORKIT_MAIL_FROM", "GME Office <gme@example.edu>")
    zoe = Letter(kind="reminder", event="mid-year", person_id=letters[0].person_id,
                 recipient="zoe@example.org", name="Zoë <script>", subject="Réunion",
                 text="Bonjour Zoë,\n")
    folder = tmp_path / "outbox"
    old = os.umask(0)
    try:
        paths = write_eml(folder, program, [*letters, zoe])
        again = write_eml(folder, program, [*letters, zoe])
    finally:
        os.umask(old)
    assert paths == again and len(list(folder.iterdir())) == 4
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    assert {stat.S_IMODE(p.stat().st_mode) for p in paths} == {0o600}
    assert paths[0].name == f"intro-2026-27-g-3-{letters[0].person_id}.eml"
    parsed = [email.message_from_bytes(p.read_bytes(), policy=email.policy.default)
              for p in paths]
    assert [m["Message-ID"] for m in parsed] == [
        message_id(program.key, x) for x in [*letters, zoe]]
    assert parsed[0]["From"] == "GME Office <gme@example.edu>"
    to = parsed[-1]["To"].addresses[0]
    assert (to.display_name, to.addr_spec) == ("Zoë <script>", "zoe@example.org")
    raw = paths[-1].read_bytes()
    assert raw.split(b"\n\n")[0].isascii() and b"<script>" not in raw  # encoded, not raw
    assert parsed[-1]["Subject"] == "Réunion" and parsed[-1].get_content() == "Bonjour Zoë,\n"


def test_message_id_is_stable():
    letter = Letter("intro", "2026-27/g-3", 7, "a@example.org", "A", "S", "T")
    other_words = attrs.evolve(letter, subject="another subject", text="another text")
    assert message_id("p", letter) == message_id("p", other_words)
    assert message_id("p", letter) != message_id("q", letter)
    assert message_id("p", letter).endswith("@mentorkit>") and len(message_id("p", letter)) == 44


@pytest.mark.parametrize("name, address, subject, text", [
    ("Ana Lee", "ana@example.org", "Your group", "Dear Ana,\n\nShort.\n"),
    ("Zoë <script>, MD", "zoe@example.org", "Réunion " + "très longue " * 8, "Bonjour Zoë,\n"),
    ("Lee, Ana \"Al\"", "ana@example.org", "A subject " * 12, "x = y " * 40 + "\n"),
    ("José Núñez", "josé.núñez@universität.example", "Your group", "Dear José,\n"),
    ("Ana Lee", "ana@example.org", "Long lines", "word " * 200 + "\n" + "x" * 997 + "\n"),
    ("Ana Lee", "ana@example.org", "Too long", "y" * 999 + "\n=3D ok\n"),
])
def test_a_review_file_reads_back_as_the_message_that_is_sent(program, name, address, subject,
                                                            text):
    """.eml files are written directly for speed; what they hold is what `to_email` (the
    standard library's message, the one that is sent) holds: headers, body, attachments."""
    from mentorkit.services.mail import Attachment, eml_bytes, to_email

    calendar = Attachment("mentoring-calendar.ics", "text/calendar",
                          b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nEND:VCALENDAR\r\n")
    for attachments in ((), (calendar,)):
        letter = Letter("intro", "2026-27/g-3", 7, address, name, subject, text, attachments)
        ours = email.message_from_bytes(eml_bytes(program, letter), policy=email.policy.default)
        sent = email.message_from_bytes(to_email(program, letter).as_bytes(
            policy=email.policy.default.clone(utf8=True)), policy=email.policy.default)
        for field in ("From", "To", "Subject", "Message-ID", "Reply-To"):
            assert str(ours[field]) == str(sent[field]), field
        assert abs((ours["Date"].datetime - sent["Date"].datetime).total_seconds()) < 5
        assert ours.get_body(("plain",)).get_content() == text
        assert [(a.get_filename(), a.get_content()) for a in ours.iter_attachments()] == [
            (a.get_filename(), a.get_content()) for a in sent.iter_attachments()]
        assert all(len(line) <= 998 for line in eml_bytes(program, letter).split(b"\n"))
