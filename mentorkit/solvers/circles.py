"""Circles: split peers into groups within a size range, mixing institutions, sharing topics.

Per stage (circles keep peers at a similar career stage), with G circles:

1. *Counting bound.* An institution with m members at that stage can appear in at most
   min(m, G) circles, so the circles can hold at most sum(min(m, G)) distinct
   (circle, institution) incidences, the *spread*; and it needs at least ceil(m / G) places
   in some circle, which must not exceed the cap.
2. *Construction.* People sorted by institution are dealt round the circles in turn, so each
   institution's members land in consecutive, different circles: the spread equals the bound,
   no circle holds more than ceil(m / G) of one institution, and sizes differ by at most one.
3. *Swap local search.* Two people in different circles swap when it raises the number of
   topic-sharing pairs and keeps every cap and the spread; the swap partner is sought in the
   circle whose members share most of the person's topics.
4. *History.* Pairs who were in a circle together before weigh ``history_weight`` each
   (negative: kept apart, which outweighs any topic; positive: kept together); a person who
   shares a circle with such a partner looks for a swap in every circle of the stage.

The result keeps the hard rules by construction (a test checks them on random instances) and
reports the spread against its bound.
"""

from __future__ import annotations

import math
import random
from collections import Counter
from collections.abc import Sequence

import attrs
import numpy as np


@attrs.frozen
class CirclesResult:
    circles: tuple[tuple[int, ...], ...]
    unplaced: dict[int, str]
    spread: int  # distinct (circle, institution) incidences
    spread_bound: int  # the counting bound on it
    topic_pairs: int  # pairs of circle members sharing a topic, counted per topic


def circle_count(n: int, smallest: int, largest: int, target: int) -> int:
    """How many circles n people make: near ``target`` size, within the range if possible."""
    fewest, most = math.ceil(n / largest), n // smallest
    if fewest > most:  # no split fits the range: fill as many full-size circles as fit
        return most
    return min(max(round(n / target), fewest), most)


def _topic_pairs(counts: np.ndarray) -> int:
    return int((counts * (counts - 1) // 2).sum())


class _Stage:
    """The circles of one stage, with per-circle institution and topic counts for fast
    swap evaluation."""

    def __init__(self, members: list[list[int]], institution: Sequence[int],
                 topics: Sequence[tuple[int, ...]], n_topics: int, cap: int,
                 partners: dict[int, set[int]] | None = None, weight: float = 0.0):
        self.members = members
        self.institution, self.topics, self.cap = institution, topics, cap
        self.partners, self.weight = partners or {}, weight
        self.where = {p: c for c, circle in enumerate(members) for p in circle}
        self.inst = [Counter(institution[p] for p in circle) for circle in members]
        self.topic_counts = np.zeros((len(members), max(n_topics, 1)), dtype=np.int64)
        for c, circle in enumerate(members):
            for p in circle:
                for t in topics[p]:
                    self.topic_counts[c, t] += 1

    def swap_gain(self, x: int, y: int) -> int | None:
        """Topic pairs gained by swapping x and y, or None if a cap or the spread would
        suffer."""
        a, b = self.where[x], self.where[y]
        ix, iy = self.institution[x], self.institution[y]
        if ix != iy:
            ia, ib = self.inst[a], self.inst[b]
            if ia[iy] + 1 > self.cap or ib[ix] + 1 > self.cap:
                return None
            lost = (ia[ix] == 1) + (ib[iy] == 1)
            won = (ia[iy] == 0) + (ib[ix] == 0)
            if won < lost:
                return None
        tx, ty = set(self.topics[x]), set(self.topics[y])
        ca, cb = self.topic_counts[a], self.topic_counts[b]
        gain = 0
        for t in tx ^ ty:  # topics both have leave both circles' counts unchanged
            if t in tx:  # x leaves a, joins b
                gain += (cb[t]) - (ca[t] - 1)
            else:  # y leaves b, joins a
                gain += (ca[t]) - (cb[t] - 1)
        if self.weight and (x in self.partners or y in self.partners):
            return int(gain) + self.weight * self._history_change(x, y, a, b)
        return int(gain)

    def _history_change(self, x: int, y: int, a: int, b: int) -> int:
        """How many more earlier pairs share a circle after x (in a) and y (in b) swap."""
        where, change = self.where, 0
        for person, old, new, other in ((x, a, b, y), (y, b, a, x)):
            for q in self.partners.get(person, ()):
                if q == other:
                    continue  # they swap places: still apart, or still together
                change += (where[q] == new) - (where[q] == old)
        return change

    def swap(self, x: int, y: int) -> None:
        a, b = self.where[x], self.where[y]
        for person, old, new in ((x, a, b), (y, b, a)):
            self.members[old].remove(person)
            self.members[new].append(person)
            self.where[person] = new
            self.inst[old][self.institution[person]] -= 1
            self.inst[new][self.institution[person]] += 1
            for t in self.topics[person]:
                self.topic_counts[old, t] -= 1
                self.topic_counts[new, t] += 1

    def settle_history(self, passes: int) -> None:
        """Each person beside an earlier partner (kept apart) or away from one (kept
        together) takes the best swap in the stage that improves the whole, if any; again
        until a pass changes nothing."""
        for _ in range(passes):
            if not self._settle_once():
                return

    def _settle_once(self) -> bool:
        moved = False
        for x in sorted(self.partners):
            best, partner = 0.0, None
            for circle, members in enumerate(self.members):
                if circle == self.where[x]:
                    continue
                for y in members:
                    gain = self.swap_gain(x, y)
                    if gain is not None and gain > best:
                        best, partner = gain, y
            if partner is not None:
                self.swap(x, partner)
                moved = True
        return moved

    def improve(self, rng: random.Random, passes: int) -> None:
        people = sorted(self.where)
        if self.weight:
            self.settle_history(passes)
        for _ in range(passes):
            rng.shuffle(people)
            improved = False
            for x in people:
                if not self.topics[x]:
                    continue
                affinity = self.topic_counts[:, list(self.topics[x])].sum(axis=1)
                affinity[self.where[x]] = -1
                target = int(affinity.argmax())
                gains = [(g, y) for y in self.members[target]
                         if (g := self.swap_gain(x, y)) is not None and g > 0]
                if gains:
                    self.swap(x, max(gains)[1])
                    improved = True
            if not improved:
                break


def _within_cap(people: list[int], institution: Sequence[int], most: int):
    """(kept, over): the first ``most`` of each institution, and the rest."""
    seen: Counter[int] = Counter()
    kept, over = [], []
    for p in people:
        seen[institution[p]] += 1
        (kept if seen[institution[p]] <= most else over).append(p)
    return kept, over


def _fit(people: list[int], institution: Sequence[int], smallest: int, largest: int,
         target: int, cap: int, unplaced: dict[int, str]) -> tuple[int, list[int]]:
    """How many circles one stage's people make and who is in them; everyone left out is
    put in ``unplaced`` with the reason."""
    g = circle_count(len(people), smallest, largest, target)
    if g == 0:
        for p in people:
            unplaced[p] = (f"only {len(people)} at this stage; a circle needs at least "
                           f"{smallest}")
        return 0, []
    while True:  # trimming to the cap can leave too few for g circles: shrink g and retry
        kept, over = _within_cap(people, institution, g * cap)
        fewer = circle_count(len(kept), smallest, largest, target)
        if fewer >= g or fewer == 0:
            break
        g = fewer
    for p in over:
        unplaced[p] = (f"more than {g * cap} from one institution at this stage "
                       f"({g} circle{'s' if g != 1 else ''} x at most {cap} each)")
    if g == 0 or len(kept) < smallest:
        for p in kept:
            unplaced[p] = "too few left at this stage for a circle within the caps"
        return 0, []
    room = g * largest
    for p in kept[room:]:
        unplaced[p] = f"{len(kept)} at this stage do not fit {g} circles of at most {largest}"
    return g, kept[:room]


def form_circles(
    stage: Sequence[int],
    institution: Sequence[int],
    topics: Sequence[tuple[int, ...]],
    smallest: int,
    largest: int,
    cap: int,
    target: int | None = None,
    seed: int = 0,
    passes: int = 8,
    history: Sequence[tuple[int, int]] = (),
    history_weight: float = 0.0,
) -> CirclesResult:
    """Circles of people 0..n-1, given integer codes for stage and institution and each
    person's topic codes; ``history`` pairs were in a circle together before, each weighing
    ``history_weight``. Unplaced people come back with the reason."""
    partners: dict[int, set[int]] = {}
    for a, b in history if history_weight else ():
        if stage[a] == stage[b]:
            partners.setdefault(a, set()).add(b)
            partners.setdefault(b, set()).add(a)
    target = target or (smallest + largest) // 2
    n_topics = 1 + max((t for ts in topics for t in ts), default=0)
    rng = random.Random(seed)
    circles: list[tuple[int, ...]] = []
    unplaced: dict[int, str] = {}
    spread = bound = pairs = 0
    by_stage: dict[int, list[int]] = {}
    for person, code in enumerate(stage):
        by_stage.setdefault(code, []).append(person)
    for code in sorted(by_stage):
        people = by_stage[code]
        members = Counter(institution[p] for p in people)
        g, kept = _fit(people, institution, smallest, largest, target, cap, unplaced)
        if g == 0:
            continue
        # deal institutions, largest first, round the circles
        size = Counter(institution[p] for p in kept)
        kept.sort(key=lambda p: (-size[institution[p]], institution[p], p))
        dealt: list[list[int]] = [[] for _ in range(g)]
        for position, p in enumerate(kept):
            dealt[position % g].append(p)
        placed = {p for circle in dealt for p in circle}
        state = _Stage(dealt, institution, topics, n_topics, cap,
                       {p: mine for p in placed if (mine := partners.get(p, set()) & placed)},
                       history_weight)
        state.improve(rng, passes)
        circles += [tuple(sorted(circle)) for circle in state.members]
        spread += sum(len([i for i, k in counts.items() if k]) for counts in state.inst)
        bound += sum(min(m, g) for m in members.values())
        pairs += sum(_topic_pairs(row) for row in state.topic_counts)
    return CirclesResult(tuple(circles), unplaced, spread, bound, pairs)
