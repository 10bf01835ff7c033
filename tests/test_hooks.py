"""Each hook is called by the core, through the path a real command takes, in a test here; a
hook added to the specs without one fails ``test_every_hook_is_exercised``. (The hooks'
documentation is checked against their specs in test_docs.py.)"""

from __future__ import annotations

import datetime as dt

import click
import pytest

from mentorkit import (
    CadenceFinding,
    CadenceRule,
    ConfidentialityPolicy,
    EligibilityRule,
    GroupHistory,
    Matcher,
    MatchPool,
    MatchResult,
    Member,
    Person,
    ProposedGroup,
    Reason,
    Standing,
    hookimpl,
)
from mentorkit.kernel import hookspecs
from mentorkit.kernel import registry as registry_module
from mentorkit.kernel.plugins import load_plugins
from mentorkit.kernel.program import load_program_text
from mentorkit.kernel.registry import Registry
from mentorkit.services.eligibility import check
from tests.conftest import first_party_entries, small_program

HOOKS = sorted(name for name in dir(hookspecs) if name.startswith("register_"))
EXERCISES = {}


def exercises(hook: str):
    def record(function):
        EXERCISES[hook] = function
        return function
    return record


def program_text(eligibility="signup-deadline", matching='component = "one-to-one"\n'
                 'mentee_roles = ["resident"]\nmentor_roles = ["faculty"]',
                 cadence='component = "max-days-between"\ndays = 30',
                 policy="consent-by-audience") -> str:
    """A small program file whose components the test chooses."""
    tables = (f'[[eligibility]]\ncomponent = "{eligibility}"\n\n[matching]\n{matching}\n\n'
              f'[[cadence]]\n{cadence}\n\n[confidentiality]\ncomponent = "{policy}"\n')
    return small_program("hooks", intake='[[intake]]\nname = "city"', tables=tables)


def person(pid: int, role: str, city: str = "Philadelphia") -> Person:
    return Person(pid, f"P{pid}", f"p{pid}@x.org", role, frozenset({role}),
                  {"name": f"P{pid}", "role": role, "city": city})


def registered(plugin) -> Registry:
    """The registry the core builds with ``plugin`` loaded beside mentorkit's own (the small
    program matches one-to-one): each hook called on its own."""
    registry = Registry(load_plugins(extra=[plugin], entries=first_party_entries()))
    assert registry.failures == []
    return registry


@exercises("register_eligibility_rules")
def eligibility_rules(monkeypatch):
    class Rule(EligibilityRule):
        """Only Philadelphia."""

        name = "hooks.philadelphia"

        def check(self, person):
            if person.value("city") != "Philadelphia":
                yield Reason("city", "not in Philadelphia")

    class Plugin:
        @hookimpl
        def register_eligibility_rules(self, register):
            register(Rule)

    program = load_program_text(program_text(eligibility=Rule.name), "t", registered(Plugin()))
    rule = program.eligibility[0]
    assert check(rule, person(1, "resident")) == []
    assert [r.message for r in check(rule, person(2, "resident", "Boston"))] == [
        "not in Philadelphia"]


@exercises("register_matchers")
def matchers(monkeypatch):
    class Together(Matcher):
        """Everyone in one group."""

        name = "hooks.together"

        def match(self, pool):
            members = tuple(Member(p.id, p.role) for p in pool.free())
            return MatchResult((ProposedGroup(members, 1.0, ("together",), "circle"),), {})

    class Plugin:
        @hookimpl
        def register_matchers(self, register):
            register(Together)

    program = load_program_text(program_text(matching=f'component = "{Together.name}"'), "t",
                                registered(Plugin()))
    result = program.matcher.match(MatchPool([person(1, "resident"), person(2, "faculty")]))
    assert [m.person_id for m in result.groups[0].members] == [1, 2]


@exercises("register_criteria")
def criteria(monkeypatch):
    calls = []

    def same_city(rule, a, b):
        calls.append((rule.field, a.id, b.id))
        return (rule.weight, "same city") if a.value("city") == b.value("city") else (0.0, None)

    class Plugin:
        @hookimpl
        def register_criteria(self, register):
            register("hooks.same-city", same_city)

    registry = registered(Plugin())
    monkeypatch.setattr(registry_module, "_default", registry)  # matchers look criteria up
    matching = ('component = "one-to-one"\nmentee_roles = ["resident"]\nmentor_roles = ["faculty"]'
                '\n\n[[matching.criteria]]\nkind = "hooks.same-city"\nfield = "city"\n'
                'weight = 2.0')
    program = load_program_text(program_text(matching=matching), "t", registry)
    pool = MatchPool([person(1, "resident"), person(2, "faculty", "Boston"), person(3, "faculty")])
    result = program.matcher.match(pool)
    assert calls and {m.person_id for m in result.groups[0].members} == {1, 3}
    assert "same city" in result.groups[0].explanation


@exercises("register_cadence_rules")
def cadence_rules(monkeypatch):
    class Weekly(CadenceRule):
        """A contact every 7 days."""

        name = "hooks.weekly"

        def evaluate(self, group, as_of):
            late = (self.local_date(as_of) - group.started_on).days > 7 and not group.contacts
            return CadenceFinding(self.name, Standing.OVERDUE if late else Standing.ON_TRACK,
                                  "weekly")

    class Plugin:
        @hookimpl
        def register_cadence_rules(self, register):
            register(Weekly)

    text = program_text(cadence=f'component = "{Weekly.name}"')
    program = load_program_text(text, "t", registered(Plugin()))
    group = GroupHistory("hooks-001", dt.date(2026, 9, 1))
    finding = program.cadence[0].evaluate(group, dt.datetime(2026, 9, 20, tzinfo=dt.UTC))
    assert finding.standing is Standing.OVERDUE


@exercises("register_confidentiality_policies")
def confidentiality_policies(monkeypatch):
    from mentorkit.views.audience import Audience, Viewer

    class CityIsPrivate(ConfidentialityPolicy):
        """No one but administrators sees a city."""

        name = "hooks.city-private"

        def may_see(self, field, person, audience):
            return field != "city" or audience is Audience.ADMINISTRATOR

    class Plugin:
        @hookimpl
        def register_confidentiality_policies(self, register):
            register(CityIsPrivate)

    text = program_text(policy=CityIsPrivate.name).replace(
        'name = "city"', 'name = "city"\nsensitive = true')
    program = load_program_text(text, "t", registered(Plugin()))
    someone = person(1, "resident")
    group = Viewer(program, Audience.GROUP, members=[1])
    assert "city" not in group.answers(someone)
    assert "city" in Viewer(program, Audience.ADMINISTRATOR, show_sensitive=True).answers(
        someone)


@exercises("register_commands")
def commands(monkeypatch):
    from click.testing import CliRunner

    from mentorkit.cli import cli, plugin_commands

    class Plugin:
        @hookimpl
        def register_commands(self, cli):
            @cli.command("hooks-hello")
            def hello():
                """Say hello."""
                click.echo("hello from a plugin")

    import mentorkit.cli

    monkeypatch.setattr(cli, "commands", dict(cli.commands))
    monkeypatch.setattr(mentorkit.cli, "_plugins_added", True)  # the installed ones: added
    monkeypatch.setattr(registry_module, "_loaded", load_plugins(extra=[Plugin()], entries=[]))
    plugin_commands.register(cli)
    result = CliRunner().invoke(cli, ["hooks-hello"])
    assert result.output == "hello from a plugin\n" and result.exit_code == 0


def test_every_hook_is_exercised():
    assert sorted(EXERCISES) == HOOKS


@pytest.mark.parametrize("hook", HOOKS)
def test_the_core_calls_the_hook(hook, monkeypatch):
    EXERCISES[hook](monkeypatch)
