"""Accepting a stored proposal: its groups become active from a start date, its joins to
existing groups real, and each group touched is told the truth again (its explanation, its
relationships, the flag of a gap it fills)."""

from __future__ import annotations

import datetime as dt

from mentorkit.kernel.errors import MentorkitError
from mentorkit.kernel.program import Program
from mentorkit.kernel.values import Member
from mentorkit.services import batch, flags, lookup, membership, pairs, relationships
from mentorkit.services.lifecycle import set_status
from mentorkit.services.lookup import open_cycle
from mentorkit.services.pool import POOL_STATUSES
from mentorkit.services.proposals import MatchError, pending_joins
from mentorkit.storage import audit, bulk
from mentorkit.storage.models import (
    Cycle,
    Group,
    Membership,
    Participant,
    Relationship,
    database,
    now,
)
from mentorkit.views.words import possessive


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
    within = (f"{possessive(program.key)} cycle {cycle.label} runs from "
              f"{cycle.academic_year_start} to {cycle.academic_year_end}")
    if starts_on:
        raise OutsideCycle(f"{start} is outside the cycle: {within}", given=True)
    raise OutsideCycle(f"today ({start}) is outside the cycle: {within}; give a start date, "
                       "or close the cycle (`mentorkit cycles close`)", given=False)


def proposed_people(program: Program) -> int:
    """How many people the stored proposal places (for a progress bar)."""
    return (Membership.select().join(Group)
            .where((Group.cycle == lookup.current_cycle(program))
                   & ((Group.status == "proposed") | Membership.pending)).count())


def accept(program: Program, starts_on: dt.date | None = None) -> tuple[int, int]:
    """Make the stored proposal active, the groups starting on ``starts_on`` (default: today
    in the program's time zone; within the cycle), and its joins to existing groups real;
    returns how many groups and joins were accepted. The new groups are written in bulk
    (one statement per table), as a proposal for thousands of people is."""
    cycle = open_cycle(program)  # a closed cycle's records no longer change
    today = start_date(program, starts_on)
    with database.atomic():
        groups = batch.groups(cycle, ["proposed"])
        joins = list(pending_joins(cycle))
        if not groups and not joins:
            raise MatchError(f"no proposal to accept for {program.key}; run "
                             f"`mentorkit match run {program.key}` first")
        places = batch.places(groups, current=False)
        people = _statuses(groups)
        stale = _out_of_date(program, groups, places, people, joins)
        if stale:
            raise MatchError(f"the proposal is out of date: {stale}; run `mentorkit match run "
                             f"{program.key}` again, then accept")
        if groups:
            _activate(program, cycle, groups, places, people, today)
        for place in joins:
            _join(program, place, today)
        audit.record("match.accept", program.key, groups=len(groups), joins=len(joins))
    return len(groups), len(joins)


def _statuses(groups: batch.Groups) -> dict[int, tuple[str, str, str]]:
    """(name, e-mail, status) of everyone in ``groups``."""
    found = {}
    for members in batch.scopes(groups):
        query = (Participant.select(Participant.id, Participant.name, Participant.email,
                                    Participant.status)
                 .where(Participant.id.in_(Membership.select(Membership.participant)
                                           .where(Membership.group.in_(members)))))
        found.update({id_: (name, email, status) for id_, name, email, status
                      in batch.raw(query)})
    return found


def _activate(program: Program, cycle: Cycle, groups: batch.Groups, places, people,
              today: dt.date) -> None:
    """The proposed groups active from ``today``: their members joined then and matched
    (each change of status in the audit log, as ``set_status`` writes it), and their
    relationships recorded."""
    Membership.update(joined_at=membership.moment(today)).where(
        Membership.group.in_(groups.scope)).execute()
    made, matched = [], {}
    for group in groups:
        members = [Member(p.participant_id, p.role) for p in places[group.id]]
        for first, second in sorted(relationships.pairs_of(program, members), key=str):
            made.append({"group": group.id, "first": first, "second": second,
                         "started_on": today})
        for place in places[group.id]:
            matched.setdefault(place.participant_id, group.label)
    Group.update(status="active", started_on=today).where(
        (Group.cycle == cycle) & (Group.status == "proposed")).execute()
    bulk.insert(Relationship, made)
    changed = {pid: label for pid, label in matched.items() if people[pid][2] != "matched"}
    for ids in batch.chunks(sorted(changed)):
        Participant.update(status="matched", updated_at=now()).where(
            Participant.id.in_(ids)).execute()
    audit.record_many("participant.status", [
        (people[pid][1], {"program": program.key, "old": people[pid][2], "new": "matched",
                          "group": label}) for pid, label in changed.items()])


def _join(program: Program, place: Membership, day: dt.date) -> None:
    """A proposed join made real: the group reshaped if the join completes it, told the
    truth again, and the flag of a member of the same role who left resolved (the gap it
    named is filled)."""
    group, join = place.group, place.join or {}
    vacated = [m.left_at.date() for m in group.memberships if m.left_at is not None]
    day = max([day, *vacated])  # a newcomer joins once the place is free, never before
    place.pending = False
    place.joined_at = membership.moment(day)
    # the moment it was accepted, to the second: a day is not enough to tell what the group
    # confided before the newcomer came from what it wrote since (their notes)
    place.join = {**join, "accepted_at": now().isoformat(sep=" ")}
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


def _out_of_date(program: Program, groups: batch.Groups, places, people,
                 joins: list[Membership]) -> str:
    """Why the stored proposal no longer fits the pool (someone withdrew or became
    ineligible, a pair was forbidden, a group to join ended since it was made), or ''."""
    _, forbidden = pairs.for_pool(program)
    for group in groups:
        ids = {p.participant_id for p in places[group.id]}
        for place in places[group.id]:
            name, _, status = people[place.participant_id]
            if status not in POOL_STATUSES:
                return f"{name} is {status} now"
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
