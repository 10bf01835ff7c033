"""Every hook and every method a plugin implements is documented for plugin authors with its
exact arguments (as datasette checks its hooks); the README's set-up and command list stay
true."""

from __future__ import annotations

import inspect
import re

import pytest

from mentorkit import ScoredMatcher
from mentorkit.kernel import concerns, hookspecs
from tests.conftest import ROOT

HOOKS = sorted(name for name in dir(hookspecs) if name.startswith("register_"))
DOCS = (ROOT / "docs" / "plugins.md").read_text()


def test_there_are_hooks():
    assert len(HOOKS) == 6


def arguments(function) -> list[str]:
    """A function's parameters as written in docs: ``self`` left out, ``*name`` kept."""
    return [("*" if p.kind is p.VAR_POSITIONAL else "") + p.name
            for p in inspect.signature(function).parameters.values() if p.name != "self"]


def documented(heading_or_call: str) -> list[list[str]]:
    """The argument lists the docs give for ``name(...)`` wherever they write it in code."""
    found = re.findall(rf"(?<![\w.]){re.escape(heading_or_call)}\(([^()]*)\)", DOCS)
    return [[a.split(":")[0].split("=")[0].strip() for a in args.split(",") if a.strip()]
            for args in found]


@pytest.mark.parametrize("hook", HOOKS)
def test_hook_is_documented_with_its_exact_arguments(hook):
    heading = re.search(rf"^### {hook}\((.*)\)$", DOCS, re.MULTILINE)
    assert heading, f"docs/plugins.md has no heading for {hook}"
    written = [a.strip() for a in heading.group(1).split(",") if a.strip()]
    assert written == arguments(getattr(hookspecs, hook))


def test_every_hook_heading_names_a_hook():
    headings = re.findall(r"^### (register_\w+)\(", DOCS, re.MULTILINE)
    assert sorted(headings) == HOOKS


# What a plugin implements or is given, by the class that defines it.
METHODS = [(base, name) for base in (concerns.Component, concerns.EligibilityRule,
                                     concerns.Matcher, concerns.CadenceRule,
                                     concerns.ConfidentialityPolicy)
           for name, value in vars(base).items()
           if inspect.isfunction(value) and (name == "__init__" or not name.startswith("_"))]
METHODS.append((ScoredMatcher, "opening"))


def test_the_methods_are_found():
    names = {name for _, name in METHODS}
    assert {"check", "match", "select", "repair", "evaluate", "windows", "may_see"} <= names


@pytest.mark.parametrize(("base", "name"), METHODS,
                         ids=[f"{b.__name__}.{n}" for b, n in METHODS])
def test_each_method_is_documented_with_its_arguments(base, name):
    expected = arguments(getattr(base, name))
    assert expected in documented(name), (
        f"docs/plugins.md does not show `{name}({', '.join(expected)})` "
        f"(it shows {documented(name) or 'nothing'})")


@pytest.mark.parametrize(("base", "name"), METHODS,
                         ids=[f"{b.__name__}.{n}" for b, n in METHODS])
def test_each_method_says_what_its_arguments_are(base, name):
    doc = inspect.getdoc(getattr(base, name)) or ""
    missing = [a for a in arguments(getattr(base, name))
               if f":param {a.lstrip('*')}:" not in doc]
    assert missing == [], f"{base.__name__}.{name} does not say what {missing} are"


def test_readme_has_exactly_two_setup_commands():
    readme = (ROOT / "README.md").read_text()
    quick_start = readme.split("## Quick start", 1)[1].split("\n## ", 1)[0]
    commands = re.findall(r"```(?:sh|bash)\n(.*?)```", quick_start, re.DOTALL)
    assert len(commands) == 2
    assert "mentorkit demo" in commands[0] and "pytest" in commands[1]
    ci = (ROOT / ".ci" / "run").read_text()
    assert "python -m pytest" in commands[1] and "python -m pytest" in ci


def test_the_readme_shows_every_command():
    from mentorkit.cli import cli, leaf_commands

    readme = (ROOT / "README.md").read_text()
    # a group with its own argument is typed with it first: `mentorkit notify PROGRAM intro`
    typed = [re.compile(r"mentorkit " + r" (?:\S+ )?".join(map(re.escape, path)) + r"\b")
             for path, _ in leaf_commands(cli)]
    missing = [pattern.pattern for pattern in typed if not pattern.search(readme)]
    assert missing == [], f"README.md does not show: {missing}"
