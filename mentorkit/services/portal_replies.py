"""Messages that wait for an answer, on a member's page: which of the group's are still
waiting, and logging the answer to one, as ``meetings log --reply-to`` does, so a program's
reply-time rule (``cadence status``) measures it exactly the same.

The message answered is looked for among the member's own group's contacts only: another
group's message, or a number that is none, is "not found" (and audited) like a group that
is not theirs; a message answered already is refused, so its first answer keeps the time
the rule measures.
"""

from __future__ import annotations

import datetime as dt

import attrs

from mentorkit.kernel.program import Program
from mentorkit.services import meetings
from mentorkit.services.portal import NotYours, shown_at
from mentorkit.services.portal_actions import (
    ANSWERABLE,
    FieldError,
    beside,
    known_kind,
    member_moment,
    small_id,
)
from mentorkit.storage import audit
from mentorkit.storage.models import Group, Meeting, Participant

__all__ = ["ANSWERABLE", "Waiting", "log_answer", "waiting"]


@attrs.frozen
class Waiting:
    """A message of the group still waiting for an answer, as the reader's page shows it."""

    id: int
    when: str  # in the reader's zone
    kind: str


def _answered():
    return Meeting.select(Meeting.in_reply_to).where(Meeting.in_reply_to.is_null(False))


def waiting(group: Group, zone: dt.tzinfo) -> list[Waiting]:
    """The group's messages that wait for an answer and have none logged, the oldest
    first, their times in ``zone`` (the reader's)."""
    rows = (Meeting.select().where((Meeting.group == group) & Meeting.needs_reply
                                   & Meeting.id.not_in(_answered()))
            .order_by(Meeting.occurred_at, Meeting.id))
    return [Waiting(m.id, shown_at(m.occurred_at, zone), m.kind) for m in rows]


def log_answer(program: Program, me: Participant, group: Group, message_id: str, when: str,
               kind: str) -> int:
    """Log the answer to one of the group's messages waiting for one (the member answered
    it, or is logging the answer they were sent); returns the answer's id."""
    number = small_id(message_id)
    message = (Meeting.get_or_none((Meeting.id == number) & (Meeting.group == group)
                                   & Meeting.needs_reply) if number else None)
    if message is None:
        raise NotYours("message")
    if Meeting.select().where(Meeting.in_reply_to == message).exists():
        raise FieldError("message", "This message has its answer logged already")
    known_kind(kind)
    with beside("when"), audit.as_member(me.email):
        return meetings.log(program, group, member_moment(program, me, when), kind,
                            [str(me.id)], reply_to=meetings.number_of(message.id), strict=True)
