"""Accepting a stored proposal: its groups become active from a start date, its joins to
existing groups real, and each group touched is told the truth again (its explanation, its
relationships, the flag of a gap it fills)."""

from __future__ import annotations

import datetime as dt

from mentorkit.kernel.errors import MentorkitError
from mentorkit.kernel.program import Program
from mentorkit.services import flags, membership, pairs, relationships
from mentorkit.services.lifecycle import set_status
from mentorkit.services.lookup import groups as lookup_groups
from mentorkit.services.lookup import open_cycle
from mentorkit.services.pool import POOL_STATUSES
from mentorkit.services.proposals import MatchError, pending_joins
from mentorkit.storage import audit
from mentorkit.storage.models import Group, Membership, database


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
        joins = list(pending_joins(cycle))
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
    group, join = place.group, place.join or {}
    vacated = [m.left_at.date() for m in group.memberships if m.left_at is not None]
    day = max([day, *vacated])  # a newcomer joins once the place is free, never before
    place.pending = False
    place.joined_at = membership.moment(day)
    place.save()
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
