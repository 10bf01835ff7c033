"""``mentorkit audit``: who did what and when."""

from __future__ import annotations

import datetime as dt

import click

from mentorkit.cli.lazy import lazy
from mentorkit.cli.output import emit, heading
from mentorkit.cli.params import DAY, ProgramRef, json_option

audit_log = lazy("mentorkit.services.audit_log")


@click.command("audit")
@click.option("--program", type=ProgramRef(), help="Only entries about this program.")
@click.option("--action", help="Only actions starting with this (e.g. note., participant.).")
@click.option("--since", type=DAY, help="Only from this date.")
@click.option("--limit", type=click.IntRange(min=1), default=200, show_default=True)
@json_option
@click.pass_context
def audit(ctx: click.Context, program, action: str | None, since: dt.datetime | None,
          limit: int, as_json: bool) -> None:
    """Who did what and when: exports, referrals, status changes, reads of notes."""
    ctx.obj.open_db()
    rows = audit_log.entries(program.key if program else None, action, since, limit)
    if not as_json:
        heading(f"Audit log: {len(rows)} entries, newest first")
    emit(rows, ("at", "actor", "action", "target"), as_json)


def register(cli: click.Group) -> None:
    cli.add_command(audit)
