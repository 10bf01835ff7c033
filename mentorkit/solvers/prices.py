"""Exact best fit on large pools: candidate pairs, widened by prices until they prove optimal.

Pruning each mentee to a few mentors makes the assignment fast, but in a tight pool (as many
places as mentees) some mentees must take a mentor far down their list, and plain pruning then
loses a little. LP duality says when nothing is lost: the optimal flow over the candidates
comes with node potentials (mentor prices), and if no pair *outside* the candidates has a
positive reduced score under them, the flow is optimal over every pair. So each round solves
the candidates exactly (:mod:`mentorkit.solvers.flow`), then one pass over the score matrix
checks every pair against the prices; rows with a violating pair, and rows within a small
margin of one (the prices will move), get their best pairs by score - price as new
candidates. The rounds end when the check passes, which proves the result optimal.

Programs' scores tie everywhere (a few categorical criteria), and ties are what made the
rounds slow: the seeds (each row's and column's best pairs) break ties by a spread that is
each row's own, one extra pair per row makes a first round that places everyone, and where
the scores lie on a coarse grid (sixths, tenths) the grid is the integer scale. On the
im-residency criteria this proves the optimum in one round (benchmarks/run.py).

The passes over the matrix go a block of rows at a time on a thread per core (numpy releases
the GIL), so memory stays bounded and both cores work.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

import attrs
import numpy as np

from mentorkit.solvers.flow import Flow, Integers, grid_of, integers_for, on_grid, solve
from mentorkit.solvers.matrix import merge_column_best
from mentorkit.solvers.scoring import FORBIDDEN
from mentorkit.solvers.types import typed_best_fit

BLOCK = 1024
TIE_BREAK = 1e-3  # seeds' tie-breaking offset, as a share of the score span
NEAR = 0.02  # rows this close (share of the score span) to a violation also get candidates


@attrs.frozen
class PricedAssignment:
    pairs: list[tuple[int, int]]
    proved_optimal: bool
    rounds: int
    candidates: int  # candidate pairs in the last round
    types: tuple[int, int] | None = None  # solved between (mentee, mentor) types instead


@attrs.frozen
class _Seeds:
    """One block's first pass: its rows' best columns, its best rows per column, score range."""

    rows: np.ndarray
    cols: np.ndarray
    column_scores: np.ndarray  # depth x n_cols
    column_rows: np.ndarray
    low: float
    high: float
    on_grid: bool  # every allowed score of the block is on the guessed grid


def _seed(block: np.ndarray, start: int, k: int, spread: np.ndarray,
          grid: int | None) -> _Seeds:
    """Each row's k best columns and each column's k best rows, ties broken by ``spread``.

    On a program's scores a row ties with dozens of mentors, and an arbitrary choice among
    them sends most rows to the same few (argpartition favours low indices): the first round
    then cannot place everyone, and the prices of an unplaced row make most of the matrix
    look violating. A tiny offset per pair, well below any gap between distinct scores,
    spreads each row over its tied mentors in its own order. It only picks the seeds;
    scores, and so the optimum, are untouched.
    """
    allowed = block > FORBIDDEN / 2
    low = float(np.where(allowed, block, np.inf).min())
    high = float(block.max()) if allowed.any() else -np.inf
    gridded = grid is not None and on_grid(np.where(allowed, block, 0), grid)
    k = min(k, block.shape[1])
    if high > low:
        block = block + spread[:len(block)] * np.float32((high - low) * TIE_BREAK)
    best = np.argpartition(block, block.shape[1] - k, axis=1)[:, -k:]  # no negated copy
    rows = np.repeat(np.arange(start, start + len(block)), k)
    depth = min(k, len(block))
    across = np.ascontiguousarray(block.T)  # partitioning along rows is faster contiguous
    down = np.argpartition(across, len(block) - depth, axis=1)[:, -depth:].T
    return _Seeds(rows, best.ravel(), np.take_along_axis(block, down, axis=0), down + start,
                  low, high, gridded)


def _price(block: np.ndarray, start: int, ints: Integers, flow: Flow, matched: np.ndarray,
           k: int, near: float) -> tuple[int, np.ndarray, np.ndarray]:
    """(rows with a violating pair, new candidate rows, cols) for one block of rows.

    A pair (i, j) outside the flow violates the prices when R(i, j) + col[j] - row[i] > 0,
    R being the integer score. Single precision, in score units, finds the pairs that might
    (a generous margin covers its rounding); integers decide those few exactly.
    """
    stop = start + len(block)
    row_pot, col_pot = flow.row_potential[start:stop], flow.col_potential
    col_price = (col_pot / ints.scale).astype(np.float32)
    row_level = (row_pot / ints.scale + ints.low).astype(np.float32)
    gain = block + col_price[None, :]
    gain -= row_level[:, None]
    own = np.flatnonzero(matched[start:stop] >= 0)
    gain[own, matched[start:stop][own]] = -np.inf
    best = gain.max(axis=1)
    largest = (float(np.abs(col_price).max(initial=0)) + float(np.abs(row_level).max(initial=0))
               + max(abs(ints.low), abs(ints.high)))
    margin = np.float32(largest * 2.0**-20 + 1.0 / ints.scale)
    suspects = np.flatnonzero(best >= -margin)
    empty = np.empty(0, np.int64)
    if not suspects.size:
        return 0, empty, empty
    r, c = np.nonzero(gain[suspects] >= -margin)
    exact = ints.of(block[suspects[r], c]) + col_pot[c] - row_pot[suspects[r]]
    wrong = exact > 0
    if not wrong.any():
        return 0, empty, empty
    # every row near a violation gets its best pairs by score - price (single precision is
    # fine for choosing among them), and each violating row also its most violating pair by
    # the exact integers, so every round makes progress even where single precision cannot
    # rank. Only a few per row: on tied scores a row can violate with thousands of equally
    # good pairs, and taking them all made the candidates most of the matrix. The pairs come
    # grouped by row (np.nonzero is row-major), so no sort is needed to find each row's top
    vr, vc, vgain = r[wrong], c[wrong], exact[wrong]
    first = np.r_[0, np.flatnonzero(vr[1:] != vr[:-1]) + 1]
    top = np.repeat(np.maximum.reduceat(vgain, first), np.diff(np.r_[first, len(vr)]))
    at_top = np.flatnonzero(vgain == top)
    at_top = at_top[np.r_[True, vr[at_top[1:]] != vr[at_top[:-1]]]]  # one per row
    width = min(k, block.shape[1])
    close = np.flatnonzero(best >= -near)
    picked = np.argpartition(-gain[close], width - 1, axis=1)[:, :width]
    return (len(first),
            np.concatenate([suspects[vr[at_top]] + start, np.repeat(close + start, width)]),
            np.concatenate([vc[at_top], picked.ravel()]))


def best_fit(scores: np.ndarray, capacities: np.ndarray, candidates: int = 10,
             max_rounds: int = 30, by_type: bool = True) -> PricedAssignment:
    """Exact best fit of rows to columns with capacities: as many rows placed as the allowed
    pairs permit, then the highest total score. ``scores`` is the full matrix (FORBIDDEN where
    not allowed); the first round's candidates are each row's and each column's
    ``candidates`` best pairs. Where people of a type are interchangeable (scores from a few
    categorical criteria), the problem is solved between types instead (``by_type``)."""
    n_rows, n_cols = scores.shape
    capacities = np.asarray(capacities, np.int64)
    if not n_rows or not n_cols or not capacities.sum():
        return PricedAssignment([], True, 0, 0)
    typed = typed_best_fit(scores, capacities) if by_type else None  # few categorical criteria
    if typed is not None:
        return PricedAssignment(typed.pairs, True, 0, 0, typed.types)
    starts = range(0, n_rows, BLOCK)
    with ThreadPoolExecutor(min(2, os.cpu_count() or 1)) as pool:
        def each_block(work: Callable, *args) -> list:
            return list(pool.map(lambda s: work(scores[s:s + BLOCK], s, *args), starts))

        guess = grid_of(_allowed_sample(scores))  # checked on every block by the seeding
        seeds = each_block(_seed, candidates, _tie_spread(min(BLOCK, n_rows), n_cols), guess)
        low, high = min(s.low for s in seeds), max(s.high for s in seeds)
        if low > high:  # nothing allowed at all
            return PricedAssignment([], True, 0, 0)
        grid = guess if all(s.on_grid for s in seeds) else None
        ints = integers_for(low, high, n_rows, n_cols, int(capacities.sum()), grid)
        col_rows, col_cols, _ = merge_column_best(
            [(s.column_scores, s.column_rows) for s in seeds], candidates)
        back_rows, back_cols = _backbone(n_rows, capacities)
        rows = np.concatenate([s.rows for s in seeds] + [col_rows, back_rows])
        cols = np.concatenate([s.cols for s in seeds] + [col_cols, back_cols])
        near = NEAR * (high - low)
        for rounds in range(1, max_rounds + 1):
            rows, cols = _unique_allowed(scores, rows, cols)
            flow = solve(rows, cols, -ints.of(scores[rows, cols]), n_rows, capacities,
                         ints.unplaced)
            matched = np.full(n_rows, -1)
            matched[rows[flow.matched]] = cols[flow.matched]
            pairs = [(int(i), int(j)) for i, j in zip(rows[flow.matched], cols[flow.matched],
                                                       strict=True)]
            room = _room_for_unplaced(scores, matched, capacities, candidates)
            if room is not None:  # place first: cheaper than pricing with an unplaced row
                rows, cols = np.concatenate([rows, room[0]]), np.concatenate([cols, room[1]])
                continue
            priced = each_block(_price, ints, flow, matched, candidates, near)
            if not sum(p[0] for p in priced):
                return PricedAssignment(sorted(pairs), True, rounds, len(rows))
            rows = np.concatenate([rows] + [p[1] for p in priced])
            cols = np.concatenate([cols] + [p[2] for p in priced])
    return PricedAssignment(sorted(pairs), False, max_rounds, len(rows))


def _allowed_sample(scores: np.ndarray, rows: int = 16) -> np.ndarray:
    """Allowed scores of a few rows spread over the matrix, to guess their grid from."""
    sample = scores[:: max(1, len(scores) // rows)][:rows]
    return sample[sample > FORBIDDEN / 2]


def _tie_spread(n_rows: int, n_cols: int) -> np.ndarray:
    """frac(a_i + b_j) for fixed random a, b: each row ranks tied columns in its own order
    (a rotation of one shuffled order), made once and shared by every block of rows."""
    rng = np.random.default_rng(0)  # fixed: the same input gives the same seeds
    spread = rng.random(n_rows, np.float32)[:, None] + rng.random(n_cols, np.float32)[None, :]
    spread -= spread >= 1
    return spread


def _backbone(n_rows: int, capacities: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """One pair per row that together place every row the places allow (row i to the i-th
    place, round robin): the first round's flow then never leaves a row out for want of a
    candidate, and its prices mean something from the start."""
    places = np.repeat(np.arange(len(capacities)), capacities)
    rows = np.arange(min(n_rows, len(places)))
    return rows, places[rows]


def _room_for_unplaced(scores: np.ndarray, matched: np.ndarray, capacities: np.ndarray,
                       k: int) -> tuple[np.ndarray, np.ndarray] | None:
    """Pairs from each unplaced row to its k best columns with a free place, or None if
    there are none.

    A row left out by the candidates' flow gets a price of "unplaced", so large that nearly
    every pair in the matrix would then look violating and the check would add far more
    than it needs. Such a pair is always new (the flow would have used it), so adding
    them first and solving again brings the row in cheaply; the check then runs on
    prices that mean something.
    """
    unplaced = np.flatnonzero(matched < 0)
    load = np.bincount(matched[matched >= 0], minlength=len(capacities))
    free = np.flatnonzero(load < capacities)
    if not unplaced.size or not free.size:
        return None
    sub = scores[np.ix_(unplaced, free)]
    width = min(k, len(free))
    best = np.argpartition(sub, len(free) - width, axis=1)[:, -width:]
    rows, cols = np.repeat(unplaced, width), free[best.ravel()]
    allowed = scores[rows, cols] > FORBIDDEN / 2
    return (rows[allowed], cols[allowed]) if allowed.any() else None


def _unique_allowed(scores: np.ndarray, rows: np.ndarray, cols: np.ndarray):
    keys = np.sort(rows.astype(np.int64) * scores.shape[1] + cols)
    keys = keys[np.r_[True, keys[1:] != keys[:-1]]]
    rows, cols = keys // scores.shape[1], keys % scores.shape[1]
    keep = scores[rows, cols] > FORBIDDEN / 2
    return rows[keep], cols[keep]
