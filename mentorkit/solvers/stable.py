"""Stable matching with capacities: mentee-proposing deferred acceptance (Gale-Shapley).

A stable result has no *blocking pair*: no mentee and mentor, acceptable to each other, who
would both rather be together than with what they got. Mentee-proposing gives every mentee the
best mentor they can have in any stable matching. Preferences are strict: a mentee ranks by
their own score of each mentor, then by mentor index; a mentor ranks by their own score of
each mentee, then by mentee index. So the result is the same whatever order proposals are
processed in, and the same for the same input.

Preference lists may be truncated (a mentee's top 20, say): a mentor not on a mentee's list
is not acceptable to that mentee.
"""

from __future__ import annotations

import heapq
from collections.abc import Sequence

import numpy as np


def deferred_acceptance(
    lists: Sequence[np.ndarray],
    mentor_scores: Sequence[np.ndarray],
    capacities: np.ndarray,
) -> np.ndarray:
    """The mentee-optimal stable assignment.

    :param lists: per mentee, mentor indices in order of preference (best first).
    :param mentor_scores: per mentee, aligned with ``lists``: how much that mentor wants
        this mentee (higher is better).
    :param capacities: how many mentees each mentor takes.
    :returns: per mentee, the mentor index, or -1 when unplaced.
    """
    n = len(lists)
    assigned = np.full(n, -1, dtype=np.int64)
    position = [0] * n
    # each mentor's held mentees as a min-heap on (mentor's score, -mentee): the worst on top
    held: list[list[tuple[float, int]]] = [[] for _ in range(len(capacities))]
    room = [int(c) for c in capacities]
    free = list(range(n - 1, -1, -1))
    plain_lists = [np.asarray(pref).tolist() for pref in lists]
    plain_scores = [np.asarray(score, dtype=float).tolist() for score in mentor_scores]
    while free:
        mentee = free.pop()
        choices, scores = plain_lists[mentee], plain_scores[mentee]
        while position[mentee] < len(choices):
            at = position[mentee]
            position[mentee] += 1
            mentor = choices[at]
            key = (scores[at], -mentee)
            heap = held[mentor]
            if len(heap) < room[mentor]:
                heapq.heappush(heap, key)
                assigned[mentee] = mentor
                break
            if heap and key > heap[0]:
                rejected = -heapq.heapreplace(heap, key)[1]
                assigned[mentee] = mentor
                assigned[rejected] = -1
                free.append(rejected)
                break
    return assigned


def blocking_pairs(
    lists: Sequence[np.ndarray],
    mentor_scores: Sequence[np.ndarray],
    capacities: np.ndarray,
    assigned: np.ndarray,
) -> list[tuple[int, int]]:
    """Every (mentee, mentor) pair that would both rather be together; empty when stable.

    Takes the inputs of :func:`deferred_acceptance` and any assignment (from any solver), and
    uses the same strict preferences: a mentee's list order, a mentor's score then the lower
    mentee index.
    """
    # each mentor's worst held mentee, as (score, -mentee); None when they have room
    worst: dict[int, tuple[float, int]] = {}
    count = np.bincount(assigned[assigned >= 0], minlength=len(capacities))
    for mentee, mentor in enumerate(assigned):
        if mentor < 0:
            continue
        at = int(np.flatnonzero(np.asarray(lists[mentee]) == mentor)[0])
        key = (float(mentor_scores[mentee][at]), -mentee)
        if mentor not in worst or key < worst[mentor]:
            worst[mentor] = key
    pairs = []
    for mentee, choices in enumerate(lists):
        choices = np.asarray(choices)
        current = assigned[mentee]
        for at, mentor in enumerate(choices.tolist()):
            if mentor == current:
                break  # the list is in preference order: the rest are worse than current
            key = (float(mentor_scores[mentee][at]), -mentee)
            if count[mentor] < capacities[mentor] or key > worst[mentor]:
                pairs.append((mentee, mentor))
    return pairs


def preference_lists(scores: np.ndarray, length: int | None = None,
                     forbidden: float = -1e12 / 2) -> list[np.ndarray]:
    """Each row's acceptable columns, best first (ties to the lower index), at most ``length``."""
    order = np.lexsort((np.broadcast_to(np.arange(scores.shape[1]), scores.shape), -scores),
                       axis=1)
    lists = []
    for row, ranked in zip(scores, order, strict=True):
        ranked = ranked[row[ranked] > forbidden]
        lists.append(ranked[:length] if length else ranked)
    return lists
