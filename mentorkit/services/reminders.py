"""Cadence reminders: one letter per person, naming each of their groups that is due soon or
overdue (a mentor of three residents gets one letter, not three), written to that person from
each group's view: what is due next and by when."""

from __future__ import annotations

import datetime as dt
import re

import attrs

from mentorkit.kernel.concerns import Audience
from mentorkit.kernel.program import Program
from mentorkit.kernel.values import Standing
from mentorkit.services.cadence import GroupStanding
from mentorkit.services.mail import Letter
from mentorkit.views.audience import Viewer
from mentorkit.views.words import listing


@attrs.frozen
class Reminder:
    recipient: str  # e-mail
    name: str
    group: str  # the groups' labels, joined by ", " (``groups`` for each)
    subject: str
    text: str
    person_id: int = 0
    groups: tuple[str, ...] = ()


@attrs.frozen
class _Due:
    """One group's part of a member's reminder."""

    label: str
    others: str  # the other members, by name
    findings: tuple
    overdue: bool
    size: int  # how many members it has
    coming: tuple = ()  # what the rules on track ask next, by when (also ahead)


def reminders(program: Program, standings: list[GroupStanding]) -> list[Reminder]:
    """One message per current member of the groups that are due soon or overdue, naming
    each of their groups that is, written to that member: the others by name, the member as
    "you", and the program's contact."""
    parts: dict[int, list[_Due]] = {}
    readers = {}
    for standing in standings:
        due = tuple(f for f in standing.findings if f.standing != Standing.ON_TRACK)
        if not due:
            continue
        # a reminder goes to the group's members: it is built from their view of the group
        group = Viewer(program, Audience.GROUP, members=[m.id for m in standing.history.members])
        members = group.people(standing.history.members, fields=())  # names, no answers
        overdue = any(f.standing == Standing.OVERDUE for f in due)
        coming = tuple(f.next_due for f in standing.findings
                       if f.standing == Standing.ON_TRACK and f.next_due)
        for person in members:
            others = listing([m.name for m in members if m.id != person.id])
            readers.setdefault(person.id, person)
            parts.setdefault(person.id, []).append(
                _Due(standing.group.label, others, due, overdue, len(members), coming))
    return [_reminder(program, readers[person_id], sorted(due, key=lambda d: d.label))
            for person_id, due in parts.items()]


def _reminder(program: Program, person, due: list[_Due]) -> Reminder:
    info = program.config.program
    worst = "overdue" if any(d.overdue for d in due) else "due soon"
    lines = [f"Dear {person.name},", ""]
    if len(due) == 1:
        one = due[0]
        lines += [f"This is a reminder about your mentoring group {one.label}"
                  + (f" (with {one.others})" if one.others else "") + ".", ""]
        lines += _due_lines(one.findings, person.name, one.coming)
        subject = f"{info.name}: your group {one.label} is {worst}"
    else:
        lines += [f"This is a reminder about {len(due)} of your mentoring groups."]
        for one in due:
            state = "overdue" if one.overdue else "due soon"
            lines += ["", f"Your group {one.label}" + (f" (with {one.others})" if one.others
                                                        else "") + f", {state}:"]
            lines += _due_lines(one.findings, person.name, one.coming)
        named = listing([d.label for d in due]) if len(due) <= 3 else f"{len(due)} groups"
        subject = f"{info.name}: your groups {named} are {worst}"
    lines += ["", ("Not every member needs to attend every meeting. " if any(
        d.size > 2 for d in due) else "") + "Log each meeting on your own page (the link in "
        "your introduction, where the program gave one) or with your program administrator, "
        "so the program knows you met."]
    if info.contact:
        lines += ["", f"Questions: write to {info.contact}."]
    labels = tuple(d.label for d in due)
    return Reminder(person.email, person.name, ", ".join(labels), subject,
                    "\n".join(lines) + "\n", person.id, labels)


def _due_lines(findings, reader: str, coming: tuple = ()) -> list[str]:
    """What is due next and by when, first; what else the program asks next, though not
    yet due (a semester's meeting, beside this month's contact); what fell short earlier
    after, as a fact (nobody can meet last quarter now)."""
    ahead, earlier = [], []
    for finding in findings:
        if finding.next_due:
            ahead.append(f"- {to_reader(finding.next_due, reader)}")
        elif not finding.missed:  # a rule that says it in one line (a plugin's, replies)
            late = finding.standing == Standing.OVERDUE
            when = (f" ({'it was due by' if late else 'by'} {finding.due_by})"
                    if finding.due_by and str(finding.due_by) not in finding.message else "")
            ahead.append(f"- {to_reader(finding.message, reader)}{when}")
        earlier += [f"- {to_reader(missed, reader)}" for missed in finding.missed]
    lines = (["What is due next:", *ahead] if ahead else [])
    if coming:
        lines += ([""] if lines else []) + ["Also coming up:",
                                            *(f"- {to_reader(c, reader)}" for c in coming)]
    if earlier:
        lines += ([""] if lines else []) + [
            "Earlier, your group fell short of the program's cadence (nothing to make up; the "
            "program notes it):", *earlier]
    return lines


def to_reader(message: str, name: str) -> str:
    """A finding written for the administrator ("Ana could not attend"), for Ana herself."""
    if name not in message:  # most findings name no one
        return message
    return re.sub(rf"(?<!\w){re.escape(name)}(?!\w)", "you", message)


def reminder_letters(reminders: list[Reminder], day: dt.date) -> list[Letter]:
    """Cadence reminders as letters: one per person and day, about their groups due (a
    re-run that day is the same message, never sent twice). A letter about several groups
    stands for each group's own reminder too, so a group's reminder is never sent again
    that day on its own."""
    letters = []
    for r in reminders:
        events = [f"{day:%Y-%m-%d}/{label}" for label in r.groups or (r.group,)]
        letters.append(Letter("reminder", events[0] if len(events) == 1
                              else f"{day:%Y-%m-%d}/" + "+".join(r.groups), r.person_id,
                              r.recipient, r.name, r.subject, r.text,
                              also=tuple(events) if len(events) > 1 else ()))
    return letters
