"""Scripts drive mentorkit as a coordinator does: every command takes --json and prints one
JSON list on stdout (the records it lists, or one record saying what it did), whatever it
says to a person on stderr; and the small mistakes a coordinator makes get plain answers."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from mentorkit.cli import cli, leaf_commands
from mentorkit.storage.models import Group, Participant
from tests.conftest import CONFIGS, EXAMPLES, ROOT

# commands that need no --json, and why
NO_JSON = {("demo",): "a scripted tour of the shipped programs: its output is the transcript",
           ("serve",): "a server that runs until stopped: it prints where it serves, and logs"}


def test_every_command_takes_json():
    missing = [" ".join(path) for path, command in leaf_commands(cli)
               if path not in NO_JSON and "--json" not in
               {opt for param in command.params for opt in getattr(param, "opts", ())}]
    assert missing == []


def records(result) -> list[dict]:
    """The JSON a --json run printed on stdout: a list of records."""
    found = json.loads(result.stdout)
    assert isinstance(found, list) and all(isinstance(r, dict) for r in found), result.stdout
    return found


def test_a_year_in_json(run, tmp_path):
    """The commands that change something, each once with --json, as a script runs them."""
    p = "im-residency"
    [added] = records(run("programs", "add", CONFIGS / f"{p}.toml", "--json"))
    assert added["created"] and added["key"] == p and added["warnings"]  # the placeholder
    [imported] = records(run("participants", "import", p, EXAMPLES / f"{p}.csv", "--json",
                             expect=1))
    assert imported["added"] > 0 and imported["rejected"] == len(imported["errors"]) > 0
    assert all({"line", "column", "reason"} <= set(e) for e in imported["errors"])
    records(run("eligibility", p, "--json"))
    records(run("match", "run", p, "--json"))
    [accepted] = records(run("match", "accept", p, "--starts-on", "2026-08-01", "--json"))
    assert accepted["groups"] == Group.select().where(Group.status == "active").count()
    [welcomed] = records(run("notify", p, "intro", "--out", tmp_path / "intro", "--json"))
    assert welcomed["written"] == len(list((tmp_path / "intro").glob("*.eml")))
    group = Group.select().where(Group.status == "active").order_by(Group.label).first()
    [met] = records(run("meetings", "log", p, group.label, "--when", "2026-09-02 17:30",
                        "--kind", "text", "--awaiting-reply", "--json"))
    [reply] = records(run("meetings", "log", p, group.label, "--when", "2026-09-03 09:00",
                          "--kind", "text", "--reply-to", str(met["number"]), "--json"))
    assert (met["number"], reply["number"]) == (1, 2)  # numbered within the group
    [listed, replied] = records(run("meetings", "list", p, group.label, "--json"))
    assert replied["reply_to"] == listed["number"] == 1
    [reminded] = records(run("cadence", "remind", p, "--as-of", "2026-12-20", "--out",
                             tmp_path / "reminders", "--json"))
    assert reminded["written"] > 0
    person = Participant.select().where(Participant.status == "matched").first()
    [gone] = records(run("participants", "withdraw", p, person.email, "--json"))
    assert gone["withdrawn"] and gone["groups"]
    label = gone["groups"][0]["group"]
    [resolved] = records(run("match", "resolve", p, label, "--json"))
    assert resolved["group"] == label and resolved["resolved"] >= 1
    [closed] = records(run("cycles", "close", p, "--yes", "--json"))
    assert closed["next"] == "2027-2028"


def test_validate_lists_every_problem_of_a_file_at_once(run, tmp_path):
    text = (CONFIGS / "im-residency.toml").read_text()
    text = text.replace("capacity = 2 ", 'capacity = "two" ', 1)
    text = text.replace('kind = "overlap"\nfield = "subspecialty"',
                        'kind = "overlapp"\nfield = "subspecialty"', 1)
    text = text.replace('field = "research"\nlabel', 'field = "reserch"\nlabel', 1)
    bad = tmp_path / "bad.toml"
    bad.write_text(text)
    [found] = records(run("programs", "validate", bad, "--json", expect=1))
    assert {p["path"] for p in found["problems"]} == {
        "matching.capacity", "matching.criteria[0].kind", "matching.criteria[1].field"}
    said = run("programs", "validate", bad, expect=1).output
    assert "overlapp" in said and "reserch" in said and "two" in said


def test_validate_warns_of_a_placeholder_contact_copied_from_a_shipped_program(run, tmp_path):
    ours = tmp_path / "ours.toml"
    run("programs", "copy", "peer-circles", ours, "--key", "our-circles")
    result = run("programs", "validate", ours)
    assert "ok (our-circles)" in result.stdout
    assert "placeholder" in result.stderr and "circles@example.org" in result.stderr
    ours.write_text(ours.read_text().replace("circles@example.org", "circles@med.school.edu"))
    assert "placeholder" not in run("programs", "validate", ours).stderr


@pytest.mark.parametrize("url", ["mysql://u:secretpw@host/db", "oracle://h/db", "ftp://h"])
def test_a_database_scheme_mentorkit_does_not_use_is_a_usage_error(run, url):
    result = run("--db", url, "programs", "list", expect=2)
    assert "postgresql://" in result.output and "sqlite" in result.output
    assert "secretpw" not in result.output and "Traceback" not in result.output


def _cli(folder, *args):
    env = {k: v for k, v in os.environ.items() if k != "MENTORKIT_DB"}
    return subprocess.run([sys.executable, "-m", "mentorkit", *args], cwd=folder, env=env,
                          capture_output=True, text=True, timeout=120)


@pytest.mark.parametrize("args", [
    ["--help"], ["match", "--help"], ["notify", "--help"], ["programs", "show", "--help"],
    ["participants", "list", "no-such-program", "--help"],
    ["notify", "no-such-program", "intro", "--help"],
    ["notify", "im-residency", "intro", "--help"],
    ["programs", "show", "im-residency"],
    ["programs", "copy", "im-residency", "ours.toml", "--key", "ours"],
    ["programs", "validate", str(CONFIGS / "lgbtq-triads.toml")],
    ["programs", "goals", "peer-circles"],
])
def test_help_and_a_programs_rules_need_no_database(tmp_path, args):
    """Whatever the arguments name, --help answers, and nothing about a program's file (a
    shipped one's too) leaves an empty mentorkit.db behind."""
    done = _cli(tmp_path, *args)
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr
    assert not (tmp_path / "mentorkit.db").exists()


@pytest.mark.parametrize("args", [
    ["eligibility", "lgbtq-triads"], ["participants", "list", "im-residency", "--json"],
    ["match", "show", "peer-circles"], ["report", "no-such-program"],
])
def test_a_command_on_people_with_no_database_there_makes_none(tmp_path, args):
    """A mistyped --db (or a first command before `programs add`) says there is no
    database there, and leaves no empty file behind."""
    done = _cli(tmp_path, "--db", "typo.db", *args)
    assert done.returncode == 2 and "no database at typo.db" in done.stderr
    assert "programs add" in done.stderr and "Traceback" not in done.stderr
    assert list(tmp_path.iterdir()) == []


def test_a_stored_program_is_still_found_by_key(run, tmp_path, db_path):
    run("programs", "add", CONFIGS / "im-residency.toml")
    env = {**os.environ, "MENTORKIT_DB": str(db_path)}
    done = subprocess.run([sys.executable, "-m", "mentorkit", "programs", "show",
                           "im-residency", "--json"], cwd=ROOT, env=env, capture_output=True,
                          text=True, timeout=120)
    assert done.returncode == 0 and json.loads(done.stdout)[0]["key"] == "im-residency"


def test_the_command_lines_names_are_the_services():
    """What the command line knows without loading the services (so --help starts fast)
    is what the services say."""
    from mentorkit.cli import cadence as cadence_cli
    from mentorkit.cli import meetings as meetings_cli
    from mentorkit.cli import params
    from mentorkit.kernel.concerns import Audience
    from mentorkit.services import cadence, meetings, startup
    from mentorkit.storage import database

    assert cadence_cli.STANDINGS == cadence.STANDINGS
    assert meetings_cli.KINDS == meetings.KINDS
    assert tuple(a.value for a in Audience) == params.AUDIENCES
    assert startup.DEFAULT_DB == database.DEFAULT_DB and startup.ENV_VAR == database.ENV_VAR
