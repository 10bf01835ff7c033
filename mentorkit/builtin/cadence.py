"""Core cadence rules: N meetings per term, and at most D days between meetings."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence

import attrs

from mentorkit.concerns import CadenceFinding, CadenceRule, Contact, Problem, Standing
from mentorkit.hookspecs import hookimpl

MEETING_KINDS = ("in-person", "video", "phone")
CONTACT_KINDS = (*MEETING_KINDS, "text", "email")


def _kind_problems(kinds: Iterable[str]) -> Iterable[Problem]:
    for i, kind in enumerate(kinds):
        if kind not in CONTACT_KINDS:
            yield Problem(f"kinds[{i}]", f"expected one of {list(CONTACT_KINDS)}, got {kind!r}")


def _kinds_text(kinds: Sequence[str]) -> str:
    return " or ".join(kinds) if kinds else "any"


@attrs.frozen
class PerTermParams:
    count: int
    kinds: list[str] = attrs.field(factory=lambda: list(MEETING_KINDS))
    due_soon_days: int = 21


class MeetingsPerTerm(CadenceRule):
    """At least `count` meetings of the given kinds in every term (semester) of the cycle."""

    name = "meetings-per-term"
    Params = PerTermParams

    def problems(self) -> Iterable[Problem]:
        if not self.program.cycle.terms:
            yield Problem("", "needs cycle.terms (the semesters)")
        if self.params.count < 1:
            yield Problem("count", "must be at least 1")
        yield from _kind_problems(self.params.kinds)

    def describe(self) -> list[str]:
        return [f"At least {self.params.count} meeting(s) ({_kinds_text(self.params.kinds)}) per "
                f"term; not every member must attend."]

    def evaluate(self, contacts: Sequence[Contact], as_of: dt.date,
                 started_on: dt.date) -> CadenceFinding:
        wanted = [c.occurred_on.date() for c in contacts if c.kind in self.params.kinds]
        for term in self.program.cycle.terms:
            if term.end < started_on or term.start > as_of:
                continue
            held = sum(1 for day in wanted if max(term.start, started_on) <= day <= term.end)
            missing = self.params.count - held
            if missing <= 0:
                continue
            if term.end < as_of:
                return CadenceFinding(self.name, Standing.OVERDUE,
                                      f"{term.name}: {held} of {self.params.count} meetings held",
                                      term.end)
            if (term.end - as_of).days <= self.params.due_soon_days * missing:
                return CadenceFinding(self.name, Standing.DUE_SOON,
                                      f"{term.name}: {missing} more meeting(s) due by {term.end}",
                                      term.end)
        return CadenceFinding(self.name, Standing.ON_TRACK, "meetings per term on track")


@attrs.frozen
class MaxGapParams:
    days: int
    kinds: list[str] = attrs.field(factory=lambda: list(MEETING_KINDS))
    due_soon_days: int = 14


class MaxDaysBetween(CadenceRule):
    """No more than `days` days without a meeting of the given kinds."""

    name = "max-days-between"
    Params = MaxGapParams

    def problems(self) -> Iterable[Problem]:
        if self.params.days < 1:
            yield Problem("days", "must be at least 1")
        yield from _kind_problems(self.params.kinds)

    def describe(self) -> list[str]:
        return [f"A meeting ({_kinds_text(self.params.kinds)}) at least every "
                f"{self.params.days} days."]

    def evaluate(self, contacts: Sequence[Contact], as_of: dt.date,
                 started_on: dt.date) -> CadenceFinding:
        days = [c.occurred_on.date() for c in contacts
                if c.kind in self.params.kinds and c.occurred_on.date() <= as_of]
        last = max(days, default=started_on)
        due = last + dt.timedelta(days=self.params.days)
        since = "the group started" if not days else f"the last meeting ({last})"
        if as_of > due:
            return CadenceFinding(self.name, Standing.OVERDUE,
                                  f"{(as_of - due).days} days overdue since {since}", due)
        if (due - as_of).days <= self.params.due_soon_days:
            return CadenceFinding(self.name, Standing.DUE_SOON, f"next meeting due by {due}", due)
        return CadenceFinding(self.name, Standing.ON_TRACK, f"next meeting due by {due}", due)


@hookimpl
def register_cadence_rules(register):
    register(MeetingsPerTerm)
    register(MaxDaysBetween)
