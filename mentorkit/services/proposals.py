"""Running a program's matcher and keeping its result as a proposal until accepted.

A matcher only proposes. The proposal is stored as groups with status ``proposed`` (replacing
any earlier proposal), and only ``accept`` makes them active and the members ``matched``, so an
administrator can rerun matching freely until the proposal looks right.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import attrs
import peewee as pw

from mentorkit.kernel.errors import MentorkitError
from mentorkit.kernel.guard import component_hook
from mentorkit.kernel.program import Program
from mentorkit.kernel.values import CurrentGroup, MatchPool, MatchResult, Member, RepairResult
from mentorkit.services import flags, membership, pairs, relationships, tracking
from mentorkit.services.lifecycle import set_status
from mentorkit.services.lookup import current_cycle, open_cycle, program_record
from mentorkit.services.lookup import groups as lookup_groups
from mentorkit.services.pool import POOL_STATUSES, match_pool
from mentorkit.storage import audit
from mentorkit.storage.models import Group, Membership, Participant, database


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
    with component_hook(program.matcher, "matcher"):  # a bug aborts, naming the plugin
        progress(f"offering {len(freed):,} to existing groups" if pool.current and freed
                 else "no existing group to join", len(participants))
        if pool.current and freed:
            repair = program.matcher.repair(pool.current, freed, pool)
            _check_placements(pool, repair)
        placed = {p.member.person_id for p in repair.placements}
        if placed:
            pool = attrs.evolve(pool, people=[p for p in people if p.id not in placed],
                                current=_joined(pool.current, repair.placements))
        progress(f"matching {len(pool.people):,} people", len(participants))
        result = program.matcher.match(pool)
    if pool.current and result.unmatched:  # say the existing groups were tried as well
        result = attrs.evolve(result, unmatched={
            pid: f"{why}; no existing group can take them" for pid, why in
            result.unmatched.items()})
    return Proposal(result, {p.id: p for p in participants}, repair)


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


def _pending(cycle) -> pw.ModelSelect:
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
            [m.id for m in _pending(cycle)])).execute()
        by_label = {g.label: g for g in lookup_groups(program, ["active"])}
        for placement in proposal.repair.placements:
            Membership.create(group=by_label[placement.group], pending=True,
                              participant=placement.member.person_id,
                              role=placement.member.role,
                              join={"reason": placement.reason, "shape": placement.shape})
        groups = []
        # labels go on from the cycle's earlier groups (and those carried into it), so a
        # re-match never reuses one
        numbers = [int(g.label.rsplit("-", 1)[1]) for g in lookup_groups(program)
                   if g.label.rsplit("-", 1)[-1].isdigit()]
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


class OutsideCycle(MentorkitError):
    """A start date outside the program's cycle; ``given``: the coordinator typed it."""

    def __init__(self, message: str, given: bool) -> None:
        super().__init__(message)
        self.given = given


def start_date(program: Program, starts_on: dt.date | None = None) -> dt.date:
    """The day accepted groups start (cadence counts from it): ``starts_on``, or today in the
    program's time zone; it must lie within the program's cycle."""
    cycle = program.config.cycle
    start = starts_on or dt.datetime.now(cycle.zone).date()
    if cycle.academic_year_start <= start <= cycle.academic_year_end:
        return start
    within = (f"{program.key}'s cycle {cycle.label} runs from {cycle.academic_year_start} to "
              f"{cycle.academic_year_end}")
    if starts_on:
        raise OutsideCycle(f"{start} is outside the cycle: {within}", given=True)
    raise OutsideCycle(f"today ({start}) is outside the cycle: {within}; give a start date, "
                       "or close the cycle (`mentorkit cycles close`)", given=False)


def accept(program: Program, starts_on: dt.date | None = None) -> tuple[int, int]:
    """Make the stored proposal active, the groups starting on ``starts_on`` (default: today
    in the program's time zone; within the cycle), and its joins to existing groups real;
    returns how many groups and joins were accepted."""
    cycle = open_cycle(program)  # a closed cycle's records no longer change
    today = start_date(program, starts_on)
    with database.atomic():
        groups = lookup_groups(program, ["proposed"])
        joins = list(_pending(cycle))
        if not groups and not joins:
            raise MatchError(f"no proposal to accept for {program.key}; run "
                             f"`mentorkit match run {program.key}` first")
        stale = _out_of_date(program, groups, joins)
        if stale:
            raise MatchError(f"the proposal is out of date: {stale}; run `mentorkit match run "
                             f"{program.key}` again, then accept")
        for group in groups:
            group.status = "active"
            group.started_on = today
            group.save()
            relationships.sync(program, group, today)
            for place in group.memberships:
                place.joined_at = membership.moment(today)
                place.save()
                set_status(program, place.participant, "matched", group=group.label)
        for place in joins:
            _join(program, place, today)
        audit.record("match.accept", program.key, groups=len(groups), joins=len(joins))
    return len(groups), len(joins)


def _join(program: Program, place: Membership, day: dt.date) -> None:
    """A proposed join made real: the group reshaped if the join completes it, told the
    truth again, and the flag of a member of the same role who left resolved (the gap it
    named is filled)."""
    place.pending = False
    place.joined_at = membership.moment(day)
    place.save()
    group, join = place.group, place.join or {}
    if join.get("shape") and join["shape"] != group.shape:
        group.shape, group.fallback = join["shape"], None
    name = place.participant.name
    membership.refresh(program, group, day, f"{name} joined")
    gone = {m.participant_id for m in group.memberships
            if m.left_at is not None and m.role == place.role}
    filled = next((f for f in flags.open_flags(group) if f.about_id in gone), None)
    if filled is not None:
        flags.settle(filled, f"place filled by {name} on {day}")
    set_status(program, place.participant, "matched", group=group.label, joined=True)


def _out_of_date(program: Program, groups: list[Group], joins: list[Membership]) -> str:
    """Why the stored proposal no longer fits the pool (someone withdrew or became
    ineligible, a pair was forbidden, a group to join ended since it was made), or ''."""
    _, forbidden = pairs.for_pool(program)
    for group in groups:
        members = [m.participant for m in group.memberships]
        for person in members:
            if person.status not in POOL_STATUSES:
                return f"{person.name} is {person.status} now"
        ids = {p.id for p in members}
        if any(pair <= ids for pair in forbidden):
            return f"two members of a proposed {group.shape} are forbidden from sharing one now"
    for join in joins:
        person, group = join.participant, join.group
        if person.status not in POOL_STATUSES:
            return f"{person.name} is {person.status} now"
        if group.status != "active":
            return f"group {group.label} is {group.status} now"
        ids = {m.participant_id for m in group.current_memberships()} | {person.id}
        if any(pair <= ids for pair in forbidden):
            return f"{person.name} is forbidden from sharing {group.label} with a member now"
    return ""
