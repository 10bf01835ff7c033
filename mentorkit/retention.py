"""Purging a closed cycle's personal data after the program's retention period.

What is kept: anonymised counts (participants by role and status, groups by shape and status,
meetings by kind), stored on the cycle; the audit log (which names no answers). What goes:
names, e-mails and answers (replaced by a placeholder per person), notes, meeting attendance
lists, activity records, pair rules. The purge is one transaction and is audited.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter

import attrs

from mentorkit import audit
from mentorkit.config.loader import Program
from mentorkit.registry_db import NotFoundError, program_record
from mentorkit.storage.models import (
    Attendance,
    Cycle,
    Group,
    Meeting,
    Note,
    PairRule,
    Participant,
    database,
)


class RetentionError(ValueError):
    """A purge that must not happen (an open cycle, a retention period not yet over)."""


@attrs.frozen
class PurgeReport:
    participants: int
    notes: int
    summary: dict


def purge(program: Program, label: str, today: dt.date | None = None,
          ignore_period: bool = False) -> PurgeReport:
    record = program_record(program.key)
    cycle = Cycle.get_or_none((Cycle.program == record) & (Cycle.label == label))
    if cycle is None:
        raise NotFoundError(f"no cycle {label!r} in {program.key}")
    if cycle.status != "closed":
        raise RetentionError(f"cycle {label} is still open; close it first "
                             f"(`mentorkit cycles close {program.key}`)")
    today = today or dt.date.today()
    keep = program.config.privacy.retention_days
    until = cycle.ends_on + dt.timedelta(days=keep)
    if not ignore_period and today <= until:
        raise RetentionError(f"cycle {label}'s data is kept until {until} "
                             f"(privacy.retention_days = {keep}); use --now to purge earlier")
    people = list(Participant.select().where(Participant.cycle == cycle))
    groups = list(Group.select().where(Group.cycle == cycle))
    meetings = list(Meeting.select().join(Group).where(Group.cycle == cycle))
    summary = {
        "participants": {f"{role}/{status}": n for (role, status), n in
                         sorted(Counter((p.role, p.status) for p in people).items())},
        "groups": {f"{shape}/{status}": n for (shape, status), n in
                   sorted(Counter((g.shape, g.status) for g in groups).items())},
        "meetings": dict(sorted(Counter(m.kind for m in meetings).items())),
    }
    with database.atomic():
        removed_notes = Note.delete().where(Note.group.in_(groups)).execute() if groups else 0
        for meeting in meetings:
            meeting.attendees = []
            meeting.save()
        if people:
            Attendance.delete().where(Attendance.participant.in_(people)).execute()
        PairRule.delete().where(PairRule.cycle == cycle).execute()
        for person in people:
            person.name = f"Participant {person.id}"
            person.email = f"purged-{person.id}@invalid"
            person.answers = {}
            person.signed_up_on = None
            person.save()
        for group in groups:
            group.explanation = []
            group.attention = None
            group.save()
        cycle.status = "purged"
        cycle.save()
        audit.record("cycle.purge", program.key, cycle=label, participants=len(people),
                     notes=removed_notes, summary=summary)
    return PurgeReport(len(people), removed_notes, summary)
