"""The peer mentoring program's cohorts: selection of the top applicants per year by score,
mentor pairs (one 3rd- and one 4th-year) with a faculty mentor leading a cohort of 12-15
students, the MD/PhD track, and a student who left the cohort they named placed elsewhere."""

from __future__ import annotations

import pytest
from mentorkit_peer_mentoring.cohorts import released

from mentorkit import CurrentGroup, MatchPool, Member, Person
from mentorkit.kernel.program import load_program
from mentorkit.testing import shipped


@pytest.fixture
def selected(mentorkit):
    mentorkit("programs", "add", "peer-mentoring")
    mentorkit("participants", "import", "peer-mentoring", mentorkit.signups("peer-mentoring"),
              expect=1)
    mentorkit("eligibility", "peer-mentoring")
    return mentorkit


def test_selection_takes_the_top_26_of_each_year_and_the_whole_track(selected):
    [result] = selected.json("participants", "select", "peer-mentoring")
    chosen = selected.json("participants", "list", "peer-mentoring", "--status", "selected")
    years = [p["answers"]["year"] for p in chosen if p["answers"].get("track") != "MD/PhD"]
    assert years.count(3) == 26 and years.count(4) == 26
    assert any("tie at the year-3 cut-off" in note for note in result["notes"])
    assert any("MD/PhD track" in note for note in result["notes"])


def test_each_cohort_has_a_pair_of_years_a_faculty_mentor_and_12_to_15_students(selected):
    selected("participants", "select", "peer-mentoring")
    [proposal] = selected.json("match", "run", "peer-mentoring")
    cohorts = [g for g in proposal["groups"] if g["shape"] == "cohort"]
    assert cohorts
    people = {p["id"]: p for p in selected.json("participants", "list", "peer-mentoring")}
    for group in cohorts:
        roles = [m["role"] for m in group["members"]]
        assert roles.count("faculty") == 1 and roles.count("peer-mentor") == 2
        assert 12 <= roles.count("student") <= 15
        years = sorted(people[m["id"]]["answers"]["year"] for m in group["members"]
                       if m["role"] == "peer-mentor")
        assert years == [3, 4]
    [track] = [g for g in proposal["groups"] if g["shape"] == "track"]
    assert all(people[m["id"]]["answers"]["track"] == "MD/PhD" for m in track["members"])


def person(pid: int, role: str, **answers) -> Person:
    return Person(pid, f"P{pid}", f"p{pid}@x.org", role, frozenset(), answers)


def test_a_student_who_left_the_cohort_they_named_is_free_to_join_another():
    params = load_program(shipped("peer-mentoring")).matcher.params
    faculty = person(1, "faculty")
    student = person(2, "student", faculty_mentor="p1@x.org")
    other = person(3, "student", faculty_mentor="p9@x.org")
    group = CurrentGroup("c-001", "cohort", (Member(1, "faculty"),), former=frozenset({2, 3}))
    pool = MatchPool([faculty, student, other])
    assert released(params, [group], pool) == frozenset({2})
