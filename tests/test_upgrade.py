"""Programs written for an earlier mentorkit named eligibility rules of the shipped programs'
own plugins, which are gone: the database rewrites every stored program into the core's rules
with the same parameters, and a file on disk gets a message that says what to write."""

from __future__ import annotations

import json
import re

import pytest

from mentorkit.config.errors import ConfigError
from mentorkit.config.upgrade import upgrade_text
from mentorkit.kernel.program import load_program, load_program_text
from mentorkit.services.programs import load_stored_program, store_program
from mentorkit.storage.database import open_database
from mentorkit.storage.migrations import migrate
from mentorkit.storage.models import ProgramRecord, SchemaVersion
from tests.conftest import CONFIGS, ROOT

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


RELEASE_DB = ROOT / "tests" / "data" / "release-0.1.0" / "release-0.1.0.db.gz"


@pytest.fixture
def release_db(tmp_path, monkeypatch):
    """A copy of the database mentorkit 0.1.0 wrote (tests/data/release-0.1.0/make.py)."""
    import gzip
    import shutil

    from mentorkit.storage.database import close_database

    target = tmp_path / "release.db"
    with gzip.open(RELEASE_DB) as source, target.open("wb") as copy:
        shutil.copyfileobj(source, copy)
    monkeypatch.setenv("MENTORKIT_DB", str(target))
    yield target
    close_database()


def test_a_database_written_by_0_1_0_is_brought_over_to_people_and_relationships(release_db):
    from mentorkit.storage.models import (
        Cycle,
        Flag,
        Group,
        PairRule,
        Participant,
        Person,
    )

    open_database(release_db)
    # one person across cycles: everyone carried into 2027-2028 is who they were in 2026-2027
    for enrollment in Participant.select().join(Cycle).where(Cycle.label == "2027-2028"):
        earlier = (Participant.select().join(Cycle).where(
            (Cycle.label == "2026-2027") & (Participant.email == enrollment.email)
            & (Participant.program == enrollment.program)).first())
        assert enrollment.person_id and (earlier is None
                                         or earlier.person_id == enrollment.person_id)
    assert Person.select().count() == len({(p.program_id, p.email)
                                           for p in Participant.select()})
    # the one attention text of each group is an open flag, none lost
    assert {f.group.label for f in Flag.select()} == {
        "im-residency-002", "im-residency-003", "lgbtq-triads-002"}
    assert all(f.resolved_at is None for f in Flag.select())
    # each cycle has its own file: a closed year is read with its own dates
    for cycle in Cycle.select():
        program = load_program_text(cycle.config_toml, "stored")
        assert program.config.cycle.label == cycle.label
    # a continued group knows what it continues; a carried forbidden pair where it came from
    continued = Group.get((Group.label == "lgbtq-triads-001")
                          & (Group.status == "active"))
    assert continued.continued_from.cycle.label == "2026-2027"
    carried = PairRule.get(PairRule.carried_from.is_null(False))
    assert carried.carried_from.label == "2026-2027" and carried.cycle.label == "2027-2028"


def test_the_programs_0_1_0_stored_run_on_their_plugins_unchanged(release_db, monkeypatch):
    """0.1.0 stored its programs naming the core's one-to-one and triads; the same names are
    now the plugins' components, so the stored files load as they are, and a plugin blocked
    is named by the program that needs it while the other program runs."""
    from click.testing import CliRunner

    from mentorkit.cli import cli
    from mentorkit.kernel import registry as registry_module
    from mentorkit.kernel.concerns import Concern

    open_database(release_db)
    stored = {r.key: r.config_toml for r in ProgramRecord.select()}
    assert 'component = "triads"' in stored["lgbtq-triads"]
    assert 'component = "one-to-one"' in stored["im-residency"]
    registry = registry_module.default_registry()
    for key in stored:
        program = load_stored_program(key)
        assert registry.get(Concern.MATCHING, program.matcher.name).plugin == key
    assert {r.key: r.config_toml for r in ProgramRecord.select()} == stored  # unchanged

    def mentorkit(*args: str) -> object:
        return CliRunner().invoke(cli, ["--db", str(release_db), *args])

    shown = mentorkit("match", "show", "lgbtq-triads", "--json")
    assert shown.exit_code == 0 and {g["shape"] for g in json.loads(shown.output)} <= {
        "triad", "pair"}
    status = mentorkit("cadence", "status", "lgbtq-triads", "--as-of", "2027-11-01", "--json")
    assert "first-meeting" in {f["rule"] for row in json.loads(status.output)
                               for f in row["findings"]}
    monkeypatch.setenv("MENTORKIT_BLOCK_PLUGINS", "lgbtq-triads")
    monkeypatch.setenv("MENTORKIT_DEBUG", "")
    registry_module.reset_default_registry()
    try:
        blocked = mentorkit("match", "show", "lgbtq-triads")
        assert blocked.exit_code == 1 and "Traceback" not in blocked.output
        assert ("'triads' is provided by the plugin lgbtq-triads (mentorkit-lgbtq-triads), "
                "which MENTORKIT_BLOCK_PLUGINS blocks") in blocked.output
        assert mentorkit("match", "show", "im-residency").exit_code == 0
    finally:
        registry_module.reset_default_registry()
