"""Opening the database named by ``--db`` / ``MENTORKIT_DB``: a SQLite path or a URL.

SQLite gets WAL (readers do not block the writer), a busy timeout (two coordinators writing at
once wait rather than fail), foreign keys, and a file only its owner can read, because it holds
participants' sensitive answers. A URL that does not parse is a usage mistake, and no error
shows a password, in whatever form the URL holds one.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

import peewee as pw
from playhouse.db_url import connect as connect_url

from mentorkit.kernel.errors import MentorkitError, UsageMistake
from mentorkit.storage.migrations import migrate
from mentorkit.storage.models import database
from mentorkit.storage.urls import scrubbed, without_credentials

DEFAULT_DB = "mentorkit.db"
ENV_VAR = "MENTORKIT_DB"
NAMED = f"--db (or {ENV_VAR})"  # where a database target comes from, for error messages
URL_EXAMPLE = "postgresql://user@host:5432/dbname"
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


# the URL schemes mentorkit opens: a SQLite file, a PostgreSQL server
SCHEMES = ("sqlite", "postgresql", "postgres")


def connect(target: str, named: str = NAMED) -> pw.Database:
    """A database object for a path or URL (not bound to the models, not migrated). A URL
    that does not parse, or names a database mentorkit does not use, is a usage mistake
    naming where it came from (``named``)."""
    if is_url(target):
        scheme = target.split("://", 1)[0].lower()
        if scheme not in SCHEMES:
            raise UsageMistake(
                f"{named}: {without_credentials(target)} is not a database URL mentorkit can "
                f"use: {scheme}:// is not one of sqlite:// and postgresql:// (or postgres://); "
                f"give a SQLite file's path or a PostgreSQL URL such as {URL_EXAMPLE}")
        try:
            db = connect_url(target)
        except (ValueError, RuntimeError):  # a stray [ or ], a port that is no number, a scheme
            raise UsageMistake(
                f"{named}: {without_credentials(target)} is not a database URL mentorkit can "
                f"use, e.g. {URL_EXAMPLE} (or a SQLite file's path); check the scheme, that "
                "the port is a number from 1 to 65535, and that characters such as @ : / ? # "
                "[ ] in the password are percent-encoded (%40 %3A %2F %3F %23 %5B %5D)"
            ) from None
        return _sqlite(db.database) if isinstance(db, pw.SqliteDatabase) else db
    return _sqlite(target)


def is_url(target: str) -> bool:
    return "://" in target


def _create_private_file(path: Path) -> None:
    """The SQLite file, created owner-only if missing; never through a symbolic link that
    points nowhere (that would create a file wherever it points), never a pipe or device."""
    if not path.parent.is_dir():  # a typo in --db must not leave folders and a database
        raise DatabaseError(f"there is no folder {path.parent} for the database {path}")
    if path.is_symlink() and not path.exists():
        raise DatabaseError(f"the database {path} is a symbolic link to a file that does not "
                            "exist; name the database file itself")
    if path.exists():
        if not stat.S_ISREG(path.stat().st_mode):
            raise DatabaseError(f"the database {path} is not a regular file")
        return
    flags = os.O_CREAT | os.O_EXCL | os.O_WRONLY | getattr(os, "O_NOFOLLOW", 0)
    os.close(os.open(path, flags, 0o600))


def open_database(target: str | os.PathLike | None = None, named: str = NAMED) -> pw.Database:
    """Connect, bind the models, and bring the schema up to date."""
    target = os.fspath(target) if target else os.environ.get(ENV_VAR) or DEFAULT_DB
    try:
        db = connect(target, named)
        database.initialize(db)
        db.connect(reuse_if_open=True)
        migrate(db)
    except DatabaseError:
        raise
    except (pw.PeeweeException, OSError, RuntimeError, ImportError) as error:
        shown = without_credentials(target)
        if isinstance(error, ImportError):
            raise DatabaseError(f"cannot open database {shown}: the driver is missing; "
                                "install mentorkit[postgres] for PostgreSQL") from error
        said = " ".join(str(error).split())
        if isinstance(error, pw.PeeweeException | OSError):  # the driver's words may quote it
            said = scrubbed(said, target)
        raise DatabaseError(f"cannot open database {shown}: {said}") from error
    return db


def close_database() -> None:
    if database.obj is not None and not database.is_closed():
        database.close()
