"""Running a program's matcher and keeping its result as a proposal until accepted.

A matcher only proposes. The proposal is stored as groups with status ``proposed`` (replacing
any earlier proposal), and only ``accept`` makes them active and the members ``matched``, so an
administrator can rerun matching freely until the proposal looks right.
"""

from __future__ import annotations

import datetime as dt

import attrs
import peewee as pw

from mentorkit import audit, pairs, tracking
from mentorkit.concerns import Audience, MatchPool, MatchResult, Person
from mentorkit.config.loader import Program
from mentorkit.enrollment import to_person
from mentorkit.guard import component_hook
from mentorkit.lifecycle import set_status
from mentorkit.registry_db import current_cycle, program_record
from mentorkit.storage.models import Group, Membership, Participant, database

POOL_STATUSES = ("eligible", "selected", "matched")


class MatchError(RuntimeError):
    pass


@attrs.frozen
class Proposal:
    result: MatchResult
    people: dict[int, Participant]


def pool_for(program: Program) -> list[Participant]:
    """Eligible and matched participants of the current cycle; matched ones keep their
    groups, and come with how many they are in (a mentor may have room for more)."""
    cycle = current_cycle(program)
    return list(Participant.select().where((Participant.cycle == cycle)
                                           & (Participant.status.in_(POOL_STATUSES)))
                .order_by(Participant.id))


def occupancy(program: Program) -> dict[int, int]:
    """Active groups per participant of the current cycle."""
    cycle = current_cycle(program)
    query = (Membership.select(Membership.participant, pw.fn.COUNT(Membership.id).alias("n"))
             .join(Group).where((Group.cycle == cycle) & (Group.status == "active")
                                & (Membership.left_at.is_null()))
             .group_by(Membership.participant))
    return {row.participant_id: row.n for row in query}


def _matchable_sensitive(program: Program) -> tuple[frozenset[str], frozenset[str]]:
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
    ``fields`` is ``_matchable_sensitive(program)``, computed once for a whole pool."""
    sensitive, allowed = fields or _matchable_sensitive(program)
    if not sensitive:
        return person
    policy = program.confidentiality
    with component_hook(policy, "confidentiality policy"):
        answers = {field: value for field, value in person.answers.items()
                   if field not in sensitive or (field in allowed and policy.may_see(
                       field, person, Audience.GROUP))}
    return attrs.evolve(person, answers=answers)


def propose(program: Program, seed: int = 0) -> Proposal:
    participants = pool_for(program)
    pinned, forbidden = pairs.for_pool(program)
    fields = _matchable_sensitive(program)
    people = [matching_view(program, to_person(p), fields) for p in participants]
    pool = MatchPool(people=people, seed=seed, pinned=pinned, forbidden=forbidden,
                     occupied=occupancy(program))
    with component_hook(program.matcher, "matcher"):  # a bug aborts, naming the plugin
        result = program.matcher.match(pool)
    return Proposal(result, {p.id: p for p in participants})


def select(program: Program, dry_run: bool = False):
    """Run the matcher's selection; mark the selected (others stay eligible). Returns the
    SelectionResult and the participants by id, or None if the matcher does not select."""
    participants = pool_for(program)
    pool = MatchPool(people=[to_person(p) for p in participants], occupied=occupancy(program))
    with component_hook(program.matcher, "matcher"):
        result = program.matcher.select(pool)
    if result is None:
        return None
    people = {p.id: p for p in participants}
    if not dry_run:
        with database.atomic():
            for participant in participants:
                status = ("selected" if participant.id in result.selected else
                          "eligible" if participant.status == "selected" else None)
                if status:
                    set_status(program, participant, status, reason="selection")
    return result, people


def store_proposal(program: Program, proposal: Proposal) -> list[Group]:
    """Replace the cycle's previous proposal with this one, in one transaction."""
    cycle = current_cycle(program)
    record = program_record(program.key)
    with database.atomic():
        Group.delete().where((Group.cycle == cycle) & (Group.status == "proposed")).execute()
        groups = []
        # labels go on from the cycle's earlier groups (and those carried into it), so a
        # re-match never reuses one
        numbers = [int(g.label.rsplit("-", 1)[1]) for g in Group.select(Group.label).where(
            Group.cycle == cycle) if g.label.rsplit("-", 1)[-1].isdigit()]
        first = max(numbers, default=0) + 1
        for number, proposed in enumerate(proposal.result.groups, start=first):
            answers = [proposal.people[m.person_id].answers for m in proposed.members]
            group = Group.create(program=record, cycle=cycle, label=f"{program.key}-{number:03d}",
                                 shape=proposed.shape, score=proposed.score,
                                 explanation=list(proposed.explanation),
                                 fallback=proposed.fallback,
                                 purposes=tracking.purposes_from(program, answers))
            for member in proposed.members:
                Membership.create(group=group, participant=member.person_id, role=member.role)
            groups.append(group)
        audit.record("match.propose", program.key, groups=len(groups),
                     unmatched=len(proposal.result.unmatched))
    return groups


def accept(program: Program, starts_on: dt.date | None = None) -> int:
    """Make the stored proposal active, the groups starting on ``starts_on`` (default: today
    in the program's time zone); returns the number of groups accepted."""
    cycle = current_cycle(program)
    with database.atomic():
        groups = list(Group.select().where((Group.cycle == cycle) & (Group.status == "proposed")))
        if not groups:
            raise MatchError(f"no proposal to accept for {program.key}; run "
                             f"`mentorkit match run {program.key}` first")
        today = starts_on or dt.datetime.now(program.config.cycle.zone).date()
        for group in groups:
            group.status = "active"
            group.started_on = today
            group.save()
            for membership in group.memberships:
                set_status(program, membership.participant, "matched", group=group.label)
        audit.record("match.accept", program.key, groups=len(groups))
    return len(groups)


def groups_of(program: Program, status: str | None = None) -> list[Group]:
    cycle = current_cycle(program)
    query = Group.select().where(Group.cycle == cycle)
    if status:
        query = query.where(Group.status == status)
    return list(query.order_by(Group.label))
