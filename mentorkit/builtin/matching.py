"""Core matchers: one-to-one with capacities, and triads with fallback to pairs."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Literal

import attrs
import numpy as np

from mentorkit.concerns import (
    Matcher,
    MatchPool,
    MatchResult,
    Member,
    Person,
    Problem,
    ProposedGroup,
)
from mentorkit.hookspecs import hookimpl
from mentorkit.matching.assignment import FORBIDDEN, assign
from mentorkit.matching.scoring import Constraint, Criterion, Scorer, check_fields


def _role_problems(matcher: Matcher, roles: Iterable[str], path: str) -> Iterable[Problem]:
    known = {role.key for role in matcher.program.roles}
    for i, role in enumerate(roles):
        if role not in known:
            yield Problem(f"{path}[{i}]", f"no role named {role!r}; roles: {sorted(known)}")


class ScoredMatcher(Matcher):
    """Shared by matchers that score with ``criteria`` and respect ``constraints``."""

    def scorer(self) -> Scorer:
        sensitive = {field.name for field in self.program.intake if field.sensitive}
        return Scorer(self.params.criteria, self.params.constraints, sensitive)

    def problems(self) -> Iterable[Problem]:
        fields = {field.name for field in self.program.intake}
        yield from check_fields(self.params.criteria, fields, "criteria")
        yield from check_fields(self.params.constraints, fields, "constraints")

    def score_matrix(self, scorer: Scorer, rows: Sequence[Person], cols: Sequence[Person]):
        scores = np.zeros((len(rows), len(cols)))
        for i, a in enumerate(rows):
            for j, b in enumerate(cols):
                scores[i, j] = FORBIDDEN if scorer.violation(a, b) else scorer.pair(a, b)[0]
        return scores

    def _group(self, scorer: Scorer, members: Sequence[tuple[Person, str]], shape: str,
               fallback: str | None = None) -> ProposedGroup:
        score, reasons = scorer.group([person for person, _ in members])
        return ProposedGroup(
            members=tuple(Member(person.id, role) for person, role in members),
            score=round(score, 4),
            explanation=tuple(reasons) or ("no shared criteria; placed to fill capacity",),
            shape=shape,
            fallback=fallback,
        )

    def _why_unmatched(self, scorer: Scorer, person: Person, candidates: Sequence[Person],
                       capacity_text: str) -> str:
        if not candidates:
            return "no candidate of the other side in the pool"
        violations = [scorer.violation(person, other) for other in candidates]
        if all(violations):
            return f"no compatible candidate ({violations[0]})"
        return capacity_text


@attrs.frozen
class OneToOneParams:
    mentee_roles: list[str]
    mentor_roles: list[str]
    capacity: int = 1
    mode: Literal["best-fit"] = "best-fit"
    criteria: list[Criterion] = attrs.field(factory=list)
    constraints: list[Constraint] = attrs.field(factory=list)


class OneToOne(ScoredMatcher):
    """Pairs each mentee with one mentor; a mentor takes up to `capacity` mentees."""

    name = "one-to-one"
    Params = OneToOneParams

    def problems(self) -> Iterable[Problem]:
        yield from super().problems()
        yield from _role_problems(self, self.params.mentee_roles, "mentee_roles")
        yield from _role_problems(self, self.params.mentor_roles, "mentor_roles")
        if self.params.capacity < 1:
            yield Problem("capacity", f"must be at least 1, got {self.params.capacity}")

    def describe(self) -> list[str]:
        p = self.params
        lines = [
            f"One-to-one: each mentee ({', '.join(p.mentee_roles)}) gets one mentor "
            f"({', '.join(p.mentor_roles)}); each mentor takes at most {p.capacity}.",
            "Mentors left without a mentee are reported as available, not as failures.",
            "As many mentees as the hard rules allow are placed; among those assignments the "
            "one with the highest total fit score is chosen (exact optimum).",
        ]
        lines += [f"Score: {c.kind} of {c.label or c.field} (weight {c.weight:g})"
                  for c in p.criteria]
        lines += [f"Hard rule: {c.kind} {c.label or c.field}" for c in p.constraints]
        return lines

    def match(self, pool: MatchPool) -> MatchResult:
        scorer = self.scorer()
        people = sorted(pool.people, key=lambda person: person.id)
        mentees = [p for p in people if p.role in self.params.mentee_roles]
        mentors = [p for p in people if p.role in self.params.mentor_roles]
        scores = self.score_matrix(scorer, mentees, mentors)
        capacities = np.full(len(mentors), self.params.capacity)
        pairs = assign(scores, capacities)
        groups = tuple(
            self._group(scorer, [(mentors[j], "mentor"), (mentees[i], "mentee")], "pair")
            for i, j in sorted(pairs, key=lambda pair: (pair[1], pair[0]))
        )
        placed = {i for i, _ in pairs}
        capacity_text = (f"capacity exhausted: {len(mentors)} mentors x {self.params.capacity} "
                         f"places for {len(mentees)} mentees")
        unmatched = {
            mentee.id: self._why_unmatched(scorer, mentee, mentors, capacity_text)
            for i, mentee in enumerate(mentees) if i not in placed
        }
        idle = len(mentors) - len({j for _, j in pairs})
        notes = (f"{idle} of {len(mentors)} mentors have no mentee this cycle (available)",)
        return MatchResult(groups, unmatched, notes if idle else ())


@attrs.frozen
class TriadParams:
    roles: list[str]  # the three roles of a triad, the most junior first
    fallback_to_pairs: bool = True
    pair_preference_field: str = ""  # a boolean field: this mentor prefers a pair to a triad
    criteria: list[Criterion] = attrs.field(factory=list)
    constraints: list[Constraint] = attrs.field(factory=list)


class Triads(ScoredMatcher):
    """Groups of one person of each of three roles; leftovers fall back to pairs, with why."""

    name = "triads"
    Params = TriadParams

    def problems(self) -> Iterable[Problem]:
        yield from super().problems()
        yield from _role_problems(self, self.params.roles, "roles")
        if len(self.params.roles) != 3 or len(set(self.params.roles)) != 3:
            yield Problem("roles", "name exactly three different roles")
        field = self.params.pair_preference_field
        if field and (self.program.field(field) is None
                      or self.program.field(field).type != "boolean"):
            yield Problem("pair_preference_field", f"no boolean intake field named {field!r}")

    def describe(self) -> list[str]:
        junior, middle, senior = self.params.roles
        lines = [f"Triads: one {junior}, one {middle} and one {senior} per group."]
        if self.params.fallback_to_pairs:
            lines.append("When numbers or a mentor's preference do not allow a triad, a pair "
                         "is formed instead, and the summary says which groups fell back and why.")
        if self.params.pair_preference_field:
            lines.append(f"A mentor who answers yes to {self.params.pair_preference_field!r} "
                         "is matched in a pair.")
        lines += [f"Score: {c.kind} of {c.label or c.field} (weight {c.weight:g})"
                  for c in self.params.criteria]
        return lines

    def match(self, pool: MatchPool) -> MatchResult:
        scorer = self.scorer()
        people = sorted(pool.people, key=lambda person: person.id)
        junior_role, middle_role, senior_role = self.params.roles
        by_role = {role: [p for p in people if p.role == role] for role in self.params.roles}
        prefers_pair = self.params.pair_preference_field
        seniors = [p for p in by_role[senior_role] if not (prefers_pair and p.value(prefers_pair))]
        pair_seniors = [p for p in by_role[senior_role] if p not in seniors]
        juniors, middles = by_role[junior_role], by_role[middle_role]

        # Step 1: the best middle-senior pairs, as many as there are juniors to complete them.
        duos = [(middles[i], seniors[j]) for i, j in
                assign(self.score_matrix(scorer, middles, seniors), np.ones(len(seniors), int))]
        # Step 2: juniors to duos, scored against both members.
        duo_scores = np.array([
            [FORBIDDEN if (scorer.violation(a, b) or scorer.violation(a, c))
             else scorer.pair(a, b)[0] + scorer.pair(a, c)[0] for b, c in duos]
            for a in juniors]).reshape(len(juniors), len(duos))
        trios = assign(duo_scores, np.ones(len(duos), int))
        groups = [self._group(scorer, [(juniors[i], junior_role), (duos[d][0], middle_role),
                                       (duos[d][1], senior_role)], "triad") for i, d in trios]
        placed_juniors = {i for i, _ in trios}
        used_duos = {d for _, d in trios}
        spare_juniors = [p for i, p in enumerate(juniors) if i not in placed_juniors]
        unmatched: dict[int, str] = {}
        if self.params.fallback_to_pairs:
            # Middle-senior duos that found no junior stay together as pairs.
            for d, (middle, senior) in enumerate(duos):
                if d not in used_duos:
                    members = [(middle, middle_role), (senior, senior_role)]
                    groups.append(self._group(scorer, members, "pair",
                                              f"no {junior_role} left for a triad"))
            mentors = pair_seniors + [p for p in seniors if all(p is not s for _, s in duos)]
            mentors += [p for p in middles if all(p is not m for m, _ in duos)]
            pairs = assign(self.score_matrix(scorer, spare_juniors, mentors),
                           np.ones(len(mentors), int))
            for i, j in pairs:
                mentor = mentors[j]
                why = ("mentor prefers a pair" if mentor in pair_seniors
                       else f"no complete {middle_role}-{senior_role} duo available")
                groups.append(self._group(scorer, [(spare_juniors[i], junior_role),
                                                   (mentor, mentor.role)], "pair", why))
            placed = {i for i, _ in pairs}
            spare_juniors = [p for i, p in enumerate(spare_juniors) if i not in placed]
        grouped = {m.person_id for g in groups for m in g.members}
        for person in people:
            if person.id not in grouped and person.role in self.params.roles:
                unmatched[person.id] = (f"no group could be completed with a {person.role}"
                                        if person not in spare_juniors
                                        else "no mentor left with room")
        triads = sum(1 for g in groups if g.shape == "triad")
        notes = (f"{triads} triads and {len(groups) - triads} fallback pairs",)
        return MatchResult(tuple(groups), unmatched, notes)


@hookimpl
def register_matchers(register):
    register(OneToOne)
    register(Triads)
