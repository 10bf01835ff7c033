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


def ranked(applicants: Sequence[Person], fields: Sequence[str]) -> list[Person]:
    """Best first: summed scores, then earlier sign-up, then the order they were imported."""
    return sorted(applicants, key=lambda x: (-total_score(x, fields),
                                             x.signed_up_on or dt.date.max, x.id))


def select_top(applicants: Sequence[Person], fields: Sequence[str], places: int) -> Selection:
    order = ranked(applicants, fields)
    selected, rest = order[:places], order[places:]
    cutoff = total_score(selected[-1], fields) if selected else None
    tie: list[Person] = []
    if rest and cutoff is not None and total_score(rest[0], fields) == cutoff:
        tie = [x for x in order if total_score(x, fields) == cutoff]
    return Selection(selected, [(x, places + i + 1) for i, x in enumerate(rest)], cutoff, tie)


def tie_break(tie: Sequence[Person], cut: int) -> str:
    """The rule that decided a tie at the cut-off, as applied: the earlier sign-up where the
    tied people signed up on different days, the order they were imported where they did
    not (``cut``: how many of the tied, in rank order, were selected)."""
    inside, outside = tie[:cut], tie[cut:]
    last_in = inside[-1].signed_up_on if inside else None
    first_out = outside[0].signed_up_on if outside else None
    if last_in is not None and first_out is not None and last_in != first_out:
        return "broken by earlier sign-up"
    return "broken by the order they were imported (they signed up on the same day)"
