"""Selecting the top N applicants by score, with ties at the cut-off made visible.

Programs that interview (peer mentors: 26 from each year) must be able to say why someone was
not selected and whether the cut-off fell inside a tie, so the ranking is explicit: summed
scores, then earlier sign-up, then lower id.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import attrs

from mentorkit.kernel.values import Person


@attrs.frozen
class Selection:
    selected: list[Person]
    not_selected: list[tuple[Person, int]]  # with their rank (1 = best)
    cutoff: float | None  # the last selected score
    tie: list[Person]  # everyone with the cut-off score when it splits selected and not


def total_score(person: Person, fields: Sequence[str]) -> float:
    """Summed scores; a missing score counts as 0 so an incomplete file ranks last."""
    return sum(float(v) for f in fields if isinstance(v := person.value(f), int | float))


def select_top(applicants: Sequence[Person], fields: Sequence[str], places: int) -> Selection:
    ranked = sorted(applicants, key=lambda x: (-total_score(x, fields),
                                               x.signed_up_on or dt.date.max, x.id))
    selected, rest = ranked[:places], ranked[places:]
    cutoff = total_score(selected[-1], fields) if selected else None
    tie: list[Person] = []
    if rest and cutoff is not None and total_score(rest[0], fields) == cutoff:
        tie = [x for x in ranked if total_score(x, fields) == cutoff]
    return Selection(selected, [(x, places + i + 1) for i, x in enumerate(rest)], cutoff, tie)
