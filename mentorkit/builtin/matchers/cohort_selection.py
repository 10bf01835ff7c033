"""Selecting among peer-mentor applicants before matching: the top ``select_per_year`` of
each of the pair's two years by their summed scores, ties at the cut-off broken by earlier
sign-up and reported, shortfalls reported. The cohorts matcher selects with it."""

from __future__ import annotations

from mentorkit.kernel.values import MatchPool, Person, SelectionResult
from mentorkit.solvers.selection import select_top


class YearSelection:
    """Selection for a matcher whose ``Params`` name ``peer_role``, ``year_field``,
    ``pair_years``, ``select_per_year`` and ``selection_scores`` (and optionally a
    ``separate_track`` whose people are not selected)."""

    def _peers(self, people, unmatched) -> tuple[list[Person], list[Person]]:
        """The peer mentors of each of the pair's two years (others told why not)."""
        p = self.params
        by_year = [[x for x in people if x.role == p.peer_role and x.value(p.year_field) == year]
                   for year in p.pair_years]
        for x in people:
            if x.role == p.peer_role and x.value(p.year_field) not in p.pair_years:
                unmatched[x.id] = (f"{p.year_field} is {x.value(p.year_field)!r}, not one of "
                                   f"{p.pair_years}")
        return by_year[0], by_year[1]

    def select(self, pool: MatchPool) -> SelectionResult | None:
        p = self.params
        if not p.select_per_year:
            return None
        people = [x for x in pool.free() if not (p.separate_track and
                                                 x.value(p.track_field) == p.separate_track)]
        unmatched: dict[int, str] = {}
        notes: list[str] = []
        chosen = [x.id for year, applicants in zip(p.pair_years, self._peers(people, unmatched),
                                                   strict=True)
                  for x in self._select(year, applicants, unmatched, notes)]
        return SelectionResult(tuple(chosen), unmatched, tuple(notes))

    def _select(self, year, applicants, unmatched, notes) -> list[Person]:
        """The top ``select_per_year`` by summed scores; ties at the cut-off are broken by
        earlier sign-up, then by id, and reported."""
        p = self.params
        selection = select_top(applicants, p.selection_scores, p.select_per_year)
        for person, rank in selection.not_selected:
            unmatched[person.id] = (f"not selected: ranked {rank} of {len(applicants)} in year "
                                    f"{year} (top {p.select_per_year} selected)")
        if len(applicants) < p.select_per_year:
            notes.append(f"shortfall: only {len(applicants)} year-{year} applicants for "
                         f"{p.select_per_year} places")
        if selection.tie:
            names = ", ".join(x.name for x in selection.tie)
            notes.append(f"tie at the year-{year} cut-off (score {selection.cutoff:g}): {names}; "
                         "broken by earlier sign-up")
        return selection.selected

