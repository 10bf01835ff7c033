"""The database a command works on: opened on first use, and copied between SQLite and
PostgreSQL (verified by row counts and checksums)."""

from __future__ import annotations

from pathlib import Path

from mentorkit.storage.copy import TableCheck, copy_database
from mentorkit.storage.database import DatabaseError, connect, is_url, open_database

__all__ = ["copy", "open_database"]


def copy(source: str, destination: str, program_key: str | None = None) -> list[TableCheck]:
    """Copy everything (or one program) from ``source`` to ``destination``, each a SQLite path
    or a database URL, and verify every table; a copy that does not verify is rolled back."""
    if not is_url(source) and not Path(source).is_file():
        raise DatabaseError(f"there is no database {source} to copy from")
    databases = []
    try:
        for target, named in ((source, "SOURCE"), (destination, "DESTINATION")):
            open_database(target, named)  # checks it opens and is migrated, with a clear error
            databases.append(connect(target, named))
        return copy_database(*databases, program_key)
    finally:
        for database in databases:
            if not database.is_closed():
                database.close()
