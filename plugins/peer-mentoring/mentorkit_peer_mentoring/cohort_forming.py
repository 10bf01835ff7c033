"""Forming the cohorts of a cohorts matcher: mentor-pair teams with their faculty mentor (exact
within each community, then across), and students placed into the teams' cohorts, the
smallest size of every cohort filled before any grows."""

from __future__ import annotations

from mentorkit import Person, lazy

np = lazy("numpy")
assignment = lazy("mentorkit.solvers.assignment")
triad_solver = lazy("mentorkit.solvers.tripartite")

COMMUNITY_BONUS = 100.0  # above any fit, so "within the community where possible" holds


class CohortForming:
    """For a matcher whose ``Params`` name the roles, ``community_field``, ``cohort_field``
    and ``cohort_size`` of a cohorts program (see ``cohorts.CohortParams``)."""

    def _teams(self, scorer, pool, juniors, seniors, faculty, cohort_of, notes):
        """(junior, senior, faculty, fallback) teams: exact within each community, then the
        people left over across communities."""
        teams = []
        communities = sorted({str(self._community(x)) for x in juniors + seniors + faculty})
        left = (list(juniors), list(seniors), list(faculty))
        for community in [*communities, None]:
            if community is None:
                a, b, c = left
            else:
                a, b, c = ([x for x in side if str(self._community(x)) == community]
                           for side in left)
            if not (a and b and c):
                continue
            ab, ac, bc = (self.score_matrix(scorer, x, y, pool) for x, y in
                          ((a, b), (a, c), (b, c)))
            wanted = np.array([COMMUNITY_BONUS if m.email in cohort_of else 0.0
                               for m in c])
            ac = np.where(ac > assignment.FORBIDDEN / 2, ac + wanted, ac)
            solution = triad_solver.solve(ab, ac, bc, exact_limit=30_000)
            for i, j, k in solution.triples:
                why = None
                if community is None:
                    why = (f"not within one {self.community_words()}: no complete pair "
                           "and faculty mentor left in theirs")
                teams.append((a[i], b[j], c[k], why))
            used = {x.id for t in teams for x in t[:3]}
            left = tuple([x for x in side if x.id not in used] for side in left)
        crossed = sum(1 for t in teams if t[3])
        if crossed and self.params.community_field:
            notes.append(f"{crossed} mentor pair{'' if crossed == 1 else 's'} work"
                         f"{'s' if crossed == 1 else ''} outside their {self.community_words()}")
        return teams

    def _cohorts(self, scorer, pool, teams, students, faculty, cohort_of, unmatched,
                 notes) -> list[list[Person]]:
        """Students to the teams' faculty: the first `smallest` places of every cohort are
        filled before any cohort grows beyond it, within the community where possible."""
        low, high = self.params.cohort_size
        mentors = [t[2] for t in teams]
        cohorts: list[list[Person]] = [[] for _ in mentors]
        at = {m.email: j for j, m in enumerate(mentors)}
        field = self.params.cohort_field
        leading = {x.email for x in pool.people if pool.occupied.get(x.id)}
        free = []
        for student in students:
            named = str(student.value(field) or "") if field else ""
            if named in at:
                cohorts[at[named]].append(student)
            elif named:
                unmatched[student.id] = (
                    f"their {self.params.faculty_role} ({named}) has no mentor pair this cycle"
                    if named in {x.email for x in faculty} else
                    f"their {self.params.faculty_role}'s ({named}) cohort cannot take them"
                    if named in leading else
                    f"their {self.params.faculty_role} ({named}) is not in this cycle's pool")
            else:
                free.append(student)
        students = free
        for named, count in sorted(cohort_of.items()):
            if named not in at and named not in leading:  # (a led cohort: said per student)
                notes.append(f"the cohort of {named} ({count} students) has no mentor pair")
        if not mentors:
            return []
        scores = self.score_matrix(scorer, students, mentors, pool)
        if self.params.community_field:
            same = np.array([[self._community(s) == self._community(m) for m in mentors]
                             for s in students], dtype=bool).reshape(len(students), len(mentors))
            scores = np.where(scores > assignment.FORBIDDEN / 2,
                              scores + COMMUNITY_BONUS * same, scores)
        core_bonus = COMMUNITY_BONUS * 10  # a core place is worth more than any community
        columns = np.concatenate([scores + core_bonus, scores], axis=1)
        sizes = np.array([len(c) for c in cohorts])
        capacity = np.concatenate([np.maximum(low - sizes, 0),
                                   np.maximum(high - np.maximum(sizes, low), 0)])
        for i, j in assignment.assign(columns, capacity):
            cohorts[j % len(mentors)].append(students[i])
        for team, members in zip(teams, cohorts, strict=True):
            if not low <= len(members) <= high:
                notes.append(f"cohort of {team[2].name} has {len(members)} students, outside "
                             f"{low}-{high}")
            outside = sum(1 for s in members if self._community(s) != self._community(team[2]))
            if outside and self.params.community_field:
                notes.append(f"cohort of {team[2].name}: {outside} students from another "
                             f"{self.community_words()}")
        return cohorts
