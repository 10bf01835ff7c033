"""What the participants' page tests share: the LGBTQ triads program matched and accepted
(its mid-year check-in open today), each member's personal link issued through the command
line, and the application on the same database."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import pytest

from mentorkit.storage.models import AuditEntry, Group, Participant
from mentorkit.web.app import Settings, create_app
from tests.conftest import CONFIGS, EXAMPLES

PROGRAM = "lgbtq-triads"
BASE = "http://page.test"
LINK = re.compile(r"(\S+@\S+)\s+(http://page\.test/start/(\S+))")
CSRF = re.compile(r'name="csrf" value="([^"]+)"')


def program_file(tmp_path, opens: str = "2026-10-15"):
    """The shipped program with its mid-year check-in open from ``opens``."""
    text = (CONFIGS / f"{PROGRAM}.toml").read_text().replace(
        "opens = 2027-01-15", f"opens = {opens}", 1)
    target = tmp_path / f"{PROGRAM}.toml"
    target.write_text(text)
    return target


def matched(run, tmp_path) -> None:
    run("programs", "add", program_file(tmp_path))
    run("participants", "import", PROGRAM, EXAMPLES / f"{PROGRAM}.csv", expect=1)
    run("eligibility", PROGRAM)
    run("match", "run", PROGRAM)
    run("match", "accept", PROGRAM, "--starts-on", "2026-10-14")


def issue_links(run, *people: str) -> dict[str, str]:
    """E-mail -> token, as `participants links` prints them."""
    out = run("participants", "links", PROGRAM, *people, "--base-url", BASE).output
    return {m.group(1): m.group(3) for m in LINK.finditer(out)}


@dataclass
class Site:
    app: object
    tokens: dict[str, str]
    groups: list = field(default_factory=list)

    def member(self, group_index: int = 0, position: int = 0) -> Participant:
        group = self.groups[group_index]
        return [m.participant for m in group.current_memberships()][position]

    def browser(self, person: Participant, **environ):
        """A test client signed in with ``person``'s link."""
        client = self.app.test_client()
        response = client.get(f"/start/{self.tokens[person.email]}", environ_base=environ)
        assert response.status_code == 303, response.get_data(as_text=True)
        return client


def csrf_of(client, path: str = "/") -> str:
    return CSRF.search(client.get(path).get_data(as_text=True)).group(1)


def audited(action: str) -> list[AuditEntry]:
    return list(AuditEntry.select().where(AuditEntry.action == action).order_by(AuditEntry.id))


@pytest.fixture
def site(run, tmp_path):
    matched(run, tmp_path)
    tokens = issue_links(run)
    app = create_app(Settings(base_url=BASE))
    app.testing = False  # errors as a user sees them: plain pages
    groups = list(Group.select().where(Group.status == "active").order_by(Group.label))
    return Site(app, tokens, groups)
