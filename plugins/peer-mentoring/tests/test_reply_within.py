"""``reply-within``: texts and phone calls are answered within 24 hours, e-mails within 48."""

from __future__ import annotations

import datetime as dt

from mentorkit import Contact, GroupHistory, Standing
from mentorkit.kernel.program import load_program
from mentorkit.testing import shipped

SENT = dt.datetime(2026, 10, 1, 9, 0, tzinfo=dt.UTC)


def rule():
    program = load_program(shipped("peer-mentoring"))
    return next(r for r in program.cadence if r.name == "reply-within")


def group(*contacts: Contact) -> GroupHistory:
    return GroupHistory("g", dt.date(2026, 9, 1), contacts=contacts)


def test_a_text_answered_in_time_is_on_track_and_one_left_waiting_is_overdue():
    text = Contact(SENT, "text", id=1, needs_reply=True)
    answered = Contact(SENT + dt.timedelta(hours=20), "text", id=2, in_reply_to=1)
    assert rule().evaluate(group(text, answered),
                           SENT + dt.timedelta(days=2)).standing is Standing.ON_TRACK
    waiting = rule().evaluate(group(text), SENT + dt.timedelta(hours=10))
    assert waiting.standing is Standing.DUE_SOON
    late = rule().evaluate(group(text), SENT + dt.timedelta(hours=30))
    assert late.standing is Standing.OVERDUE and "should have been answered 6 hours ago" in \
        late.message


def test_an_email_has_48_hours_and_a_late_answer_counts_against_the_group():
    email = Contact(SENT, "email", id=1, needs_reply=True)
    assert rule().evaluate(group(email),
                           SENT + dt.timedelta(hours=40)).standing is Standing.DUE_SOON
    slow = Contact(SENT + dt.timedelta(hours=60), "email", id=2, in_reply_to=1)
    finding = rule().evaluate(group(email, slow), SENT + dt.timedelta(days=5))
    assert finding.standing is Standing.OVERDUE
    assert finding.message == ("an e-mail was answered 60 hours after it was sent (it should be "
                               "within 48 hours)")
