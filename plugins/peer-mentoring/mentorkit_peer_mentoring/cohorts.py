"""Mentor pairs (one peer of each of two years) with a faculty mentor, leading a student
cohort; with selection of the top applicants per year and a separate track."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence

import attrs

from mentorkit import (
    Constraint,
    Criterion,
    MatchPool,
    MatchResult,
    Member,
    Opening,
    Person,
    Problem,
    ProposedGroup,
    ScoredMatcher,
    criteria_lines,
    pin_notes,
)
from mentorkit_peer_mentoring.cohort_forming import COMMUNITY_BONUS, CohortForming
from mentorkit_peer_mentoring.cohort_selection import YearSelection


@attrs.frozen
class CohortParams:
    peer_role: str
    faculty_role: str
    student_role: str
    year_field: str
    pair_years: list[int] = attrs.field(factory=lambda: [3, 4])  # one of each per mentor pair
    select_per_year: int = 0  # 0: every eligible peer; else the top N of each year
    selection_scores: list[str] = attrs.field(factory=list)  # summed to rank applicants
    community_field: str = ""  # pairs and students stay with faculty of their community
    cohort_size: list[int] = attrs.field(factory=lambda: [12, 15])
    cohort_field: str = ""  # a student's field naming their faculty mentor's e-mail
    track_field: str = ""
    separate_track: str = ""  # people with this track value form one group of their own
    criteria: list[Criterion] = attrs.field(factory=list)
    constraints: list[Constraint] = attrs.field(factory=list)




class Cohorts(YearSelection, CohortForming, ScoredMatcher):
    """Mentor pairs (one peer of each year) with a faculty mentor, leading a student cohort."""

    name = "cohorts"
    Params = CohortParams
    shapes = ("cohort", "track")

    def problems(self) -> Iterable[Problem]:
        p = self.params
        yield from super().problems()
        yield from self.missing_roles("peer_role", "faculty_role", "student_role")
        yield from self.missing_fields(*(name for name in (
            "year_field", "community_field", "track_field", "cohort_field") if getattr(p, name)))
        for i, name in enumerate(p.selection_scores):
            if self.program.field(name) is None:
                yield Problem(f"selection_scores[{i}]", f"no intake field named {name!r}")
        if p.select_per_year and not p.selection_scores:
            yield Problem("selection_scores", "name the score fields that rank applicants")
        if len(p.pair_years) != 2 or p.pair_years[0] == p.pair_years[1]:
            yield Problem("pair_years", "give the two different years of a mentor pair")
        if len(p.cohort_size) != 2 or not 1 <= p.cohort_size[0] <= p.cohort_size[1]:
            yield Problem("cohort_size", "give [smallest, largest] with 1 <= smallest <= largest")
        if bool(p.track_field) != bool(p.separate_track):
            yield Problem("separate_track", "set both track_field and separate_track, or neither")

    def describe(self) -> list[str]:
        p = self.params
        low, high = p.cohort_size
        lines = []
        if p.select_per_year:
            lines.append(f"Selection: the top {p.select_per_year} {p.peer_role} applicants of "
                         f"each year by {' + '.join(p.selection_scores)}; ties at the cut-off "
                         "and shortfalls are reported.")
        lines += [f"A mentor pair is one year-{p.pair_years[0]} and one year-{p.pair_years[1]} "
                 f"{p.peer_role}; each pair is assigned to one {p.faculty_role} and serves that "
                 f"{p.faculty_role}'s cohort of {low}-{high} {p.student_role}s (cohorts outside "
                 "these bounds are reported)."]
        if p.community_field:
            lines.append(f"Pairs, {p.faculty_role} and cohorts stay within one "
                         f"{self.community_words()} where possible; the result says when not. "
                         "Pairs are formed exactly within each community where it is small.")
        if p.cohort_field:
            lines.append(f"A {p.student_role} whose {self.field_words(p.cohort_field)} names a "
                         f"{p.faculty_role} "
                         f"stays in that cohort; each {p.faculty_role} with a cohort gets a "
                         "mentor pair first.")
        if p.separate_track:
            lines.append(f"People whose {p.track_field} is {p.separate_track!r} form a separate "
                         f"track: its {p.peer_role}s serve all its {p.student_role}s.")
        return lines + criteria_lines(p)

    def match(self, pool: MatchPool) -> MatchResult:
        p = self.params
        scorer = self.scorer()
        people = sorted(pool.free(), key=lambda x: x.id)
        groups: list[ProposedGroup] = []
        unmatched: dict[int, str] = {}
        notes: list[str] = []
        if p.separate_track:
            track = [x for x in people if x.value(p.track_field) == p.separate_track
                     and x.role in (p.peer_role, p.student_role)]
            people = [x for x in people if x not in track]
            if track and any(g.shape == "track" for g in pool.current):
                for x in track:  # one track group a cycle; its repair step takes newcomers
                    unmatched[x.id] = f"the {p.separate_track} track has its group already"
            elif track:
                groups.append(ProposedGroup(tuple(Member(x.id, x.role) for x in track), 0.0,
                                            (f"separate {p.separate_track} track",), "track"))
        juniors, seniors = self._peers(people, unmatched)
        # a selection made earlier stands, also once its people are all in groups
        selected = any(x.role == p.peer_role and (x.status == "selected"
                                                  or pool.occupied.get(x.id))
                       for x in pool.people)
        if p.select_per_year and selected:
            for x in juniors + seniors:  # the selection made earlier stands
                if x.status != "selected":
                    unmatched[x.id] = "not selected"
            juniors = [x for x in juniors if x.status == "selected"]
            seniors = [x for x in seniors if x.status == "selected"]
        elif p.select_per_year:
            juniors, seniors = (self._select(year, applicants, applicants, p.select_per_year,
                                             unmatched, notes)
                                for year, applicants in zip(p.pair_years, (juniors, seniors),
                                                            strict=True))
        faculty = [x for x in people if x.role == p.faculty_role]
        students = [x for x in people if x.role == p.student_role]
        # students per faculty mentor they name: those faculty get a mentor pair first
        cohort_of = Counter(str(s.value(p.cohort_field)) for s in students
                            if p.cohort_field and s.value(p.cohort_field))
        teams = self._teams(scorer, pool, juniors, seniors, faculty, cohort_of, notes)
        cohorts = self._cohorts(scorer, pool, teams, students, faculty, cohort_of, unmatched,
                                notes)
        for (junior, senior, mentor, why), members in zip(teams, cohorts, strict=True):
            core = [(mentor, p.faculty_role), (junior, p.peer_role), (senior, p.peer_role)]
            group = self.make_group(scorer, core, "cohort", why,
                                    extra=(f"cohort of {len(members)} {p.student_role}s",))
            cohort = tuple(Member(s.id, p.student_role) for s in members)
            groups.append(attrs.evolve(group, members=(*group.members, *cohort)))
        placed = {m.person_id for g in groups for m in g.members}
        for x in juniors + seniors + students:
            unmatched.setdefault(x.id, "no mentor pair could be completed for this year"
                                 if x.role == p.peer_role else "every cohort is full")
        idle = [x for x in faculty if x.id not in placed]
        if idle:
            notes.append(f"{len(idle)} {p.faculty_role} without a mentor pair this cycle "
                         "(available)")
        unmatched = {k: v for k, v in unmatched.items() if k not in placed}
        return MatchResult(tuple(groups), unmatched, tuple(notes + pin_notes(groups, pool)))

    _released: frozenset[int] = frozenset()  # students who left the cohort they named

    def repair(self, groups, freed, pool):
        """As every scored matcher repairs, and a student who left the cohort of the faculty
        mentor they named may join any other cohort with room (their community's first)."""
        self._released = released(self.params, groups, pool)
        try:
            return super().repair(groups, freed, pool)
        finally:
            self._released = frozenset()

    def opening(self, group, members, person):
        """A cohort takes a student with room under its largest size (their own faculty
        mentor's, when they name one), a peer mentor of the year its pair lacks, a faculty
        mentor when it has none; the separate track takes anyone of that track."""
        p = self.params
        if p.separate_track and person.value(p.track_field) == p.separate_track:
            if group.shape == "track" and person.role in (p.peer_role, p.student_role):
                return Opening(person.role, "track", f"the {p.separate_track} track")
            return None
        if group.shape != "cohort":
            return None
        faculty = [m for m, g in zip(members, group.members, strict=True)
                   if g.role == p.faculty_role]
        same_community = bool(p.community_field and faculty and
                              self._community(faculty[0]) == self._community(person))
        bonus = COMMUNITY_BONUS if same_community else 0.0
        if person.role == p.student_role:
            students = sum(1 for g in group.members if g.role == p.student_role)
            named = str(person.value(p.cohort_field) or "") if p.cohort_field else ""
            own = any(f.email == named for f in faculty)
            if students >= p.cohort_size[1] or (named and not own
                                                and person.id not in self._released):
                return None
            why = (f"a cohort with room ({students} of {p.cohort_size[1]} {p.student_role}s)"
                   + (f", in their {self.community_words()}" if same_community else "")
                   + ("; they left the cohort of the faculty mentor they named"
                      if named and not own else ""))
            return Opening(p.student_role, "cohort", why, bonus)
        if person.role == p.peer_role:
            year = person.value(p.year_field)
            years = [m.value(p.year_field) for m, g in zip(members, group.members, strict=True)
                     if g.role == p.peer_role]
            if year not in p.pair_years or year in years:
                return None
            if p.select_per_year and person.status != "selected":
                return None
            return Opening(p.peer_role, "cohort", f"its mentor pair lacked a year-{year} "
                           f"{p.peer_role}", bonus)
        if person.role == p.faculty_role and not faculty:
            return Opening(p.faculty_role, "cohort", f"the cohort lacked a {p.faculty_role}")
        return None

    def conflicts(self, groups, pool):
        """Cohorts with more students than the largest size now allowed."""
        high = self.params.cohort_size[1]
        over = [n for g in groups if g.shape == "cohort"
                if (n := sum(1 for m in g.members if m.role == self.params.student_role)) > high]
        return [f"{len(over)} cohort(s) have more than {high} {self.params.student_role}s "
                f"(up to {max(over)})"] if over else []

    def explain(self, members: Sequence[Person]) -> tuple[str, ...]:
        """What the mentor pair and faculty mentor share, and the cohort's size now."""
        p = self.params
        core = [m for m in members if m.role != p.student_role]
        students = len(members) - len(core)
        if p.separate_track and any(m.value(p.track_field) == p.separate_track
                                    for m in members):
            return (f"separate {p.separate_track} track",)
        _, reasons = self.scorer().group(core)
        return (*reasons, f"cohort of {students} {p.student_role}s")

    def score(self, members: Sequence[Person]) -> float:
        """The mentor pair's and faculty mentor's score, as a cohort is scored when formed
        (its students are placed by fit, not scored; a separate track scores nothing)."""
        p = self.params
        if p.separate_track and any(m.value(p.track_field) == p.separate_track
                                    for m in members):
            return 0.0
        core = [m for m in members if m.role != p.student_role]
        return round(self.scorer().group(core)[0], 4) if core else 0.0

    def community_words(self) -> str:
        return self.field_words(self.params.community_field)

    def field_words(self, name: str) -> str:
        """A field as the form names it ("learning community"), for what a coordinator
        reads: never the program's key for it."""
        field = self.program.field(name)
        label = field.label if field is not None and field.label else name.replace("_", " ")
        return label.lower() if label.istitle() else label  # "Learning Community", mid-sentence

    def _community(self, person: Person):
        return person.value(self.params.community_field) if self.params.community_field else None


def released(p: CohortParams, groups, pool: MatchPool) -> frozenset[int]:
    """The students who left the cohort led by the faculty mentor their ``cohort_field``
    names: that choice no longer binds them."""
    if not p.cohort_field:
        return frozenset()
    people = {x.id: x for x in pool.people}
    found = set()
    for group in groups:
        leads = {people[m.person_id].email for m in group.members
                 if m.role == p.faculty_role and m.person_id in people}
        for former in group.former:
            person = people.get(former)
            if person is not None and str(person.value(p.cohort_field) or "") in leads:
                found.add(former)
    return frozenset(found)
