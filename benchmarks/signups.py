"""The im-residency sign-up export the import and command benchmarks write.

The layout (header, names, e-mails, two residents per faculty member, PGY, well-being) is
shared; each benchmark passes its own interest answers and seed, so their data stay what they
measured before: the import benchmark picks two sub-specialties, the command benchmark one to
three per field.
"""

from __future__ import annotations

import csv
import random
from collections.abc import Callable
from pathlib import Path

HEADER = ["Full name", "E-mail", "Role", "Submitted", "Residency program", "PGY",
          "Sub-specialty interests", "Research interests",
          "What the mentee wants from mentoring", "Well-being is a priority for me"]

# (rng, resident) -> the sub-specialty, research and purpose cells of one row
Interests = Callable[[random.Random, bool], list[str]]


def write_signups(path: Path, people: int, seed: int, interests: Interests,
                  changed_every: int = 0) -> None:
    """Write `people` rows; with `changed_every`, every such row's name is marked changed.

    The random draws come in the order of the columns: PGY, the interests, well-being."""
    rng = random.Random(seed)
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(HEADER)
        for i in range(people):
            resident = i % 3 != 0  # two residents per faculty member: capacity 2 fits all
            name = f"Person {i}" + (" (changed)" if changed_every and i % changed_every == 0
                                    else "")
            writer.writerow([name, f"person{i}@example-hospital.org",
                             "resident" if resident else "faculty", "07/05/2026",
                             "Internal Medicine" if resident else "",
                             str(rng.randint(1, 3)) if resident else "",
                             *interests(rng, resident), rng.choice(["Yes", "No"])])
