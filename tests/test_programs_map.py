"""``mentorkit programs map``: a real export's columns and answers proposed as a program's
intake mapping, written into the program file (comments kept), and the import that follows
works: for each tool's export of a shipped program, and for exports whose questions and
answers are worded as a survey would word them."""

from __future__ import annotations

import csv
import re
import shlex
import shutil

import pytest

from mentorkit.storage.models import Participant
from tests.conftest import CONFIGS, ROOT

MADE = ROOT / "examples" / "data" / "exports"
CASES = [  # program, export, options, rows the import rejects, the broken answer planted
    ("lgbtq-triads", "lgbtq-triads.qualtrics.csv", (), 2, None),
    ("peer-mentoring", "peer-mentoring.redcap.csv",
     ("--dictionary", "peer-mentoring.redcap-dictionary.csv"), 2, "6"),
    ("peer-circles", "peer-circles.google-forms.csv", (), 2, "student"),
    ("peer-circles", "peer-circles.surveymonkey.csv", (), 2, "student"),
    ("im-residency", "im-residency.ms-forms.xlsx", (), 2, "astrology"),
]


def mapped_import(run, tmp_path, program, export, options=(), rejected=0):
    """Map, write the mapping into our copy of the program, add it, import: the report."""
    ours = tmp_path / "ours.toml"
    output = run("programs", "map", program, export, *options, "--write", ours,
                 expect=None).output
    run("programs", "add", ours)
    result = run("participants", "import", program, export, *options,
                 expect=1 if rejected else 0).output
    assert f"{rejected} rejected" in result
    return output, ours


@pytest.mark.parametrize(("program", "name", "options", "rejected", "broken"), CASES,
                         ids=[case[1] for case in CASES])
def test_each_tools_export_maps_and_imports(run, tmp_path, program, name, options, rejected,
                                            broken):
    for file in (name, *[o for o in options if o.endswith(".csv")]):
        shutil.copy(MADE / file, tmp_path / file)
    args = [tmp_path / o if o.endswith(".csv") else o for o in options]
    output, _ = mapped_import(run, tmp_path, program, tmp_path / name, args, rejected)
    unmatched = [line.strip() for line in output.splitlines() if "matches no option" in line]
    assert unmatched == ([f"{broken!r} -> ? (matches no option)"] if broken else [])
    assert "no column found (required" not in output
    assert Participant.select().count() > 30


def renamed_qualtrics(tmp_path):
    """The lgbtq export as a survey words it: its own questions and answers."""
    with (MADE / "lgbtq-triads.qualtrics.csv").open(encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    texts = {"Name": "Your full name", "Email": "Your e-mail address",
             "Current position": "What is your current position?",
             "I identify as LGBTQ": "Do you identify as LGBTQ+?"}
    rows[1] = [texts.get(text, text) for text in rows[1]]
    role, identity = rows[1].index(texts["Current position"]), rows[1].index(texts[
        "I identify as LGBTQ"])
    words = {"student": "Medical student", "trainee": "Resident or fellow",
             "faculty": "Faculty member"}
    for row in rows[3:]:
        row[role] = words[row[role]]
        row[identity] = {"Yes": "Yes, I identify as LGBTQ+", "No": "No"}[row[identity]]
    export = tmp_path / "signups.csv"
    with export.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows(rows)
    return export


def test_a_survey_worded_its_own_way_is_mapped_and_then_imports(run, tmp_path):
    export = renamed_qualtrics(tmp_path)
    run("programs", "add", "lgbtq-triads")
    first = run("participants", "import", "lgbtq-triads", export, expect=None)
    assert first.exit_code == 1 and "missing the required columns Name, Email" in first.output
    output, ours = mapped_import(run, tmp_path, "lgbtq-triads", export, rejected=2)
    assert "name <- 'Your full name' (proposed: column = 'Q1')" in output
    assert "'Medical student' -> 'student'" in output
    assert "'Resident or fellow' -> 'trainee'" in output  # the role's label
    assert "'Yes, I identify as LGBTQ+' -> 'yes'" in output  # an option many gave
    text = ours.read_text()
    assert '# Penn Medicine Program for LGBTQ Health' in text  # comments kept
    assert 'column = "Q3"' in text and '"Medical student" = "student"' in text
    assert Participant.select().count() == 35
    assert {p.role for p in Participant.select()} == {"student", "trainee", "faculty"}


def test_a_confidential_answer_given_once_is_not_shown(run, tmp_path):
    export = renamed_qualtrics(tmp_path)
    with export.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    pronouns = rows[1].index("Out as a professional")
    rows[5][pronouns] = "out to my team only"  # typed by one person
    with export.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows(rows)
    output = run("programs", "map", "lgbtq-triads", export, expect=1).output
    assert "out to my team" not in output
    assert "1 answer matches no option (confidential: not shown)" in output


def test_map_on_real_exports_lists_answers_and_columns(run, tmp_path):
    """The real Google Forms export, for a program asking for favourite genres."""
    config = tmp_path / "shows.toml"
    config.write_text((CONFIGS / "peer-circles.toml").read_text().replace(
        'label = "Topics I want to discuss"\nchoices = ["parental leave", "burnout", '
        '"harassment", "promotion", "publishing",\n           "negotiation", "leadership", '
        '"work-life integration"]',
        'label = "Genres"\nchoices = ["Comedy", "Drama", "Action", "Crime", "Sports"]'))
    real = ROOT / "tests" / "data" / "exports" / "googleforms_cs50_favorites.csv"
    output = run("programs", "map", config, real, expect=1).output
    assert "Read as Google Forms: 1 header row, 490 responses." in output
    assert "topics <- 'genres'" in output and "'Sport' -> 'Sports'" in output
    assert "'Documentary' -> ? (matches no option)" in output
    assert "name: no column found (required" in output
    assert "signed_up_on <- 'Timestamp' (the tool's submission time)" in output


def test_writing_into_another_programs_file_is_refused(run, tmp_path):
    other = tmp_path / "other.toml"
    shutil.copy(CONFIGS / "peer-circles.toml", other)
    export = tmp_path / "e.csv"
    shutil.copy(MADE / "lgbtq-triads.qualtrics.csv", export)
    output = run("programs", "map", "lgbtq-triads", export, "--write", other, expect=1).output
    assert "is the program file of 'peer-circles', not 'lgbtq-triads'" in output
    assert other.read_text() == (CONFIGS / "peer-circles.toml").read_text()


def test_the_command_a_refused_import_proposes_runs_as_it_is_printed(run, tmp_path,
                                                                     monkeypatch):
    """The mapping command is printed with the file as it was given (a folder of its own,
    a space in its name), so a coordinator can paste it from any directory."""
    folder = tmp_path / "sign ups"
    folder.mkdir()
    export = folder / "spring export.csv"
    export.write_bytes(renamed_qualtrics(tmp_path).read_bytes())
    run("programs", "add", "lgbtq-triads")
    monkeypatch.chdir(tmp_path.parent)
    refused = run("participants", "import", "lgbtq-triads", export, expect=1).output
    command = re.search(r"`(mentorkit programs map [^`]+)` proposes a mapping",
                        " ".join(refused.split())).group(1)
    words = shlex.split(command)
    assert words[4] == str(export)
    mapped = run(*words[1:], expect=None)
    assert "name <- 'Your full name'" in mapped.output
