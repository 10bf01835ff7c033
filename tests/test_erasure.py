"""Purge erases every place a person's data can be (services/erasure.py lists them): a marker
is planted in each, the first year is purged, and the database (every row of every table,
and on SQLite the raw files, write-ahead log included) and the files mentorkit wrote are read
for them. Someone who goes on into the next year keeps that year's records, and only those."""

from __future__ import annotations

import csv
import json
import sqlite3
import tomllib

import pytest

from mentorkit.storage import models
from mentorkit.storage.models import (
    AuditEntry,
    Cycle,
    Flag,
    Group,
    Membership,
    PairRule,
    Participant,
    Relationship,
)
from tests.conftest import CONFIGS, EXAMPLES, MID_YEAR, on, on_postgres

BOTH_DATABASES = True
FIRST = "2026-2027"

# what only the leaver (X) and only the first year hold: none may survive the purge
GONE = ["Mkname1z", "mkmail1z", "mkpron1z", "mkreject1z", "mknotex1z", "mknotey1z",
        "mkmeet1z", "mkforbid1z", "mkadmit1z", "mkwithdraw1z", "mkcarry1z", "mkchange1z"]


def program_file(tmp_path):
    text = (CONFIGS / "lgbtq-triads.toml").read_text()
    config = tmp_path / "lgbtq.toml"
    config.write_text(text + '\n[[tracking.activities]]\nname = "Fall training"\n')
    return config


def signups(tmp_path):
    """The example export with one eligible person made the leaver, markers in their name,
    e-mail and pronouns, and a rejected row with a marker in its name."""
    rows = list(csv.DictReader((EXAMPLES / "lgbtq-triads.csv").open(encoding="utf-8")))
    headers = list(rows[0])
    x = next(r for r in rows if r["I identify as LGBTQ"] == "Yes" and r["Email"]
             and r["Affiliation"] and r["Current position"] == "trainee")
    x.update({"Name": "Xena Mkname1z", "Email": "mkmail1z@upenn.example",
              "Pronouns": "mkpron1z", "RecordedDate": "2026-10-12 09:00:00"})  # late
    bad = dict(x, **{"Name": "Bad Mkreject1z", "Email": "not-an-address"})
    target = tmp_path / "signups.csv"
    with target.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=headers)
        writer.writeheader()
        writer.writerows([*rows, bad])
    return target


def every_row() -> str:
    """Every value of every table, as text: what the database holds, read past mentorkit's
    own services."""
    tables = [m for m in vars(models).values() if isinstance(m, type)
              and issubclass(m, models.BaseModel) and m is not models.BaseModel]
    return "\n".join(str(row) for model in tables for row in model.select().dicts())


def test_purge_leaves_no_trace_of_the_year_or_of_who_left(run, tmp_path, db_path):
    config = program_file(tmp_path)
    run("programs", "add", config)
    run("participants", "import", "lgbtq-triads", signups(tmp_path), expect=1)
    rejects = tmp_path / "signups.rejects.csv"
    assert "Mkreject1z" in rejects.read_text()
    run("participants", "admit", "lgbtq-triads", "mkmail1z@upenn.example", "--reason",
        "mkadmit1z")  # admitted despite signing up late
    run("eligibility", "lgbtq-triads")
    run("match", "run", "lgbtq-triads")
    match_by = tomllib.loads(config.read_text())["cycle"]["match_by"]
    run("match", "accept", "lgbtq-triads", "--starts-on", match_by)
    x = Participant.get(Participant.email == "mkmail1z@upenn.example")
    x_group = next(m.group for m in Membership.select().where(Membership.participant == x))
    kept = next(g for g in Group.select().where(Group.status == "active")
                if g.id != x_group.id and len(g.current_memberships()) == 3)
    y, y2, _ = (m.participant for m in kept.current_memberships())
    other = next(g for g in Group.select().where(Group.status == "active")
                 if g.id not in (x_group.id, kept.id))
    z = other.current_memberships()[0].participant
    p = "lgbtq-triads"
    run("notes", "add", p, x_group.label, "--body", "mknotex1z")
    run("notes", "add", p, kept.label, "--body", "mknotey1z")  # the year's, not Y's
    run("meetings", "log", p, x_group.label, "--when", f"{match_by} 18:00", "--note",
        "mkmeet1z")
    run("participants", "attend", p, x.email, "Fall training")
    out = tmp_path / "out"
    out.mkdir()
    run("notes", "tokens", p, x_group.label, "--out", out / "tokens")
    run("participants", "export", p, "--audience", "administrator", "--out", out / "all.csv")
    run("report", p, "--out", out / "report.html")
    run("notify", p, "intro", "--out", out / "intro")
    run("match", "forbid", p, x.email, z.email, "--reason", "mkforbid1z")
    run("match", "forbid", p, y.email, y2.email, "--reason", "mkcarry1z")  # carried on
    responses = tmp_path / "responses.csv"
    about = Relationship.get((Relationship.first == x) | (Relationship.second == x))
    responses.write_text(f"Email,relationship,satisfaction\n{x.email},R{about.id},4\n")
    with on(MID_YEAR):
        run("assessments", "import", p, "mid-year", responses)
    run("match", "change", p, z.email, "--reason", "mkchange1z")
    run("participants", "withdraw", p, x.email, "--reason", "mkwithdraw1z")
    assert Flag.select().where(Flag.text.contains("Mkname1z")).exists()
    run("match", "continue", p, kept.label)
    run("cycles", "close", p, "--yes")
    carried = Group.get((Group.label == kept.label) & (Group.status == "active"))
    # what mentorkit 0.1.0 did: a continued group held a copy of last year's flag
    Flag.create(group=carried, text="Xena Mkname1z (trainee) withdrew on 2026-11-01")
    before = every_row()
    assert all(marker in before for marker in GONE if marker != "mkreject1z")
    assert PairRule.get(PairRule.carried_from.is_null(False)).reason == "mkcarry1z"

    first = Cycle.get(Cycle.label == FIRST)
    tally = sorted((r.role, r.status) for r in Participant.select().where(
        Participant.cycle == first))
    run("cycles", "purge", p, FIRST, "--now", "--yes")
    # who was grouped with whom went with the year; its counts by role and status stayed
    in_first = Group.select(Group.id).where(Group.cycle == first)
    assert not Membership.select().where(Membership.group.in_(in_first)).exists()
    assert not Relationship.select().where(Relationship.group.in_(in_first)).exists()
    assert sorted((r.role, r.status) for r in Participant.select().where(
        Participant.cycle == first)) == tally

    after = every_row()
    assert [m for m in GONE if m in after] == []
    assert y.email in after and y2.email in after  # they go on into the next year
    second = {e.email for e in Participant.select().join(Cycle).where(Cycle.label != FIRST)}
    assert y.email in second and x.email not in second
    # what the log recorded while the year ran names none of its people, not even those who
    # go on (y withdrew from nothing, but was matched, carried, forbidden a pair that year)
    closed = AuditEntry.get(AuditEntry.action == "cycle.close").id
    year_one = json.dumps([(e.actor, e.target, e.detail) for e in AuditEntry.select().where(
        AuditEntry.id <= closed)])
    assert y.email not in year_one and y2.email not in year_one and z.email not in year_one
    assert "a participant of 2026-2027" in year_one
    assert "purged-" not in year_one  # who was forgotten and who came back look alike
    # the purged year names no one: a roster or export of it is refused, its counts are not
    for command in (["participants", "list", p, "--cycle", FIRST, "--json"],
                    ["participants", "export", p, "--cycle", FIRST, "--audience",
                     "administrator"],
                    ["eligibility", p, "--cycle", FIRST],  # on erased answers: false verdicts
                    ["participants", "activities", p, "--cycle", FIRST],
                    ["match", "show", p, "--cycle", FIRST, "--json"],
                    ["participants", "export", p, "--cycle", FIRST, "--audience",
                     "participants", "--out", out / "purged.csv"]):
        refused = run(*command, expect=1).output
        assert "was purged" in refused and "--audience public" in refused
    assert not (out / "purged.csv").exists()
    counts = run("participants", "export", p, "--cycle", FIRST, "--audience", "public").output
    assert counts.startswith("role,status,count") and "completed" in counts
    # the files mentorkit wrote with the year's data went with it; the coordinator's own
    # sign-up export is theirs to keep
    written = [f for f in tmp_path.rglob("*") if f.is_file() and f.suffix != ".toml"
               and not f.name.startswith("test.db") and f.name not in (
                   "signups.csv", "responses.csv")]
    assert [f.name for f in written] == []
    if on_postgres(db_path):
        return  # the server's files are not ours to read; every row was read above
    from mentorkit.storage.database import close_database

    close_database()
    raw = b"".join(f.read_bytes() for f in tmp_path.glob("test.db*"))
    assert [m for m in GONE if m.encode() in raw] == []


def test_a_reader_holding_the_log_makes_the_purge_fail_and_a_rerun_finishes_it(
        run, tmp_path, db_path):
    if on_postgres(db_path):
        pytest.skip("a SQLite write-ahead log")
    config = program_file(tmp_path)
    run("programs", "add", config)
    run("participants", "import", "lgbtq-triads", signups(tmp_path), expect=1)
    run("cycles", "close", "lgbtq-triads", "--yes")
    reader = sqlite3.connect(db_path)
    reader.execute("BEGIN")
    reader.execute("SELECT COUNT(*) FROM participant").fetchone()  # holds a snapshot open
    try:
        failed = run("cycles", "purge", "lgbtq-triads", FIRST, "--now", "--yes", expect=1)
        assert "another connection is reading" in failed.output
        assert "run the same command again" in failed.output
    finally:
        reader.rollback()
        reader.close()
    again = run("cycles", "purge", "lgbtq-triads", FIRST, "--now", "--yes").output
    assert "purged before" in again
    from mentorkit.storage.database import close_database

    close_database()
    raw = b"".join(f.read_bytes() for f in tmp_path.glob("test.db*"))
    assert b"Mkname1z" not in raw and b"mkpron1z" not in raw
