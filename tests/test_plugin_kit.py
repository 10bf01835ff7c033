"""The plugin kit: `mentorkit plugins new` writes a package whose tests pass and which `mentorkit
plugins check` passes; `plugins check` finds every fault of a plugin at once and exits 1; the
first-party plugins pass it as CI runs it."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from mentorkit.services import plugin_kit
from tests.conftest import ROOT

FIRST_PARTY = sorted((ROOT / "plugins").iterdir())


@pytest.fixture
def forget_modules():
    """Generated packages are imported by `plugins check`: forget them afterwards."""
    before = set(sys.modules)
    yield
    for name in set(sys.modules) - before:
        if name.startswith("mentorkit_acme") or name.startswith("mentorkit_faulty"):
            del sys.modules[name]


@pytest.mark.parametrize("concern", plugin_kit.CONCERNS)
def test_a_new_plugin_of_each_concern_passes_the_check(run, tmp_path, concern, forget_modules):
    """The longest name a plugin may have, so the package's lines stay within lint's."""
    name = f"acme-{concern}-".ljust(plugin_kit.NAME_LENGTH, "x")
    output = run("plugins", "new", name, "--concern", concern, "--dir", tmp_path).output
    folder = tmp_path / name
    module = f"mentorkit_{name.replace('-', '_')}"
    assert f"{concern} component '{name}." in output
    for file in ("pyproject.toml", "README.md", f"{module}/__init__.py",
                 f"tests/test_{module}.py"):
        assert (folder / file).is_file(), file
    pyproject = (folder / "pyproject.toml").read_text()
    assert f'[project.entry-points.mentorkit]\n{name} = "{module}"' in pyproject
    readme = (folder / "README.md").read_text()
    assert f'component = "{name}.' in readme and "| key | meaning |" in readme
    [result] = json.loads(run("plugins", "check", folder, "--json").output)
    assert result["findings"] == [] and result["plugin"] == name
    assert [c.split(": ")[0] for c in result["components"]] == [concern]
    lint = subprocess.run([Path(sys.executable).parent / "ruff", "check", "--isolated",
                           "--select", "E,F,W,I,B,UP,SIM,RUF", "--line-length", "100", "."],
                          cwd=folder, capture_output=True, text=True)
    assert lint.returncode == 0, lint.stdout  # as its authors' lint would see it


def test_plugins_new_refuses_a_bad_name_and_an_existing_folder(run, tmp_path):
    result = run("plugins", "new", "Acme_Pods", "--dir", tmp_path, expect=2)
    assert "lowercase letters, digits and single dashes" in result.output
    (tmp_path / "acme").mkdir()
    (tmp_path / "acme" / "keep.txt").write_text("mine")
    result = run("plugins", "new", "acme", "--dir", tmp_path, expect=1)
    assert "exists already" in result.output
    assert [p.name for p in (tmp_path / "acme").iterdir()] == ["keep.txt"]  # untouched
    result = run("plugins", "new", "acme-x", "--concern", "scheduling", expect=2)
    assert "Invalid value for '--concern'" in result.output


FAULTY = '''
import attrs

from mentorkit import EligibilityRule, Matcher, hookimpl


@attrs.define
class LooseParams:
    field = attrs.field(default="badge")  # no type


class Loose(EligibilityRule):
    name = "faulty.loose"
    Params = LooseParams

    def check(self, person):
        return ()


class Lazy(Matcher):
    """Says nothing, does nothing."""

    name = "faulty.lazy"


@hookimpl
def register_eligibility_rules(register):
    register(Loose)


@hookimpl
def register_matchers(register):
    register(Lazy)


@hookimpl
def register_matcher(register):  # misspelt: no such hook
    pass


def register_cadence_rules(register):  # not marked: never called
    pass
'''


def test_plugins_check_lists_every_finding_and_exits_1(run, tmp_path, forget_modules):
    folder = tmp_path / "faulty"
    (folder / "mentorkit_faulty").mkdir(parents=True)
    (folder / "pyproject.toml").write_text(
        '[project]\nname = "mentorkit-faulty"\nversion = "0.1.0"\n\n'
        '[project.entry-points.mentorkit]\nfaulty = "mentorkit_faulty"\n')
    (folder / "mentorkit_faulty" / "__init__.py").write_text(textwrap.dedent(FAULTY))
    (folder / "tests").mkdir()
    (folder / "tests" / "test_faulty.py").write_text("def test_lazy():\n    'faulty.lazy'\n")
    result = run("plugins", "check", folder, expect=1)
    findings = [line.strip()[2:] for line in result.output.splitlines()
                if line.startswith("  - ")]
    expected = [
        "register_matcher",  # check_pending: a hook no spec names
        "register_cadence_rules is not marked with @hookimpl",
        "'faulty.loose' (Loose): Params keys without a type: field",
        "'faulty.loose' (Loose): no docstring",
        "'faulty.loose' (Loose): no describe() of its own",
        "'faulty.loose' (Loose): no problems()",
        "'faulty.loose' (Loose): no test names it",
        "'faulty.lazy' (Lazy): does not implement match()",
    ]
    for text in expected:
        assert any(text in finding for finding in findings), (text, findings)
    assert len(findings) == len(expected)
    assert "Traceback" not in result.output


def test_plugins_check_reports_a_folder_without_entry_point_or_tests(run, tmp_path):
    (tmp_path / "empty").mkdir()
    (tmp_path / "empty" / "pyproject.toml").write_text('[project]\nname = "x"\n')
    output = run("plugins", "check", tmp_path / "empty", expect=1).output
    assert "registers no entry point in the 'mentorkit' group" in output
    output = run("plugins", "check", "no-such-plugin", expect=1).output
    assert "neither a folder nor an installed plugin" in output


@pytest.mark.parametrize("folder", FIRST_PARTY, ids=lambda p: p.name)
def test_each_first_party_plugin_passes_the_check_by_folder_and_by_name(run, folder):
    [by_folder] = json.loads(run("plugins", "check", folder, "--json").output)
    assert by_folder["findings"] == [] and by_folder["plugin"] == folder.name
    [by_name] = json.loads(run("plugins", "check", folder.name, "--json").output)
    assert by_name["findings"] == [] and by_name["components"] == by_folder["components"]
    assert by_name["source"] == str(folder)  # its checkout: the editable install's tests
