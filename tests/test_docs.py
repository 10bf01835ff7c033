"""Every hook is documented for plugin authors and exercised by a test (as datasette does)."""

from __future__ import annotations

import re

import pytest

from mentorkit.kernel import hookspecs
from tests.conftest import ROOT

HOOKS = sorted(name for name in dir(hookspecs) if name.startswith("register_"))
DOCS = (ROOT / "docs" / "plugins.md").read_text()
TESTS = "\n".join(path.read_text() for path in (ROOT / "tests").glob("test_*.py")
                  if path.name != "test_docs.py")


def test_there_are_hooks():
    assert len(HOOKS) == 6


@pytest.mark.parametrize("hook", HOOKS)
def test_hook_is_documented_with_its_signature(hook):
    assert re.search(rf"^### {hook}\(\w+\)$", DOCS, re.MULTILINE), f"docs/plugins.md lacks {hook}"


@pytest.mark.parametrize("hook", HOOKS)
def test_hook_has_a_test(hook):
    assert re.search(rf"def {hook}\(", TESTS), f"no test implements {hook}"


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
