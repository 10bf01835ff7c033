"""Moving a program between a SQLite file and PostgreSQL, and back, verified."""

from __future__ import annotations

import sqlite3

import pytest

from mentorkit.storage.database import close_database
from tests.conftest import CONFIGS, EXAMPLES, PG_MISSING, PG_URL, reset_postgres


def populated(run, tmp_path):
    """A SQLite database with two programs, matched, with meetings, notes and rules."""
    for key in ("lgbtq-triads", "im-residency"):
        run("programs", "add", CONFIGS / f"{key}.toml")
        run("participants", "import", key, EXAMPLES / f"{key}.csv", expect=1)
        run("eligibility", key)
        run("match", "run", key)
        run("match", "accept", key, "--starts-on", "2026-10-14")
    run("meetings", "log", "lgbtq-triads", "lgbtq-triads-001", "--when", "2026-10-25 18:00",
        "--kind", "text", "--awaiting-reply", "--note", "first message")
    run("meetings", "log", "lgbtq-triads", "lgbtq-triads-001", "--when", "2026-10-25 20:00",
        "--kind", "text", "--reply-to", "1")
    run("notes", "add", "lgbtq-triads", "lgbtq-triads-001", "--body", "a worry", "--refer",
        "safety")


def counts(path) -> dict[str, int]:
    with sqlite3.connect(path) as connection:
        tables = [t for (t,) in connection.execute(
            "SELECT name FROM sqlite_master WHERE type='table' AND name != 'schema_version'")]
        return {t: connection.execute(f'SELECT COUNT(*) FROM "{t}"').fetchone()[0]
                for t in tables}


def test_copy_between_sqlite_files_verifies_every_table(run, db_path, tmp_path):
    populated(run, tmp_path)
    target = tmp_path / "copy.db"
    output = run("db", "copy", db_path, target).output
    assert "NO" not in output and "Copied and verified" in output
    assert counts(target) == counts(db_path)
    again = run("db", "copy", db_path, target, expect=1).output
    assert "already has the program" in again and counts(target) == counts(db_path)


def test_one_program_only(run, db_path, tmp_path):
    populated(run, tmp_path)
    target = tmp_path / "one.db"
    run("db", "copy", db_path, target, "--program", "im-residency")
    with sqlite3.connect(target) as connection:
        assert [k for (k,) in connection.execute("SELECT key FROM program")] == ["im-residency"]
    assert "no program 'nope'" in run("db", "copy", db_path, tmp_path / "x.db", "--program",
                                      "nope", expect=1).output


def test_sqlite_to_postgresql_and_back_keeps_every_row(run, db_path, tmp_path, monkeypatch):
    if not PG_URL:
        pytest.skip(PG_MISSING)
    populated(run, tmp_path)
    close_database()
    reset_postgres(PG_URL)
    there = run("db", "copy", db_path, PG_URL).output
    assert "Copied and verified" in there
    back = tmp_path / "back.db"
    run("db", "copy", PG_URL, back)
    assert counts(back) == counts(db_path)
    # the copy works as a database: the programs run on PostgreSQL
    monkeypatch.setenv("MENTORKIT_DB", PG_URL)
    status = run("cadence", "status", "lgbtq-triads", "--as-of", "2026-11-01").output
    assert "lgbtq-triads-001" in status
    assert "a worry" in run("notes", "list", "lgbtq-triads", "lgbtq-triads-001").output
