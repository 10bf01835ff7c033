"""Exact assignment with capacities, dense (scipy's Hungarian-type solver) or sparse.

The objective is lexicographic: place as many rows as the hard rules allow, then maximise the
total score, because leaving a mentee out to gain a point of fit elsewhere is not what a
program wants. A mentor with capacity k becomes k identical columns; every row also gets an
"unplaced" column, so a forbidden pair is never forced just to fill the assignment.

The sparse form takes only candidate edges (each mentee's best few dozen mentors) and solves
with scipy's LAPJVsp (``min_weight_full_bipartite_matching``); it is exact on the edges it is
given, and what pruning costs is measured in ``benchmarks/``.
"""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp
from scipy.optimize import linear_sum_assignment
from scipy.sparse.csgraph import min_weight_full_bipartite_matching

from mentorkit.solvers.scoring import FORBIDDEN

__all__ = ["FORBIDDEN", "assign", "assign_sparse"]


def _placed_bonus(values: np.ndarray, rows: int) -> float:
    """A bonus per placed row above any difference of total score, so placing one more row
    always wins over any gain in fit."""
    finite = values[values > FORBIDDEN / 2]
    if not finite.size:
        return 1.0
    span = float(finite.max() - finite.min())
    return (span + 1.0) * (rows + 1) + abs(float(finite.min()))


def assign(scores: np.ndarray, capacities: np.ndarray) -> list[tuple[int, int]]:
    """Maximum-total-score assignment of rows to columns, column j used at most capacities[j]
    times; returns (row, column) pairs, forbidden pairs (score <= FORBIDDEN/2) left out."""
    capacities = np.asarray(capacities, dtype=int)
    if scores.size == 0 or capacities.sum() == 0:
        return []
    slot_column = np.repeat(np.arange(scores.shape[1]), capacities)
    if len(slot_column) >= scores.shape[0] and (scores > FORBIDDEN / 2).all():
        # nothing forbidden and room for all: every row is placed, no "unplaced" columns needed
        rows, slots = linear_sum_assignment(scores[:, slot_column], maximize=True)
        return [(int(r), int(slot_column[s])) for r, s in zip(rows, slots, strict=True)]
    bonus = _placed_bonus(scores, scores.shape[0])
    placed = np.where(scores > FORBIDDEN / 2, scores + bonus, FORBIDDEN)
    unplaced = np.full((scores.shape[0], scores.shape[0]), FORBIDDEN)
    np.fill_diagonal(unplaced, 0.0)
    expanded = np.hstack([placed[:, slot_column], unplaced])
    rows, slots = linear_sum_assignment(expanded, maximize=True)
    return [
        (int(r), int(slot_column[s]))
        for r, s in zip(rows, slots, strict=True)
        if s < len(slot_column) and expanded[r, s] > FORBIDDEN / 2
    ]


def assign_sparse(rows: np.ndarray, cols: np.ndarray, scores: np.ndarray, n_rows: int,
                  capacities: np.ndarray) -> list[tuple[int, int]]:
    """As :func:`assign`, over the candidate edges (rows[e], cols[e]) with scores[e] only."""
    capacities = np.asarray(capacities, dtype=int)
    allowed = scores > FORBIDDEN / 2
    rows, cols, scores = rows[allowed], cols[allowed], scores[allowed]
    if rows.size == 0 or capacities.sum() == 0:
        return []
    first_slot = np.concatenate([[0], np.cumsum(capacities)])
    n_slots = int(first_slot[-1])
    # one edge per slot of the column: repeat each edge capacities[col] times
    repeat = capacities[cols]
    edge_rows = np.repeat(rows, repeat)
    offsets = np.arange(repeat.sum()) - np.repeat(np.cumsum(repeat) - repeat, repeat)
    edge_slots = np.repeat(first_slot[cols], repeat) + offsets
    bonus = _placed_bonus(scores, n_rows)
    # costs must be positive (scipy treats a stored 0 as no edge): unplaced costs more than
    # any placement, by the bonus
    top = float(scores.max()) + bonus
    edge_costs = np.repeat(top - scores + 1.0, repeat)
    all_rows = np.concatenate([edge_rows, np.arange(n_rows)])
    all_cols = np.concatenate([edge_slots, n_slots + np.arange(n_rows)])
    all_costs = np.concatenate([edge_costs, np.full(n_rows, top + bonus + 1.0)])
    graph = sp.csr_matrix((all_costs, (all_rows, all_cols)), shape=(n_rows, n_slots + n_rows))
    matched_rows, matched_slots = min_weight_full_bipartite_matching(graph)
    slot_column = np.repeat(np.arange(len(capacities)), capacities)
    return sorted((int(r), int(slot_column[s]))
                  for r, s in zip(matched_rows, matched_slots, strict=True) if s < n_slots)
