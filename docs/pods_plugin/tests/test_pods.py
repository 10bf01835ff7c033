"""Pods: one faculty member, two residents and one student each, as many as the rules allow;
everyone left out is told why."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import mentorkit_example_pods

from mentorkit import MatchPool, Member, Person
from mentorkit.testing import program

PODS = Path(__file__).resolve().parent.parent / "pods.toml"


def person(pid: int, role: str, *interests: str) -> Person:
    return Person(pid, f"P{pid}", f"p{pid}@x.org", role, frozenset(),
                  {"interests": list(interests)})


def matcher():
    return program(PODS.read_text(), mentorkit_example_pods).matcher


def test_each_pod_has_one_faculty_two_residents_and_one_student():
    people = [person(1, "faculty", "surgery"), person(2, "faculty", "oncology"),
              person(3, "resident", "surgery"), person(4, "resident", "oncology"),
              person(5, "resident", "surgery"), person(6, "resident", "oncology"),
              person(7, "resident"), person(8, "student", "oncology"),
              person(9, "student", "surgery"), person(10, "student")]
    result = matcher().match(MatchPool(people))
    assert len(result.groups) == 2 and result.notes[0] == "2 pods"
    roles = {p.id: p.role for p in people}
    for pod in result.groups:
        assert pod.shape == "pod"
        assert Counter(roles[m.person_id] for m in pod.members) == {
            "faculty": 1, "resident": 2, "student": 1}
    by_faculty = {next(m.person_id for m in g.members if m.role == "faculty"):
                  {m.person_id for m in g.members} for g in result.groups}
    assert by_faculty == {1: {1, 3, 5, 9}, 2: {2, 4, 6, 8}}  # shared interests decide
    assert sorted(result.unmatched) == [7, 10]
    assert matcher().match(MatchPool(people)) == result  # the same pool, the same pods


def test_no_more_pods_than_two_residents_each_allow():
    people = [person(1, "faculty"), person(2, "faculty"), person(3, "resident"),
              person(4, "resident"), person(5, "resident"), person(6, "student"),
              person(7, "student")]
    result = matcher().match(MatchPool(people))
    assert len(result.groups) == 1 and len(result.unmatched) == 3


def test_the_faculty_member_mentors_each_resident_and_the_student():
    members = [Member(1, "faculty"), Member(2, "resident"), Member(3, "resident"),
               Member(4, "student")]
    assert sorted(matcher().relationships(members)) == [(1, 2), (1, 3), (1, 4), (2, 4),
                                                        (3, 4)]
    assert matcher().describe()[0].startswith("Pods of one faculty, two residents and one")
