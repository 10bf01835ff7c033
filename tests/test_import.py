"""Importing survey exports as they come: mappings, Excel quirks, ids, and no half-imports."""

from __future__ import annotations

import datetime as dt

import pytest

from mentorkit.services import enrollment_batch
from mentorkit.storage.models import AuditEntry, Participant
from tests.conftest import CONFIGS

HEADER = "Full name,E-mail,Role,Sub-specialty interests,Well-being is a priority for me"

BOTH_DATABASES = True  # every test here also runs on PostgreSQL when configured


def residency(run, tmp_path, edit=lambda text: text):
    config = tmp_path / "im.toml"
    config.write_text(edit((CONFIGS / "im-residency.toml").read_text()))
    run("programs", "add", config)
    return config


def test_value_mappings_turn_survey_codes_into_program_values(run, tmp_path):
    codes = 'values = { "1" = "resident", "2" = "faculty" }'
    residency(run, tmp_path, lambda text: text.replace(
        'choices = ["resident", "faculty"]', f'choices = ["resident", "faculty"]\n{codes}').replace(
        'label = "Sub-specialty interests"',
        'label = "Sub-specialty interests"\nvalues = { "Cards" = "cardiology", '
        '"GI" = "gastroenterology" }'))
    export = tmp_path / "qualtrics.csv"
    export.write_text(f"{HEADER}\nAda,ada@x.org,1,Cards;gi,Yes\nBo,bo@x.org,2,oncology,No\n"
                      "Cy,cy@x.org,3,,No\n")
    output = run("participants", "import", "im-residency", export, expect=1).output
    assert "line 4, column 'Role': not one of ['resident', 'faculty']" in output
    assert "'3'" not in output  # the answer itself is not quoted
    people = {p.email: p for p in Participant.select()}
    assert people["ada@x.org"].role == "resident"
    assert people["ada@x.org"].answers["subspecialty"] == ["cardiology", "gastroenterology"]
    assert people["bo@x.org"].role == "faculty"


@pytest.mark.parametrize("encoding,prefix,delimiter", [
    ("utf-8-sig", "", ","),          # Excel "CSV UTF-8": a BOM
    ("cp1252", "", ","),             # Excel "CSV" on Windows
    ("utf-8", "sep=;\r\n", ";"),     # Excel's separator line, European delimiter
    ("utf-8", "", "\t"),             # a tab-separated export
    ("utf-16", "", "\t"),            # Excel "Unicode Text": UTF-16 with its BOM, tabs
    ("utf-16-be", "\ufeff", ","),    # big-endian, its BOM written out
])
def test_excel_style_exports_import(run, tmp_path, encoding, prefix, delimiter):
    residency(run, tmp_path)
    rows = [HEADER.split(","), ["Zoë Müller", "zoe@x.org", "resident", "cardiology", "yes"],
            ["Ana", "ana@x.org", "faculty", "oncology", "no"]]
    text = prefix + "\r\n".join(delimiter.join(row) for row in rows) + "\r\n\r\n"
    export = tmp_path / "excel.csv"
    export.write_bytes(text.encode(encoding))
    run("participants", "import", "im-residency", export)
    assert {p.name for p in Participant.select()} == {"Zoë Müller", "Ana"}


def test_quoted_fields_with_newlines_keep_their_line_numbers(run, tmp_path):
    """A quoted cell may span lines (a paragraph answer); a name may not: it would write
    lines of its own into every letter and table that names the person."""
    residency(run, tmp_path, lambda text: text.replace(
        'label = "Residency program"', 'label = "Residency program"\nmultiline = true'))
    export = tmp_path / "multi.csv"
    export.write_text("Full name,E-mail,Role,Residency program\n"
                      '"Ada\nLovelace",ada@x.org,resident,IM\n'
                      'Bo,not-an-email,resident,"Internal\nMedicine"\n'
                      'Cy,cy@x.org,resident,"Internal\r\nMedicine"\n')
    output = run("participants", "import", "im-residency", export, expect=1).output
    assert "line 2, column 'Full name': holds a line break" in output
    assert "line 4, column 'E-mail'" in output  # the quoted name spans lines 2-3
    assert [p.name for p in Participant.select()] == ["Cy"]
    assert Participant.get().answers["residency_program"] == "Internal\r\nMedicine"


def test_reimport_matched_on_a_configured_id_updates_people_in_place(run, tmp_path):
    residency(run, tmp_path, lambda text: text.replace(
        "[[intake]]\nname = \"signed_up_on\"",
        '[[intake]]\nname = "employee_id"\nlabel = "Employee ID"\nrequired = true\n\n'
        '[[intake]]\nname = "signed_up_on"') + '\n[enrollment]\nmatch_on = "employee_id"\n')
    export = tmp_path / "hr.csv"
    export.write_text("Full name,E-mail,Role,Employee ID\nAda,ada@x.org,resident,E1\n"
                      "Bo,bo@x.org,faculty,E2\n")
    run("participants", "import", "im-residency", export)
    export.write_text("Full name,E-mail,Role,Employee ID\nAda King,ada.king@x.org,resident,E1\n"
                      "Bo,bo@x.org,faculty,E2\nCy,cy@x.org,faculty,E3\n")
    output = run("participants", "import", "im-residency", export).output
    assert "1 added, 1 updated, 1 unchanged" in output
    ada = Participant.get(Participant.name == "Ada King")
    assert ada.email == "ada.king@x.org" and Participant.select().count() == 3


def test_match_on_must_name_a_required_field(run, tmp_path):
    config = tmp_path / "bad.toml"
    config.write_text((CONFIGS / "im-residency.toml").read_text()
                      + '\n[enrollment]\nmatch_on = "pgy"\n')
    output = run("programs", "validate", config, expect=1).output
    assert "enrollment.match_on: the field 'pgy' must be required" in output


def test_an_import_interrupted_midway_leaves_the_database_as_it_was(run, tmp_path,
                                                                      monkeypatch):
    residency(run, tmp_path)
    export = tmp_path / "big.csv"
    export.write_text(HEADER + "\n" + "".join(
        f"P{i},p{i}@x.org,resident,cardiology,yes\n" for i in range(1200)))
    run("participants", "import", "im-residency", export)
    before = {(p.email, p.name) for p in Participant.select()}
    audit_before = AuditEntry.select().count()
    export.write_text(HEADER + "\n"  # updates first, then new people
                      + "".join(f"Renamed {i},p{i}@x.org,resident,cardiology,yes\n"
                                for i in range(5))
                      + "".join(f"Q{i},q{i}@x.org,resident,cardiology,yes\n"
                                for i in range(1200)))
    flushes = {"count": 0}
    real_flush = enrollment_batch.Batch.flush

    def crash_on_second_flush(self):
        flushes["count"] += 1
        if flushes["count"] == 2:  # 500 rows already written in this transaction
            raise KeyboardInterrupt
        real_flush(self)

    monkeypatch.setattr(enrollment_batch.Batch, "flush", crash_on_second_flush)
    output = run("participants", "import", "im-residency", export, expect=1).output
    assert "Aborted!" in output and flushes["count"] == 2
    assert {(p.email, p.name) for p in Participant.select()} == before
    assert AuditEntry.select().count() == audit_before


def test_the_same_person_twice_in_one_file_is_one_participant(run, tmp_path):
    """Without a submission time, the row further down is the later submission."""
    residency(run, tmp_path, lambda text: text.replace('label = "Submitted"',
                                                       'label = "Not in this file"'))
    export = tmp_path / "twice.csv"
    export.write_text(f"{HEADER}\nAda,ada@x.org,resident,cardiology,yes\n"
                      "Ada L,ADA@x.org,resident,oncology,yes\n")
    output = run("participants", "import", "im-residency", export).output
    ada = Participant.get()
    assert Participant.select().count() == 1 and ada.name == "Ada L"  # the last row wins
    assert "line 2: superseded by line 3 (a later submission" in output
    assert "1 added, 0 updated, 0 unchanged, 0 rejected, 1 superseded" in output
    assert not (tmp_path / "twice.rejects.csv").exists()  # nothing to fix


def test_a_header_with_a_column_twice_rejects_the_file(run, tmp_path):
    residency(run, tmp_path)
    export = tmp_path / "twice.csv"
    export.write_text("Full name,E-mail,Role,E-mail\nAda,ada@x.org,resident,ada@y.org\n")
    output = run("participants", "import", "im-residency", export, expect=1).output
    assert "'E-mail' more than once" in output and Participant.select().count() == 0


def test_a_file_mixing_utf8_and_windows_1252_keeps_every_name(run, tmp_path):
    residency(run, tmp_path)
    export = tmp_path / "mixed.csv"
    export.write_bytes(f"{HEADER}\n".encode() + "Zoë Brontë,zoe@x.org,resident,,\n".encode()
                       + "José Núñez,jose@x.org,resident,,\n".encode("cp1252"))
    run("participants", "import", "im-residency", export)
    assert {p.name for p in Participant.select()} == {"Zoë Brontë", "José Núñez"}


def test_addresses_and_cells_no_form_would_send_are_rejected_by_line(run, tmp_path):
    residency(run, tmp_path)
    export = tmp_path / "odd.csv"
    long = "a" * 100_000 + "@x.org"
    export.write_text(f"{HEADER}\nSemi,semi;colon@x.org,resident,,\nLong,{long},resident,,\n"
                      "Bell\x07Ringer,bell@x.org,resident,,\nBack\x08Space,bs@x.org,resident,,\n"
                      "Good,good@x.org,resident,,\n")
    output = run("participants", "import", "im-residency", export, expect=1).output
    assert "line 2, column 'E-mail': is not an e-mail address (" in output
    assert "semi" not in output and "colon@" not in output
    assert "line 3, column 'E-mail': is 100,006 characters long" in output
    assert "line 4, column 'Full name': contains control characters" in output
    assert "line 5, column 'Full name': contains control characters" in output
    assert [p.email for p in Participant.select()] == ["good@x.org"]
    assert "a" * 1000 not in output  # the report does not echo a runaway cell


@pytest.mark.parametrize(("text", "expected"), [
    ("2026-07-05", dt.date(2026, 7, 5)), ("2026-07-05 09:30:00", dt.date(2026, 7, 5)),
    ("2026-07-05T09:30", dt.date(2026, 7, 5)), ("07/05/2026", dt.date(2026, 7, 5)),
    ("7/5/2026 09:30", dt.date(2026, 7, 5)), ("02/30/2026", None), ("2026-13-01", None),
    ("05.07.2026", None), ("yesterday", None)])
def test_dates_are_read_as_survey_tools_write_them(text, expected):
    from mentorkit.config.models import IntakeField
    from mentorkit.services.cells import convert

    field = IntakeField("signed_up_on", type="date")
    if expected is None:
        with pytest.raises(ValueError, match="not a date"):
            convert(field, text)
    else:
        assert convert(field, text) == expected


def test_a_long_import_reports_its_progress_to_a_bar(run, tmp_path):
    from mentorkit.kernel.program import load_program
    from mentorkit.services.enrollment import import_csv

    residency(run, tmp_path)
    export = tmp_path / "many.csv"
    export.write_text(HEADER + "\n" + "".join(f"R {i},r{i}@x.org,resident,cardiology,yes\n"
                                               for i in range(2500)))
    seen = []
    import_csv(load_program(CONFIGS / "im-residency.toml"), export, progress=seen.append)
    assert seen == [1001, 2001, -1]  # every thousand rows (their line), then done
    assert Participant.select().count() == 2500


def test_rows_of_the_wrong_width_and_repeated_bad_answers_are_each_reported(run, tmp_path):
    """Rows are read as lists now, and answers that repeat down a column are converted once
    per import: a short row still reads its missing cells as empty, a long row is still
    refused, and a bad answer repeated on many rows is reported on every one of them."""
    residency(run, tmp_path)
    export = tmp_path / "widths.csv"
    export.write_text(f"{HEADER}\n"
                      "Ada,ada@x.org,resident,cardiology,Yes\n"
                      "Bo,bo@x.org,resident\n"                        # short: optional cells
                      "Cy,cy@x.org\n"                                 # short: role missing
                      "Di,di@x.org,resident,oncology,No,extra,more\n"  # two cells too many
                      " , ,,\n"                                       # blank: skipped
                      "Ed,ed@x.org,residnet,oncology,No\n"
                      "Fa,fa@x.org,residnet,oncology,No\n")
    output = run("participants", "import", "im-residency", export, expect=1).output
    assert "line 4, column 'Role': required, but empty" in output
    assert "line 5: 2 more cells than the header has" in output
    assert ("line 7, column 'Role': not one of ['resident', 'faculty']; did you mean "
            "'resident'?") in output
    assert "line 8, column 'Role': not one of" in output and "residnet" not in output
    people = {p.email: p for p in Participant.select()}
    assert set(people) == {"ada@x.org", "bo@x.org"}
    assert people["bo@x.org"].answers.get("subspecialty") is None
    assert people["ada@x.org"].answers["subspecialty"] == ["cardiology"]
    rejects = (tmp_path / "widths.rejects.csv").read_text()
    assert "Cy,cy@x.org" in rejects and "Di,di@x.org,resident,oncology" in rejects
