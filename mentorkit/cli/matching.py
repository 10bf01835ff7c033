"""``mentorkit match``: propose groups, review them, accept them."""

from __future__ import annotations

import click

from mentorkit import matchflow
from mentorkit.cli.output import emit, heading
from mentorkit.cli.programs import resolve_program
from mentorkit.storage.models import Membership


@click.group()
def match() -> None:
    """Form groups: run the program's matcher, review the proposal, accept it."""


def _show_result(proposal: matchflow.Proposal) -> None:
    people = proposal.people
    for number, group in enumerate(proposal.result.groups, start=1):
        members = ", ".join(f"{people[m.person_id].name} ({m.role})" for m in group.members)
        fallback = f"  [fell back: {group.fallback}]" if group.fallback else ""
        click.echo(f"{number:3d}. {group.shape} score {group.score:g}: {members}{fallback}")
        click.echo(f"     why: {'; '.join(group.explanation)}")
    if proposal.result.unmatched:
        heading(f"\nUnmatched: {len(proposal.result.unmatched)}")
        for person_id, reason in sorted(proposal.result.unmatched.items()):
            click.echo(f"  {people[person_id].name} ({people[person_id].role}): {reason}")
    for note in proposal.result.notes:
        click.echo(f"Note: {note}")


@match.command()
@click.argument("program")
@click.option("--dry-run", is_flag=True, help="Show the proposal; store nothing.")
@click.option("--seed", default=0, show_default=True, help="Seed for matchers that randomise.")
@click.pass_context
def run(ctx: click.Context, program: str, dry_run: bool, seed: int) -> None:
    """Propose groups for PROGRAM's eligible, unmatched participants.

    The proposal replaces any earlier one and takes effect only with `match accept`."""
    ctx.obj.open_db()
    loaded = resolve_program(ctx, program)
    proposal = matchflow.propose(loaded, seed=seed)
    heading(f"Proposal for {loaded.key}: {len(proposal.result.groups)} groups from "
            f"{len(proposal.people)} eligible participants")
    _show_result(proposal)
    if dry_run:
        click.echo("\nDry run: nothing stored.")
        return
    matchflow.store_proposal(loaded, proposal)
    click.echo(f"\nStored as a proposal; accept it with `mentorkit match accept {loaded.key}`.")


@match.command()
@click.argument("program")
@click.pass_context
def accept(ctx: click.Context, program: str) -> None:
    """Accept PROGRAM's stored proposal: its groups become active, members matched."""
    ctx.obj.open_db()
    loaded = resolve_program(ctx, program)
    count = matchflow.accept(loaded)
    click.echo(f"Accepted {count} groups for {loaded.key}.")


@match.command()
@click.argument("program")
@click.option("--status", type=click.Choice(["proposed", "active", "completed"]))
@click.option("--json", "as_json", is_flag=True, help="Print JSON for scripts.")
@click.pass_context
def show(ctx: click.Context, program: str, status: str | None, as_json: bool) -> None:
    """List PROGRAM's groups with their members and why they were formed."""
    ctx.obj.open_db()
    loaded = resolve_program(ctx, program)
    rows = []
    for group in matchflow.groups_of(loaded, status):
        members = [f"{m.participant.name} ({m.role})"
                   for m in group.memberships.order_by(Membership.id)]
        rows.append({"group": group.label, "shape": group.shape, "status": group.status,
                     "score": group.score, "members": members, "why": group.explanation,
                     "fallback": group.fallback})
    emit(rows, ("group", "shape", "status", "score", "members", "fallback"), as_json)


def register(cli: click.Group) -> None:
    cli.add_command(match)
