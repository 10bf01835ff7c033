"""Every command a coordinator waits on, for a large program, against a floor measured in the
same run.

    python benchmarks/scale_bench.py                 # 600, 6,000 and 20,000 people; all tables
    python benchmarks/scale_bench.py --quick         # 600 and 2,000 people; smaller side tables
    python benchmarks/scale_bench.py --only commands # one table: commands, match, import, help

Tables, each a ratio taken in this run (a shared machine's seconds drift; ratios do not):

- commands: `report`, `notify intro`, `cadence remind`, `cadence status`, `match accept`,
  `match show --json` and `participants list --json` on a year of an im-residency program
  (scale_data.py), each timed as a whole process against its floor: a process that reads the
  rows the command needs with the standard library's sqlite3 (floor_read.py). Target: at most
  10x the floor, and 3 s at 6,000 people; the time should grow linearly with the people. A
  command that writes files (the report, letters, reminders) writes them to memory (tmpfs)
  for the ratio, and is timed writing them to the disk too, in a column beside it.
- match: `match run --dry-run` for 5,000 people against scipy's own assignment solve of the
  same matrix (target 5x), and which heavy libraries the run imported.
- import: `participants import` of 50,000 rows against reading the file with csv (target 5x).
- help: `mentorkit --help` and each command's `--help` against `python -c "import click"`
  (target 3x), and that none of them creates a database.
"""

from __future__ import annotations

import argparse
import itertools
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks import scale_data, scale_side
from benchmarks.harness import paired, process_env

HERE = Path(__file__).resolve().parent
MENTORKIT = [sys.executable, "-m", "mentorkit"]
P = scale_data.PROGRAM
COMMANDS = {  # name -> (arguments, output folder or file in the run's folder)
    "report": ["report", P, "--as-of", scale_data.AS_OF, "--out", "{out}/report.html"],
    "notify intro": ["notify", P, "intro", "--out", "{out}/intro"],
    "cadence remind": ["cadence", "remind", P, "--as-of", scale_data.AS_OF, "--out",
                       "{out}/reminders"],
    "cadence status": ["cadence", "status", P, "--as-of", scale_data.AS_OF],
    "match accept": ["match", "accept", P, "--starts-on", str(scale_data.STARTS_ON)],
    "match show --json": ["match", "show", P, "--json"],
    "participants list --json": ["participants", "list", P, "--json"],
}
TARGET_RATIO, TARGET_SECONDS, TARGET_PEOPLE = 10.0, 3.0, 6000  # the targets hold at 6,000


MEMORY = Path("/dev/shm")  # where output files go when the machine has it (see below)


def time_commands(folder: Path, people: int, runs: int) -> dict[str, tuple]:
    """Each command against its floor on a database of ``people``: (s, floor s, ratio, and
    for a command that writes files, its seconds with them written to the disk).

    The floor reads rows; a command that writes thousands of files (letters, reminders)
    also pays the file system, whose speed on a shared machine swings tenfold from one
    minute to the next. Its files are written to memory (tmpfs) for the ratio, and to the
    disk for the column beside it, so both are seen."""
    began = time.perf_counter()
    proposed = scale_data.proposed(folder, people)
    year = scale_data.a_year(proposed, folder)
    print(f"  ({people:,} people: data built in {time.perf_counter() - began:.0f} s)",
          flush=True)
    disk = folder / "out"
    disk.mkdir(exist_ok=True)
    memory = Path(tempfile.mkdtemp(dir=MEMORY, prefix="mentorkit-out-")) if MEMORY.is_dir() \
        else disk
    found = {}
    try:
        for name, arguments in COMMANDS.items():
            found[name] = _time_one(name, arguments, folder, proposed, year, memory, runs)
            if memory != disk and any("{out}" in a for a in arguments):
                found[name] += (_time_one(name, arguments, folder, proposed, year, disk,
                                          max(3, runs // 2))[0],)
    finally:
        if memory != disk:
            shutil.rmtree(memory, ignore_errors=True)
    return found


def _time_one(name: str, arguments: list[str], folder: Path, proposed: Path, year: Path,
              out: Path, runs: int) -> tuple[float, float, float]:
    accept = name == "match accept"
    database = folder / "accept.db" if accept else year
    env = process_env(MENTORKIT_DB=str(database))
    command = [*MENTORKIT, *(a.format(out=out) for a in arguments)]
    floor = [sys.executable, str(HERE / "floor_read.py"), str(proposed if accept else year),
             name]
    if accept:  # each run accepts the same proposal
        fresh = lambda: _settled(shutil.copy, proposed, database)  # noqa: E731
    else:  # each run writes its files into a new folder, as a first run does
        fresh = lambda: _settled(_empty, out)  # noqa: E731
    return paired(command, floor, env, runs, fresh)


def _empty(folder: Path) -> None:
    for found in folder.iterdir():
        if found.is_dir():
            shutil.rmtree(found)


def _settled(step, *args) -> None:
    """``step`` (untimed), then the disk's pending writes flushed, so that a run is not
    charged for the clean-up of the run before it."""
    step(*args)
    os.sync()


def print_commands(results: dict[int, dict[str, tuple[float, float, float]]]) -> bool:
    sizes = sorted(results)
    print(f"\nCommands on a year of {P} (two residents per faculty member, each pair a group),"
          f" as processes; floor: sqlite3 reading the rows the command needs, as a process")
    print("  (a command that writes files writes them to memory for the ratio; 'disk s': the "
          "same command writing them to the disk)")
    print(f"  {'command':26} {'people':>7} {'seconds':>8} {'floor s':>8} {'x floor':>8} "
          f"{'disk s':>7}  target at {TARGET_PEOPLE:,}: <= {TARGET_RATIO:g}x and "
          f"<= {TARGET_SECONDS:g} s")
    met = True
    for name in COMMANDS:
        for people in sizes:
            seconds, floor, ratio, *on_disk = results[people][name]
            judged = people == TARGET_PEOPLE
            ok = ratio <= TARGET_RATIO and seconds <= TARGET_SECONDS
            met &= ok or not judged
            shown = f"{on_disk[0]:7.2f}" if on_disk else f"{'':7}"
            print(f"  {name:26} {people:>7,} {seconds:8.2f} {floor:8.3f} {ratio:8.1f} {shown}  "
                  + (("ok" if ok else "MISSED") if judged else "(growth only)"))
    print("\nHow the time grows: seconds at each size, and each step's growth beside the "
          "growth in people (linear: the same; a fixed start-up makes it less)")
    steps = list(itertools.pairwise(sizes))
    labels = [f"{a:,}->{b:,} (people x{b / a:.1f})" for a, b in steps]
    print(f"  {'command':26}" + "".join(f"{p:>9,}" for p in sizes) + "  "
          + "  ".join(labels))
    for name in COMMANDS:
        times = [results[p][name][0] for p in sizes]
        growth = [f"x{results[b][name][0] / results[a][name][0]:.1f}".rjust(len(label))
                  for (a, b), label in zip(steps, labels, strict=True)]
        print(f"  {name:26}" + "".join(f"{t:9.2f}" for t in times) + "  " + "  ".join(growth))
    return met


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="smaller sizes, for a smoke run")
    parser.add_argument("--only", choices=("commands", "match", "import", "help"))
    parser.add_argument("--people", type=int, action="append",
                        help="sizes for the commands table (repeatable)")
    parser.add_argument("--runs", type=int, default=5)
    options = parser.parse_args()
    sizes = options.people or ([600, 2000] if options.quick else [600, 6000, 20000])

    print(f"mentorkit scale benchmark; load average {os.getloadavg()[0]:.1f} on "
          f"{os.cpu_count()} cores at the start", flush=True)
    met = True
    with tempfile.TemporaryDirectory(prefix="mentorkit-scale-") as root:
        if options.only in (None, "commands"):
            results = {}
            for people in sizes:
                folder = Path(root) / str(people)
                folder.mkdir()
                results[people] = time_commands(folder, people,
                                                options.runs if people < 20000 else 3)
            met &= print_commands(results)
        tables = (("match", scale_side.match_table), ("import", scale_side.import_table),
                  ("help", scale_side.help_table))
        for name, table in tables:
            if options.only in (None, name):
                met &= table(Path(root), options.quick, options.runs)
    print(f"\nload average {os.getloadavg()[0]:.1f} at the end; "
          + ("every target met" if met else "SOME TARGETS MISSED"))


if __name__ == "__main__":
    main()
