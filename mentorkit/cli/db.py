"""``mentorkit db``: moving data between databases."""

from __future__ import annotations

from pathlib import Path

import click

from mentorkit.cli.output import emit, say
from mentorkit.storage.copy import CopyError, copy_database
from mentorkit.storage.database import DatabaseError, connect, is_url, open_database


@click.group()
def db() -> None:
    """The database: copy programs between SQLite files and PostgreSQL."""


@db.command("copy")
@click.argument("source")
@click.argument("destination")
@click.option("--program", "program_key", help="Copy only this program (default: all).")
@click.pass_context
def copy(ctx: click.Context, source: str, destination: str, program_key: str | None) -> None:
    """Copy everything (or one program) from SOURCE to DESTINATION, each a SQLite path or a
    database URL such as postgresql://user@host/dbname; then verify every table by row count
    and a checksum of its content. A copy that does not verify is rolled back."""
    if not is_url(source) and not Path(source).is_file():
        raise click.ClickException(f"there is no database {source} to copy from")
    try:
        databases = []
        for target in (source, destination):
            open_database(target)  # checks it opens and is migrated, with a clear error
            databases.append(connect(target))
        checks = copy_database(*databases, program_key)
    except (CopyError, DatabaseError) as error:
        raise click.ClickException(str(error)) from error
    finally:
        for database in locals().get("databases", []):
            if not database.is_closed():
                database.close()
    emit([{"table": c.table, "source": c.source_rows, "copied": c.copied_rows,
           "checksum": c.checksum[:16], "verified": "yes" if c.matches else "NO"}
          for c in checks], ("table", "source", "copied", "checksum", "verified"), False)
    say(f"Copied and verified {sum(c.copied_rows for c in checks)} rows.")


def register(cli: click.Group) -> None:
    cli.add_command(db)
