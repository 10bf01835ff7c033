"""Lifecycle commands: withdraw, change of match, continuation, closing a cycle."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import click

from mentorkit import lifecycle, matchflow, retention
from mentorkit.cli.matching import match
from mentorkit.cli.output import emit, say, warn
from mentorkit.cli.participants import participants
from mentorkit.cli.programs import resolve_program
from mentorkit.registry_db import program_record
from mentorkit.storage.models import Cycle, Group, Participant


@participants.command()
@click.argument("program")
@click.argument("person")
@click.option("--reason", default="", help="Optional; none is required.")
@click.pass_context
def withdraw(ctx: click.Context, program: str, person: str, reason: str) -> None:
    """Withdraw PERSON (e-mail or id) from PROGRAM, at any time, with no reason required.

    Their data is kept for the program's records; their group is flagged for attention."""
    ctx.obj.open_db()
    loaded = resolve_program(ctx, program)
    flagged = lifecycle.withdraw(loaded, person, reason)
    say(f"{person} has withdrawn from {loaded.key}.")
    for group in flagged:
        say(f"Group {group.label} needs attention: {group.attention}. To re-match the "
            f"others, `mentorkit match change {loaded.key} MEMBER` then `match run`.")


@match.command()
@click.argument("program")
@click.argument("person")
@click.option("--reason", default="", help="Optional; none is required.")
@click.pass_context
def change(ctx: click.Context, program: str, person: str, reason: str) -> None:
    """Record PERSON's request for a change of match: their group ends (a pair) or they leave
    it (a larger group). The next `match run` re-matches only the people freed."""
    ctx.obj.open_db()
    loaded = resolve_program(ctx, program)
    freed = lifecycle.request_change(loaded, person, reason)
    names = ", ".join(p.name for p in freed)
    say(f"Freed for re-matching: {names}. Every other group stays as it is; run "
        f"`mentorkit match run {loaded.key}` to propose new matches for them.")


@match.command("continue")
@click.argument("program")
@click.argument("group")
@click.option("--undo", is_flag=True, help="Take the opt-in back.")
@click.pass_context
def continue_(ctx: click.Context, program: str, group: str, undo: bool) -> None:
    """Opt GROUP in to continue, with the same members, into PROGRAM's next cycle."""
    ctx.obj.open_db()
    loaded = resolve_program(ctx, program)
    found = lifecycle.mark_continue(loaded, group, continues=not undo)
    say(f"Group {found.label} " + ("will not continue." if undo else
                                   "continues into the next cycle."))


@click.group()
def cycles() -> None:
    """A program's cycles (academic years): list them, close the current one."""


@cycles.command("list")
@click.argument("program")
@click.option("--json", "as_json", is_flag=True, help="Print JSON for scripts.")
@click.pass_context
def list_cycles(ctx: click.Context, program: str, as_json: bool) -> None:
    """List PROGRAM's cycles with their participants and groups."""
    ctx.obj.open_db()
    record = program_record(program)
    rows = [{"cycle": c.label, "status": c.status, "starts": str(c.starts_on),
             "ends": str(c.ends_on),
             "participants": Participant.select().where(Participant.cycle == c).count(),
             "groups": Group.select().where((Group.cycle == c)
                                            & (Group.status != "proposed")).count()}
            for c in Cycle.select().where(Cycle.program == record).order_by(Cycle.starts_on)]
    emit(rows, ("cycle", "status", "starts", "ends", "participants", "groups"), as_json)


@cycles.command()
@click.argument("program")
@click.option("--next-config", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="The program file for the next cycle; default: this one, a year later.")
@click.confirmation_option(prompt="Complete every active group and open the next cycle?")
@click.pass_context
def close(ctx: click.Context, program: str, next_config: Path | None) -> None:
    """Close PROGRAM's current cycle: active groups complete; groups that opted in continue
    with the same members in the next cycle; everyone else who took part returns to its pool
    (as applied, so eligibility is checked again)."""
    ctx.obj.open_db()
    loaded = resolve_program(ctx, program)
    cycle = loaded.config.cycle
    today = dt.datetime.now(cycle.zone).date()
    if today < cycle.academic_year_end:
        warn(f"{loaded.key}'s cycle {cycle.label} runs until {cycle.academic_year_end}; "
             "closing it now ends its active groups early")
    text = next_config.read_text(encoding="utf-8") if next_config else None
    closed = lifecycle.close_cycle(loaded, text, str(next_config or "next cycle"))
    say(f"Closed; {closed.completed_groups} groups completed, "
        f"{closed.continuing_groups} continue into {closed.next_label}, "
        f"{closed.returning} people return to the pool"
        + (f", {closed.finished} have finished (past their last year)" if closed.finished
           else "") + f". Next: `mentorkit eligibility {loaded.key}`, then "
        f"`mentorkit match run {loaded.key}`.")


@cycles.command()
@click.argument("program")
@click.argument("cycle")
@click.option("--now", "ignore_period", is_flag=True,
              help="Purge before the program's retention period is over.")
@click.confirmation_option(prompt="Erase this cycle's names, e-mails, answers and notes?")
@click.pass_context
def purge(ctx: click.Context, program: str, cycle: str, ignore_period: bool) -> None:
    """Erase a closed CYCLE's personal data (names, e-mails, answers, notes, attendance),
    keeping anonymised counts; allowed once the program's retention period is over."""
    loaded = resolve_program(ctx, program)
    report = retention.purge(loaded, cycle, ignore_period=ignore_period)
    say(f"Purged cycle {cycle}: {report.participants} participants anonymised, "
        f"{report.notes} notes erased, the answers of {report.carried} carried into later "
        f"cycles erased. Kept counts: {report.summary}")


def register(cli: click.Group) -> None:
    cli.add_command(cycles)


@participants.command()
@click.argument("program")
@click.option("--dry-run", is_flag=True, help="Show who would be selected; store nothing.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON for scripts.")
@click.pass_context
def select(ctx: click.Context, program: str, dry_run: bool, as_json: bool) -> None:
    """Select among PROGRAM's eligible applicants where the program selects (the top N of
    each year by application and interview score): the chosen become `selected`, and
    matching then uses them. Ties at the cut-off and shortfalls are reported."""
    ctx.obj.open_db()
    loaded = resolve_program(ctx, program)
    found = matchflow.select(loaded, dry_run)
    if found is None:
        raise click.ClickException(f"{loaded.key}'s matcher ({loaded.config.matching.component})"
                                   " does not select; `mentorkit match run` places everyone "
                                   "eligible")
    result, people = found
    if as_json:
        emit([{"stored": not dry_run,
               "selected": [{"id": i, "name": people[i].name, "role": people[i].role}
                            for i in result.selected],
               "not_selected": [{"id": i, "name": people[i].name, "why": why}
                                for i, why in sorted(result.not_selected.items())],
               "notes": list(result.notes)}], (), as_json=True)
        return
    say(f"Selected: {len(result.selected)}")
    for person_id in result.selected:
        say(f"  {people[person_id].name} ({people[person_id].role})")
    if result.not_selected:
        say(f"Not selected: {len(result.not_selected)}")
        for person_id, why in sorted(result.not_selected.items()):
            say(f"  {people[person_id].name}: {why}")
    for note in result.notes:
        say(f"Note: {note}")
    if dry_run:
        say("Dry run: nothing stored.")
