"""The core's generic eligibility rules: what each checks, what it says, and every mistake in
its TOML reported with the key path."""

from __future__ import annotations

import pytest

from mentorkit.config.errors import ConfigError
from mentorkit.kernel.program import Program, load_program_text
from mentorkit.kernel.values import Person
from mentorkit.services.eligibility import check
from tests.conftest import small_program

PROGRAM = small_program("rules", intake="""
[[intake]]
name = "residency"

[[intake]]
name = "pgy"
type = "integer"

[[intake]]
name = "score"
type = "number"

[[intake]]
name = "stage"
type = "choice"
choices = ["early", "mid", "late"]

[[intake]]
name = "topics"
type = "choices"
choices = ["burnout", "promotion", "publishing"]

[[intake]]
name = "lgbtq"
type = "boolean"
sensitive = true

[[intake]]
name = "started"
type = "date"

[[intake]]
name = "share_with"
type = "choices"
choices = ["group", "participants"]
""", tables="""
[matching]
component = "one-to-one"
mentee_roles = ["resident"]
mentor_roles = ["faculty"]
""")


def program(*rules: str) -> Program:
    """The test program with these ``[[eligibility]]`` tables (their keys, one per line)."""
    tables = "".join(f"\n[[eligibility]]\n{rule}\n" for rule in rules)
    return load_program_text(PROGRAM + tables, "rules.toml")


def problems(*rules: str) -> list[str]:
    with pytest.raises(ConfigError) as caught:
        program(*rules)
    return [str(problem) for problem in caught.value.problems]


def person(role: str = "resident", **answers) -> Person:
    return Person(1, "Ada", "ada@x.org", role, frozenset(), answers)


def reasons(loaded: Program, someone: Person) -> list[tuple[str, str]]:
    """(code, message) of every reason, through the core's check as eligibility runs it."""
    return [(r.code, r.message) for rule in loaded.eligibility for r in check(rule, someone)]


# --- number-between -------------------------------------------------------------------------

PGY = 'component = "number-between"\nfield = "pgy"\nmin = 1\nmax = 3\nroles = ["resident"]'


def test_number_between_takes_both_bounds_and_names_field_and_value():
    loaded = program(PGY)
    for pgy in (1, 2, 3):
        assert reasons(loaded, person(pgy=pgy)) == []
    assert reasons(loaded, person(pgy=5)) == [("pgy", "pgy 5 is outside 1-3 (for a resident)")]
    assert reasons(loaded, person(pgy=0)) == [("pgy", "pgy 0 is outside 1-3 (for a resident)")]
    assert reasons(loaded, person()) == [
        ("pgy", "pgy has no answer; it must be from 1 to 3 (for a resident)")]
    assert reasons(loaded, person(pgy="three")) == [
        ("pgy", "pgy 'three' is not a number (for a resident)")]
    assert reasons(loaded, person(pgy=True)) == [
        ("pgy", "pgy True is not a number (for a resident)")]


def test_number_between_applies_to_its_roles_only_and_to_everyone_without_roles():
    assert reasons(program(PGY), person("faculty", pgy=9)) == []
    everyone = program('component = "number-between"\nfield = "score"\nmin = 2.5\nmax = 7')
    assert reasons(everyone, person("faculty", score=7.0)) == []
    assert reasons(everyone, person("faculty", score=2.4)) == [
        ("score", "score 2.4 is outside 2.5-7")]


def test_number_between_says_the_programs_own_reason():
    loaded = program(PGY + '\nreason = "only PGY-1 to PGY-3 residents take part"')
    assert reasons(loaded, person(pgy=4)) == [("pgy", "only PGY-1 to PGY-3 residents take part")]


def test_number_between_describes_its_range():
    assert program(PGY).eligibility[0].describe() == ["resident: pgy must be from 1 to 3."]
    loaded = program('component = "number-between"\nfield = "score"\nmin = 0.5\nmax = 10')
    assert loaded.eligibility[0].describe() == ["score must be from 0.5 to 10."]


@pytest.mark.parametrize(("table", "expected"), [
    ('field = "pgi"\nmin = 1\nmax = 3', "eligibility[0].field: no intake field named 'pgi'"),
    ('field = "residency"\nmin = 1\nmax = 3',
     "eligibility[0].field: 'residency' is a text field; number-between needs an integer or "
     "number field"),
    ('field = "pgy"\nmin = 3\nmax = 1', "eligibility[0].max: must not be below min (3), got 1"),
    ('field = "pgy"\nmin = 1.5\nmax = 3',
     "eligibility[0].min: 'pgy' is an integer field: use a whole number, not 1.5"),
    ('field = "pgy"\nmin = 1\nmax = 3\nroles = ["resident", "fellow"]',
     "eligibility[0].roles[1]: no role named 'fellow'; roles: resident, faculty"),
    ('field = "pgy"\nmin = "one"\nmax = 3', 'eligibility[0].min: expected a number, got "one"'),
])
def test_number_between_problems_have_their_key_path(table, expected):
    assert problems('component = "number-between"\n' + table) == [expected]


def test_number_between_needs_both_bounds():
    found = problems('component = "number-between"\nfield = "pgy"\nmin = 1')
    assert len(found) == 1 and found[0].startswith("eligibility[0].max")


# --- answered -------------------------------------------------------------------------------

ANSWERED = 'component = "answered"\nfields = ["residency", "topics"]'


def test_answered_wants_text_that_is_not_blank_and_at_least_one_choice():
    loaded = program(ANSWERED)
    assert reasons(loaded, person(residency="IM", topics=["burnout"])) == []
    assert reasons(loaded, person(residency="  ", topics=[])) == [
        ("residency", "residency has no answer"), ("topics", "topics: none chosen")]
    assert reasons(loaded, person(topics=["burnout"])) == [("residency", "residency has no answer")]


def test_answered_counts_no_and_zero_as_answers():
    loaded = program('component = "answered"\nfields = ["lgbtq", "pgy"]')
    assert reasons(loaded, person(lgbtq=False, pgy=0)) == []
    assert [code for code, _ in reasons(loaded, person())] == ["lgbtq", "pgy"]


def test_answered_applies_to_its_roles_and_says_the_programs_reason():
    loaded = program(ANSWERED + '\nroles = ["faculty"]\nreason = "tell us where you work"')
    assert reasons(loaded, person("resident")) == []
    assert reasons(loaded, person("faculty", topics=["burnout"])) == [
        ("residency", "tell us where you work")]
    plain = program(ANSWERED + '\nroles = ["faculty"]')
    assert reasons(plain, person("faculty", residency="IM")) == [
        ("topics", "topics: none chosen (for a faculty)")]


def test_answered_describes_its_fields():
    assert program(ANSWERED).eligibility[0].describe() == [
        "residency and topics (at least one choice) must be answered."]
    loaded = program('component = "answered"\nfields = ["residency", "pgy", "topics"]\n'
                     'roles = ["resident"]')
    assert loaded.eligibility[0].describe() == [
        "resident: residency, pgy and topics (at least one choice) must be answered."]


@pytest.mark.parametrize(("table", "expected"), [
    ("fields = []", "eligibility[0].fields: list at least one intake field"),
    ('fields = ["topics", "topcs"]', "eligibility[0].fields[1]: no intake field named 'topcs'"),
    ('fields = ["topics", "topics"]', "eligibility[0].fields[1]: 'topics' is listed twice"),
    ('fields = ["topics"]\nroles = ["fellow"]',
     "eligibility[0].roles[0]: no role named 'fellow'; roles: resident, faculty"),
    ('fields = "topics"', 'eligibility[0].fields: expected an array, got "topics"'),
])
def test_answered_problems_have_their_key_path(table, expected):
    assert problems('component = "answered"\n' + table) == [expected]


def test_answered_tags_each_reason_with_the_answers_read_up_to_it():
    """A reason about a sensitive answer is hidden from those who may not see it; a reason
    about an answer read before it is not, since it rests on nothing read later."""
    loaded = program('component = "answered"\nfields = ["residency", "lgbtq"]')
    found = check(loaded.eligibility[0], person())
    assert [(r.code, r.fields) for r in found] == [
        ("residency", frozenset({"residency"})), ("lgbtq", frozenset({"residency", "lgbtq"}))]


# --- field-in -------------------------------------------------------------------------------

YEARS = 'component = "field-in"\nfield = "pgy"\nallowed = [3, 4]\nroles = ["resident"]'


def test_field_in_takes_whole_numbers_for_an_integer_field():
    loaded = program(YEARS)
    assert reasons(loaded, person(pgy=3)) == [] and reasons(loaded, person(pgy=4)) == []
    assert reasons(loaded, person(pgy=2)) == [("pgy", "pgy 2 is not 3 or 4 (for a resident)")]
    assert reasons(loaded, person()) == [
        ("pgy", "pgy has no answer; it must be 3 or 4 (for a resident)")]
    assert reasons(loaded, person("faculty", pgy=1)) == []
    assert loaded.eligibility[0].describe() == ["resident: pgy must be 3 or 4."]


def test_field_in_names_the_value_and_the_allowed_ones():
    loaded = program('component = "field-in"\nfield = "stage"\nallowed = ["early", "mid"]',
                     'component = "field-in"\nfield = "residency"\nallowed = ["IM"]',
                     'component = "field-in"\nfield = "topics"\n'
                     'allowed = ["burnout", "promotion", "publishing"]')
    assert reasons(loaded, person(stage="mid", residency="IM", topics=["promotion"])) == []
    assert reasons(loaded, person(stage="late", residency="FM", topics=[])) == [
        ("stage", "stage 'late' is not early or mid"),
        ("residency", "residency 'FM' is not IM"),
        ("topics", "topics has no answer; it must be one of: burnout, promotion, publishing")]
    two = program('component = "field-in"\nfield = "topics"\nallowed = ["burnout"]')
    assert reasons(two, person(topics=["promotion", "publishing"])) == [
        ("topics", "topics 'promotion; publishing' includes none of burnout")]
    assert [rule.describe() for rule in loaded.eligibility] == [
        ["stage must be early or mid."], ["residency must be IM."],
        ["topics must include one of: burnout, promotion, publishing."]]


@pytest.mark.parametrize(("table", "expected"), [
    ('field = "pgy"\nallowed = ["3", 4]',
     "eligibility[0].allowed[0]: expected a whole number ('pgy' is an integer field), "
     'got "3"'),
    ('field = "pgy"\nallowed = [3.5, true]',
     "eligibility[0].allowed[0]: expected a whole number ('pgy' is an integer field), got 3.5",
     ),
    ('field = "residency"\nallowed = [1]',
     "eligibility[0].allowed[0]: expected a string ('residency' is a text field), got 1"),
    ('field = "stage"\nallowed = ["early", "midd"]',
     "eligibility[0].allowed[1]: 'midd' is not a choice of 'stage'; choices: early, mid, late"),
    ('field = "stage"\nallowed = []', "eligibility[0].allowed: list at least one value"),
    ('field = "stag"\nallowed = ["early"]', "eligibility[0].field: no intake field named 'stag'"),
    ('field = "lgbtq"\nallowed = ["yes"]',
     "eligibility[0].field: 'lgbtq' is a boolean field; field-in compares text, choices and "
     "whole numbers: use 'answered-yes'"),
    ('field = "score"\nallowed = [1]',
     "eligibility[0].field: 'score' is a number field; field-in compares text, choices and "
     "whole numbers: use 'number-between'"),
    ('field = "started"\nallowed = ["2026-07-01"]',
     "eligibility[0].field: 'started' is a date field; field-in compares text, choices and "
     "whole numbers"),
    ('field = "stage"\nallowed = ["early"]\nroles = ["fellow"]',
     "eligibility[0].roles[0]: no role named 'fellow'; roles: resident, faculty"),
])
def test_field_in_problems_have_their_key_path(table, expected):
    assert problems('component = "field-in"\n' + table)[0] == expected


def test_field_in_reports_every_wrong_value():
    found = problems('component = "field-in"\nfield = "pgy"\nallowed = [3.5, true, {a = 1}]')
    assert found == [
        "eligibility[0].allowed[0]: expected a whole number ('pgy' is an integer field), got 3.5",
        "eligibility[0].allowed[1]: expected a whole number ('pgy' is an integer field), "
        "got true",
        "eligibility[0].allowed[2]: expected a whole number ('pgy' is an integer field), "
        "got a table"]


# --- together -------------------------------------------------------------------------------

def test_mistakes_in_several_rules_are_reported_at_once_by_the_command_line(run, tmp_path):
    config = tmp_path / "rules.toml"
    config.write_text(PROGRAM + '\n[[eligibility]]\ncomponent = "number-between"\nfield = "pgy"'
                      '\nmin = 3\nmax = 1\n\n[[eligibility]]\ncomponent = "answered"\n'
                      'fields = ["nope"]\n\n[[eligibility]]\ncomponent = "field-in"\n'
                      'field = "pgy"\nallowed = ["3"]\n')
    output = run("programs", "validate", config, expect=1).output
    for line in ("eligibility[0].max: must not be below min (3), got 1",
                 "eligibility[1].fields[0]: no intake field named 'nope'",
                 "eligibility[2].allowed[0]: expected a whole number"):
        assert line in output
    assert "Traceback" not in output


def test_a_sensitive_answers_reason_is_hidden_from_the_eligibility_report(run, tmp_path):
    config = tmp_path / "rules.toml"
    config.write_text(PROGRAM + '\n[[eligibility]]\ncomponent = "answered"\nfields = ["lgbtq"]'
                      '\n\n[[eligibility]]\ncomponent = "number-between"\nfield = "pgy"\n'
                      'min = 1\nmax = 3\n')
    export = tmp_path / "signups.csv"
    export.write_text("name,email,role,pgy,lgbtq\nAda,ada@x.org,resident,7,\n")
    run("programs", "add", config)
    run("participants", "import", "rules", export)
    output = run("eligibility", "rules", "--no-update").output
    assert "lgbtq has no answer" not in output
    assert "a rule on a confidential answer (\"lgbtq\")" in output
    assert "pgy 7 is outside 1-3" in output
