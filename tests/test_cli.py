from __future__ import annotations

import csv
import json
import re
import shutil

from mentorkit import __version__
from mentorkit.storage.models import AuditEntry, Group, Participant
from tests.conftest import CONFIGS, EXAMPLES

BOTH_DATABASES = True  # every test here also runs on PostgreSQL when configured


def setup_program(run, tmp_path, key: str):
    run("programs", "add", CONFIGS / f"{key}.toml")
    export = tmp_path / f"{key}.csv"
    shutil.copy(EXAMPLES / f"{key}.csv", export)
    return export


def test_version_and_usage_errors(run):
    assert __version__ in run("--version").output
    assert run("programs", "show", expect=2).exit_code == 2
    assert run("no-such-command", expect=2).exit_code == 2


def test_validate_accepts_shipped_configs_and_rejects_broken_ones(run, tmp_path):
    result = run("programs", "validate", *sorted(CONFIGS.glob("*.toml")))
    assert result.output.count(": ok (") == len(list(CONFIGS.glob("*.toml")))
    bad = tmp_path / "bad.toml"
    bad.write_text((CONFIGS / "im-residency.toml").read_text()
                   .replace("capacity = 2", 'capacity = "two"')
                   .replace("[[cadence]]\ncomponent", "[[cadence]]\nkomponent", 1))
    result = run("programs", "validate", CONFIGS / "im-residency.toml", bad, expect=1)
    assert f'{bad}: matching.capacity: expected an integer, got "two"' in result.output
    assert f"{bad}: cadence[1].component: required key is missing" in result.output
    assert "1 of 2 files has problems" in result.output
    assert "Traceback" not in result.output


def test_programs_add_list_show(run):
    assert "Added program im-residency" in run("programs", "add",
                                                CONFIGS / "im-residency.toml").output
    assert "Updated program im-residency" in run("programs", "add",
                                                  CONFIGS / "im-residency.toml").output
    listed = json.loads(run("programs", "list", "--json").output)
    assert [row["key"] for row in listed] == ["im-residency"]
    shown = run("programs", "show", "im-residency").output
    for rule in ("each mentor takes at most 2", "Sign-up deadline: 2026-07-15",
                 "at least every 92 days", "Mentors left without a mentee are reported",
                 "Resident: Residency program must be Internal Medicine.",
                 "Resident: pgy must be from 1 to 3.", "Sign up by 2026-07-15"):
        assert rule in shown, rule


def test_show_unknown_program_is_a_clean_error(run):
    result = run("programs", "show", "nope", expect=2)  # an unknown name: a usage mistake
    assert "no program 'nope'" in result.output and "Traceback" not in result.output


def test_show_lists_sensitive_fields_and_consent(run):
    shown = run("programs", "show", CONFIGS / "lgbtq-triads.toml").output
    assert "I identify as LGBTQ [identifies_lgbtq] (boolean, required, SENSITIVE)" in shown
    assert "Fall Networking Event on 2026-10-20" in shown
    assert "only if the participant listed it in 'Who may see my identity" in shown
    assert "say which groups fell back" in shown.replace("says", "say")


def test_import_reports_bad_rows_keeps_them_and_imports_good_ones(run, tmp_path):
    export = setup_program(run, tmp_path, "im-residency")
    total = sum(1 for _ in csv.DictReader(export.open()))
    result = run("participants", "import", "im-residency", export, expect=1)
    assert "line 7, column 'E-mail': is not an e-mail address" in result.output
    assert "line 42, column 'Sub-specialty interests': not one of" in result.output
    assert "not-an-email" not in result.output and "astrology" not in result.output
    assert Participant.select().count() == total - 2
    rejects = list(csv.DictReader((tmp_path / "im-residency.rejects.csv").open(
        encoding="utf-8-sig")))  # with the BOM Excel looks for
    assert [row["line"] for row in rejects] == ["7", "42"]
    assert rejects[0]["E-mail"] == "not-an-email"  # the row is kept whole
    # re-importing the same export updates in place, duplicates nobody
    again = run("participants", "import", "im-residency", export, expect=1).output
    assert f"0 added, 0 updated, {total - 2} unchanged, 2 rejected" in again
    assert Participant.select().count() == total - 2


def test_import_dry_run_stores_nothing(run, tmp_path):
    export = setup_program(run, tmp_path, "im-residency")
    run("participants", "import", "im-residency", export, "--dry-run", expect=1)
    assert Participant.select().count() == 0
    assert not (tmp_path / "im-residency.rejects.csv").exists()


def test_import_missing_required_column_fails_whole_file(run, tmp_path):
    run("programs", "add", CONFIGS / "im-residency.toml")
    export = tmp_path / "x.csv"
    export.write_text("Full name,Role\nA,resident\n")
    result = run("participants", "import", "im-residency", export, expect=1)
    assert "missing the required column E-mail" in result.output
    assert Participant.select().count() == 0


def test_eligibility_lists_every_reason_and_late_signups_apart(run, tmp_path):
    run("programs", "add", CONFIGS / "im-residency.toml")
    export = tmp_path / "x.csv"
    export.write_text("Full name,E-mail,Role,Submitted,Residency program,PGY\n"
                      "Ok Resident,ok@x.org,resident,07/01/2026,Internal Medicine,2\n"
                      "Two Reasons,two@x.org,resident,07/01/2026,Family Medicine,5\n"
                      "Late Resident,late@x.org,resident,07/20/2026,Internal Medicine,1\n"
                      "Late Ineligible,li@x.org,resident,07/20/2026,Family Medicine,1\n")
    run("participants", "import", "im-residency", export)
    verdicts = {v["name"]: v for v in json.loads(run("eligibility", "im-residency",
                                                     "--json").output)}
    assert verdicts["Ok Resident"]["eligible"]
    assert verdicts["Two Reasons"]["reasons"] == [
        "residency_program 'Family Medicine' is not Internal Medicine (for a resident)",
        "pgy 5 is outside 1-3 (for a resident)"]
    assert verdicts["Late Resident"]["late"] and not verdicts["Late Resident"]["eligible"]
    # late and not eligible anyway: among the not eligible, with both reasons
    assert verdicts["Late Ineligible"]["late"] and not verdicts["Late Ineligible"]["late_only"]
    assert len(verdicts["Late Ineligible"]["reasons"]) == 2
    text = run("eligibility", "im-residency").output
    assert re.search(r"Not eligible: 2\n", text) and "Late Ineligible" in text.split(
        "Late sign-ups")[0]
    assert re.search(r"Late sign-ups: 1\n.*\n.*Late Resident", text)
    statuses = {p.name: p.status for p in Participant.select()}
    assert statuses == {"Ok Resident": "eligible", "Two Reasons": "ineligible",
                        "Late Resident": "ineligible", "Late Ineligible": "ineligible"}
    report = tmp_path / "report.html"
    run("report", "im-residency", "--audience", "public", "--out", report)
    page = report.read_text()
    assert 'data-count="not eligible"><b>2</b>' in page
    assert 'data-count="late sign-ups"><b>1</b>' in page


def test_match_proposal_then_accept(run, tmp_path):
    export = setup_program(run, tmp_path, "im-residency")
    run("participants", "import", "im-residency", export, expect=1)
    run("eligibility", "im-residency")
    dry = run("match", "run", "im-residency", "--dry-run").output
    assert "Dry run: nothing stored." in dry and Group.select().count() == 0
    run("match", "run", "im-residency")
    run("match", "run", "im-residency")  # a rerun replaces the proposal, never adds to it
    groups = list(Group.select())
    residents = Participant.select().where((Participant.role == "resident")
                                           & (Participant.status == "eligible")).count()
    assert len(groups) == residents and all(g.status == "proposed" for g in groups)
    run("match", "accept", "im-residency")
    assert {g.status for g in Group.select()} == {"active"}
    matched = Participant.select().where(Participant.status == "matched")
    per_faculty: dict[int, int] = {}
    for participant in matched:
        for membership in participant.memberships:
            if membership.role == "mentor":
                per_faculty[participant.id] = per_faculty.get(participant.id, 0) + 1
    assert per_faculty and max(per_faculty.values()) <= 2  # each faculty mentors at most 2
    shown = json.loads(run("match", "show", "im-residency", "--json").output)
    assert all(row["why"] for row in shown)
    assert run("match", "accept", "im-residency", expect=1).output.startswith("Error: no proposal")
    actions = [a.action for a in AuditEntry.select()]
    assert {"program.add", "participants.import", "participant.status", "match.propose",
            "match.accept"} <= set(actions)


def test_copied_and_edited_program_changes_behaviour(run, tmp_path):
    copy = tmp_path / "ours.toml"
    run("programs", "copy", "im-residency", copy, "--key", "our-residency",
        "--name", "Our residency")
    assert run("programs", "copy", "im-residency", copy, expect=1).output.startswith(
        "Error: ") and "exists" in run("programs", "copy", "im-residency", copy,
                                       expect=1).output
    copy.write_text(copy.read_text().replace("capacity = 2", "capacity = 1"))
    run("programs", "validate", copy)
    run("programs", "add", copy)
    export = tmp_path / "x.csv"
    rows = ["Full name,E-mail,Role,Residency program,PGY,Sub-specialty interests"]
    rows += [f"Resident {i},r{i}@x.org,resident,Internal Medicine,1,cardiology" for i in range(3)]
    rows += ["Faculty A,fa@x.org,faculty,,,cardiology", "Faculty B,fb@x.org,faculty,,,oncology"]
    export.write_text("\n".join(rows) + "\n")
    run("participants", "import", "our-residency", export)
    run("eligibility", "our-residency")
    output = run("match", "run", "our-residency").output
    assert "2 groups" in output  # capacity 1: two mentors, two mentees placed
    assert "capacity exhausted: 2 mentors x 1 places for 3 mentees" in output


def test_participants_list_filters_and_json(run, tmp_path):
    export = setup_program(run, tmp_path, "lgbtq-triads")
    run("participants", "import", "lgbtq-triads", export, expect=1)
    everyone = json.loads(run("participants", "list", "lgbtq-triads", "--json").output)
    faculty = json.loads(run("participants", "list", "lgbtq-triads", "--role", "faculty",
                             "--json").output)
    assert faculty and len(faculty) < len(everyone)
    assert {row["role"] for row in faculty} == {"faculty"}


def test_demo_runs_the_whole_flow(run, tmp_path):
    folder = tmp_path / "demo"
    output = run("demo", "--dir", folder).output
    assert "Accepted" in output and "fell back" in output
    assert (folder / "demo.db").exists()
    for key in ("im-residency", "lgbtq-triads", "peer-mentoring", "peer-circles"):
        for step in (f"participants withdraw {key}", f"match change {key}",
                     f"cadence remind {key}", f"cycles close {key} --yes"):
            assert f"$ mentorkit {step}" in output, step
        assert f"$ mentorkit cadence remind {key}" in output
        # the first year's letters and report went with its purge; the second year's stay
        assert not any((folder / f"reminders-{key}").glob("*.eml"))
        assert any((folder / f"intro-{key}-next-year").glob("*.eml"))
        assert (folder / f"{key}-report.html").exists()
    assert output.count("Closed; ") == 4 and "joins " in output  # someone re-placed
    assert "Traceback" not in output
    again = run("demo", "--dir", folder).output  # reruns start afresh
    assert again.count("Added program") >= 2
    other = tmp_path / "not-a-demo"
    other.mkdir()
    assert "was not made by the demo" in run("demo", "--dir", other, expect=1).output


def test_the_help_listing_matches_the_commands_and_loads_nothing_heavy():
    """`mentorkit --help` lists the core's commands from a table, so it starts without the
    database layer, the solvers or the calendar library; the table must match the commands."""
    import subprocess
    import sys

    from mentorkit.cli import CORE_COMMANDS, cli, load_core

    load_core()
    core = {name for name, command in cli.commands.items()
            if command.callback is None or command.callback.__module__.startswith("mentorkit.")}
    assert core == set(CORE_COMMANDS)
    probe = ("import sys, io, contextlib\nfrom mentorkit.cli import cli\n"
             "with contextlib.redirect_stdout(io.StringIO()) as out:\n"
             "    try: cli(['--help'])\n    except SystemExit: pass\n"
             "heavy = ['numpy', 'scipy', 'ortools', 'peewee', 'psycopg', 'icalendar', "
             "'cryptography', 'tomlkit']\n"
             "print([m for m in heavy if m in sys.modules]); print('programs' in out.getvalue())")
    shown = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                           check=True).stdout.split()
    assert shown == ["[]", "True"]


def test_program_names_mean_what_a_coordinator_means(run, tmp_path, monkeypatch):
    """A shipped key not yet added says how to add it; a missing file is a mistyped name; a
    folder named like a key (as `notes tokens KEY --out KEY` makes) is not a program file."""
    export = tmp_path / "x.csv"
    export.write_text("Full name,E-mail,Role\nAna,ana@x.org,resident\n")
    said = run("participants", "import", "im-residency", export, expect=2).output
    assert "shipped with mentorkit but not added" in said
    assert "`mentorkit programs add im-residency`" in said and "did you mean" not in said
    missing = run("programs", "add", tmp_path / "nope.toml", expect=2).output
    assert "there is no program file" in missing and "Traceback" not in missing
    monkeypatch.chdir(tmp_path)
    (tmp_path / "lgbtq-triads").mkdir()
    run("programs", "add", "lgbtq-triads")
    assert "(none)" in run("match", "show", "lgbtq-triads").output
    typo = run("match", "accept", "lgbtq-triads", "--starts-on", "2026-13-01", expect=2).output
    assert "'2026-13-01' is not a date (YYYY-MM-DD)" in typo
