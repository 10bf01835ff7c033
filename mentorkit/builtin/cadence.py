"""Core cadence rules; a program combines several in its ``[[cadence]]`` tables.

* ``meetings-per-term``: at least N meetings in every term (semester) of the cycle;
* ``max-days-between``: at most D days without a meeting;
* ``contacts-per-month``: at least N contacts in every calendar month;
* ``reply-within``: a message that awaits an answer is answered within H hours, by channel;
* ``first-meeting``: a group with a member who cannot attend the program's event holds its
  first meeting within D days of the event.

Dates are read in the program's time zone (``cycle.timezone``), so a meeting at 11 pm in New
York counts on the day the participants lived it. A rule never requires every member to attend.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence

import attrs

from mentorkit.concerns import (
    CadenceFinding,
    CadenceRule,
    GroupHistory,
    Problem,
    Standing,
    Window,
)
from mentorkit.hookspecs import hookimpl

MEETING_KINDS = ("in-person", "video", "phone")
MESSAGE_KINDS = ("text", "email")
CONTACT_KINDS = (*MEETING_KINDS, *MESSAGE_KINDS, "absence-notice")


def _kind_problems(kinds: Iterable[str], path: str = "kinds") -> Iterable[Problem]:
    for i, kind in enumerate(kinds):
        if kind not in CONTACT_KINDS:
            yield Problem(f"{path}[{i}]", f"expected one of {list(CONTACT_KINDS)}, got {kind!r}")


def _kinds_text(kinds: Sequence[str]) -> str:
    return " or ".join(kinds) if kinds else "any"


def _month_end(day: dt.date) -> dt.date:
    following = (day.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    return following - dt.timedelta(days=1)


def _first_whole_month(started: dt.date) -> dt.date:
    """The first day of the first calendar month a group is in from its start: a group that
    starts mid-month owes its monthly contact from the next month."""
    month = started.replace(day=1)
    return month if month == started else _month_end(month) + dt.timedelta(days=1)


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

    def evaluate(self, group: GroupHistory, as_of: dt.datetime) -> CadenceFinding:
        today = self.local_date(as_of)
        wanted = [self.local_date(c.occurred_at) for c in group.contacts
                  if c.kind in self.params.kinds]
        for term in self.program.cycle.terms:
            if term.end < group.started_on or term.start > today:
                continue
            held = sum(1 for day in wanted
                       if max(term.start, group.started_on) <= day <= min(term.end, today))
            missing = self.params.count - held
            if missing <= 0:
                continue
            if term.end < today:
                return CadenceFinding(self.name, Standing.OVERDUE,
                                      f"{term.name}: {held} of {self.params.count} meetings held",
                                      term.end)
            if (term.end - today).days <= self.params.due_soon_days * missing:
                return CadenceFinding(self.name, Standing.DUE_SOON,
                                      f"{term.name}: {missing} more meeting(s) due by {term.end}",
                                      term.end)
        return CadenceFinding(self.name, Standing.ON_TRACK, "meetings per term on track")

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
        if self.params.days < 1:
            yield Problem("days", "must be at least 1")
        yield from _kind_problems(self.params.kinds)

    def describe(self) -> list[str]:
        return [f"A meeting ({_kinds_text(self.params.kinds)}) at least every "
                f"{self.params.days} days."]

    def evaluate(self, group: GroupHistory, as_of: dt.datetime) -> CadenceFinding:
        today = self.local_date(as_of)
        days = [self.local_date(c.occurred_at) for c in group.contacts
                if c.kind in self.params.kinds and c.occurred_at <= as_of]
        last = max(days, default=group.started_on)
        due = last + dt.timedelta(days=self.params.days)
        since = "the group started" if not days else f"the last meeting ({last})"
        if today > due:
            return CadenceFinding(self.name, Standing.OVERDUE,
                                  f"{(today - due).days} days overdue since {since}", due)
        if (due - today).days <= self.params.due_soon_days:
            return CadenceFinding(self.name, Standing.DUE_SOON, f"next meeting due by {due}", due)
        return CadenceFinding(self.name, Standing.ON_TRACK, f"next meeting due by {due}", due)

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
        if self.params.count < 1:
            yield Problem("count", "must be at least 1")
        yield from _kind_problems(self.params.kinds)

    def describe(self) -> list[str]:
        return [f"At least {self.params.count} contact(s) ({_kinds_text(self.params.kinds)}) "
                "in every calendar month (from the first whole month of the group)."]

    def evaluate(self, group: GroupHistory, as_of: dt.datetime) -> CadenceFinding:
        today = self.local_date(as_of)
        days = [self.local_date(c.occurred_at) for c in group.contacts
                if c.kind in self.params.kinds and c.occurred_at <= as_of]
        month = _first_whole_month(group.started_on)
        while month <= today:
            end = _month_end(month)
            held = sum(1 for day in days if month <= day <= end)
            if held < self.params.count:
                label = month.strftime("%B %Y")
                if end < today:
                    return CadenceFinding(self.name, Standing.OVERDUE,
                                          f"{label}: {held} of {self.params.count} contacts", end)
                if (end - today).days <= self.params.due_soon_days:
                    return CadenceFinding(self.name, Standing.DUE_SOON,
                                          f"{label}: a contact due by {end}", end)
            month = end + dt.timedelta(days=1)
        return CadenceFinding(self.name, Standing.ON_TRACK, "monthly contact on track")

    def windows(self, group: GroupHistory) -> list[Window]:
        found = []
        month = _first_whole_month(group.started_on)
        while month <= self.program.cycle.academic_year_end:
            found.append(Window(month, _month_end(month),
                                f"{month:%B}: at least {self.params.count} contact(s)"))
            month = _month_end(month) + dt.timedelta(days=1)
        return found


@attrs.frozen
class ReplyParams:
    # hours to answer, per channel of the message
    hours: dict[str, int] = attrs.field(factory=lambda: {"text": 24, "phone": 24, "email": 48})
    lookback_days: int = 30  # late answers this recent still count against the group


class ReplyWithin(CadenceRule):
    """Messages awaiting an answer are answered within the hours set for their channel."""

    name = "reply-within"
    Params = ReplyParams

    def problems(self) -> Iterable[Problem]:
        yield from _kind_problems(self.params.hours, "hours")
        for kind, hours in self.params.hours.items():
            if hours < 1:
                yield Problem(f"hours.{kind}", "must be at least 1")

    def describe(self) -> list[str]:
        limits = ", ".join(f"{kind} within {h} hours" for kind, h in self.params.hours.items())
        return [f"Replies: {limits} (a logged message marked as awaiting a reply, answered by "
                "a contact that refers to it)."]

    def evaluate(self, group: GroupHistory, as_of: dt.datetime) -> CadenceFinding:
        replies: dict[int, dt.datetime] = {}
        for contact in group.contacts:
            if contact.in_reply_to is not None and contact.occurred_at <= as_of:
                first = replies.get(contact.in_reply_to)
                replies[contact.in_reply_to] = min(first, contact.occurred_at) if first else (
                    contact.occurred_at)
        recent = as_of - dt.timedelta(days=self.params.lookback_days)
        unanswered, late, waiting = [], [], []
        for message in group.contacts:
            limit = self.params.hours.get(message.kind)
            if not message.needs_reply or limit is None or message.occurred_at > as_of:
                continue
            deadline = message.occurred_at + dt.timedelta(hours=limit)
            answered = replies.get(message.id)
            if answered is None:
                (unanswered if as_of > deadline else waiting).append((message, deadline))
            elif answered > deadline and answered >= recent:
                hours = (answered - message.occurred_at).total_seconds() / 3600
                late.append(f"a {message.kind} answered after {hours:.0f} h (limit {limit} h)")
        if unanswered:
            message, deadline = min(unanswered, key=lambda item: item[1])
            hours = (as_of - deadline).total_seconds() / 3600
            return CadenceFinding(self.name, Standing.OVERDUE,
                                  f"{len(unanswered)} message(s) unanswered; the oldest "
                                  f"({message.kind}) is {hours:.0f} h past its "
                                  f"{self.params.hours[message.kind]} h limit",
                                  self.local_date(deadline))
        if late:
            return CadenceFinding(self.name, Standing.OVERDUE, "; ".join(late))
        if waiting:
            message, deadline = min(waiting, key=lambda item: item[1])
            return CadenceFinding(self.name, Standing.DUE_SOON,
                                  f"a {message.kind} awaits a reply by "
                                  f"{deadline.astimezone(self.program.cycle.zone):%Y-%m-%d %H:%M}",
                                  self.local_date(deadline))
        return CadenceFinding(self.name, Standing.ON_TRACK, "replies on time")


@attrs.frozen
class FirstMeetingParams:
    event: str  # the name of one of cycle.events (e.g. the networking event)
    attendance_field: str  # a boolean intake field: can attend the event
    within_days: int = 14
    kinds: list[str] = attrs.field(factory=lambda: list(MEETING_KINDS))


class FirstMeeting(CadenceRule):
    """Groups with a member who cannot attend the event meet on their own within days."""

    name = "first-meeting"
    Params = FirstMeetingParams

    def _event(self):
        return next((e for e in self.program.cycle.events if e.name == self.params.event), None)

    def problems(self) -> Iterable[Problem]:
        if self._event() is None:
            names = [e.name for e in self.program.cycle.events]
            yield Problem("event", f"no cycle event named {self.params.event!r}; events: {names}")
        field = self.program.field(self.params.attendance_field)
        if field is None or field.type != "boolean":
            yield Problem("attendance_field",
                          f"no boolean intake field named {self.params.attendance_field!r}")
        yield from _kind_problems(self.params.kinds)

    def describe(self) -> list[str]:
        return [f"Matches first meet at the {self.params.event}; a group with a member who "
                f"cannot attend holds a separate first meeting within {self.params.within_days} "
                "days of it, tracked here."]

    def evaluate(self, group: GroupHistory, as_of: dt.datetime) -> CadenceFinding:
        absent = [m.name for m in group.members if m.value(self.params.attendance_field) is False]
        event = self._event()
        if not absent or event is None:
            return CadenceFinding(self.name, Standing.ON_TRACK,
                                  f"meets at the {self.params.event}")
        met = [c for c in group.contacts if c.kind in self.params.kinds
               and self.local_date(c.occurred_at) >= group.started_on and c.occurred_at <= as_of]
        if met:
            first = min(self.local_date(c.occurred_at) for c in met)
            return CadenceFinding(self.name, Standing.ON_TRACK, f"first meeting held on {first}")
        due = max(event.date, group.started_on) + dt.timedelta(days=self.params.within_days)
        who = ", ".join(absent)
        today = self.local_date(as_of)
        if today > due:
            return CadenceFinding(self.name, Standing.OVERDUE,
                                  f"no first meeting yet ({who} could not attend the "
                                  f"{self.params.event}); {(today - due).days} days overdue", due)
        return CadenceFinding(self.name, Standing.DUE_SOON,
                              f"a separate first meeting is due by {due} ({who} cannot attend "
                              f"the {self.params.event})", due)

    def windows(self, group: GroupHistory) -> list[Window]:
        event = self._event()
        if event is None or not any(m.value(self.params.attendance_field) is False
                                    for m in group.members):
            return []
        return [Window(event.date, event.date + dt.timedelta(days=self.params.within_days),
                       "separate first meeting (a member cannot attend the "
                       f"{self.params.event})")]


@hookimpl
def register_cadence_rules(register):
    for rule in (MeetingsPerTerm, MaxDaysBetween, ContactsPerMonth, ReplyWithin, FirstMeeting):
        register(rule)
