"""Calendars (.ics) from a program's dates and a group's cadence windows.

The .ics files are written with the maintained ``icalendar`` library (RFC 5545), so they
import into common calendar apps; tests read them back with the same library. They name the
program and the group, never a participant.
"""

from __future__ import annotations

import datetime as dt
import hashlib

import icalendar

from mentorkit.kernel.guard import component_hook
from mentorkit.kernel.program import Program
from mentorkit.services.cadence import history
from mentorkit.services.lookup import find_group

PRODID = "-//mentorkit//mentoring programs//EN"


def _uid(*parts: object) -> str:
    digest = hashlib.sha256("|".join(map(str, parts)).encode()).hexdigest()[:24]
    return f"{digest}@mentorkit"


def _all_day(calendar, title: str, start: dt.date, end: dt.date, uid: str,
             description: str = "") -> None:
    event = icalendar.Event()
    event.add("uid", uid)
    event.add("dtstamp", dt.datetime(2000, 1, 1, tzinfo=dt.UTC))  # stable output
    event.add("summary", title)
    event.add("dtstart", start)
    event.add("dtend", end + dt.timedelta(days=1))  # DTEND of an all-day event is exclusive
    if description:
        event.add("description", description)
    event.add("transp", "TRANSPARENT")
    calendar.add_component(event)


def program_calendar(program: Program, label: str | None = None) -> bytes:
    """The program's dates (deadline, match-by, events, terms); with a group's label, its
    suggested meeting windows under each cadence rule too."""
    group = find_group(program, label) if label else None
    config = program.config
    calendar = icalendar.Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", f"{config.program.name}" + (f" - {group.label}" if group
                                                              else ""))
    calendar.add("x-wr-timezone", config.cycle.timezone)
    cycle = config.cycle
    dates = [("Sign-up deadline", cycle.signup_deadline, ""),
             ("Matches made by", cycle.match_by, "")]
    dates += [(e.name, e.date, e.description) for e in cycle.events]
    for title, day, description in dates:
        if day is not None:
            _all_day(calendar, f"{config.program.name}: {title}", day, day,
                     _uid(config.key, cycle.label, title), description)
    for term in cycle.terms:
        _all_day(calendar, f"{config.program.name}: {term.name}", term.start, term.end,
                 _uid(config.key, cycle.label, "term", term.name))
    if group is not None:
        seen = history(group)
        for rule in program.cadence:
            with component_hook(rule, "cadence rule"):
                windows = list(rule.windows(seen))
            for window in windows:
                _all_day(calendar, f"{group.label}: {window.title}", window.start, window.end,
                         _uid(config.key, group.label, rule.name, window.start),
                         f"Suggested by the program's cadence rule '{rule.name}': "
                         f"{rule.describe()[0]}")
    return calendar.to_ical()
