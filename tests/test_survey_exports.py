"""Survey tools' exports read as they come: the real exports in tests/data/exports/ (from
public repositories), and exports of our shipped programs made in each tool's format
(examples/data/exports/, written by examples/survey_exports.py), imported through the CLI."""

from __future__ import annotations

import csv
import shutil

import pytest

from mentorkit.services.surveys.read import read_sheet
from mentorkit.storage.models import Participant
from tests.conftest import ROOT

BOTH_DATABASES = True  # the import tests also run on PostgreSQL when configured
SAMPLES = ROOT / "tests" / "data" / "exports"
MADE = ROOT / "examples" / "data" / "exports"


def copy(tmp_path, *names, folder=MADE):
    for name in names:
        shutil.copy(folder / name, tmp_path / name)
    return tmp_path / names[0]


def rows_of(sheet):
    return [(line, sheet.cells(row)) for line, row in sheet.rows]


# -- the real exports -----------------------------------------------------------------------

def test_a_real_qualtrics_export_reads_its_three_header_rows():
    sheet = read_sheet(SAMPLES / "qualtrics_insights_sample.csv")
    assert sheet.format == "qualtrics" and len(sheet.header_rows) == 3
    by_text = sheet.find("This is a multiple choice question.")
    assert by_text == sheet.find("q1") == sheet.find("QID1")  # text, tag or ImportId
    assert sheet.find("  this IS a free   text question. ") == sheet.find("QID2_TEXT")
    [(line, cells)] = rows_of(sheet)
    assert line == 4  # the file's own line, after three header rows
    assert cells[by_text] == "2" and cells[sheet.find("Q2")] == "Hello World!"
    assert sheet.headers[sheet.stamp] == "Erfassungsdatum"  # RecordedDate, in German
    assert sheet.refuse is not None and sheet.refuse(sheet_row(sheet)) is None  # finished


def sheet_row(sheet):
    return next(iter(read_sheet(sheet.path).rows))[1]


@pytest.mark.parametrize("variant", ["single-quoted", "legacy"])
def test_qualtrics_single_quoted_import_ids_and_the_legacy_two_row_header(tmp_path, variant):
    lines = (SAMPLES / "qualtrics_insights_sample.csv").read_text().splitlines()
    if variant == "single-quoted":
        lines[2] = lines[2].replace('""ImportId"":""', "'ImportId': '").replace('""}', "'}")
    else:
        del lines[2]
    export = tmp_path / "q.csv"
    export.write_text("\n".join(lines) + "\n")
    sheet = read_sheet(export)
    assert sheet.format == "qualtrics"
    assert len(sheet.header_rows) == (3 if variant == "single-quoted" else 2)
    [(line, cells)] = rows_of(sheet)
    assert line == len(sheet.header_rows) + 1 and cells[sheet.find("Q2")] == "Hello World!"
    if variant == "single-quoted":
        assert sheet.find("QID2_TEXT") == sheet.find("Q2")


def test_a_real_redcap_export_gathers_checkboxes_with_letter_codes_through_its_dictionary():
    raw = SAMPLES / "redcap_checkboxes_raw_data.csv"
    plain = read_sheet(raw)
    labelled = read_sheet(raw, dictionary=SAMPLES / "redcap_checkboxes_dictionary.csv")
    assert plain.format == labelled.format == "redcap"
    assert labelled.find("check two") == labelled.find("check_two")  # label or variable
    first_plain, every = rows_of(plain)[0][1], [cells for _, cells in rows_of(labelled)]
    assert first_plain[plain.find("check_two")].split("\n") == ["a", "c"]  # the codes
    assert every[0][labelled.find("check_two")].split("\n") == ["A", "C"]  # their labels
    assert [cells[labelled.find("check_one")] for cells in every] == [
        "one", "", "one\ntwo\nthree\nfour", ""]


def test_a_real_google_forms_export_splits_answers_against_the_known_options():
    from mentorkit.services.multiselect import split_answer

    sheet = read_sheet(SAMPLES / "googleforms_cs50_favorites.csv")
    assert sheet.format == "google-forms" and sheet.separator == ", "
    assert sheet.headers[sheet.stamp] == "Timestamp"
    genres = {cells[2] for _, cells in rows_of(sheet)}
    known = {part.casefold() for answer in genres for part in answer.split(", ")}
    assert split_answer("Action, Crime, Drama", ", ", known) == ["Action", "Crime", "Drama"]
    known.add("video conference (e.g., zoom)")  # an option holding the separator
    assert split_answer("Drama, Video Conference (e.g., Zoom), Sports", ", ", known) == [
        "Drama", "Video Conference (e.g., Zoom)", "Sports"]


def test_a_real_surveymonkey_header_pairs_each_question_with_its_sub_answer():
    sheet = read_sheet(SAMPLES / "surveymonkey_ggwash_2022_anc_header_rows.csv")
    assert sheet.format == "surveymonkey" and len(sheet.header_rows) == 2
    email = sheet.find("Email")
    assert sheet.headers[email] == "Contact information - Email"
    assert sheet.find("contact information - name") == sheet.find("Name")
    ranking = [c for c in sheet.columns if c.gathered and c.name.startswith("_Planned unit")]
    assert len(ranking) == 1 and len(ranking[0].sources) == 8
    assert rows_of(sheet) == []  # the data rows were left out of the sample


# -- exports of our programs, through the command line --------------------------------------

MADE_EXPORTS = [  # program, file, extra options, rejected lines, (superseded line, by line)
    ("lgbtq-triads", "lgbtq-triads.qualtrics.csv", (), [7, 41], (9, 40)),
    ("peer-mentoring", "peer-mentoring.redcap.csv",
     ("--dictionary", "peer-mentoring.redcap-dictionary.csv"), [32, 42], (62, 454)),
    ("peer-circles", "peer-circles.google-forms.csv", (), [10, 52], (14, 122)),
    ("peer-circles", "peer-circles.surveymonkey.csv", (), [11, 53], (33, 123)),
    ("im-residency", "im-residency.ms-forms.xlsx", (), [7, 42], (3, 72)),
]


@pytest.mark.parametrize(("program", "name", "options", "bad", "superseded"), MADE_EXPORTS,
                         ids=[case[1] for case in MADE_EXPORTS])
def test_each_tools_export_of_a_shipped_program_imports(run, tmp_path, program, name,
                                                        options, bad, superseded):
    export = copy(tmp_path, name, *[o for o in options if o.endswith(".csv")])
    run("programs", "add", program)
    args = [tmp_path / o if o.endswith(".csv") else o for o in options]
    output = run("participants", "import", program, export, *args, expect=1).output
    assert [int(line) for line in _lines(output, "line ")] == bad
    assert f"line {superseded[0]}: superseded by line {superseded[1]}" in output
    rejects = export.with_name(export.stem + ".rejects.csv")
    encoding = "utf-8-sig"
    with rejects.open(encoding=encoding, newline="") as handle:
        kept = [row[0] for row in csv.reader(handle)]
    assert [int(x) for x in kept if x.isdigit()] == bad  # every rejected row kept, by line
    assert Participant.select().where(Participant.signed_up_on.is_null()).count() == 0
    eligible = run("eligibility", program).output
    assert "eligible" in eligible


def _lines(output: str, prefix: str) -> list[str]:
    """The line numbers of rejected rows reported (one per row)."""
    found = []
    for text in output.splitlines():
        if prefix in text and "superseded" not in text:
            number = text.split(prefix, 1)[1].split(",")[0].split(":")[0]
            if number not in found:
                found.append(number)
    return found


def test_qualtrics_quirks_of_the_lgbtq_export(run, tmp_path):
    """-99 (seen, unanswered) is blank; options gathered from Q9_1..Q9_10; the re-submission
    (an earlier person, a later RecordedDate) wins; the unfinished response is refused."""
    export = copy(tmp_path, "lgbtq-triads.qualtrics.csv")
    run("programs", "add", "lgbtq-triads")
    output = run("participants", "import", "lgbtq-triads", export, expect=1).output
    assert "line 41: an incomplete response (Finished 0, Progress 45%)" in output
    with export.open(encoding="utf-8", newline="") as handle:
        lines = list(csv.reader(handle))
    email = lines[0].index("Q2")
    people = {p.email: p for p in Participant.select()}
    assert "outness" not in people[lines[5][email]].answers  # the -99 of line 6
    assert lines[8][email] == lines[39][email]  # line 9 submitted again on line 40
    assert people[lines[8][email]].answers["clinical_interests"] == ["surgery"]
    trainees = [p for p in people.values() if p.role == "trainee"]
    assert trainees and all(p.sides == ["mentee", "mentor"] for p in trainees)  # "mentor,mentee"
    assert any(len(p.answers.get("clinical_interests", [])) > 1 for p in people.values())


def test_redcap_codes_without_the_dictionary_point_to_it(run, tmp_path):
    export = copy(tmp_path, "peer-mentoring.redcap.csv")
    run("programs", "add", "peer-mentoring")
    output = " ".join(run("participants", "import", "peer-mentoring", export,
                          expect=1).output.split())
    assert "missing the required column Full name (read as REDCap" in output
    assert "through the project's data dictionary: give it with --dictionary FILE" in output
    assert Participant.select().count() == 0
