"""Relationship assessments and messages to participants, as a coordinator runs them:
introductions after acceptance, an assessment's invitation, importing the survey export,
flagged groups in cadence status, and delivery through a real SMTP server."""

from __future__ import annotations

import email
import email.policy
import stat

from mentorkit.storage.models import (
    AssessmentResponse,
    AuditEntry,
    Group,
    Membership,
    SentMessage,
)
from tests.conftest import CONFIGS, MID_YEAR, matched_program, on
from tests.test_mail import Collector, authenticate, certificate, server_context, smtp, start

__all__ = ["Collector", "authenticate", "certificate", "server_context", "smtp", "start"]


def _groups():
    return list(Group.select().where(Group.status == "active").order_by(Group.label))


def _read(path):
    return email.message_from_bytes(path.read_bytes(), policy=email.policy.default)


def test_introductions_name_the_match_how_to_reach_them_and_when_to_meet(run, tmp_path):
    matched_program(run, "lgbtq-triads")
    out = tmp_path / "intro"
    output = run("notify", "lgbtq-triads", "intro", "--out", out).output
    files = sorted(out.glob("*.eml"))
    people = {m.participant_id for g in _groups() for m in g.current_memberships()}
    assert len(files) == len(people) and f"Wrote {len(people)} intro" in output  # one each
    assert stat.S_IMODE(out.stat().st_mode) == 0o700
    assert all(stat.S_IMODE(f.stat().st_mode) == 0o600 for f in files)
    group = _groups()[0]
    people = [m.participant for m in group.current_memberships()]
    mine = next(m for m in map(_read, files) if people[0].email in m["To"])
    body = mine.get_body(("plain",)).get_content()
    assert all(p.name in body and p.email in body for p in people[1:])  # who, how to reach
    assert "Networking event" in body or "first:" in body or "Next:" in body  # the first
    # event or window, or the next window still open when the first is past
    assert "lgbthlth@pennmedicine.upenn.edu" in body  # the program's contact
    assert mine["Message-ID"].endswith("@mentorkit>")
    run("notify", "lgbtq-triads", "intro", "--out", out)
    assert sorted(out.glob("*.eml")) == files  # a re-run replaces, never adds


def test_notify_needs_accepted_groups_and_a_known_assessment(run):
    run("programs", "add", CONFIGS / "im-residency.toml")
    assert "match accept" in run("notify", "im-residency", "intro", expect=1).output
    matched_program_output = run("notify", "nope", "intro", expect=2).output
    assert "nope" in matched_program_output


def test_assessment_responses_import_and_flag_a_group(run, tmp_path):
    matched_program(run, "im-residency")
    invite = tmp_path / "invite"
    run("notify", "im-residency", "assessment", "mid-year", "--out", invite)
    assert "How satisfied are you" in _read(next(invite.glob("*.eml"))).get_content()
    assert "unknown" not in run("notify", "im-residency", "assessment", "yearly",
                                expect=2).output
    first, second = _groups()[:2]
    a, b = [m.participant.email for m in first.current_memberships()]
    c, d = [m.participant.email for m in second.current_memberships()]
    export = tmp_path / "responses.csv"
    export.write_text("E-mail,How satisfied are you with your mentoring relationship?,goals\n"
                      f"{a},2,3\n{b},5,4\n{c},4,\nnobody@x.org,5,5\n{d},seven,1\n{c},3,3\n")
    with on(MID_YEAR):
        output = run("assessments", "import", "im-residency", "mid-year", export,
                     expect=1).output
    assert "line 5" in output and "no participant of this cycle has this e-mail" in output
    assert "nobody@x.org" not in output  # the cell is not quoted
    assert "line 6" in output and "is not a whole number from 1 to 5" in output
    assert "seven" not in output  # a cell is never quoted: it may be a free-text answer
    assert "line 7" in output and "a second response from the same person" in output
    assert AssessmentResponse.select().count() == 3
    rejects = tmp_path / "responses.rejects.csv"
    assert stat.S_IMODE(rejects.stat().st_mode) == 0o600 and "nobody@x.org" in rejects.read_text()
    status = run("cadence", "status", "im-residency", "--as-of", "2027-01-20").output
    assert "1 group flagged" in status
    assert "FLAGGED mid-year: satisfaction: a member answered below 3" in status
    assert a not in status  # results name no one
    export.write_text(f"E-mail,satisfaction\n{a},4\n")  # a new answer replaces the old
    with on(MID_YEAR):
        assert "1 replaced" in run("assessments", "import", "im-residency", "mid-year",
                                   export).output
    assert "flagged" not in run("cadence", "status", "im-residency", "--as-of",
                                "2027-01-20").output
    listed = run("assessments", "list", "im-residency").output
    assert "mid-year" in listed and "end-of-year" in listed


def test_sending_introductions_through_smtp_never_twice(run, smtp, monkeypatch):
    handler, url = smtp
    matched_program(run, "im-residency")
    monkeypatch.setenv("MENTORKIT_SMTP_URL", url)
    members = sum(len(g.current_memberships()) for g in _groups())
    people = len({m.participant_id for g in _groups() for m in g.current_memberships()})
    output = run("notify", "im-residency", "intro", "--send").output
    assert f"Sent {people} intro" in output and len(handler.received) == people
    # one entry per letter, and one per group a letter to a mentor of two welcomed them to
    assert SentMessage.select().count() == members + (members - people)
    assert AuditEntry.select().where(AuditEntry.action == "mail.sent").count() == people
    again = run("notify", "im-residency", "intro", "--send").output
    assert f"Nothing new: everyone in im-residency's active groups was welcomed before " \
           f"({members} welcomes sent)" in again
    assert len(handler.received) == people


def test_reminders_can_be_sent_too(run, smtp, monkeypatch):
    handler, url = smtp
    matched_program(run, "im-residency")
    monkeypatch.setenv("MENTORKIT_SMTP_URL", url)
    run("cadence", "remind", "im-residency", "--as-of", "2026-12-20", "--send")
    assert handler.received and all("overdue" in m["Subject"] or "due soon" in m["Subject"]
                                    for _, m, _tls in handler.received)


def test_closing_the_cycle_moves_the_assessments_on_a_year(run):
    matched_program(run, "im-residency")
    output = run("cycles", "close", "im-residency", "--yes").output
    assert "Error" not in output
    shown = run("assessments", "list", "im-residency").output
    assert "2028-01-15" in shown and "2028-05-15" in shown


def test_responses_are_not_imported_before_the_assessment_opens(run, tmp_path):
    """On 6 December nobody can have answered a check-in that opens on 15 January: an export
    imported then is another survey's, and nothing is stored."""
    matched_program(run, "im-residency")
    mentor = Membership.select().where(Membership.role == "mentor").first().participant
    export = tmp_path / "responses.csv"
    export.write_text(f"E-mail,satisfaction\n{mentor.email},4\n")
    refused = run("assessments", "import", "im-residency", "mid-year", export, expect=1).output
    assert "mid-year opens on 2027-01-15" in refused
    assert AssessmentResponse.select().count() == 0
    with on(MID_YEAR):
        run("assessments", "import", "im-residency", "mid-year", export, expect=None)
    assert AssessmentResponse.select().count() == 1
