"""Pods: one faculty member, two residents and one student per group, built on mentorkit's
solvers: the tripartite solver forms each pod's core (a student, a resident and a faculty
member, as many as the rules allow, then the best total fit), and the assignment solver gives
each core its second resident."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import attrs

from mentorkit import (
    Constraint,
    Criterion,
    MatchPool,
    MatchResult,
    Member,
    Problem,
    ScoredMatcher,
    criteria_lines,
    hookimpl,
    lazy,
    pin_notes,
)

np = lazy("numpy")  # numpy and the solvers load when the matcher runs
assignment = lazy("mentorkit.solvers.assignment")
tripartite = lazy("mentorkit.solvers.tripartite")


@attrs.frozen
class PodParams:
    faculty_role: str = "faculty"
    resident_role: str = "resident"
    student_role: str = "student"
    criteria: list[Criterion] = attrs.field(factory=list)
    constraints: list[Constraint] = attrs.field(factory=list)


class Pods(ScoredMatcher):
    """Pods of one faculty member, two residents and one student."""

    name = "example-pods.pods"
    Params = PodParams
    shapes = ("pod",)

    def problems(self) -> Iterable[Problem]:
        yield from super().problems()
        yield from self.missing_roles("faculty_role", "resident_role", "student_role")

    def describe(self) -> list[str]:
        p = self.params
        return [f"Pods of one {p.faculty_role}, two {p.resident_role}s and one "
                f"{p.student_role}: as many as the rules allow, then the best total fit.",
                *criteria_lines(p)]

    def match(self, pool: MatchPool) -> MatchResult:
        p, scorer = self.params, self.scorer()
        free = sorted(pool.free(), key=lambda person: person.id)
        students, residents, faculty = ([x for x in free if x.role == role] for role in
                                        (p.student_role, p.resident_role, p.faculty_role))

        def scores(rows, cols):  # fit of each pair; a forbidden pair is FORBIDDEN
            return self.score_matrix(scorer, rows, cols, pool)

        # 1. Each pod's core, a student, a resident and a faculty member: as many as the
        #    rules allow, then the best total fit; at most one core per two residents.
        sr, sf, rf = scores(students, residents), scores(students, faculty), scores(
            residents, faculty)
        cores = sorted(tripartite.solve(sr, sf, rf).triples,
                       key=lambda t: -(sr[t[0], t[1]] + sf[t[0], t[2]] + rf[t[1], t[2]]))
        cores = cores[:len(residents) // 2]
        # 2. Each core's second resident: the one who fits its three members best.
        taken = {j for _, j, _ in cores}
        spare = [x for n, x in enumerate(residents) if n not in taken]
        fit = np.zeros((len(spare), len(cores)))
        for c, (i, j, k) in enumerate(cores):
            core = [students[i], residents[j], faculty[k]]
            fit[:, c] = sum(scores(spare, [member])[:, 0] for member in core)
        groups = []
        for row, c in assignment.assign(fit, np.ones(len(cores), dtype=int)):
            i, j, k = cores[c]
            groups.append(self.make_group(scorer, [
                (faculty[k], p.faculty_role), (residents[j], p.resident_role),
                (spare[row], p.resident_role), (students[i], p.student_role)], "pod"))
        placed = {m.person_id for g in groups for m in g.members}
        unmatched = {x.id: f"no pod could be completed with this {x.role}"
                     for x in students + residents + faculty if x.id not in placed}
        return MatchResult(tuple(groups), unmatched,
                           (f"{len(groups)} pods", *pin_notes(groups, pool)))

    def relationships(self, members: Sequence[Member]) -> list[tuple[int, int]]:
        """The faculty member mentors each resident and the student; each resident mentors
        the student. The two residents are peers."""
        p = self.params
        rank = {p.faculty_role: 2, p.resident_role: 1, p.student_role: 0}
        return [(a.person_id, b.person_id) for a in members for b in members
                if rank.get(a.role, -1) > rank.get(b.role, -1) >= 0]


@hookimpl
def register_matchers(register):
    register(Pods)
