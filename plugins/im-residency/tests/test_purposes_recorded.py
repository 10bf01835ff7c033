"""``purposes-recorded``: each relationship records the purposes it serves soon after it starts;
one with none is due, then overdue, until the coordinator records them."""

from __future__ import annotations

import datetime as dt

import pytest

from mentorkit import GroupHistory, Standing
from mentorkit.config.errors import ConfigError
from mentorkit.kernel.program import load_program, load_program_text
from mentorkit.testing import shipped

STARTED = dt.date(2026, 8, 1)


def rule():
    program = load_program(shipped("im-residency"))
    return next(r for r in program.cadence if r.name == "purposes-recorded")


def at(day: str) -> dt.datetime:
    return dt.datetime.fromisoformat(f"{day}T12:00:00+00:00")


def test_a_group_with_its_purposes_is_on_track():
    finding = rule().evaluate(GroupHistory("g", STARTED, purposes=("academic support",)),
                              at("2026-12-01"))
    assert finding.standing is Standing.ON_TRACK
    assert finding.message == "serves: academic support"


def test_a_group_without_purposes_is_due_then_overdue():
    due = rule().evaluate(GroupHistory("g", STARTED), at("2026-08-20"))
    assert due.standing is Standing.DUE_SOON and due.due_by == dt.date(2026, 8, 31)
    assert "by 2026-08-31" in due.next_due
    late = rule().evaluate(GroupHistory("g", STARTED), at("2026-09-10"))
    assert late.standing is Standing.OVERDUE
    assert late.message == "no purpose recorded yet; 10 days overdue"


def test_a_program_that_lists_no_purposes_is_told_so():
    text = shipped("im-residency").read_text()
    text = text.replace("purposes = [", "former_purposes = [", 1)
    text = text.replace('purposes_field = "purposes"\n', "")
    with pytest.raises(ConfigError) as caught:
        load_program_text(text.replace("former_purposes = [", "# purposes = [", 1), "t.toml")
    assert "cadence[2]: the program lists no purposes to record: add tracking.purposes" in str(
        caught.value)


def test_recording_purposes_puts_a_group_on_track_through_the_command_line(mentorkit):
    mentorkit("programs", "add", "im-residency")
    mentorkit("participants", "import", "im-residency", mentorkit.signups("im-residency"),
              expect=1)
    mentorkit("eligibility", "im-residency")
    mentorkit("match", "run", "im-residency")
    mentorkit("match", "accept", "im-residency", "--starts-on", "2026-08-01")
    rows = mentorkit.json("cadence", "status", "im-residency", "--as-of", "2026-09-15")
    # groups start with the purposes their members chose at sign-up; one with none is overdue
    findings = [f for row in rows for f in row["findings"] if f["rule"] == "purposes-recorded"]
    assert findings and all(f["standing"] in ("on track", "overdue") for f in findings)
    label = rows[0]["group"]
    mentorkit("match", "purposes", "im-residency", label, "academic support")
    again = mentorkit.json("cadence", "status", "im-residency", "--as-of", "2026-09-15")
    mine = next(r for r in again if r["group"] == label)
    assert {"rule": "purposes-recorded", "standing": "on track"}.items() <= next(
        f for f in mine["findings"] if f["rule"] == "purposes-recorded").items()


def test_its_description_is_written_for_members_not_coordinators():
    """It is read in letters and on the member's page: no field key, no command."""
    purposes_recorded = rule()
    text = " ".join(purposes_recorded.describe())
    assert "mentorkit" not in text and "`" not in text and "'purposes'" not in text
    assert all(purpose in text for purpose in purposes_recorded.program.tracking.purposes)
