"""The import benchmark: 50,000 sign-up rows into a fresh SQLite database.

    python benchmarks/import_bench.py            # 50,000 rows
    python benchmarks/import_bench.py --rows 5000

Prints a table: a first import (all added), a re-import of the same file (all unchanged), and
a re-import with every tenth row changed; as a baseline measured in the same run, the time
to merely read the file with the csv module, so the ratio says what validation and storage
cost on this machine.
"""

from __future__ import annotations

import argparse
import csv
import random
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.signups import write_signups
from mentorkit.kernel.program import load_program
from mentorkit.services.enrollment import import_csv
from mentorkit.services.programs import store_program
from mentorkit.services.shipped import shipped_program
from mentorkit.storage.database import close_database, open_database

SUBSPECIALTIES = ["cardiology", "gastroenterology", "nephrology", "oncology", "geriatrics",
                  "hospital medicine", "primary care"]


def _interests(rng: random.Random, resident: bool) -> list[str]:
    """Two sub-specialties; the same research area and purpose for everyone."""
    return [";".join(rng.sample(SUBSPECIALTIES, 2)), "medical education",
            "academic support" if resident else ""]


def write_export(path: Path, rows: int, changed_every: int = 0) -> None:
    write_signups(path, rows, 50_000, _interests, changed_every)


def timed(action) -> tuple[float, object]:
    began = time.perf_counter()
    result = action()
    return time.perf_counter() - began, result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=50_000)
    options = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        export, changed = Path(folder) / "signups.csv", Path(folder) / "changed.csv"
        write_export(export, options.rows)
        write_export(changed, options.rows, changed_every=10)
        open_database(Path(folder) / "bench.db")
        program = load_program(shipped_program("im-residency"))
        store_program(program)
        baseline, _ = timed(lambda: sum(1 for _ in csv.DictReader(export.open())))
        rows = []
        for label, path in (("first import (all new)", export),
                            ("same file again (all unchanged)", export),
                            ("every tenth row changed", changed)):
            seconds, report = timed(lambda path=path: import_csv(program, path))
            rows.append((label, seconds, f"{report.added}/{report.updated}/{report.unchanged}"))
        close_database()
    print(f"Importing {options.rows:,} rows of the im-residency export into SQLite")
    print(f"  {'step':34} {'seconds':>8} {'x csv read':>10}  added/updated/unchanged")
    print(f"  {'read with csv.DictReader (baseline)':34} {baseline:8.2f} {1:10.1f}")
    for label, seconds, counts in rows:
        print(f"  {label:34} {seconds:8.2f} {seconds / baseline:10.1f}  {counts}")


if __name__ == "__main__":
    main()
