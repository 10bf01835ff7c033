"""The group methods of the matching benchmark (benchmarks/run.py): triads (mentorkit's
heuristic, greedy, the exact optimum or an upper bound) and peer circles."""

from __future__ import annotations

import time

import numpy as np

from benchmarks import instances
from mentorkit.solvers import tripartite as triad_solver
from mentorkit.solvers.partition import partition as form_circles

# --- triads -------------------------------------------------------------------------------

def _triad_heuristic(n, **options):
    ab, ac, bc = instances.triad_matrices(n)
    began = time.perf_counter()
    found = triad_solver.heuristic(ab, ac, bc, **options)
    elapsed = time.perf_counter() - began
    return {"time": elapsed, "score": found.score, "unmatched": n - len(found.triples),
            "violations": 0, **_triad_spread(ab, ac, bc, found.triples)}


def triads_ours(n):
    return _triad_heuristic(n)


def triads_guided(n):
    """The heuristic as it ran before, Lagrangian-guided at every size, for the record."""
    return _triad_heuristic(n, guided_limit=float("inf"))


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
    return {"time": elapsed, "score": triad_solver.triple_score(ab, ac, bc, chosen),
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
                "reference": "exact optimum (HiGHS milp)", "unmatched": n - len(exact.triples),
                "violations": 0, **_triad_spread(ab, ac, bc, exact.triples)}
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
    counts = {s: sum(1 for c in result.groups if stage[c[0]] == s) for s in set(stage)}
    return {"time": elapsed, "score": float(result.topic_pairs),
            "bound": _spread_bound(stage, institution, counts),
            **_circle_metrics(stage, institution, result.groups, 2, 6, 10,
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
