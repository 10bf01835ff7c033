"""``peer-disclosure``: consent by audience, and a peer program states its Disclosure and
Confidentiality Statement and the scenarios peer mentors refer on, or its file is refused."""

from __future__ import annotations

import re

import pytest

from mentorkit import Audience, Person
from mentorkit.config.errors import ConfigError
from mentorkit.kernel.program import load_program, load_program_text
from mentorkit.testing import shipped


def test_the_summary_names_the_statement_and_every_scenario_peers_refer(mentorkit):
    shown = mentorkit("programs", "show", "peer-mentoring").output
    assert ("keeps to the Disclosure and Confidentiality Statement "
            "(https://tiny.cc/PM-Confidentiality)") in shown
    assert "refer safety, harassment, academic-jeopardy, health to the Faculty Mentor" in shown


def test_a_peer_program_without_its_statement_or_scenarios_is_refused():
    text = shipped("peer-mentoring").read_text()
    text = text.replace('disclosure = "https://tiny.cc/PM-Confidentiality"\n', "")
    text = re.sub(r"\[\[privacy\.referral_scenarios\]\]\nkey = .*\ndescription = .*\n\n", "",
                  text)
    with pytest.raises(ConfigError) as caught:
        load_program_text(text, "t.toml")
    problems = [str(p) for p in caught.value.problems]
    assert any(p.startswith("confidentiality: peer mentors work under a Disclosure")
               for p in problems)
    assert any(p.startswith("confidentiality: list the scenarios peer mentors refer")
               for p in problems)


def test_consent_decides_who_sees_a_sensitive_answer_as_the_core_policy_does():
    text = shipped("peer-mentoring").read_text().replace(
        'name = "track"', 'name = "track"\nsensitive = true', 1)
    policy = load_program_text(text, "t.toml").confidentiality
    someone = Person(1, "A", "a@x.org", "student", frozenset(),
                     {"track": "MD/PhD", "share_with": ["group"]})
    assert policy.may_see("track", someone, Audience.GROUP)
    assert not policy.may_see("track", someone, Audience.PARTICIPANTS)
    assert load_program(shipped("peer-mentoring")).confidentiality.name == "peer-disclosure"
