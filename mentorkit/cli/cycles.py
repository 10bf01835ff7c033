"""``mentorkit cycles``: a program's cycles (academic years): list, close, purge."""

from __future__ import annotations

from pathlib import Path

import click

from mentorkit.cli.output import emit, say, warn
from mentorkit.cli.params import json_option, program_argument
from mentorkit.services import cycles as cycles_service
from mentorkit.services import retention
from mentorkit.views.words import possessive


@click.group()
def cycles() -> None:
    """A program's cycles (academic years): list them, close the current one, purge old ones."""


@cycles.command("list")
@program_argument
@json_option
def list_cycles(program, as_json: bool) -> None:
    """List PROGRAM's cycles with their participants and groups."""
    emit(cycles_service.listing(program.key),
         ("cycle", "status", "starts", "ends", "participants", "groups"), as_json)


@cycles.command()
@program_argument
@click.option("--next-config", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="The program file for the next cycle; default: this one, a year later.")
@click.confirmation_option(prompt="Complete every active group and open the next cycle?")
def close(program, next_config: Path | None) -> None:
    """Close PROGRAM's current cycle: active groups complete; groups that opted in continue
    with the same members in the next cycle; everyone else who was in a group returns to its
    pool (as applied, so eligibility is checked again). People who were in no group (a mentor
    left available, a late sign-up) are not carried: next year's sign-up export brings them."""
    if (why := cycles_service.closing_early(program)) is not None:
        warn(why)
    text = next_config.read_text(encoding="utf-8") if next_config else None
    closed = cycles_service.close_cycle(program, text, str(next_config or "next cycle"))
    say(f"Closed; {closed.completed_groups} groups completed, "
        f"{closed.continuing_groups} continue into {closed.next_label}, "
        f"{closed.returning} people return to the pool"
        + (f", {closed.finished} have finished (past their last year)" if closed.finished
           else "") + f". Next: `mentorkit eligibility {program.key}`, then "
        f"`mentorkit match run {program.key}`.")


@cycles.command()
@program_argument
@click.argument("cycle")
@click.option("--now", "ignore_period", is_flag=True,
              help="Purge before the program's retention period is over.")
@click.option("--yes", is_flag=True, help="Do not ask; purge what the list says.")
def purge(program, cycle: str, ignore_period: bool, yes: bool) -> None:
    """Erase a closed CYCLE's personal data (names, e-mails, answers, notes, flags,
    attendance, responses), keeping anonymised counts; allowed once the program's retention
    period is over. People who are in a later cycle keep that cycle's records: only this
    year's go. The list of what goes, with counts, is shown before anything is erased."""
    plan = retention.plan(program, cycle, ignore_period=ignore_period)
    if plan.already:
        say(f"Cycle {cycle} was purged before; this run erases anything left and compacts "
            "the database file.")
    else:
        say(f"Purging {possessive(program.key)} cycle {cycle} erases:")
        for what, count in plan.places:
            say(f"  {count:>6,}  {what}")
        if plan.staying:
            say(f"{plan.staying} of its people are in a later cycle too: their records there "
                "stay as they are.")
    if not yes and not click.confirm("Erase it?", default=False):
        raise click.ClickException("nothing was erased")
    report = retention.purge(program, cycle, ignore_period=ignore_period)
    say(f"Purged cycle {cycle}: {report.participants} participants anonymised"
        + (f" ({report.forgotten} forgotten entirely)" if report.forgotten else "")
        + f", {report.notes} notes erased. Kept counts: {report.summary}")


def register(cli: click.Group) -> None:
    cli.add_command(cycles)
