"""How long `mentorkit --help` takes to start, against `python -c 'import click'`.

    python benchmarks/startup_bench.py           # 15 runs of each, medians and their ratio

Both run as fresh processes, alternately, after a warm-up that lets Python write its
bytecode caches (as an installed package has them; PYTHONDONTWRITEBYTECODE is unset for
the runs, since with it every start compiles mentorkit's sources again). The target is a
ratio of at most 3: the command line must not load the database layer, the solvers or the
calendar library just to list its commands.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time

COMMANDS = {
    "mentorkit --help": [sys.executable, "-m", "mentorkit", "--help"],
    "python -c 'import click'": [sys.executable, "-c", "import click"],
}


def once(command: list[str], env: dict[str, str]) -> float:
    began = time.perf_counter()
    subprocess.run(command, env=env, check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - began


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15)
    runs = parser.parse_args().runs
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    for command in COMMANDS.values():  # warm-up: bytecode caches written
        once(command, env)
    times: dict[str, list[float]] = {name: [] for name in COMMANDS}
    for _ in range(runs):
        for name, command in COMMANDS.items():
            times[name].append(once(command, env))
    medians = {name: statistics.median(values) for name, values in times.items()}
    for name, median in medians.items():
        print(f"  {name:<26} median {median:.3f} s  (min {min(times[name]):.3f})")
    ours, baseline = medians.values()
    print(f"  ratio {ours / baseline:.2f} (target: at most 3)")


if __name__ == "__main__":
    main()
