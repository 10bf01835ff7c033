"""Fuzzing with hypothesis, a bounded number of examples each: the TOML loader, the CSV
importer and the command line take hostile input with a clear error, no traceback and no
partial write."""

from __future__ import annotations

import csv
import io
import os

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mentorkit.cli import cli
from mentorkit.config.errors import ConfigError
from mentorkit.kernel.program import load_program_text
from mentorkit.services.enrollment import import_csv
from mentorkit.services.programs import store_program
from mentorkit.services.sheets import ImportFileError
from mentorkit.storage.database import close_database, open_database
from mentorkit.storage.models import AuditEntry, Participant
from tests.conftest import CONFIGS

SHIPPED = (CONFIGS / "im-residency.toml").read_text()
LINES = SHIPPED.splitlines()
NASTY = st.text(alphabet=st.characters(codec="utf-8"), max_size=40) | st.sampled_from([
    "", "=cmd|' /C calc'!A0", "'; DROP TABLE participant;--", "<b>x</b>", "\x00", "\r\n",
    '"', "[[", "]", "= =", "1e309", "-1", "9" * 30, "2026-02-30", "true", "[1, 'a']"])


@settings(max_examples=120, deadline=None)
@given(st.lists(st.tuples(st.integers(0, len(LINES) - 1), NASTY), min_size=1, max_size=4))
def test_a_mangled_program_file_gives_a_config_error_or_loads(edits):
    lines = list(LINES)
    for index, text in edits:
        line = lines[index]
        lines[index] = (line.split("=", 1)[0] + "= " + text) if "=" in line else text
    try:
        load_program_text("\n".join(lines), "fuzz.toml")
    except ConfigError as error:
        assert str(error).startswith("fuzz.toml")


@settings(max_examples=60, deadline=None)
@given(st.binary(max_size=300))
def test_random_bytes_are_not_a_program(data):
    with pytest.raises(ConfigError, match=r"^bytes\.toml"):
        load_program_text(data.decode("utf-8", errors="replace"), "bytes.toml")


HEADERS = ["Full name", "E-mail", "Role", "PGY", "Sub-specialty interests",
           "Well-being is a priority for me"]
cell = NASTY | st.sampled_from(["resident", "faculty", "a@b.org", "cardiology;oncology"])


@settings(max_examples=60, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.lists(cell, min_size=0, max_size=8), max_size=12), st.booleans())
def test_a_hostile_export_imports_good_rows_and_rejects_the_rest(tmp_path_factory, rows, bom):
    folder = tmp_path_factory.mktemp("fuzz")
    open_database(folder / "fuzz.db")
    try:
        program = load_program_text(SHIPPED, "im.toml")
        store_program(program)
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow(HEADERS)
        writer.writerows(rows)
        export = folder / "export.csv"
        export.write_bytes((("\ufeff" if bom else "") + buffer.getvalue()).encode(
            "utf-8", errors="surrogatepass"))
        before = Participant.select().count(), AuditEntry.select().count()
        try:
            report = import_csv(program, export)
        except ImportFileError:
            assert (Participant.select().count(), AuditEntry.select().count()) == before
            return
        stored = Participant.select().count()
        assert stored == before[0] + report.added
        assert report.rejected_rows == len({e.line for e in report.errors})
        for person in Participant.select():  # names are kept exactly as given
            assert person.name == person.answers["name"]
    finally:
        close_database()


WORDS = ["programs", "list", "show", "validate", "participants", "import", "export",
         "match", "run", "accept", "pin", "notes", "add", "cadence", "status", "remind",
         "calendar", "meetings", "log", "audit", "cycles", "close", "purge", "eligibility",
         "im-residency", "--json", "--as-of", "--audience", "public", "--when", "--kind",
         "--help", "x", "", "-", "--", "2026-13-45", "../etc/passwd", "=1+1"]


@settings(max_examples=80, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.sampled_from(WORDS) | NASTY.filter(lambda t: "\x00" not in t),
                min_size=1, max_size=6))
def test_any_command_line_ends_in_a_clean_exit(tmp_path_factory, argv):
    folder = tmp_path_factory.mktemp("cli")
    here = os.getcwd()
    os.chdir(folder)  # whatever a command writes by default lands in the temporary folder
    try:
        result = CliRunner().invoke(cli, ["--db", str(folder / "cli.db"), *argv], input="n\n")
    finally:
        os.chdir(here)
        close_database()
    assert result.exit_code in (0, 1, 2), result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), (
        f"{argv}: {result.exception!r}")
    assert "Traceback" not in result.output
