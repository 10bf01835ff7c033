"""Exact best fit when scores come from a few categorical criteria: people of a type are
interchangeable.

Real programs score pairs from a handful of categorical answers (same sub-specialty, shared
research area, PGY distance), so many mentees have identical rows of the score matrix and
many mentors identical columns: they are of one *type*. Any assignment can then be read as
how many mentees of each type go to mentors of each type, which is a transportation problem
between types (a few hundred nodes, not thousands), and every individual assignment that
realises the optimal type-to-type flow has the optimal total. So the result is exact, proved
by construction, and takes a pass over the matrix to find the types plus a flow on a small
graph. Forbidden and pinned pairs change their row's scores, so they split types on their own.
"""

from __future__ import annotations

import attrs
import numpy as np
from ortools.graph.python import min_cost_flow

from mentorkit.solvers.flow import integers_for
from mentorkit.solvers.scoring import FORBIDDEN

BLOCK = 2048
SAMPLE = 256  # rows looked at first, to give up early where types will not compress
SAMPLE_SHARE = 0.75  # ... when more than this share of them are types of their own


def types_of(matrix: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(type of each row, one representative row per type): rows are of one type exactly
    when they are equal. Rows are grouped by a random projection and each group is checked
    against its representative, so a hash collision can only split a type, never merge two."""
    rng = np.random.default_rng(0x5EED)
    probe = rng.uniform(1.0, 2.0, matrix.shape[1])
    keys = np.concatenate([matrix[s:s + BLOCK].astype(np.float64) @ probe
                           for s in range(0, len(matrix), BLOCK)]) if len(matrix) else \
        np.empty(0)
    # equal rows give equal keys up to the last bits of the sums (blocked dot products may add
    # in another order); rounding merges them, and the check below splits any false merge
    keys = np.round(keys, 6)
    _, first, labels = np.unique(keys, return_index=True, return_inverse=True)
    labels = labels.ravel()
    reps = first
    same = np.concatenate([(matrix[s:s + BLOCK] == matrix[reps[labels[s:s + BLOCK]]]).all(axis=1)
                           for s in range(0, len(matrix), BLOCK)]) if len(matrix) else \
        np.empty(0, bool)
    if not same.all():  # a collision: every row that differs from its representative alone
        odd = np.flatnonzero(~same)
        labels = labels.copy()
        labels[odd] = len(reps) + np.arange(len(odd))
        reps = np.concatenate([reps, odd])
    return labels, reps


@attrs.frozen
class TypedAssignment:
    pairs: list[tuple[int, int]]
    types: tuple[int, int]  # (mentee types, mentor types)


def typed_best_fit(scores: np.ndarray, capacities: np.ndarray,
                   max_share: float = 0.25) -> TypedAssignment | None:
    """The optimal assignment (as many rows placed as possible, then the highest total), or
    None when the pool has too many types for this to pay (more than ``max_share`` of the
    matrix's cells in the type-to-type matrix)."""
    n_rows, n_cols = scores.shape
    capacities = np.asarray(capacities, np.int64)
    limit = max_share * n_rows  # mentee types beyond which solving between types cannot pay
    sample = scores[:: max(1, n_rows // SAMPLE)][:SAMPLE]  # spread over the pool
    hopeless = SAMPLE_SHARE * SAMPLE if len(sample) == SAMPLE else limit  # only on big pools
    if len(types_of(sample)[1]) > min(limit, hopeless):
        return None  # nearly every row its own type: the full pass would only confirm it
    row_type, row_reps = types_of(scores)
    if len(row_reps) > limit:
        return None
    # rows of a type are equal, so two columns are equal exactly where they agree on the
    # representative rows: the columns' types come from that small matrix
    col_type, col_reps = types_of(np.ascontiguousarray(scores[row_reps].T))
    if len(row_reps) * len(col_reps) > max_share * n_rows * n_cols:
        return None
    compressed = scores[np.ix_(row_reps, col_reps)]
    supply = np.bincount(row_type, minlength=len(row_reps)).astype(np.int64)
    room = np.bincount(col_type, weights=capacities, minlength=len(col_reps)).astype(np.int64)
    allowed = compressed > FORBIDDEN / 2
    if not allowed.any():
        return TypedAssignment([], (len(row_reps), len(col_reps)))
    values = compressed[allowed]
    ints = integers_for(float(values.min()), float(values.max()), len(row_reps),
                        len(col_reps), int(room.sum()))
    r, c = np.nonzero(allowed)
    n_r, n_c = len(row_reps), len(col_reps)
    sink = n_r + n_c
    tails = np.concatenate([r, n_r + np.arange(n_c)]).astype(np.int32)
    heads = np.concatenate([n_r + c, np.full(n_c, sink)]).astype(np.int32)
    caps = np.concatenate([np.minimum(supply[r], room[c]), room])
    costs = np.concatenate([-ints.of(compressed[r, c]), np.zeros(n_c, np.int64)])
    flow = min_cost_flow.SimpleMinCostFlow()
    flow.add_arcs_with_capacity_and_unit_cost(tails, heads, caps, costs)
    supplies = np.zeros(sink + 1, np.int64)
    supplies[:n_r] = supply
    supplies[sink] = -supply.sum()
    flow.set_nodes_supplies(np.arange(sink + 1, dtype=np.int32), supplies)
    if flow.solve_max_flow_with_min_cost() != flow.OPTIMAL:
        raise RuntimeError("min-cost flow between types failed")
    used = flow.flows(np.arange(len(r)))
    return TypedAssignment(_expand(r, c, used, row_type, col_type, capacities),
                           (len(row_reps), len(col_reps)))


def _expand(r, c, used, row_type, col_type, capacities) -> list[tuple[int, int]]:
    """Individual pairs realising the type-to-type flow: within a type anyone will do, so
    mentees are taken in order and mentors filled in order."""
    members = [list(np.flatnonzero(row_type == t)) for t in range(row_type.max() + 1)]
    mentors = [[(j, int(capacities[j])) for j in np.flatnonzero(col_type == t)
                if capacities[j] > 0] for t in range(col_type.max() + 1)]
    pairs = []
    for rt, ct, count in zip(r[used > 0], c[used > 0], used[used > 0], strict=True):
        for _ in range(int(count)):
            row = members[rt].pop()
            column, left = mentors[ct][-1]
            pairs.append((int(row), int(column)))
            if left > 1:
                mentors[ct][-1] = (column, left - 1)
            else:
                mentors[ct].pop()
    return sorted(pairs)
