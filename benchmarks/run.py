"""The matching benchmark: mentorkit's solvers against baselines, on the same instances.

    python benchmarks/run.py            # the full table (a few minutes on 2 cores)
    python benchmarks/run.py --quick    # smaller instances, for a smoke run
    python benchmarks/run.py --only "best fit"   # one kind of case

Every method runs in its own fresh process (so peak memory is its own) on an instance built
from the same fixed seed. Quality is reported against a reference computed in the same run:
scipy's dense exact assignment, an exact integer programme, or an upper bound. Not part of the
test suite: timings on a shared machine are compared as ratios within one run.
"""

from __future__ import annotations

import argparse
import multiprocessing as mp
import resource
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks import instances
from mentorkit.solvers import triads as triad_solver
from mentorkit.solvers.assignment import FORBIDDEN, assign_sparse
from mentorkit.solvers.circles import form_circles
from mentorkit.solvers.matrix import candidate_edges
from mentorkit.solvers.prices import best_fit as priced_best_fit
from mentorkit.solvers.stable import blocking_pairs, deferred_acceptance

BLOCK = 1000


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _pair_metrics(inst, pairs: np.ndarray, capacity: int) -> dict:
    """Total score, violations, unmatched, worst and 10th-percentile individual scores."""
    scores = np.empty(len(pairs))
    for start in range(0, len(inst.mentees.community), BLOCK):
        mine = (pairs[:, 0] >= start) & (pairs[:, 0] < start + BLOCK)
        block = inst.score(start, min(start + BLOCK, len(inst.mentees.community)))
        scores[mine] = block[pairs[mine, 0] - start, pairs[mine, 1]]
    load = np.bincount(pairs[:, 1], minlength=len(inst.mentors.community))
    violations = int(np.isinf(scores).sum() + np.maximum(load - capacity, 0).sum())
    finite = scores[np.isfinite(scores)]
    return {"score": float(finite.sum()), "violations": violations,
            "unmatched": len(inst.mentees.community) - len(np.unique(pairs[:, 0])),
            "worst": float(finite.min()) if finite.size else None,
            "p10": float(np.percentile(finite, 10)) if finite.size else None}


# --- one-to-one best fit ------------------------------------------------------------------

def _scores32(n, m):
    """The instance and its whole score matrix as the product holds it (float32)."""
    inst = instances.bipartite(n, m)
    scores = np.empty((n, m), dtype=np.float32)
    for s in range(0, n, BLOCK):
        block = inst.score(s, min(s + BLOCK, n))
        scores[s:s + BLOCK] = np.where(np.isinf(block), FORBIDDEN, block)
    return inst, scores


def best_fit_ours(n, m, capacity, k=10):
    """mentorkit's large-pool best fit: rounds of candidate pairs (by score - mentor price),
    each solved exactly as a min-cost flow, until the prices prove the result optimal.
    Timed: everything after the instance's own score computation."""
    inst, scores = _scores32(n, m)
    began = time.perf_counter()
    found = priced_best_fit(scores, np.full(m, capacity), candidates=k)
    elapsed = time.perf_counter() - began
    return {"time": elapsed, "proved": found.proved_optimal, "rounds": found.rounds,
            **_pair_metrics(inst, np.array(found.pairs), capacity)}


def best_fit_first_round(n, m, capacity, k=10):
    """What pruning alone costs at mentorkit's candidate count: its first round only (each
    mentee's and mentor's k best pairs, solved exactly, no prices)."""
    inst, scores = _scores32(n, m)
    began = time.perf_counter()
    found = priced_best_fit(scores, np.full(m, capacity), candidates=k, max_rounds=1)
    elapsed = time.perf_counter() - began
    return {"time": elapsed, **_pair_metrics(inst, np.array(found.pairs), capacity)}


def best_fit_pruned(n, m, capacity, k=100):
    """Pruning alone: each mentee's and each mentor's k best pairs, solved once."""
    inst = instances.bipartite(n, m)
    blocks = [(start, inst.score(start, min(start + BLOCK, n))) for start in range(0, n, BLOCK)]
    began = time.perf_counter()
    rows, cols, weights = candidate_edges(blocks, m, k, column_k=k)
    pairs = assign_sparse(rows, cols, weights, n, np.full(m, capacity))
    elapsed = time.perf_counter() - began
    return {"time": elapsed, **_pair_metrics(inst, np.array(pairs), capacity)}


def best_fit_dense(n, m, capacity):
    from scipy.optimize import linear_sum_assignment

    inst = instances.bipartite(n, m)
    full = np.vstack([inst.score(s, min(s + BLOCK, n)) for s in range(0, n, BLOCK)])
    full[np.isinf(full)] = -1e6  # forbidden: never worth taking (instances place everyone)
    slots = np.repeat(np.arange(m), capacity)
    began = time.perf_counter()
    rows, cols = linear_sum_assignment(full[:, slots], maximize=True)
    pairs = np.stack([rows, slots[cols]], axis=1)
    pairs = pairs[full[pairs[:, 0], pairs[:, 1]] > -1e5]
    elapsed = time.perf_counter() - began
    return {"time": elapsed, **_pair_metrics(inst, pairs, capacity)}


def best_fit_greedy(n, m, capacity):
    """What a coordinator's spreadsheet does: each mentee in turn takes their best mentor who
    still has room."""
    inst = instances.bipartite(n, m)
    elapsed = 0.0
    room = np.full(m, capacity)
    pairs = []
    for start in range(0, n, BLOCK):
        block = inst.score(start, min(start + BLOCK, n))
        began = time.perf_counter()
        for offset, row in enumerate(block):
            row = np.where(room > 0, row, -np.inf)
            j = int(row.argmax())
            if np.isfinite(row[j]):
                pairs.append((start + offset, j))
                room[j] -= 1
        elapsed += time.perf_counter() - began
    return {"time": elapsed, **_pair_metrics(inst, np.array(pairs), capacity)}


# --- stable -------------------------------------------------------------------------------

def _stable_input(n, m, length):
    inst = instances.bipartite(n, m)
    lists, mentor_scores = [], []
    for start in range(0, n, BLOCK):
        stop = min(start + BLOCK, n)
        mine = np.where(inst.forbidden(start, stop), -np.inf, inst.mentee_utility(start, stop))
        theirs = inst.mentor_utility(start, stop)
        top = np.argpartition(-mine, length - 1, axis=1)[:, :length]
        order = np.argsort(-np.take_along_axis(mine, top, axis=1), axis=1, kind="stable")
        top = np.take_along_axis(top, order, axis=1)
        for r, ranked in enumerate(top):
            ranked = ranked[np.isfinite(mine[r, ranked])]
            lists.append(ranked)
            mentor_scores.append(theirs[r, ranked])
    return lists, mentor_scores


def _stable_metrics(lists, mentor_scores, capacities, assigned):
    blocking = blocking_pairs(lists, mentor_scores, capacities, assigned)
    ranks = [int(np.flatnonzero(lists[i] == j)[0]) + 1 for i, j in enumerate(assigned) if j >= 0]
    load = np.bincount(assigned[assigned >= 0], minlength=len(capacities))
    return {"blocking": len(blocking), "unmatched": int((assigned < 0).sum()),
            "violations": int(np.maximum(load - capacities, 0).sum()),
            "worst": -float(max(ranks)), "p10": -float(np.percentile(ranks, 90))}


def stable_ours(n, m, capacity, length):
    lists, mentor_scores = _stable_input(n, m, length)
    capacities = np.full(m, capacity)
    began = time.perf_counter()
    assigned = deferred_acceptance(lists, mentor_scores, capacities)
    elapsed = time.perf_counter() - began
    return {"time": elapsed, **_stable_metrics(lists, mentor_scores, capacities, assigned)}


def stable_greedy(n, m, capacity, length):
    """Serial dictatorship: mentees in sign-up order take their best mentor with room."""
    lists, mentor_scores = _stable_input(n, m, length)
    capacities = np.full(m, capacity)
    began = time.perf_counter()
    room = capacities.copy()
    assigned = np.full(n, -1)
    for i, ranked in enumerate(lists):
        for j in ranked:
            if room[j] > 0:
                assigned[i], room[j] = j, room[j] - 1
                break
    elapsed = time.perf_counter() - began
    return {"time": elapsed, **_stable_metrics(lists, mentor_scores, capacities, assigned)}


def stable_matching_package(n, m, capacity, length):
    """The `matching` package's hospital-resident solver on the same preferences."""
    from matching.games import HospitalResident

    lists, mentor_scores = _stable_input(n, m, length)
    capacities = np.full(m, capacity)
    applicants: list[list[tuple[float, int]]] = [[] for _ in range(m)]
    for i, (ranked, scores) in enumerate(zip(lists, mentor_scores, strict=True)):
        for j, s in zip(ranked.tolist(), scores.tolist(), strict=True):
            applicants[j].append((s, -i))
    began = time.perf_counter()
    game = HospitalResident.create_from_dictionaries(
        {i: ranked.tolist() for i, ranked in enumerate(lists)},
        {j: [-i for _, i in sorted(a, reverse=True)] for j, a in enumerate(applicants) if a},
        {j: capacity for j in range(m) if applicants[j]})
    solved = game.solve(optimal="resident")
    elapsed = time.perf_counter() - began
    assigned = np.full(n, -1)
    for hospital, residents in solved.items():
        for resident in residents:
            assigned[resident.name] = hospital.name
    return {"time": elapsed, **_stable_metrics(lists, mentor_scores, capacities, assigned)}


def stable_matching_package_deep(n, m, capacity, length):
    """The same, with Python's recursion limit raised and a large thread stack, which is what
    it takes for the package to run at this size."""
    import threading

    sys.setrecursionlimit(1_000_000)
    threading.stack_size(1024 * 1024 * 1024)
    result: dict = {}

    def work():
        try:
            result.update(stable_matching_package(n, m, capacity, length))
        except BaseException as error:
            result["error"] = f"{type(error).__name__}: {str(error)[:60]}"

    thread = threading.Thread(target=work)
    thread.start()
    thread.join()
    return result


# --- triads -------------------------------------------------------------------------------

def triads_ours(n):
    ab, ac, bc = instances.triad_matrices(n)
    began = time.perf_counter()
    found = triad_solver.heuristic(ab, ac, bc)
    elapsed = time.perf_counter() - began
    return {"time": elapsed, "score": found.score, "unmatched": n - len(found.triads),
            "violations": 0, **_triad_spread(ab, ac, bc, found.triads)}


def triads_guided(n):
    """The heuristic as it ran before, Lagrangian-guided at every size, for the record."""
    ab, ac, bc = instances.triad_matrices(n)
    began = time.perf_counter()
    found = triad_solver.heuristic(ab, ac, bc, guided_limit=float("inf"))
    elapsed = time.perf_counter() - began
    return {"time": elapsed, "score": found.score, "unmatched": n - len(found.triads),
            "violations": 0, **_triad_spread(ab, ac, bc, found.triads)}


def triads_greedy(n):
    """Take the best remaining triad each time (over a pruned candidate list)."""
    ab, ac, bc = instances.triad_matrices(n)
    began = time.perf_counter()
    # best third for each (a, b), then triads in order of score
    best_c = np.empty(ab.shape, dtype=int)
    best = np.empty(ab.shape)
    for i in range(n):
        total = ac[i][None, :] + bc
        best_c[i] = total.argmax(axis=1)
        best[i] = ab[i] + total.max(axis=1)
    order = np.argsort(-best, axis=None)
    used_a, used_b, used_c, chosen = set(), set(), set(), []
    for flat in order:
        i, j = divmod(int(flat), n)
        if i in used_a or j in used_b:
            continue
        k = int(best_c[i, j])
        if k in used_c:
            options = ac[i] + bc[j]
            options[list(used_c)] = -np.inf
            k = int(options.argmax())
        used_a.add(i), used_b.add(j), used_c.add(k)
        chosen.append((i, j, k))
        if len(chosen) == n:
            break
    elapsed = time.perf_counter() - began
    return {"time": elapsed, "score": triad_solver.triad_score(ab, ac, bc, chosen),
            "unmatched": n - len(chosen), "violations": 0,
            **_triad_spread(ab, ac, bc, chosen)}


def _triad_spread(ab, ac, bc, chosen):
    each = np.array([ab[i, j] + ac[i, k] + bc[j, k] for i, j, k in chosen])
    return {"worst": float(each.min()), "p10": float(np.percentile(each, 10))}


def triads_reference(n):
    """The exact optimum (small) or the LP / Lagrangian upper bound (large)."""
    ab, ac, bc = instances.triad_matrices(n)
    began = time.perf_counter()
    if n <= 40:
        exact = triad_solver.exact(ab, ac, bc, time_limit=600)
        return {"time": time.perf_counter() - began, "score": exact.score,
                "reference": "exact optimum (HiGHS milp)", "unmatched": n - len(exact.triads),
                "violations": 0, **_triad_spread(ab, ac, bc, exact.triads)}
    lower = triad_solver.heuristic(ab, ac, bc).score
    began = time.perf_counter()
    bound, how = triad_solver.upper_bound(ab, ac, bc, n, iterations=60, lower=lower)
    return {"time": time.perf_counter() - began, "score": bound, "reference": how}


# --- circles ------------------------------------------------------------------------------

def _circle_metrics(stage, institution, circles, cap, low, high, unplaced):
    violations = 0
    spread = 0
    for circle in circles:
        counts = np.bincount([institution[p] for p in circle])
        violations += int((counts > cap).sum()) + (not low <= len(circle) <= high)
        violations += len({stage[p] for p in circle}) > 1
        spread += int((counts > 0).sum())
    return {"violations": violations, "spread": spread, "unmatched": unplaced}


def _spread_bound(stage, institution, circle_counts):
    bound = 0
    for s, g in circle_counts.items():
        members = np.bincount([i for i, st in zip(institution, stage, strict=True) if st == s])
        bound += int(np.minimum(members, g).sum())
    return bound


def circles_ours(n, institutions):
    stage, institution, topics = instances.circle_peers(n, institutions)
    began = time.perf_counter()
    result = form_circles(stage, institution, topics, 6, 10, 2)
    elapsed = time.perf_counter() - began
    counts = {s: sum(1 for c in result.circles if stage[c[0]] == s) for s in set(stage)}
    return {"time": elapsed, "score": float(result.topic_pairs),
            "bound": _spread_bound(stage, institution, counts),
            **_circle_metrics(stage, institution, result.circles, 2, 6, 10,
                              len(result.unplaced))}


def circles_greedy(n, institutions):
    """Sign-up order, one stage at a time, cut into circles of 8."""
    stage, institution, topics = instances.circle_peers(n, institutions)
    began = time.perf_counter()
    circles = []
    for s in sorted(set(stage)):
        members = [p for p in range(n) if stage[p] == s]
        cut = [members[i:i + 8] for i in range(0, len(members), 8)]
        if len(cut) > 1 and len(cut[-1]) < 6:
            tail = cut.pop()
            for i, p in enumerate(tail):
                cut[i % len(cut)].append(p)
        circles += cut
    elapsed = time.perf_counter() - began
    counts = {s: sum(1 for c in circles if stage[c[0]] == s) for s in set(stage)}
    pairs = 0
    for circle in circles:
        t = np.bincount([x for p in circle for x in topics[p]], minlength=12)
        pairs += int((t * (t - 1) // 2).sum())
    return {"time": elapsed, "score": float(pairs),
            "bound": _spread_bound(stage, institution, counts),
            **_circle_metrics(stage, institution, circles, 2, 6, 10, 0)}


# --- the table ----------------------------------------------------------------------------

def _child(queue, func, args):
    try:
        result = func(*args)
    except BaseException as error:  # report a solver's failure (e.g. RecursionError) as data
        result = {"error": f"{type(error).__name__}: {str(error)[:60]}"}
    result["peak_mb"] = _peak_mb()
    queue.put(result)


def measure(func, args, timeout: float) -> dict:
    """Run one method in a fresh process; its peak memory is its own."""
    context = mp.get_context("spawn")
    queue = context.Queue()
    process = context.Process(target=_child, args=(queue, func, args))
    process.start()
    process.join(timeout)
    if process.is_alive():
        process.terminate()
        process.join()
        return {"error": f"gave up after {timeout:.0f} s"}
    return queue.get() if not queue.empty() else {"error": f"exit code {process.exitcode}"}


# --- one-to-one best fit on a program's own scores (few distinct values, many ties) -------

def _program_scores(n, m, kind="program"):
    if kind == "categorical":
        return instances.categorical_scores(n, m)
    return instances.program_scores("im-residency", n, m)


def _tie_result(scores, pairs, elapsed, **extra) -> dict:
    values = np.array([scores[i, j] for i, j in pairs], dtype=np.float64)
    return {"time": elapsed, "score": float(values.sum()), "unmatched": len(scores) - len(pairs),
            "distinct": len(np.unique(scores)), **extra}


def ties_dense(n, m, capacity, kind="program"):
    """scipy's exact assignment on slot columns (a mentor of capacity k copied k times)."""
    from scipy.optimize import linear_sum_assignment

    scores = _program_scores(n, m, kind)
    slots = np.repeat(np.arange(m), capacity)
    began = time.perf_counter()
    rows, cols = linear_sum_assignment(scores[:, slots].astype(np.float64), maximize=True)
    elapsed = time.perf_counter() - began
    return _tie_result(scores, list(zip(rows, slots[cols], strict=True)), elapsed)


def ties_ours(n, m, capacity, kind="program"):
    """mentorkit's best fit as the matcher calls it: between types where scores tie."""
    scores = _program_scores(n, m, kind)
    began = time.perf_counter()
    found = priced_best_fit(scores, np.full(m, capacity))
    elapsed = time.perf_counter() - began
    return _tie_result(scores, found.pairs, elapsed, proved=found.proved_optimal,
                       rounds=found.rounds, types=found.types)


def ties_priced(n, m, capacity, kind="program"):
    """The priced rounds alone (what ran before types), for the record."""
    scores = _program_scores(n, m, kind)
    began = time.perf_counter()
    found = priced_best_fit(scores, np.full(m, capacity), by_type=False)
    elapsed = time.perf_counter() - began
    return _tie_result(scores, found.pairs, elapsed, proved=found.proved_optimal,
                       rounds=found.rounds)


TIE_METHODS = [("mentorkit best fit (types, exact)", ties_ours),
               ("mentorkit priced rounds alone (proved)", ties_priced)]

OURS_BEST_FIT = "mentorkit priced candidates (proved optimal)"
BEST_FIT_METHODS = [(OURS_BEST_FIT, best_fit_ours),
                    ("its first round alone, 10 a side", best_fit_first_round),
                    ("pruning alone, 100 a side (LAPJVsp)", best_fit_pruned),
                    ("greedy", best_fit_greedy)]


def cases(quick: bool):
    if quick:
        return [
            ("one-to-one best fit 2,000 x 1,000, cap 2", "score", best_fit_dense,
             BEST_FIT_METHODS,
             (2000, 1000, 2)),
            ("one-to-one best fit, im-residency's criteria (ties), 1,000 x 500, cap 2",
             "score", ties_dense, TIE_METHODS, (1000, 500, 2)),
            ("one-to-one best fit, single-answer criteria (ties), 1,000 x 500, cap 2",
             "score", ties_dense, TIE_METHODS, (1000, 500, 2, "categorical")),
            ("stable 2,000 x 500, cap 4, top-20", None, None,
             [("mentorkit deferred acceptance", stable_ours), ("greedy", stable_greedy),
              ("matching package", stable_matching_package),
              ("matching package, deep recursion", stable_matching_package_deep)],
             (2000, 500, 4, 20)),
            ("triads 30 per role", "score", triads_reference,
             [("mentorkit heuristic", triads_ours), ("greedy", triads_greedy)], (30,)),
            ("triads 200 per role", "score", triads_reference,
             [("mentorkit heuristic", triads_ours), ("greedy", triads_greedy)], (200,)),
            ("circles 2,000 peers, 100 institutions", None, None,
             [("mentorkit circles", circles_ours), ("greedy", circles_greedy)], (2000, 100)),
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
         BEST_FIT_METHODS,
         (10000, 5000, 2)),
        ("stable 10,000 x 2,500, cap 4, top-20", None, None,
         [("mentorkit deferred acceptance", stable_ours), ("greedy", stable_greedy),
          ("matching package", stable_matching_package),
          ("matching package, deep recursion", stable_matching_package_deep)],
         (10000, 2500, 4, 20)),
        ("triads 30 per role", "score", triads_reference,
         [("mentorkit heuristic", triads_ours), ("greedy", triads_greedy)], (30,)),
        ("triads 1,000 per role", "score", triads_reference,
         [("mentorkit heuristic", triads_ours),
          ("mentorkit heuristic, guided at every size (before)", triads_guided),
          ("greedy", triads_greedy)], (1000,)),
        ("circles 10,000 peers, 500 institutions, 6-10, cap 2", None, None,
         [("mentorkit circles", circles_ours), ("greedy", circles_greedy)], (10000, 500)),
    ]



COLUMNS = ("method", "time s", "peak MB", "quality", "violations", "blocking", "unmatched",
           "worst", "p10")


def _fmt(value, digits=2):
    if value is None:
        return "-"
    if isinstance(value, float):
        return f"{value:.{digits}f}"
    return str(value)


def row_for(name: str, result: dict, reference: dict | None) -> list[str]:
    if "error" in result:
        return [name, "-", _fmt(result.get("peak_mb"), 0), result["error"], *["-"] * 5]
    if "spread" in result:
        quality = f"spread {result['spread']}/{result['bound']}, topic pairs {result['score']:.0f}"
    elif reference is not None and "score" in result and "score" in reference:
        quality = f"{result['score'] / reference['score']:.4f} of ref"
        if result.get("types"):
            quality += f", exact between {result['types'][0]}x{result['types'][1]} types"
        elif "proved" in result:
            quality += (f", proved in {result['rounds']} rounds" if result["proved"]
                        else ", not proved")
        if "distinct" in result and "time" in reference and result.get("time"):
            quality += (f"; {result['distinct']} distinct scores; "
                        f"{reference['time'] / result['time']:.1f}x faster than ref")
    else:
        quality = "-"
    return [name, _fmt(result.get("time"), 3), _fmt(result.get("peak_mb"), 0), quality,
            _fmt(result.get("violations")), _fmt(result.get("blocking")),
            _fmt(result.get("unmatched")), _fmt(result.get("worst")), _fmt(result.get("p10"))]


def print_table(title: str, rows: list[list[str]]) -> None:
    widths = [max(len(r[i]) for r in [list(COLUMNS), *rows]) for i in range(len(COLUMNS))]
    print(f"\n{title}")
    for r in [list(COLUMNS), *rows]:
        print("  " + "  ".join(cell.ljust(w) for cell, w in zip(r, widths, strict=True)))


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
        rows = []
        reference = None
        if reference_func is not None:
            reference = measure(reference_func, args, options.timeout)
            label = reference.get("reference", "scipy dense exact (reference)")
            ref_row = row_for(label, reference, None)
            ref_row[3] = "1.0000 (reference)" if "error" not in reference else ref_row[3]
            rows.append(ref_row)
            if "error" in reference:
                reference = None
        for name, func in methods:
            rows.append(row_for(name, measure(func, args, options.timeout), reference))
        print_table(title, rows)
        sys.stdout.flush()


if __name__ == "__main__":
    main()
