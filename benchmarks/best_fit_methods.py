"""The one-to-one best fit methods of the matching benchmark (benchmarks/run.py): mentorkit's
priced candidates and what they are compared with, on the synthetic instances and on the score
matrices programs make (few distinct values, many ties)."""

from __future__ import annotations

import time

import numpy as np

from benchmarks import instances
from benchmarks.instances import BLOCK
from mentorkit.solvers.assignment import FORBIDDEN, assign_sparse
from mentorkit.solvers.matrix import candidate_edges
from mentorkit.solvers.prices import best_fit as priced_best_fit


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


def _timed_best_fit(scores, capacity, **options):
    """mentorkit's best fit on a whole score matrix, every mentor of the same capacity:
    (its result, seconds)."""
    began = time.perf_counter()
    found = priced_best_fit(scores, np.full(scores.shape[1], capacity), **options)
    elapsed = time.perf_counter() - began
    return found, elapsed


def best_fit_ours(n, m, capacity, k=10):
    """mentorkit's large-pool best fit: rounds of candidate pairs (by score - mentor price),
    each solved exactly as a min-cost flow, until the prices prove the result optimal.
    Timed: everything after the instance's own score computation."""
    inst, scores = _scores32(n, m)
    found, elapsed = _timed_best_fit(scores, capacity, candidates=k)
    return {"time": elapsed, "proved": found.proved_optimal, "rounds": found.rounds,
            **_pair_metrics(inst, np.array(found.pairs), capacity)}


def best_fit_first_round(n, m, capacity, k=10):
    """What pruning alone costs at mentorkit's candidate count: its first round only (each
    mentee's and mentor's k best pairs, solved exactly, no prices)."""
    inst, scores = _scores32(n, m)
    found, elapsed = _timed_best_fit(scores, capacity, candidates=k, max_rounds=1)
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
    found, elapsed = _timed_best_fit(scores, capacity)
    return _tie_result(scores, found.pairs, elapsed, proved=found.proved_optimal,
                       rounds=found.rounds, types=found.types)


def ties_priced(n, m, capacity, kind="program"):
    """The priced rounds alone (what ran before types), for the record."""
    scores = _program_scores(n, m, kind)
    found, elapsed = _timed_best_fit(scores, capacity, by_type=False)
    return _tie_result(scores, found.pairs, elapsed, proved=found.proved_optimal,
                       rounds=found.rounds)
