"""Purposes per relationship (residency) and activities per participant (peer mentoring)."""

from __future__ import annotations

import json

from mentorkit.storage.models import AuditEntry, Group, Membership, Participant
from tests.conftest import matched_program


def test_each_relationship_starts_with_the_purposes_its_mentee_asked_for(run):
    matched_program(run, "im-residency")
    for group in Group.select().where(Group.status == "active"):
        mentee = next(m.participant for m in group.memberships if m.role == "mentee")
        assert set(group.purposes) == set(mentee.answers.get("purposes", []))
    label = Group.select().first().label
    output = run("match", "purposes", "im-residency", label, "academic support",
                 "personal growth & well-being").output
    assert "serves: academic support, personal growth & well-being" in output
    shown = json.loads(run("match", "show", "im-residency", "--json").output)
    assert next(r for r in shown if r["group"] == label)["purposes"] == [
        "academic support", "personal growth & well-being"]
    bad = run("match", "purposes", "im-residency", label, "fun", expect=1).output
    assert "not a purpose of im-residency: fun" in bad
    assert "Each relationship records the purposes it serves" in run(
        "programs", "show", "im-residency").output


def test_training_and_surveys_are_tracked_per_peer_mentor(run):
    matched_program(run, "peer-mentoring")
    peers = [m.participant for m in Membership.select().where(Membership.role == "peer-mentor")]
    first, second = peers[0], peers[1]
    run("participants", "attend", "peer-mentoring", first.email,
        "Faculty-led peer mentor training", "--on", "2026-08-10")
    run("participants", "attend", "peer-mentoring", first.email, "Fall program workshop")
    run("participants", "attend", "peer-mentoring", first.email, "Mid-year program survey")
    rows = {r["name"]: r for r in json.loads(run("participants", "activities",
                                                 "peer-mentoring", "--json").output)}
    assert rows[first.name]["missing"] == []
    assert rows[second.name]["missing"] == ["Faculty-led peer mentor training",
                                            "Fall program workshop", "Mid-year program survey"]
    student = Participant.get(Participant.role == "student")
    assert rows[student.name]["missing"] == ["Mid-year program survey"]  # students: survey only
    missing = json.loads(run("participants", "activities", "peer-mentoring", "--missing",
                             "--json").output)
    assert first.name not in {r["name"] for r in missing}
    wrong = run("participants", "attend", "peer-mentoring", student.email,
                "Fall program workshop", expect=1).output
    assert "is for peer-mentor, not student" in wrong
    assert "no activity 'Yoga'" in run("participants", "attend", "peer-mentoring",
                                       first.email, "Yoga", expect=1).output
    assert AuditEntry.select().where(AuditEntry.action == "activity.attend").count() == 3
