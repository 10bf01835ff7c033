"""Whole score and constraint matrices at once, with numpy, for matchers that scale.

``Scorer.pair`` explains one pair in words; a matcher over thousands of people needs every
pair's points, which one Python call per pair cannot give in time. Each built-in criterion kind
is computed here as array arithmetic over encoded intake values and gives exactly the points
``Scorer.pair`` gives (a test holds the two together). A plugin's criterion is evaluated pair
by pair, as it must be. ``top_candidates`` keeps each row's best columns, a block of rows at a
time, so memory stays bounded however large the pool is.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

import numpy as np
import scipy.sparse as sp

from mentorkit.config.criteria import Criterion
from mentorkit.kernel.values import Person
from mentorkit.solvers.scoring import FORBIDDEN, Scorer, as_set


def _entries(people: Sequence[Person], field: str, vocabulary: dict[str, int]):
    """(row, column) of each value each person has, a column per distinct value."""
    rows: list[int] = []
    cols: list[int] = []
    for i, person in enumerate(people):
        for value in as_set(person.value(field)):
            rows.append(i)
            cols.append(vocabulary.setdefault(value, len(vocabulary)))
    return rows, cols


def _indicators(a: Sequence[Person], b: Sequence[Person], field_a: str, field_b: str):
    """0/1 matrices of a's ``field_a`` values and b's ``field_b`` values over one vocabulary."""
    vocabulary: dict[str, int] = {}
    ra, ca = _entries(a, field_a, vocabulary)
    rb, cb = _entries(b, field_b, vocabulary)
    width = max(len(vocabulary), 1)
    make = lambda r, c, n: sp.csr_matrix(  # noqa: E731
        (np.ones(len(r)), (r, c)), shape=(n, width))
    return make(ra, ca, len(a)), make(rb, cb, len(b))


def _codes(people: Sequence[Person], field: str, table: dict[Any, int]) -> np.ndarray:
    """An integer per person for their value of ``field`` (-1 when missing)."""
    out = np.empty(len(people), dtype=np.int64)
    for i, person in enumerate(people):
        value = person.value(field)
        if value is None or value == "":
            out[i] = -1
            continue
        key = tuple(value) if isinstance(value, list) else value
        out[i] = table.setdefault(key, len(table))
    return out


def _numbers(people: Sequence[Person], field: str) -> np.ndarray:
    values = [person.value(field) for person in people]
    return np.array([float(v) if isinstance(v, int | float) else np.nan for v in values])


def _equal(a, b, field) -> tuple[np.ndarray, np.ndarray]:
    """(values equal, both present) matrices for ``field``."""
    table: dict[Any, int] = {}
    ca, cb = _codes(a, field, table), _codes(b, field, table)
    present = (ca >= 0)[:, None] & (cb >= 0)[None, :]
    return ca[:, None] == cb[None, :], present


def _criterion_matrix(scorer: Scorer, rule: Criterion, a, b, directed: bool) -> np.ndarray:
    if rule.kind in scorer.custom:
        return np.array([[scorer._criterion(rule, x, y)[0] for y in b] for x in a]).reshape(
            len(a), len(b))
    if rule.kind == "overlap":
        xa, xb = _indicators(a, b, rule.field, rule.field)
        shared = (xa @ xb.T).toarray()
        sizes = np.minimum(np.asarray(xa.sum(1)).ravel()[:, None],
                           np.asarray(xb.sum(1)).ravel()[None, :])
        return rule.weight * np.divide(shared, sizes, out=np.zeros_like(shared),
                                       where=(shared > 0) & (sizes > 0))
    if rule.kind in ("same", "different"):
        equal, present = _equal(a, b, rule.field)
        hit = equal if rule.kind == "same" else ~equal
        return rule.weight * (hit & present)
    if rule.kind == "distance":
        na, nb = _numbers(a, rule.field), _numbers(b, rule.field)
        with np.errstate(invalid="ignore"):
            closeness = np.maximum(0.0, 1.0 - np.abs(na[:, None] - nb[None, :]) / rule.scale)
        return rule.weight * np.nan_to_num(closeness, nan=0.0)
    # prefers: a's stated preference granted by b (and, undirected, b's granted by a)
    pa, vb = _indicators(a, b, rule.preference_field, rule.field)
    a_granted = (pa @ vb.T).toarray() > 0
    if directed:
        return rule.weight * a_granted
    va, pb = _indicators(a, b, rule.field, rule.preference_field)
    b_granted = (va @ pb.T).toarray() > 0
    return rule.weight / 2 * (a_granted.astype(float) + b_granted)


def score_matrix(scorer: Scorer, a: Sequence[Person], b: Sequence[Person],
                 directed: bool = False) -> np.ndarray:
    """Points of every (a, b) pair; FORBIDDEN where a hard constraint is broken.

    ``directed`` scores from a's side: a stated preference counts only when it is a's own
    (stable matching needs each side's own ranking); otherwise equals ``Scorer.pair``.
    """
    scores = np.zeros((len(a), len(b)))
    if not len(a) or not len(b):
        return scores
    for rule in scorer.criteria:
        scores += _criterion_matrix(scorer, rule, a, b, directed)
    scores[violation_matrix(scorer, a, b)] = FORBIDDEN
    return scores


def violation_matrix(scorer: Scorer, a: Sequence[Person], b: Sequence[Person]) -> np.ndarray:
    """True where a pair breaks a hard constraint (as ``Scorer.violation``)."""
    broken = np.zeros((len(a), len(b)), dtype=bool)
    for rule in scorer.constraints:
        if rule.kind == "not-named":
            broken |= _names(a, b, rule.field) | _names(b, a, rule.field).T
            continue
        equal, present = _equal(a, b, rule.field)
        broken |= present & (equal != (rule.kind == "same"))
    return broken


def _names(a: Sequence[Person], b: Sequence[Person], field: str) -> np.ndarray:
    """True where a's ``field`` lists b's e-mail."""
    at = {person.email.lower(): j for j, person in enumerate(b)}
    named = np.zeros((len(a), len(b)), dtype=bool)
    for i, person in enumerate(a):
        for value in as_set(person.value(field)):
            if (j := at.get(value.lower())) is not None:
                named[i, j] = True
    return named


def top_candidates(scorer: Scorer, a: Sequence[Person], b: Sequence[Person], k: int,
                   column_k: int = 0, block: int = 1024, directed: bool = False):
    """Candidate edges: each row's ``k`` best allowed columns and each column's ``column_k``
    best rows, as (rows, cols, scores) arrays.

    Computed a block of rows at a time so a 10,000 x 5,000 pool never holds the full matrix.
    """
    blocks = ((start, score_matrix(scorer, a[start:start + block], b, directed))
              for start in range(0, len(a), block))
    return candidate_edges(blocks, len(b), k, column_k)


def candidate_edges(blocks: Iterable[tuple[int, np.ndarray]], n_cols: int, k: int,
                    column_k: int = 0):
    """As :func:`top_candidates`, from (first row, block of the score matrix) pairs.

    A row's best columns alone can miss what a tight assignment needs: when every place must be
    filled, the least popular mentor's places go to mentees who rank them low. Each column's
    best rows cover that.
    """
    k = min(k, n_cols)
    rows, cols, scores = [], [], []
    column_best: list[tuple[np.ndarray, np.ndarray]] = []
    for start, chunk in blocks:
        if not len(chunk):
            continue
        best = top_k(chunk, k) if k else np.zeros((len(chunk), 0), dtype=int)
        picked = np.take_along_axis(chunk, best, axis=1)
        chunk_rows = np.arange(start, start + len(chunk))[:, None]
        rows.append(np.broadcast_to(chunk_rows, best.shape).ravel())
        cols.append(best.ravel())
        scores.append(picked.ravel())
        if column_k:
            depth = min(column_k, len(chunk))
            down = np.argpartition(-chunk, depth - 1, axis=0)[:depth]
            column_best.append((np.take_along_axis(chunk, down, axis=0), down + start))
    if column_k and column_best:
        best_rows, best_cols, best_scores = merge_column_best(column_best, column_k)
        rows.append(best_rows)
        cols.append(best_cols)
        scores.append(best_scores)
    if not rows:
        return np.array([], int), np.array([], int), np.array([])
    r, c, v = np.concatenate(rows), np.concatenate(cols), np.concatenate(scores)
    _, first = np.unique(r.astype(np.int64) * n_cols + c, return_index=True)
    keep = first[v[first] > FORBIDDEN / 2]
    return r[keep], c[keep], v[keep]


def merge_column_best(parts: Sequence[tuple[np.ndarray, np.ndarray]], k: int):
    """Each column's k best rows over every block, as (rows, cols, scores) arrays, from the
    blocks' own best (values, row numbers), each a depth x columns array."""
    merged = np.vstack([values for values, _ in parts])
    merged_rows = np.vstack([found for _, found in parts])
    depth = min(k, len(merged))
    pick = np.argpartition(-merged, depth - 1, axis=0)[:depth]
    return (np.take_along_axis(merged_rows, pick, axis=0).ravel(),
            np.tile(np.arange(merged.shape[1]), depth),
            np.take_along_axis(merged, pick, axis=0).ravel())


def top_k(scores: np.ndarray, k: int) -> np.ndarray:
    """Column indices of each row's k highest scores, best first; deterministic for the same
    input (within the k, equal scores go to the lower index)."""
    if k >= scores.shape[1]:
        return np.lexsort((np.broadcast_to(np.arange(scores.shape[1]), scores.shape), -scores),
                          axis=1)
    # argpartition picks a k-set; a stable sort of (-score) then orders it by score, then index
    part = np.argpartition(-scores, k - 1, axis=1)[:, :k]
    part.sort(axis=1)
    order = np.argsort(-np.take_along_axis(scores, part, axis=1), axis=1, kind="stable")
    return np.take_along_axis(part, order, axis=1)
