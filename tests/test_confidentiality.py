"""Sensitive values never reach an audience without consent, through any output; consented
values do reach their audience as given; notes, tokens, encryption, exports, files, purging
and plugin failures behave as promised (docs/confidentiality.md)."""

from __future__ import annotations

import csv
import email
import email.policy
import io
import json
import os
import re
import sqlite3
import stat
from pathlib import Path

import click
import pytest

from mentorkit.cli import cli, leaf_commands
from mentorkit.services.flags import attention
from mentorkit.storage.models import AuditEntry, Cycle, Group, Membership, Note, Participant
from tests.conftest import CONFIGS, EXAMPLES, ROOT, matched_program, on_postgres

BOTH_DATABASES = True

CONSENT = "Who may see my identity, pronouns and out-ness"
CHOICES = ["", "group", "participants", "group;participants"]  # every consent, in turn
HOSTILE_NAMES = ["=cmd|' /C calc'!A0", "<script>alert(1)</script>",
                 "Robert'); DROP TABLE participant;--", "Bell\x07Ringer"]
STORED_NAMES = HOSTILE_NAMES[:3]  # a control character rejects its row
WITHHELD = "[withheld]"
TOKEN = re.compile(r"tok[a-z]+\d{3}x")


def planted_export(tmp_path, name="signups.csv"):
    """The LGBTQ example export with every consent choice in turn and a unique token in each
    free-text sensitive field (pronouns, well-being). Returns the file and, per e-mail, the
    audiences consented to and the tokens planted."""
    rows = list(csv.DictReader((EXAMPLES / "lgbtq-triads.csv").open(encoding="utf-8")))
    planted = {}
    for i, row in enumerate(rows):
        consent = CHOICES[i % len(CHOICES)]
        row[CONSENT] = consent
        code = {"": "none", "group": "grp", "participants": "all"}.get(consent, "both")
        row["Pronouns"] = f"tokpr{code}{i:03d}x"
        row["Well-being"] = f"tokwb{code}{i:03d}x"
        planted[row["Email"].strip().lower()] = (set(filter(None, consent.split(";"))),
                                                 {row["Pronouns"], row["Well-being"]})
    for row, name_ in zip(rows[20:], HOSTILE_NAMES, strict=False):
        row["Name"] = name_
    target = tmp_path / name
    with target.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    return target, planted


def program_text(admins_see: bool) -> str:
    """The LGBTQ program with a free-text well-being field, kept ten years."""
    return (CONFIGS / "lgbtq-triads.toml").read_text().replace(
        'consent_field = "share_with"',
        f'consent_field = "share_with"\nadministrators_see_sensitive = {str(admins_see).lower()}'
    ).replace("retention_days = 730", "retention_days = 3650").replace(
        '[[intake]]\nname = "outness"',
        '[[intake]]\nname = "wellbeing"\nlabel = "Well-being"\nsensitive = true\n\n'
        '[[intake]]\nname = "outness"')


def setup_program(run, tmp_path, admins_see=False, edit=lambda text: text):
    """Added, imported (with rejected rows), matched, accepted, meeting, with a note; the
    program file changed by ``edit`` first."""
    config = tmp_path / "lgbtq.toml"
    config.write_text(edit(program_text(admins_see)))
    run("programs", "add", config)
    export, planted = planted_export(tmp_path)
    run("participants", "import", "lgbtq-triads", export, expect=1)
    run("eligibility", "lgbtq-triads")
    run("match", "run", "lgbtq-triads")
    run("match", "accept", "lgbtq-triads", "--starts-on", "2026-10-14")
    groups = list(Group.select().where(Group.status == "active").order_by(Group.label))
    members = [m.participant for m in groups[0].memberships.order_by(Membership.id)]
    run("meetings", "log", "lgbtq-triads", groups[0].label, "--when", "2026-10-25 18:00",
        "--note", "we met")
    return config, groups, members, planted


@pytest.fixture
def program(run, tmp_path):
    return setup_program(run, tmp_path)


def given(monkeypatch, token):
    """The member's token, given the way that keeps it out of `ps`: in the environment."""
    monkeypatch.setenv("MENTORKIT_MEMBER_TOKEN", token)


def issue_token(run, label, email):
    table = run("notes", "tokens", "lgbtq-triads", label).output
    return next(line.split()[-1] for line in table.splitlines() if email in line)


# --- the walk: every command, every audience, every format -------------------------------

ADMIN = "administrator"


def walk_plan(tmp_path, config, groups, members, token, db_path):
    """(arguments, audience) for every CLI command; the test fails if a command has none.
    The audience is who the output is for: the administrator running the CLI, the public,
    all participants, or ("group", label)."""
    a, b = members[0].email, members[1].email
    label, other = groups[0].label, groups[1].label
    out = tmp_path / "out"
    export_runs = [(["--audience", audience, "--format", fmt, "--out",
                     out / f"export-{audience}.{fmt}"], audience)
                   for audience in ("public", "participants", ADMIN) for fmt in ("csv", "json")]
    export_runs += [(["--audience", "group", "--group", label, "--format", fmt, "--out",
                      out / f"export-group.{fmt}"], ("group", label)) for fmt in ("csv", "json")]
    export_runs += [(["--audience", "participants"], "participants"),
                    (["--audience", "group", "--group", label], ("group", label))]
    p = "lgbtq-triads"
    return {
        ("programs", "validate"): [([config], ADMIN)],
        ("programs", "add"): [([config], ADMIN)],
        ("programs", "list"): [([], ADMIN)],
        ("programs", "show"): [([p], ADMIN)],
        ("programs", "copy"): [([p, out / "copy.toml"], ADMIN)],
        ("programs", "resources"): [([p], ADMIN)],
        ("programs", "goals"): [([p], ADMIN)],
        ("programs", "map"): [([p, planted_export(tmp_path, "map.csv")[0]], ADMIN)],
        ("plugins", "list"): [([], ADMIN)],
        ("plugins", "new"): [(["acme-x", "--dir", tmp_path / "kit"], ADMIN)],  # no data
        ("plugins", "check"): [([ROOT / "plugins" / "peer-circles"], ADMIN)],
        ("participants", "import"): [([p, planted_export(tmp_path, "again.csv")[0]], ADMIN)],
        ("participants", "list"): [([p], ADMIN)],
        ("participants", "select"): [([p], ADMIN)],
        ("participants", "correct"): [([p, a, "attends_networking_event", "yes"], ADMIN)],
        ("participants", "admit"): [([p, a, "--reason", "decided by the committee"], ADMIN)],
        ("participants", "attend"): [([p, a, "nothing"], ADMIN),
                                     ([p, "--file", form(tmp_path, "signin.csv", [
                                         ["Email", "Activity"], [a, "nothing"]])], ADMIN)],
        ("participants", "activities"): [([p], ADMIN)],
        ("participants", "export"): [([p, *args], audience) for args, audience in export_runs],
        ("eligibility",): [([p, "--no-update"], ADMIN)],
        ("notes", "add"): [([p, label, "--body", "a worry", "--refer", "safety"], ADMIN),
                           ([p, label, "--body", "Please reach out", "--as", b],
                            ("group", label))],
        ("notes", "list"): [([p, label], ADMIN),
                            ([p, label, "--as", b], ("group", label))],
        ("notes", "refer"): [([p, "1", "safety"], ADMIN)],
        ("notes", "tokens"): [([p, other, "--out", out / "tokens"], ADMIN)],
        ("notes", "keygen"): [([], ADMIN)],
        ("notes", "encrypt"): [([p], ADMIN)],
        ("match", "run"): [([p, "--dry-run"], ADMIN), ([p], ADMIN)],
        ("match", "accept"): [([p], ADMIN)],
        ("match", "show"): [([p], ADMIN)],
        ("match", "pin"): [([p, a, b], ADMIN)],
        ("match", "forbid"): [([p, a, b], ADMIN)],
        ("match", "unpin"): [([p, a, b], ADMIN)],
        ("match", "rules"): [([p], ADMIN)],
        ("match", "purposes"): [([p, label], ADMIN)],
        ("match", "flags"): [([p, label, "--all"], ADMIN)],
        ("match", "resolve"): [([p, label, "--note", "spoke with them"], ADMIN)],
        ("meetings", "log"): [([p, label, "--when", "2026-11-01", "--note", "follow-up"], ADMIN)],
        ("meetings", "list"): [([p, label], ADMIN)],
        ("meetings", "import"): [([p, form(tmp_path, "met.csv", [
            ["Email", "Date", "Kind"], [a, "2026-11-02", "video"], [b, "someday", ""]])],
            ADMIN)],
        ("cadence", "status"): [([p, "--as-of", "2026-12-01"], ADMIN)],
        ("cadence", "remind"): [([p, "--as-of", "2026-12-01", "--out", out / "reminders"],
                                 ("group", "*")),
                                ([p, "--as-of", "2026-12-01"], ("group", "*"))],
        ("cadence", "calendar"): [([p, label, "--out", out / "group.ics"], ("group", label))],
        ("notify", "intro"): [([p, "--out", out / "intro"], ("group", "*"))],
        ("notify", "assessment"): [([p, "mid-year", "--out", out / "invite"], ("group", "*"))],
        ("assessments", "list"): [([p], ADMIN)],
        ("assessments", "import"): [([p, "mid-year", responses(tmp_path, members)], ADMIN)],
        ("report",): [([p, "--as-of", "2026-12-01", "--audience", audience, "--out",
                        out / f"report-{audience}.html"], audience)
                      for audience in (ADMIN, "participants", "public")]
        + [([p, "--audience", "group", "--group", label, "--out", out / "report-group.html"],
            ("group", label))],
        ("audit",): [([], ADMIN)],
        ("participants", "links"): [([p, "--base-url", "http://page.test", "--out",
                                      out / "links"], ("group", "*")),
                                    ([p, "--base-url", "http://page.test"], ADMIN),
                                    ([p, "--revoke", a], ADMIN)],
        ("serve",): [(["--port", "0", "--check"], ADMIN)],
        ("participants", "withdraw"): [([p, members[-1].email], ADMIN)],
        ("match", "change"): [([p, a], ADMIN)],
        ("match", "continue"): [([p, other], ADMIN)],
        ("cycles", "list"): [([p], ADMIN)],
        ("cycles", "close"): [([p, "--yes"], ADMIN)],
        ("cycles", "purge"): [([p, "2026-2027", "--now", "--yes"], ADMIN)],
        ("demo",): [(["--dir", out / "demo"], ADMIN)],
        ("db", "copy"): [([db_path, out / "copy.db", "--program", p], ADMIN)],
    }


def form(tmp_path, name, rows):
    target = tmp_path / name
    with target.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows(rows)
    return target


def responses(tmp_path, members):
    """A survey tool's export of mid-year responses: one good row, one bad."""
    export = tmp_path / "responses.csv"
    export.write_text("E-mail,satisfaction,goals\n"
                      f"{members[0].email},2,4\n{members[1].email},nine,4\n")
    return export


def command_line(path, args):
    """The words to type: a group with its own argument (``notify PROGRAM intro``) takes it
    before the subcommand."""
    group = cli.commands.get(path[0]) if len(path) > 1 else None
    own = len([p for p in getattr(group, "params", ()) if isinstance(p, click.Argument)])
    return [path[0], *args[:own], *path[1:], *args[own:]]


def variants(command: click.Command, args, audience):
    """The invocation as planned, and with --json and --show-sensitive where it has them."""
    options = {opt for param in command.params for opt in getattr(param, "opts", ())}
    yield args, audience, False
    if "--json" in options:
        yield [*args, "--json"], audience, False
    if "--show-sensitive" in options and audience == ADMIN:
        yield [*args, "--show-sensitive"], audience, True
        if "--json" in options:
            yield [*args, "--show-sensitive", "--json"], audience, True


def allowed_tokens(planted, audience, show_sensitive, admins_see):
    """The tokens an output for ``audience`` may carry."""
    everything = set().union(*(tokens for _, tokens in planted.values()))
    if audience == ADMIN:
        return everything if show_sensitive and admins_see else set()
    if audience == "participants":
        return {t for consent, tokens in planted.values() if "participants" in consent
                for t in tokens}
    if isinstance(audience, tuple):  # a group: its own members who shared with the group
        query = Membership.select().join(Group).where(Membership.left_at.is_null())
        if audience[1] != "*":  # reminders go to every group, each only about itself
            query = query.where(Group.label == audience[1])
        emails = {m.participant.email for m in query}
        return {t for email, (consent, tokens) in planted.items()
                if email in emails and "group" in consent for t in tokens}
    return set()


SENSITIVE = ("identifies_lgbtq", "outness", "pronouns", "wellbeing")


def records(text):
    """The person records in an output that is JSON or CSV (else none)."""
    try:
        found = json.loads(text)
    except ValueError:
        found = list(csv.DictReader(io.StringIO(text))) if text.startswith("id,") or (
            text.startswith("name,email")) else []
    return [r for r in found if isinstance(r, dict) and "email" in r] if isinstance(
        found, list) else []


def readable(path) -> str:
    """A written file as its reader reads it: a message's headers and every part decoded
    (a body in quoted-printable, a calendar in base64 would hide a token from a plain
    search), any other file as text."""
    if path.suffix != ".eml":
        return path.read_text(errors="replace")
    message = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
    parts = [f"{name}: {value}" for name, value in message.items()]
    for part in message.walk():
        if not part.is_multipart():
            content = part.get_content()
            parts.append(content.decode(errors="replace") if isinstance(content, bytes)
                         else content)
    return "\n".join(parts)


def check_output(text, where, planted, audience, show_sensitive, admins_see):
    """No token outside the audience's consent, no answer to a sensitive yes/no or choice
    question (which cannot hold a token) for a person who did not consent, nothing shown
    as withheld."""
    allowed = allowed_tokens(planted, audience, show_sensitive, admins_see)
    leaked = set(TOKEN.findall(text)) - allowed
    assert not leaked, f"{where} (for {audience}) carries {sorted(leaked)[:5]}"
    assert WITHHELD not in text, f"{where} shows a value as withheld"
    for record in records(text):
        answers = record.get("answers", record)
        shown = {f for f in SENSITIVE if answers.get(f) not in (None, "")}
        if shown and record["email"] in planted:
            tokens = planted[record["email"]][1]
            assert tokens <= allowed, f"{where} shows {shown} of {record['email']}"


@pytest.mark.parametrize("admins_see", [False, True], ids=["admins-need-consent",
                                                          "admins-may-see"])
def test_no_output_carries_a_token_outside_its_consented_audience(run, tmp_path, db_path,
                                                                 monkeypatch,
                                                                 admins_see):
    config, groups, members, planted = setup_program(run, tmp_path, admins_see)
    token = issue_token(run, groups[0].label, members[1].email)
    given(monkeypatch, token)  # for the commands run as a member (--as)
    plan = walk_plan(tmp_path, config, groups, members, token, db_path)
    commands = dict(leaf_commands(cli))
    assert set(commands) == set(plan), f"commands without a plan: {set(commands) - set(plan)}"
    (tmp_path / "out").mkdir(mode=0o700)
    seen: dict[str, float] = {}
    exported: dict[str, str] = {}  # each file written, by name, as last read
    shown_to = {}  # what each audience saw, to check consented values reach it
    umask = os.umask(0)  # files must be private whatever the umask
    try:
        for path, runs in plan.items():
            for planned_args, planned_audience in runs:
                for args, audience, sensitive in variants(commands[path], planned_args,
                                                          planned_audience):
                    line = command_line(path, args)
                    result = run(*line, expect=None)
                    where = " ".join(map(str, line))
                    assert "Traceback" not in result.output, where
                    check_output(result.output, where, planted, audience, sensitive,
                                 admins_see)
                    shown_to.setdefault((path, str(audience), sensitive), []).append(
                        result.output)
                    for written in sorted(tmp_path.rglob("*")):
                        if written.suffix.startswith(".db") or written.name.endswith(".toml"):
                            continue  # the database, at rest; program files hold no one
                        mtime = written.stat().st_mtime
                        if seen.get(str(written)) == mtime:
                            continue
                        seen[str(written)] = mtime
                        mode = stat.S_IMODE(written.stat().st_mode)
                        if written.parent == tmp_path and written.suffix == ".csv" and (
                                "rejects" not in written.name):
                            continue  # the test's own sign-up files
                        assert mode & 0o077 == 0, f"{written} is {oct(mode)} after {where}"
                        if written.is_file():
                            text = readable(written)
                            exported[written.name] = text
                            check_output(text, str(written), planted, audience, sensitive,
                                         admins_see)
    finally:
        os.umask(umask)
    # the report and the messages were made (not refused), so the walk above read them
    # (the purge at the end of the walk erases them with the cycle's other files)
    made = str(tmp_path / "out")
    assert any(p.startswith(f"{made}/intro/") for p in seen)
    assert any(p.startswith(f"{made}/invite/") for p in seen)
    assert all(f"{made}/report-{a}.html" in seen for a in (ADMIN, "participants", "public",
                                                           "group"))
    assert not list(Path(made, "intro").glob("*.eml"))  # erased by the purge
    # consented values do reach the audience they were shared with, as given (the exports
    # read before the purge erased them)
    everyone = exported["export-participants.json"]
    assert any(t in everyone for consent, tokens in planted.values()
               if "participants" in consent for t in tokens)
    group_rows = json.loads(exported["export-group.json"])
    shared = [row for row in group_rows if planted[row["email"]][0] & {"group"}]
    assert shared and all(row["pronouns"] in planted[row["email"]][1] for row in shared)
    if admins_see:
        listed = shown_to[(("participants", "list"), ADMIN, True)]
        assert any(TOKEN.search(text) for text in listed)
    # the introductions show the pronouns of the members who share them with their group
    letters = "\n".join(text for name, text in exported.items()  # as read before the purge
                        if name.startswith("intro-") and name.endswith(".eml"))
    assert any(t in letters for consent, tokens in planted.values() if "group" in consent
               for t in tokens if t.startswith("tokpr"))


# --- the eight observations of issue 12, each a regression test ---------------------------

def test_reading_notes_as_a_member_needs_their_token(run, program, monkeypatch):
    """1. `notes list --as 1` printed a group's unreferred notes to anyone."""
    _, groups, members, _ = program
    label, member = groups[0].label, members[0].email
    run("notes", "add", "lgbtq-triads", label, "--body", "exam stress")
    for guess in ("1", member, str(members[0].id)):
        refused = run("notes", "list", "lgbtq-triads", label, "--as", guess, expect=2).output
        assert "exam stress" not in refused and "MENTORKIT_MEMBER_TOKEN" in refused
    given(monkeypatch, "guess")
    wrong = run("notes", "list", "lgbtq-triads", label, "--as", member, expect=1).output
    assert "exam stress" not in wrong and "cannot confirm" in wrong
    token = issue_token(run, label, member)
    outsider = Participant.select().where(Participant.id.not_in(
        [m.id for m in members])).first()
    given(monkeypatch, token)
    stolen = run("notes", "list", "lgbtq-triads", label, "--as", outsider.email,
                 expect=1).output
    assert "exam stress" not in stolen and "cannot confirm" in stolen
    assert "exam stress" in run("notes", "list", "lgbtq-triads", label, "--as", member).output
    reissued = issue_token(run, label, member)
    assert reissued != token  # a new token replaces the old one
    run("notes", "list", "lgbtq-triads", label, "--as", member, expect=1)
    actions = [e.action for e in AuditEntry.select()]
    assert "note.tokens" in actions and "note.refused" in actions


def test_participants_list_json_holds_sensitive_answers_only_when_asked(run, tmp_path):
    """2. `participants list --json` carried everyone's sensitive answers."""
    setup_program(run, tmp_path, admins_see=True)
    rows = json.loads(run("participants", "list", "lgbtq-triads", "--json").output)
    assert rows and all(not {"pronouns", "wellbeing", "outness", "identifies_lgbtq"}
                        & set(row["answers"]) for row in rows)
    assert all("affiliation" in row["answers"] for row in rows)  # the rest is there
    assert not AuditEntry.select().where(AuditEntry.action == "sensitive.read").exists()
    shown = json.loads(run("participants", "list", "lgbtq-triads", "--json",
                           "--show-sensitive").output)
    assert all("identifies_lgbtq" in row["answers"] for row in shown)
    entry = AuditEntry.get(AuditEntry.action == "sensitive.read")
    assert entry.detail["purpose"] == "participants list"


def test_participants_export_shows_no_one_outside_the_program_nor_why(run, tmp_path):
    """3. The participants' export listed ineligible people, their status and reason, and
    for peer mentoring the application and interview scores."""
    setup_program(run, tmp_path)
    text = run("participants", "export", "lgbtq-triads", "--audience", "participants").output
    rows = list(csv.DictReader(io.StringIO(text)))
    taking_part = {p.email for p in Participant.select().where(
        Participant.status.in_(["selected", "matched", "completed"]))
        if "participants" in (p.answers.get("share_with") or [])}  # being listed tells
    assert rows and {row["email"] for row in rows} == taking_part
    assert not {"status", "id", "reasons", "share_with"} & set(rows[0])
    assert Participant.select().where(Participant.status == "ineligible").exists()
    assert "self-identify" not in text and "ineligible" not in text

    matched_program(run, "peer-mentoring", select=True)
    peers = run("participants", "export", "peer-mentoring", "--audience", "participants",
                "--format", "json").output
    assert json.loads(peers) and "score" not in peers
    admin = json.loads(run("participants", "export", "peer-mentoring", "--audience", ADMIN,
                           "--format", "json").output)
    assert any("application_score" in row for row in admin)  # the committee still sees them


def test_files_with_personal_data_are_owner_only_and_rejects_hold_no_sensitive_cell(
        run, tmp_path):
    """4. Exports and rejects files were 0644; rejects held raw sensitive answers."""
    umask = os.umask(0o022)
    try:
        config = tmp_path / "lgbtq.toml"
        config.write_text(program_text(admins_see=True))
        run("programs", "add", config)
        export, planted = planted_export(tmp_path)
        report = run("participants", "import", "lgbtq-triads", export, expect=1).output
        rejects = tmp_path / "signups.rejects.csv"
        assert stat.S_IMODE(rejects.stat().st_mode) == 0o600
        rows = list(csv.DictReader(rejects.open(encoding="utf-8-sig")))
        withheld = ("", "[withheld: fill in]")  # the marker where an answer was left out
        assert rows and all(row["Pronouns"] in withheld and row["Well-being"] in withheld and
                            row["I identify as LGBTQ"] in withheld for row in rows)
        assert any(row["Pronouns"] == withheld[1] for row in rows)
        assert not TOKEN.search(rejects.read_text())
        assert ("Confidential answers withheld there (I identify as LGBTQ, Pronouns" in
                " ".join(report.split()))
        run("participants", "export", "lgbtq-triads", "--audience", ADMIN, "--out",
            tmp_path / "all.csv")
        assert stat.S_IMODE((tmp_path / "all.csv").stat().st_mode) == 0o600
        run("cadence", "remind", "lgbtq-triads", "--out", tmp_path / "new" )
        assert stat.S_IMODE((tmp_path / "new").stat().st_mode) == 0o700
        missing = run("participants", "export", "lgbtq-triads", "--out",
                      tmp_path / "no" / "such" / "x.csv", expect=1).output
        assert "there is no folder" in missing and "Traceback" not in missing
        config.write_text(program_text(admins_see=True).replace(
            'match_on = "email"', 'match_on = "email"').replace(
            "[privacy]", "[enrollment]\nrejects_keep_sensitive = true\n\n[privacy]"))
        run("programs", "add", config)
        run("participants", "import", "lgbtq-triads", export, expect=1)
        assert TOKEN.search(rejects.read_text())  # the program chose to keep them
    finally:
        os.umask(umask)
    del planted


def raw_note_bodies(db_path) -> list[str]:
    """The note bodies as stored, read past mentorkit."""
    if on_postgres(db_path):
        import psycopg

        with psycopg.connect(str(db_path)) as connection:
            return [body for (body,) in connection.execute("SELECT body FROM note")]
    return [body for (body,) in sqlite3.connect(db_path).execute("SELECT body FROM note")]


def test_a_note_without_the_key_is_refused_once_notes_are_encrypted(run, program, db_path,
                                                                    monkeypatch, tmp_path):
    """5. After encryption, `notes add` without the key stored plain text silently."""
    _, groups, members, _ = program
    label = groups[0].label
    key = run("notes", "keygen").output.strip()
    monkeypatch.setenv("MENTORKIT_NOTES_KEY", key)
    run("notes", "add", "lgbtq-triads", label, "--body", "very private words")
    assert not any("very private words" in body for body in raw_note_bodies(db_path))
    given(monkeypatch, issue_token(run, label, members[0].email))
    assert "very private words" in run("notes", "list", "lgbtq-triads", label, "--as",
                                       members[0].email).output
    monkeypatch.delenv("MENTORKIT_NOTES_KEY")
    count = Note.select().count()
    refused = run("notes", "add", "lgbtq-triads", label, "--body", "plain words",
                  expect=1).output
    assert "encrypted" in refused and "MENTORKIT_NOTES_KEY" in refused
    refused = run("meetings", "log", "lgbtq-triads", label, "--when", "2026-11-02",
                  "--note", "plain words", expect=1).output
    assert "encrypted" in refused and Note.select().count() == count
    locked = run("notes", "list", "lgbtq-triads", label, "--as", members[0].email).output
    assert "very private words" not in locked and "set MENTORKIT_NOTES_KEY" in locked
    key_file = tmp_path / "notes.key"
    key_file.write_text(key)
    key_file.chmod(0o644)
    monkeypatch.setenv("MENTORKIT_NOTES_KEY_FILE", str(key_file))
    warned = run("notes", "add", "lgbtq-triads", label, "--body", "more words")
    assert "can be read by other users" in warned.stderr
    key_file.chmod(0o600)
    assert "Warning" not in run("notes", "add", "lgbtq-triads", label, "--body", "x").stderr


def test_purge_erases_the_year_down_to_the_file_and_keeps_what_the_open_cycle_uses(
        run, tmp_path, db_path):
    """6. Purge left carried answers in the file; then (issue 21) it erased the answers the
    open cycle uses. Now it erases the purged year's records and no later cycle's."""
    _, groups, _, planted = setup_program(run, tmp_path)
    run("match", "continue", "lgbtq-triads", groups[0].label)
    refused = run("cycles", "purge", "lgbtq-triads", "2026-2027", "--yes", expect=1).output
    assert "still open" in refused
    run("cycles", "close", "lgbtq-triads", "--yes")
    later = {p.email: p.answers for p in Participant.select().join(Cycle)
             .where(Cycle.label == "2027-2028")}
    assert later and all(answers for answers in later.values())
    early = run("cycles", "purge", "lgbtq-triads", "2026-2027", "--yes", expect=1).output
    assert "kept until 2037-06-27" in early  # ten years after the cycle ends
    output = run("cycles", "purge", "lgbtq-triads", "2026-2027", "--now", "--yes").output
    assert "participants anonymised" in output and "private notes" in output
    old = [p for p in Participant.select() if p.cycle.label == "2026-2027"]
    assert old and all(p.answers == {} and p.email.startswith("purged-") for p in old)
    assert Note.select().join(Group).where(Group.cycle == old[0].cycle).count() == 0
    assert {p.email: p.answers for p in Participant.select().join(Cycle)
            .where(Cycle.label == "2027-2028")} == later  # the open cycle's are untouched
    entry = AuditEntry.get(AuditEntry.action == "cycle.purge")
    assert sum(entry.detail["summary"]["participants"].values()) == len(old)
    again = run("cycles", "purge", "lgbtq-triads", "2026-2027", "--now", "--yes").output
    assert "purged before" in again and "still open" not in again
    if on_postgres(db_path):
        return  # the server's files are not ours to read; the rows above are erased
    from mentorkit.storage.database import close_database

    close_database()
    raw = b"".join(path.read_bytes() for path in tmp_path.glob("test.db*"))
    gone = {t for email, (_, tokens) in planted.items() if email not in later for t in tokens}
    found = {t for t in gone if t.encode() in raw}
    assert gone and not found, f"the database file still holds {sorted(found)[:3]}"


def test_notes_and_consented_values_are_shown_as_written(run, program, monkeypatch):
    """7. "Please reach out" became "Please reach [withheld]"; values shared with a group
    were shown to it as withheld."""
    _, groups, members, planted = program
    label = groups[0].label
    given(monkeypatch, issue_token(run, label, members[0].email))
    run("notes", "add", "lgbtq-triads", label, "--body", "Please reach out", "--as",
        members[0].email)
    shown = run("notes", "list", "lgbtq-triads", label, "--as", members[0].email).output
    assert "Please reach out" in shown and WITHHELD not in shown
    rows = json.loads(run("participants", "export", "lgbtq-triads", "--audience", "group",
                          "--group", label, "--format", "json").output)
    assert {row["email"] for row in rows} == {m.email for m in members}
    for row in rows:
        consent, tokens = planted[row["email"]]
        assert ("pronouns" in row) == ("group" in consent)
        if "group" in consent:
            assert row["pronouns"] in tokens and row["outness"] != WITHHELD


def test_a_failing_plugin_hook_names_the_plugin_never_the_data(run, program, monkeypatch):
    """8. A plugin's eligibility rule that raised printed a traceback with its message."""
    from mentorkit.builtin.confidentiality import ConsentByAudience
    from mentorkit.builtin.eligibility.answers import AnsweredYes

    def leaky(self, person):
        raise ValueError(f"unexpected pronouns {person.value('pronouns')}")

    monkeypatch.delenv("MENTORKIT_DEBUG", raising=False)
    with monkeypatch.context() as patched:
        patched.setattr(AnsweredYes, "check", leaky)  # the rule on identifies_lgbtq
        result = run("eligibility", "lgbtq-triads", expect=1)
    assert result.output.strip() == ("Error: mentorkit.builtin.eligibility.answers eligibility "
                                     "rule 'answered-yes' failed: ValueError")

    def broken(self, field, person, audience):
        raise RuntimeError(f"policy bug on {person.value('pronouns')}")

    monkeypatch.setattr(ConsentByAudience, "may_see", broken)
    groups = Group.select().count()
    for args in (("match", "run", "lgbtq-triads"),
                 ("participants", "export", "lgbtq-triads", "--audience", "participants")):
        output = run(*args, expect=1).output
        assert "mentorkit.builtin.confidentiality confidentiality policy " \
               "'consent-by-audience' failed: RuntimeError" in output
        assert "Traceback" not in output and not TOKEN.search(output)
    assert Group.select().count() == groups


def test_a_plugin_command_that_fails_is_contained(run, monkeypatch):
    """Commands: a plugin's register_commands or command that raises names the plugin."""
    import pluggy

    from mentorkit.cli import cli, plugin_commands
    from mentorkit.kernel.hookspecs import hookimpl
    from mentorkit.kernel.registry import default_registry

    class Plugin:
        @hookimpl
        def register_commands(self, cli):
            @cli.command("crash")
            def crash():
                raise KeyError("someone's answer")

    class Broken:
        @hookimpl
        def register_commands(self, cli):
            @cli.command("half")
            def half():
                pass

            raise RuntimeError("plugin bug")

    manager: pluggy.PluginManager = default_registry().loaded.manager
    monkeypatch.setattr(cli, "commands", dict(cli.commands))
    loaded = default_registry().loaded
    monkeypatch.setattr(loaded, "failures", list(loaded.failures))
    for plugin, name in ((Plugin(), "crasher"), (Broken(), "broken")):
        manager.register(plugin, name=name)
    try:
        plugin_commands.register(cli)
    finally:
        for name in ("crasher", "broken"):
            manager.unregister(name=name)
    monkeypatch.delenv("MENTORKIT_DEBUG", raising=False)
    output = run("crash", expect=1).output
    assert output.strip() == "Error: crasher command 'crash' failed: KeyError"
    assert "half" not in cli.commands
    listed = run("plugins", "list").output
    assert "broken" in listed and "register_commands failed: RuntimeError" in listed


def test_hostile_names_are_stored_verbatim_and_exported_inert(run, program):
    stored = {p.name for p in Participant.select()}
    assert set(STORED_NAMES) <= stored and not any("\x07" in name for name in stored)
    text = run("participants", "export", "lgbtq-triads", "--audience", ADMIN).output
    names = {row["name"] for row in csv.DictReader(io.StringIO(text))}
    assert "'=cmd|' /C calc'!A0" in names  # a spreadsheet shows it, does not run it
    assert "<script>alert(1)</script>" in names and not any(n.startswith("=") for n in names)
    assert Participant.select().count() == len(stored)  # the SQL in a name did nothing


def test_notes_are_private_to_the_group_until_referred(run, program):
    _, groups, _, _ = program
    label = groups[0].label
    run("notes", "add", "lgbtq-triads", label, "--body", "exam stress")
    as_admin = run("notes", "list", "lgbtq-triads", label).output
    assert "exam stress" not in as_admin and "not shown" in as_admin
    note = Note.get(Note.body == "exam stress")
    run("notes", "refer", "lgbtq-triads", str(note.id), "safety")
    assert "exam stress" in run("notes", "list", "lgbtq-triads", label).output
    assert "referred" in attention(Group.get_by_id(groups[0].id))
    bad = run("notes", "refer", "lgbtq-triads", str(note.id), "gossip", expect=1).output
    assert "no referral scenario 'gossip'" in bad


def test_eligibility_reasons_on_a_sensitive_answer_are_shown_only_when_asked(run, tmp_path):
    setup_program(run, tmp_path, admins_see=True)
    plain = run("eligibility", "lgbtq-triads", "--no-update").output
    assert "self-identify" not in plain
    assert "a rule on a confidential answer (\"I identify as LGBTQ\")" in plain
    # reasons on other answers are as written
    assert "affiliation 'Other' is not one of: Perelman School of Medicine (PSOM)" in plain
    shown = run("eligibility", "lgbtq-triads", "--no-update", "--show-sensitive").output
    assert "did not self-identify as LGBTQ" in shown


def test_cli_modules_print_only_through_output_and_never_read_answers():
    offenders = []
    for module in (ROOT / "mentorkit" / "cli").glob("*.py"):
        if module.name == "output.py":
            continue
        text = module.read_text()
        for pattern in (r"click\.echo\(", r"click\.secho\(", r"\bprint\(",
                        r"\.write_text\(", r"\.write_bytes\(", r"(?<![.\w])open\(",
                        r"(?<!view)\.answers\b", r"\.value\("):
            if re.search(pattern, text):
                offenders.append(f"{module.name}: {pattern}")
    assert offenders == []


def test_output_refuses_a_whole_record():
    from mentorkit.cli.output import emit

    with pytest.raises(TypeError, match="audience view"):
        emit([{"who": Participant(name="x", answers={"pronouns": "x"})}], ("who",), False)


def test_matching_uses_a_sensitive_field_only_where_allowed_and_shared():
    from mentorkit.config.errors import ConfigError
    from mentorkit.kernel.program import load_program_text
    from mentorkit.kernel.values import Person
    from mentorkit.services.pool import matching_view

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


# --- found by an adversarial walk -----------------------------------------------------------

def test_an_administrator_cannot_refer_a_members_note_to_read_it(run, program, monkeypatch):
    _, groups, members, _ = program
    label, member = groups[0].label, members[0].email
    given(monkeypatch, issue_token(run, label, member))
    run("notes", "add", "lgbtq-triads", label, "--body", "member secret", "--as", member)
    note = Note.get(Note.author == member)
    refused = run("notes", "refer", "lgbtq-triads", str(note.id), "safety", expect=1).output
    assert "not one you wrote" in refused and f"the members of {label} refer it" in refused
    assert "member secret" not in run("notes", "list", "lgbtq-triads", label).output
    run("notes", "refer", "lgbtq-triads", str(note.id), "safety", "--as", member)
    assert "member secret" in run("notes", "list", "lgbtq-triads", label).output


def test_tokens_are_not_replaced_when_they_cannot_be_written(run, program, tmp_path,
                                                            monkeypatch):
    _, groups, members, _ = program
    label, member = groups[0].label, members[0].email
    given(monkeypatch, issue_token(run, label, member))
    run("notes", "tokens", "lgbtq-triads", label, "--out", tmp_path / "no" / "dir", expect=1)
    run("notes", "list", "lgbtq-triads", label, "--as", member)


def test_purge_erases_what_administrators_typed_about_people(run, tmp_path, db_path):
    _, groups, members, _ = setup_program(run, tmp_path)
    run("match", "change", "lgbtq-triads", members[0].email, "--reason", "SECRETREASON")
    run("match", "forbid", "lgbtq-triads", members[1].email, members[2].email, "--reason",
        "SECRETFORBID")
    run("participants", "withdraw", "lgbtq-triads", members[2].email, "--reason", "SECRETWD")
    run("cycles", "close", "lgbtq-triads", "--yes")
    run("cycles", "purge", "lgbtq-triads", "2026-2027", "--now", "--yes")
    log = run("audit", "--json").output
    assert not re.search(r"SECRET(REASON|FORBID|WD)", log)
    del groups


def test_a_participants_roster_lists_only_who_consented_to_it(run):
    matched_program(run, "peer-circles")
    rows = json.loads(run("participants", "export", "peer-circles", "--audience",
                          "participants", "--format", "json").output)
    consented = {p.email for p in Participant.select().where(Participant.status == "matched")
                 if "participants" in (p.answers.get("share_with") or [])}
    assert rows and {row["email"] for row in rows} == consented
    assert all("share_with" not in row for row in rows)


def test_mistakes_on_the_command_line_are_clean_errors(run, program, tmp_path):
    _, groups, _, _ = program
    label = groups[0].label
    far = run("meetings", "log", "lgbtq-triads", label, "--when", "9999-12-31 23:59",
              expect=2).output
    assert "not a plausible date" in far
    long = run("meetings", "log", "lgbtq-triads", label, "--when", "2026-10-26", "--duration",
               "99999999999", expect=2).output
    assert "--duration" in long and "0<=x<=1440" in long
    odd = run("participants", "withdraw", "lgbtq-triads", "\udcff", expect=2).output
    assert "not valid text" in odd
    run("audit", "--limit", "0", expect=2)
    nowhere = run("--db", tmp_path / "no" / "such" / "x.db", "programs", "list",
                  expect=1).output
    assert "there is no folder" in nowhere and not (tmp_path / "no").exists()
    missing = run("db", "copy", tmp_path / "nosuch.db", tmp_path / "y.db", expect=1).output
    assert "there is no database" in missing and not (tmp_path / "nosuch.db").exists()
    (tmp_path / "target.csv").write_text("x")
    (tmp_path / "link.csv").symlink_to(tmp_path / "target.csv")
    linked = run("participants", "export", "lgbtq-triads", "--out", tmp_path / "link.csv",
                 expect=1).output
    assert "symbolic link" in linked and (tmp_path / "target.csv").read_text() == "x"


def test_a_second_notes_key_is_refused(run, program, monkeypatch):
    _, groups, _, _ = program
    label = groups[0].label
    monkeypatch.setenv("MENTORKIT_NOTES_KEY", run("notes", "keygen").output.strip())
    run("notes", "add", "lgbtq-triads", label, "--body", "first")
    monkeypatch.setenv("MENTORKIT_NOTES_KEY", run("notes", "keygen").output.strip())
    refused = run("notes", "add", "lgbtq-triads", label, "--body", "second", expect=1).output
    assert "does not open" in refused


# --- found by a code review ------------------------------------------------------------------

def test_a_note_that_looks_encrypted_does_not_lock_the_programs_notes(run, program,
                                                                      monkeypatch):
    _, groups, members, _ = program
    for body in ("enc:v1:x", "ENC:V1:y", "plain:z"):
        run("notes", "add", "lgbtq-triads", groups[0].label, "--body", body)
    run("notes", "add", "lgbtq-triads", groups[1].label, "--body", "still writable")
    given(monkeypatch, issue_token(run, groups[0].label, members[0].email))
    shown = run("notes", "list", "lgbtq-triads", groups[0].label, "--as",
                members[0].email).output
    assert "enc:v1:x" in shown and "ENC:V1:y" in shown and "plain:z" in shown


def test_a_member_of_two_groups_gets_one_token_that_works_for_both(run, monkeypatch):
    matched_program(run, "im-residency")
    busy = next(p for p in Participant.select() if len(
        [m for m in p.memberships if m.group.status == "active"]) == 2)
    labels = [m.group.label for m in busy.memberships if m.group.status == "active"]
    table = run("notes", "tokens", "im-residency").output
    tokens = {line.split()[-1] for line in table.splitlines() if busy.email in line}
    assert len(tokens) == 1
    given(monkeypatch, *tokens)
    for label in labels:
        run("notes", "list", "im-residency", label, "--as", busy.email)


def test_purging_one_program_leaves_other_programs_audit_entries(run, tmp_path):
    matched_program(run, "im-residency")
    other = tmp_path / "other.toml"
    other.write_text((CONFIGS / "im-residency.toml").read_text().replace(
        'key = "im-residency"', 'key = "im-other"'))
    run("programs", "add", other)
    run("participants", "import", "im-other", EXAMPLES / "im-residency.csv", expect=1)
    person = Participant.select().join(Participant.program.rel_model).where(
        Participant.program.rel_model.key == "im-other").first()
    run("participants", "withdraw", "im-other", person.email, "--reason", "moved away")
    run("cycles", "close", "im-residency", "--yes")
    run("cycles", "purge", "im-residency", "2026-2027", "--now", "--yes")
    kept = [e for e in AuditEntry.select() if (e.detail or {}).get("program") == "im-other"
            and e.action == "participant.status"]
    assert any(e.target == person.email and e.detail["reason"] == "moved away" for e in kept)


def test_writing_into_an_existing_folder_leaves_its_permissions(run, program, tmp_path):
    _, groups, _, _ = program
    shared = tmp_path / "shared"
    shared.mkdir()
    shared.chmod(0o1777)
    run("notes", "tokens", "lgbtq-triads", groups[0].label, "--out", shared)
    assert stat.S_IMODE(shared.stat().st_mode) == 0o1777
    assert all(stat.S_IMODE(f.stat().st_mode) == 0o600 for f in shared.iterdir())


# --- found by the adversarial walk of issue 22 -------------------------------------------------

def hidden_from_participants(field: str):
    """An edit of the program file: ``field`` (name or email) kept from all participants."""
    return lambda text: text.replace(f'[[intake]]\nname = "{field}"\n', f'[[intake]]\nname = '
                                     f'"{field}"\nshown_to = ["administrator", "group"]\n', 1)


def test_shown_to_on_the_email_keeps_it_from_all_participants(run, tmp_path):
    """`shown_to = ["administrator"]` on email validated and was ignored: every e-mail went to
    the participants audience (now: it is refused, and leaving out participants is obeyed)."""
    _, groups, members, _ = setup_program(run, tmp_path, edit=hidden_from_participants("email"))
    emails = {p.email for p in Participant.select()}
    roster = run("participants", "export", "lgbtq-triads", "--audience", "participants").output
    rows = list(csv.DictReader(io.StringIO(roster)))
    assert rows and "email" not in rows[0] and not any(e in roster for e in emails)
    as_json = run("participants", "export", "lgbtq-triads", "--audience", "participants",
                  "--format", "json").output
    assert json.loads(as_json) and not any(e in as_json for e in emails)
    report = tmp_path / "participants.html"
    run("report", "lgbtq-triads", "--audience", "participants", "--out", report)
    assert not any(e in report.read_text() for e in emails)
    group = json.loads(run("participants", "export", "lgbtq-triads", "--audience", "group",
                           "--group", groups[0].label, "--format", "json").output)
    assert {row["email"] for row in group} == {m.email for m in members}  # a group still does
    admin = run("participants", "export", "lgbtq-triads", "--audience", ADMIN).output
    assert all(e in admin for e in emails)


def test_shown_to_on_the_name_lists_no_one_to_all_participants(run, tmp_path):
    setup_program(run, tmp_path, edit=hidden_from_participants("name"))
    names = {p.name for p in Participant.select()}
    roster = run("participants", "export", "lgbtq-triads", "--audience", "participants",
                 "--format", "json").output
    assert json.loads(roster) == []
    report = tmp_path / "participants.html"
    run("report", "lgbtq-triads", "--audience", "participants", "--out", report)
    assert not any(name in report.read_text() for name in names if len(name) > 3)


@pytest.mark.parametrize("field, key, value, problem", [
    ("email", "shown_to", '["administrator"]', "intake[1].shown_to: the email is always "
                                               "shown to group"),
    ("email", "sensitive", "true", "intake[1].sensitive: the email cannot be sensitive"),
    ("name", "sensitive", "true", "intake[0].sensitive: the name cannot be sensitive"),
    ("name", "shown_to", '["participants"]', "intake[0].shown_to: the name is always shown "
                                             "to administrator and group"),
])
def test_shown_to_and_sensitive_that_cannot_apply_are_refused(run, tmp_path, field, key,
                                                              value, problem):
    config = tmp_path / "lgbtq.toml"
    config.write_text(program_text(False).replace(
        f'[[intake]]\nname = "{field}"\n', f'[[intake]]\nname = "{field}"\n{key} = {value}\n', 1))
    assert problem in run("programs", "validate", config, expect=1).output


def test_the_participants_page_shows_each_member_only_what_their_group_may_see(
        run, tmp_path, db_path):
    """Every page of every member of every group (the participants' page, `mentorkit
    serve`): no token outside the group's consent, and the consented ones do show."""
    from mentorkit.web.app import Settings, create_app
    from tests.portal import issue_links

    _, groups, _, planted = setup_program(run, tmp_path)
    tokens = issue_links(run)
    app = create_app(Settings())
    shown = []
    for group in groups:
        label = group.label
        for place in group.current_memberships():
            client = app.test_client()
            assert client.get(f"/start/{tokens[place.participant.email]}").status_code == 303
            for path in ("/", "/privacy", f"/groups/{label}", f"/groups/{label}/notes",
                         f"/groups/{label}/change", "/withdraw"):
                html = client.get(path).get_data(as_text=True)
                assert "Traceback" not in html
                check_output(html, f"{path} as {place.participant.email}", planted,
                             ("group", label), False, False)
                shown += TOKEN.findall(html)
    assert shown  # what members shared with their group does reach it


def test_a_reason_on_confidential_answers_is_the_groups_not_the_administrators(run, tmp_path):
    """'same out-ness' was written for the group, whose members shared their out-ness with
    each other; an administrator who knows one member's answer (shared with all participants)
    would read the other's from it. match run, match show and the report mask it unless
    sensitive answers were asked for."""
    from mentorkit.storage.models import Group

    matched_program(run, "lgbtq-triads")
    told = [g for g in Group.select() if "same out-ness" in g.explanation]
    assert told  # the group itself is told (its letters), as written
    shown = run("match", "show", "lgbtq-triads", "--json").output
    assert "out-ness" not in shown and "a criterion on confidential answers" in shown
    assert "out-ness" not in run("match", "show", "lgbtq-triads").output
    run("report", "lgbtq-triads", "--out", tmp_path / "r.html")
    report = (tmp_path / "r.html").read_text()  # its chart of criteria names the criterion
    assert "same out-ness" not in report and "a criterion on confidential answers" in report
    run("notify", "lgbtq-triads", "intro", "--out", tmp_path / "intro")
    letters = b"".join(f.read_bytes() for f in (tmp_path / "intro").iterdir())
    assert b"out-ness" in letters or b"Out-ness" in letters  # the group reads it
