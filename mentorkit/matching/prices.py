"""Exact best fit on large pools: candidate pairs, widened by prices until they prove optimal.

Pruning each mentee to a few mentors makes the assignment fast, but in a tight pool (as many
places as mentees) some mentees must take a mentor far down their list, and plain pruning then
loses a little. LP duality says when nothing is lost: the optimal flow over the candidates
comes with node potentials (mentor prices), and if no pair *outside* the candidates has a
positive reduced score under them, the flow is optimal over every pair. So each round solves
the candidates exactly (:mod:`mentorkit.matching.flow`), then one pass over the score matrix
checks every pair against the prices; rows with a violating pair, and rows within a small
margin of one (the prices will move), get their best pairs by score - price as new
candidates. The rounds end when the check passes, which proves the result optimal.

The passes over the matrix go a block of rows at a time on a thread per core (numpy releases
the GIL), so memory stays bounded and both cores work.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

import attrs
import numpy as np

from mentorkit.matching.assignment import FORBIDDEN
from mentorkit.matching.flow import Flow, Integers, integers_for, solve
from mentorkit.matching.matrix import merge_column_best
from mentorkit.matching.types import typed_best_fit

BLOCK = 1024
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


def _seed(block: np.ndarray, start: int, k: int) -> _Seeds:
    allowed = block > FORBIDDEN / 2
    low = float(np.where(allowed, block, np.inf).min())
    high = float(block.max()) if allowed.any() else -np.inf
    k = min(k, block.shape[1])
    best = np.argpartition(block, block.shape[1] - k, axis=1)[:, -k:]  # no negated copy
    rows = np.repeat(np.arange(start, start + len(block)), k)
    depth = min(k, len(block))
    across = np.ascontiguousarray(block.T)  # partitioning along rows is faster contiguous
    down = np.argpartition(across, len(block) - depth, axis=1)[:, -depth:].T
    return _Seeds(rows, best.ravel(), np.take_along_axis(block, down, axis=0), down + start,
                  low, high)


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
    # each violating row's most violating pairs, by the exact integers (so every round makes
    # progress, even where single precision cannot rank them), and the best pairs by
    # score - price of every row near one. Only the most violating few per row: on tied
    # scores a row can violate with thousands of equally good pairs, and taking them all
    # made the candidates most of the matrix
    width = min(k, block.shape[1])
    vr, vc, vgain = r[wrong], c[wrong], exact[wrong]
    order = np.lexsort((vc, -vgain, vr))  # by row, most violating first, then column
    vr, vc = vr[order], vc[order]
    first = np.r_[0, np.flatnonzero(vr[1:] != vr[:-1]) + 1]
    rank = np.arange(len(vr)) - np.repeat(first, np.diff(np.r_[first, len(vr)]))
    keep = rank < width
    close = np.flatnonzero(best >= -near)
    picked = np.argpartition(-gain[close], width - 1, axis=1)[:, :width]
    return (len(first),
            np.concatenate([suspects[vr[keep]] + start, np.repeat(close + start, width)]),
            np.concatenate([vc[keep], picked.ravel()]))


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

        seeds = each_block(_seed, candidates)
        low, high = min(s.low for s in seeds), max(s.high for s in seeds)
        if low > high:  # nothing allowed at all
            return PricedAssignment([], True, 0, 0)
        ints = integers_for(low, high, n_rows, n_cols, int(capacities.sum()))
        col_rows, col_cols, _ = merge_column_best(
            [(s.column_scores, s.column_rows) for s in seeds], candidates)
        rows = np.concatenate([s.rows for s in seeds] + [col_rows])
        cols = np.concatenate([s.cols for s in seeds] + [col_cols])
        near = NEAR * (high - low)
        for rounds in range(1, max_rounds + 1):
            rows, cols = _unique_allowed(scores, rows, cols)
            flow = solve(rows, cols, -ints.of(scores[rows, cols]), n_rows, capacities,
                         ints.unplaced)
            matched = np.full(n_rows, -1)
            matched[rows[flow.matched]] = cols[flow.matched]
            priced = each_block(_price, ints, flow, matched, candidates, near)
            pairs = [(int(i), int(j)) for i, j in zip(rows[flow.matched], cols[flow.matched],
                                                       strict=True)]
            if not sum(p[0] for p in priced):
                return PricedAssignment(sorted(pairs), True, rounds, len(rows))
            rows = np.concatenate([rows] + [p[1] for p in priced])
            cols = np.concatenate([cols] + [p[2] for p in priced])
    return PricedAssignment(sorted(pairs), False, max_rounds, len(rows))


def _unique_allowed(scores: np.ndarray, rows: np.ndarray, cols: np.ndarray):
    keys = np.sort(rows.astype(np.int64) * scores.shape[1] + cols)
    keys = keys[np.r_[True, keys[1:] != keys[:-1]]]
    rows, cols = keys // scores.shape[1], keys % scores.shape[1]
    keep = scores[rows, cols] > FORBIDDEN / 2
    return rows[keep], cols[keep]
