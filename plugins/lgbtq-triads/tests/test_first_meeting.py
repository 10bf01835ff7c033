"""``first-meeting``: groups first meet at the program's networking event; one with a member
who cannot attend holds its own first meeting within 14 days of it."""

from __future__ import annotations

import datetime as dt

import pytest

from mentorkit import Contact, GroupHistory, Person, Standing
from mentorkit.config.errors import ConfigError
from mentorkit.kernel.program import load_program, load_program_text
from mentorkit.testing import shipped

EVENT = dt.date(2026, 10, 20)  # the Fall Networking Event of the shipped program


def rule():
    program = load_program(shipped("lgbtq-triads"))
    return next(r for r in program.cadence if r.name == "first-meeting")


def member(pid: int, attends: bool) -> Person:
    return Person(pid, f"P{pid}", f"p{pid}@x.org", "student", frozenset(),
                  {"attends_networking_event": attends})


def at(day: str) -> dt.datetime:
    return dt.datetime.fromisoformat(f"{day}T12:00:00+00:00")


def test_a_group_that_all_attend_meets_at_the_event():
    group = GroupHistory("g", dt.date(2026, 10, 14), (member(1, True), member(2, True)))
    assert rule().evaluate(group, at("2026-12-01")).standing is Standing.ON_TRACK
    assert rule().windows(group) == []


def test_a_member_who_cannot_attend_makes_a_separate_first_meeting_due():
    group = GroupHistory("g", dt.date(2026, 10, 14), (member(1, True), member(2, False)))
    due = rule().evaluate(group, at("2026-10-25"))
    assert due.standing is Standing.DUE_SOON and due.due_by == EVENT + dt.timedelta(days=14)
    assert "P2 could not attend" in due.message
    assert rule().evaluate(group, at("2026-11-10")).standing is Standing.OVERDUE
    [window] = rule().windows(group)
    assert (window.start, window.end) == (EVENT, EVENT + dt.timedelta(days=14))
    met = GroupHistory("g", group.started_on, group.members,
                       (Contact(at("2026-10-28"), "video"),))
    assert rule().evaluate(met, at("2026-11-10")).standing is Standing.ON_TRACK


def test_a_group_formed_after_the_event_has_its_first_meeting_due_from_its_first_day():
    """It could not meet at the event: all its members, who attend or not, meet within the
    days from its first day; its window is that one, never the past event's."""
    start = dt.date(2026, 12, 6)
    group = GroupHistory("g", start, (member(1, True), member(2, True)))
    due = rule().evaluate(group, at("2026-12-08"))
    assert due.standing is Standing.DUE_SOON and due.due_by == start + dt.timedelta(days=14)
    assert "formed after the Fall Networking Event" in due.message
    [window] = rule().windows(group)
    assert (window.start, window.end) == (start, start + dt.timedelta(days=14))
    assert rule().evaluate(group, at("2026-12-25")).standing is Standing.OVERDUE


def test_an_event_the_cycle_does_not_have_is_a_problem_with_its_key_path():
    text = shipped("lgbtq-triads").read_text().replace(
        'event = "Fall Networking Event"', 'event = "Spring Gala"')
    with pytest.raises(ConfigError) as caught:
        load_program_text(text, "t.toml")
    assert "cadence[1].event: no cycle event named 'Spring Gala'" in str(caught.value)
