"""Core matchers: one-to-one with capacities (best fit or stable), and triads with fallback."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Literal

import attrs

from mentorkit.concerns import MatchPool, MatchResult, Person, Problem, ProposedGroup
from mentorkit.hookspecs import hookimpl
from mentorkit.lazy import lazy
from mentorkit.matching.base import (
    Opening,
    ScoredMatcher,
    criteria_lines,
    pin_notes,
    role_problems,
)
from mentorkit.matching.scoring import Constraint, Criterion, Scorer

# the solvers load when a matcher runs, not with the plugin registry (start-up time)
np = lazy("numpy")
assignment = lazy("mentorkit.matching.assignment")
matrix = lazy("mentorkit.matching.matrix")
prices = lazy("mentorkit.matching.prices")
stable = lazy("mentorkit.matching.stable")
triad_solver = lazy("mentorkit.matching.triads")

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

    def problems(self) -> Iterable[Problem]:
        yield from super().problems()
        yield from role_problems(self, self.params.mentee_roles, "mentee_roles")
        yield from role_problems(self, self.params.mentor_roles, "mentor_roles")
        for name in ("capacity", "candidates"):
            if getattr(self.params, name) < 1:
                yield Problem(name, f"must be at least 1, got {getattr(self.params, name)}")
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
        for e in range(len(rows)) if pool.forbidden else ():  # pinned pairs are placed already
            if frozenset((mentees[rows[e]].id, mentors[cols[e]].id)) in pool.forbidden:
                scores[e] = assignment.FORBIDDEN
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


@attrs.frozen
class TriadParams:
    roles: list[str]  # the three roles of a triad, the most junior first
    fallback_to_pairs: bool = True
    pair_preference_field: str = ""  # a boolean field: this mentor prefers a pair to a triad
    criteria: list[Criterion] = attrs.field(factory=list)
    constraints: list[Constraint] = attrs.field(factory=list)


BOUND_LIMIT = 30_000_000  # triples up to which a heuristic result reports its upper bound


class Triads(ScoredMatcher):
    """Groups of one person of each of three roles; leftovers fall back to pairs, with why."""

    name = "triads"
    Params = TriadParams

    def problems(self) -> Iterable[Problem]:
        yield from super().problems()
        yield from role_problems(self, self.params.roles, "roles")
        if len(self.params.roles) != 3 or len(set(self.params.roles)) != 3:
            yield Problem("roles", "name exactly three different roles")
        field = self.params.pair_preference_field
        if field and (self.program.field(field) is None
                      or self.program.field(field).type != "boolean"):
            yield Problem("pair_preference_field", f"no boolean intake field named {field!r}")

    def describe(self) -> list[str]:
        junior, middle, senior = self.params.roles
        lines = [f"Triads: one {junior}, one {middle} and one {senior} per group; as many "
                 "triads as the rules allow, then the highest total fit (exact for small "
                 "pools, otherwise a heuristic that reports its distance from an upper bound)."]
        if self.params.fallback_to_pairs:
            lines.append("When numbers or a mentor's preference do not allow a triad, a pair "
                         "is formed instead, and the summary says which groups fell back and why.")
        if self.params.pair_preference_field:
            lines.append(f"A mentor who answers yes to {self.params.pair_preference_field!r} "
                         "is matched in a pair.")
        return lines + criteria_lines(self.params)

    def match(self, pool: MatchPool) -> MatchResult:
        scorer = self.scorer()
        people = sorted(pool.free(), key=lambda person: person.id)
        junior_role, middle_role, senior_role = self.params.roles
        by_role = {role: [p for p in people if p.role == role] for role in self.params.roles}
        prefers_pair = self.params.pair_preference_field
        seniors = [p for p in by_role[senior_role] if not (prefers_pair and p.value(prefers_pair))]
        pair_seniors = [p for p in by_role[senior_role] if p not in seniors]
        juniors, middles = by_role[junior_role], by_role[middle_role]

        def matrix(a, b):
            return self.score_matrix(scorer, a, b, pool)

        ab, ac, bc = matrix(juniors, middles), matrix(juniors, seniors), matrix(middles, seniors)
        solution = triad_solver.solve(ab, ac, bc)
        groups = [self.make_group(scorer, [(juniors[i], junior_role), (middles[j], middle_role),
                                           (seniors[k], senior_role)], "triad")
                  for i, j, k in solution.triads]
        notes = [self._quality_note(solution, ab, ac, bc)] if solution.triads else []
        in_triads = {p.id for i, j, k in solution.triads
                     for p in (juniors[i], middles[j], seniors[k])}
        unmatched: dict[int, str] = {}
        spare = [p for p in people if p.role in self.params.roles and p.id not in in_triads]
        if self.params.fallback_to_pairs:
            groups += self._fallback_pairs(scorer, pool, spare, pair_seniors)
        grouped = {m.person_id for g in groups for m in g.members}
        for person in spare:
            if person.id not in grouped:
                unmatched[person.id] = self._why_alone(person, spare, grouped)
        triads = sum(1 for g in groups if g.shape == "triad")
        notes.insert(0, f"{triads} triads and {len(groups) - triads} fallback pairs")
        return MatchResult(tuple(groups), unmatched, tuple(notes + pin_notes(groups, pool)))

    def opening(self, group, members, person):
        """A triad missing this person's role takes them (a fallback pair becomes a triad);
        a pair whose mentor prefers a pair does not."""
        if group.shape not in ("triad", "pair") or person.role not in self.params.roles:
            return None
        present = [m.role for m in group.members]
        if person.role in present or len(present) >= 3:
            return None
        field = self.params.pair_preference_field
        senior = self.params.roles[2]
        if field and any(m.role == senior and m.value(field) for m in members):
            return None
        complete = set(present) | {person.role} == set(self.params.roles)
        if field and complete and person.role == senior and person.value(field):
            return None  # a mentor who prefers a pair is not made part of a triad
        shape = "triad" if complete else "pair"
        return Opening(person.role, shape, f"the group lacked a {person.role}"
                       + ("; it is a triad again" if complete and group.shape == "triad" else
                          "; it becomes a triad" if complete else ""))

    def _quality_note(self, solution, ab, ac, bc) -> str:
        if solution.method == "exact":
            return "triads are the exact optimum (integer programme)"
        if ab.shape[0] * ab.shape[1] * bc.shape[1] > BOUND_LIMIT:
            return "triads by heuristic; pool too large to compute the upper bound here"
        bound, how = triad_solver.upper_bound(ab, ac, bc, len(solution.triads),
                                              lower=solution.score)
        share = solution.score / bound if bound > 0 else 1.0
        return (f"triads by heuristic: total fit {solution.score:.2f} is at least "
                f"{share:.1%} of the best possible ({how}: {bound:.2f})")

    def _fallback_pairs(self, scorer, pool, spare: Sequence[Person],
                        pair_seniors: Sequence[Person]) -> list[ProposedGroup]:
        """Pairs from those left out of triads: each junior (or, with no junior, each middle)
        with a more senior mentor, best fit first."""
        junior_role, middle_role, senior_role = self.params.roles
        groups: list[ProposedGroup] = []
        left = list(spare)
        for mentee_role, mentor_roles in ((junior_role, (senior_role, middle_role)),
                                          (middle_role, (senior_role,))):
            mentees = [p for p in left if p.role == mentee_role]
            mentors = [p for p in left if p.role in mentor_roles]
            scores = self.score_matrix(scorer, mentees, mentors, pool)
            for i, j in assignment.assign(scores, np.ones(len(mentors), int)):
                mentor = mentors[j]
                if any(mentor is p for p in pair_seniors):
                    why = "mentor prefers a pair"
                else:
                    missing = {junior_role, middle_role, senior_role} - {mentee_role, mentor.role}
                    why = f"no {missing.pop()} left to complete a triad"
                groups.append(self.make_group(scorer, [(mentees[i], mentee_role),
                                                       (mentor, mentor.role)], "pair", why))
                left = [p for p in left if p is not mentees[i] and p is not mentor]
        return groups

    def _why_alone(self, person: Person, spare: Sequence[Person], grouped: set[int]) -> str:
        others = [p for p in spare if p.id not in grouped and p is not person]
        if not others:
            return f"no one left to form a group with this {person.role}"
        return ("no group could be completed: the people left are of roles "
                f"{', '.join(sorted({p.role for p in others}))} or incompatible")


@hookimpl
def register_matchers(register):
    register(OneToOne)
    register(Triads)
