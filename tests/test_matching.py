"""The core matchers on small random instances: hard rules hold, best fit is optimal."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mentorkit.kernel.program import load_program_text
from mentorkit.kernel.values import MatchPool, Person
from mentorkit.solvers.assignment import FORBIDDEN, assign
from tests.conftest import CONFIGS

TOPICS = ["a", "b", "c", "d"]


def brute_force(scores: np.ndarray, capacities: np.ndarray) -> tuple[int, float]:
    """The best (rows placed, total score) over every way to give each row one column or none:
    as many placed as the rules allow, then the highest total."""
    rows, cols = scores.shape
    best = (0, 0.0)
    for choice in itertools.product(range(-1, cols), repeat=rows):
        used = np.bincount([c for c in choice if c >= 0], minlength=cols)
        if (used > capacities).any():
            continue
        if any(c >= 0 and scores[r, c] <= FORBIDDEN / 2 for r, c in enumerate(choice)):
            continue
        placed = [(r, c) for r, c in enumerate(choice) if c >= 0]
        best = max(best, (len(placed), sum(scores[r, c] for r, c in placed)))
    return best


@settings(max_examples=150, deadline=None)
@given(st.integers(1, 4), st.integers(1, 3), st.data())
def test_assignment_is_optimal_and_respects_capacity_and_forbidden_pairs(rows, cols, data):
    scores = np.array(data.draw(st.lists(
        st.lists(st.one_of(st.integers(0, 9).map(float), st.just(FORBIDDEN)),
                 min_size=cols, max_size=cols), min_size=rows, max_size=rows)))
    capacities = np.array(data.draw(st.lists(st.integers(0, 2), min_size=cols, max_size=cols)))
    pairs = assign(scores, capacities)
    used = np.bincount([c for _, c in pairs], minlength=cols)
    assert (used <= capacities).all()
    assert len({r for r, _ in pairs}) == len(pairs)
    assert all(scores[r, c] > FORBIDDEN / 2 for r, c in pairs)
    assert (len(pairs), sum(scores[r, c] for r, c in pairs)) == brute_force(scores, capacities)


def person(pid: int, role: str, topics: list[str], **answers) -> Person:
    return Person(id=pid, name=f"P{pid}", email=f"p{pid}@x.org", role=role,
                  sides=frozenset(), answers={"subspecialty": topics, **answers})


people_strategy = st.lists(
    st.tuples(st.sampled_from(["resident", "faculty"]),
              st.lists(st.sampled_from(TOPICS), max_size=3, unique=True)),
    min_size=1, max_size=12)


@settings(max_examples=40, deadline=None)
@given(people_strategy)
def test_one_to_one_respects_capacity_and_places_everyone_it_can(specs):
    program = load_program_text((CONFIGS / "im-residency.toml").read_text(), "t")
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


@settings(max_examples=40, deadline=None)
@given(st.lists(st.sampled_from(["student", "trainee", "faculty"]), min_size=1, max_size=12),
       st.data())
def test_triads_have_one_of_each_role_and_nobody_twice(roles, data):
    program = load_program_text((CONFIGS / "lgbtq-triads.toml").read_text(), "t")
    people = [Person(id=i, name=f"P{i}", email=f"p{i}@x.org", role=role, sides=frozenset(),
                     answers={"clinical_interests": data.draw(st.lists(
                         st.sampled_from(["surgery", "pediatrics"]), unique=True)),
                         "prefers_pair": data.draw(st.booleans())})
              for i, role in enumerate(roles)]
    result = program.matcher.match(MatchPool(people))
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


def test_hard_constraint_leaves_someone_unmatched_rather_than_break_it():
    text = (CONFIGS / "im-residency.toml").read_text().replace(
        "[[cadence]]\n#", '[[matching.constraints]]\nkind = "different"\nfield = "pgy"\n\n'
                          "[[cadence]]\n#", 1)
    program = load_program_text(text, "t")
    people = [person(1, "resident", ["a"], pgy=1), person(2, "faculty", ["a"], pgy=1)]
    result = program.matcher.match(MatchPool(people))
    assert result.groups == ()
    assert result.unmatched == {1: "no compatible candidate (must have different pgy)"}


def test_explanations_never_show_a_sensitive_value():
    program = load_program_text((CONFIGS / "lgbtq-triads.toml").read_text(), "t")
    people = [Person(id=i, name=f"P{i}", email=f"p{i}@x.org", role=role, sides=frozenset(),
                     answers={"outness": "selectively out", "clinical_interests": ["surgery"]})
              for i, role in enumerate(["student", "trainee", "faculty"])]
    result = program.matcher.match(MatchPool(people))
    text = " ".join(reason for group in result.groups for reason in group.explanation)
    assert "surgery" in text and "out-ness" in text
    assert "selectively out" not in text


def test_large_pool_best_fit_is_priced_proved_and_equal_to_the_dense_optimum(monkeypatch):
    """Above DENSE_LIMIT the matcher solves candidate pairs and proves the result by prices;
    lowered here so a pool of 80 takes that path, and compared with the dense answer."""
    from mentorkit.builtin.matchers import one_to_one as builtin

    program = load_program_text((CONFIGS / "im-residency.toml").read_text(), "t")
    rng = np.random.default_rng(7)
    people = [person(i, "resident" if i < 50 else "faculty",
                     sorted(set(rng.choice(TOPICS, size=int(rng.integers(1, 4))))))
              for i in range(80)]
    from mentorkit.solvers import prices

    dense = program.matcher.match(MatchPool(people))
    monkeypatch.setattr(builtin, "DENSE_LIMIT", 10)
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
