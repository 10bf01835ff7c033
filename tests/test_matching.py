"""Matching through the core: the assignment solver is optimal on small random instances, a hard
rule leaves someone unmatched rather than break, explanations never show a sensitive value
(each matcher's own properties are tested in its plugin, plugins/*/tests)."""

from __future__ import annotations

import itertools

import numpy as np
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
