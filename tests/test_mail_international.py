"""Mail to internationalized addresses (RFC 6531): sent with SMTPUTF8 where the server offers
it, and where it does not, the others are sent and the command says plainly who was not."""

from __future__ import annotations

import pytest

from mentorkit.services.mail import Letter, write_eml
from mentorkit.services.smtp import MailError, send
from mentorkit.storage.models import SentMessage
from tests import test_mail
from tests.test_mail import URL_PASSWORD, USER, Collector, authenticate, start

# the mail tests' fixtures: a certificate, the server's TLS context, a program with people
certificate = test_mail.certificate
server_context = test_mail.server_context
program = test_mail.program

PEOPLE = [("José Núñez", "josé.núñez@universität.example"), ("王芳", "王.芳@例え.example"),
          ("Ada", "ada@x.org")]


def letters() -> list[Letter]:
    return [Letter(kind="intro", event="2026-27/g-1", person_id=i, recipient=address,
                   name=name, subject="Your group", text=f"Dear {name},\n")
            for i, (name, address) in enumerate(PEOPLE, start=1)]


@pytest.fixture
def server(server_context, certificate, monkeypatch, request):
    monkeypatch.setenv("MENTORKIT_SMTP_CAFILE", str(certificate[0]))
    monkeypatch.delenv("MENTORKIT_MAIL_FROM", raising=False)
    handler = Collector()
    controller = start(handler, tls_context=server_context, require_starttls=True,
                       auth_require_tls=True, authenticator=authenticate,
                       enable_SMTPUTF8=request.param)
    yield handler, f"smtp://{USER}:{URL_PASSWORD}@127.0.0.1:{controller.port}"
    controller.stop()


@pytest.mark.parametrize("server", [True], indirect=True)
def test_internationalized_addresses_go_with_smtputf8(program, server):
    handler, url = server
    report = send(program, letters(), url)
    assert report.sent == 3
    received = {tuple(rcpt): message for rcpt, message, _ in handler.received}
    for name, address in PEOPLE:  # the envelope, and the To header as UTF-8 (RFC 6532)
        header = received[(address,)]["To"]
        to = str(header).encode("utf-8", "surrogateescape").decode("utf-8")
        assert f"<{address}>" in to or to == address
        assert name in to or name in str(header.addresses[0].display_name)


@pytest.mark.parametrize("server", [False], indirect=True)
def test_a_server_without_smtputf8_is_named_and_the_others_are_sent(program, server):
    handler, url = server
    with pytest.raises(MailError) as raised:
        send(program, letters(), url)
    said = str(raised.value)
    assert "does not offer SMTPUTF8 (RFC 6531)" in said and "sent 1 of 3" in said
    assert "not sent to 2 participants with such an address (ids 1, 2)" in said
    assert [rcpt for rcpt, _, _ in handler.received] == [["ada@x.org"]]
    assert SentMessage.select().count() == 1  # a re-run sends only the two, never Ada twice


def test_an_eml_to_an_internationalized_address_is_written(program, tmp_path):
    [path] = write_eml(tmp_path / "out", program, letters()[:1])
    data = path.read_bytes()
    assert "josé.núñez@universität.example".encode() in data
