"""``mentorkit match``: propose groups, review them, accept them."""

from __future__ import annotations

import datetime as dt

import click

from mentorkit import matchflow, pairs
from mentorkit.cli.output import emit, heading, say, stage_bar
from mentorkit.cli.params import DAY
from mentorkit.cli.programs import resolve_program
from mentorkit.storage.models import Membership


@click.group()
def match() -> None:
    """Form groups: run the program's matcher, review the proposal, accept it."""


def _show_result(proposal: matchflow.Proposal) -> None:
    people = proposal.people
    for placement in proposal.repair.placements:
        person = people[placement.member.person_id]
        say(f"  joins {placement.group}: {person.name} ({placement.member.role}): "
            f"{placement.reason}")
    for note in proposal.repair.notes:
        say(f"Note: {note}")
    for number, group in enumerate(proposal.result.groups, start=1):
        members = ", ".join(f"{people[m.person_id].name} ({m.role})" for m in group.members)
        fallback = f"  [fell back: {group.fallback}]" if group.fallback else ""
        say(f"{number:3d}. {group.shape} score {group.score:g}: {members}{fallback}")
        say(f"     why: {'; '.join(group.explanation)}")
    if proposal.result.unmatched:
        heading(f"\nUnmatched: {len(proposal.result.unmatched)}")
        for person_id, reason in sorted(proposal.result.unmatched.items()):
            say(f"  {people[person_id].name} ({people[person_id].role}): {reason}")
    for note in proposal.result.notes:
        say(f"Note: {note}")


def _proposal_json(proposal: matchflow.Proposal, stored: bool) -> dict:
    people = proposal.people

    def who(member):
        person = people[member.person_id]
        return {"id": person.id, "name": person.name, "role": member.role}

    return {
        "stored": stored,
        "groups": [{"shape": g.shape, "score": g.score, "members": [who(m) for m in g.members],
                    "why": list(g.explanation), "fallback": g.fallback}
                   for g in proposal.result.groups],
        "joins": [{"group": p.group, "member": who(p.member), "why": p.reason}
                  for p in proposal.repair.placements],
        "unmatched": [{"id": pid, "name": people[pid].name, "role": people[pid].role,
                       "why": why} for pid, why in sorted(proposal.result.unmatched.items())],
        "notes": [*proposal.repair.notes, *proposal.result.notes],
    }


@match.command()
@click.argument("program")
@click.option("--dry-run", is_flag=True, help="Show the proposal; store nothing.")
@click.option("--seed", default=0, show_default=True, help="Seed for matchers that randomise.")
@click.option("--json", "as_json", is_flag=True, help="Print the proposal as JSON for scripts.")
@click.pass_context
def run(ctx: click.Context, program: str, dry_run: bool, seed: int, as_json: bool) -> None:
    """Propose groups for PROGRAM's eligible, unmatched participants.

    The proposal replaces any earlier one and takes effect only with `match accept`."""
    ctx.obj.open_db()
    loaded = resolve_program(ctx, program)
    with stage_bar("Matching", matchflow.STAGES) as progress:
        proposal = matchflow.propose(loaded, seed=seed, progress=progress)
    if as_json:
        if proposal.empty:
            raise click.ClickException(f"nothing formed: "
                                       f"{matchflow.why_empty(loaded, proposal)}")
        if not dry_run:
            matchflow.store_proposal(loaded, proposal)
        emit([_proposal_json(proposal, stored=not dry_run)], (), as_json=True)
        return
    placed = sum(1 for p in proposal.people.values() if p.status == "matched")
    joins = len(proposal.repair.placements)
    heading(f"Proposal for {loaded.key}: {len(proposal.result.groups)} groups"
            + (f" and {joins} joins to existing groups" if joins else "")
            + f" from {len(proposal.people) - placed} participants to match"
            + (f" ({placed} already in active groups, which stay as they are)" if placed
               else ""))
    _show_result(proposal)
    if proposal.empty:
        raise click.ClickException(f"nothing formed: {matchflow.why_empty(loaded, proposal)}"
                                   + ("" if dry_run else "; any earlier proposal is kept"))
    if dry_run:
        say("\nDry run: nothing stored.")
        return
    matchflow.store_proposal(loaded, proposal)
    say(f"\nStored as a proposal (replacing any earlier one); accept it with "
        f"`mentorkit match accept {loaded.key}`.")


@match.command()
@click.argument("program")
@click.option("--starts-on", type=DAY,
              help="The day the groups start (cadence counts from it); default: today.")
@click.pass_context
def accept(ctx: click.Context, program: str, starts_on) -> None:
    """Accept PROGRAM's stored proposal: its groups become active, members matched."""
    ctx.obj.open_db()
    loaded = resolve_program(ctx, program)
    cycle = loaded.config.cycle
    start = starts_on.date() if starts_on else dt.datetime.now(cycle.zone).date()
    if not cycle.academic_year_start <= start <= cycle.academic_year_end:
        within = (f"{loaded.key}'s cycle {cycle.label} runs from {cycle.academic_year_start} "
                  f"to {cycle.academic_year_end}")
        if starts_on:  # a mistyped option
            raise click.BadParameter(f"{start} is outside the cycle: {within}",
                                     param_hint="--starts-on")
        raise click.ClickException(f"today ({start}) is outside the cycle: {within}; give "
                                   "--starts-on, or close the cycle (`mentorkit cycles close`)")
    groups, joins = matchflow.accept(loaded, starts_on.date() if starts_on else None)
    goals = loaded.config.goals
    say(f"Accepted {groups} groups for {loaded.key}"
        + (f", and {joins} {'person' if joins == 1 else 'people'} joining existing groups."
           if joins else "."))
    say(f"Next: each mentee sets {goals.count} {goals.title} with their group "
        f"(`mentorkit programs goals {loaded.key}` prints the template); resources: "
        f"`mentorkit programs resources {loaded.key}`.")


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
        memberships = list(group.memberships.order_by(Membership.id))
        members = ([{"id": m.participant_id, "name": m.participant.name,
                     "email": m.participant.email, "role": m.role, "left": bool(m.left_at),
                     "proposed_join": m.pending} for m in memberships] if as_json else
                   [f"{m.participant.name} ({m.role})" + (" [left]" if m.left_at else "")
                    + (" [proposed to join]" if m.pending else "") for m in memberships])
        rows.append({"group": group.label, "shape": group.shape, "status": group.status,
                     "score": group.score, "members": members, "why": group.explanation,
                     "fallback": group.fallback, "attention": group.attention,
                     "continues": group.continues, "purposes": group.purposes})
    emit(rows, ("group", "shape", "status", "score", "members", "fallback", "attention"),
         as_json)


def _pair_command(kind: str, summary: str):
    @match.command(kind, help=summary)
    @click.argument("program")
    @click.argument("first")
    @click.argument("second")
    @click.option("--reason", default="", help="Why (kept in the audit log).")
    @click.pass_context
    def command(ctx: click.Context, program: str, first: str, second: str, reason: str):
        ctx.obj.open_db()
        loaded = resolve_program(ctx, program)
        rule = pairs.set_rule(loaded, first, second, kind, reason)
        verb = "pinned together" if kind == "pin" else "forbidden from sharing a group"
        say(f"{rule.first.name} and {rule.second.name} are {verb} in {loaded.key}; "
            "the next `match run` honours it.")

    return command


_pair_command("pin", "Keep FIRST and SECOND (e-mail or id) in one group on every re-run.\n\n"
                     "A one-to-one matcher places a pinned pair before anyone else.")
_pair_command("forbid", "Never put FIRST and SECOND (e-mail or id) in one group: a conflict of "
                        "interest, a supervisor, a past complaint.")


@match.command("unpin")
@click.argument("program")
@click.argument("first")
@click.argument("second")
@click.pass_context
def clear(ctx: click.Context, program: str, first: str, second: str) -> None:
    """Remove the pin or forbid rule between FIRST and SECOND."""
    ctx.obj.open_db()
    loaded = resolve_program(ctx, program)
    if not pairs.clear_rule(loaded, first, second):
        raise click.ClickException(f"no pin or forbid rule between {first} and {second}")
    say(f"Rule removed; {first} and {second} are matched on fit alone.")


@match.command("rules")
@click.argument("program")
@click.option("--json", "as_json", is_flag=True, help="Print JSON for scripts.")
@click.pass_context
def list_rules(ctx: click.Context, program: str, as_json: bool) -> None:
    """List PROGRAM's pinned and forbidden pairs for the current cycle."""
    ctx.obj.open_db()
    loaded = resolve_program(ctx, program)
    rows = [{"kind": r.kind, "first": r.first.email, "second": r.second.email,
             "reason": r.reason, "by": r.created_by} for r in pairs.rules(loaded)]
    emit(rows, ("kind", "first", "second", "reason", "by"), as_json)


def register(cli: click.Group) -> None:
    cli.add_command(match)
