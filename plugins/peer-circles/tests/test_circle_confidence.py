"""``circle-confidence``: what is said in a circle stays in it. A sensitive answer reaches a
member's own circle at most (with their consent), never all participants, whatever the consent
says; whether someone is listed still follows their consent."""

from __future__ import annotations

import pytest

from mentorkit import Audience, Person
from mentorkit.config.errors import ConfigError
from mentorkit.kernel.program import load_program_text
from mentorkit.testing import shipped


def program_with_a_sensitive_specialty(statement: str = ""):
    text = shipped("peer-circles").read_text().replace(
        'name = "specialty"', 'name = "specialty"\nsensitive = true', 1)
    if statement:
        text = text.replace('statement = "What is said in a circle stays in it."',
                            f'statement = "{statement}"')
    return load_program_text(text, "t.toml")


def test_a_sensitive_answer_never_goes_beyond_the_circle():
    policy = program_with_a_sensitive_specialty().confidentiality
    everyone = Person(1, "A", "a@x.org", "peer", frozenset(),
                      {"specialty": "surgery", "share_with": ["group", "participants"]})
    assert policy.may_see("specialty", everyone, Audience.GROUP)
    assert not policy.may_see("specialty", everyone, Audience.PARTICIPANTS)
    assert policy.may_list(everyone, Audience.PARTICIPANTS)  # listing follows consent
    nobody = Person(2, "B", "b@x.org", "peer", frozenset(),
                    {"specialty": "surgery", "share_with": []})
    assert not policy.may_see("specialty", nobody, Audience.GROUP)
    assert not policy.may_list(nobody, Audience.PARTICIPANTS)


def test_the_statement_is_shown_and_cannot_be_empty(mentorkit):
    shown = mentorkit("programs", "show", "peer-circles").output
    assert "What is said in a circle stays in it. A sensitive answer reaches" in shown
    with pytest.raises(ConfigError) as caught:
        program_with_a_sensitive_specialty(statement=" ")
    assert "confidentiality.statement: state the circle's confidentiality" in str(caught.value)
