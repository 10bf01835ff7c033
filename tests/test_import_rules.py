"""What an import refuses and how it says so (issues 22 and 24): reasons that never quote a
person's answer, a header row that is data, huge cells, line breaks in one-line fields,
internationalized addresses, separators, re-submissions, rejects files to fix and re-import."""

from __future__ import annotations

import csv
import datetime as dt

import pytest

from mentorkit.storage.models import Participant
from tests.conftest import CONFIGS

BOTH_DATABASES = True
HEADER = "Full name,E-mail,Role,Sub-specialty interests,Well-being is a priority for me"


def residency(run, tmp_path, edit=lambda text: text):
    config = tmp_path / "im.toml"
    config.write_text(edit((CONFIGS / "im-residency.toml").read_text()))
    run("programs", "add", config)


def lgbtq(run, tmp_path, edit=lambda text: text):
    config = tmp_path / "lgbtq.toml"
    config.write_text(edit((CONFIGS / "lgbtq-triads.toml").read_text()))
    run("programs", "add", config)


def test_a_file_without_its_header_row_is_refused_by_its_shape_not_its_values(run, tmp_path):
    lgbtq(run, tmp_path)
    export = tmp_path / "noheader.csv"
    export.write_text("Sam Doe,sam.doe@upenn.example,student,mentee,2026-10-01 10:00:00,CHOP,"
                      "Yes,xe/xem,not out\nAl Bo,al@upenn.example,student,mentee,,CHOP,Yes,,\n")
    output = run("participants", "import", "lgbtq-triads", export, expect=1).output
    assert "the first line looks like data, not a header row" in output
    assert "cells look like answers: 1 e-mail addresses, 1 dates, 1 yes/no answers" in output
    for value in ("Sam", "sam.doe", "xe/xem", "not out", "CHOP"):
        assert value not in output
    assert Participant.select().count() == 0


def test_a_huge_cell_rejects_its_row_and_the_others_import(run, tmp_path):
    residency(run, tmp_path)
    export = tmp_path / "huge.csv"
    export.write_text(f"{HEADER}\nAda,ada@x.org,resident,,yes\n"
                      f"Bo,bo@x.org,resident,\"{'cardiology;' * 20_000}\",yes\n"
                      f"{'C' * 200_000},cy@x.org,resident,,no\nDi,di@x.org,faculty,,no\n")
    output = run("participants", "import", "im-residency", export, expect=1).output
    assert "line 3, column 'Sub-specialty interests': is 220,000 characters long" in output
    assert "line 4, column 'Full name': is 200,000 characters long" in output
    assert sorted(p.email for p in Participant.select()) == ["ada@x.org", "di@x.org"]
    assert len(output) < 5_000


@pytest.mark.parametrize("name", ["Ada\nLovelace", "Ada\rBcc: all@x.org", "Ada\u2028King"])
def test_a_name_with_a_line_break_does_not_import(run, tmp_path, name):
    residency(run, tmp_path)
    export = tmp_path / "lines.csv"
    with export.open("w", newline="", encoding="utf-8") as handle:
        csv.writer(handle).writerows([HEADER.split(","), [name, "ada@x.org", "resident", "", ""],
                                      ["Bo", "bo@x.org", "resident", "", ""]])
    output = run("participants", "import", "im-residency", export, expect=1).output
    assert "column 'Full name': holds a line break" in output
    assert [p.name for p in Participant.select()] == ["Bo"]


def test_internationalized_addresses_are_accepted_and_normalized(run, tmp_path):
    """RFC 6531 addresses, and the rows that refer to them (a student's faculty mentor)."""
    run("programs", "add", "peer-mentoring")
    export = tmp_path / "idn.csv"
    export.write_text("Full name,E-mail,Role,Year entering,Faculty Mentor e-mail\n"
                      "José Núñez,José.Núñez@Universität.example,faculty,,\n"
                      "王芳,王.芳@例え.example,faculty,,\n"
                      "Ana,ana@x.org,student,1,josé.núñez@universität.example\n"
                      "Bad,josé@@x.org,student,1,\n", encoding="utf-8")
    output = run("participants", "import", "peer-mentoring", export, expect=1).output
    emails = {p.email for p in Participant.select()}
    assert emails == {"josé.núñez@universität.example", "王.芳@例え.example", "ana@x.org"}
    ana = Participant.get(Participant.email == "ana@x.org")
    assert ana.answers["faculty_mentor"] == "josé.núñez@universität.example"
    assert "line 5, column 'E-mail': is not an e-mail address" in output
    assert "josé@@" not in output


def test_a_multi_select_split_by_another_separator_points_to_separator(run, tmp_path):
    run("programs", "add", "peer-circles")
    export = tmp_path / "circles.csv"
    export.write_text("Full name,E-mail,Role,Home institution,Career stage,"
                      "Topics I want to discuss\n"
                      'Ada,ada@x.org,peer,Boston,senior,"burnout, leadership"\n'
                      "Bo,bo@x.org,peer,Boston,senior,burnout;leadership\n")
    output = run("participants", "import", "peer-circles", export, expect=1).output
    assert ("line 2, column 'Topics I want to discuss': its options are split by ', ', not "
            "';': set separator = ', ' in the program's intake field 'topics'") in output
    assert [p.name for p in Participant.select()] == ["Bo"]


def test_an_option_holding_the_separator_survives_a_google_forms_split(run, tmp_path):
    options = '["In person", "Video Conference (e.g., Zoom)", "Phone"]'
    run_config = tmp_path / "circles.toml"
    run_config.write_text((CONFIGS / "peer-circles.toml").read_text().replace(
        'label = "Specialty"', f'label = "How we meet"\ntype = "choices"\nchoices = {options}'))
    run("programs", "add", run_config)
    export = tmp_path / "form.csv"
    export.write_text("Timestamp,Email Address,Full name,Role,Home institution,Career stage,"
                      "How we meet\n"
                      '9/15/2026 10:02:03,ada@x.org,Ada,peer,Boston,senior,'
                      '"Video Conference (e.g., Zoom), Phone"\n')
    run("participants", "import", "peer-circles", export)
    ada = Participant.get()
    assert ada.answers["specialty"] == ["Video Conference (e.g., Zoom)", "Phone"]
    assert ada.signed_up_on == dt.date(2026, 9, 15)  # from the form's Timestamp


def test_the_latest_submission_wins_by_the_exports_own_time_not_its_order(run, tmp_path):
    residency(run, tmp_path)
    export = tmp_path / "again.csv"
    export.write_text(f"{HEADER},Submitted\n"
                      "Ada New,ada@x.org,resident,,yes,07/09/2026\n"
                      "Ada Old,ada@x.org,resident,,yes,07/02/2026\n"
                      "Bo,bo@x.org,resident,,yes,07/03/2026\n")
    output = run("participants", "import", "im-residency", export).output
    assert "line 3: superseded by line 2" in output
    assert Participant.get(Participant.email == "ada@x.org").name == "Ada New"


def test_a_configured_submission_column_decides(run, tmp_path):
    residency(run, tmp_path, lambda text: text + '\n[enrollment]\nsubmitted_column = "When"\n')
    export = tmp_path / "again.csv"
    export.write_text(f"{HEADER},When\nAda B,ada@x.org,resident,,yes,2026-07-09 10:00\n"
                      "Ada A,ada@x.org,resident,,yes,2026-07-09 09:00\n")
    run("participants", "import", "im-residency", export)
    assert Participant.get().name == "Ada B"
    export.write_text(f"{HEADER}\nAda,ada@x.org,resident,,yes\n")
    output = run("participants", "import", "im-residency", export, expect=1).output
    assert "enrollment.submitted_column 'When' is not a column of the file" in output


def test_a_windows_1252_export_gets_windows_1252_rejects_to_fix_and_reimport(run, tmp_path):
    lgbtq(run, tmp_path)
    header = ("Name,Email,Current position,Affiliation,I identify as LGBTQ,Pronouns,"
              "Out as a professional\n")
    export = tmp_path / "signups.csv"
    export.write_bytes((header + "José Núñez,jose@upenn.example,student,CHOP,Yes,él,out\n"
                        "Zoë,zoe@upenn.example,student,Elsewhere,Yes,she/her,not out\n"
                        "Ana,ana@upenn.example,student,CHOP,No,,\n").encode("cp1252"))
    run("participants", "import", "lgbtq-triads", export, expect=1)
    rejects = tmp_path / "signups.rejects.csv"
    text = rejects.read_bytes().decode("cp1252")  # as Excel on Windows reads it
    assert "Zoë" in text and "she/her" not in text and "not out" not in text
    header, row = list(csv.reader(text.splitlines()))
    assert row[-3:] == ["[withheld: fill in]"] * 3  # identity, pronouns, out-ness
    assert "type the person's answer in its place" in row[1]  # the marker explained
    again = run("participants", "import", "lgbtq-triads", rejects, expect=1).output
    assert "still holds [withheld: fill in]: type the person's answer in its place" in again
    row[header.index("Affiliation")] = "CHOP"
    row[-3:] = ["Yes", "she/her", "out"]  # the coordinator types the answers back in
    with rejects.open("w", encoding="cp1252", newline="") as handle:
        csv.writer(handle).writerows([header, row])
    run("participants", "import", "lgbtq-triads", rejects)
    zoe = Participant.get(Participant.email == "zoe@upenn.example")
    assert zoe.answers["pronouns"] == "she/her" and zoe.answers["affiliation"] == "CHOP"


def test_a_utf8_export_gets_rejects_with_the_bom_excel_looks_for(run, tmp_path):
    residency(run, tmp_path)
    export = tmp_path / "plain.csv"
    export.write_text(f"{HEADER}\nZoë,not-an-address,resident,,yes\n", encoding="utf-8")
    run("participants", "import", "im-residency", export, expect=1)
    data = (tmp_path / "plain.rejects.csv").read_bytes()
    assert data.startswith(b"\xef\xbb\xbf") and "Zoë".encode() in data


def test_an_msforms_workbook_reads_excel_dates_and_trailing_separators(run, tmp_path):
    import openpyxl

    residency(run, tmp_path)
    book = openpyxl.Workbook()
    book.active.append(["ID", "Start time", "Completion time", "Email", "Name", "Full name",
                        "E-mail", "Role", "Sub-specialty interests", "Submitted", "PGY"])
    book.active.append([1, dt.datetime(2026, 7, 3, 9), dt.datetime(2026, 7, 3, 9, 5),
                        "anonymous", "anonymous", "Ada", "ada@x.org", "resident",
                        "cardiology;oncology;", 46205, 2])
    book.save(tmp_path / "forms.xlsx")
    output = run("participants", "import", "im-residency", tmp_path / "forms.xlsx").output
    assert "Microsoft Forms export" in output
    ada = Participant.get()
    assert ada.answers["subspecialty"] == ["cardiology", "oncology"]
    assert ada.signed_up_on == dt.date(2026, 7, 2)  # the Excel serial 46205
    assert ada.answers["pgy"] == 2


def test_format_forces_a_reader(run, tmp_path):
    run("programs", "add", "peer-circles")
    export = tmp_path / "form.csv"
    export.write_text("Horodatage,E-mail,Full name,Role,Home institution,Career stage,"
                      "Topics I want to discuss\n"
                      '15/09/2026,ada@x.org,Ada,peer,Boston,senior,"burnout, leadership"\n')
    run("participants", "import", "peer-circles", export, expect=1)  # ";" by default
    run("participants", "import", "peer-circles", export, "--format", "google-forms")
    assert Participant.get().answers["topics"] == ["burnout", "leadership"]
    wrong = run("participants", "import", "peer-circles", export, "--format", "excel",
                expect=2).output
    assert "Invalid value for '--format'" in wrong


def test_a_later_submission_replaces_one_stored_earlier_in_the_same_import(run, tmp_path):
    """The first submission was stored (inserted in an earlier batch) before the later one
    was read; and a person stored by an earlier import is updated once."""
    residency(run, tmp_path)
    first = tmp_path / "first.csv"
    first.write_text(f"{HEADER}\nZed,zed@x.org,faculty,,no\n")
    run("participants", "import", "im-residency", first)
    rows = [f"P{i},p{i}@x.org,resident,,yes" for i in range(1200)]
    rows.insert(1100, "P0 again,p0@x.org,resident,oncology,yes")
    rows += ["Zed A,zed@x.org,faculty,,no", "Zed B,zed@x.org,faculty,,yes"]
    export = tmp_path / "many.csv"
    export.write_text(HEADER + "\n" + "\n".join(rows) + "\n")
    output = run("participants", "import", "im-residency", export).output
    assert "1200 added, 1 updated, 0 unchanged, 0 rejected, 2 superseded" in output
    assert "line 2: superseded by line 1102" in output
    assert "line 1203: superseded by line 1204" in output
    again = Participant.get(Participant.email == "p0@x.org")
    assert again.name == "P0 again" and again.answers["subspecialty"] == ["oncology"]
    assert Participant.get(Participant.email == "zed@x.org").name == "Zed B"
    assert Participant.select().count() == 1201


def test_a_redcap_label_export_gathers_its_checked_options(run, tmp_path):
    run("programs", "add", "peer-circles")
    export = tmp_path / "labels.csv"
    export.write_text("Record ID,Full name,E-mail,Role,Home institution,Career stage,"
                      "Topics I want to discuss (choice=burnout),"
                      "Topics I want to discuss (choice=leadership),Complete?\n"
                      "1,Ada,ada@x.org,peer,Boston,senior,Checked,Checked,Complete\n"
                      "2,Bo,bo@x.org,peer,Boston,senior,Unchecked,Checked,Complete\n")
    output = run("participants", "import", "peer-circles", export).output
    assert "REDCap export" in output
    topics = {p.name: p.answers.get("topics") for p in Participant.select()}
    assert topics == {"Ada": ["burnout", "leadership"], "Bo": ["leadership"]}


def test_a_qualtrics_survey_preview_is_refused_as_such(run, tmp_path):
    lgbtq(run, tmp_path)
    export = tmp_path / "preview.csv"
    export.write_text(
        "StartDate,EndDate,Status,Progress,Finished,RecordedDate,Q1,Q2,Q3,Q4,Q5\n"
        "Start Date,End Date,Response Type,Progress,Finished,Recorded Date,Name,Email,"
        "Current position,Affiliation,I identify as LGBTQ\n"
        '{"ImportId":"startDate"},{"ImportId":"endDate"},{"ImportId":"status"},'
        '{"ImportId":"progress"},{"ImportId":"finished"},{"ImportId":"recordedDate"},'
        '{"ImportId":"QID1"},{"ImportId":"QID2"},{"ImportId":"QID3"},{"ImportId":"QID4"},'
        '{"ImportId":"QID5"}\n'
        "2026-10-01 10:00,2026-10-01 10:05,Survey Preview,100,True,2026-10-01 10:05,Tester,"
        "t@upenn.example,faculty,CHOP,Yes\n"
        "2026-10-01 10:00,2026-10-01 10:05,IP Address,100,True,2026-10-01 10:05,Ana,"
        "ana@upenn.example,faculty,CHOP,Yes\n")
    output = run("participants", "import", "lgbtq-triads", export, expect=1).output
    assert "line 4: a survey preview (Status), not a response" in output
    assert [p.name for p in Participant.select()] == ["Ana"]


def test_a_broken_workbook_is_one_clear_error(run, tmp_path):
    residency(run, tmp_path)
    export = tmp_path / "responses.xlsx"
    export.write_bytes(b"Full name,E-mail\nnot a workbook\n")
    output = run("participants", "import", "im-residency", export, expect=1).output
    assert "cannot read it as an Excel workbook (BadZipFile)" in output
