"""Calendars (.ics) from a program's dates and its groups' cadence windows.

The files are iCalendar (RFC 5545) as calendar apps import it: all-day events with a stable
UID each (a re-imported file updates its events rather than doubling them) and a DTSTAMP of
when the file was made. They are written here, line by line (escaped and folded as the RFC
says), because an introduction carries one per letter and a large program sends thousands;
the tests read every one back with the ``icalendar`` library. They name the program and its
groups, never a participant.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
from collections.abc import Iterable, Sequence

from mentorkit.kernel.guard import component_hook
from mentorkit.kernel.program import Program
from mentorkit.kernel.values import GroupHistory
from mentorkit.services.cadence import history
from mentorkit.services.lookup import find_group

PRODID = "-//mentorkit//mentoring programs//EN"
LINE = 75  # octets per line before folding (RFC 5545 3.1)


def _uid(*parts: object) -> str:
    digest = hashlib.sha256("|".join(map(str, parts)).encode()).hexdigest()[:24]
    return f"{digest}@mentorkit"


def _text(value: str) -> str:
    """A TEXT value, escaped (RFC 5545 3.3.11)."""
    return (value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
            .replace("\r\n", "\\n").replace("\n", "\\n"))


def _fold(line: str) -> str:
    """A content line folded at 75 octets, never inside a UTF-8 sequence."""
    data = line.encode("utf-8")
    if len(data) <= LINE:
        return line
    pieces, start, limit = [], 0, LINE
    while start < len(data):
        end = min(start + limit, len(data))
        while end < len(data) and (data[end] & 0xC0) == 0x80:  # a continuation byte
            end -= 1
        pieces.append(data[start:end].decode("utf-8"))
        start, limit = end, LINE - 1  # a folded line starts with a space
    return "\r\n ".join(pieces)


def stamp() -> str:
    """DTSTAMP: when the file is made, in UTC."""
    return dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%SZ")


@functools.lru_cache(maxsize=512)
def _property(name: str, value: str) -> str:
    """``NAME:value``, escaped and folded (a description repeats for every window of a
    rule, in every group's calendar: it is made once)."""
    return _fold(f"{name}:{_text(value)}")


@functools.lru_cache(maxsize=1024)
def _day(day: dt.date) -> str:  # the same few dates in every group's calendar
    return day.isoformat().replace("-", "")


def _event(title: str, start: dt.date, end: dt.date, uid: str, made: str,
           description: str = "") -> list[str]:
    """An all-day event from ``start`` to ``end`` (both included; DTEND is exclusive), its
    lines folded."""
    lines = ["BEGIN:VEVENT", f"UID:{uid}", f"DTSTAMP:{made}", _property("SUMMARY", title),
             f"DTSTART;VALUE=DATE:{_day(start)}",
             f"DTEND;VALUE=DATE:{_day(end + dt.timedelta(days=1))}"]
    if description:
        lines.append(_property("DESCRIPTION", description))
    return [*lines, "TRANSP:TRANSPARENT", "END:VEVENT"]


def program_events(program: Program, made: str) -> list[str]:
    """The program's dates: the sign-up deadline, the match-by date, its events and terms."""
    config = program.config
    cycle, name = config.cycle, config.program.name
    dates = [("Sign-up deadline", cycle.signup_deadline, ""),
             ("Matches made by", cycle.match_by, "")]
    dates += [(e.name, e.date, e.description) for e in cycle.events]
    lines = []
    for title, day, description in dates:
        if day is not None:
            lines += _event(f"{name}: {title}", day, day, _uid(config.key, cycle.label, title),
                            made, description)
    for term in cycle.terms:
        lines += _event(f"{name}: {term.name}", term.start, term.end,
                        _uid(config.key, cycle.label, "term", term.name), made)
    return lines


def windows(program: Program, seen: GroupHistory) -> list[tuple[object, list, str]]:
    """(rule, its suggested windows, what it expects in words) for each cadence rule."""
    found = []
    for rule in program.cadence:
        with component_hook(rule, "cadence rule"):
            found.append((rule, list(rule.windows(seen)), _expects(rule)))
    return found


# Per rule (by identity): what it expects in words, asked once and not once per group of a
# 6,000-person program; rules are built once per program and describe the program, not a group.
_EXPECTS: dict[int, tuple[object, str]] = {}


def _expects(rule) -> str:
    known = _EXPECTS.get(id(rule))
    if known is None or known[0] is not rule:
        known = (rule, rule.describe()[0])
        _EXPECTS[id(rule)] = known
    return known[1]


def group_events(program: Program, seen: GroupHistory, made: str,
                 found: list | None = None) -> list[str]:
    """The group's suggested meeting windows under each cadence rule (``found``: its
    :func:`windows`, where the caller asked for them already)."""
    lines = []
    for rule, found_windows, said in windows(program, seen) if found is None else found:
        for window in found_windows:
            lines += _event(f"{seen.label}: {window.title}", window.start, window.end,
                            _uid(program.key, seen.label, rule.name, window.start), made,
                            f"Suggested by the program: {said}")
    return lines


def calendar(program: Program, title: str, events: Iterable[str]) -> bytes:
    """A whole calendar of ``events`` (content lines, folded), named ``title``."""
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", f"PRODID:{PRODID}",
             _fold(f"X-WR-CALNAME:{_text(title)}"),
             f"X-WR-TIMEZONE:{program.config.cycle.timezone}", *events, "END:VCALENDAR"]
    return ("\r\n".join(lines) + "\r\n").encode("utf-8")


def program_calendar(program: Program, label: str | None = None) -> bytes:
    """The program's dates (deadline, match-by, events, terms); with a group's label, its
    suggested meeting windows under each cadence rule too."""
    group = find_group(program, label) if label else None
    made = stamp()
    events = program_events(program, made)
    name = program.config.program.name
    if group is not None:
        events += group_events(program, history(group), made)
    return calendar(program, name + (f" - {group.label}" if group else ""), events)


def groups_calendar(program: Program, seen: Sequence[GroupHistory], made: str,
                    common: list[str] | None = None) -> bytes:
    """The program's dates and the windows of each of ``seen`` (a member's groups), as an
    introduction attaches it; ``common``: the program's events, made once for many."""
    events = list(common if common is not None else program_events(program, made))
    for one in seen:
        events += group_events(program, one, made)
    name = program.config.program.name
    return calendar(program, f"{name} - " + ", ".join(one.label for one in seen), events)
