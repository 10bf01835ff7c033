"""The whole command a coordinator waits on: `mentorkit match run PROGRAM --dry-run` on a
database of imported people, timed as a process, beside what the solver alone takes.

    python benchmarks/command_bench.py                 # 5,000 and 20,000 people
    python benchmarks/command_bench.py --people 5000

For each size it writes an im-residency sign-up export with multi-answer interests (one to
three sub-specialties, research areas and purposes, as the example data has), imports it
into a fresh SQLite database, checks eligibility, and then times, in the same run:

- the whole command, as a fresh process (start-up, loading people, scoring, solving,
  explanations, printing);
- the solver alone on the same score matrix (mentorkit's best fit), in this process;
- scipy's dense assignment on slot columns of that matrix, as the baseline.

The ratios say how much of the wait is outside the solver, and how the solver compares.
"""

from __future__ import annotations

import argparse
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.signups import write_signups

SUBSPECIALTIES = ["cardiology", "gastroenterology", "nephrology", "pulmonary & critical care",
                  "infectious diseases", "oncology", "endocrinology", "rheumatology",
                  "geriatrics", "hospital medicine", "primary care"]
RESEARCH = ["clinical trials", "outcomes research", "medical education", "quality improvement",
            "basic science", "health equity"]
PURPOSES = ["academic support", "professional development", "personal growth & well-being"]
MENTORKIT = [sys.executable, "-m", "mentorkit"]


def _interests(rng: random.Random, resident: bool) -> list[str]:
    """One to three sub-specialties, up to two research areas, one to three purposes."""
    return [";".join(rng.sample(SUBSPECIALTIES, rng.randint(1, 3))),
            ";".join(rng.sample(RESEARCH, rng.randint(0, 2))),
            ";".join(rng.sample(PURPOSES, rng.randint(1, 3))) if resident else ""]


def write_export(path: Path, people: int, seed: int = 5) -> None:
    write_signups(path, people, seed, _interests)


def run(args: list[str], env: dict[str, str]) -> float:
    began = time.perf_counter()
    subprocess.run([*MENTORKIT, *args], env=env, check=True, stdout=subprocess.DEVNULL,
                   stderr=subprocess.DEVNULL)
    return time.perf_counter() - began


def solver_times(database: Path) -> tuple[float, float, int]:
    """(mentorkit's best fit, scipy dense on slot columns, distinct scores) on the matrix
    the command builds, computed here from the same database."""
    import numpy as np
    from scipy.optimize import linear_sum_assignment

    from mentorkit.services.lookup import to_person
    from mentorkit.services.pool import pool_for
    from mentorkit.services.programs import load_stored_program
    from mentorkit.solvers.matrix import score_matrix
    from mentorkit.solvers.prices import best_fit
    from mentorkit.storage.database import close_database, open_database

    open_database(database)
    program = load_stored_program("im-residency")
    people = [to_person(p) for p in pool_for(program)]
    close_database()
    mentees = [p for p in people if p.role == "resident"]
    mentors = [p for p in people if p.role == "faculty"]
    scorer = program.matcher.scorer()
    scores = np.vstack([score_matrix(scorer, mentees[s:s + 1024], mentors).astype(np.float32)
                        for s in range(0, len(mentees), 1024)])
    capacity = program.matcher.params.capacity
    began = time.perf_counter()
    best_fit(scores, np.full(len(mentors), capacity))
    ours = time.perf_counter() - began
    slots = np.repeat(np.arange(len(mentors)), capacity)
    began = time.perf_counter()
    linear_sum_assignment(scores[:, slots].astype(np.float64), maximize=True)
    dense = time.perf_counter() - began
    return ours, dense, len(np.unique(scores))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, action="append",
                        help="people in the export (repeatable; default 5,000 and 20,000)")
    sizes = parser.parse_args().people or [5000, 20000]
    print("match run --dry-run as a coordinator waits on it (im-residency, multi-answer "
          "interests, capacity 2)")
    print(f"  {'people':>7}  {'command s':>9}  {'best fit s':>10}  {'scipy s':>8}  "
          f"{'command/scipy':>13}  distinct scores")
    for people in sizes:
        with tempfile.TemporaryDirectory() as folder:
            export = Path(folder) / "signups.csv"
            database = Path(folder) / "bench.db"
            write_export(export, people)
            env = {**os.environ, "MENTORKIT_DB": str(database)}
            run(["programs", "add", "im-residency"], env)
            run(["participants", "import", "im-residency", str(export)], env)
            run(["eligibility", "im-residency"], env)
            command = run(["match", "run", "im-residency", "--dry-run"], env)
            ours, dense, distinct = solver_times(database)
            print(f"  {people:>7,}  {command:>9.2f}  {ours:>10.2f}  {dense:>8.2f}  "
                  f"{command / dense:>13.2f}  {distinct}")
            sys.stdout.flush()


if __name__ == "__main__":
    main()
