"""``mentorkit db``: moving data between databases."""

from __future__ import annotations

import click

from mentorkit.cli.output import emit, say
from mentorkit.services import database


@click.group()
def db() -> None:
    """The database: copy programs between SQLite files and PostgreSQL."""


@db.command("copy")
@click.argument("source")
@click.argument("destination")
@click.option("--program", "program_key", help="Copy only this program (default: all).")
def copy(source: str, destination: str, program_key: str | None) -> None:
    """Copy everything (or one program) from SOURCE to DESTINATION, each a SQLite path or a
    database URL such as postgresql://user@host/dbname; then verify every table by row count
    and a checksum of its content. A copy that does not verify is rolled back."""
    checks = database.copy(source, destination, program_key)
    emit([{"table": c.table, "source": c.source_rows, "copied": c.copied_rows,
           "checksum": c.checksum[:16], "verified": "yes" if c.matches else "NO"}
          for c in checks], ("table", "source", "copied", "checksum", "verified"), False)
    say(f"Copied and verified {sum(c.copied_rows for c in checks)} rows.")


def register(cli: click.Group) -> None:
    cli.add_command(db)
