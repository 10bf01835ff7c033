"""Progress on stderr for the long commands (a large import, a large match run): shown on a
terminal, and never when stderr is a pipe or a log, so scripts and --json stay clean."""

from __future__ import annotations

import os
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from benchmarks.import_bench import write_export
from mentorkit.kernel.program import load_program
from mentorkit.services import proposals
from mentorkit.services.pool import pool_for
from tests.conftest import CONFIGS, matched_program

ROOT = Path(__file__).resolve().parent.parent


def _cli(db: Path, *args: str, stderr_tty: bool) -> tuple[int, str, str]:
    """Run mentorkit as a process, its stderr a pseudo-terminal or a pipe."""
    env = {**os.environ, "MENTORKIT_DB": str(db)}
    command = [sys.executable, "-m", "mentorkit", *args]
    if not stderr_tty:
        done = subprocess.run(command, capture_output=True, text=True, env=env, cwd=ROOT,
                              timeout=300)
        return done.returncode, done.stdout, done.stderr
    leader, follower = os.openpty()
    with subprocess.Popen(command, stdout=subprocess.PIPE, stderr=follower, env=env,
                          cwd=ROOT) as process:
        os.close(follower)
        with ThreadPoolExecutor(1) as reader:  # stdout read alongside: either may fill up
            out = reader.submit(process.stdout.read)
            seen = b""
            while True:
                try:
                    chunk = os.read(leader, 4096)
                except OSError:  # the child closed its end
                    break
                if not chunk:
                    break
                seen += chunk
            code = process.wait(timeout=300)
            text = out.result(timeout=60).decode()
    os.close(leader)
    return code, text, seen.decode(errors="replace")


@pytest.fixture(scope="module")
def large_pool(tmp_path_factory) -> Path:
    """A database holding 15,000 im-residency sign-ups (a 2 MB export), all eligible."""
    folder = tmp_path_factory.mktemp("large")
    db, export = folder / "large.db", folder / "signups.csv"
    write_export(export, 15_000)
    assert export.stat().st_size > 2_000_000
    for args in (("programs", "add", "im-residency"),
                 ("participants", "import", "im-residency", str(export)),
                 ("eligibility", "im-residency")):
        code, out, err = _cli(db, *args, stderr_tty=False)
        assert code == 0, out + err
    return folder


def test_a_large_import_and_match_run_show_progress_on_a_terminal(large_pool, tmp_path):
    export = large_pool / "signups.csv"
    code, out, err = _cli(tmp_path / "fresh.db", "programs", "add", "im-residency",
                          stderr_tty=False)
    assert code == 0, out + err
    code, out, err = _cli(tmp_path / "fresh.db", "participants", "import", "im-residency",
                          str(export), stderr_tty=True)
    assert code == 0 and "Importing" in err and "100%" in err
    assert "Importing" not in out

    code, out, err = _cli(large_pool / "large.db", "match", "run", "im-residency",
                          "--dry-run", "--json", stderr_tty=True)
    assert code == 0, err
    assert "Matching" in err and "read 15,000 participants" in err
    assert "matching 15,000 people" in err and "done" in err
    assert out.lstrip().startswith("[") and "Matching" not in out  # stdout stays JSON


def test_no_progress_when_stderr_is_not_a_terminal(large_pool):
    code, out, err = _cli(large_pool / "large.db", "match", "run", "im-residency",
                          "--dry-run", stderr_tty=False)
    assert code == 0, err
    assert err == "" and "Proposal for im-residency" in out


def test_propose_reports_its_stages_with_the_pool_size(run):
    """The stages a match run reports, with the size of the pool, including the repair
    step's offer once groups exist and someone is free."""
    matched_program(run, "im-residency")
    run("participants", "withdraw", "im-residency", _a_mentee_in_a_group())
    program = load_program(CONFIGS / "im-residency.toml")
    seen: list[tuple[str, int]] = []
    proposals.propose(program, progress=lambda stage, people: seen.append((stage, people)))
    pool = len(pool_for(program))
    assert len(seen) == proposals.STAGES
    assert seen[0] == (f"read {pool:,} participants", pool)
    assert seen[1][0].startswith("offering ") and seen[1][0].endswith(" to existing groups")
    assert seen[2][0].startswith("matching ") and all(people == pool for _, people in seen)


def _a_mentee_in_a_group() -> str:
    from mentorkit.storage.models import Membership

    return next(m.participant.email for m in Membership.select()
                if m.role == "mentor")


@pytest.fixture(scope="module")
def large_year(large_pool) -> Path:
    """The large pool matched and accepted, its groups started: a program of 15,000 people
    whose report, letters and reminders take long enough to show their progress."""
    import shutil

    db = large_pool / "year.db"
    shutil.copy(large_pool / "large.db", db)
    for args in (("match", "run", "im-residency"),
                 ("match", "accept", "im-residency", "--starts-on", "2026-07-15")):
        code, out, err = _cli(db, *args, stderr_tty=False)
        assert code == 0, out + err
    return db


@pytest.mark.parametrize("args, label", [
    (("report", "im-residency", "--as-of", "2027-01-10", "--out", "{dir}/report.html"),
     "Writing the report"),
    (("notify", "im-residency", "intro", "--out", "{dir}/intro"), "Introductions"),
    (("cadence", "remind", "im-residency", "--as-of", "2027-01-10", "--out",
      "{dir}/reminders"), "Reminders"),
])
def test_the_long_commands_of_a_large_year_show_progress_on_a_terminal(large_year, tmp_path,
                                                                        args, label):
    words = [a.format(dir=tmp_path) for a in args]
    code, out, err = _cli(large_year, *words, stderr_tty=True)
    assert code == 0, err
    assert label in err and "done" in err and label not in out
    code, out, err = _cli(large_year, *words, stderr_tty=False)
    assert code == 0 and label not in err  # a pipe, a log: no bar
