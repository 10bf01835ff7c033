"""Core cadence rules about answering: messages that await a reply are answered in time, and a
group whose member cannot attend the program's event meets on its own soon after it.

* ``reply-within``: a message that awaits an answer is answered within H hours, by channel;
* ``first-meeting``: a group with a member who cannot attend the program's event holds its
  first meeting within D days of the event.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

import attrs

from mentorkit.builtin.cadence.periodic import kind_problems, plural
from mentorkit.kernel.concerns import CadenceRule
from mentorkit.kernel.hookspecs import hookimpl
from mentorkit.kernel.values import (
    MEETING_KINDS,
    CadenceFinding,
    GroupHistory,
    Problem,
    Standing,
    Window,
)

# the channels of a message, as a reader says them
CHANNELS = {"text": "text", "phone": "phone message", "email": "e-mail", "video": "video call",
            "in-person": "meeting"}


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
        yield from kind_problems(self.params.hours, "hours")
        for kind, hours in self.params.hours.items():
            if hours < 1:
                yield Problem(f"hours.{kind}", "must be at least 1")

    def describe(self) -> list[str]:
        by_hours: dict[int, list[str]] = {}
        for kind, hours in self.params.hours.items():
            by_hours.setdefault(hours, []).append(CHANNELS.get(kind, kind))
        limits = ", ".join(" or ".join(f"a {kind}" for kind in kinds) + " within "
                           + plural(hours, "hour") for hours, kinds in by_hours.items())
        return [f"A message that waits for an answer is answered in time: {limits}."]

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
                late.append(f"a {CHANNELS.get(message.kind, message.kind)} was answered "
                            f"{plural(round(hours), 'hour')} after it was sent (it should be "
                            f"within {plural(limit, 'hour')})")
        if unanswered:
            message, deadline = min(unanswered, key=lambda item: item[1])
            hours = (as_of - deadline).total_seconds() / 3600
            return CadenceFinding(self.name, Standing.OVERDUE,
                                  f"{plural(len(unanswered), 'message')} still "
                                  f"{'waits' if len(unanswered) == 1 else 'wait'} for an answer; "
                                  f"the oldest, a {CHANNELS.get(message.kind, message.kind)}, "
                                  f"should have been answered {plural(round(hours), 'hour')} "
                                  "ago",
                                  self.local_date(deadline))
        if late:
            return CadenceFinding(self.name, Standing.OVERDUE, "; ".join(late))
        if waiting:
            message, deadline = min(waiting, key=lambda item: item[1])
            return CadenceFinding(self.name, Standing.DUE_SOON,
                                  f"a {CHANNELS.get(message.kind, message.kind)} waits for an "
                                  "answer by "
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
        yield from kind_problems(self.params.kinds)

    def describe(self) -> list[str]:
        return [f"Matches first meet at the {self.params.event}; a group with a member who "
                f"cannot attend holds a separate first meeting within "
                f"{plural(self.params.within_days, 'day')} of it."]

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
    register(ReplyWithin)
    register(FirstMeeting)
