"""One-to-one matching: each mentee with one mentor, a mentor taking up to ``capacity``;
best total fit, or stable (mentee-proposing deferred acceptance)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Literal

import attrs

from mentorkit import (
    Constraint,
    Criterion,
    MatchPool,
    MatchResult,
    Problem,
    ScoredMatcher,
    criteria_lines,
    lazy,
    pin_notes,
)
from mentorkit.solvers.scoring import Scorer

# the solvers load when a matcher runs, not with the plugin registry (start-up time)
np = lazy("numpy")
assignment = lazy("mentorkit.solvers.assignment")
matrix = lazy("mentorkit.solvers.matrix")
prices = lazy("mentorkit.solvers.prices")
stable = lazy("mentorkit.solvers.stable")

DENSE_LIMIT = 4_000_000  # mentees x mentor places up to which best fit uses the full matrix
PRICED_LIMIT = 100_000_000  # mentees x mentors up to which the score matrix is held (float32)


@attrs.frozen
class OneToOneParams:
    mentee_roles: list[str]
    mentor_roles: list[str]
    capacity: int = 1
    mode: Literal["best-fit", "stable"] = "best-fit"
    candidates: int = 10  # best fit on large pools: first-round candidates per mentee/mentor
    preference_length: int = 0  # stable: how many mentors each mentee ranks (0: all)
    criteria: list[Criterion] = attrs.field(factory=list)
    constraints: list[Constraint] = attrs.field(factory=list)


def _ordinal(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


class OneToOne(ScoredMatcher):
    """Pairs each mentee with one mentor; a mentor takes up to `capacity` mentees."""

    name = "one-to-one"
    Params = OneToOneParams
    shapes = ("pair",)

    def problems(self) -> Iterable[Problem]:
        yield from super().problems()
        yield from self.missing_roles("mentee_roles", "mentor_roles")
        yield from self.below_one("capacity", "candidates")
        if self.params.preference_length < 0:
            yield Problem("preference_length", "must be 0 (rank everyone) or more")

    def describe(self) -> list[str]:
        p = self.params
        lines = [
            f"One-to-one: each mentee ({', '.join(p.mentee_roles)}) gets one mentor "
            f"({', '.join(p.mentor_roles)}); each mentor takes at most {p.capacity}.",
            "Mentors left without a mentee are reported as available, not as failures.",
        ]
        if p.mode == "stable":
            ranked = f"their {p.preference_length} best" if p.preference_length else "all"
            lines.append(
                f"Stable matching: mentees rank {ranked} compatible mentors by their own "
                "score, mentors rank mentees by theirs; no mentee and mentor would both rather "
                "have each other than what they got (mentee-proposing deferred acceptance).")
        else:
            lines.append(
                "Best total fit: as many mentees as the hard rules allow are placed; among "
                "those assignments the one with the highest total fit score is chosen.")
        return lines + criteria_lines(p)

    def match(self, pool: MatchPool) -> MatchResult:
        scorer = self.scorer()
        people = sorted(pool.people, key=lambda person: person.id)
        taken = pool.occupied
        mentees = [p for p in people if p.role in self.params.mentee_roles and not taken.get(p.id)]
        mentors = [p for p in people if p.role in self.params.mentor_roles
                   and taken.get(p.id, 0) < self.params.capacity]
        capacities = np.array([self.params.capacity - taken.get(p.id, 0) for p in mentors],
                              dtype=int)
        pairs, extra = self._pinned(pool, mentees, mentors, capacities)
        pinned = {i for i, _ in pairs}
        free = [i for i in range(len(mentees)) if i not in pinned]
        if self.params.mode == "stable":
            found, why, more = self._stable(scorer, pool, [mentees[i] for i in free], mentors,
                                            capacities)
        else:
            found, more = self._best_fit(scorer, pool, [mentees[i] for i in free], mentors,
                                         capacities)
            why = {}
        pairs += [(free[i], j) for i, j in found]
        extra.update({free[i]: text for i, text in why.items()})
        notes = list(more)
        groups = tuple(
            self.make_group(scorer, [(mentors[j], "mentor"), (mentees[i], "mentee")], "pair",
                            extra=extra.get(i, ()))
            for i, j in sorted(pairs, key=lambda pair: (pair[1], pair[0]))
        )
        placed = {i for i, _ in pairs}
        capacity_text = (f"capacity exhausted: {len(mentors)} mentors x {self.params.capacity} "
                         f"places for {len(mentees)} mentees")
        unmatched = {
            mentee.id: self.why_unmatched(scorer, mentee, mentors, capacity_text, pool)
            for i, mentee in enumerate(mentees) if i not in placed
        }
        used = {j for _, j in pairs}
        idle = sum(1 for j, m in enumerate(mentors) if not taken.get(m.id) and j not in used)
        if idle:
            notes.append(f"{idle} of {len(mentors)} mentors have no mentee this cycle "
                         "(available)")
        return MatchResult(groups, unmatched, tuple(notes + pin_notes(groups, pool)))

    def conflicts(self, groups, pool):
        """Mentors with more mentees than the capacity allows."""
        over = [p for p in pool.people if p.role in self.params.mentor_roles
                and pool.occupied.get(p.id, 0) > self.params.capacity]
        return [f"{len(over)} mentor(s) have more mentees than capacity = "
                f"{self.params.capacity} (up to {max(pool.occupied[p.id] for p in over)})"
                ] if over else []

    def relationships(self, members):
        """A pair is one relationship: its mentor and its mentee."""
        mentors = [m.person_id for m in members if m.role == "mentor"]
        mentees = [m.person_id for m in members if m.role == "mentee"]
        return [(mentor, mentee) for mentor in mentors for mentee in mentees]

    def _pinned(self, pool, mentees, mentors, capacities):
        """Pairs pinned by an administrator are placed first, using up mentor places."""
        pairs: list[tuple[int, int]] = []
        extra: dict[int, tuple[str, ...]] = {}
        if not pool.pinned:
            return pairs, extra
        mentee_at = {p.id: i for i, p in enumerate(mentees)}
        mentor_at = {p.id: j for j, p in enumerate(mentors)}
        for pair in sorted(pool.pinned, key=sorted):
            ids = sorted(pair)
            for a, b in (ids, ids[::-1]):
                i, j = mentee_at.get(a), mentor_at.get(b)
                if (i is not None and j is not None and capacities[j] > 0
                        and pair not in pool.forbidden and i not in extra):
                    pairs.append((i, j))
                    capacities[j] -= 1
                    extra[i] = ("pinned by an administrator",)
        return pairs, extra

    def _best_fit(self, scorer: Scorer, pool, mentees, mentors, capacities):
        places = int(capacities.sum())
        if len(mentees) * places <= DENSE_LIMIT:
            scores = self.score_matrix(scorer, mentees, mentors, pool)
            return assignment.assign(scores, capacities), []
        k = self.params.candidates
        if len(mentees) * len(mentors) <= PRICED_LIMIT:
            scores = np.vstack([self.score_matrix(scorer, mentees[s:s + 1024], mentors, pool)
                                .astype(np.float32) for s in range(0, len(mentees), 1024)])
            found = prices.best_fit(scores, capacities, candidates=k)
            if found.types:
                return found.pairs, [
                    f"best fit between {found.types[0]} mentee and {found.types[1]} mentor "
                    "types (people whose scores are identical are interchangeable); exact"]
            proof = ("proved optimal: under the mentor prices no other pair could improve it"
                     if found.proved_optimal else "not proved optimal (the rounds ran out); "
                     "the best found is shown")
            return found.pairs, [f"best fit over {found.candidates} candidate pairs in "
                                 f"{found.rounds} rounds; " + proof]
        rows, cols, scores = matrix.top_candidates(scorer, mentees, mentors, k, column_k=k)
        for e in range(len(rows)) if pool.forbidden or pool.history_weight else ():
            pair = frozenset((mentees[rows[e]].id, mentors[cols[e]].id))
            if pair in pool.forbidden:  # pinned pairs are placed already
                scores[e] = assignment.FORBIDDEN
            else:
                scores[e] += pool.earlier(*pair)
        notes = [f"best fit over each mentee's {k} best-scoring mentors and each mentor's {k} "
                 f"best-scoring mentees (of {len(mentors)} x {len(mentees)}); exact on those "
                 "candidates, not proved optimal overall (pool too large to price)"]
        return assignment.assign_sparse(rows, cols, scores, len(mentees), capacities), notes

    def _stable(self, scorer: Scorer, pool, mentees, mentors, capacities):
        mentee_view = self.score_matrix(scorer, mentees, mentors, pool, directed=True)
        mentor_view = self.score_matrix(scorer, mentors, mentees, pool, directed=True).T
        lists = stable.preference_lists(mentee_view, self.params.preference_length or None)
        mentor_scores = [mentor_view[i, ranked] for i, ranked in enumerate(lists)]
        assigned = stable.deferred_acceptance(lists, mentor_scores, capacities)
        pairs = [(i, int(j)) for i, j in enumerate(assigned) if j >= 0]
        why = {}
        for i, j in pairs:
            rank = int(np.flatnonzero(lists[i] == j)[0]) + 1
            why[i] = (f"stable match: the mentee's {_ordinal(rank)} choice",)
        notes = ["stable matching: no mentee and mentor would both rather be together"]
        return pairs, why, notes
