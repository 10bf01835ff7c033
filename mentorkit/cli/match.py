"""``mentorkit match``: propose groups, review them, accept them; pin and forbid pairs; a
change of match; continuation; the purposes a relationship serves."""

from __future__ import annotations

import click

from mentorkit.cli.lazy import lazy
from mentorkit.cli.output import done, emit, heading, say, stage_bar, warn
from mentorkit.cli.params import DAY, cycle_option, json_option, program_argument
from mentorkit.views.words import listing, plural

acceptance = lazy("mentorkit.services.acceptance")
flags = lazy("mentorkit.services.flags")
groups = lazy("mentorkit.services.groups")
lifecycle = lazy("mentorkit.services.lifecycle")
pairs = lazy("mentorkit.services.pairs")
proposals = lazy("mentorkit.services.proposals")
tracking = lazy("mentorkit.services.tracking")
audience = lazy("mentorkit.views.audience")


@click.group()
def match() -> None:
    """Form groups: run the program's matcher, review the proposal, accept it."""


def _show_result(proposal: proposals.Proposal, why) -> None:
    def who(person_id: int, role: str) -> str:
        return f"{proposal.name(person_id)} ({role})"

    for placement in proposal.repair.placements:
        say(f"  joins {placement.group}: {who(placement.member.person_id, placement.member.role)}"
            f": {placement.reason}")
    for note in proposal.repair.notes:
        say(f"Note: {note}")
    for number, group in enumerate(proposal.result.groups, start=1):
        members = ", ".join(who(m.person_id, m.role) for m in group.members)
        fallback = f"  [fell back: {group.fallback}]" if group.fallback else ""
        say(f"{number:3d}. {group.shape} score {group.score:g}: {members}{fallback}")
        say(f"     why: {'; '.join(why(group.explanation))}")
    if proposal.result.unmatched:
        heading(f"\nUnmatched: {len(proposal.result.unmatched)}")
        for person_id, reason in sorted(proposal.result.unmatched.items()):
            say(f"  {who(person_id, proposal.role(person_id))}: {reason}")
    for note in proposal.result.notes:
        say(f"Note: {note}")


def _proposal_json(proposal: proposals.Proposal, stored: bool, why) -> dict:
    def who(person_id: int, role: str) -> dict:
        return {"id": person_id, "name": proposal.name(person_id), "role": role}

    return {
        "stored": stored,
        "groups": [{"shape": g.shape, "score": g.score,
                    "members": [who(m.person_id, m.role) for m in g.members],
                    "why": why(g.explanation), "fallback": g.fallback}
                   for g in proposal.result.groups],
        "joins": [{"group": p.group, "member": who(p.member.person_id, p.member.role),
                   "why": p.reason} for p in proposal.repair.placements],
        "unmatched": [{**who(pid, proposal.role(pid)), "why": why}
                      for pid, why in sorted(proposal.result.unmatched.items())],
        "notes": [*proposal.repair.notes, *proposal.result.notes],
    }


@match.command()
@program_argument
@click.option("--dry-run", is_flag=True, help="Show the proposal; store nothing.")
@click.option("--seed", default=0, show_default=True, help="Seed for matchers that randomise.")
@click.option("--json", "as_json", is_flag=True, help="Print the proposal as JSON for scripts.")
def run(program, dry_run: bool, seed: int, as_json: bool) -> None:
    """Propose groups for PROGRAM's eligible, unmatched participants.

    The proposal replaces any earlier one and takes effect only with `match accept`."""
    with stage_bar("Matching", proposals.STAGES) as progress:
        proposal = proposals.propose(program, seed=seed, progress=progress)
    why = audience.Viewer.administrator(program).why  # reasons as an administrator reads them
    if waiting := proposals.unchecked(program):
        warn(f"{plural(waiting, 'sign-up')} not checked yet, and left out of this run: run "
             f"`mentorkit eligibility {program.key}` first")
    if as_json:
        if proposal.empty:
            raise click.ClickException(f"nothing formed: "
                                       f"{proposals.why_empty(program, proposal)}")
        if not dry_run:
            proposals.store_proposal(program, proposal)
        emit([_proposal_json(proposal, stored=not dry_run, why=why)], (), as_json=True)
        return
    placed, joins = proposal.already_placed, len(proposal.repair.placements)
    heading(f"Proposal for {program.key}: {len(proposal.result.groups)} groups"
            + (f" and {joins} joins to existing groups" if joins else "")
            + f" from {len(proposal.participants) - placed} participants to match"
            + (f" ({placed} already in active groups, which stay as they are)" if placed
               else ""))
    _show_result(proposal, why)
    if proposal.empty:
        raise click.ClickException(f"nothing formed: {proposals.why_empty(program, proposal)}"
                                   + ("" if dry_run else "; any earlier proposal is kept"))
    if dry_run:
        say("\nDry run: nothing stored.")
        return
    proposals.store_proposal(program, proposal)
    say(f"\nStored as a proposal (replacing any earlier one); accept it with "
        f"`mentorkit match accept {program.key}`.")


@match.command()
@program_argument
@click.option("--starts-on", type=DAY,
              help="The day the groups start (cadence counts from it); default: today.")
@json_option
def accept(program, starts_on, as_json: bool) -> None:
    """Accept PROGRAM's stored proposal: its groups become active, members matched."""
    with stage_bar("Accepting", 1) as progress:
        progress("writing the groups", acceptance.proposed_people(program))
        try:
            formed, joins = acceptance.accept(program, starts_on.date() if starts_on else None)
        except acceptance.OutsideCycle as error:
            if error.given:  # a mistyped option
                raise click.BadParameter(str(error), param_hint="--starts-on") from None
            raise
    goals = program.config.goals
    setters = ("each mentee" if any("mentee" in role.sides for role in program.config.roles)
               else "each member")  # circles have peers, not mentees
    done(as_json, {"program": program.key, "groups": formed, "joins": joins},
         f"Accepted {plural(formed, 'group')} for {program.key}"
         + (f", and {plural(joins, 'person', 'people')} joining existing groups."
            if joins else "."),
         f"Next: introduce the groups (`mentorkit notify {program.key} intro`); {setters} "
         f"sets {goals.count} {goals.title} with their group (`mentorkit programs goals "
         f"{program.key}` prints the template).")


@match.command()
@program_argument
@cycle_option
@click.option("--status", type=click.Choice(["proposed", "active", "completed", "dissolved"]),
              help="Only groups of this status (default: every group of the cycle).")
@json_option
def show(program, status: str | None, as_json: bool) -> None:
    """List PROGRAM's groups with their members and why they were formed."""
    rows = groups.listing(program, status)
    if as_json:
        emit(rows, (), as_json=True)
        return
    emit([{"group": g.group, "shape": g.shape, "status": g.status, "score": g.score,
           "members": [f"{m.name} ({m.role})" + (" [left]" if m.left else "")
                       + (" [proposed to join]" if m.proposed_join else "") for m in g.members],
           "fallback": g.fallback, "attention": g.attention} for g in rows],
         ("group", "shape", "status", "score", "members", "fallback", "attention"), False)


def _pair_command(kind: str, summary: str):
    @match.command(kind, help=summary)
    @program_argument
    @click.argument("first")
    @click.argument("second")
    @click.option("--reason", default="", help="Why (kept in the audit log).")
    @json_option
    def command(program, first: str, second: str, reason: str, as_json: bool):
        names = pairs.set_rule(program, first, second, kind, reason)
        verb = "pinned together" if kind == "pin" else "forbidden from sharing a group"
        done(as_json, {"kind": kind, "first": first, "second": second},
             f"{names[0]} and {names[1]} are {verb} in {program.key}; "
             "the next `match run` honours it.")

    return command


_pair_command("pin", "Keep FIRST and SECOND (e-mail or id) in one group on every re-run.\n\n"
                     "A matcher that pairs mentees with mentors places a pinned pair "
                     "before anyone else.")
_pair_command("forbid", "Never put FIRST and SECOND (e-mail or id) in one group: a conflict of "
                        "interest, a supervisor, a past complaint.")


@match.command("unpin")
@program_argument
@click.argument("first")
@click.argument("second")
@json_option
def clear(program, first: str, second: str, as_json: bool) -> None:
    """Remove the pin or forbid rule between FIRST and SECOND."""
    if not pairs.clear_rule(program, first, second):
        raise click.ClickException(f"no pin or forbid rule between {first} and {second}")
    done(as_json, {"first": first, "second": second, "removed": True},
         f"Rule removed; {first} and {second} are matched on fit alone.")


@match.command("rules")
@program_argument
@cycle_option
@json_option
def list_rules(program, as_json: bool) -> None:
    """List PROGRAM's pinned and forbidden pairs for the current cycle."""
    emit(pairs.listing(program), ("kind", "first", "second", "reason", "by"), as_json)



@match.command()
@program_argument
@click.argument("person")
@click.option("--with", "with_ref", metavar="OTHER",
              help="The relationship to end: the one PERSON has with OTHER (e-mail or id), "
                   "where PERSON is in several groups.")
@click.option("--group", "group_label", metavar="LABEL",
              help="The relationship to end: PERSON's place in this group.")
@click.option("--reason", default="", help="Optional; none is required.")
@click.option("--on", "on", type=DAY, help="The day it takes effect; default: today.")
@json_option
def change(program, person: str, with_ref: str | None, group_label: str | None, reason: str,
           on, as_json: bool) -> None:
    """Record PERSON's request for a change of match: a pair ends (both are freed, and not
    paired again), or PERSON leaves a larger group (it is flagged). A mentor of several
    names the relationship with --with or --group; every other group stays as it is, and
    the next `match run` re-matches only the people freed."""
    try:
        freed = lifecycle.request_change(program, person, reason, with_ref=with_ref,
                                         group_label=group_label,
                                         on=on.date() if on else None)
    except lifecycle.DateError as error:
        raise click.BadParameter(str(error), param_hint="--on") from None
    except lifecycle.ChangeAmbiguous as error:
        raise click.UsageError(str(error)) from None
    done(as_json, {"person": person, "freed": list(freed)},
         f"Freed for re-matching: {listing(freed)}. Every other group stays as it is; run "
         f"`mentorkit match run {program.key}` to propose new matches for them.")


@match.command("flags")
@program_argument
@cycle_option
@click.argument("group")
@click.option("--all", "everything", is_flag=True, help="Resolved flags too.")
@json_option
def list_flags(program, group: str, everything: bool, as_json: bool) -> None:
    """GROUP's flags: why an administrator should look (a withdrawal, a change request, a
    referred note), open until resolved."""
    emit(flags.listing(program, group, everything),
         ("id", "group", "text", "raised", "resolved", "resolution"), as_json)


@match.command()
@program_argument
@cycle_option
@click.argument("group")
@click.option("--flag", "flag_id", type=int, help="Only this flag (see `match flags`).")
@click.option("--note", default="", help="What was done about it.")
@json_option
def resolve(program, group: str, flag_id: int | None, note: str, as_json: bool) -> None:
    """Resolve GROUP's open flags (or one of them, --flag N), saying what was done."""
    count = flags.resolve(program, group, flag_id, note)
    done(as_json, {"group": group, "resolved": count},
         f"Resolved {plural(count, 'flag')} of {group}.")


@match.command("continue")
@program_argument
@click.argument("group")
@click.option("--undo", is_flag=True, help="Take the opt-in back.")
@json_option
def continue_(program, group: str, undo: bool, as_json: bool) -> None:
    """Opt GROUP in to continue, with the same members, into PROGRAM's next cycle."""
    label = lifecycle.mark_continue(program, group, continues=not undo)
    done(as_json, {"group": label, "continues": not undo},
         f"Group {label} " + ("will not continue." if undo
                              else "continues into the next cycle."))


@match.command()
@program_argument
@click.argument("group")
@click.argument("purposes", nargs=-1)
@json_option
def purposes(program, group: str, purposes: tuple[str, ...], as_json: bool) -> None:
    """Record which of PROGRAM's purposes GROUP serves (academic support, professional
    development, ...); with none given, show them."""
    served = tracking.purposes(program, group, purposes)
    done(as_json, {"group": group, "purposes": list(served)},
         f"{group} serves: {', '.join(served) or '(none recorded)'}")


def register(cli: click.Group) -> None:
    cli.add_command(match)
