"""The matching benchmark: mentorkit's solvers against baselines, on the same instances.

    python benchmarks/run.py            # the full table (a few minutes on 2 cores)
    python benchmarks/run.py --quick    # smaller instances, for a smoke run
    python benchmarks/run.py --only "best fit"   # one kind of case

Every method runs in its own fresh process (so peak memory is its own) on an instance built
from the same fixed seed. Quality is reported against a reference computed in the same run:
scipy's dense exact assignment, an exact integer programme, or an upper bound. Not part of the
test suite: timings on a shared machine are compared as ratios within one run.

This file holds the command line and the cases; the methods are in best_fit_methods.py,
stable_methods.py and group_methods.py, and harness.py runs each in its own process and prints
the table.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.best_fit_methods import (
    best_fit_dense,
    best_fit_first_round,
    best_fit_greedy,
    best_fit_ours,
    best_fit_pruned,
    ties_dense,
    ties_ours,
    ties_priced,
)
from benchmarks.group_methods import (
    circles_greedy,
    circles_ours,
    triads_greedy,
    triads_guided,
    triads_ours,
    triads_reference,
)
from benchmarks.harness import case_rows, print_table
from benchmarks.stable_methods import (
    stable_greedy,
    stable_matching_package,
    stable_matching_package_deep,
    stable_ours,
)

TIE_METHODS = [("mentorkit best fit (types, exact)", ties_ours),
               ("mentorkit priced rounds alone (proved)", ties_priced)]

OURS_BEST_FIT = "mentorkit priced candidates (proved optimal)"
BEST_FIT_METHODS = [(OURS_BEST_FIT, best_fit_ours),
                    ("its first round alone, 10 a side", best_fit_first_round),
                    ("pruning alone, 100 a side (LAPJVsp)", best_fit_pruned),
                    ("greedy", best_fit_greedy)]

STABLE_METHODS = [("mentorkit deferred acceptance", stable_ours), ("greedy", stable_greedy),
                  ("matching package", stable_matching_package),
                  ("matching package, deep recursion", stable_matching_package_deep)]

TRIAD_METHODS = [("mentorkit heuristic", triads_ours), ("greedy", triads_greedy)]
CIRCLE_METHODS = [("mentorkit circles", circles_ours), ("greedy", circles_greedy)]


def cases(quick: bool):
    """(title, quality measure, reference method or None, [(label, method)], arguments)."""
    if quick:
        return [
            ("one-to-one best fit 2,000 x 1,000, cap 2", "score", best_fit_dense,
             BEST_FIT_METHODS, (2000, 1000, 2)),
            ("one-to-one best fit, im-residency's criteria (ties), 1,000 x 500, cap 2",
             "score", ties_dense, TIE_METHODS, (1000, 500, 2)),
            ("one-to-one best fit, single-answer criteria (ties), 1,000 x 500, cap 2",
             "score", ties_dense, TIE_METHODS, (1000, 500, 2, "categorical")),
            ("stable 2,000 x 500, cap 4, top-20", None, None, STABLE_METHODS,
             (2000, 500, 4, 20)),
            ("triads 30 per role", "score", triads_reference, TRIAD_METHODS, (30,)),
            ("triads 200 per role", "score", triads_reference, TRIAD_METHODS, (200,)),
            ("circles 2,000 peers, 100 institutions", None, None, CIRCLE_METHODS,
             (2000, 100)),
        ]
    return [
        ("one-to-one best fit, im-residency's criteria (ties), 3,333 x 1,667, cap 2", "score",
         ties_dense, TIE_METHODS, (3333, 1667, 2)),
        ("one-to-one best fit, im-residency's criteria (ties), 10,000 x 5,000, cap 2",
         "score", ties_dense, TIE_METHODS, (10000, 5000, 2)),
        ("one-to-one best fit, single-answer criteria (ties), 3,333 x 1,667, cap 2",
         "score", ties_dense, TIE_METHODS, (3333, 1667, 2, "categorical")),
        ("one-to-one best fit, single-answer criteria (ties), 10,000 x 5,000, cap 2",
         "score", ties_dense, TIE_METHODS, (10000, 5000, 2, "categorical")),
        ("one-to-one best fit 10,000 x 5,000, cap 2", "score", best_fit_dense,
         BEST_FIT_METHODS, (10000, 5000, 2)),
        ("stable 10,000 x 2,500, cap 4, top-20", None, None, STABLE_METHODS,
         (10000, 2500, 4, 20)),
        ("triads 30 per role", "score", triads_reference, TRIAD_METHODS, (30,)),
        ("triads 1,000 per role", "score", triads_reference,
         [("mentorkit heuristic", triads_ours),
          ("mentorkit heuristic, guided at every size (before)", triads_guided),
          ("greedy", triads_greedy)], (1000,)),
        ("circles 10,000 peers, 500 institutions, 6-10, cap 2", None, None, CIRCLE_METHODS,
         (10000, 500)),
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="small instances, for a smoke run")
    parser.add_argument("--timeout", type=float, default=300.0,
                        help="seconds before a method is given up on (default 300)")
    parser.add_argument("--only", default="", metavar="TEXT",
                        help="run only the cases whose title contains TEXT (e.g. 'best fit')")
    options = parser.parse_args()
    print("mentorkit matching benchmark (stable: worst/p10 are the mentee's rank, negated; "
          "triads/best fit: individual group scores)")
    for title, _, reference_func, methods, args in cases(options.quick):
        if options.only not in title:
            continue
        print_table(title, case_rows(reference_func, methods, args, options.timeout))
        sys.stdout.flush()


if __name__ == "__main__":
    main()
