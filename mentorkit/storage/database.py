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

from mentorkit.kernel.errors import MentorkitError
from mentorkit.storage.migrations import migrate
from mentorkit.storage.models import database

DEFAULT_DB = "mentorkit.db"
ENV_VAR = "MENTORKIT_DB"
SQLITE_PRAGMAS = {"journal_mode": "wal", "busy_timeout": 10_000, "foreign_keys": 1}


class DatabaseError(MentorkitError, RuntimeError):
    """The database cannot be opened, or is newer than this mentorkit."""


def _sqlite(path: str) -> pw.Database:
    """Transactions take the write lock when they begin (BEGIN IMMEDIATE): two coordinators
    writing at once then wait for each other (busy timeout) instead of one failing when its
    read turns into a write."""
    _create_private_file(Path(path))
    return pw.SqliteDatabase(path, pragmas=SQLITE_PRAGMAS, lock_type="IMMEDIATE",
                             timeout=SQLITE_PRAGMAS["busy_timeout"] / 1000)


def connect(target: str) -> pw.Database:
    """A database object for a path or URL (not bound to the models, not migrated)."""
    if is_url(target):
        db = connect_url(target)
        return _sqlite(db.database) if isinstance(db, pw.SqliteDatabase) else db
    return _sqlite(target)


def is_url(target: str) -> bool:
    return "://" in target


def _create_private_file(path: Path) -> None:
    if not path.parent.is_dir():  # a typo in --db must not leave folders and a database
        raise DatabaseError(f"there is no folder {path.parent} for the database {path}")
    if not path.exists():
        os.close(os.open(path, os.O_CREAT | os.O_WRONLY, 0o600))


def open_database(target: str | os.PathLike | None = None) -> pw.Database:
    """Connect, bind the models, and bring the schema up to date."""
    target = os.fspath(target) if target else os.environ.get(ENV_VAR) or DEFAULT_DB
    try:
        db = connect(target)
        database.initialize(db)
        db.connect(reuse_if_open=True)
        migrate(db)
    except (pw.PeeweeException, OSError, RuntimeError, ImportError) as error:
        shown = _without_password(target)
        if isinstance(error, ImportError):
            raise DatabaseError(f"cannot open database {shown}: the driver is missing; "
                                "install mentorkit[postgres] for PostgreSQL") from error
        raise DatabaseError(f"cannot open database {shown}: {error}") from error
    return db


def _without_password(target: str) -> str:
    """A URL fit for an error message: user@host, never the password."""
    if is_url(target) and "@" in target:
        scheme, rest = target.split("://", 1)
        credentials, host = rest.rsplit("@", 1)
        return f"{scheme}://{credentials.split(':', 1)[0]}@{host}"
    return target


def close_database() -> None:
    if database.obj is not None and not database.is_closed():
        database.close()
