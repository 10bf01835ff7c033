"""``mentorkit cycles``: a program's cycles (academic years): list, close, purge."""

from __future__ import annotations

from pathlib import Path

import click

from mentorkit.cli.lazy import lazy
from mentorkit.cli.output import done, emit, say, warn
from mentorkit.cli.params import json_option, program_argument
from mentorkit.views.words import plural, possessive

cycles_service = lazy("mentorkit.services.cycles")
retention = lazy("mentorkit.services.retention")


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
@click.option("--yes", is_flag=True, help="Do not ask; close it.")
@json_option
def close(program, next_config: Path | None, yes: bool, as_json: bool) -> None:
    """Close PROGRAM's current cycle: active groups complete; groups that opted in continue
    with the same members in the next cycle. Where the program carries everyone
    (cycle.carry = "everyone", the default), everyone else who was in a group returns to its
    pool as applied, so eligibility is checked again; where it carries only continuing groups
    ("continuing"), anyone else takes part again only by signing up again. People who were in
    no group (a mentor left available, a late sign-up) are not carried: next year's sign-up
    export brings them."""
    text = next_config.read_text(encoding="utf-8") if next_config else None
    cycles_service.check_closable(program, text, str(next_config or "next cycle"))
    if (why := cycles_service.closing_early(program)) is not None:
        warn(why)
    if not yes:  # asked once the closing is known to be possible
        click.confirm("Complete every active group and open the next cycle?", abort=True)
    closed = cycles_service.close_cycle(program, text, str(next_config or "next cycle"))
    done(as_json, {"closed": program.config.cycle.label, "next": closed.next_label,
                   "completed_groups": closed.completed_groups,
                   "continuing_groups": closed.continuing_groups,
                   "returning": closed.returning, "finished": closed.finished,
                   "lapsed_proposal_groups": closed.lapsed},
         f"Closed; {plural(closed.completed_groups, 'group')} completed, "
         f"{closed.continuing_groups} "
         f"{'continues' if closed.continuing_groups == 1 else 'continue'} into "
         f"{closed.next_label}, {plural(closed.returning, 'person', 'people')} "
         f"{'returns' if closed.returning == 1 else 'return'} to the pool"
         + (f", {closed.finished} {'has' if closed.finished == 1 else 'have'} finished "
            "(past their last year)" if closed.finished else "")
         + (f"; a proposal of {plural(closed.lapsed, 'group')}, never accepted, lapsed"
            if closed.lapsed else "")
         + f". Next: `mentorkit eligibility {program.key}`, then "
         f"`mentorkit match run {program.key}`.")


@cycles.command()
@program_argument
@click.argument("cycle")
@click.option("--now", "ignore_period", is_flag=True,
              help="Purge before the program's retention period is over.")
@click.option("--yes", is_flag=True, help="Do not ask; purge what the list says.")
@json_option
def purge(program, cycle: str, ignore_period: bool, yes: bool, as_json: bool) -> None:
    """Erase a closed CYCLE's personal data (names, e-mails, answers, notes, flags,
    attendance, responses), keeping anonymised counts; allowed once the program's retention
    period is over. People who are in a later cycle keep that cycle's records: only this
    year's go. The list of what goes, with counts, is shown before anything is erased."""
    plan = retention.plan(program, cycle, ignore_period=ignore_period)
    if as_json and not yes:
        raise click.UsageError("--json goes with --yes (a script cannot answer the question)")
    if as_json:
        pass  # the record below says what was erased
    elif plan.already:
        say(f"Cycle {cycle} was purged before; this run erases anything left and compacts "
            "the database file.")
    else:
        say(f"Purging {possessive(program.key)} cycle {cycle} erases:")
        for what, count in plan.places:
            say(f"  {count:>6,}  {what}")
        if plan.staying:
            say(f"{plan.staying} of its people are in a later cycle too: their records there "
                "stay as they are.")
        if plan.history_unused:
            warn(f"who was grouped with whom in {cycle} goes too, and the open cycle is not "
                 "matched yet: its matching can then no longer avoid (or keep) last year's "
                 f"groups (matching.history); run `mentorkit match run {program.key}` and "
                 "accept it before purging to have it used")
    if not yes and not click.confirm("Erase it?", default=False):
        raise click.ClickException("nothing was erased")
    report = retention.purge(program, cycle, ignore_period=ignore_period)
    if plan.already:
        done(as_json, {"cycle": cycle, "already_purged": True, "files": report.files},
             f"Cycle {cycle} had been purged; the database is compacted"
             + (f" and {plural(report.files, 'file')} mentorkit wrote erased"
                if report.files else "") + ".")
        return
    if report.files_left:
        warn(f"{plural(report.files_left, 'file')} mentorkit wrote with this cycle's data "
             "were moved, replaced or are no longer yours, and were left where they are: "
             "erase them yourself if they still hold it")
    kept = "; ".join(f"{kind}: " + (", ".join(f"{n} {what.replace('/', ' ')}"
                                             for what, n in counts.items()) or "none")
                     for kind, counts in report.summary.items())
    done(as_json, {"cycle": cycle, "participants": report.participants,
                   "forgotten": report.forgotten, "notes": report.notes,
                   "files": report.files, "files_left": report.files_left,
                   "kept": report.summary},
         f"Purged cycle {cycle}: {plural(report.participants, 'participant')} anonymised"
         + (f" ({report.forgotten} forgotten entirely)" if report.forgotten else "")
         + f", {plural(report.notes, 'note')} erased"
         + (f", {plural(report.files, 'file')} mentorkit wrote erased" if report.files
            else "") + f". Kept, as counts that name no one: {kept}.")


def register(cli: click.Group) -> None:
    cli.add_command(cycles)
