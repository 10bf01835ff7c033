"""Purging a closed cycle's personal data after the program's retention period.

What is kept: anonymised counts (participants by role and status, groups by shape and status,
meetings by kind), in the audit log. What goes: names, e-mails and answers (replaced by a
placeholder per person), notes, meeting attendance lists, activity records, pair rules,
members' tokens; the answers ``cycles close`` carried into later cycles unless the person has
since signed up again; the purged people's e-mails in the audit log, where they are in no
other cycle. The purge is one transaction and is audited; on SQLite the file is then VACUUMed,
so the erased values do not linger in free pages or the write-ahead log.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from typing import Any

import attrs
import peewee as pw

from mentorkit.kernel.errors import MentorkitError
from mentorkit.kernel.program import Program
from mentorkit.services.lookup import cycle_named, participants, program_record
from mentorkit.services.lookup import groups as lookup_groups
from mentorkit.storage import audit
from mentorkit.storage.audit import about_program
from mentorkit.storage.models import (
    AssessmentResponse,
    Attendance,
    AuditEntry,
    Group,
    Meeting,
    MemberToken,
    Note,
    PairRule,
    Participant,
    database,
)


class RetentionError(MentorkitError, ValueError):
    """A purge that must not happen (an open cycle, a retention period not yet over)."""


@attrs.frozen
class PurgeReport:
    participants: int
    notes: int
    summary: dict
    carried: int = 0  # later cycles' copies whose carried answers were erased too


def purge(program: Program, label: str, today: dt.date | None = None,
          ignore_period: bool = False) -> PurgeReport:
    record = program_record(program.key)
    cycle = cycle_named(program.key, label)
    if cycle.status != "closed":
        raise RetentionError(f"cycle {label} is still open; close it first "
                             f"(`mentorkit cycles close {program.key}`)")
    today = today or dt.date.today()
    keep = program.config.privacy.retention_days
    until = cycle.ends_on + dt.timedelta(days=keep)
    if not ignore_period and today <= until:
        raise RetentionError(f"cycle {label}'s data is kept until {until} "
                             f"(privacy.retention_days = {keep}); use --now to purge earlier")
    people = participants(program, cycle=cycle)
    groups = lookup_groups(program, cycle=cycle)
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
        emails = {p.email: f"purged-{p.id}@invalid" for p in people}
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
        ids = [p.id for p in people]
        carried = (Participant.update(answers={}, answers_from=None)
                   .where(Participant.answers_from.in_(ids)).execute()) if ids else 0
        if ids:
            MemberToken.delete().where(MemberToken.participant.in_(ids)).execute()
            AssessmentResponse.delete().where(AssessmentResponse.participant.in_(ids)).execute()
        _forget_people(record, emails, set(ids), label)
        cycle.status = "purged"
        cycle.save()
        audit.record("cycle.purge", program.key, cycle=label, participants=len(people),
                     notes=removed_notes, carried=carried, summary=summary)
    _vacuum()
    return PurgeReport(len(people), removed_notes, summary, carried)


FREE_TEXT = ("reason",)  # what an administrator typed about a person (a change, a withdrawal)


def _forget_people(record, emails: dict[str, str], ids: set[int], label: str) -> None:
    """In this program's audit log, up to the cycle's close: the purged people's e-mails
    replaced where no other cycle has them, and the free text typed about them (reasons for
    a change, a withdrawal, a forbidden pair) erased. Other programs' entries, and later
    cycles', are theirs to keep."""
    remaining = {p.email for p in Participant.select(Participant.email)
                 .where(Participant.program == record)}
    gone = {email: placeholder for email, placeholder in emails.items()
            if email not in remaining}

    def forget(value: Any) -> Any:
        if isinstance(value, str):
            return gone.get(value, value)
        if isinstance(value, list):
            return [forget(item) for item in value]
        if isinstance(value, dict):
            return {key: forget(item) for key, item in value.items()}
        return value

    key = record.key

    def about(entry: AuditEntry) -> bool:
        detail = entry.detail or {}
        ours = about_program(entry.target, detail, key)
        texts = {entry.target, *(v for v in detail.values() if isinstance(v, str))}
        return ours and (bool(texts & emails.keys()) or bool(
            {detail.get("first"), detail.get("second")} & ids))

    closed = [e.id for e in AuditEntry.select().where(AuditEntry.action == "cycle.close")
              if e.target == key and (e.detail or {}).get("cycle") == label]
    entries = AuditEntry.select().where(AuditEntry.id <= max(closed)) if closed else []
    for entry in entries:
        if not about(entry):
            continue
        detail = {key: "" if key in FREE_TEXT else value
                  for key, value in (entry.detail or {}).items()}
        entry.target, entry.detail = forget(entry.target), forget(detail)
        entry.save()


def _vacuum() -> None:
    """On SQLite, rebuild the file and empty the write-ahead log: deleted rows otherwise stay
    readable in free pages until overwritten."""
    if isinstance(database.obj, pw.SqliteDatabase):
        database.execute_sql("VACUUM")
        database.execute_sql("PRAGMA wal_checkpoint(TRUNCATE)")
