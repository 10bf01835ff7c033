"""What a command imports before it starts: only what it uses.

peewee imports every database driver it finds when it is first imported; the PostgreSQL
driver (psycopg) alone takes about a tenth of a second to import, which a command on a SQLite
file would pay on every run. Where the database a command opens is SQLite, peewee is
imported with the PostgreSQL drivers hidden from it; a command on a server imports them as
before. The command line calls this before it loads a command (not ``db copy``, which
may copy to or from a server whatever ``--db`` names).
"""

from __future__ import annotations

import os
import sys

DRIVERS = ("psycopg", "psycopg2", "psycopg2cffi")
DEFAULT_DB = "mentorkit.db"  # as storage.database names it
ENV_VAR = "MENTORKIT_DB"  # as storage.database reads it (not imported here: it loads peewee)


def is_server(target: str | None) -> bool:
    """Whether ``target`` (``--db``, else MENTORKIT_DB) names a database server rather than a
    SQLite file."""
    target = target or os.environ.get(ENV_VAR) or ""
    return "://" in target and not target.lower().startswith("sqlite")


def without_postgres_driver(target: str | None) -> None:
    """Hide the PostgreSQL drivers from this process when ``target`` is a SQLite file and
    peewee (which imports them) is not imported yet; otherwise do nothing. They stay hidden
    for the command's life: its database is that file."""
    if "peewee" in sys.modules or is_server(target):
        return
    for name in DRIVERS:
        sys.modules.setdefault(name, None)  # type: ignore[arg-type]  # `import` fails at once
