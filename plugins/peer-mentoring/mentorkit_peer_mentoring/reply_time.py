"""Replies in time: a message that awaits an answer is answered within the hours set for its
channel (``reply-within``). The peer mentoring program's rule: texts and phone calls within 24
hours, e-mails within 48; any program whose members write to each other can use it."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

import attrs

from mentorkit import CadenceFinding, CadenceRule, GroupHistory, Problem, Standing, kind_problems


@attrs.frozen
class ReplyParams:
    # hours to answer, per channel of the message
    hours: dict[str, int] = attrs.field(factory=lambda: {"text": 24, "phone": 24, "email": 48})
    lookback_days: int = 30  # late answers this recent still count against the group


# the channels of a message, as a reader says them
CHANNELS = {"text": "text", "phone": "phone message", "email": "e-mail", "video": "video call",
            "in-person": "meeting"}


def a(kind: str) -> str:
    """The channel with its article, as a reader says it: "a text", "an e-mail"."""
    said = CHANNELS.get(kind, kind)
    return ("an " if said[:1].lower() in "aeiou" else "a ") + said


def plural(n: int, word: str) -> str:
    return f"{n} {word}" + ("" if n == 1 else "s")


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
            by_hours.setdefault(hours, []).append(a(kind))
        limits = ", ".join(" or ".join(kinds) + " within "
                           + plural(hours, "hour") for hours, kinds in by_hours.items())
        return [f"A message that waits for an answer is answered in time: {limits}."]

    def _local(self, moment: dt.datetime) -> str:
        return f"{moment.astimezone(self.program.cycle.zone):%Y-%m-%d %H:%M}"

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
                late.append(f"{a(message.kind)} was answered "
                            f"{plural(round(hours), 'hour')} after it was sent (it should be "
                            f"within {plural(limit, 'hour')})")
        if unanswered:
            message, deadline = min(unanswered, key=lambda item: item[1])
            hours = (as_of - deadline).total_seconds() / 3600
            return CadenceFinding(self.name, Standing.OVERDUE,
                                  f"{plural(len(unanswered), 'message')} still "
                                  f"{'waits' if len(unanswered) == 1 else 'wait'} for an answer; "
                                  f"the oldest, {a(message.kind)}, "
                                  f"should have been answered {plural(round(hours), 'hour')} "
                                  "ago",
                                  self.local_date(deadline), tuple(late),
                                  next_due=f"an answer to the {message.kind} waiting since "
                                  f"{self._local(message.occurred_at)}, as soon as possible")
        if late:  # a reply that came late is a shortfall to report, not a thing to do now
            return CadenceFinding(self.name, Standing.OVERDUE, "; ".join(late),
                                  missed=tuple(late))
        if waiting:
            message, deadline = min(waiting, key=lambda item: item[1])
            return CadenceFinding(self.name, Standing.DUE_SOON,
                                  f"{a(message.kind)} waits for an "
                                  "answer by "
                                  f"{deadline.astimezone(self.program.cycle.zone):%Y-%m-%d %H:%M}",
                                  self.local_date(deadline))
        return CadenceFinding(self.name, Standing.ON_TRACK, "replies on time")
