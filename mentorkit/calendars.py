"""Calendars (.ics) and reminder messages from a program's dates and cadence rules.

The .ics files are written with the maintained ``icalendar`` library (RFC 5545), so they
import into common calendar apps; tests read them back with the same library. Reminders name
people and what is due, never a participant's answers.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re

import attrs
import icalendar

from mentorkit.kernel.concerns import Audience
from mentorkit.kernel.guard import component_hook
from mentorkit.kernel.program import Program
from mentorkit.kernel.values import Standing
from mentorkit.meetings import GroupStanding, history
from mentorkit.storage.models import Group
from mentorkit.views import Viewer

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


def program_calendar(program: Program, group: Group | None = None) -> bytes:
    """The program's dates (deadline, match-by, events, terms); with a group, its suggested
    meeting windows under each cadence rule too."""
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


@attrs.frozen
class Reminder:
    recipient: str  # e-mail
    name: str
    group: str
    subject: str
    text: str
    person_id: int = 0


def reminders(program: Program, standings: list[GroupStanding]) -> list[Reminder]:
    """One message per current member of every group that is due soon or overdue, written
    to that member: the others by name, the member as "you", and the program's contact."""
    info = program.config.program
    found = []
    for standing in standings:
        due = [f for f in standing.findings if f.standing != Standing.ON_TRACK]
        if not due:
            continue
        # a reminder goes to the group's members: it is built from their view of the group
        group = Viewer(program, Audience.GROUP, members=[m.id for m in standing.history.members])
        members = group.people(standing.history.members)
        worst = "overdue" if any(f.standing == Standing.OVERDUE for f in due) else "due soon"
        for person in members:
            others = ", ".join(m.name for m in members if m.id != person.id) or "your group"
            lines = [f"Dear {person.name},", "",
                     f"A reminder from {info.name} about your mentoring group "
                     f"{standing.group.label} (with {others}):", ""]
            for finding in due:
                message = _to_reader(finding.message, person.name)
                when = (f" (by {finding.due_by})" if finding.due_by
                        and str(finding.due_by) not in message else "")
                lines.append(f"- {finding.standing}: {message}{when}")
            lines += ["", "Not every member needs to attend every meeting. Log meetings with "
                          "your program administrator so the program knows you met."]
            if info.contact:
                lines += ["", f"Questions: write to {info.contact}."]
            lines += ["", "This message was generated by mentorkit."]
            found.append(Reminder(person.email, person.name, standing.group.label,
                                  f"{info.name}: your group {standing.group.label} is {worst}",
                                  "\n".join(lines) + "\n", person.id))
    return found


def _to_reader(message: str, name: str) -> str:
    """A finding written for the administrator ("Ana could not attend"), for Ana herself."""
    return re.sub(rf"(?<!\w){re.escape(name)}(?!\w)", "you", message)
