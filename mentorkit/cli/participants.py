"""``mentorkit participants`` and ``mentorkit eligibility``."""

from __future__ import annotations

from pathlib import Path

import click

from mentorkit import eligibility as eligibility_rules
from mentorkit.cli.output import active, emit, heading, say
from mentorkit.cli.programs import resolve_program
from mentorkit.enrollment import import_csv, to_person
from mentorkit.registry_db import current_cycle
from mentorkit.storage.models import Membership, Participant

STATUSES = ("applied", "eligible", "ineligible", "selected", "matched", "withdrawn", "completed")


@click.group()
def participants() -> None:
    """Import sign-ups and list participants."""


@participants.command("import")
@click.argument("program")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--dry-run", is_flag=True, help="Check and report; store nothing.")
@click.pass_context
def import_(ctx: click.Context, program: str, file: Path, dry_run: bool) -> None:
    """Import PROGRAM's sign-up export FILE (CSV). Bad rows are reported and kept in a rejects
    file beside FILE; good rows import. Exit 1 if any row was rejected."""
    ctx.obj.open_db()
    loaded = resolve_program(ctx, program)
    report = import_csv(loaded, file, dry_run=dry_run)
    for error in report.errors:
        where = f"line {error.line}" + (f", column {error.column!r}" if error.column else "")
        say(f"{file}: {where}: {error.reason}", err=True)
    verb = "Would import" if dry_run else "Imported"
    say(f"{verb}: {report.added} added, {report.updated} updated, "
        f"{report.unchanged} unchanged, {report.rejected_rows} rejected")
    if report.rejects_file:
        say(f"Rejected rows kept in {report.rejects_file}")
    if report.rejected_rows:
        ctx.exit(1)


@participants.command("list")
@click.argument("program")
@click.option("--status", type=click.Choice(STATUSES), help="Only this status.")
@click.option("--role", help="Only this role.")
@click.option("--unmatched", is_flag=True, help="Only people in no proposed or active group.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON for scripts.")
@click.pass_context
def list_participants(ctx: click.Context, program: str, status: str | None, role: str | None,
                      unmatched: bool, as_json: bool) -> None:
    """List PROGRAM's participants of the current cycle (no sensitive answers)."""
    ctx.obj.open_db()
    loaded = resolve_program(ctx, program)
    redactor = active()  # the administrator's, activated by resolve_program
    cycle = current_cycle(loaded)
    query = Participant.select().where(Participant.cycle == cycle)
    if status:
        query = query.where(Participant.status == status)
    if role:
        query = query.where(Participant.role == role)
    grouped = {m.participant_id for m in Membership.select(Membership.participant)
               .join(Participant).where(Participant.cycle == cycle)} if unmatched else set()
    rows = []
    for participant in query.order_by(Participant.name):
        if unmatched and participant.id in grouped:
            continue
        person = to_person(participant)
        row = {"id": participant.id, "name": participant.name, "email": participant.email,
               "role": participant.role, "sides": participant.sides,
               "status": participant.status}
        if as_json:
            row["answers"] = redactor.answers(person)
        rows.append(row)
    emit(rows, ("id", "name", "email", "role", "sides", "status"), as_json)


@click.command()
@click.argument("program")
@click.option("--json", "as_json", is_flag=True, help="Print JSON for scripts.")
@click.option("--no-update", is_flag=True, help="Report only; do not record statuses.")
@click.option("--brief", is_flag=True, help="Count eligible people instead of listing them.")
@click.pass_context
def eligibility(ctx: click.Context, program: str, as_json: bool, no_update: bool,
                brief: bool) -> None:
    """Check who is eligible for PROGRAM, with every reason each person is not.

    Records the result as each undecided participant's status (eligible / ineligible).
    Late sign-ups are listed apart."""
    ctx.obj.open_db()
    loaded = resolve_program(ctx, program)
    verdicts = eligibility_rules.evaluate(loaded)
    if not no_update:
        eligibility_rules.apply(loaded, verdicts)
    rows = [{"id": v.participant.id, "name": v.participant.name, "role": v.participant.role,
             "eligible": v.eligible, "late": any(r.code == "late" for r in v.reasons),
             "reasons": [r.message for r in v.reasons]} for v in verdicts]
    if as_json:
        emit(rows, (), as_json=True)
        return
    eligible = [r for r in rows if r["eligible"]]
    late = [r for r in rows if r["late"]]
    other = [r for r in rows if not r["eligible"] and not r["late"]]
    heading(f"Eligible: {len(eligible)}")
    if not brief:
        emit(eligible, ("id", "name", "role"), False)
    heading(f"\nNot eligible: {len(other)}")
    emit(other, ("id", "name", "role", "reasons"), False)
    heading(f"\nLate sign-ups: {len(late)}")
    emit(late, ("id", "name", "role", "reasons"), False)


def register(cli: click.Group) -> None:
    cli.add_command(participants)
    cli.add_command(eligibility)
