from __future__ import annotations

import importlib.util
import json
import sys
import types
from importlib.metadata import EntryPoint

import pytest

from mentorkit import hookimpl
from mentorkit.config.errors import ConfigError
from mentorkit.kernel import registry as registry_module
from mentorkit.kernel.concerns import (
    CadenceRule,
    Concern,
    ConfidentialityPolicy,
    EligibilityRule,
    Matcher,
)
from mentorkit.kernel.plugins import load_plugins
from mentorkit.kernel.program import load_program_text
from mentorkit.kernel.registry import Registry
from mentorkit.kernel.values import (
    CadenceFinding,
    MatchResult,
    Member,
    ProposedGroup,
    Reason,
    Standing,
)
from tests.conftest import CONFIGS, ROOT, matched_program

SHIPPED_PLUGINS = {"im-residency", "lgbtq-triads", "peer-circles", "peer-mentoring"}


def example_plugin():
    """The plugin from docs/plugins.md, loaded from its file as an installer would."""
    path = ROOT / "docs/example_plugin/mentorkit_example_institution/__init__.py"
    spec = importlib.util.spec_from_file_location("mentorkit_example_institution", path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


@pytest.fixture
def use_registry(monkeypatch):
    def install(registry: Registry) -> Registry:
        monkeypatch.setattr(registry_module, "_default", registry)
        return registry

    yield install


def test_plugins_list_shows_the_four_programs_with_versions_and_components(run):
    listed = json.loads(run("plugins", "list", "--json").output)
    by_name = {row["name"]: row for row in listed}
    assert set(by_name) >= SHIPPED_PLUGINS
    assert by_name["im-residency"]["version"] == "0.1.0"
    assert "eligibility: im-residency.eligibility" in by_name["im-residency"]["components"]
    assert not any(row["error"] for row in listed)


def test_shipped_plugins_register_through_the_entry_point_group():
    loaded = load_plugins()
    entry_point_plugins = {p.name for p in loaded.plugins if not p.builtin}
    assert entry_point_plugins >= SHIPPED_PLUGINS


def test_load_env_var_limits_plugins(monkeypatch):
    monkeypatch.setenv("MENTORKIT_LOAD_PLUGINS", "im-residency")
    names = {p.name for p in load_plugins().plugins if not p.builtin}
    assert names == {"im-residency"}
    monkeypatch.setenv("MENTORKIT_LOAD_PLUGINS", "")
    assert not [p for p in load_plugins().plugins if not p.builtin]


def test_block_env_var_blocks_plugins(monkeypatch):
    monkeypatch.setenv("MENTORKIT_BLOCK_PLUGINS", "peer-circles, peer-mentoring")
    names = {p.name for p in load_plugins().plugins if not p.builtin}
    assert names == {"im-residency", "lgbtq-triads"}


def test_a_plugin_that_fails_to_import_is_reported_and_the_rest_works(run, use_registry):
    entries = [
        EntryPoint("broken", "mentorkit_no_such_module_xyz", "mentorkit"),
        EntryPoint("im-residency", "mentorkit_im_residency", "mentorkit"),
    ]
    registry = use_registry(Registry(load_plugins(entries=entries)))
    assert [f.name for f in registry.failures] == ["broken"]
    assert "ModuleNotFoundError" in registry.failures[0].error

    listing = run("plugins", "list").output
    assert "broken" in listing and "failed to load: ModuleNotFoundError" in listing
    # commands that do not need the broken plugin still work
    run("programs", "validate", CONFIGS / "im-residency.toml")
    # a program needing a missing component names the failed plugin
    result = run("programs", "validate", CONFIGS / "lgbtq-triads.toml", expect=1)
    assert "unknown eligibility component 'lgbtq-triads.eligibility'" in result.output
    assert "plugins that failed to load: broken: ModuleNotFoundError" in result.output
    assert "Traceback" not in result.output


class Misspelt:
    @hookimpl
    def register_matcher(self, register):  # not a hook: the real one is register_matchers
        raise AssertionError("never called")


def test_misspelt_hook_fails_loudly():
    with pytest.raises(Exception, match="register_matcher"):
        load_plugins(extra=[Misspelt()], entries=[])


def test_misspelt_hook_in_an_installed_plugin_is_reported_by_name(monkeypatch):
    module = types.ModuleType("mentorkit_misspelt_test")

    @hookimpl
    def register_matcher(register):
        raise AssertionError("never called")

    module.register_matcher = register_matcher
    monkeypatch.setitem(sys.modules, "mentorkit_misspelt_test", module)
    loaded = load_plugins(entries=[EntryPoint("misspelt", "mentorkit_misspelt_test", "mentorkit")])
    assert [f.name for f in loaded.failures] == ["misspelt"]
    assert "register_matcher" in loaded.failures[0].error


def test_registering_an_invalid_component_is_reported_not_raised():
    class NotAComponent:
        name = "bad"

    class Plugin:
        @hookimpl
        def register_matchers(self, register):
            register(NotAComponent)

    registry = Registry(load_plugins(extra=[Plugin()], entries=[]))
    assert any("not a subclass" in f.error for f in registry.failures)


def institution_program() -> str:
    """The shipped residency program with only eligibility replaced by the institution's."""
    text = (CONFIGS / "im-residency.toml").read_text()
    text = text.replace('component = "im-residency.eligibility"\nmax_pgy = 3',
                        'component = "example.staff-badge"\nprefix = "STAFF-"')
    return text.replace('[[intake]]\nname = "pgy"',
                        '[[intake]]\nname = "badge"\nlabel = "Badge"\n\n[[intake]]\nname = "pgy"')


def test_example_plugin_from_the_docs_replaces_only_eligibility(run, use_registry, tmp_path):
    use_registry(Registry(load_plugins(extra=[example_plugin()])))
    program = load_program_text(institution_program(), "institution.toml")
    assert [rule.name for rule in program.eligibility] == ["example.staff-badge",
                                                          "signup-deadline"]
    assert program.matcher.name == "one-to-one"  # reused from the core

    config = tmp_path / "institution.toml"
    config.write_text(institution_program())
    export = tmp_path / "signups.csv"
    export.write_text("Full name,E-mail,Role,Badge,Submitted\n"
                      "Ana Staff,ana@x.org,resident,STAFF-1,2026-07-02\n"
                      "Bo Guest,bo@x.org,resident,GUEST-7,2026-07-02\n"
                      "Cy Staff,cy@x.org,faculty,STAFF-2,2026-07-02\n")
    run("programs", "add", config)
    run("participants", "import", "im-residency", export)
    verdicts = json.loads(run("eligibility", "im-residency", "--json").output)
    by_name = {v["name"]: v for v in verdicts}
    assert by_name["Ana Staff"]["eligible"] and by_name["Cy Staff"]["eligible"]
    assert by_name["Bo Guest"]["reasons"] == ["badge 'GUEST-7' is not a staff badge"]
    output = run("match", "run", "im-residency").output
    assert "Cy Staff (mentor), Ana Staff (mentee)" in output


def test_example_plugin_missing_gives_a_clean_error():
    with pytest.raises(ConfigError, match=r"unknown eligibility component 'example\.staff-badge'"):
        load_program_text(institution_program(), "institution.toml")


class EveryConcern:
    """A plugin providing one component per concern, to compose a program from."""

    class Rule(EligibilityRule):
        """Only people whose name starts with A."""

        name = "test.a-names"

        def check(self, person):
            if not person.name.startswith("A"):
                yield Reason("name", "name does not start with A")

    class Everyone(Matcher):
        """Everyone in one group."""

        name = "test.one-group"

        def match(self, pool):
            members = tuple(Member(p.id, p.role) for p in pool.people)
            return MatchResult((ProposedGroup(members, 1.0, ("all together",), "circle"),), {})

    class Weekly(CadenceRule):
        """A contact every 7 days."""

        name = "test.weekly"

        def evaluate(self, group, as_of):
            return CadenceFinding(self.name, Standing.ON_TRACK, "fine")

    class Nobody(ConfidentialityPolicy):
        """Nobody sees anything."""

        name = "test.nobody"

        def may_see(self, field, person, audience):
            return False

    @hookimpl
    def register_eligibility_rules(self, register):
        register(self.Rule)

    @hookimpl
    def register_matchers(self, register):
        register(self.Everyone)

    @hookimpl
    def register_cadence_rules(self, register):
        register(self.Weekly)

    @hookimpl
    def register_confidentiality_policies(self, register):
        register(self.Nobody)


def test_a_program_composes_components_from_any_plugin(run, use_registry, tmp_path):
    registry = use_registry(Registry(load_plugins(extra=[EveryConcern()])))
    plugin = registry.get(Concern.MATCHING, "test.one-group").plugin
    provided = {(c.concern.value, c.name) for c in registry.provided_by(plugin)}
    assert provided == {("eligibility", "test.a-names"), ("matching", "test.one-group"),
                        ("cadence", "test.weekly"), ("confidentiality", "test.nobody")}
    text = (CONFIGS / "im-residency.toml").read_text()
    text = text.split("[[eligibility]]")[0] + (
        '[[eligibility]]\ncomponent = "test.a-names"\n\n[matching]\ncomponent = "test.one-group"'
        '\n\n[[cadence]]\ncomponent = "test.weekly"\n\n[confidentiality]\n'
        'component = "test.nobody"\n')
    config = tmp_path / "composed.toml"
    config.write_text(text)
    shown = run("programs", "show", config).output
    for line in ("Only people whose name starts with A.", "Everyone in one group.",
                 "A contact every 7 days.", "Nobody sees anything."):
        assert line in shown
    export = tmp_path / "x.csv"
    export.write_text("Full name,E-mail,Role\nAda,a@x.org,resident\nBea,b@x.org,faculty\n"
                      "Abe,c@x.org,faculty\n")
    run("programs", "add", config)
    run("participants", "import", "im-residency", export)
    run("eligibility", "im-residency")
    output = run("match", "run", "im-residency").output
    assert "circle score 1: Ada (resident), Abe (faculty)" in output


class SameDivision:
    """A plugin that adds a scoring criterion by name."""

    @staticmethod
    def same_division(rule, a, b):
        left, right = a.value(rule.field), b.value(rule.field)
        if left and left == right:
            return rule.weight, f"both in the {left} division"
        return 0.0, None

    @hookimpl
    def register_criteria(self, register):
        register("same-division", self.same_division)


def _with_criteria(criteria: str) -> str:
    text = (CONFIGS / "im-residency.toml").read_text()
    head, tail = text.split("[[matching.criteria]]", 1)
    return head + criteria + "\n[[cadence]]" + tail.split("[[cadence]]", 1)[1]


def test_register_criteria_adds_a_criterion_programs_can_use(use_registry):
    registry = use_registry(Registry(load_plugins(extra=[SameDivision()])))
    assert "same-division" in registry.criteria
    program = load_program_text(_with_criteria(
        '[[matching.criteria]]\nkind = "same-division"\nfield = "wellbeing_focus"\n'
        'weight = 5.0\n'), "t.toml", registry)
    from mentorkit.kernel.values import MatchPool, Person

    def person(pid, role, focus):
        return Person(pid, f"P{pid}", f"p{pid}@x.org", role, frozenset(),
                      {"wellbeing_focus": focus})

    people = [person(1, "resident", "north"), person(2, "resident", "south"),
              person(3, "faculty", "south"), person(4, "faculty", "north")]
    result = program.matcher.match(MatchPool(people))
    pairs = {frozenset(m.person_id for m in g.members): g for g in result.groups}
    assert set(pairs) == {frozenset({1, 4}), frozenset({2, 3})}  # the criterion decided
    assert "both in the north division" in pairs[frozenset({1, 4})].explanation


def test_an_unknown_criterion_kind_is_a_config_error_naming_the_known_ones(use_registry):
    use_registry(Registry(load_plugins()))
    with pytest.raises(ConfigError) as caught:
        load_program_text(_with_criteria('[[matching.criteria]]\nkind = "same-division"\n'
                                         'field = "wellbeing_focus"\n'), "t.toml")
    message = str(caught.value)
    assert "matching.criteria[0].kind" in message and "overlap" in message


def test_a_plugin_cannot_replace_a_builtin_criterion(use_registry):
    class Impostor:
        @hookimpl
        def register_criteria(self, register):
            register("overlap", lambda rule, a, b: (100.0, "always"))

    registry = use_registry(Registry(load_plugins(extra=[Impostor()])))
    assert "overlap" not in registry.criteria
    assert any("already provided" in failure.error for failure in registry.failures)


def test_a_criterion_or_cadence_rule_that_raises_names_its_plugin_not_the_data(
        use_registry, run, monkeypatch):
    from mentorkit.builtin.cadence.periodic import MeetingsPerTerm
    from mentorkit.kernel.guard import PluginError
    from mentorkit.kernel.values import MatchPool, Person

    class Leaky:
        @hookimpl
        def register_criteria(self, register):
            def same_division(rule, a, b):
                raise KeyError(f"no division {a.value(rule.field)}")

            register("same-division", same_division)

    registry = use_registry(Registry(load_plugins(extra=[Leaky()])))
    program = load_program_text(_with_criteria(
        '[[matching.criteria]]\nkind = "same-division"\nfield = "wellbeing_focus"\n'),
        "t.toml", registry)
    people = [Person(i, f"P{i}", f"p{i}@x.org", role, frozenset(), {"wellbeing_focus": "x9z"})
              for i, role in ((1, "resident"), (2, "faculty"))]
    with pytest.raises(PluginError) as caught:
        program.matcher.match(MatchPool(people))
    assert str(caught.value).endswith("criterion 'same-division' failed: KeyError")
    assert "x9z" not in str(caught.value)

    use_registry(Registry(load_plugins()))
    matched_program(run, "im-residency")
    monkeypatch.delenv("MENTORKIT_DEBUG")

    def broken(self, group, as_of):
        raise ZeroDivisionError(group.members[0].name)

    monkeypatch.setattr(MeetingsPerTerm, "evaluate", broken)
    output = run("cadence", "status", "im-residency", expect=1).output
    assert output.strip() == ("Error: mentorkit.builtin.cadence.periodic cadence rule "
                              "'meetings-per-term' failed: ZeroDivisionError")
