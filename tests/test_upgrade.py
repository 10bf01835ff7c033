"""Programs written for an earlier mentorkit named eligibility rules of the shipped programs'
own plugins, which are gone: the database rewrites every stored program into the core's rules
with the same parameters, and a file on disk gets a message that says what to write."""

from __future__ import annotations

import re

import pytest

from mentorkit.config.errors import ConfigError
from mentorkit.config.upgrade import upgrade_text
from mentorkit.kernel.program import load_program, load_program_text
from mentorkit.services.programs import load_stored_program, store_program
from mentorkit.storage.database import open_database
from mentorkit.storage.migrations import migrate
from mentorkit.storage.models import ProgramRecord, SchemaVersion
from tests.conftest import CONFIGS

# Each shipped program's eligibility as its plugin's rule, as the files were written before.
FORMER = {
    "im-residency": 'component = "im-residency.eligibility"\nmax_pgy = 3',
    "lgbtq-triads": 'component = "lgbtq-triads.eligibility"\ninstitutions = ["Perelman School '
                    'of Medicine (PSOM)", "Penn Medicine", "UPHS", "CHOP"]',
    "peer-mentoring": 'component = "peer-mentoring.year-for-role"\n'
                      'years = { "peer-mentor" = [3, 4], "student" = [1, 2] }',
    "peer-circles": 'component = "peer-circles.eligibility"\n'
                    'stages = ["trainee", "early career", "mid career", "senior"]',
}
CORE_RULE = re.compile(r'\[\[eligibility\]\]\n(?:#[^\n]*\n)*component = "(?!signup-deadline)'
                       r'[^"]+"\n(?:[^\[\n][^\n]*\n)*\n')


def former_text(key: str) -> str:
    """The shipped program file with its eligibility as the former plugin's rule."""
    text = CORE_RULE.sub("", (CONFIGS / f"{key}.toml").read_text())
    first = text.index('[[eligibility]]\ncomponent = "signup-deadline"')
    return f"{text[:first]}[[eligibility]]\n{FORMER[key]}\n\n{text[first:]}"


def rules(program) -> list[tuple[str, object]]:
    return [(rule.name, rule.params) for rule in program.eligibility]


@pytest.mark.parametrize("key", sorted(FORMER))
def test_a_stored_program_naming_a_former_rule_is_rewritten_with_the_same_rules(key, db_path):
    shipped = load_program(CONFIGS / f"{key}.toml")
    text = former_text(key)
    assert CORE_RULE.findall(text) == [f"[[eligibility]]\n{FORMER[key]}\n\n"]  # only it
    with pytest.raises(ConfigError):  # what a coordinator's stored program would do now
        load_program_text(text, "stored")
    db = open_database(db_path)
    store_program(shipped)
    ProgramRecord.update(config_toml=text).execute()  # as an earlier mentorkit stored it
    SchemaVersion.delete().where(SchemaVersion.version >= 9).execute()  # as before 9
    applied = [m.version for m in migrate(db)]
    assert applied[:1] == [9]
    upgraded = load_stored_program(key)
    assert rules(upgraded) == rules(shipped)
    assert upgraded.config.matching == shipped.config.matching  # nothing else was touched
    assert "# " in upgraded.text  # the file's comments are kept


def test_a_program_naming_no_former_rule_is_left_as_it_is():
    text = (CONFIGS / "im-residency.toml").read_text()
    assert upgrade_text(text) is None
    assert upgrade_text("not [ toml") is None


def test_a_file_naming_a_former_rule_is_told_what_to_write():
    with pytest.raises(ConfigError) as caught:
        load_program_text(former_text("im-residency"), "old.toml")
    assert ("'im-residency.eligibility' was a shipped plugin's rule, now the core's field-in "
            "and number-between") in str(caught.value)
