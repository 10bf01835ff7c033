"""Opening the database named by ``--db`` / ``MENTORKIT_DB``: a SQLite path or a URL.

SQLite gets WAL (readers do not block the writer), a busy timeout (two coordinators writing at
once wait rather than fail), foreign keys, and a file only its owner can read, because it holds
participants' sensitive answers.
"""

from __future__ import annotations

import os
from pathlib import Path

import peewee as pw
from playhouse.db_url import connect as connect_url

from mentorkit.storage.migrations import migrate
from mentorkit.storage.models import database

DEFAULT_DB = "mentorkit.db"
ENV_VAR = "MENTORKIT_DB"
SQLITE_PRAGMAS = {"journal_mode": "wal", "busy_timeout": 10_000, "foreign_keys": 1}


class DatabaseError(RuntimeError):
    pass


def is_url(target: str) -> bool:
    return "://" in target


def _create_private_file(path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    if not path.exists():
        os.close(os.open(path, os.O_CREAT | os.O_WRONLY, 0o600))


def open_database(target: str | os.PathLike | None = None) -> pw.Database:
    """Connect, bind the models, and bring the schema up to date."""
    target = os.fspath(target) if target else os.environ.get(ENV_VAR) or DEFAULT_DB
    try:
        if is_url(target):
            db = connect_url(target)
            if isinstance(db, pw.SqliteDatabase):
                _create_private_file(Path(db.database))
                db = pw.SqliteDatabase(db.database, pragmas=SQLITE_PRAGMAS)
        else:
            _create_private_file(Path(target))
            db = pw.SqliteDatabase(target, pragmas=SQLITE_PRAGMAS)
        database.initialize(db)
        db.connect(reuse_if_open=True)
        migrate(db)
    except (pw.PeeweeException, OSError, RuntimeError) as error:
        raise DatabaseError(f"cannot open database {target}: {error}") from error
    return db


def close_database() -> None:
    if database.obj is not None and not database.is_closed():
        database.close()
