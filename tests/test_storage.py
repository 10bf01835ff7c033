from __future__ import annotations

import stat

import peewee as pw
import pytest

from mentorkit.kernel.errors import UsageMistake
from mentorkit.storage import migrations
from mentorkit.storage.database import DatabaseError, connect, open_database
from mentorkit.storage.migrations import Migration, current_version, migrate
from mentorkit.storage.models import AuditEntry, ProgramRecord, SchemaVersion, database
from tests.conftest import on_postgres

BOTH_DATABASES = True  # every test here also runs on PostgreSQL when configured


def test_new_database_is_private_wal_with_foreign_keys(db_path):
    if on_postgres(db_path):
        pytest.skip("SQLite file settings")
    db = open_database(db_path)
    assert stat.S_IMODE(db_path.stat().st_mode) == 0o600
    assert db.execute_sql("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert db.execute_sql("PRAGMA foreign_keys").fetchone()[0] == 1
    assert db.execute_sql("PRAGMA busy_timeout").fetchone()[0] >= 5000
    assert current_version(db) == migrations.MIGRATIONS[-1].version
    for table in ("program", "cycle", "participant", "mentoring_group", "membership", "meeting",
                  "note", "audit_log"):
        assert db.table_exists(table), table


def test_url_form_opens_sqlite_too(tmp_path):
    target = tmp_path / "by-url.db"
    db = open_database(f"sqlite:///{target}")
    assert target.exists() and stat.S_IMODE(target.stat().st_mode) == 0o600
    assert db.execute_sql("PRAGMA foreign_keys").fetchone()[0] == 1
    db.close()


def test_older_database_upgrades_in_place_keeping_its_data(db_path):
    db = open_database(db_path)
    ProgramRecord.create(key="kept", name="Kept", config_toml="x")

    def add_column(database_: pw.Database) -> None:
        database_.execute_sql("ALTER TABLE program ADD COLUMN colour TEXT")

    latest = migrations.MIGRATIONS[-1].version
    later = (*migrations.MIGRATIONS, Migration(latest + 1, "program colour", add_column))
    applied = migrate(db, later)
    assert [m.version for m in applied] == [latest + 1]
    assert current_version(db) == latest + 1
    assert ProgramRecord.get(ProgramRecord.key == "kept").name == "Kept"
    assert "colour" in [c.name for c in db.get_columns("program")]
    assert migrate(db, later) == []  # each migration runs once


def test_failed_migration_leaves_the_database_as_it_was(db_path):
    db = open_database(db_path)

    def half_done(database_: pw.Database) -> None:
        database_.execute_sql("CREATE TABLE half (x INTEGER)")
        raise RuntimeError("boom")

    latest = migrations.MIGRATIONS[-1].version
    with pytest.raises(RuntimeError, match="boom"):
        migrate(db, (*migrations.MIGRATIONS, Migration(latest + 1, "broken", half_done)))
    assert current_version(db) == latest
    assert not db.table_exists("half")


def test_database_newer_than_the_code_is_refused(db_path):
    db = open_database(db_path)
    SchemaVersion.create(version=99, description="from the future")
    db.close()
    with pytest.raises(DatabaseError, match="newer than this mentorkit"):
        open_database(db_path)


def test_writes_are_atomic(db_path):
    open_database(db_path)
    with pytest.raises(RuntimeError), database.atomic():
        AuditEntry.create(actor="t", action="half")
        raise RuntimeError("interrupted")
    assert AuditEntry.select().where(AuditEntry.action == "half").count() == 0


def test_unusable_database_target_is_a_clean_error(tmp_path):
    with pytest.raises(UsageMistake, match=r"--db \(or MENTORKIT_DB\): nosuchscheme://x/y is "
                                           "not a database URL"):
        open_database("nosuchscheme://x/y")
    with pytest.raises(DatabaseError, match="is not a regular file"):
        open_database(tmp_path)  # a folder


def test_a_version_1_database_gains_the_pair_rule_table(db_path):
    db = connect(str(db_path))
    database.initialize(db)
    migrate(db, migrations.MIGRATIONS[:1])
    ProgramRecord.create(key="old", name="Old", config_toml="x")
    db.close()
    db = open_database(db_path)  # opening migrates to the latest version
    assert db.table_exists("pair_rule")
    assert ProgramRecord.get(ProgramRecord.key == "old").name == "Old"


def test_bulk_insert_stores_what_insert_many_would(db_path):
    """bulk.insert (one prepared statement) and peewee's insert_many store the same rows:
    JSON, datetimes and defaults read back equal, on SQLite and PostgreSQL alike."""
    import datetime as dt

    from mentorkit.storage import bulk

    open_database(db_path)
    at = dt.datetime(2026, 12, 6, 15, 0, 0)
    rows = [{"actor": "coordinator", "action": f"test.{n}", "detail": {"n": n, "at": "x"}}
            for n in range(3)]
    with database.atomic():
        AuditEntry.insert_many([{**r, "target": "peewee", "at": at} for r in rows]).execute()
    assert bulk.insert(AuditEntry, [{**r, "target": "bulk", "at": at} for r in rows]) == 3
    assert bulk.insert(AuditEntry, []) == 0
    read = {target: [(e.actor, e.action, e.detail, e.at) for e in AuditEntry.select().where(
        AuditEntry.target == target).order_by(AuditEntry.id)] for target in ("peewee", "bulk")}
    assert read["bulk"] == read["peewee"] and len(read["bulk"]) == 3
    assert isinstance(read["bulk"][0][3], dt.datetime)
    with pytest.raises(ValueError, match="same fields"):  # a default is given once for all
        bulk.insert(AuditEntry, [{"actor": "a", "action": "x"},
                                 {"actor": "a", "action": "y", "target": "t"}])
    with pytest.raises(pw.IntegrityError):  # the driver's error as peewee's, on both
        bulk.insert(AuditEntry, [{"actor": None, "action": "x"}])
    bulk.insert(AuditEntry, [{"actor": "a", "action": "defaulted"}])  # at and target defaulted
    made = AuditEntry.get(AuditEntry.action == "defaulted")
    assert made.target == "" and made.detail == {} and isinstance(made.at, dt.datetime)


def test_prepared_query_reads_what_the_query_reads_on_each_database(db_path, tmp_path):
    """A Prepared select (its SQL written once) returns the rows, with their joined records,
    that the same peewee query returns, for each value it is run with; opening another
    database makes it write its SQL for that one."""
    import datetime as dt

    from mentorkit.storage.models import Cycle
    from mentorkit.storage.prepared import Prepared

    by_program = Prepared(lambda program: Cycle.select(Cycle, ProgramRecord).join(
        ProgramRecord).where((Cycle.program == program) & (Cycle.status == "open")), 1)

    def fill() -> list[int]:
        ids = []
        for key in ("a", "b"):
            record = ProgramRecord.create(key=key, name=key.upper(), config_toml="x")
            for label, status in ((f"{key}-1", "open"), (f"{key}-0", "closed")):
                Cycle.create(program=record, label=label, status=status,
                             starts_on=dt.date(2026, 7, 1), ends_on=dt.date(2027, 6, 30))
            ids.append(record.id)
        return ids

    open_database(db_path)
    for program_id in fill():
        expected = [(c.label, c.program.key) for c in Cycle.select(Cycle, ProgramRecord).join(
            ProgramRecord).where((Cycle.program == program_id) & (Cycle.status == "open"))]
        found = [(c.label, c.program.key) for c in by_program.rows(program_id)]
        assert found == expected and len(found) == 1
    assert by_program.rows(10_000) == [] and by_program.first(10_000) is None
    open_database(tmp_path / "another.db")  # a SQLite file, whatever the first one was
    ids = fill()
    assert by_program.first(ids[1]).label == "b-1"
    with pytest.raises(ValueError, match="each of its values"):
        Prepared(lambda program: Cycle.select().where(Cycle.status == "open"), 1).rows(1)
