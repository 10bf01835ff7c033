"""A program file moved by whole years: the same program for another academic year.

``cycles close`` writes next year's file this way, and a database written before each cycle
kept its own file gets every earlier cycle's file back from the program's current one. The
file is edited in place (tomlkit), so it keeps its author's comments and layout; only the
cycle's dates, its terms and events, and the assessments' opening dates move.
"""

from __future__ import annotations

import datetime as dt

CYCLE_DATES = ("academic_year_start", "academic_year_end", "signup_deadline", "match_by")


def _moved(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February in a year that has none
        return day.replace(year=day.year + years, day=28)


def shift_years(text: str, years: int) -> str:
    """``text`` (a program file) with every date of its cycle ``years`` later (earlier when
    negative); the text itself when ``years`` is 0."""
    if not years:
        return text
    import tomlkit  # only closing a cycle, or reading an old database, needs it

    def shift(table, keys: tuple[str, ...]) -> None:
        for key in keys:
            if key in table:
                value = table[key]  # a date, or a date written as a string ("2026-07-01")
                day = value if isinstance(value, dt.date) else dt.date.fromisoformat(
                    str(value))
                table[key] = _moved(day, years)

    document = tomlkit.parse(text)
    cycle = document["cycle"]
    shift(cycle, CYCLE_DATES)
    for term in cycle.get("terms", []):
        shift(term, ("start", "end"))
    for event in cycle.get("events", []):
        shift(event, ("date",))
    for assessment in document.get("assessments", []):  # next year's mid-year, end of year
        shift(assessment, ("opens",))
    return tomlkit.dumps(document)


def start_year(text: str) -> int | None:
    """The year a program file's cycle starts, or None if the file does not say."""
    import tomllib

    try:
        start = tomllib.loads(text)["cycle"]["academic_year_start"]
    except (tomllib.TOMLDecodeError, KeyError, TypeError):
        return None
    if isinstance(start, str):
        try:
            start = dt.date.fromisoformat(start)
        except ValueError:
            return None
    return start.year if isinstance(start, dt.date) else None
