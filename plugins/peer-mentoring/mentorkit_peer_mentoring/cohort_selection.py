"""Selecting among peer-mentor applicants before matching: the top ``select_per_year`` of
each of the pair's two years by their summed scores, ties at the cut-off broken by earlier
sign-up and reported, shortfalls reported. The cohorts matcher selects with it."""

from __future__ import annotations

from mentorkit import MatchPool, Person, SelectionResult
from mentorkit.solvers.selection import ranked, select_top, tie_break


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
        """The top ``select_per_year`` applicants of each year; on a later run only the
        places left empty (someone selected withdrew) are filled, in rank order, so a year
        never has more than its quota. The separate track's peer mentors are selected by
        their track."""
        p = self.params
        if not p.select_per_year:
            return None
        track = [x for x in pool.people if p.separate_track and x.role == p.peer_role
                 and x.value(p.track_field) == p.separate_track]
        people = [x for x in pool.people if x not in track]
        unmatched: dict[int, str] = {}
        notes: list[str] = []
        chosen = [x.id for x in track]
        if track:
            notes.append(f"{len(track)} {p.separate_track} {p.peer_role}s are selected by "
                         f"their track (the {p.separate_track} track takes every one)")
        for year, applicants in zip(p.pair_years, self._peers(people, unmatched), strict=True):
            kept = [x for x in applicants if x.status == "selected" or pool.occupied.get(x.id)]
            open_places = max(p.select_per_year - len(kept), 0)
            candidates = [x for x in applicants if x not in kept]
            chosen += [x.id for x in kept]
            chosen += [x.id for x in self._select(year, applicants, candidates, open_places,
                                                  unmatched, notes)]
        return SelectionResult(tuple(chosen), unmatched, tuple(notes))

    def _select(self, year, applicants, candidates, places, unmatched, notes) -> list[Person]:
        """The best ``places`` of ``candidates`` by summed scores (ties at the cut-off
        broken as :func:`tie_break` says, and reported); each other candidate is told their
        rank among all of the year's ``applicants``."""
        p = self.params
        rank = {x.id: n for n, x in enumerate(ranked(applicants, p.selection_scores), start=1)}
        selection = select_top(candidates, p.selection_scores, places)
        for person, _ in selection.not_selected:
            unmatched[person.id] = (f"not selected: ranked {rank[person.id]} of "
                                    f"{len(applicants)} in year {year} (top "
                                    f"{p.select_per_year} selected)")
        if len(applicants) < p.select_per_year:
            notes.append(f"shortfall: only {len(applicants)} year-{year} applicants for "
                         f"{p.select_per_year} places")
        if selection.tie:
            cut = sum(1 for x in selection.tie if x in selection.selected)
            names = ", ".join(x.name for x in selection.tie)
            notes.append(f"tie at the year-{year} cut-off (score {selection.cutoff:g}): {names}; "
                         f"{tie_break(selection.tie, cut)}")
        return selection.selected
