"""The first meeting at the program's event (``first-meeting``): matches first meet at an event
(the LGBTQ program's networking event), and a group with a member who cannot attend holds a
separate first meeting within D days of it, tracked like any cadence rule."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

import attrs

from mentorkit import (
    MEETING_KINDS,
    CadenceFinding,
    CadenceRule,
    GroupHistory,
    Problem,
    Standing,
    Window,
    kind_problems,
)


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
        yield from kind_problems(self.params.kinds)

    def describe(self) -> list[str]:
        days = self.params.within_days
        return [f"Matches first meet at the {self.params.event}; a group with a member who "
                f"cannot attend holds a separate first meeting within {days} "
                f"day{'' if days == 1 else 's'} of it."]

    def _late(self, group: GroupHistory, event) -> bool:
        """Whether the group was formed after the event: it could not meet there."""
        return event is not None and group.started_on > event.date

    def evaluate(self, group: GroupHistory, as_of: dt.datetime) -> CadenceFinding:
        absent = [m.name for m in group.members if m.value(self.params.attendance_field) is False]
        event = self._event()
        late = self._late(group, event)
        if (not absent and not late) or event is None:
            return CadenceFinding(self.name, Standing.ON_TRACK,
                                  f"meets at the {self.params.event}")
        met = [c for c in group.contacts if c.kind in self.params.kinds
               and self.local_date(c.occurred_at) >= group.started_on and c.occurred_at <= as_of]
        if met:
            first = min(self.local_date(c.occurred_at) for c in met)
            return CadenceFinding(self.name, Standing.ON_TRACK, f"first meeting held on {first}")
        due = max(event.date, group.started_on) + dt.timedelta(days=self.params.within_days)
        why = (f"the group was formed after the {self.params.event}" if late else
               f"{_listed(absent)} could not attend the {self.params.event}")
        today = self.local_date(as_of)
        # what a letter, a reminder or the page asks of the group, and why
        if today > due:
            return CadenceFinding(self.name, Standing.OVERDUE,
                                  f"no first meeting yet ({why}); {(today - due).days} days "
                                  "overdue", due, next_due=f"a first meeting as soon as "
                                  f"possible ({why}; it was due by {due})")
        return CadenceFinding(self.name, Standing.DUE_SOON,
                              f"a separate first meeting is due by {due} ({why})", due,
                              next_due=f"a separate first meeting by {due} ({why})")

    def windows(self, group: GroupHistory) -> list[Window]:
        """The separate first meeting's window, as :meth:`evaluate` judges it: from the event
        (or from the group's first day, when it was formed after the event)."""
        event = self._event()
        if event is None:
            return []
        if self._late(group, event):
            return [Window(group.started_on, group.started_on + dt.timedelta(
                days=self.params.within_days), "first meeting (the group was formed after "
                f"the {self.params.event})")]
        if not any(m.value(self.params.attendance_field) is False for m in group.members):
            return []
        return [Window(event.date, event.date + dt.timedelta(days=self.params.within_days),
                       "separate first meeting (a member cannot attend the "
                       f"{self.params.event})")]


def _listed(names: list[str]) -> str:
    """"A", "A and B", "A, B and C": a reminder says "you and B", not "you, B"."""
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]
