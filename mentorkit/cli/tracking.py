"""Tracking commands: a relationship's purposes, participants' training and surveys."""

from __future__ import annotations

import click

from mentorkit import tracking
from mentorkit.cli.matching import match
from mentorkit.cli.output import emit, say
from mentorkit.cli.params import DAY
from mentorkit.cli.participants import participants
from mentorkit.cli.programs import resolve_program
from mentorkit.meetings import find_group


@match.command()
@click.argument("program")
@click.argument("group")
@click.argument("purposes", nargs=-1)
@click.pass_context
def purposes(ctx: click.Context, program: str, group: str, purposes: tuple[str, ...]) -> None:
    """Record which of PROGRAM's purposes GROUP serves (academic support, professional
    development, ...); with none given, show them."""
    ctx.obj.open_db()
    loaded = resolve_program(ctx, program)
    if purposes:
        found = tracking.set_purposes(loaded, group, purposes)
    else:
        found = find_group(loaded, group)
    say(f"{found.label} serves: {', '.join(found.purposes) or '(none recorded)'}")


@participants.command()
@click.argument("program")
@click.argument("person")
@click.argument("activity")
@click.option("--on", "on", type=DAY, help="When (YYYY-MM-DD).")
@click.pass_context
def attend(ctx: click.Context, program: str, person: str, activity: str, on) -> None:
    """Record that PERSON took part in ACTIVITY (a training session, workshop or survey)."""
    ctx.obj.open_db()
    loaded = resolve_program(ctx, program)
    tracking.attend(loaded, person, activity, on.date() if on else None)
    say(f"Recorded: {person} took part in {activity!r}.")


@participants.command()
@click.argument("program")
@click.option("--json", "as_json", is_flag=True, help="Print JSON for scripts.")
@click.option("--missing", is_flag=True, help="Only people missing a required activity.")
@click.pass_context
def activities(ctx: click.Context, program: str, as_json: bool, missing: bool) -> None:
    """Who took part in which of PROGRAM's activities, and what each still owes."""
    ctx.obj.open_db()
    loaded = resolve_program(ctx, program)
    rows = [{"name": r.participant.name, "role": r.participant.role,
             "attended": list(r.attended), "missing": list(r.missing)}
            for r in tracking.activity_report(loaded) if r.missing or not missing]
    emit(rows, ("name", "role", "attended", "missing"), as_json)


def register(cli: click.Group) -> None:
    """Commands attach to the participants and match groups (imported above)."""
