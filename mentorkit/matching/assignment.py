"""Exact assignment with capacities, on scipy's Hungarian-type solver.

The objective is lexicographic: place as many rows as the hard rules allow, then maximise the
total score, because leaving a mentee out to gain a point of fit elsewhere is not what a
program wants. A mentor with capacity k becomes k identical columns; every row also gets an
"unplaced" column, so a forbidden pair is never forced just to fill the assignment.
"""

from __future__ import annotations

import numpy as np
from scipy.optimize import linear_sum_assignment

FORBIDDEN = -1e12
PLACED_BONUS = 1e6  # above any total of real scores, so one more placement always wins


def assign(scores: np.ndarray, capacities: np.ndarray) -> list[tuple[int, int]]:
    """Maximum-total-score assignment of rows to columns, column j used at most capacities[j]
    times; returns (row, column) pairs, forbidden pairs (score <= FORBIDDEN/2) left out."""
    if scores.size == 0 or capacities.sum() == 0:
        return []
    slot_column = np.repeat(np.arange(scores.shape[1]), capacities)
    placed = np.where(scores > FORBIDDEN / 2, scores + PLACED_BONUS, FORBIDDEN)
    unplaced = np.full((scores.shape[0], scores.shape[0]), FORBIDDEN)
    np.fill_diagonal(unplaced, 0.0)
    expanded = np.hstack([placed[:, slot_column], unplaced])
    rows, slots = linear_sum_assignment(expanded, maximize=True)
    return [
        (int(r), int(slot_column[s]))
        for r, s in zip(rows, slots, strict=True)
        if s < len(slot_column) and expanded[r, s] > FORBIDDEN / 2
    ]
