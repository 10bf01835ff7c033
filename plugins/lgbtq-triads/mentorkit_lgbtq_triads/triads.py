"""Triads: one person of each of three roles per group; leftovers fall back to pairs, with why."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import attrs

from mentorkit import (
    Constraint,
    Criterion,
    MatchPool,
    MatchResult,
    Opening,
    Person,
    Problem,
    ProposedGroup,
    ScoredMatcher,
    criteria_lines,
    lazy,
    pin_notes,
)

# the solvers load when a matcher runs, not with the plugin registry (start-up time)
np = lazy("numpy")
assignment = lazy("mentorkit.solvers.assignment")
triad_solver = lazy("mentorkit.solvers.tripartite")

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
    shapes = ("triad", "pair")

    def problems(self) -> Iterable[Problem]:
        yield from super().problems()
        yield from self.missing_roles("roles")
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
                  for i, j, k in solution.triples]
        notes = [self._quality_note(solution, ab, ac, bc)] if solution.triples else []
        in_triads = {p.id for i, j, k in solution.triples
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
        bound, how = triad_solver.upper_bound(ab, ac, bc, len(solution.triples),
                                              lower=solution.score)
        share = solution.score / bound if bound > 0 else 1.0
        return (f"triads by heuristic: total fit {solution.score:.2f} is at least "
                f"{share:.1%} of the best possible ({how}: {bound:.2f})")

    def relationships(self, members):
        """Each two members of a triad (or a fallback pair) are a relationship, the more
        senior of them the mentor: faculty with trainee and with student, trainee with
        student."""
        rank = {role: n for n, role in enumerate(self.params.roles)}
        ordered = sorted(members, key=lambda m: (-rank.get(m.role, -1), m.person_id))
        return [(a.person_id, b.person_id) for n, a in enumerate(ordered)
                for b in ordered[n + 1:]]

    def shape_of(self, members):
        """Three members make a triad, two a pair."""
        return {3: "triad", 2: "pair"}.get(len(members))

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
