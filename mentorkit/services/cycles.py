"""A program's cycles (academic years): listing them, and closing one.

Closing completes the cycle's active groups and opens the next cycle from the program file a
year on: groups that opted in continue with the same members; everyone else who was in a
group returns to the pool as applied, so the next cycle's eligibility rules decide again (who
was in no group signs up again with next year's export); yearly
fields move on (PGY 1 -> 2) and people past their last year have finished. Forbidden pairs
outlive the year; pins, about this year's groups, do not. Nothing is deleted.
"""

from __future__ import annotations

import datetime as dt

import attrs

from mentorkit.config.years import shift_years
from mentorkit.kernel.program import Program, load_program_text
from mentorkit.services import pairs, relationships
from mentorkit.services.lifecycle import LifecycleError, set_status
from mentorkit.services.lifecycle import today_in as lifecycle_today
from mentorkit.services.lookup import (
    cycle_named,
    cycles,
    groups,
    open_cycle,
    participants,
    program_record,
)
from mentorkit.services.membership import moment, refresh
from mentorkit.services.programs import store_program
from mentorkit.storage import audit
from mentorkit.storage.models import Cycle, Group, Membership, Participant, database
from mentorkit.views.words import possessive


@attrs.frozen
class CycleRow:
    cycle: str
    status: str
    starts: str
    ends: str
    participants: int
    groups: int


def listing(key: str) -> list[CycleRow]:
    """Every cycle of the program, with its participants and (accepted) groups."""
    return [CycleRow(c.label, c.status, str(c.starts_on), str(c.ends_on),
                     Participant.select().where(Participant.cycle == c).count(),
                     Group.select().where((Group.cycle == c)
                                          & (Group.status != "proposed")).count())
            for c in cycles(key)]


@attrs.frozen
class ClosedCycle:
    completed_groups: int
    continuing_groups: int
    returning: int  # people back in the pool of the next cycle
    next_label: str
    finished: int = 0  # past the last year of an advancing field: not carried
    lapsed: int = 0  # proposed groups never accepted, which lapse with the cycle


def advanced(program: Program, answers: dict) -> tuple[dict, str | None]:
    """The answers a year later (``cycle.advance``: PGY + 1, year 3 -> 4), and why the person
    has finished (past the last year), if they have."""
    moved = dict(answers)
    for rule in program.config.cycle.advance:
        value = moved.get(rule.field)
        if isinstance(value, int) and not isinstance(value, bool):
            if rule.last is not None and value + rule.by > rule.last:
                return moved, f"{rule.field} {value} was the last"
            moved[rule.field] = value + rule.by
    return moved, None


def next_config_text(program: Program) -> str:
    """The program file with every date of its cycle one year later, keeping its author's
    comments and layout."""
    return shift_years(program.text, 1)


class _Carrier:
    """Copies people into the next cycle, each once, a year on; None once they have
    finished. A copy keeps the id of the answers it was given with (purged with that cycle)."""

    def __init__(self, program: Program, old: Cycle, new: Cycle) -> None:
        self.program, self.old, self.new = program, old, new
        self.record = program_record(program.key)
        self.copies: dict[int, Participant | None] = {}

    def carry(self, person: Participant, status: str) -> Participant | None:
        if person.id not in self.copies:
            self.copies[person.id] = self._copy(person, status)
        return self.copies[person.id]

    def _copy(self, person: Participant, status: str) -> Participant | None:
        key = self.program.key
        answers, finished = advanced(self.program, person.answers)
        if finished:
            audit.record("participant.finished", person.email, program=key,
                         cycle=self.old.label, why=finished)
            return None
        copy = Participant.create(
            program=self.record, cycle=self.new, person=person.person_id, email=person.email,
            name=person.name, role=person.role, sides=person.sides, answers=answers,
            signed_up_on=person.signed_up_on, status=status)
        audit.record("participant.carry", person.email, program=key, cycle=self.new.label,
                     status=status)
        return copy

    @property
    def kept(self) -> list[Participant]:
        return [c for c in self.copies.values() if c is not None]

    @property
    def finished(self) -> int:
        return sum(1 for c in self.copies.values() if c is None)


def _continue(group: Group, carrier: _Carrier, following: Program) -> set[int] | None:
    """The group in the next cycle with its carried members (ids of their copies), if it
    opted in and at least two of them are carried; else None. It keeps its label, shape and
    lineage, not last year's flags or notes: why it fits is asked anew of its members as
    they are now (a year on)."""
    current = group.current_memberships()
    carried = [(m, carrier.carry(m.participant, "matched")) for m in current]
    carried = [(m, p) for m, p in carried if p is not None]
    if len(carried) < 2:
        for _, person in carried:  # back to the pool, unless another group takes them on
            person.status = "applied"
            person.save()
        return None
    finished = len(current) - len(carried)
    copy = Group.create(
        program=carrier.record, cycle=carrier.new, label=group.label, shape=group.shape,
        status="active", score=group.score, started_on=carrier.new.starts_on,
        continued_from=group, explanation=list(group.explanation),
        fallback=(f"continued with {len(carried)} of its {len(current)} members "
                  f"({finished} finished)" if finished else group.fallback))
    for member, person in carried:
        Membership.create(group=copy, participant=person, role=member.role,
                          joined_at=moment(carrier.new.starts_on))
    refresh(following, copy, carrier.new.starts_on, f"continued from {carrier.old.label}")
    return {person.id for _, person in carried}


def _next_program(program: Program, old: Cycle, next_text: str | None, source: str) -> Program:
    following = load_program_text(next_text or next_config_text(program), source)
    if following.key != program.key:
        raise LifecycleError(f"the next cycle's file is for {following.key!r}, "
                             f"not {program.key!r}")
    if following.config.cycle.label == old.label:
        raise LifecycleError(f"the next cycle's file has the same academic year ({old.label})")
    return following


def check_closable(program: Program, next_text: str | None = None,
                   source: str = "next cycle") -> None:
    """Everything :func:`close_cycle` checks before it changes anything (the cycle is open,
    the next cycle's file is valid and is the next year's), so a coordinator is asked to
    confirm only what can be done."""
    _next_program(program, open_cycle(program), next_text, source)


def closing_early(program: Program) -> str | None:
    """Why closing the cycle now may be a mistake (it has not ended), or None."""
    cycle = program.config.cycle
    if dt.datetime.now(cycle.zone).date() < cycle.academic_year_end:
        return (f"{possessive(program.key)} cycle {cycle.label} runs until "
                f"{cycle.academic_year_end}; closing it now ends its active groups early")
    return None


def close_cycle(program: Program, next_text: str | None = None,
                source: str = "next cycle") -> ClosedCycle:
    """Complete the current cycle's groups and open the next cycle (see the module's
    docstring); ``next_text`` is the next cycle's program file, by default this one a year on."""
    old = open_cycle(program)  # a closed cycle's records no longer change
    today = lifecycle_today(program)
    if today < old.starts_on:
        raise LifecycleError(f"{program.key}'s cycle {old.label} starts on {old.starts_on}: "
                             "there is nothing to close yet (its people and proposal would be "
                             "dropped)")
    following = _next_program(program, old, next_text, source)
    with database.atomic():
        store_program(following)
        new = cycle_named(program.key, following.config.cycle.label)
        if participants(program, cycle=new):
            raise LifecycleError(f"cycle {new.label} already has participants")
        active = groups(program, ["active"])
        Membership.delete().where(Membership.id.in_([  # proposed joins lapse with the cycle
            m.id for g in active for m in g.memberships if m.pending])).execute()
        lapsed = Group.delete().where((Group.cycle == old)
                                      & (Group.status == "proposed")).execute()
        carrier = _Carrier(program, old, new)
        kept_on = [_continue(g, carrier, following) if g.continues else None for g in active]
        grouped = set().union(*(ids for ids in kept_on if ids))
        for person in carrier.kept:  # in another continuing group after all
            if person.id in grouped and person.status != "matched":
                person.status = "matched"
                person.save()
        for group in active:
            group.status = "completed"
            group.save()
            relationships.sync(program, group, min(old.ends_on, lifecycle_today(program)),
                               "the cycle closed")
        everyone = program.config.cycle.carry == "everyone"
        for person in participants(program, ["matched"], cycle=old):
            set_status(program, person, "completed")
            if everyone:  # else only a continuing group, or a new sign-up, brings them back
                carrier.carry(person, "applied")
        pairs.carry_forbidden(program, new)
        old.status = "closed"
        old.save()
        audit.record("cycle.close", program.key, cycle=old.label, next=new.label,
                     continuing=sum(1 for ids in kept_on if ids))
    return ClosedCycle(len(active), sum(1 for ids in kept_on if ids),
                       sum(1 for c in carrier.kept if c.status != "matched"), new.label,
                       carrier.finished, lapsed)
