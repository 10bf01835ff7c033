"""Who a matcher may place, and how it sees them.

The pool is the current cycle's eligible, selected and matched participants, with how many
active groups each is in (a mentor may have room for more), the active groups as they stand,
and the administrator's pinned and forbidden pairs. A sensitive answer reaches a matcher only
where a criterion or constraint of the program allows that field and the person shares it with
their group: matching on it tells the group something.
"""

from __future__ import annotations

import attrs
import peewee as pw

from mentorkit.kernel.concerns import Audience
from mentorkit.kernel.guard import component_hook
from mentorkit.kernel.program import Program
from mentorkit.kernel.values import CurrentGroup, MatchPool, Member, Person
from mentorkit.services import pairs
from mentorkit.services.lookup import current_cycle, groups, participants, to_person
from mentorkit.storage.models import Cycle, Group, Membership, Participant

POOL_STATUSES = ("eligible", "selected", "matched")


def pool_for(program: Program) -> list[Participant]:
    """Eligible and matched participants of the current cycle; matched ones keep their
    groups, and come with how many they are in (a mentor may have room for more)."""
    return participants(program, POOL_STATUSES)


def occupancy(program: Program) -> dict[int, int]:
    """Active groups per participant of the current cycle."""
    cycle = current_cycle(program)
    query = (Membership.select(Membership.participant, pw.fn.COUNT(Membership.id).alias("n"))
             .join(Group).where((Group.cycle == cycle) & (Group.status == "active")
                                & Membership.current())
             .group_by(Membership.participant))
    return {row.participant_id: row.n for row in query}


def matchable_sensitive(program: Program) -> tuple[frozenset[str], frozenset[str]]:
    """(sensitive fields, those a criterion or constraint allows matching on)."""
    sensitive = frozenset(f.name for f in program.config.intake if f.sensitive)
    params = program.matcher.params
    allowed = frozenset(field for rule in (*getattr(params, "criteria", ()),
                                           *getattr(params, "constraints", ()))
                        if getattr(rule, "allow_sensitive", False)
                        for field in (rule.field, getattr(rule, "preference_field", "")))
    return sensitive, allowed


def matching_view(program: Program, person: Person,
                  fields: tuple[frozenset[str], frozenset[str]] | None = None) -> Person:
    """The person as a matcher may see them: a sensitive answer stays only if a criterion or
    constraint of the program allows that field and the person shares it with their group.
    ``fields`` is ``matchable_sensitive(program)``, computed once for a whole pool."""
    sensitive, allowed = fields or matchable_sensitive(program)
    if not sensitive:
        return person
    policy = program.confidentiality
    with component_hook(policy, "confidentiality policy"):
        answers = {field: value for field, value in person.answers.items()
                   if field not in sensitive or (field in allowed and policy.may_see(
                       field, person, Audience.GROUP))}
    return attrs.evolve(person, answers=answers)


def current_groups(program: Program) -> tuple[CurrentGroup, ...]:
    """The cycle's active groups: current members, and who left each."""
    found = []
    for group in groups(program, ["active"]):
        memberships = list(group.memberships.where(~Membership.pending).order_by(Membership.id))
        found.append(CurrentGroup(
            group.label, group.shape,
            tuple(Member(m.participant_id, m.role) for m in memberships if m.left_at is None),
            frozenset(m.participant_id for m in memberships if m.left_at is not None)))
    return tuple(found)




def continued_intact(program: Program) -> set[str]:
    """Labels of the active groups continued from an earlier cycle that no member has left
    since: ``match continue`` promised them the same members, so no one joins them."""
    return {g.label for g in groups(program, ["active"])
            if g.continued_from_id is not None
            and not g.memberships.where(Membership.left_at.is_null(False)).exists()}


HISTORY_WEIGHT = 1e3  # above any fit a pair can score, below an administrator's pin
WEIGHTS = {"avoid": -HISTORY_WEIGHT, "allow": 0.0, "prefer": HISTORY_WEIGHT}


def earlier_pairs(program: Program, found: list[Participant]) -> dict[frozenset[int], str]:
    """Pairs of ``found`` (this cycle's participants) who were in a group together in an
    earlier cycle, by who they are across cycles (their person), with which group and when
    ("lgbtq-triads-004 in 2026-2027"). Groups that only
    were proposed do not count; a purged year is forgotten."""
    by_person = {p.person_id: p.id for p in found if p.person_id is not None}
    if not by_person:
        return {}
    cycle = current_cycle(program)
    this_year = Participant.select(Participant.person).where(Participant.cycle == cycle)
    rows = (Membership.select(Membership.group, Participant.person, Cycle.label, Group.label)
            .join(Participant).switch(Membership).join(Group).join(Cycle)
            .where(Participant.person.in_(this_year) & (Group.program == cycle.program)
                   & (Group.cycle != cycle) & (Group.status != "proposed")
                   & ~Membership.pending)
            .tuples())  # a subquery, not a list of ids: no limit on how many people
    members: dict[int, set[int]] = {}
    when: dict[int, tuple[str, str]] = {}
    for group, person, label, name in rows:
        if person in by_person:  # in this pool (eligible, selected, matched)
            members.setdefault(group, set()).add(by_person[person])
            when[group] = (label, name)
    found_pairs: dict[frozenset[int], str] = {}
    for group, ids in sorted(members.items(), key=lambda item: when[item[0]]):
        ordered = sorted(ids)
        label, name = when[group]
        for n, a in enumerate(ordered):
            for b in ordered[n + 1:]:  # the latest year's group is the one named
                found_pairs[frozenset((a, b))] = f"{name} in {label}"
    return found_pairs


def match_pool(program: Program, seed: int = 0) -> tuple[MatchPool, list[Participant]]:
    """The pool a matcher is given, and the participants it was made from."""
    found = pool_for(program)
    pinned, forbidden = pairs.for_pool(program)
    fields = matchable_sensitive(program)
    people = [matching_view(program, to_person(p), fields) for p in found]
    return MatchPool(people=people, seed=seed, pinned=pinned, forbidden=forbidden,
                     occupied=occupancy(program), current=current_groups(program),
                     history=earlier_pairs(program, found),
                     history_weight=WEIGHTS[program.config.matching.history]), found
