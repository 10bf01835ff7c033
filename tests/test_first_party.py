"""mentorkit's own plugins (plugins/) as the core sees them: the catalog of which plugin provides
which component is true to what each registers and to its pyproject; the README's install
command installs each; blocking one leaves the other three programs working and names the
plugin a program needs; a database the last release wrote runs with them; and a program made
of components from several plugins runs a year."""

from __future__ import annotations

import json
import re
import tomllib

import pytest

from mentorkit.kernel import registry as registry_module
from mentorkit.kernel.catalog import first_party, why_missing
from mentorkit.kernel.concerns import Concern
from mentorkit.kernel.plugins import load_plugins
from mentorkit.kernel.registry import Registry
from tests.conftest import CONFIGS, EXAMPLES, ROOT, first_party_entries

PLUGINS = sorted(p.name for p in (ROOT / "plugins").iterdir())


def test_the_catalog_is_what_each_plugin_registers_and_declares():
    registry = Registry(load_plugins(entries=first_party_entries()))
    assert sorted(p.entry_point for p in first_party()) == PLUGINS
    for plugin in first_party():
        provided = {}
        for info in registry.provided_by(plugin.entry_point):
            provided.setdefault(info.concern.value, []).append(info.name)
        assert provided == {k: sorted(v) for k, v in plugin.components.items()}
        project = tomllib.loads((ROOT / plugin.folder / "pyproject.toml").read_text())
        assert project["project"]["name"] == plugin.distribution
        assert plugin.entry_point in project["project"]["entry-points"]["mentorkit"]


def test_the_readme_and_ci_install_the_core_and_every_plugin():
    readme = (ROOT / "README.md").read_text()
    quick_start = readme.split("## Quick start", 1)[1].split("\n## ", 1)[0]
    for command in re.findall(r"```sh\n(.*?)```", quick_start, re.DOTALL):
        assert sorted(re.findall(r"-e plugins/([\w-]+)", command)) == PLUGINS
    ci = (ROOT / ".ci" / "run").read_text()
    assert "folders=(plugins/*/)" in ci and """-e '.[test]' "${folders[@]/#/-e}\"""" in ci
    assert """mentorkit plugins check "${folders[@]}\"""" in ci


@pytest.fixture
def fresh_registry(monkeypatch):
    """The registry built again, as a new process would with the environment set now."""
    monkeypatch.setattr(registry_module, "_default", None)
    monkeypatch.setattr(registry_module, "_loaded", None)


@pytest.mark.parametrize("blocked", PLUGINS)
def test_blocking_one_plugin_leaves_the_other_programs_working(run, monkeypatch, blocked,
                                                               fresh_registry):
    monkeypatch.setenv("MENTORKIT_BLOCK_PLUGINS", blocked)
    listed = [row["name"] for row in json.loads(run("plugins", "list", "--json").output)]
    assert blocked not in listed and len(listed) == 3
    result = run("programs", "validate", CONFIGS / f"{blocked}.toml", expect=1)
    assert (f"is provided by the plugin {blocked} (mentorkit-{blocked}), which "
            "MENTORKIT_BLOCK_PLUGINS blocks") in result.output
    assert "Traceback" not in result.output
    for key in (k for k in PLUGINS if k != blocked):
        run("programs", "add", CONFIGS / f"{key}.toml")
        run("participants", "import", key, EXAMPLES / f"{key}.csv", expect=1)
        run("eligibility", key)
        [proposal] = json.loads(run("match", "run", key, "--dry-run", "--json").output)
        assert proposal["groups"], key


def test_a_component_whose_plugin_is_left_out_or_missing_names_the_plugin(monkeypatch):
    monkeypatch.setenv("MENTORKIT_LOAD_PLUGINS", "im-residency")
    assert why_missing("matching", "circles", set()).endswith(
        "which MENTORKIT_LOAD_PLUGINS leaves out")
    monkeypatch.delenv("MENTORKIT_LOAD_PLUGINS")
    assert why_missing("matching", "circles", {"peer-circles"}).endswith("which failed to load")
    assert why_missing("matching", "circles", set()) == (
        "'circles' is provided by the plugin peer-circles (mentorkit-peer-circles), which is "
        "not installed: pip install mentorkit-peer-circles (from a checkout of mentorkit: "
        "pip install -e plugins/peer-circles)")
    assert why_missing("matching", "no-such-shape", set()) == ""
    registry = Registry(load_plugins(entries=[]))  # none installed
    with pytest.raises(LookupError, match="which is not installed: pip install mentorkit-"
                                          "lgbtq-triads"):
        registry.get(Concern.MATCHING, "triads")


def test_the_demo_runs_the_other_programs_when_one_plugin_is_blocked(run, monkeypatch,
                                                                     tmp_path, fresh_registry):
    monkeypatch.setenv("MENTORKIT_BLOCK_PLUGINS", "peer-mentoring")
    output = run("demo", "--dir", tmp_path / "demo").output
    assert "skipping peer-mentoring: " in output and "MENTORKIT_BLOCK_PLUGINS blocks" in output
    for key in ("im-residency", "lgbtq-triads", "peer-circles"):
        assert f"=== {key} ===" in output
    assert "=== peer-mentoring ===" not in output


def composed() -> str:
    """The LGBTQ triads program, with the peer program's reply times and the residency
    program's purposes added: components from three plugins in one file."""
    text = (CONFIGS / "lgbtq-triads.toml").read_text()
    cadence = ('[[cadence]]\ncomponent = "reply-within"\nhours = { text = 24, email = 48 }\n\n'
               '[[cadence]]\ncomponent = "purposes-recorded"\nwithin_days = 21\n\n'
               '[tracking]\npurposes = ["career", "community"]\n\n')
    text = text.replace("[confidentiality]", cadence + "[confidentiality]", 1)
    assert "[tracking]" not in (CONFIGS / "lgbtq-triads.toml").read_text()
    return text


def test_a_program_composed_of_three_plugins_runs_a_year(run, tmp_path):
    config = tmp_path / "composed.toml"
    config.write_text(composed())
    shown = run("programs", "show", config).output
    for component in ("[triads]", "[first-meeting]", "[reply-within]", "[purposes-recorded]"):
        assert component in shown
    run("programs", "add", config)
    run("participants", "import", "lgbtq-triads", EXAMPLES / "lgbtq-triads.csv", expect=1)
    run("eligibility", "lgbtq-triads")
    run("match", "run", "lgbtq-triads")
    run("match", "accept", "lgbtq-triads", "--starts-on", "2026-10-14")
    [group, *_] = json.loads(run("match", "show", "lgbtq-triads", "--json").output)
    label = group["group"]
    run("meetings", "log", "lgbtq-triads", label, "--when", "2026-10-20 18:00",
        "--kind", "in-person")
    run("meetings", "log", "lgbtq-triads", label, "--when", "2026-11-02 09:00", "--kind",
        "text", "--awaiting-reply")
    run("match", "purposes", "lgbtq-triads", label, "career")
    status = json.loads(run("cadence", "status", "lgbtq-triads", "--as-of", "2026-11-05",
                            "--json").output)
    mine = {f["rule"]: f for f in next(r for r in status if r["group"] == label)["findings"]}
    assert mine["reply-within"]["standing"] == "overdue"  # the text waited over 24 hours
    assert mine["purposes-recorded"]["standing"] == "on track"
    others = [r for r in status if r["group"] != label]
    assert any(f["rule"] == "purposes-recorded" and f["standing"] == "overdue"
               for r in others for f in r["findings"])  # 21 days passed without purposes
    run("cycles", "close", "lgbtq-triads", "--yes")
    cycles = json.loads(run("cycles", "list", "lgbtq-triads", "--json").output)
    assert [c["status"] for c in cycles][:1] == ["closed"] and len(cycles) == 2
