"""A participant's year: withdraw, ask for a change of match, continue, and the cycle's end.

Nothing here deletes a person's data: a withdrawal or a dissolved group is kept for the
program's records, and every change of status is written to the audit log with who and when.
A re-match after a change request only ever touches the people it freed: every other active
group stays exactly as it was (matching proposes groups for free people only).
"""

from __future__ import annotations

import datetime as dt

import attrs

from mentorkit import audit, pairs
from mentorkit.kernel.program import Program, load_program_text
from mentorkit.meetings import find_group
from mentorkit.registry_db import current_cycle, program_record, store_program
from mentorkit.storage.models import (
    AuditEntry,
    Cycle,
    Group,
    Membership,
    PairRule,
    Participant,
    database,
    now,
)


class LifecycleError(ValueError):
    """A lifecycle step that does not apply (withdrawing twice, continuing a closed group)."""


def set_status(program: Program, participant: Participant, status: str, **detail) -> None:
    if participant.status == status:
        return
    audit.record("participant.status", participant.email, program=program.key,
                 old=participant.status, new=status, **detail)
    participant.status = status
    participant.updated_at = now()
    participant.save()


def active_memberships(participant: Participant) -> list[Membership]:
    return list(Membership.select().join(Group).where(
        (Membership.participant == participant) & Membership.current()
        & (Group.status == "active")))


def withdraw(program: Program, ref: str, reason: str = "") -> list[Group]:
    """Withdraw someone (no reason required); their groups are flagged for attention."""
    person = pairs.find_participant(program, ref)
    if person.status == "withdrawn":
        raise LifecycleError(f"{person.name} has already withdrawn")
    flagged = []
    with database.atomic():
        for membership in active_memberships(person):
            membership.left_at = now()
            membership.save()
            group = membership.group
            group.attention = f"{person.name} ({membership.role}) withdrew on {dt.date.today()}"
            left = group.current_memberships()
            if len(left) == 1:  # one person is not a group: free them to be matched again
                alone = left[0]
                alone.left_at = now()
                alone.save()
                group.status = "dissolved"
                group.attention += f"; {alone.participant.name} is free to be matched again"
                if not active_memberships(alone.participant):
                    set_status(program, alone.participant,
                               status_before_match(alone.participant), reason="partner withdrew")
            group.save()
            flagged.append(group)
        set_status(program, person, "withdrawn", reason=reason)
    return flagged


def request_change(program: Program, ref: str, reason: str = "") -> list[Participant]:
    """End someone's current match so they can be matched again; returns who is freed.

    In a pair both people are freed and the pair is forbidden from forming again; in a larger
    group only the requester leaves and the group is flagged for attention.
    """
    person = pairs.find_participant(program, ref)
    memberships = active_memberships(person)
    if not memberships:
        raise LifecycleError(f"{person.name} is not in an active group")
    freed: list[Participant] = []
    with database.atomic():
        for membership in memberships:
            group = membership.group
            current = group.current_memberships()
            if len(current) <= 2:
                for member in current:
                    member.left_at = now()
                    member.save()
                    freed.append(member.participant)
                group.status = "dissolved"
                group.attention = f"change of match requested by {person.name}"
                group.save()
                if len(current) == 2:
                    other = next(m.participant for m in current if m.participant_id != person.id)
                    pairs.clear_rule(program, person.email, other.email)  # a pin ends here
                    pairs.set_rule(program, person.email, other.email, "forbid",
                                   "change of match requested")
            else:
                membership.left_at = now()
                membership.save()
                group.attention = f"{person.name} asked to change group"
                group.save()
                freed.append(person)
            audit.record("match.change", group.label, program=program.key,
                         requested_by=person.email, reason=reason)
        for participant in freed:
            if not active_memberships(participant):
                set_status(program, participant, status_before_match(participant),
                           reason="change of match")
    return freed


def status_before_match(participant: Participant) -> str:
    """What a freed person returns to: ``selected`` if they had been selected (a selection
    stands for the cycle), else ``eligible``."""
    entries = AuditEntry.select().where((AuditEntry.action == "participant.status")
                                        & (AuditEntry.target == participant.email)
                                        & (AuditEntry.at >= participant.created_at))
    before = [e.detail.get("old") for e in entries.order_by(AuditEntry.id)
              if e.detail.get("new") == "matched" and e.detail.get("program")
              == participant.program.key]
    return "selected" if before and before[-1] == "selected" else "eligible"


def mark_continue(program: Program, label: str, continues: bool = True) -> Group:
    if not program.config.cycle.continuation:
        raise LifecycleError(f"{program.key} does not offer continuation (set "
                             "cycle.continuation = true in its program file)")
    group = find_group(program, label)
    if group.status != "active":
        raise LifecycleError(f"group {label} is {group.status}, not active")
    with database.atomic():
        group.continues = continues
        group.save()
        audit.record("group.continue" if continues else "group.stop", label, program=program.key)
    return group


@attrs.frozen
class ClosedCycle:
    completed_groups: int
    continuing_groups: int
    returning: int  # people back in the pool of the next cycle
    next_label: str
    finished: int = 0  # past the last year of an advancing field: not carried


FIXED_SIZES = {"triad": 3, "pair": 2}  # shapes that name their size


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

def _next_config_text(program: Program) -> str:
    """The program file with every date of its cycle one year later, edited in place
    (tomlkit) so the stored file keeps its author's comments and layout."""
    import tomlkit  # only closing a cycle needs it

    def later(day: dt.date) -> dt.date:
        try:
            return dt.date(day.year + 1, day.month, day.day)
        except ValueError:  # 29 February
            return dt.date(day.year + 1, day.month, 28)

    def shift(table, keys: tuple[str, ...]) -> None:
        for key in keys:
            if key in table:
                value = table[key]  # a date, or a date written as a string ("2026-07-01")
                day = value if isinstance(value, dt.date) else dt.date.fromisoformat(
                    str(value))
                table[key] = later(day)

    document = tomlkit.parse(program.text)
    cycle = document["cycle"]
    shift(cycle, ("academic_year_start", "academic_year_end", "signup_deadline", "match_by"))
    for term in cycle.get("terms", []):
        shift(term, ("start", "end"))
    for event in cycle.get("events", []):
        shift(event, ("date",))
    for assessment in document.get("assessments", []):  # next year's mid-year, end of year
        shift(assessment, ("opens",))
    return tomlkit.dumps(document)


def close_cycle(program: Program, next_text: str | None = None,
                source: str = "next cycle") -> ClosedCycle:
    """Complete the current cycle's groups and open the next cycle: groups that opted in
    continue with the same members; everyone else who took part returns to the pool (as
    applied, so the next cycle's eligibility rules decide again)."""
    old = current_cycle(program)
    next_program = load_program_text(next_text or _next_config_text(program), source)
    if next_program.key != program.key:
        raise LifecycleError(f"the next cycle's file is for {next_program.key!r}, "
                             f"not {program.key!r}")
    if next_program.config.cycle.label == old.label:
        raise LifecycleError(f"the next cycle's file has the same academic year ({old.label})")
    record = program_record(program.key)
    with database.atomic():
        store_program(next_program)
        new = Cycle.get((Cycle.program == record)
                        & (Cycle.label == next_program.config.cycle.label))
        if Participant.select().where(Participant.cycle == new).exists():
            raise LifecycleError(f"cycle {new.label} already has participants")
        groups = list(Group.select().where((Group.cycle == old) & (Group.status == "active")))
        Membership.delete().where(Membership.id.in_([  # proposed joins lapse with the cycle
            m.id for g in groups for m in g.memberships if m.pending])).execute()
        copies: dict[int, Participant | None] = {}

        def carry(person: Participant, status: str) -> Participant | None:
            """The person in the next cycle, a year on; None once they have finished."""
            if person.id not in copies:
                answers, finished = advanced(program, person.answers)
                if finished:
                    copies[person.id] = None
                    audit.record("participant.finished", person.email, program=program.key,
                                 cycle=old.label, why=finished)
                    return None
                copies[person.id] = Participant.create(
                    program=record, cycle=new, email=person.email, name=person.name,
                    role=person.role, sides=person.sides, answers=answers,
                    signed_up_on=person.signed_up_on, status=status,
                    answers_from=person.answers_from or person.id)  # purged with its cycle
                audit.record("participant.carry", person.email, program=program.key,
                             cycle=new.label, status=status)
            return copies[person.id]

        continuing = 0
        grouped: set[int] = set()  # copies with a place in a continuing group
        alone: list[Participant] = []  # copies whose continuing group did not hold together
        for group in groups:
            current = group.current_memberships()
            carried_members = [(m, carry(m.participant, "matched"))
                               for m in current] if group.continues else []
            carried_members = [(m, p) for m, p in carried_members if p is not None]
            if len(carried_members) >= 2:
                continuing += 1
                size = FIXED_SIZES.get(group.shape)
                shape = group.shape if size in (None, len(carried_members)) else "pair"
                changed = [f"continued from {old.label}"]
                if len(carried_members) < len(current):
                    changed.append(f"{len(current) - len(carried_members)} member(s) finished")
                carried = Group.create(
                    program=record, cycle=new, label=group.label, shape=shape,
                    status="active", score=group.score, started_on=new.starts_on,
                    fallback=(group.fallback if shape == group.shape else
                              f"continued with {len(carried_members)} members"),
                    attention=group.attention, explanation=[*group.explanation, *changed])
                for member, person in carried_members:
                    Membership.create(group=carried, participant=person, role=member.role)
                    grouped.add(person.id)
            else:
                alone += [person for _, person in carried_members]
            group.status = "completed"
            group.save()
        for person in alone:  # back to the pool, unless another of their groups continues
            if person.id not in grouped:
                person.status = "applied"
                person.save()
        took_part = Participant.select().where((Participant.cycle == old)
                                               & (Participant.status == "matched"))
        for person in took_part:
            set_status(program, person, "completed")
            carry(person, "applied")
        # a forbidden pair (a supervisor, a complaint, a change of match) outlives the year;
        # pins were about this year's groups and do not
        for rule in PairRule.select().where((PairRule.cycle == old) & (PairRule.kind == "forbid")):
            first, second = copies.get(rule.first_id), copies.get(rule.second_id)
            if first is not None and second is not None:
                PairRule.create(cycle=new, first=min(first, second, key=lambda p: p.id),
                                second=max(first, second, key=lambda p: p.id), kind="forbid",
                                reason=rule.reason, created_by=rule.created_by)
        old.status = "closed"
        old.save()
        audit.record("cycle.close", program.key, cycle=old.label, next=new.label,
                     continuing=continuing)
    kept = [c for c in copies.values() if c is not None]
    return ClosedCycle(len(groups), continuing,
                       sum(1 for c in kept if c.status != "matched"), new.label,
                       sum(1 for c in copies.values() if c is None))
