"""Pairs an administrator pins (keep together) or forbids (never together), per cycle.

Matchers receive them in the pool, so a re-run of matching keeps every decision made so far.
A pair cannot be both: pinning a forbidden pair (or the reverse) replaces the earlier rule.
"""

from __future__ import annotations

import attrs

from mentorkit.kernel.errors import MentorkitError
from mentorkit.kernel.program import Program
from mentorkit.services.lookup import current_cycle, find_participant, open_cycle
from mentorkit.storage import audit
from mentorkit.storage.models import Cycle, PairRule, Participant, database

KINDS = ("pin", "forbid")


class PairRuleError(MentorkitError, ValueError):
    """A pair rule that cannot be: the same person twice, or an unknown kind."""


def _ordered(program: Program, a: str, b: str) -> tuple[Participant, Participant]:
    first, second = find_participant(program, a), find_participant(program, b)
    if first.id == second.id:
        raise PairRuleError("a pair needs two different participants")
    return (first, second) if first.id < second.id else (second, first)


def set_rule(program: Program, a: str, b: str, kind: str, reason: str = "") -> tuple[str, str]:
    """Pin or forbid the pair of ``a`` and ``b`` (e-mails or ids); returns their names."""
    cycle = open_cycle(program)  # a closed cycle's records no longer change
    if kind not in KINDS:
        raise PairRuleError(f"kind must be one of {KINDS}")
    first, second = _ordered(program, a, b)
    earlier = PairRule.get_or_none((PairRule.cycle == cycle) & (PairRule.first == first)
                                   & (PairRule.second == second))
    if earlier is not None and earlier.kind != kind:  # a decision is lifted on purpose only
        why = f" ({earlier.reason})" if earlier.reason else ""
        said = {"pin": "pinned together", "forbid": "forbidden from sharing a group"}
        raise PairRuleError(f"{first.name} and {second.name} are {said[earlier.kind]}{why}; lift "
                            f"that first with `mentorkit match unpin {program.key} "
                            f"{first.email} {second.email}`")
    with database.atomic():
        PairRule.delete().where((PairRule.cycle == cycle) & (PairRule.first == first)
                                & (PairRule.second == second)).execute()
        PairRule.create(cycle=cycle, first=first, second=second, kind=kind,
                               reason=reason, created_by=audit.administrator())
        audit.record(f"pair.{kind}", program.key, first=first.id, second=second.id,
                     reason=reason)
    return first.name, second.name


def clear_rule(program: Program, a: str, b: str) -> bool:
    cycle = open_cycle(program)  # a closed cycle's records no longer change
    first, second = _ordered(program, a, b)
    with database.atomic():
        removed = PairRule.delete().where(
            (PairRule.cycle == cycle) & (PairRule.first == first)
            & (PairRule.second == second)).execute()
        if removed:
            audit.record("pair.clear", program.key, first=first.id, second=second.id)
    return bool(removed)


def rules(program: Program) -> list[PairRule]:
    return list(PairRule.select().where(PairRule.cycle == current_cycle(program))
                .order_by(PairRule.id))


def for_pool(program: Program) -> tuple[frozenset[frozenset[int]], frozenset[frozenset[int]]]:
    """(pinned, forbidden) pairs of participant ids, as a MatchPool takes them."""
    found = rules(program)
    pick = lambda kind: frozenset(frozenset((r.first_id, r.second_id))  # noqa: E731
                                  for r in found if r.kind == kind)
    return pick("pin"), pick("forbid")


@attrs.frozen
class RuleRow:
    """A pinned or forbidden pair as the administrator lists it."""

    kind: str
    first: str  # e-mail
    second: str
    reason: str
    by: str


def listing(program: Program) -> list[RuleRow]:
    return [RuleRow(r.kind, r.first.email, r.second.email, r.reason, r.created_by)
            for r in rules(program)]


def carry_forbidden(program: Program, cycle: Cycle) -> int:
    """Every forbidden pair of the program's other cycles whose two people are both in
    ``cycle`` (carried into it at year end, or back through a new sign-up) holds in it too:
    a supervisor, a complaint, a change of match outlive the year. Returns how many were
    carried now. The reason goes with it, and is erased with the cycle it was typed in."""
    mine = {p.person_id: p for p in Participant.select().where(
        (Participant.cycle == cycle) & Participant.person.is_null(False))}
    have = {frozenset((r.first_id, r.second_id)) for r in PairRule.select().where(
        PairRule.cycle == cycle)}
    First, Second = Participant.alias(), Participant.alias()
    earlier = (PairRule.select(PairRule, First.person, Second.person, Cycle)
               .join(First, on=(PairRule.first == First.id))
               .switch(PairRule).join(Second, on=(PairRule.second == Second.id))
               .switch(PairRule).join(Cycle)
               .where((PairRule.kind == "forbid") & (Cycle.program == cycle.program)
                      & (Cycle.id != cycle.id) & (Cycle.status != "purged"))
               .order_by(Cycle.starts_on))
    carried = 0
    for rule in earlier:
        a, b = mine.get(rule.first.person_id), mine.get(rule.second.person_id)
        if a is None or b is None or frozenset((a.id, b.id)) in have:
            continue
        first, second = sorted((a, b), key=lambda p: p.id)
        PairRule.create(cycle=cycle, first=first, second=second, kind="forbid",
                        reason=rule.reason, created_by=rule.created_by,
                        carried_from=rule.carried_from_id or rule.cycle_id)
        have.add(frozenset((a.id, b.id)))
        carried += 1
    return carried
