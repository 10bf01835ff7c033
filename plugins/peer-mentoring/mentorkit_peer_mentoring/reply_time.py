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
