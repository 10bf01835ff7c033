from __future__ import annotations

import atexit
import datetime as dt
import os
import shutil
import tempfile
import tomllib
from importlib.metadata import EntryPoint, entry_points
from pathlib import Path

import pytest
import time_machine
from click.testing import CliRunner

from mentorkit.cli import cli
from mentorkit.storage.database import close_database

ROOT = Path(__file__).resolve().parent.parent
CONFIGS = ROOT / "program_configs"
# The example sign-ups, copied once per run: an import writes its rejects file beside the
# file it reads, and the tests must not write into the checkout.
EXAMPLES = Path(tempfile.mkdtemp(prefix="mentorkit-examples-"))
for _export in (ROOT / "examples" / "data").glob("*.csv"):
    if not _export.name.endswith(".rejects.csv"):
        shutil.copy(_export, EXAMPLES / _export.name)
atexit.register(shutil.rmtree, EXAMPLES, ignore_errors=True)


def first_party_entries() -> list[EntryPoint]:
    """The entry points of mentorkit's own plugins (plugins/), as the README's install command
    registers them: a registry built from these and the core serves every shipped program."""
    from mentorkit.kernel.catalog import first_party

    names = {plugin.entry_point for plugin in first_party()}
    found = [entry for entry in entry_points(group="mentorkit") if entry.name in names]
    assert {entry.name for entry in found} == names, (
        "mentorkit's plugins are not installed: install them as README.md says")
    return found


# The moment the tests live on: inside the 2026-2027 cycle every program file and example
# here is written for (sign-ups closed, groups matched, meetings under way), so a test reads
# the same whatever year it is run in; a program's links, cycle dates and due dates are all
# judged against it. The clock runs on from it (tick), in this process and in every Python
# process a test starts (tests/clock/sitecustomize.py).
TODAY = dt.datetime(2026, 12, 6, 15, 0, tzinfo=dt.UTC)
CLOCK_ENV = "MENTORKIT_TEST_NOW"
os.environ[CLOCK_ENV] = TODAY.isoformat()
os.environ["PYTHONPATH"] = os.pathsep.join(
    [str(ROOT / "tests" / "clock"), *filter(None, [os.environ.get("PYTHONPATH")])])


MID_YEAR = dt.datetime(2027, 1, 20, 15, 0, tzinfo=dt.UTC)  # shipped mid-year check-ins open
YEAR_END = dt.datetime(2027, 6, 1, 15, 0, tzinfo=dt.UTC)  # and im-residency's end-of-year


def on(moment: dt.datetime):
    """A step of a test taken on another day, the clock running on from there: responses
    are imported once their assessment has opened."""
    return time_machine.travel(moment, tick=True)


@pytest.fixture(autouse=True)
def on_the_tests_day():
    """Every test runs on TODAY, with its clock running on from there."""
    with time_machine.travel(TODAY, tick=True):
        yield


PG_URL = os.environ.get("MENTORKIT_TEST_PG", "")
PG_MISSING = ("no PostgreSQL server configured: set MENTORKIT_TEST_PG to a database URL "
              "(.ci/postgres.sh starts one and prints it)")


def pytest_generate_tests(metafunc):
    """Modules that set BOTH_DATABASES run every database test on SQLite and PostgreSQL."""
    if "db_path" in metafunc.fixturenames and getattr(metafunc.module, "BOTH_DATABASES", False):
        metafunc.parametrize("db_path", ["sqlite", "postgres"], indirect=True)


def reset_postgres(url: str) -> None:
    """An empty database for the next test: drop and recreate the public schema."""
    import psycopg

    with psycopg.connect(url, autocommit=True) as connection:
        connection.execute("DROP SCHEMA public CASCADE")
        connection.execute("CREATE SCHEMA public")


def on_postgres(target) -> bool:
    return str(target).startswith("postgres")


@pytest.fixture
def db_path(request, tmp_path, monkeypatch):
    """Each test gets its own database, chosen the way a user would (MENTORKIT_DB): a SQLite
    file (a Path), or with the "postgres" parameter the server in MENTORKIT_TEST_PG (a URL)."""
    if getattr(request, "param", "sqlite") == "postgres":
        if not PG_URL:
            pytest.skip(PG_MISSING)
        close_database()
        reset_postgres(PG_URL)
        target = PG_URL
    else:
        target = tmp_path / "test.db"
    monkeypatch.setenv("MENTORKIT_DB", str(target))
    monkeypatch.delenv("MENTORKIT_LOAD_PLUGINS", raising=False)
    monkeypatch.delenv("MENTORKIT_BLOCK_PLUGINS", raising=False)
    monkeypatch.setenv("MENTORKIT_DEBUG", "1")  # an unexpected error fails the test loudly
    yield target
    close_database()


@pytest.fixture
def run(db_path):
    """Invoke the CLI; returns click's Result. Fails the test on an unexpected traceback."""
    runner = CliRunner()

    def invoke(*args: str, expect: int | None = 0, input: str | None = None):
        result = runner.invoke(cli, [str(a) for a in args], catch_exceptions=True,
                               input=input)
        if result.exception and not isinstance(result.exception, SystemExit):
            raise result.exception
        if expect is not None:
            assert result.exit_code == expect, result.output
        return result

    return invoke


def matched_program(run, program: str, select: bool = False) -> None:
    """A shipped program added, its example export imported, eligibility checked (and with
    ``select``, applicants selected, as peer mentoring's coordinator does first), groups
    proposed and accepted: where most lifecycle tests start."""
    run("programs", "add", CONFIGS / f"{program}.toml")
    run("participants", "import", program, EXAMPLES / f"{program}.csv", expect=1)
    run("eligibility", program)
    if select:
        run("participants", "select", program)
    run("match", "run", program)
    starts = tomllib.loads((CONFIGS / f"{program}.toml").read_text())["cycle"]["match_by"]
    run("match", "accept", program, "--starts-on", starts)  # a date within the cycle


def small_program(key: str = "small", intake: str = "", tables: str = "") -> str:
    """A program file for tests: residents (mentees) and faculty (mentors), the fields every
    program has, and the ``intake`` fields and component ``tables`` a test adds (TOML)."""
    return f"""
[program]
key = "{key}"
name = "{key.title()}"

[cycle]
academic_year_start = 2026-07-01
academic_year_end = 2027-06-30
signup_deadline = 2026-07-15

[[roles]]
key = "resident"
label = "Resident"
sides = ["mentee"]

[[roles]]
key = "faculty"
label = "Faculty"
sides = ["mentor"]

[[intake]]
name = "name"

[[intake]]
name = "email"
type = "email"

[[intake]]
name = "role"
type = "choice"
choices = ["resident", "faculty"]
{intake}
{tables}
"""
