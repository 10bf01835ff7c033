"""The scale benchmark's side tables: a large match run against scipy, a large import against
the csv module, and start-up (``--help``) against importing click. Each prints its table and
returns whether its targets were met."""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
from pathlib import Path

from benchmarks.harness import paired, process_env, run_once

MENTORKIT = [sys.executable, "-m", "mentorkit"]
# libraries a run may import only if it uses them
HEAVY = ("numpy", "scipy.optimize", "scipy.sparse", "ortools", "pygal", "jinja2", "icalendar",
         "psycopg", "openpyxl", "cryptography", "tomlkit", "email_validator", "lxml")


PROBE = """import json, runpy, sys
sys.argv = ["mentorkit", *sys.argv[1:]]
try:
    runpy.run_module("mentorkit", run_name="__main__")
except SystemExit:
    pass
print(json.dumps(sorted(name for name, module in sys.modules.items() if module is not None)),
      file=sys.stderr)
"""


def imported(command: list[str], env: dict[str, str]) -> set[str]:
    """The modules a mentorkit command (``python -m mentorkit ...``) had loaded when it
    ended: the command run in-process under a probe that lists them (a module hidden from
    the run, such as the PostgreSQL driver on SQLite, is not among them)."""
    done = subprocess.run([command[0], "-c", PROBE, *command[3:]], env=env,
                          stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    return set(json.loads(done.stderr.strip().splitlines()[-1]))


def heavy(modules: set[str]) -> list[str]:
    return [name for name in HEAVY if name in modules]


def match_table(root: Path, quick: bool, runs: int) -> bool:
    """`match run --dry-run` against scipy's solve of the same matrix, in this run."""
    from benchmarks.command_bench import solver_times, write_export

    people = 2000 if quick else 5000
    folder = root / "match"
    folder.mkdir()
    export, database = folder / "signups.csv", folder / "match.db"
    write_export(export, people)
    env = process_env(MENTORKIT_DB=str(database))
    for step in (["programs", "add", "im-residency"],
                 ["participants", "import", "im-residency", str(export)],
                 ["eligibility", "im-residency"]):
        run_once([*MENTORKIT, *step], env)
    command = [*MENTORKIT, "match", "run", "im-residency", "--dry-run"]
    run_once(command, env)  # warm-up
    seconds, solves = [], []
    for _ in range(max(3, runs // 2)):
        seconds.append(run_once(command, env))
        _, dense, distinct = solver_times(database)
        solves.append(dense)
    median, scipy_s = statistics.median(seconds), statistics.median(solves)
    used = heavy(imported(command, env))
    ratio = median / scipy_s
    print(f"\nmatch run --dry-run, {people:,} people (im-residency, multi-answer interests), "
          "as a process, against scipy's linear_sum_assignment of the same matrix (slot "
          "columns) in this process")
    print(f"  command {median:.2f} s   scipy solve {scipy_s:.2f} s   ratio {ratio:.2f} "
          f"(target <= 5)   distinct scores {distinct}")
    print(f"  heavy libraries the run imported: {', '.join(used) or 'none'}")
    return ratio <= 5.0


def import_table(root: Path, quick: bool, runs: int) -> bool:
    """`participants import` of a large export against reading it with csv, both processes."""
    from benchmarks.import_bench import write_export

    rows = 10_000 if quick else 50_000
    folder = root / "import"
    folder.mkdir()
    export, database = folder / "signups.csv", folder / "import.db"
    write_export(export, rows)
    env = process_env(MENTORKIT_DB=str(database))

    def fresh() -> None:
        database.unlink(missing_ok=True)
        for suffix in ("-wal", "-shm"):
            Path(f"{database}{suffix}").unlink(missing_ok=True)
        run_once([*MENTORKIT, "programs", "add", "im-residency"], env)

    command = [*MENTORKIT, "participants", "import", "im-residency", str(export)]
    reading = [sys.executable, "-c", "import csv, sys; sum(1 for _ in csv.DictReader("
               "open(sys.argv[1], encoding='utf-8', newline='')))", str(export)]
    seconds, baseline, ratio = paired(command, reading, env, max(3, runs // 2), fresh)
    run_once(command, env, fresh)  # the rows the floor below inserts
    floor = statistics.median(_write_floor(database, folder) for _ in range(3))
    print(f"\nparticipants import, {rows:,} rows into a new SQLite database, as a process, "
          "against a process reading the file with csv.DictReader")
    print(f"  command {seconds:.2f} s   csv read {baseline:.2f} s   ratio {ratio:.2f} "
          "(target <= 5)")
    print(f"  storage floor: sqlite3 alone inserting the same people and enrollments in one "
          f"transaction {floor:.2f} s; csv read + that floor {baseline + floor:.2f} s = "
          f"{(baseline + floor) / baseline:.1f}x the csv read, before any parsing or checks "
          f"(the command is {seconds / (baseline + floor):.1f}x csv read + storage floor)")
    return ratio <= 5.0


def _write_floor(imported: Path, folder: Path) -> float:
    """Seconds sqlite3 takes to insert what an import stored (floor_write.py)."""
    target = folder / "floor.db"
    for suffix in ("", "-wal", "-shm"):
        Path(f"{target}{suffix}").unlink(missing_ok=True)
    os.sync()
    done = subprocess.run([sys.executable, str(Path(__file__).with_name("floor_write.py")),
                           str(imported), str(target)], capture_output=True, text=True,
                          check=True)
    return float(done.stdout)


HELP = [[], ["programs"], ["participants"], ["match"], ["cadence"], ["notify"], ["report"],
        ["cycles"], ["programs", "show"], ["programs", "copy"], ["participants", "import"],
        ["match", "run"], ["cadence", "remind"], ["notify", "im-residency", "intro"],
        ["notify", "no-such-program", "intro"]]


def help_table(root: Path, quick: bool, runs: int) -> bool:
    """Every `--help` against `python -c "import click"`, in a folder where none may leave a
    database behind."""
    folder = root / "help"
    folder.mkdir()
    env = process_env()
    env.pop("MENTORKIT_DB", None)
    click = [sys.executable, "-c", "import click"]
    print("\n--help, as a process, against `python -c \"import click\"` (target <= 3x; no "
          "database created)")
    met = True
    for words in HELP[:6] if quick else HELP:
        command = [*MENTORKIT, *words, "--help"]
        seconds, baseline, ratio = _in(folder, command, click, env, runs)
        made = (folder / "mentorkit.db").exists()
        ok = ratio <= 3.0 and not made
        met &= ok
        print(f"  mentorkit {' '.join([*words, '--help']):44} {seconds:6.3f} s  "
              f"click {baseline:6.3f} s  x{ratio:4.2f}  "
              f"{'database created! ' if made else ''}{'ok' if ok else 'MISSED'}")
    return met


def _in(folder: Path, command: list[str], baseline: list[str], env: dict[str, str],
        runs: int) -> tuple[float, float, float]:
    """``paired`` with both processes started in ``folder``."""
    import os

    here = Path.cwd()
    os.chdir(folder)
    try:
        return paired(command, baseline, env, runs)
    finally:
        os.chdir(here)
