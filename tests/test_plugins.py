from __future__ import annotations

import json
import re
import sys
import types
from importlib.metadata import EntryPoint, entry_points

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
from tests.conftest import CONFIGS, ROOT, first_party_entries, matched_program, small_program

EXAMPLE = "mentorkit_example_institution"
# The example plugin of docs/plugins.md, as its pyproject.toml registers it.
EXAMPLE_ENTRY = EntryPoint("example-institution", EXAMPLE, "mentorkit")
BROKEN_ENTRY = EntryPoint("broken", "mentorkit_no_such_module_xyz", "mentorkit")


@pytest.fixture
def example_on_path(monkeypatch):
    """docs/example_plugin importable, as `pip install -e docs/example_plugin` makes it."""
    monkeypatch.syspath_prepend(str(ROOT / "docs" / "example_plugin"))
    monkeypatch.delitem(sys.modules, EXAMPLE, raising=False)
    yield
    sys.modules.pop(EXAMPLE, None)


@pytest.fixture
def example_installed(example_on_path, tmp_path, monkeypatch):
    """The example plugin installed for real: a distribution whose metadata registers it in
    the `mentorkit` entry-point group, found by the default discovery."""
    info = tmp_path / "site" / "mentorkit_example_institution-0.1.0.dist-info"
    info.mkdir(parents=True)
    (info / "METADATA").write_text("Metadata-Version: 2.1\n"
                                   "Name: mentorkit-example-institution\nVersion: 0.1.0\n")
    (info / "entry_points.txt").write_text(
        "[mentorkit]\nexample-institution = mentorkit_example_institution\n")
    monkeypatch.syspath_prepend(str(tmp_path / "site"))


@pytest.fixture
def use_registry(monkeypatch):
    def install(registry: Registry) -> Registry:
        monkeypatch.setattr(registry_module, "_default", registry)
        return registry

    yield install


def test_each_shipped_program_is_its_own_plugin_and_the_core():
    """Each shipped program's components come from the core and from its own plugin, a
    distribution of its own registered through the entry-point group like any institution's;
    the core's distribution registers none."""
    entries = first_party_entries()
    assert {(e.name, e.dist.name) for e in entries} == {
        (key, f"mentorkit-{key}") for key in ("im-residency", "lgbtq-triads", "peer-mentoring",
                                              "peer-circles")}
    assert not [entry for entry in entry_points(group="mentorkit")
                if entry.dist is not None and entry.dist.name == "mentorkit"]
    registry = Registry(load_plugins(entries=entries))
    for path in sorted(CONFIGS.glob("*.toml")):
        program = load_program_text(path.read_text(), path.name, registry)
        plugins = {registry.get(c.concern, c.name).plugin
                   for c in (*program.eligibility, program.matcher, *program.cadence,
                             program.confidentiality)}
        assert registry.get(Concern.MATCHING, program.matcher.name).plugin == path.stem
        assert {p for p in plugins if not p.startswith("mentorkit.builtin.")} == {path.stem}


def test_an_installed_plugin_registers_through_the_entry_point_group(example_installed, run,
                                                                    use_registry):
    loaded = load_plugins()
    assert ("example-institution", "0.1.0", EXAMPLE) in [
        (p.name, p.version, p.module) for p in loaded.plugins if not p.builtin]
    assert not loaded.failures
    use_registry(Registry(loaded))
    listed = json.loads(run("plugins", "list", "--json").output)
    assert {"name": "example-institution", "version": "0.1.0",
            "components": ["eligibility: example.staff-badge"], "error": None} in listed
    # mentorkit's own plugins are listed the same way, as plugins with their versions
    assert {"name": "lgbtq-triads", "version": "0.1.0", "error": None,
            "components": ["matching: triads", "cadence: first-meeting"]} in listed


def test_plugins_list_all_shows_the_cores_generic_rules(run):
    listed = json.loads(run("plugins", "list", "--all", "--json").output)
    components = {c for row in listed if row["version"] == "(core)" for c in row["components"]}
    assert {"eligibility: signup-deadline", "eligibility: field-in", "eligibility: answered-yes",
            "eligibility: number-between", "eligibility: answered", "cadence: meetings-per-term",
            "confidentiality: consent-by-audience"} <= components
    assert not any(c.startswith("matching: ") for c in components)  # every shape: a plugin's
    assert not any(row["error"] for row in listed)


def test_plugins_list_without_plugins_says_so(run, monkeypatch):
    monkeypatch.setenv("MENTORKIT_LOAD_PLUGINS", "")
    monkeypatch.setattr(registry_module, "_default", None)
    monkeypatch.setattr(registry_module, "_loaded", None)
    output = run("plugins", "list").output
    assert "No plugins loaded" in output and "--all" in output


def test_load_env_var_limits_plugins(monkeypatch, example_on_path):
    entries = [EXAMPLE_ENTRY, BROKEN_ENTRY]
    monkeypatch.setenv("MENTORKIT_LOAD_PLUGINS", "example-institution")
    loaded = load_plugins(entries=entries)
    assert {p.name for p in loaded.plugins if not p.builtin} == {"example-institution"}
    assert not loaded.failures  # the broken one was never tried
    monkeypatch.setenv("MENTORKIT_LOAD_PLUGINS", "")
    loaded = load_plugins(entries=entries)
    assert not [p for p in loaded.plugins if not p.builtin] and not loaded.failures


def test_block_env_var_blocks_plugins(monkeypatch, example_on_path):
    entries = [EXAMPLE_ENTRY, BROKEN_ENTRY]
    monkeypatch.setenv("MENTORKIT_BLOCK_PLUGINS", "broken")
    loaded = load_plugins(entries=entries)
    assert {p.name for p in loaded.plugins if not p.builtin} == {"example-institution"}
    assert not loaded.failures
    monkeypatch.setenv("MENTORKIT_BLOCK_PLUGINS", "example-institution, broken")
    loaded = load_plugins(entries=entries)
    assert not [p for p in loaded.plugins if not p.builtin] and not loaded.failures


def test_a_plugin_that_fails_to_import_is_reported_and_the_rest_works(run, use_registry,
                                                                       example_on_path, tmp_path):
    registry = use_registry(Registry(load_plugins(entries=[BROKEN_ENTRY, EXAMPLE_ENTRY,
                                                               *first_party_entries()])))
    assert [f.name for f in registry.failures] == ["broken"]
    assert "ModuleNotFoundError" in registry.failures[0].error

    listing = run("plugins", "list").output
    assert "broken" in listing and "failed to load: ModuleNotFoundError" in listing
    assert "example.staff-badge" in listing
    # commands that do not need the broken plugin still work
    config = tmp_path / "institution.toml"
    config.write_text(institution_program())
    run("programs", "validate", CONFIGS / "lgbtq-triads.toml")
    run("programs", "validate", config)
    # a program needing a missing component names the failed plugin
    use_registry(Registry(load_plugins(entries=[BROKEN_ENTRY, *first_party_entries()])))
    result = run("programs", "validate", config, expect=1)
    assert "unknown eligibility component 'example.staff-badge'" in result.output
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
    head, rest = text.split("[[eligibility]]", 1)
    tail = "[matching]" + rest.split("\n[matching]", 1)[1]
    text = (head + '[[eligibility]]\ncomponent = "example.staff-badge"\nprefix = "STAFF-"\n\n'
            '[[eligibility]]\ncomponent = "signup-deadline"\n\n' + tail)
    return text.replace('[[intake]]\nname = "pgy"',
                        '[[intake]]\nname = "badge"\nlabel = "Badge"\n\n[[intake]]\nname = "pgy"')


def test_example_plugin_from_the_docs_replaces_only_eligibility(run, use_registry, tmp_path,
                                                                example_on_path):
    loaded = load_plugins(entries=[EXAMPLE_ENTRY, *first_party_entries()])
    assert "example-institution" in [p.name for p in loaded.plugins if not p.builtin]
    registry = use_registry(Registry(loaded))
    assert registry.get(Concern.ELIGIBILITY, "example.staff-badge").plugin == "example-institution"
    program = load_program_text(institution_program(), "institution.toml")
    assert [rule.name for rule in program.eligibility] == ["example.staff-badge",
                                                          "signup-deadline"]
    assert program.matcher.name == "one-to-one"  # reused from mentorkit's residency plugin

    config = tmp_path / "institution.toml"
    config.write_text(institution_program())
    assert "Must hold a staff badge (STAFF-...).  [example.staff-badge]" in run(
        "programs", "show", config).output
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


def test_example_plugin_reports_a_missing_badge_field_with_its_key_path(use_registry,
                                                                         example_on_path):
    use_registry(Registry(load_plugins(entries=[EXAMPLE_ENTRY, *first_party_entries()])))
    text = institution_program().replace('prefix = "STAFF-"', 'badge_field = "bagde"')
    with pytest.raises(ConfigError) as caught:
        load_program_text(text, "institution.toml")
    assert [str(p) for p in caught.value.problems] == [
        "eligibility[0].badge_field: no intake field named 'bagde'"]


def test_the_plugin_guide_shows_the_example_plugin_as_it_is():
    guide = (ROOT / "docs" / "plugins.md").read_text()
    section = guide.split("## A minimal complete plugin", 1)[1].split("\n## ", 1)[0]
    entry_point, code = (block.strip() for block in
                         re.findall(r"```(?:toml|python)\n(.*?)```", section, re.DOTALL))
    package = ROOT / "docs" / "example_plugin"
    assert entry_point in (package / "pyproject.toml").read_text()
    assert code in (package / EXAMPLE / "__init__.py").read_text()


def test_the_plugin_guide_shows_the_pods_example_as_it_is():
    """Every block of the pods walk-through is the example's code or program file as they are
    (tests/test_plugin_install.py installs and runs that very package)."""
    guide = (ROOT / "docs" / "plugins.md").read_text()
    section = guide.split("## A new shape, step by step: pods", 1)[1].split("\n## ", 1)[0]
    package = ROOT / "docs" / "pods_plugin"
    code = (package / "mentorkit_example_pods" / "pods.py").read_text()
    blocks = re.findall(r"```(python|toml|sh)\n(.*?)```", section, re.DOTALL)
    assert [kind for kind, _ in blocks] == ["python"] * 4 + ["toml", "sh"]
    for kind, block in blocks:
        if kind == "python":
            assert block in code
        elif kind == "toml":
            assert block in (package / "pods.toml").read_text()
    assert 'example-pods = "mentorkit_example_pods"' in (package / "pyproject.toml").read_text()


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


def test_a_component_that_raises_while_checked_or_described_names_its_plugin_only(monkeypatch):
    """A plugin's problems() and describe() may fail on the program file: the error names the
    plugin, the component and the error's type, never its message."""
    from mentorkit.kernel.guard import PluginError
    from mentorkit.services.summary import summarize

    class Fragile(EligibilityRule):
        """Checks nothing."""

        name = "fragile.rule"

        def problems(self):
            if self.program.key == "broken":
                raise RuntimeError("a secret from the file")
            return ()

        def describe(self):
            raise ValueError("another secret")

    class Plugin:
        @hookimpl
        def register_eligibility_rules(self, register):
            register(Fragile)

    monkeypatch.delenv("MENTORKIT_DEBUG", raising=False)
    registry = Registry(load_plugins(extra=[Plugin()], entries=first_party_entries()))
    monkeypatch.setattr(registry_module, "_default", registry)
    text = small_program("broken", tables='[[eligibility]]\ncomponent = "fragile.rule"\n\n'
                         '[matching]\ncomponent = "one-to-one"\nmentee_roles = ["resident"]\n'
                         'mentor_roles = ["faculty"]')
    with pytest.raises(ConfigError) as caught:
        load_program_text(text, "broken.toml", registry)
    assert "component 'fragile.rule' (" in str(caught.value)
    assert str(caught.value).endswith("failed: RuntimeError") and "secret" not in str(
        caught.value)
    program = load_program_text(text.replace('key = "broken"', 'key = "fine"'), "f", registry)
    with pytest.raises(PluginError) as described:
        summarize(program)
    assert str(described.value).endswith("description 'fragile.rule' failed: ValueError")
