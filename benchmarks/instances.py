"""Synthetic matching instances from a fixed seed, with the structure real programs have.

People carry interest tags drawn with Zipf-like popularity (cardiology is common, rheumatology
is not), a learning community and an institution. A pair's fit is the tag overlap plus a bonus
for the same community, plus independent noise per side (a mentee's taste and a mentor's are
not the same thing). Noise is a hash of the pair's indices, so any block of the score matrix
can be computed on its own, identically, by every method being compared.
"""

from __future__ import annotations

import attrs
import numpy as np
import scipy.sparse as sp

TAGS = 40
COMMUNITIES = 10
BLOCK = 1000  # mentee rows of a score matrix that a method computes at a time


@attrs.frozen
class Side:
    tags: sp.csr_matrix  # people x TAGS, 0/1
    community: np.ndarray
    institution: np.ndarray
    stage: np.ndarray


def people(n: int, seed: int, institutions: int = 50, stages: int = 4) -> Side:
    rng = np.random.default_rng(seed)
    popularity = 1.0 / np.arange(1, TAGS + 1) ** 0.8
    popularity /= popularity.sum()
    rows, cols = [], []
    for i in range(n):
        chosen = rng.choice(TAGS, size=rng.integers(1, 5), replace=False, p=popularity)
        rows += [i] * len(chosen)
        cols += chosen.tolist()
    tags = sp.csr_matrix((np.ones(len(rows)), (rows, cols)), shape=(n, TAGS))
    weights = rng.pareto(1.2, institutions) + 1
    stage_weights = np.array([3.0, 4.0, 3.0, 1.0])[:stages]
    return Side(tags, rng.integers(0, COMMUNITIES, n),
                rng.choice(institutions, n, p=weights / weights.sum()),
                rng.choice(stages, n, p=stage_weights / stage_weights.sum()))


def _noise(rows: np.ndarray, cols: np.ndarray, salt: int) -> np.ndarray:
    """Uniform [0, 1) noise from a hash of (row, col, salt): reproducible block by block."""
    x = (rows[:, None].astype(np.uint64) * np.uint64(0x9E3779B1)
         + cols[None, :].astype(np.uint64) * np.uint64(0x85EBCA77) + np.uint64(salt))
    x ^= x >> np.uint64(15)
    x *= np.uint64(0x2C1B3C6D)
    x ^= x >> np.uint64(12)
    return (x % np.uint64(1 << 20)).astype(np.float64) / float(1 << 20)


@attrs.frozen
class Bipartite:
    """Mentees (rows) and mentors (columns) with both sides' utilities, block by block."""

    mentees: Side
    mentors: Side
    forbidden_share: float = 0.01  # "never with one's own supervisor" pairs

    def fit(self, start: int, stop: int) -> np.ndarray:
        """Shared fit (tag overlap + community), without noise."""
        overlap = (self.mentees.tags[start:stop] @ self.mentors.tags.T).toarray()
        same = self.mentees.community[start:stop, None] == self.mentors.community[None, :]
        return 2.0 * overlap + 1.0 * same

    def forbidden(self, start: int, stop: int) -> np.ndarray:
        rows, cols = np.arange(start, stop), np.arange(len(self.mentors.community))
        return _noise(rows, cols, 7) < self.forbidden_share

    def mentee_utility(self, start: int, stop: int) -> np.ndarray:
        rows, cols = np.arange(start, stop), np.arange(len(self.mentors.community))
        return self.fit(start, stop) + 1.5 * _noise(rows, cols, 1)

    def mentor_utility(self, start: int, stop: int) -> np.ndarray:
        rows, cols = np.arange(start, stop), np.arange(len(self.mentors.community))
        return self.fit(start, stop) + 1.5 * _noise(rows, cols, 2)

    def score(self, start: int, stop: int) -> np.ndarray:
        """What best fit maximises: both sides' utilities averaged; -inf where forbidden."""
        both = (self.mentee_utility(start, stop) + self.mentor_utility(start, stop)) / 2
        return np.where(self.forbidden(start, stop), -np.inf, both)


def bipartite(n_mentees: int, n_mentors: int, seed: int = 1) -> Bipartite:
    return Bipartite(people(n_mentees, seed), people(n_mentors, seed + 1000))


def triad_matrices(n: int, seed: int = 3) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Pair scores of students x trainees, students x faculty, trainees x faculty."""
    a, b, c = (people(n, seed + k) for k in range(3))
    rng = np.random.default_rng(seed)

    def pair(x: Side, y: Side) -> np.ndarray:
        overlap = (x.tags @ y.tags.T).toarray()
        return 2.0 * overlap + (x.community[:, None] == y.community[None, :]) + rng.random(
            overlap.shape)

    return pair(a, b), pair(a, c), pair(b, c)


def circle_peers(n: int, institutions: int, seed: int = 5):
    """(stage, institution, topics) codes for n peers."""
    side = people(n, seed, institutions=institutions)
    topics = [tuple(np.flatnonzero(side.tags[i].toarray()[0] > 0) % 12) for i in range(n)]
    return side.stage.tolist(), side.institution.tolist(), [tuple(sorted(set(t)))
                                                            for t in topics]


def program_people(key: str, counts: dict[str, int], seed: int = 0):
    """People signed up to a shipped program at scale, answers drawn the way the example
    exports are made (one to three of a field's choices, a PGY, yes or no), so a pair's
    score comes from the program's own criteria through mentorkit's scoring: a handful of
    distinct values and many ties, as real programs produce. Returns (program, people by
    role)."""
    import random

    from mentorkit.kernel.program import load_program
    from mentorkit.kernel.values import Person
    from mentorkit.services.shipped import shipped_program

    program = load_program(shipped_program(key))
    rng = random.Random(seed)
    by_role, number = {}, 0
    for role, count in counts.items():
        group = []
        for _ in range(count):
            answers = {}
            for field in program.config.intake:
                if field.name in ("name", "email", "role", "sides", "signed_up_on"):
                    continue
                if field.type == "choices" and field.choices:
                    answers[field.name] = rng.sample(field.choices,
                                                     rng.randint(1, min(3, len(field.choices))))
                elif field.type == "choice" and field.choices:
                    answers[field.name] = rng.choice(field.choices)
                elif field.type == "boolean":
                    answers[field.name] = rng.random() < 0.5
                elif field.type == "integer":
                    answers[field.name] = rng.randint(1, 3)
            number += 1
            group.append(Person(number, f"P{number}", f"p{number}@x.org", role, frozenset(),
                                answers))
        by_role[role] = group
    return program, by_role


def program_scores(key: str, mentees: int, mentors: int, seed: int = 0) -> np.ndarray:
    """The float32 score matrix a shipped one-to-one program builds for this many people."""
    from mentorkit.solvers.matrix import score_matrix

    program, people = program_people(key, {"resident": mentees, "faculty": mentors}, seed)
    scorer = program.matcher.scorer()
    rows, cols = people["resident"], people["faculty"]
    return np.vstack([score_matrix(scorer, rows[s:s + 1024], cols).astype(np.float32)
                      for s in range(0, len(rows), 1024)])


def categorical_scores(mentees: int, mentors: int, seed: int = 1) -> np.ndarray:
    """Scores from single-answer criteria with integer weights (same sub-specialty 3, same
    research area 2, both want a well-being focus 1): seven distinct values, and people of
    one answer profile interchangeable, as a program asking one answer per question makes."""
    rng = np.random.default_rng(seed)
    a = rng.integers(0, 11, mentees), rng.integers(0, 6, mentees), rng.integers(0, 2, mentees)
    b = rng.integers(0, 11, mentors), rng.integers(0, 6, mentors), rng.integers(0, 2, mentors)
    return (3.0 * (a[0][:, None] == b[0][None, :]) + 2.0 * (a[1][:, None] == b[1][None, :])
            + 1.0 * (a[2][:, None] & b[2][None, :])).astype(np.float32)
