"""The stable matching methods of the matching benchmark (benchmarks/run.py): mentorkit's
deferred acceptance, serial dictatorship, and the `matching` package on the same preferences."""

from __future__ import annotations

import sys
import time

import numpy as np

from benchmarks import instances
from benchmarks.instances import BLOCK
from mentorkit.solvers.stable import blocking_pairs, deferred_acceptance


def _stable_input(n, m, length):
    inst = instances.bipartite(n, m)
    lists, mentor_scores = [], []
    for start in range(0, n, BLOCK):
        stop = min(start + BLOCK, n)
        mine = np.where(inst.forbidden(start, stop), -np.inf, inst.mentee_utility(start, stop))
        theirs = inst.mentor_utility(start, stop)
        top = np.argpartition(-mine, length - 1, axis=1)[:, :length]
        order = np.argsort(-np.take_along_axis(mine, top, axis=1), axis=1, kind="stable")
        top = np.take_along_axis(top, order, axis=1)
        for r, ranked in enumerate(top):
            ranked = ranked[np.isfinite(mine[r, ranked])]
            lists.append(ranked)
            mentor_scores.append(theirs[r, ranked])
    return lists, mentor_scores


def _stable_metrics(lists, mentor_scores, capacities, assigned):
    blocking = blocking_pairs(lists, mentor_scores, capacities, assigned)
    ranks = [int(np.flatnonzero(lists[i] == j)[0]) + 1 for i, j in enumerate(assigned) if j >= 0]
    load = np.bincount(assigned[assigned >= 0], minlength=len(capacities))
    return {"blocking": len(blocking), "unmatched": int((assigned < 0).sum()),
            "violations": int(np.maximum(load - capacities, 0).sum()),
            "worst": -float(max(ranks)), "p10": -float(np.percentile(ranks, 90))}


def stable_ours(n, m, capacity, length):
    lists, mentor_scores = _stable_input(n, m, length)
    capacities = np.full(m, capacity)
    began = time.perf_counter()
    assigned = deferred_acceptance(lists, mentor_scores, capacities)
    elapsed = time.perf_counter() - began
    return {"time": elapsed, **_stable_metrics(lists, mentor_scores, capacities, assigned)}


def stable_greedy(n, m, capacity, length):
    """Serial dictatorship: mentees in sign-up order take their best mentor with room."""
    lists, mentor_scores = _stable_input(n, m, length)
    capacities = np.full(m, capacity)
    began = time.perf_counter()
    room = capacities.copy()
    assigned = np.full(n, -1)
    for i, ranked in enumerate(lists):
        for j in ranked:
            if room[j] > 0:
                assigned[i], room[j] = j, room[j] - 1
                break
    elapsed = time.perf_counter() - began
    return {"time": elapsed, **_stable_metrics(lists, mentor_scores, capacities, assigned)}


def stable_matching_package(n, m, capacity, length):
    """The `matching` package's hospital-resident solver on the same preferences."""
    from matching.games import HospitalResident

    lists, mentor_scores = _stable_input(n, m, length)
    capacities = np.full(m, capacity)
    applicants: list[list[tuple[float, int]]] = [[] for _ in range(m)]
    for i, (ranked, scores) in enumerate(zip(lists, mentor_scores, strict=True)):
        for j, s in zip(ranked.tolist(), scores.tolist(), strict=True):
            applicants[j].append((s, -i))
    began = time.perf_counter()
    game = HospitalResident.create_from_dictionaries(
        {i: ranked.tolist() for i, ranked in enumerate(lists)},
        {j: [-i for _, i in sorted(a, reverse=True)] for j, a in enumerate(applicants) if a},
        {j: capacity for j in range(m) if applicants[j]})
    solved = game.solve(optimal="resident")
    elapsed = time.perf_counter() - began
    assigned = np.full(n, -1)
    for hospital, residents in solved.items():
        for resident in residents:
            assigned[resident.name] = hospital.name
    return {"time": elapsed, **_stable_metrics(lists, mentor_scores, capacities, assigned)}


def stable_matching_package_deep(n, m, capacity, length):
    """The same, with Python's recursion limit raised and a large thread stack, which is what
    it takes for the package to run at this size."""
    import threading

    sys.setrecursionlimit(1_000_000)
    threading.stack_size(1024 * 1024 * 1024)
    result: dict = {}

    def work():
        try:
            result.update(stable_matching_package(n, m, capacity, length))
        except BaseException as error:
            result["error"] = f"{type(error).__name__}: {str(error)[:60]}"

    thread = threading.Thread(target=work)
    thread.start()
    thread.join()
    return result
