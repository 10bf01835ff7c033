"""Core cadence rules over periods; a program combines several in its ``[[cadence]]`` tables.

* ``meetings-per-term``: at least N meetings in every term (semester) of the cycle;
* ``max-days-between``: at most D days without a meeting;
* ``contacts-per-month``: at least N contacts in every calendar month.

Dates are read in the program's time zone (``cycle.timezone``), so a meeting at 11 pm in New
York counts on the day the participants lived it. A rule never requires every member to attend.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence

import attrs

from mentorkit.kernel.concerns import CadenceRule
from mentorkit.kernel.hookspecs import hookimpl
from mentorkit.kernel.values import (
    CONTACT_KINDS,
    MEETING_KINDS,
    MESSAGE_KINDS,
    CadenceFinding,
    GroupHistory,
    Problem,
    Standing,
    Window,
)


def kind_problems(kinds: Iterable[str], path: str = "kinds") -> Iterable[Problem]:
    for i, kind in enumerate(kinds):
        if kind not in CONTACT_KINDS:
            yield Problem(f"{path}[{i}]", f"expected one of {list(CONTACT_KINDS)}, got {kind!r}")


def kinds_text(kinds: Sequence[str]) -> str:
    return " or ".join(kinds) if kinds else "any"


def _month_end(day: dt.date) -> dt.date:
    following = (day.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    return following - dt.timedelta(days=1)


def _first_whole_month(started: dt.date) -> dt.date:
    """The first day of the first calendar month a group is in from its start: a group that
    starts mid-month owes its monthly contact from the next month."""
    month = started.replace(day=1)
    return month if month == started else _month_end(month) + dt.timedelta(days=1)


def plural(n: int, word: str) -> str:
    return f"{n} {word}" + ("" if n == 1 else "s")


def finding(rule: str, missed: list[str], next_due: str, due_by: dt.date | None,
            soon: bool, on_track: str, overdue: bool | None = None) -> CadenceFinding:
    """A finding from every missed period and what is due next: overdue while any period
    fell short (or as ``overdue`` says), due soon when the next is near, else on track."""
    late = bool(missed) if overdue is None else overdue
    standing = (Standing.OVERDUE if late else Standing.DUE_SOON if soon
                else Standing.ON_TRACK)
    parts = ([f"missed {'; '.join(missed)}"] if missed else []) + (
        [f"next: {next_due}"] if next_due else [])
    return CadenceFinding(rule, standing, "; ".join(parts) or on_track, due_by,
                          tuple(missed), next_due)


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
        yield from self.below_one("count")
        yield from kind_problems(self.params.kinds)

    def describe(self) -> list[str]:
        return [f"At least {plural(self.params.count, 'meeting')} "
                f"({kinds_text(self.params.kinds)}) in every term."]

    def evaluate(self, group: GroupHistory, as_of: dt.datetime) -> CadenceFinding:
        """Every term that ended short of ``count`` is missed; the term under way says how
        many more are due by its end (or, once it has its meetings, the next term)."""
        today = self.local_date(as_of)
        count = self.params.count
        wanted = self.local_days(group, self.params.kinds, as_of)
        missed, next_due, due_by, soon = [], "", None, False
        for term in self.program.cycle.terms:
            if term.end < group.started_on:
                continue
            held = sum(1 for day in wanted
                       if max(term.start, group.started_on) <= day <= min(term.end, today))
            if term.end < today:
                if held < count:
                    missed.append(f"{term.name} ({held} of {plural(count, 'meeting')} held)")
                continue
            if next_due:
                break
            if term.start > today or held >= count:
                if term.start > today:
                    next_due = (f"{plural(count, 'meeting')} in {term.name} "
                                f"({term.start} to {term.end})")
                    due_by = term.end
                continue
            missing = count - held
            next_due = f"{plural(missing, 'more meeting')} by {term.end} ({term.name})"
            due_by = term.end
            soon = (term.end - today).days <= self.params.due_soon_days * missing
            break
        return finding(self.name, missed, next_due, due_by, soon,
                       "meetings per term on track")

    def windows(self, group: GroupHistory) -> list[Window]:
        """Each term split evenly into ``count`` windows, one meeting in each."""
        found = []
        for term in self.program.cycle.terms:
            start = max(term.start, group.started_on)
            if start > term.end:
                continue
            span = (term.end - start).days + 1
            for n in range(self.params.count):
                first = start + dt.timedelta(days=span * n // self.params.count)
                last = start + dt.timedelta(days=span * (n + 1) // self.params.count - 1)
                found.append(Window(first, last, f"{term.name}: meeting {n + 1} of "
                                                 f"{self.params.count}"))
        return found


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
        yield from self.below_one("days")
        yield from kind_problems(self.params.kinds)

    def describe(self) -> list[str]:
        return [f"A meeting ({kinds_text(self.params.kinds)}) at least every "
                f"{self.params.days} days."]

    def evaluate(self, group: GroupHistory, as_of: dt.datetime) -> CadenceFinding:
        """Every stretch of more than ``days`` without a meeting is missed (the one still
        open included); the next meeting is due ``days`` after the last."""
        today = self.local_date(as_of)
        days = sorted(self.local_days(group, self.params.kinds, as_of))
        limit = dt.timedelta(days=self.params.days)
        missed = [f"{plural((b - a).days, 'day')} without a meeting ({a} to {b})"
                  for a, b in zip([group.started_on, *days], days, strict=False)
                  if b - a > limit]
        last = days[-1] if days else group.started_on
        due = last + limit
        since = "the group started" if not days else f"the last meeting ({last})"
        if today > due:  # the gap open now is what is due next, not an earlier shortfall
            return finding(self.name, missed,
                           f"a meeting as soon as possible ({plural((today - due).days, 'day')} "
                           f"overdue: due {due}, {days_word(limit.days)} after {since})",
                           due, True, "", overdue=True)
        # a long gap earlier is reported; the standing is the gap open now
        return finding(self.name, missed, f"a meeting by {due}", due,
                       (due - today).days <= self.params.due_soon_days, "", overdue=False)

    def windows(self, group: GroupHistory) -> list[Window]:
        """Back-to-back windows of ``days`` from the group's start to the cycle's end."""
        found, start = [], group.started_on
        end_of_cycle = self.program.cycle.academic_year_end
        while start <= end_of_cycle:
            last = min(start + dt.timedelta(days=self.params.days - 1), end_of_cycle)
            found.append(Window(start, last, "meet at least once in this window"))
            start = last + dt.timedelta(days=1)
        return found


@attrs.frozen
class PerMonthParams:
    count: int = 1
    kinds: list[str] = attrs.field(factory=lambda: [*MEETING_KINDS, *MESSAGE_KINDS])
    due_soon_days: int = 7


class ContactsPerMonth(CadenceRule):
    """At least `count` contacts of the given kinds in every calendar month."""

    name = "contacts-per-month"
    Params = PerMonthParams

    def problems(self) -> Iterable[Problem]:
        yield from self.below_one("count")
        yield from kind_problems(self.params.kinds)

    def describe(self) -> list[str]:
        return [f"At least {plural(self.params.count, 'contact')} "
                f"({kinds_text(self.params.kinds)}) in every calendar month, from the group's "
                "first whole month."]

    def evaluate(self, group: GroupHistory, as_of: dt.datetime) -> CadenceFinding:
        """Every month that ended short of ``count`` contacts is missed; this month says
        what is due by its end."""
        today = self.local_date(as_of)
        count = self.params.count
        days = self.local_days(group, self.params.kinds, as_of)
        month = _first_whole_month(group.started_on)
        missed, next_due, due_by, soon = [], "", None, False
        while month <= today:
            end = _month_end(month)
            held = sum(1 for day in days if month <= day <= end)
            if end < today and held < count:
                missed.append(f"{month:%B %Y} ({held} of {plural(count, 'contact')} held)")
            elif end >= today:
                due_by = end
                if held < count:
                    next_due = f"{plural(count - held, 'contact')} by {end} ({month:%B})"
                    soon = (end - today).days <= self.params.due_soon_days
                else:
                    following = end + dt.timedelta(days=1)
                    next_due = (f"{plural(count, 'contact')} in {following:%B} (by "
                                f"{_month_end(following)})")
                    due_by = _month_end(following)
            month = end + dt.timedelta(days=1)
        if not next_due and month > today:  # the group's first whole month is still ahead
            next_due = f"{plural(count, 'contact')} in {month:%B} (by {_month_end(month)})"
            due_by = _month_end(month)
        return finding(self.name, missed, next_due, due_by, soon, "monthly contact on track")

    def windows(self, group: GroupHistory) -> list[Window]:
        found = []
        month = _first_whole_month(group.started_on)
        while month <= self.program.cycle.academic_year_end:
            found.append(Window(month, _month_end(month),
                                f"{month:%B}: at least {plural(self.params.count, 'contact')}"))
            month = _month_end(month) + dt.timedelta(days=1)
        return found


@hookimpl
def register_cadence_rules(register):
    for rule in (MeetingsPerTerm, MaxDaysBetween, ContactsPerMonth):
        register(rule)


def days_word(days: int) -> str:
    return plural(days, "day")
