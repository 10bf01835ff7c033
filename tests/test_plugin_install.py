"""Plugins installed for real into a fresh virtual environment, offline: a package `mentorkit
plugins new` writes, and the pods plugin docs/plugins.md walks through. The environment sees
this one's packages (mentorkit and what it needs) through a .pth file, as
``--system-site-packages`` would, and pip installs each plugin from its folder without an index
and without build isolation. There, each plugin's own tests pass, `plugins list` shows it,
`plugins check` passes, and a small pool is matched into pods through the command line. Each
of mentorkit's own plugins also builds alone as its own wheel."""

from __future__ import annotations

import json
import os
import shutil
import site
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from tests.conftest import ROOT

PODS = ROOT / "docs" / "pods_plugin"


def running(*args: object, cwd: Path | None = None, env: dict | None = None) -> str:
    done = subprocess.run([str(a) for a in args], cwd=cwd, capture_output=True, text=True,
                          env=env, timeout=600)
    assert done.returncode == 0, f"{args}: {done.stdout}\n{done.stderr}"
    return done.stdout


@pytest.fixture(scope="module")
def fresh_venv(tmp_path_factory) -> Path:
    """A new virtual environment that reaches this one's packages, and none of its own."""
    folder = tmp_path_factory.mktemp("venv")
    running(sys.executable, "-m", "venv", "--without-pip", folder)
    python = folder / "bin" / "python"
    purelib = Path(running(python, "-c", "import sysconfig; "
                                         "print(sysconfig.get_paths()['purelib'])").strip())
    outer = "; ".join(f"site.addsitedir({path!r})" for path in site.getsitepackages())
    (purelib / "outer.pth").write_text(f"import site; {outer}\n")
    return python


def install(python: Path, package: Path) -> None:
    running(python, "-m", "pip", "install", "--quiet", "--no-deps", "--no-index",
            "--no-build-isolation", package)


def environment(db: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("MENTORKIT_")}
    return {**env, "MENTORKIT_DB": str(db)}


def test_a_new_plugin_installs_into_a_fresh_environment_and_its_tests_pass(fresh_venv,
                                                                             tmp_path):
    mentorkit = [fresh_venv, "-m", "mentorkit"]
    env = environment(tmp_path / "m.db")
    running(*mentorkit, "plugins", "new", "acme-pairs", "--concern", "matching", "--dir",
            tmp_path, env=env)
    package = tmp_path / "acme-pairs"
    install(fresh_venv, package)
    # its tests run against the installed package, not its folder
    output = running(fresh_venv, "-m", "pytest", "-q", "-p", "no:cacheprovider", package,
                     cwd=tmp_path, env=env)
    assert " passed" in output and "failed" not in output
    listed = json.loads(running(*mentorkit, "plugins", "list", "--json", env=env))
    assert {"name": "acme-pairs", "version": "0.1.0", "error": None,
            "components": ["matching: acme-pairs.best-pairs"]} in listed
    [checked] = json.loads(running(*mentorkit, "plugins", "check", package, "--json",
                                   cwd=tmp_path, env=env))
    assert checked["findings"] == []


def test_the_pods_example_is_installed_and_matches_a_pool_into_pods(fresh_venv, tmp_path):
    install(fresh_venv, PODS)
    env = environment(tmp_path / "m.db")
    output = running(fresh_venv, "-m", "pytest", "-q", "-p", "no:cacheprovider", PODS,
                     cwd=tmp_path, env=env)
    assert " passed" in output and "failed" not in output

    def mentorkit(*args: object) -> str:
        return running(fresh_venv, "-m", "mentorkit", *args, cwd=tmp_path, env=env)

    signups = Path(shutil.copy(PODS / "signups.csv", tmp_path))
    mentorkit("programs", "add", PODS / "pods.toml")
    mentorkit("participants", "import", "pods", signups)
    mentorkit("eligibility", "pods")
    [proposal] = json.loads(mentorkit("match", "run", "pods", "--json"))
    pods = [[(m["name"], m["role"]) for m in g["members"]] for g in proposal["groups"]]
    assert sorted(sorted(role for _, role in pod) for pod in pods) == [
        ["faculty", "resident", "resident", "student"]] * 2
    by_faculty = {next(n for n, r in pod if r == "faculty"): {n for n, _ in pod} for pod in pods}
    assert by_faculty["Ada Faculty"] >= {"Hal Student"}  # cardiology and oncology together
    assert by_faculty["Ben Faculty"] >= {"Ivy Student"}  # surgery and pediatrics together
    assert "Jo Student" not in {n for pod in pods for n, _ in pod}  # signed up late
    assert "example-pods 0.1.0" in mentorkit("plugins", "list")


def test_the_minimal_example_plugin_installs_and_its_tests_pass(fresh_venv, tmp_path):
    example = ROOT / "docs" / "example_plugin"
    install(fresh_venv, example)
    env = environment(tmp_path / "m.db")
    output = running(fresh_venv, "-m", "pytest", "-q", "-p", "no:cacheprovider", example,
                     cwd=tmp_path, env=env)
    assert " passed" in output and "failed" not in output
    [checked] = json.loads(running(fresh_venv, "-m", "mentorkit", "plugins", "check",
                                   example, "--json", cwd=tmp_path, env=env))
    assert checked["findings"] == []
    assert checked["components"] == ["eligibility: example.staff-badge"]
    # installed from a wheel, it has no tests beside it: checked by name, that is a finding
    by_name = subprocess.run([fresh_venv, "-m", "mentorkit", "plugins", "check",
                              "example-institution"], cwd=tmp_path, env=env,
                             capture_output=True, text=True, timeout=600)
    assert by_name.returncode == 1
    assert "source folder (with its tests) was not found" in by_name.stdout


@pytest.mark.parametrize("folder", sorted((ROOT / "plugins").iterdir()), ids=lambda p: p.name)
def test_each_first_party_plugin_builds_alone_as_its_own_wheel(folder, tmp_path):
    running(sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--no-index",
            "--no-build-isolation", "--wheel-dir", tmp_path, folder)
    [wheel] = tmp_path.glob("*.whl")
    assert wheel.name.startswith(f"mentorkit_{folder.name.replace('-', '_')}-0.1.0-")
    with zipfile.ZipFile(wheel) as archive:
        names = archive.namelist()
        module = f"mentorkit_{folder.name.replace('-', '_')}"
        assert f"{module}/__init__.py" in names
        assert not [n for n in names if n.startswith("mentorkit/")]  # not the core
        [entry_points] = [n for n in names if n.endswith("entry_points.txt")]
        assert f"[mentorkit]\n{folder.name} = {module}" in archive.read(entry_points).decode()


def test_the_cores_wheel_holds_the_kit_and_the_catalog_and_no_plugin(tmp_path):
    running(sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--no-index",
            "--no-build-isolation", "--wheel-dir", tmp_path, ROOT)
    [wheel] = tmp_path.glob("mentorkit-*.whl")
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
    assert {"mentorkit/kernel/first_party.toml", "mentorkit/testing.py",
            "mentorkit/services/plugin_templates/matching.py.tmpl",
            "mentorkit/_shipped/program_configs/peer-circles.toml"} <= names
    assert not [n for n in names if n.startswith(("mentorkit_", "plugins/"))]
