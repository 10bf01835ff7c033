"""``mentorkit db``: moving data between databases."""

from __future__ import annotations

import click

from mentorkit.cli.lazy import lazy
from mentorkit.cli.output import emit, say
from mentorkit.cli.params import json_option
from mentorkit.views.words import plural

database = lazy("mentorkit.services.database")


@click.group()
def db() -> None:
    """The database: copy programs between SQLite files and PostgreSQL."""


@db.command("copy")
@click.argument("source")
@click.argument("destination")
@click.option("--program", "program_key", help="Copy only this program (default: all).")
@json_option
def copy(source: str, destination: str, program_key: str | None, as_json: bool) -> None:
    """Copy everything (or one program) from SOURCE to DESTINATION, each a SQLite path or a
    database URL such as postgresql://user@host/dbname; then verify every table by row count
    and a checksum of its content. A copy that does not verify is rolled back."""
    checks = database.copy(source, destination, program_key)
    emit([{"table": c.table, "source": c.source_rows, "copied": c.copied_rows,
           "checksum": c.checksum if as_json else c.checksum[:16],
           "verified": c.matches if as_json else ("yes" if c.matches else "NO")}
          for c in checks], ("table", "source", "copied", "checksum", "verified"), as_json)
    if not as_json:
        say(f"Copied and verified {plural(sum(c.copied_rows for c in checks), 'row')}.")


def register(cli: click.Group) -> None:
    cli.add_command(db)
