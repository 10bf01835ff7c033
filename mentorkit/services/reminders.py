"""Cadence reminders: one letter per member of each group that is due soon or overdue, written
to that member from their group's view, saying what is due next and by when."""

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
        members = group.people(standing.history.members, fields=())  # names, no answers
        worst = "overdue" if any(f.standing == Standing.OVERDUE for f in due) else "due soon"
        for person in members:
            others = listing([m.name for m in members if m.id != person.id])
            lines = [f"Dear {person.name},", "",
                     f"This is a reminder about your mentoring group {standing.group.label}"
                     + (f" (with {others})" if others else "") + ".", ""]
            lines += _due_lines(due, person.name)
            lines += ["", "Not every member needs to attend every meeting. Log each one on "
                          "your own page (the link in your introduction, where the program "
                          "gave one) or with your program administrator, so the program "
                          "knows you met."]
            if info.contact:
                lines += ["", f"Questions: write to {info.contact}."]
            found.append(Reminder(person.email, person.name, standing.group.label,
                                  f"{info.name}: your group {standing.group.label} is {worst}",
                                  "\n".join(lines) + "\n", person.id))
    return found


def _due_lines(findings, reader: str) -> list[str]:
    """What is due next and by when, first; what fell short earlier after, as a fact (nobody
    can meet last quarter now)."""
    ahead, earlier = [], []
    for finding in findings:
        if finding.next_due:
            ahead.append(f"- {_to_reader(finding.next_due, reader)}")
        elif not finding.missed:  # a rule that says it in one line (a plugin's, replies)
            late = finding.standing == Standing.OVERDUE
            when = (f" ({'it was due by' if late else 'by'} {finding.due_by})"
                    if finding.due_by and str(finding.due_by) not in finding.message else "")
            ahead.append(f"- {_to_reader(finding.message, reader)}{when}")
        earlier += [f"- {_to_reader(missed, reader)}" for missed in finding.missed]
    lines = (["What is due next:", *ahead] if ahead else [])
    if earlier:
        lines += ([""] if lines else []) + [
            "Earlier, your group fell short of the program's cadence (nothing to make up; the "
            "program notes it):", *earlier]
    return lines


def _to_reader(message: str, name: str) -> str:
    """A finding written for the administrator ("Ana could not attend"), for Ana herself."""
    if name not in message:  # most findings name no one
        return message
    return re.sub(rf"(?<!\w){re.escape(name)}(?!\w)", "you", message)


def reminder_letters(reminders: list[Reminder], day: dt.date) -> list[Letter]:
    """Cadence reminders as letters: one per person, group and day (a re-run that day is the
    same message, never sent twice)."""
    return [Letter("reminder", f"{day:%Y-%m-%d}/{r.group}", r.person_id, r.recipient, r.name,
                   r.subject, r.text) for r in reminders]
