"""Partition: split people into groups within a size range, one category (a career stage) per
group, at most ``cap`` of one label (an institution) per group and labels spread over as many
groups as possible, then as many shared tags (topics) as swaps find. A plugin's peer groups are
formed with it.

Per category, with G groups:

1. *Counting bound.* A label with m members in that category can appear in at most
   min(m, G) groups, so the groups can hold at most sum(min(m, G)) distinct
   (group, label) incidences, the *spread*; and it needs at least ceil(m / G) places
   in some group, which must not exceed the cap.
2. *Construction.* People sorted by label are dealt round the groups in turn, so each
   label's members land in consecutive, different groups: the spread equals the bound,
   no group holds more than ceil(m / G) of one label, and sizes differ by at most one.
3. *Swap local search.* Two people in different groups swap when it raises the number of
   tag-sharing pairs and keeps every cap and the spread; the swap partner is sought in the
   group whose members share most of the person's tags.
4. *History.* Pairs who were in a group together before weigh ``history_weight`` each
   (negative: kept apart, which outweighs any tag; positive: kept together); a person who
   shares a group with such a partner looks for a swap in every group of the category.

The result keeps the hard rules by construction (a test checks them on random instances) and
reports the spread against its bound. ``unit`` is the word the reasons use for a group.
"""

from __future__ import annotations

import math
import random
from collections import Counter
from collections.abc import Sequence

import attrs
import numpy as np


@attrs.frozen
class Partition:
    groups: tuple[tuple[int, ...], ...]
    unplaced: dict[int, str]
    spread: int  # distinct (group, institution) incidences
    spread_bound: int  # the counting bound on it
    topic_pairs: int  # pairs of group members sharing a topic, counted per topic


def group_count(n: int, smallest: int, largest: int, target: int) -> int:
    """How many groups n people make: near ``target`` size, within the range if possible."""
    fewest, most = math.ceil(n / largest), n // smallest
    if fewest > most:  # no split fits the range: fill as many full-size groups as fit
        return most
    return min(max(round(n / target), fewest), most)


def _topic_pairs(counts: np.ndarray) -> int:
    return int((counts * (counts - 1) // 2).sum())


class _Stage:
    """The groups of one stage, with per-group institution and topic counts for fast
    swap evaluation."""

    def __init__(self, members: list[list[int]], institution: Sequence[int],
                 topics: Sequence[tuple[int, ...]], n_topics: int, cap: int,
                 partners: dict[int, set[int]] | None = None, weight: float = 0.0):
        self.members = members
        self.institution, self.topics, self.cap = institution, topics, cap
        self.partners, self.weight = partners or {}, weight
        self.spare: list[int] = []  # the stage's unplaced people: a swap may bring one in
        self.where = {p: c for c, group in enumerate(members) for p in group}
        self.inst = [Counter(institution[p] for p in group) for group in members]
        self.topic_counts = np.zeros((len(members), max(n_topics, 1)), dtype=np.int64)
        for c, group in enumerate(members):
            for p in group:
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
        for t in tx ^ ty:  # topics both have leave both groups' counts unchanged
            if t in tx:  # x leaves a, joins b
                gain += (cb[t]) - (ca[t] - 1)
            else:  # y leaves b, joins a
                gain += (ca[t]) - (cb[t] - 1)
        if self.weight and (x in self.partners or y in self.partners):
            return int(gain) + self.weight * self._history_change(x, y, a, b)
        return int(gain)

    def _history_change(self, x: int, y: int, a: int, b: int) -> int:
        """How many more earlier pairs share a group after x (in a) and y (in b) swap."""
        where, change = self.where, 0
        for person, old, new, other in ((x, a, b, y), (y, b, a, x)):
            for q in self.partners.get(person, ()):
                if q == other:
                    continue  # they swap places: still apart, or still together
                change += (where.get(q) == new) - (where.get(q) == old)  # q may be left out
        return change

    def spare_gain(self, x: int, y: int) -> float | None:
        """What the whole gains when unplaced ``y`` takes placed ``x``'s place; only someone
        of the same institution, so every cap and the spread stay as they are."""
        if self.institution[x] != self.institution[y]:
            return None
        a, counts = self.where[x], self.topic_counts[self.where[x]]
        tx, ty = set(self.topics[x]), set(self.topics[y])
        gain = sum(int(counts[t]) for t in ty - tx) - sum(int(counts[t]) - 1 for t in tx - ty)
        earlier = (sum(1 for q in self.partners.get(y, ()) if self.where.get(q) == a and q != x)
                   - sum(1 for q in self.partners.get(x, ()) if self.where.get(q) == a))
        return gain + self.weight * earlier

    def take_in(self, x: int, y: int) -> None:
        """Unplaced ``y`` takes placed ``x``'s place, and ``x`` is unplaced instead."""
        a = self.where.pop(x)
        self.members[a][self.members[a].index(x)] = y
        self.where[y] = a
        for t in self.topics[x]:
            self.topic_counts[a, t] -= 1
        for t in self.topics[y]:
            self.topic_counts[a, t] += 1
        self.spare[self.spare.index(y)] = x

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
            if x not in self.where:
                continue  # unplaced now
            best, partner, spare = 0.0, None, False
            for group, members in enumerate(self.members):
                if group == self.where[x]:
                    continue
                for y in members:
                    gain = self.swap_gain(x, y)
                    if gain is not None and gain > best:
                        best, partner, spare = gain, y, False
            for y in self.spare:  # someone left out may take the place instead
                gain = self.spare_gain(x, y)
                if gain is not None and gain > best:
                    best, partner, spare = gain, y, True
            if partner is not None:
                (self.take_in if spare else self.swap)(x, partner)
                moved = True
        return moved

    def improve(self, rng: random.Random, passes: int) -> None:
        if self.weight:
            self.settle_history(passes)
        people = sorted(self.where)  # after the history swaps: who is placed now
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
         target: int, cap: int, unplaced: dict[int, str],
         unit: str = "group") -> tuple[int, list[int]]:
    """How many groups one stage's people make and who is in them; everyone left out is
    put in ``unplaced`` with the reason."""
    g = group_count(len(people), smallest, largest, target)
    if g == 0:
        for p in people:
            unplaced[p] = (f"only {len(people)} at this stage; a {unit} needs at least "
                           f"{smallest}")
        return 0, []
    while True:  # trimming to the cap can leave too few for g groups: shrink g and retry
        kept, over = _within_cap(people, institution, g * cap)
        fewer = group_count(len(kept), smallest, largest, target)
        if fewer >= g or fewer == 0:
            break
        g = fewer
    for p in over:
        unplaced[p] = (f"more than {g * cap} from one institution at this stage "
                       f"({g} {unit}{'s' if g != 1 else ''} x at most {cap} each)")
    if g == 0 or len(kept) < smallest:
        for p in kept:
            unplaced[p] = f"too few left at this stage for a {unit} within the caps"
        return 0, []
    room = g * largest
    for p in kept[room:]:
        unplaced[p] = f"{len(kept)} at this stage do not fit {g} {unit}s of at most {largest}"
    return g, kept[:room]


def partition(
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
    unit: str = "group",
) -> Partition:
    """Groups of people 0..n-1, given integer codes for stage and institution and each
    person's topic codes; ``history`` pairs were in a group together before, each weighing
    ``history_weight``. Unplaced people come back with the reason."""
    partners: dict[int, set[int]] = {}
    for a, b in history if history_weight else ():
        if stage[a] == stage[b]:
            partners.setdefault(a, set()).add(b)
            partners.setdefault(b, set()).add(a)
    target = target or (smallest + largest) // 2
    n_topics = 1 + max((t for ts in topics for t in ts), default=0)
    rng = random.Random(seed)
    groups: list[tuple[int, ...]] = []
    unplaced: dict[int, str] = {}
    spread = bound = pairs = 0
    by_stage: dict[int, list[int]] = {}
    for person, code in enumerate(stage):
        by_stage.setdefault(code, []).append(person)
    for code in sorted(by_stage):
        people = by_stage[code]
        members = Counter(institution[p] for p in people)
        g, kept = _fit(people, institution, smallest, largest, target, cap, unplaced, unit)
        if g == 0:
            continue
        # deal institutions, largest first, round the groups
        size = Counter(institution[p] for p in kept)
        kept.sort(key=lambda p: (-size[institution[p]], institution[p], p))
        dealt: list[list[int]] = [[] for _ in range(g)]
        for position, p in enumerate(kept):
            dealt[position % g].append(p)
        state = _Stage(dealt, institution, topics, n_topics, cap,
                       {p: mine for p in people if (mine := partners.get(p, set()))},
                       history_weight)
        left_out = [p for p in people if p in unplaced]
        state.spare = list(left_out)
        state.improve(rng, passes)
        # who made room for someone left out before takes their reason (same institution)
        came_in = [p for p in left_out if p in state.where]
        went_out = [p for p in people if p not in state.where and p not in unplaced]
        for person, why in zip(went_out, [unplaced.pop(p) for p in came_in], strict=True):
            unplaced[person] = why
        groups += [tuple(sorted(group)) for group in state.members]
        spread += sum(len([i for i, k in counts.items() if k]) for counts in state.inst)
        bound += sum(min(m, g) for m in members.values())
        pairs += sum(_topic_pairs(row) for row in state.topic_counts)
    return Partition(tuple(groups), unplaced, spread, bound, pairs)
