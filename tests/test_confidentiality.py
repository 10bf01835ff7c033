"""Sensitive values never reach an audience without consent, through any output; notes,
referrals, encryption, exports, the audit log and purging behave as promised."""

from __future__ import annotations

import csv
import io
import json
import re
import sqlite3

import click
import pytest

from mentorkit.cli import cli
from mentorkit.storage.models import AuditEntry, Group, Membership, Note, Participant
from tests.conftest import CONFIGS, EXAMPLES, ROOT

SECRET = "xq-pronoun"  # planted for people who consented to no audience
GROUP_ONLY = "gp-pronoun"  # for people who share with their own group only
SHARED = "ok-pronoun"  # for people who share with all participants
HOSTILE_NAMES = ["=cmd|' /C calc'!A0", "<script>alert(1)</script>",
                 "Robert'); DROP TABLE participant;--", "Bell\x07Ringer"]


def planted_export(tmp_path):
    """The LGBTQ example export with unique pronouns: secret unless shared with everyone."""
    rows = list(csv.DictReader((EXAMPLES / "lgbtq-triads.csv").open(encoding="utf-8")))
    consent = "Who may see my identity, pronouns and out-ness"
    for i, row in enumerate(rows):
        planted = {"group;participants": SHARED, "group": GROUP_ONLY}.get(row[consent], SECRET)
        row["Pronouns"] = f"{planted}-{i}"
    for row, name in zip(rows[20:], HOSTILE_NAMES, strict=False):
        row["Name"] = name
    target = tmp_path / "signups.csv"
    with target.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    return target


@pytest.fixture
def program(run, tmp_path):
    """The LGBTQ program, with administrators needing consent too, matched and meeting."""
    config = tmp_path / "lgbtq.toml"
    config.write_text((CONFIGS / "lgbtq-triads.toml").read_text().replace(
        'consent_field = "share_with"', 'consent_field = "share_with"\n'
        "administrators_see_sensitive = false").replace(
        "retention_days = 730", "retention_days = 3650"))  # kept ten years here
    run("programs", "add", config)
    run("participants", "import", "lgbtq-triads", planted_export(tmp_path), expect=1)
    run("eligibility", "lgbtq-triads")
    run("match", "run", "lgbtq-triads")
    run("match", "accept", "lgbtq-triads", "--starts-on", "2022-10-14")
    group = Group.select().where(Group.status == "active").order_by(Group.label).first()
    members = [m.participant for m in group.memberships.order_by(Membership.id)]
    run("meetings", "log", "lgbtq-triads", group.label, "--when", "2022-10-25 18:00",
        "--note", "we met")
    return config, group, members


def leaf_commands(group: click.Group, prefix=()):
    for name, command in group.commands.items():
        if isinstance(command, click.Group):
            yield from leaf_commands(command, (*prefix, name))
        else:
            yield (*prefix, name)


def walk_plan(tmp_path, config, group, members, db_path=None):
    """Arguments for every CLI command; the test fails if a command has none here."""
    a, b = members[0].email, members[1].email
    label = group.label
    out = tmp_path / "out"
    return {
        ("programs", "validate"): [[config]],
        ("programs", "add"): [[config]],
        ("programs", "list"): [[], ["--json"]],
        ("programs", "show"): [["lgbtq-triads"]],
        ("programs", "copy"): [["lgbtq-triads", out / "copy.toml"]],
        ("programs", "resources"): [["lgbtq-triads", "--json"]],
        ("programs", "goals"): [["lgbtq-triads"]],
        ("plugins", "list"): [["--json"]],
        ("participants", "import"): [[planted_export(tmp_path)]],
        ("participants", "list"): [["lgbtq-triads"], ["lgbtq-triads", "--json"]],
        ("participants", "select"): [["lgbtq-triads"]],
        ("participants", "attend"): [["lgbtq-triads", a, "nothing"]],
        ("participants", "activities"): [["lgbtq-triads", "--json"]],
        ("participants", "export"): [
            ["lgbtq-triads", "--format", fmt, "--audience", audience,
             "--out", out / f"export-{audience}.{fmt}"]
            for audience in ("public", "participants", "group", "administrator")
            for fmt in ("csv", "json")] + [["lgbtq-triads", "--audience", "group"]],
        ("participants", "withdraw"): [["lgbtq-triads", members[-1].email]],
        ("eligibility",): [["lgbtq-triads"], ["lgbtq-triads", "--json", "--no-update"]],
        ("match", "run"): [["lgbtq-triads", "--dry-run"]],
        ("match", "accept"): [["lgbtq-triads"]],
        ("match", "show"): [["lgbtq-triads"], ["lgbtq-triads", "--json"]],
        ("match", "pin"): [["lgbtq-triads", a, b]],
        ("match", "forbid"): [["lgbtq-triads", a, b]],
        ("match", "unpin"): [["lgbtq-triads", a, b]],
        ("match", "rules"): [["lgbtq-triads", "--json"]],
        ("match", "change"): [["lgbtq-triads", a]],
        ("match", "continue"): [["lgbtq-triads", label]],
        ("match", "purposes"): [["lgbtq-triads", label]],
        ("meetings", "log"): [["lgbtq-triads", label, "--when", "2022-11-01", "--note",
                               "follow-up"]],
        ("meetings", "list"): [["lgbtq-triads", label, "--json"]],
        ("cadence", "status"): [["lgbtq-triads", "--as-of", "2022-12-01", "--json"]],
        ("cadence", "remind"): [["lgbtq-triads", "--as-of", "2022-12-01", "--out",
                                 out / "reminders"], ["lgbtq-triads", "--as-of", "2022-12-01"]],
        ("cadence", "calendar"): [["lgbtq-triads", label, "--out", out / "group.ics"]],
        ("notes", "add"): [["lgbtq-triads", label, "--body", "a worry", "--refer", "safety"]],
        ("notes", "list"): [["lgbtq-triads", label], ["lgbtq-triads", label, "--as", b]],
        ("notes", "refer"): [["lgbtq-triads", "1", "safety"]],
        ("notes", "keygen"): [[]],
        ("audit",): [["--json"]],
        ("cycles", "list"): [["lgbtq-triads", "--json"]],
        ("cycles", "close"): [["lgbtq-triads", "--yes"]],
        ("cycles", "purge"): [["lgbtq-triads", "2022-2023", "--now", "--yes"]],
        ("demo",): [["--dir", out / "demo"]],
        ("db", "copy"): [[db_path, out / "copy.db", "--program", "lgbtq-triads"]],
    }


def test_no_cli_output_or_file_carries_a_value_without_consent(run, program, tmp_path,
                                                              db_path):
    config, group, members = program
    plan = walk_plan(tmp_path, config, group, members, db_path)
    commands = set(leaf_commands(cli))
    assert commands == set(plan), f"commands without a leak check: {commands - set(plan)}"
    (tmp_path / "out").mkdir()
    seen_shared = False
    for path, arg_lists in plan.items():
        for args in arg_lists:
            output = run(*path, *args, expect=None).output
            assert SECRET not in output, f"{' '.join(path)} printed a secret"
            seen_shared |= SHARED in output
    for written in (tmp_path / "out").rglob("*"):
        is_database = written.suffix.startswith(".db")  # .db, .db-wal, .db-shm: data at rest
        if written.is_file() and not is_database:
            text = written.read_text(encoding="utf-8", errors="replace")
            assert SECRET not in text, f"{written.name} holds a secret"
            if "export-group" not in written.name:
                assert GROUP_ONLY not in text, f"{written.name} holds a group-only value"
            seen_shared |= SHARED in text
    assert seen_shared  # consented values do reach the audiences they were shared with


def test_exports_hold_only_what_each_audience_may_see(run, program, tmp_path):
    public = run("participants", "export", "lgbtq-triads", "--format", "json").output
    assert json.loads(public) and all(set(r) == {"role", "status", "count"}
                                      for r in json.loads(public))
    rows = json.loads(run("participants", "export", "lgbtq-triads", "--audience",
                          "participants", "--format", "json").output)
    for row in rows:
        person = Participant.get_by_id(row["id"])
        shares = "participants" in (person.answers.get("share_with") or [])
        assert ("pronouns" in row) == shares
        assert ("identifies_lgbtq" in row) == shares
    admin = json.loads(run("participants", "export", "lgbtq-triads", "--audience",
                           "administrator", "--format", "json").output)
    assert not any("pronouns" in row for row in admin)  # administrators need consent here
    assert {"export"} <= {e.action for e in AuditEntry.select()}


def test_hostile_names_are_stored_verbatim_and_exported_inert(run, program, tmp_path):
    stored = {p.name for p in Participant.select()}
    assert set(HOSTILE_NAMES) <= stored
    text = run("participants", "export", "lgbtq-triads", "--audience", "group").output
    names = {row["name"] for row in csv.DictReader(io.StringIO(text))}
    assert "'=cmd|' /C calc'!A0" in names  # a spreadsheet shows it, does not run it
    assert "<script>alert(1)</script>" in names and not any(n.startswith("=") for n in names)
    assert Participant.select().count() == len(stored)  # the SQL in a name did nothing


def test_notes_are_private_to_the_group_until_referred(run, program, tmp_path):
    _, group, members = program
    member = members[0].email
    run("notes", "add", "lgbtq-triads", group.label, "--body", "exam stress", "--author",
        member)
    as_admin = run("notes", "list", "lgbtq-triads", group.label).output
    assert "exam stress" not in as_admin and "not shown" in as_admin
    as_member = run("notes", "list", "lgbtq-triads", group.label, "--as", member).output
    assert "exam stress" in as_member and "we met" in as_member
    outsider = Participant.select().where(Participant.id.not_in(
        [m.id for m in members])).first()
    refused = run("notes", "list", "lgbtq-triads", group.label, "--as", outsider.email,
                  expect=1).output
    assert "is not a member" in refused
    note = Note.get(Note.body == "exam stress")
    run("notes", "refer", "lgbtq-triads", str(note.id), "safety")
    assert "exam stress" in run("notes", "list", "lgbtq-triads", group.label).output
    assert "referred" in Group.get_by_id(group.id).attention
    bad = run("notes", "refer", "lgbtq-triads", str(note.id), "gossip", expect=1).output
    assert "no referral scenario 'gossip'" in bad
    actions = [e.action for e in AuditEntry.select()]
    assert actions.count("note.read") == 3 and "note.refer" in actions


def test_notes_can_be_encrypted_at_rest_with_a_key_kept_elsewhere(run, program, tmp_path,
                                                                  db_path, monkeypatch):
    _, group, members = program
    key = run("notes", "keygen").output.strip()
    monkeypatch.setenv("MENTORKIT_NOTES_KEY", key)
    run("notes", "add", "lgbtq-triads", group.label, "--body", "very private words")
    raw = sqlite3.connect(db_path).execute("SELECT body FROM note").fetchall()
    assert not any("very private words" in body for (body,) in raw)
    assert any(body.startswith("enc:v1:") for (body,) in raw)
    reader = members[0].email
    assert "very private words" in run("notes", "list", "lgbtq-triads", group.label,
                                       "--as", reader).output
    monkeypatch.delenv("MENTORKIT_NOTES_KEY")
    locked = run("notes", "list", "lgbtq-triads", group.label, "--as", reader).output
    assert "very private words" not in locked and "set MENTORKIT_NOTES_KEY" in locked


def test_a_failing_confidentiality_plugin_stops_the_command_before_any_write(
        run, program, monkeypatch):
    from mentorkit.builtin.confidentiality import ConsentByAudience

    def broken(self, field, person, audience):
        raise RuntimeError("policy bug")

    monkeypatch.setattr(ConsentByAudience, "may_see", broken)
    groups = Group.select().count()
    output = run("match", "run", "lgbtq-triads", expect=1).output
    assert "confidentiality policy 'consent-by-audience' failed" in output
    assert "Traceback" not in output and Group.select().count() == groups


def test_purge_erases_personal_data_after_retention_and_keeps_counts(run, program):
    refused = run("cycles", "purge", "lgbtq-triads", "2022-2023", "--yes", expect=1).output
    assert "still open" in refused
    run("cycles", "close", "lgbtq-triads", "--yes")
    early = run("cycles", "purge", "lgbtq-triads", "2022-2023", "--yes", expect=1).output
    assert "kept until 2033-06-27" in early  # ten years after the cycle ends
    output = run("cycles", "purge", "lgbtq-triads", "2022-2023", "--now", "--yes").output
    assert "participants anonymised" in output
    old = [p for p in Participant.select() if p.cycle.label == "2022-2023"]
    assert old and all(p.answers == {} and p.email.startswith("purged-") for p in old)
    assert Note.select().join(Group).where(Group.cycle == old[0].cycle).count() == 0
    entry = AuditEntry.get(AuditEntry.action == "cycle.purge")
    assert sum(entry.detail["summary"]["participants"].values()) == len(old)


def test_cli_modules_print_only_through_the_redacting_output():
    offenders = []
    for module in (ROOT / "mentorkit" / "cli").glob("*.py"):
        if module.name == "output.py":
            continue
        text = module.read_text()
        for pattern in (r"click\.echo\(", r"click\.secho\(", r"\bprint\(",
                        r"\.write_text\(", r"\.write_bytes\("):
            if re.search(pattern, text):
                offenders.append(f"{module.name}: {pattern}")
    assert offenders == []


def test_matching_uses_a_sensitive_field_only_where_allowed_and_shared():
    from mentorkit.concerns import Person
    from mentorkit.config.errors import ConfigError
    from mentorkit.config.loader import load_program_text
    from mentorkit.matchflow import matching_view

    text = (CONFIGS / "lgbtq-triads.toml").read_text()
    with pytest.raises(ConfigError, match=r"matching\.criteria\[2\]\.allow_sensitive: "
                                          r"outness is sensitive"):
        load_program_text(text.replace("allow_sensitive = true\n", ""), "t.toml")
    program = load_program_text(text, "t.toml")

    def person(share):
        return Person(1, "A", "a@x.org", "student", frozenset(),
                      {"outness": "selectively out", "pronouns": "they/them",
                       "identifies_lgbtq": True, "share_with": share, "clinical_interests": []})

    shared = matching_view(program, person(["group"])).answers
    private = matching_view(program, person([])).answers
    assert shared["outness"] == "selectively out"  # allowed by the criterion, shared
    assert "outness" not in private  # not shared with the group: the matcher never sees it
    assert "pronouns" not in shared and "identifies_lgbtq" not in shared  # no rule uses them
