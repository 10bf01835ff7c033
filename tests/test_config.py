from __future__ import annotations

import re

import pytest

from mentorkit.config.errors import ConfigError
from mentorkit.kernel.program import load_program, load_program_text
from tests.conftest import CONFIGS

SHIPPED = sorted(CONFIGS.glob("*.toml"))


@pytest.mark.parametrize("path", SHIPPED, ids=lambda p: p.stem)
def test_shipped_configs_load(path):
    program = load_program(path)
    assert program.key == path.stem
    assert program.eligibility and program.cadence


def broken(text: str, old: str, new: str) -> str:
    assert old in text, old
    return text.replace(old, new, 1)


def test_every_problem_is_reported_at_once_with_its_key_path():
    text = (CONFIGS / "im-residency.toml").read_text()
    text = broken(text, "capacity = 2", 'capacity = "two"')
    text = broken(text, 'key = "im-residency"', 'key = "im-residency"\ncolour = "blue"')
    text = broken(text, 'component = "max-days-between"', 'component = "max-days-betwen"')
    text = broken(text, "signup_deadline = 2026-07-15", 'signup_deadline = "July"')
    text = broken(text, 'type = "integer"', 'type = "int"')
    with pytest.raises(ConfigError) as caught:
        load_program_text(text, "x.toml")
    lines = str(caught.value).splitlines()
    assert 'x.toml: matching.capacity: expected an integer, got "two"' in lines
    assert any(line.startswith("x.toml: program.colour: unknown key") for line in lines)
    assert any(line.startswith("x.toml: cadence[1].component: unknown cadence component "
                               "'max-days-betwen'; known: contacts-per-month, first-meeting, "
                               "max-days-between, meetings-per-term, purposes-recorded, "
                               "reply-within")
               for line in lines)
    assert 'x.toml: cycle.signup_deadline: expected a date (YYYY-MM-DD), got "July"' in lines
    assert any(line.startswith('x.toml: intake[5].type: expected one of "text"')
               for line in lines)
    assert len(lines) == 5


def test_toml_syntax_errors_give_line_and_column():
    with pytest.raises(ConfigError, match=r"bad\.toml: TOML syntax error: .*line 2, column 7"):
        load_program_text("[program]\nkey = \n", "bad.toml")


def test_cross_checks_find_rules_spanning_keys():
    text = (CONFIGS / "im-residency.toml").read_text()
    text = broken(text, 'key = "im-residency"', 'key = "IM Residency"')
    text = broken(text, "match_by = 2026-07-31", "match_by = 2026-07-01")
    text = broken(text, 'mentor_roles = ["faculty"]', 'mentor_roles = ["professor"]')
    text = broken(text, 'field = "research"', 'field = "reserch"')
    with pytest.raises(ConfigError) as caught:
        load_program_text(text, "x.toml")
    problems = {(p.path, p.message.split(";")[0]) for p in caught.value.problems}
    paths = {path for path, _ in problems}
    assert {"program.key", "cycle.match_by", "matching.mentor_roles[0]",
            "matching.criteria[1].field"} <= paths


def test_strings_are_not_coerced_to_numbers_or_lists():
    text = (CONFIGS / "im-residency.toml").read_text()
    text = broken(text, 'mentee_roles = ["resident"]', 'mentee_roles = "resident"')
    expected = 'matching.mentee_roles: expected an array, got "resident"'
    with pytest.raises(ConfigError, match=re.escape(expected)):
        load_program_text(text, "x.toml")


def test_missing_required_keys_are_named():
    with pytest.raises(ConfigError) as caught:
        load_program_text('[program]\nname = "x"\n', "x.toml")
    paths = {p.path for p in caught.value.problems}
    assert {"program.key", "cycle", "roles", "intake", "matching"} <= paths


def test_unreadable_file_is_a_config_error(tmp_path):
    with pytest.raises(ConfigError, match="cannot read file"):
        load_program(tmp_path / "missing.toml")


@pytest.mark.parametrize(("program", "old", "new", "expected"), [
    ("im-residency", "weight = 3.0", "weight = nan",
     "matching.criteria[0].weight: expected a finite number, not nan"),
    ("im-residency", "weight = 3.0", "weight = inf",
     "matching.criteria[0].weight: expected a finite number, not inf"),
    ("im-residency", "weight = 3.0", "weight = -1e308",
     "matching.criteria[0].weight: expected a number between"),
    ("im-residency", "capacity = 2", "capacity = 100000000000000000000",
     "matching.capacity: expected a number between"),
    ("peer-mentoring", "select_per_year = 26", "select_per_year = -26",
     "matching.select_per_year: expected 0 or more, not -26"),
    ("im-residency", "retention_days = 730", "retention_days = -1",
     "privacy.retention_days: expected 0 or more, not -1"),
    ("im-residency", "retention_days = 730", "retention_days = 100000000000000000",
     "privacy.retention_days: expected a number between"),
    ("lgbtq-triads", "count = 2", "count = -2", "cadence[0].count: expected 0 or more, not -2"),
    ("lgbtq-triads", "count = 2", "count = nan", "cadence[0].count: expected a finite number"),
])
def test_nonsense_numbers_are_named_with_their_key_path(program, old, new, expected):
    text = (CONFIGS / f"{program}.toml").read_text()
    assert old in text
    with pytest.raises(ConfigError) as caught:
        load_program_text(text.replace(old, new, 1), "p.toml")
    assert expected in str(caught.value)
    path = expected.split(": ", 1)[0]  # said once: not again by the reader or its component
    assert [p.path for p in caught.value.problems].count(path) == 1, str(caught.value)


def test_a_deeply_nested_file_is_a_config_error():
    with pytest.raises(ConfigError, match="nested too deeply"):
        load_program_text("a = " + "[" * 5000 + "]" * 5000, "deep.toml")
