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
