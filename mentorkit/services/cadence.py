"""Whether each group keeps the program's cadence: its history as cadence rules see it (members,
start date, every contact with timezone-aware times) and each rule's finding on a given day."""

from __future__ import annotations

import datetime as dt

import attrs

from mentorkit.kernel.concerns import CadenceRule
from mentorkit.kernel.guard import component_hook
from mentorkit.kernel.program import Program
from mentorkit.kernel.values import CadenceFinding, GroupHistory, Standing
from mentorkit.services import batch
from mentorkit.services.assessments import GroupResult, results
from mentorkit.services.lookup import current_cycle, is_closed, running
from mentorkit.services.meetings import parse_when
from mentorkit.storage.models import Group
from mentorkit.views.words import possessive

UTC = dt.UTC
STANDINGS = tuple(str(s) for s in Standing)  # on track, due soon, overdue


def history(group: Group) -> GroupHistory:
    """One group as cadence rules see it: its current members, its start, and its contacts
    from the day before it started (a contact logged earlier by an older mentorkit is not
    its own), in time order, with times in UTC."""
    return histories([group])[group.id]


def histories(groups: list[Group | batch.GroupRow], zone: dt.tzinfo = UTC,
              places: dict | None = None, people: dict | None = None
              ) -> dict[int, GroupHistory]:
    """Per group id, its :func:`history`, every group's read at once (one query per
    table; ``places`` and ``people`` where the caller read them already), contact times in
    ``zone``."""
    places = batch.places(groups) if places is None else places
    people = batch.people(groups) if people is None else people
    contacts = batch.contacts(groups, zone)
    return {g.id: GroupHistory(g.label, g.started_on or g.created_at.date(),
                               tuple(people[p.participant_id] for p in places[g.id]),
                               contacts[g.id], tuple(g.purposes or ()))
            for g in groups}


STANDING_ORDER = {Standing.ON_TRACK: 0, Standing.DUE_SOON: 1, Standing.OVERDUE: 2}


@attrs.frozen
class GroupStanding:
    group: batch.GroupRow
    history: GroupHistory
    findings: tuple[CadenceFinding, ...]

    @property
    def standing(self) -> Standing:
        return max((f.standing for f in self.findings), key=STANDING_ORDER.__getitem__,
                   default=Standing.ON_TRACK)


def status(program: Program, as_of: dt.datetime, groups: list | None = None,
           places: dict | None = None, people: dict | None = None) -> list[GroupStanding]:
    """Every active group's findings under each of the program's cadence rules (``groups``
    of the cycle's, and their ``places`` and ``people``, where the caller read them); a
    closed year's say what it missed, and nothing due next."""
    statuses = running(program)
    shown = batch.groups(current_cycle(program), statuses) if groups is None else [
        g for g in groups if g.status in statuses]
    seen = histories(shown, program.config.cycle.zone, places, people)
    closed = is_closed(program)
    found = []
    for group in shown:
        findings = tuple(evaluate(rule, seen[group.id], as_of) for rule in program.cadence)
        if closed:  # a year that is over owes nothing next: only what it missed stays
            findings = tuple(past(f) for f in findings)
        found.append(GroupStanding(group, seen[group.id], findings))
    return found


def past(finding: CadenceFinding) -> CadenceFinding:
    """A finding of a closed year: what fell short, and nothing due next."""
    if not finding.next_due:
        return finding
    message = (f"missed {'; '.join(finding.missed)}" if finding.missed
               else "kept the cadence")
    standing = Standing.OVERDUE if finding.missed else Standing.ON_TRACK
    return attrs.evolve(finding, standing=standing, message=message, next_due="",
                        due_by=None)


def evaluate(rule: CadenceRule, group: GroupHistory, as_of: dt.datetime) -> CadenceFinding:
    with component_hook(rule, "cadence rule"):
        return rule.evaluate(group, as_of)


def as_of(program: Program, text: str | None) -> dt.datetime:
    """The moment to judge at: now, or what the coordinator typed (a bare date means the end
    of that day) in the program's time zone."""
    if not text:
        cycle = program.config.cycle
        now = dt.datetime.now(cycle.zone)
        if current_cycle(program).status != "open" and now.date() > cycle.academic_year_end:
            # a closed year is judged as it ended
            return dt.datetime.combine(cycle.academic_year_end, dt.time(23, 59, 59),
                                       tzinfo=cycle.zone)
        return now
    moment = parse_when(program, text)
    if len(text.strip()) <= 10:  # a bare date: judge at the end of that day
        moment = moment.replace(hour=23, minute=59, second=59)
    return moment


def outside_cycle(program: Program, day: dt.date) -> str | None:
    """Why judging on ``day`` may mislead: after the cycle every group is overdue, before it
    nothing is due. None within the cycle."""
    cycle = program.config.cycle
    if day > cycle.academic_year_end:
        return (f"{possessive(program.key)} cycle {cycle.label} ended on "
                f"{cycle.academic_year_end}; close it (`mentorkit cycles close {program.key}`) "
                "or update the program file's dates")
    if day < cycle.academic_year_start:
        return (f"{possessive(program.key)} cycle {cycle.label} starts on "
                f"{cycle.academic_year_start}")
    return None


@attrs.frozen
class FindingRow:
    rule: str
    standing: str
    message: str
    due_by: str | None


@attrs.frozen
class StandingRow:
    """One active group's standing, its findings, and its assessment results (which name no
    one): the administrator's view."""

    group: str
    standing: str
    findings: tuple[FindingRow, ...]
    assessments: tuple[GroupResult, ...]


def report(program: Program, moment: dt.datetime) -> list[StandingRow]:
    """Every active group's standing under each cadence rule, with its assessment results."""
    assessed = results(program)
    return [StandingRow(s.group.label, str(s.standing),
                        tuple(FindingRow(f.rule, str(f.standing), f.message,
                                         str(f.due_by) if f.due_by else None)
                              for f in s.findings),
                        tuple(assessed.get(s.group.label, ())))
            for s in status(program, moment)]
