"""The LGBTQ program's triads: one student, one trainee and one faculty member per group,
pairs (with why) where numbers or a mentor's preference do not allow a triad; each two members
a relationship, the more senior the mentor; a pair that gains its missing role is a triad."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from mentorkit import CurrentGroup, MatchPool, Member, Person
from mentorkit.kernel.program import load_program
from mentorkit.testing import shipped


def program():
    return load_program(shipped("lgbtq-triads"))


def person(pid: int, role: str, prefers_pair: bool = False) -> Person:
    return Person(id=pid, name=f"P{pid}", email=f"p{pid}@x.org", role=role, sides=frozenset(),
                  answers={"clinical_interests": ["surgery"], "prefers_pair": prefers_pair})


@settings(max_examples=40, deadline=None)
@given(st.lists(st.sampled_from(["student", "trainee", "faculty"]), min_size=1, max_size=12),
       st.data())
def test_triads_have_one_of_each_role_and_nobody_twice(roles, data):
    matcher = program().matcher
    people = [Person(id=i, name=f"P{i}", email=f"p{i}@x.org", role=role, sides=frozenset(),
                     answers={"clinical_interests": data.draw(st.lists(
                         st.sampled_from(["surgery", "pediatrics"]), unique=True)),
                         "prefers_pair": data.draw(st.booleans())})
              for i, role in enumerate(roles)]
    result = matcher.match(MatchPool(people))
    placed = [m.person_id for g in result.groups for m in g.members]
    assert len(placed) == len(set(placed))
    assert set(placed) | set(result.unmatched) == {p.id for p in people}
    for group in result.groups:
        members = [people[m.person_id] for m in group.members]
        if group.shape == "triad":
            assert sorted(p.role for p in members) == ["faculty", "student", "trainee"]
            assert group.fallback is None
            assert not any(p.answers["prefers_pair"] for p in members if p.role == "faculty")
        else:
            assert len(members) == 2 and group.fallback
    # a triad is formed whenever one of each role is left over
    left = {people[i].role for i in result.unmatched}
    assert not {"student", "trainee"} <= left or "faculty" not in {
        people[i].role for i in result.unmatched if not people[i].answers["prefers_pair"]}


def test_a_mentor_who_prefers_a_pair_gets_one_and_the_group_says_why():
    people = [person(1, "student"), person(2, "trainee"), person(3, "faculty", True),
              person(4, "student")]
    result = program().matcher.match(MatchPool(people))
    pairs = {frozenset(m.person_id for m in g.members): g for g in result.groups}
    assert all(g.shape == "pair" for g in result.groups)  # no faculty for a triad
    with_faculty = next(g for ids, g in pairs.items() if 3 in ids)
    assert with_faculty.fallback == "mentor prefers a pair"
    assert "0 triads and 2 fallback pairs" in result.notes


def test_the_shipped_program_forms_triads_and_says_which_groups_fell_back(mentorkit):
    mentorkit("programs", "add", "lgbtq-triads")
    mentorkit("participants", "import", "lgbtq-triads", mentorkit.signups("lgbtq-triads"),
              expect=1)
    mentorkit("eligibility", "lgbtq-triads")
    [proposal] = mentorkit.json("match", "run", "lgbtq-triads")
    shapes = [g["shape"] for g in proposal["groups"]]
    assert "triad" in shapes and set(shapes) <= {"triad", "pair"}
    assert all(g["fallback"] for g in proposal["groups"] if g["shape"] == "pair")
    assert any("fallback pairs" in note for note in proposal["notes"])


def test_each_two_members_are_a_relationship_the_more_senior_the_mentor():
    matcher = program().matcher
    members = [Member(1, "student"), Member(2, "trainee"), Member(3, "faculty")]
    assert sorted(matcher.relationships(members)) == [(2, 1), (3, 1), (3, 2)]
    assert matcher.shape_of(members) == "triad"
    assert matcher.shape_of(members[:2]) == "pair"


def test_a_fallback_pair_that_gains_its_missing_role_becomes_a_triad():
    matcher = program().matcher
    pair = CurrentGroup("g-001", "pair", (Member(1, "student"), Member(3, "faculty")))
    members = [person(1, "student"), person(3, "faculty")]
    opening = matcher.opening(pair, members, person(2, "trainee"))
    assert opening is not None and opening.shape == "triad"
    assert matcher.opening(pair, members, person(4, "student")) is None  # its role is taken
    preferring = [person(1, "student"), person(5, "faculty", True)]
    assert matcher.opening(pair, preferring, person(2, "trainee")) is None
