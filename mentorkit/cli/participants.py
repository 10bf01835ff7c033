"""``mentorkit participants`` and ``mentorkit eligibility``."""

from __future__ import annotations

from pathlib import Path

import click

from mentorkit import eligibility as eligibility_rules
from mentorkit.cli.output import emit, heading, progress_bar, say, warn
from mentorkit.cli.programs import resolve_program
from mentorkit.enrollment import import_csv, to_person
from mentorkit.registry_db import current_cycle
from mentorkit.storage.models import Membership, Participant
from mentorkit.views import Viewer

STATUSES = ("applied", "eligible", "ineligible", "selected", "matched", "withdrawn", "completed")


def show_sensitive_option(command):
    """``--show-sensitive``: an administrator asks to see sensitive answers, where the
    program's confidentiality policy allows it; the request is written to the audit log."""
    return click.option(
        "--show-sensitive", is_flag=True,
        help="Include sensitive answers where the program lets administrators see them "
             "(the request is audited).")(command)


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
    with progress_bar(file, "Importing") as progress:
        report = import_csv(loaded, file, dry_run=dry_run, progress=progress)
    for error in report.errors:
        where = f"line {error.line}" + (f", column {error.column!r}" if error.column else "")
        say(f"{file}: {where}: {error.reason}", err=True)
    verb = "Would import" if dry_run else "Imported"
    say(f"{verb}: {report.added} added, {report.updated} updated, "
        f"{report.unchanged} unchanged, {report.rejected_rows} rejected")
    if report.last_year:
        warn(f"{report.last_year} rows signed up a year or more before this cycle's sign-ups "
             f"({loaded.config.cycle.label}): is {file.name} last year's export?")
    if report.rejects_file:
        say(f"Rejected rows kept in {report.rejects_file} (readable by you only)")
    if report.emptied_columns:
        say(f"Sensitive columns left empty there: {', '.join(report.emptied_columns)} (set "
            "enrollment.rejects_keep_sensitive = true in the program to keep them)")
    if report.rejected_rows:
        ctx.exit(1)


@participants.command("list")
@click.argument("program")
@click.option("--status", type=click.Choice(STATUSES), help="Only this status.")
@click.option("--role", help="Only this role.")
@click.option("--unmatched", is_flag=True, help="Only people in no proposed or active group.")
@click.option("--json", "as_json", is_flag=True,
              help="Print JSON for scripts, with each person's answers (sensitive ones only "
                   "with --show-sensitive).")
@show_sensitive_option
@click.pass_context
def list_participants(ctx: click.Context, program: str, status: str | None, role: str | None,
                      unmatched: bool, as_json: bool, show_sensitive: bool) -> None:
    """List PROGRAM's participants of the current cycle."""
    if show_sensitive and not as_json:
        raise click.UsageError("--show-sensitive goes with --json (the table shows no answers)")
    ctx.obj.open_db()
    loaded = resolve_program(ctx, program)
    viewer = Viewer.administrator(loaded, show_sensitive, "participants list")
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
        view = viewer.person(to_person(participant))
        row = {"id": view.id, "name": view.name, "email": view.email, "role": view.role,
               "sides": participant.sides, "status": view.status}
        if as_json:
            row["answers"] = view.answers
        rows.append(row)
    emit(rows, ("id", "name", "email", "role", "sides", "status"), as_json)


@click.command()
@click.argument("program")
@click.option("--json", "as_json", is_flag=True, help="Print JSON for scripts.")
@click.option("--no-update", is_flag=True, help="Report only; do not record statuses.")
@click.option("--brief", is_flag=True, help="Count eligible people instead of listing them.")
@show_sensitive_option
@click.pass_context
def eligibility(ctx: click.Context, program: str, as_json: bool, no_update: bool,
                brief: bool, show_sensitive: bool) -> None:
    """Check who is eligible for PROGRAM, with every reason each person is not.

    Records the result as each undecided participant's status (eligible / ineligible).
    Late sign-ups are listed apart. A reason resting on a sensitive answer is shown as such
    unless --show-sensitive is given and the program allows it."""
    ctx.obj.open_db()
    loaded = resolve_program(ctx, program)
    viewer = Viewer.administrator(loaded, show_sensitive, "eligibility")
    verdicts = eligibility_rules.evaluate(loaded)
    if not no_update:
        eligibility_rules.apply(loaded, verdicts)
    rows = []
    for verdict in verdicts:
        person = to_person(verdict.participant)
        rows.append({"id": person.id, "name": person.name, "role": person.role,
                     "eligible": verdict.eligible,
                     "late": any(r.code == "late" for r in verdict.reasons),
                     "reasons": [viewer.reason(r, person) for r in verdict.reasons]})
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
