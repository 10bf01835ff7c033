"""The residency program's one-to-one matcher: each resident with one faculty mentor, a mentor
taking at most ``capacity`` (2 in the program), best total fit or stable, on the shipped
program and on random pools."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from mentorkit_im_residency import one_to_one

from mentorkit import CurrentGroup, MatchPool, Member, Person
from mentorkit.kernel.program import load_program, load_program_text
from mentorkit.testing import shipped

TOPICS = ["a", "b", "c", "d"]


def person(pid: int, role: str, topics: list[str], **answers) -> Person:
    return Person(id=pid, name=f"P{pid}", email=f"p{pid}@x.org", role=role,
                  sides=frozenset(), answers={"subspecialty": topics, **answers})


def test_the_shipped_program_pairs_residents_within_each_mentors_capacity(mentorkit):
    mentorkit("programs", "add", "im-residency")
    mentorkit("participants", "import", "im-residency", mentorkit.signups("im-residency"),
              expect=1)  # the example has rows to reject
    mentorkit("eligibility", "im-residency")
    [proposal] = mentorkit.json("match", "run", "im-residency")
    groups = proposal["groups"]
    assert groups and all(g["shape"] == "pair" for g in groups)
    mentors = [m["id"] for g in groups for m in g["members"] if m["role"] == "mentor"]
    assert max(mentors.count(m) for m in mentors) <= 2
    # faculty outnumber residents: those left without a mentee are available, not failures
    assert any("have no mentee this cycle (available)" in n for n in proposal["notes"])


people_strategy = st.lists(
    st.tuples(st.sampled_from(["resident", "faculty"]),
              st.lists(st.sampled_from(TOPICS), max_size=3, unique=True)),
    min_size=1, max_size=12)


@settings(max_examples=40, deadline=None)
@given(people_strategy)
def test_one_to_one_respects_capacity_and_places_everyone_it_can(specs):
    program = load_program(shipped("im-residency"))
    people = [person(i, role, topics) for i, (role, topics) in enumerate(specs)]
    result = program.matcher.match(MatchPool(people))
    mentors = [m.person_id for g in result.groups for m in g.members if m.role == "mentor"]
    mentees = [m.person_id for g in result.groups for m in g.members if m.role == "mentee"]
    assert max((mentors.count(m) for m in set(mentors)), default=0) <= 2
    assert len(mentees) == len(set(mentees))
    n_residents = sum(1 for role, _ in specs if role == "resident")
    n_faculty = len(specs) - n_residents
    assert len(mentees) == min(n_residents, 2 * n_faculty)  # no constraints: fill capacity
    assert set(result.unmatched) | set(mentees) == {p.id for p in people if p.role == "resident"}
    assert program.matcher.match(MatchPool(people)) == result  # deterministic


def test_stable_mode_leaves_no_mentee_and_mentor_who_would_rather_be_together():
    text = shipped("im-residency").read_text().replace(
        "capacity = 2 ", 'mode = "stable"\ncapacity = 2 ')
    assert 'mode = "stable"' in text
    program = load_program_text(text, "stable.toml")
    rng = np.random.default_rng(3)
    people = [person(i, "resident" if i < 12 else "faculty",
                     sorted(set(rng.choice(TOPICS, size=int(rng.integers(1, 4))))))
              for i in range(20)]
    result = program.matcher.match(MatchPool(people))
    assert any("stable matching" in note for note in result.notes)
    assert all(any("choice" in why for why in g.explanation) for g in result.groups)
    assert len(result.groups) == 12  # 8 mentors x 2 places for 12 residents


def test_large_pool_best_fit_is_priced_proved_and_equal_to_the_dense_optimum(monkeypatch):
    """Above DENSE_LIMIT the matcher solves candidate pairs and proves the result by prices;
    lowered here so a pool of 80 takes that path, and compared with the dense answer."""
    from mentorkit.solvers import prices

    program = load_program(shipped("im-residency"))
    rng = np.random.default_rng(7)
    people = [person(i, "resident" if i < 50 else "faculty",
                     sorted(set(rng.choice(TOPICS, size=int(rng.integers(1, 4))))))
              for i in range(80)]
    dense = program.matcher.match(MatchPool(people))
    monkeypatch.setattr(one_to_one, "DENSE_LIMIT", 10)
    typed = program.matcher.match(MatchPool(people))  # few topics: residents of a few types
    assert any("mentor types" in note and "exact" in note for note in typed.notes)
    monkeypatch.setattr(prices, "typed_best_fit", lambda *args, **kwargs: None)
    priced = program.matcher.match(MatchPool(people))
    assert any("proved optimal" in note for note in priced.notes)
    assert not any("proved optimal" in note for note in dense.notes)
    total = lambda result: sum(g.score for g in result.groups)  # noqa: E731
    for result in (typed, priced):
        assert len(result.groups) == len(dense.groups) == 50  # every resident: 60 places
        assert total(result) == pytest.approx(total(dense), rel=1e-6)


def test_a_pair_is_one_relationship_and_too_many_mentees_is_a_conflict():
    program = load_program(shipped("im-residency"))
    members = [Member(7, "mentee"), Member(3, "mentor")]
    assert list(program.matcher.relationships(members)) == [(3, 7)]
    mentor = person(3, "faculty", [])
    pool = MatchPool([mentor, *(person(i, "resident", []) for i in (4, 5, 6))],
                     occupied={3: 3, 4: 1, 5: 1, 6: 1},
                     current=tuple(CurrentGroup(f"g{i}", "pair", (Member(3, "mentor"),
                                                                   Member(i, "mentee")))
                                   for i in (4, 5, 6)))
    assert program.matcher.conflicts(pool.current, pool) == [
        "1 mentor(s) have more mentees than capacity = 2 (up to 3)"]


def test_capacity_below_one_is_a_problem_with_its_key_path(mentorkit, tmp_path):
    bad = tmp_path / "bad.toml"
    bad.write_text(shipped("im-residency").read_text().replace("capacity = 2", "capacity = 0"))
    output = mentorkit("programs", "validate", bad, expect=1).output
    assert "matching.capacity: must be at least 1, got 0" in output
