"""The text of an introduction: one letter to one person about every group of theirs it
welcomes them to, written for that reader.

It says who is in each group and how to reach them (with the pronouns, institution or time
zone each member shares with the group, where the program introduces them), why the group
was formed, when to meet first (the program's next event and each cadence rule's first
window, as days where the program runs), the goals the group works on, and the program's
resources; the group's calendar is attached. What is shown of each member comes from their
group's view (:class:`mentorkit.views.audience.Viewer` for that group).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import attrs

from mentorkit.kernel.program import Program
from mentorkit.kernel.values import GroupHistory, Person, Standing
from mentorkit.services import calendars
from mentorkit.services.cadence import evaluate
from mentorkit.services.letters import (
    closing,
    listing,
    member_lines,
    plain_words,
    plural,
    reasons,
)
from mentorkit.views.audience import PersonView


@attrs.frozen
class Section:
    """One group as an introduction shows it (the same for each member who reads it)."""

    label: str
    shape: str
    members: tuple[PersonView, ...]
    explanation: tuple[str, ...]
    fallback: str | None
    continued: bool
    history: GroupHistory
    first: tuple[str, ...]  # each cadence rule's expectation and its first window
    events: str  # the group's windows as calendar lines, joined


def section(program: Program, group, members: list[PersonView], seen: GroupHistory,
            made: str, today: dt.date | None = None) -> Section:
    """What every welcome to ``group`` says of it: under each cadence rule, the first window
    the group has, or where the letter is written later (a group matched late, a newcomer's
    welcome), the next one still open on ``today``: never a window already past."""
    first = []
    found = calendars.windows(program, seen)  # asked once, for the letter and its calendar
    moment = (dt.datetime.combine(today, dt.time(12), program.config.cycle.zone)
              if today is not None else None)  # the letter's day, for what is owed on it
    for rule, windows, said in found:
        open_ = [w for w in windows if today is None or w.end >= today]
        late = _due_now(rule, seen, moment) if moment and windows and (
            not open_ or open_[0] is not windows[0]) else None
        if late:  # what `cadence status` and the reminders say is due, not a later window
            first.append(f"{said} Next: {late}.")
            continue
        if not open_:
            first.append(said)
            continue
        lead = "Your first" if open_[0] is windows[0] else "Next"
        first.append(f"{said} {lead}: {open_[0].title}, {_span(open_[0])}.")
    return Section(group.label, group.shape, tuple(members),
                   tuple(reasons(program, group.explanation)),
                   plain_words(program, group.fallback) if group.fallback else None,
                   group.continued_from_id is not None, seen, tuple(first),
                   "\r\n".join(calendars.group_events(program, seen, made, found)))


def _due_now(rule, seen: GroupHistory, moment: dt.datetime) -> str | None:
    """What ``rule`` says is due next, where a letter is written after the group's first
    window began and the rule finds the group due or overdue: the words `cadence status` and
    the reminders use ("2 more meetings by 2026-12-21", "a meeting as soon as possible"), not
    a later window that would pass over what is still owed."""
    found = evaluate(rule, seen, moment)
    return found.next_due if found.standing != Standing.ON_TRACK and found.next_due else None


def _span(window) -> str:
    if window.start == window.end:
        return f"on {window.start:%A %-d %B %Y}"
    return f"{window.start:%-d %B} to {window.end:%-d %B %Y}"


def _opening(program: Program, reader: str, sections: Sequence[Section]) -> list[str]:
    year = program.config.cycle.label
    if len(sections) == 1 and sections[0].continued:
        return [f"Dear {reader},", "", f"Your mentoring group {sections[0].label} goes on into "
                f"{year}, with the same members. Here is who they are and how to reach them."]
    shown = [s.label for s in sections]
    what = (f"the mentoring group {shown[0]}" if len(shown) == 1 else
            f"{plural(len(shown), 'mentoring group')} ({listing(shown)})")
    return [f"Dear {reader},", "", f"Welcome! For {year} you are matched in {what}. Here is "
            "who is in " + ("it" if len(shown) == 1 else "each") + " and how to reach them."]


def _group(program: Program, section: Section, reader: int, fields: Sequence[str],
           several: bool) -> list[str]:
    others = [m for m in section.members if m.id != reader]
    heading = (f"Your {section.shape} {section.label}" if several or section.shape else
               f"Your group {section.label}")
    lines = ["", heading + (" (continued from last year)" if section.continued and several
                            else "") + (":" if others else "")]
    for member in others:
        lines += member_lines(program, member, fields)
    if not others:
        lines.append("You are its only member for now; the program will be in touch.")
    if section.explanation and others:
        lines.append("Why you were matched: " + "; ".join(section.explanation) + ".")
    if section.fallback:
        lines.append(f"About its shape: {section.fallback}.")
    return lines


def _getting_started(program: Program, sections: Sequence[Section]) -> list[str]:
    cycle = program.config.cycle
    started = min(s.history.started_on for s in sections)
    lines = ["", "Getting started (dates are days in " + cycle.timezone + "):"]
    lines += [f"- {event.name} on {event.date:%A %-d %B %Y}"
              + (f": {event.description}" if event.description else "")
              for event in cycle.events if event.date >= started]
    firsts = [s.first for s in sections]
    if all(first == firsts[0] for first in firsts):
        lines += [f"- {line}" for line in firsts[0]]
    else:
        for one in sections:
            lines += [f"- {one.label}: {line}" for line in one.first]
    if any(len(one.history.members) > 2 for one in sections):  # a pair meets as two
        lines.append("- Not every member needs to attend every meeting.")
    lines.append("- The attached calendar holds these dates and every meeting window of the "
                 "year; open it to add them to your own calendar.")
    return lines


_made: dict[tuple[int, frozenset[str]], tuple[Program, tuple[str, ...]]] = {}


def _closing_parts(program: Program, sides: frozenset[str]) -> tuple[str, ...]:
    """The goals, the resources and the closing words, the same in every letter to a reader
    on these sides (made once per program and side)."""
    known = _made.get((id(program), sides))
    if known is not None and known[0] is program:
        return known[1]
    reader = Person(id=0, name="", email="", role="", sides=sides, answers={})
    found = (*_goals(program, reader), *_resources(program), *_confidentiality(program), "",
             "Please write to each other this week to arrange your first meeting.", "",
             *closing(program))
    _made[(id(program), sides)] = (program, found)
    return found


def _confidentiality(program: Program) -> list[str]:
    """The program's Disclosure and Confidentiality Statement and what its members refer on
    instead of handling among themselves: every member works under them, so every welcome
    says them (a peer mentor first of all)."""
    privacy = program.config.privacy
    lines = []
    if privacy.disclosure:
        lines += ["", "Confidentiality, in the program's own Disclosure and Confidentiality "
                      f"Statement: {privacy.disclosure}"]
    if privacy.referral_scenarios:
        lines += ["", f"Some situations are not for your group to handle: bring them to "
                      f"{privacy.refer_to}:",
                  *(f"  - {scenario.description}" for scenario in privacy.referral_scenarios)]
    return lines


def _goals(program: Program, person: Person) -> list[str]:
    goals = program.config.goals
    count = goals.count
    if "mentee" in person.sides:
        said = f"you set {count} with your mentor's help"
    elif "mentor" in person.sides:
        said = f"each of your mentees sets {count}, and you help them set and reach them"
    else:
        said = f"each of you sets {count}, with the group's help"
    return ["", f"{goals.title}: {said}; the group reviews them {goals.review}. For each:",
            *(f"  - {prompt}" for prompt in goals.prompts)]


def _resources(program: Program) -> list[str]:
    found = program.config.resources
    if not found:
        return []
    lines = ["", "Resources the program recommends:"]
    for resource in found:
        lines.append(f"- {resource.title} ({resource.kind})"
                     + (f": {resource.url}" if resource.url else ""))
        if resource.note:
            lines.append(f"  {resource.note}")
    return lines


def text(program: Program, person: Person, sections: Sequence[Section],
         fields: Sequence[str]) -> str:
    """The welcome of ``person`` to ``sections`` (their new groups)."""
    lines = _opening(program, person.name, sections)
    for one in sections:
        lines += _group(program, one, person.id, fields, len(sections) > 1)
    lines += _getting_started(program, sections)
    lines += _closing_parts(program, person.sides)
    return "\n".join(lines).rstrip("\n") + "\n"


def subject(program: Program, sections: Sequence[Section]) -> str:
    name = program.config.program.name
    if len(sections) == 1:
        verb = "continues" if sections[0].continued else "meet your mentoring group"
        return (f"{name}: your group {sections[0].label} {verb}" if sections[0].continued
                else f"{name}: {verb} {sections[0].label}")
    return f"{name}: meet your {len(sections)} mentoring groups"


def calendar(program: Program, sections: Sequence[Section], common: str) -> bytes:
    """The calendar an introduction attaches: the program's dates (``common``: their lines,
    joined), each group's windows."""
    name = program.config.program.name
    events = [common, *(one.events for one in sections if one.events)]
    return calendars.calendar(program, f"{name} - " + ", ".join(s.label for s in sections),
                              [e for e in events if e])
