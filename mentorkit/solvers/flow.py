"""Best fit over candidate pairs as a min-cost flow, with the potentials that prove it optimal.

Why OR-Tools: scipy has no min-cost flow, and its sparse LAPJVsp needs a mentor of capacity k
copied k times; on a 10,000-mentee candidate graph it took 1.7 s where OR-Tools' cost-scaling
flow takes about 0.15 s, which is what makes exact best fit on large pools fast.

Why potentials here: an optimal flow is proved optimal *over every pair*, not only over the
candidates, by node potentials under which no pair has negative reduced cost. OR-Tools does
not return them; they are the shortest distances in the residual graph of the optimal flow,
computed by Bellman-Ford. scipy's ``bellman_ford`` takes seconds on this graph (it does not stop
early); the vectorised form below stops at the fixed point, in about 0.1 s.

Costs are integers (cost scaling needs them): scores are scaled by a power of two, so the
result is exact for scores rounded to ``1 / scale``: a trillionth of their span (2^-40) on any
pool the matcher prices. Where every score lies on a coarse grid (integer weights times
overlaps in sixths, say: :func:`grid_of`), the grid itself is the scale: the integers are
then the scores exactly, and cost scaling, whose work grows with the logarithm of the
largest cost, runs about twice as fast.
"""

from __future__ import annotations

import attrs
import numpy as np
from ortools.graph.python import min_cost_flow

# Every integer stays below 2^60: OR-Tools' cost scaling multiplies costs by the node count,
# and a potential is at most the unplaced cost plus a span per node on a simple path.
_HEADROOM = 2.0**60
_FINEST = 2.0**40  # span / 2^40: far finer than any difference a score can mean


@attrs.frozen
class Integers:
    """How scores become integer costs: round((score - low) * scale)."""

    low: float
    high: float
    scale: float  # a power of two, so score * scale is exact in floating point
    unplaced: int  # the cost of leaving a mentee out: more than any exchange can gain

    def of(self, scores: np.ndarray) -> np.ndarray:
        return np.floor((scores.astype(np.float64) - self.low) * self.scale + 0.5).astype(
            np.int64)


# Grids tried, smallest first: a program's scores are sums of integer or decimal weights
# times shares with small denominators. 2520 = lcm(1..10).
GRIDS = (1, 2, 3, 4, 5, 6, 8, 10, 12, 20, 24, 30, 60, 100, 120, 360, 840, 2520)
_ON_GRID = 2.0**-10  # how near a multiple of 1/grid a single-precision score must lie
_GRID_RANGE = 2.0**13  # |score| * grid beyond which single precision cannot show the grid


def grid_of(values: np.ndarray) -> int | None:
    """The smallest g in GRIDS with every value a multiple of 1/g, or None."""
    values = np.unique(np.asarray(values, np.float64))
    for grid in GRIDS:
        if np.abs(values).max(initial=0) * grid < _GRID_RANGE and on_grid(values, grid):
            return grid
    return None


def on_grid(block: np.ndarray, grid: int) -> bool:
    """Whether every value in ``block`` is a multiple of 1 / grid (to single precision)."""
    scaled = block * np.float32(grid)
    return bool(np.abs(scaled - np.rint(scaled)).max(initial=0) <= _ON_GRID)


def integers_for(low: float, high: float, n_rows: int, n_cols: int, places: int,
                 grid: int | None = None) -> Integers:
    """The finest scale for scores in [low, high] at which the flow cannot overflow, or
    ``grid`` when every score is known to be a multiple of 1 / grid (then exact).

    Placing one more mentee changes at most min(mentees, places) + 1 pairs, so a cost of
    leaving one out above that many spans makes placing come first (the lexicographic goal).
    """
    span = max(high - low, 1e-12)
    chain = min(n_rows, places) + 2
    budget = min(_HEADROOM / (chain + n_rows + n_cols + 2), _FINEST)
    scale = 2.0 ** np.floor(np.log2(budget / span))
    if grid is not None and grid <= scale:
        scale = grid
    return Integers(low, high, float(scale), int(np.ceil(span * scale + 1)) * chain)


@attrs.frozen
class Flow:
    """An optimal flow over candidate pairs and its proof data.

    ``matched[e]``: candidate pair e is used. Potentials: a pair (i, j) outside the
    candidates cannot improve the flow iff ``cost(i, j) + row[i] - col[j] >= 0``.
    """

    matched: np.ndarray
    row_potential: np.ndarray
    col_potential: np.ndarray


def solve(rows: np.ndarray, cols: np.ndarray, costs: np.ndarray, n_rows: int,
          capacities: np.ndarray, unplaced: int) -> Flow:
    """Min-cost assignment of as many rows as possible to columns (cost ``costs[e]`` for
    candidate e, at most capacities[j] rows on column j); leaving a row out costs
    ``unplaced``, which only the potentials need: OR-Tools' max flow of min cost places first
    by itself, twice as fast as a flow with costly "unplaced" arcs."""
    n_cols = len(capacities)
    sink = n_rows + n_cols
    tails = np.concatenate([rows, n_rows + np.arange(n_cols)])
    heads = np.concatenate([n_rows + cols, np.full(n_cols, sink)])
    caps = np.concatenate([np.ones(len(rows), np.int64), np.asarray(capacities, np.int64)])
    arc_costs = np.concatenate([costs, np.zeros(n_cols, np.int64)])
    flow = min_cost_flow.SimpleMinCostFlow()
    flow.add_arcs_with_capacity_and_unit_cost(tails.astype(np.int32), heads.astype(np.int32),
                                              caps, arc_costs)
    supplies = np.zeros(sink + 1, np.int64)
    supplies[:n_rows] = 1
    supplies[sink] = -n_rows
    flow.set_nodes_supplies(np.arange(sink + 1, dtype=np.int32), supplies)
    status = flow.solve_max_flow_with_min_cost()
    if status != flow.OPTIMAL:
        raise RuntimeError(f"min-cost flow failed: {status}")
    used = flow.flows(np.arange(len(tails)))
    placed = np.zeros(n_rows, bool)
    placed[rows[used[:len(rows)] > 0]] = True
    # residual arcs, with each row's "unplaced" arc to the sink: unused if placed, else used
    forward, backward = used < caps, used > 0
    out, back = np.flatnonzero(placed), np.flatnonzero(~placed)
    distance = shortest_distances(
        np.concatenate([tails[forward], heads[backward], out, np.full(len(back), sink)]),
        np.concatenate([heads[forward], tails[backward], np.full(len(out), sink), back]),
        np.concatenate([arc_costs[forward], -arc_costs[backward],
                        np.full(len(out), unplaced), np.full(len(back), -unplaced)]),
        sink + 1)
    return Flow(used[:len(rows)] > 0, distance[:n_rows], distance[n_rows:sink])


def shortest_distances(tails: np.ndarray, heads: np.ndarray, costs: np.ndarray,
                       n_nodes: int) -> np.ndarray:
    """Potentials with ``d[head] <= d[tail] + cost`` on every arc, all <= 0: the distances
    from a root joined to every node at cost 0, by Bellman-Ford.

    Each round relaxes only the arcs out of nodes that changed in the last one. The residual
    graph of an optimal flow has no negative cycle, so the rounds stop.
    """
    order = np.argsort(tails, kind="stable")
    tails, heads, costs = tails[order], heads[order], costs[order]
    first_arc = np.searchsorted(tails, np.arange(n_nodes + 1))
    distance = np.zeros(n_nodes, np.int64)
    changed = np.arange(n_nodes)
    for _ in range(n_nodes + 1):
        lo, count = first_arc[changed], first_arc[changed + 1] - first_arc[changed]
        arcs = np.repeat(lo - np.cumsum(count) + count, count) + np.arange(count.sum())
        reach = distance[tails[arcs]] + costs[arcs]
        better = reach < distance[heads[arcs]]
        if not better.any():
            return distance
        np.minimum.at(distance, heads[arcs][better], reach[better])
        touched = np.zeros(n_nodes, bool)  # (np.unique hashes: slower at this size)
        touched[heads[arcs][better]] = True
        changed = np.flatnonzero(touched)
    raise RuntimeError("negative cycle in the residual graph: the flow was not optimal")
