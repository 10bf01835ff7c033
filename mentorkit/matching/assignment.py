"""Exact maximum-score assignment with capacities, on scipy's Hungarian-type solver.

A mentor with capacity k becomes k identical columns; forbidden pairs get a score far below
any real one and are dropped after solving, so someone is left unmatched rather than placed
against a hard constraint.
"""

from __future__ import annotations

import numpy as np
from scipy.optimize import linear_sum_assignment

FORBIDDEN = -1e9


def assign(scores: np.ndarray, capacities: np.ndarray) -> list[tuple[int, int]]:
    """Maximum-total-score assignment of rows to columns, column j used at most capacities[j]
    times; returns (row, column) pairs, forbidden pairs (score <= FORBIDDEN/2) left out."""
    if scores.size == 0 or capacities.sum() == 0:
        return []
    slot_column = np.repeat(np.arange(scores.shape[1]), capacities)
    expanded = scores[:, slot_column]
    rows, slots = linear_sum_assignment(expanded, maximize=True)
    return [
        (int(r), int(slot_column[s]))
        for r, s in zip(rows, slots, strict=True)
        if expanded[r, s] > FORBIDDEN / 2
    ]
