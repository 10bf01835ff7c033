"""A select whose SQL is written once, for the queries every request of the participants'
page runs (its session, the member's groups, a group's members and relationships).

peewee writes a query's SQL anew each time it runs, column by column: for a session read
joined to its link, member, cycle and program, that took longer than the database took to
answer it, and was a third of a request. A :class:`Prepared` query is built once, with a
stand-in for each value that changes; its SQL and parameters are kept (for each database
it ran on) and later runs put the values in and hydrate the rows as peewee would.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import peewee as pw

from mentorkit.storage.models import database

# stand-ins for the values of a run: integers no id or flag ever is (a text column's value
# becomes their text, which no real value is either)
_STAND_IN = -7_340_000_001


class Prepared:
    """``build(*stand_ins)`` makes the select; ``rows(*values)`` runs it with ``values`` in
    the stand-ins' places (as the database takes them: ids and text, not records)."""

    def __init__(self, build: Callable[..., pw.SelectBase], values: int) -> None:
        self._build = build
        self._values = values
        self._made: tuple[Any, pw.SelectBase, str, list, list[tuple[int, int]]] | None = None

    def _prepare(self, db: Any) -> tuple[Any, pw.SelectBase, str, list, list[tuple[int, int]]]:
        stand_ins = [_STAND_IN - n for n in range(self._values)]
        query = self._build(*stand_ins)
        sql, params = query.sql()
        places = []
        for index, param in enumerate(params):
            for n, stand_in in enumerate(stand_ins):
                if param == stand_in or param == str(stand_in):
                    places.append((index, n))
        if sorted({n for _, n in places}) != list(range(self._values)):
            raise ValueError("a prepared query must use each of its values")
        made = (db, query, sql, list(params), places)
        self._made = made  # a race rebuilds the same thing: no lock needed
        return made

    def rows(self, *values: Any) -> list:
        """The rows (model instances, joined ones attached) for ``values``."""
        db = database.obj
        made = self._made
        if made is None or made[0] is not db:  # first run, or another database opened
            made = self._prepare(db)
        _, query, sql, params, places = made
        params = list(params)
        for index, n in places:
            params[index] = values[n]
        cursor = database.execute_sql(sql, params)
        return list(query._get_cursor_wrapper(cursor))

    def first(self, *values: Any) -> Any:
        found = self.rows(*values)
        return found[0] if found else None
