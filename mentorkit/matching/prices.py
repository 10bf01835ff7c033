"""Exact best fit on large pools: sparse candidates, proved optimal by mentor prices.

Pruning each mentee to a few dozen candidate mentors makes the assignment fast, but in a tight
pool (as many places as mentees) some mentees must take a mentor far down their list, and
plain pruning then loses a little. LP duality says when nothing is lost: an assignment is
optimal if there are prices v >= 0 on mentors (0 for a mentor with a free place) such that
every mentee's mentor maximises score - price over *all* mentors. Such prices are the least
solution of v_k >= v_j + max over j's mentees i of (s_ik - s_ij), a longest-path problem on the
mentors, solved here by max-plus iterations (Bellman-Ford, vectorised). If they exist, the
assignment is proved optimal; if not, the iterates still price the popular mentors, so the
next round takes each mentee's best candidates by score - price, and converges.

scipy's solvers return no dual prices, hence this module; it checks and prices, it does not
solve the assignment itself (scipy's LAPJVsp does).
"""

from __future__ import annotations

import attrs
import numpy as np

from mentorkit.matching.assignment import FORBIDDEN, assign_sparse
from mentorkit.matching.matrix import candidate_edges

BLOCK = 1024


@attrs.frozen
class PricedAssignment:
    pairs: list[tuple[int, int]]
    proved_optimal: bool
    rounds: int


def _exchange_graph(scores: np.ndarray, assigned: np.ndarray, n_cols: int) -> np.ndarray:
    """W[j, k]: the most any of j's mentees would gain by moving to k (can be negative)."""
    order = np.argsort(assigned, kind="stable")
    owner = assigned[order]
    starts = np.flatnonzero(np.r_[True, owner[1:] != owner[:-1]])
    graph = np.full((n_cols, n_cols), -np.inf, dtype=np.float32)
    for first in range(0, len(starts), BLOCK):  # a block of mentors at a time
        group_starts = starts[first:first + BLOCK]
        stop = starts[first + BLOCK] if first + BLOCK < len(starts) else len(order)
        rows = order[group_starts[0]:stop]
        gains = scores[rows] - scores[rows, assigned[rows]][:, None]
        graph[owner[group_starts]] = np.maximum.reduceat(gains, group_starts - group_starts[0],
                                                         axis=0)
    return graph


def certify(scores: np.ndarray, assigned: np.ndarray, capacities: np.ndarray,
            max_iterations: int = 300, give_up: float = 1.0) -> tuple[bool, np.ndarray]:
    """(proved optimal, prices) for an assignment placing every row (assigned[i] = column).

    Prices rise from zero by max-plus steps. A fixed point with free mentors at price 0
    proves optimality. Without one (an improving exchange exists) prices grow without end, so
    the steps stop once a price passes ``give_up`` spans of the scores: declining to prove is
    always safe (the caller widens its candidates), and the prices so far still steer the
    next round. Prices of an optimal assignment can exceed that only through long chains of
    displaced mentees, which then costs a round, never a wrong proof.
    """
    n_cols = len(capacities)
    graph = _exchange_graph(scores, assigned, n_cols)
    free = np.bincount(assigned, minlength=n_cols) < capacities
    prices = np.zeros(n_cols, dtype=np.float32)
    allowed = scores[scores > FORBIDDEN / 2]
    span = float(allowed.max() - allowed.min())
    tolerance = 1e-5 * max(1.0, span)
    for _ in range(max_iterations):
        raised = prices.copy()
        for start in range(0, n_cols, BLOCK):  # blocks keep the temporaries small
            np.maximum(raised, (prices[start:start + BLOCK, None]
                                + graph[start:start + BLOCK]).max(axis=0), out=raised)
        if (raised - prices <= tolerance).all():
            return bool((raised[free] <= tolerance).all()), raised
        if raised.max() > give_up * span:
            return False, np.minimum(raised, span)
        prices = raised
    return False, prices


def best_fit(scores: np.ndarray, capacities: np.ndarray, candidates: int = 20,
             max_rounds: int = 30) -> PricedAssignment:
    """Exact best fit of rows to columns with capacities, every row placed when it can be.

    ``scores`` is the full matrix (FORBIDDEN where not allowed); each round solves over every
    row's and column's ``candidates`` best pairs by score - price, plus the current pairs; a
    round that does not improve (or leaves someone unplaced) doubles ``candidates``, so the
    rounds end at the optimum: proved by prices, or solved over every pair.
    """
    n_rows, n_cols = scores.shape
    prices = np.zeros(n_cols, dtype=np.float32)
    current = None
    pairs: list[tuple[int, int]] = []
    value = -np.inf
    for rounds in range(1, max_rounds + 1):
        reduced = ((start, np.where(block > FORBIDDEN / 2, block - prices, FORBIDDEN))
                   for start, block in ((s, scores[s:s + BLOCK]) for s in range(0, n_rows, BLOCK)))
        rows, cols, _ = candidate_edges(reduced, n_cols, candidates, column_k=candidates)
        if current is not None:
            placed = current >= 0
            rows = np.concatenate([rows, np.flatnonzero(placed)])
            cols = np.concatenate([cols, current[placed]])
            _, first = np.unique(rows.astype(np.int64) * n_cols + cols, return_index=True)
            rows, cols = rows[first], cols[first]
        pairs = assign_sparse(rows, cols, scores[rows, cols].astype(float), n_rows, capacities)
        current = np.full(n_rows, -1)
        for r, c in pairs:
            current[r] = c
        if candidates >= n_cols:  # every pair was a candidate: the solve itself is exact
            return PricedAssignment(pairs, True, rounds)
        if (current < 0).any():  # someone unplaced: maybe only for want of candidates
            candidates *= 2
            continue
        proved, prices = certify(scores, current, capacities)
        if proved:
            return PricedAssignment(pairs, True, rounds)
        found = float(scores[np.arange(n_rows), current].astype(np.float64).sum())
        if found <= value + 1e-9 * max(1.0, abs(found)):
            # no gain this round: either optimal with long displacement chains (a patient
            # proof shows it) or the prices no longer help (widen the candidate lists)
            proved, _ = certify(scores, current, capacities, max_iterations=n_cols + 1,
                                give_up=float(n_cols + 1))
            if proved:
                return PricedAssignment(pairs, True, rounds)
            candidates *= 2
        value = max(value, found)
    return PricedAssignment(pairs, False, max_rounds)
