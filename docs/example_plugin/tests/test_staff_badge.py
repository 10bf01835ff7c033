"""``example.staff-badge``: only holders of a staff badge may join."""

from __future__ import annotations

import mentorkit_example_institution
import pytest

from mentorkit import Person
from mentorkit.config.errors import ConfigError
from mentorkit.testing import program, program_text

RULE = '[[eligibility]]\ncomponent = "example.staff-badge"\nprefix = "STAFF-"\n'


def rule(intake: str = '[[intake]]\nname = "badge"\n'):
    text = program_text(intake=intake, tables=RULE)
    return program(text, mentorkit_example_institution).eligibility[0]


def test_a_staff_badge_is_eligible_and_a_guest_badge_is_told_why():
    person = Person(1, "Bo", "bo@x.org", "mentee", frozenset({"mentee"}), {"badge": "GUEST-7"})
    assert [r.message for r in rule().check(person)] == ["badge 'GUEST-7' is not a staff badge"]
    staff = Person(2, "Ana", "ana@x.org", "mentee", frozenset({"mentee"}), {"badge": "STAFF-1"})
    assert list(rule().check(staff)) == []
    assert rule().describe() == ["Must hold a staff badge (STAFF-...)."]


def test_a_badge_field_the_program_does_not_collect_is_a_problem():
    with pytest.raises(ConfigError) as caught:
        rule(intake="")
    assert "eligibility[0].badge_field: no intake field named 'badge'" in str(caught.value)
