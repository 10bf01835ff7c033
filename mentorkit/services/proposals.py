"""Running a program's matcher and keeping its result as a proposal until accepted.

A matcher only proposes. The proposal is stored as groups with status ``proposed`` (replacing
any earlier proposal), and only ``accept`` makes them active and the members ``matched``, so an
administrator can rerun matching freely until the proposal looks right.
"""

from __future__ import annotations

from collections.abc import Callable

import attrs
import peewee as pw

from mentorkit.kernel.errors import MentorkitError
from mentorkit.kernel.guard import component_hook
from mentorkit.kernel.program import Program
from mentorkit.kernel.values import CurrentGroup, MatchPool, MatchResult, Member, RepairResult
from mentorkit.services import tracking
from mentorkit.services.lookup import current_cycle, open_cycle, program_record
from mentorkit.services.lookup import groups as lookup_groups
from mentorkit.services.pool import POOL_STATUSES, continued_intact, match_pool
from mentorkit.storage import audit
from mentorkit.storage.models import Group, Membership, Participant, database
from mentorkit.views.audience import TOGETHER_BEFORE


class MatchError(MentorkitError, RuntimeError):
    """Nothing to propose or to accept, or a proposal that no longer fits the pool."""


@attrs.frozen
class Proposal:
    """New groups for the people left, and the joins of freed people to existing groups;
    ``participants`` are the pool's participants by id (their names, roles and statuses are
    what the administrator sees of them)."""

    result: MatchResult
    participants: dict[int, Participant]
    repair: RepairResult = attrs.field(factory=RepairResult)

    @property
    def empty(self) -> bool:
        return not (self.result.groups or self.repair.placements)

    def name(self, person_id: int) -> str:
        return self.participants[person_id].name

    def role(self, person_id: int) -> str:
        return self.participants[person_id].role

    @property
    def already_placed(self) -> int:
        """Pool members already in active groups, which stay as they are."""
        return sum(1 for p in self.participants.values() if p.status == "matched")


def _joined(groups: tuple[CurrentGroup, ...], placements) -> tuple[CurrentGroup, ...]:
    added: dict[str, list[Member]] = {}
    for placement in placements:
        added.setdefault(placement.group, []).append(placement.member)
    return tuple(attrs.evolve(g, members=(*g.members, *added.get(g.label, ())))
                 for g in groups)


STAGES = 3  # what propose() reports to ``progress``


def propose(program: Program, seed: int = 0,
            progress: Callable[[str, int], None] = lambda stage, people: None) -> Proposal:
    """First the matcher's repair step places freed people into existing groups that can
    take them; then it forms new groups from whoever is left. Other groups stay as they are.
    ``progress`` is told each of the STAGES and how many people it works on."""
    pool, participants = match_pool(program, seed)
    people = pool.people
    progress(f"read {len(participants):,} participants", len(participants))
    repair = RepairResult()
    freed = pool.free()
    # a group continued into this cycle keeps exactly its members, unless one has left it
    kept = continued_intact(program)
    open_groups = tuple(g for g in pool.current if g.label not in kept)
    with component_hook(program.matcher, "matcher"):  # a bug aborts, naming the plugin
        progress(f"offering {len(freed):,} to existing groups" if open_groups and freed
                 else "no existing group to join", len(participants))
        if open_groups and freed:
            repair = program.matcher.repair(open_groups, freed, pool)
            _check_placements(attrs.evolve(pool, current=open_groups), repair)
        placed = {p.member.person_id for p in repair.placements}
        if placed:
            pool = attrs.evolve(pool, people=[p for p in people if p.id not in placed],
                                current=_joined(pool.current, repair.placements))
        progress(f"matching {len(pool.people):,} people", len(participants))
        result = program.matcher.match(pool)
    result = _with_history(program, pool, result, {p.id: p.name for p in participants})
    if pool.current and result.unmatched:  # say the existing groups were tried as well
        result = attrs.evolve(result, unmatched={
            pid: f"{why}; no existing group can take them" for pid, why in
            result.unmatched.items()})
    return Proposal(result, {p.id: p for p in participants}, repair)


POLICY = {"avoid": "matching.history avoids it where another fit places as many people",
          "allow": "matching.history lets fit alone decide",
          "prefer": "matching.history keeps earlier groups together where it can"}


def _together_again(ids: list[int], history, names: dict[int, str]) -> list[str]:
    """Per earlier group, who of ``ids`` were in it together: "Ana, Bo and Cy were together
    in lgbtq-triads-004 in 2026-2027 too"."""
    earlier: dict[str, set[int]] = {}
    for n, a in enumerate(ids):
        for b in ids[n + 1:]:
            if when := history.get(frozenset((a, b))):
                earlier.setdefault(when, set()).update((a, b))
    lines = []
    for when, people in sorted(earlier.items()):
        shown = [names[i] for i in sorted(people)]
        listed = (", ".join(shown[:-1]) + f" and {shown[-1]}" if len(shown) <= 4 else
                  ", ".join(shown[:3]) + f" and {len(shown) - 3} others")
        group, _, cycle = when.partition(" in ")
        lines.append(TOGETHER_BEFORE.format(people=listed, group=group, cycle=cycle))
    return lines


def _with_history(program: Program, pool: MatchPool, result: MatchResult,
                  names: dict[int, str]) -> MatchResult:
    """Where history decided, say so: each proposed group that puts together people who
    were in a group before says who, in which group and why that stands; a note counts the
    earlier pairs in the pool and how many are together again."""
    if not pool.history:
        return result
    policy = program.config.matching.history
    again = 0
    groups = []
    for group in result.groups:
        ids = sorted(m.person_id for m in group.members)
        again += sum(1 for n, a in enumerate(ids) for b in ids[n + 1:]
                     if frozenset((a, b)) in pool.history)
        lines = _together_again(ids, pool.history, names)
        if lines:
            lines[-1] += f" ({POLICY[policy]})"
        groups.append(attrs.evolve(group, explanation=(*group.explanation, *lines))
                      if lines else group)
    note = (f"earlier groups: {len(pool.history)} pairs in this pool were in a group together "
            f"in an earlier cycle; {again} of them are together again in this proposal "
            f"({POLICY[policy]})")
    return attrs.evolve(result, groups=tuple(groups), notes=(*result.notes, note))


def _check_placements(pool: MatchPool, repair: RepairResult) -> None:
    """A repair step may only add free people, once each, to groups that exist."""
    labels = {g.label for g in pool.current}
    free = {p.id for p in pool.free()}
    seen: set[int] = set()
    for placement in repair.placements:
        person = placement.member.person_id
        if placement.group not in labels or person not in free or person in seen:
            raise ValueError("the repair step placed someone it may not")
        seen.add(person)


def pending_joins(cycle) -> pw.ModelSelect:
    return (Membership.select().join(Group)
            .where((Group.cycle == cycle) & Membership.pending))


def store_proposal(program: Program, proposal: Proposal) -> list[Group]:
    """Replace the cycle's previous proposal with this one, in one transaction. An empty
    proposal is refused: it would only throw an earlier one away."""
    cycle = open_cycle(program)  # a closed cycle's records no longer change
    if proposal.empty:
        raise MatchError(f"nothing to propose for {program.key}: {why_empty(program, proposal)}")
    record = program_record(program.key)
    with database.atomic():
        Group.delete().where((Group.cycle == cycle) & (Group.status == "proposed")).execute()
        Membership.delete().where(Membership.id.in_(
            [m.id for m in pending_joins(cycle)])).execute()
        by_label = {g.label: g for g in lookup_groups(program, ["active"])}
        for placement in proposal.repair.placements:
            Membership.create(group=by_label[placement.group], pending=True,
                              participant=placement.member.person_id,
                              role=placement.member.role,
                              join={"reason": placement.reason, "shape": placement.shape})
        groups = []
        # labels go on from every group the program ever had (a continued group keeps its
        # own), so a label names one group in audits, notes and letters across years, and
        # a re-match never reuses one
        numbers = [int(label.rsplit("-", 1)[1]) for (label,) in
                   Group.select(Group.label).where(Group.program == record).tuples()
                   if label.rsplit("-", 1)[-1].isdigit()]
        first = max(numbers, default=0) + 1
        for number, proposed in enumerate(proposal.result.groups, start=first):
            answers = [proposal.participants[m.person_id].answers for m in proposed.members]
            group = Group.create(program=record, cycle=cycle, label=f"{program.key}-{number:03d}",
                                 shape=proposed.shape, score=proposed.score,
                                 explanation=list(proposed.explanation),
                                 fallback=proposed.fallback,
                                 purposes=tracking.purposes_from(program, answers))
            for member in proposed.members:
                Membership.create(group=group, participant=member.person_id, role=member.role)
            groups.append(group)
        audit.record("match.propose", program.key, groups=len(groups),
                     joins=len(proposal.repair.placements),
                     unmatched=len(proposal.result.unmatched))
    return groups


def unchecked(program: Program) -> int:
    """How many of the cycle's sign-ups eligibility has not judged yet (matching leaves them
    out: a run after a new import, before `eligibility`, would place none of them)."""
    return Participant.select().where((Participant.cycle == current_cycle(program))
                                      & (Participant.status == "applied")).count()


def why_empty(program: Program, proposal: Proposal) -> str:
    """Why a run formed nothing, in words a coordinator can act on."""
    cycle = current_cycle(program)
    statuses = {row.status: row.n for row in Participant.select(
        Participant.status, pw.fn.COUNT(Participant.id).alias("n"))
        .where(Participant.cycle == cycle).group_by(Participant.status)}
    if not statuses:
        return (f"no one has signed up in this cycle; import sign-ups first "
                f"(`mentorkit participants import {program.key} FILE`)")
    if not any(statuses.get(s) for s in POOL_STATUSES) and statuses.get("applied"):
        return (f"{statuses['applied']} people are not checked yet; run "
                f"`mentorkit eligibility {program.key}` first")
    free = sum(1 for p in proposal.participants.values() if p.status != "matched")
    if not free:
        return "everyone eligible is already in an active group"
    reasons = sorted(set(proposal.result.unmatched.values()))
    return (f"{free} people to place, but no group could be formed"
            + (f" ({'; '.join(reasons[:3])})" if reasons else ""))
