"""Purging a closed cycle's personal data after the program's retention period.

What goes is listed once, in :mod:`mentorkit.services.erasure`: the cycle's names, e-mails and
answers, notes, flags, pair rules, attendance, tokens, assessment responses, records of
messages, and the people who are in no other cycle (with every mention of them in later
records and the audit log). What stays: anonymised counts (participants by role and status,
groups by shape and status, meetings by kind), in the audit log; and everything a later cycle
uses, its enrollments first (the answers ``cycles close`` carried into it are that cycle's).
The purge is one transaction and is audited; on SQLite the file is then rebuilt and its
write-ahead log emptied, so the erased values do not linger in free pages: where another
connection is reading and the log cannot be emptied, the purge says so and fails, and running
it again finishes the job.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter

import attrs
import peewee as pw

from mentorkit.kernel.errors import MentorkitError
from mentorkit.kernel.program import Program
from mentorkit.services import written
from mentorkit.services.erasure import FORMER, PLACES, Scope, audit_mentions
from mentorkit.services.lookup import cycle_named, participants
from mentorkit.services.lookup import groups as lookup_groups
from mentorkit.storage import audit
from mentorkit.storage.models import AuditEntry, Cycle, Group, Meeting, Participant, database
from mentorkit.views.words import possessive

FILES = "files mentorkit wrote with its data (rejects, exports, reports, letters, tokens)"


class RetentionError(MentorkitError, ValueError):
    """A purge that must not happen (an open cycle, a retention period not yet over)."""


@attrs.frozen
class PurgePlan:
    """What a purge of one cycle erases, place by place, before it does."""

    cycle: str
    places: tuple[tuple[str, int], ...]  # (what, how many)
    staying: int  # people of the cycle who are in a later cycle too: their later records stay
    already: bool = False  # the cycle was purged before: this run only finishes the job
    # matching avoids (or keeps) earlier groups, and the open cycle is not matched yet: the
    # purge forgets who was grouped with whom before that match could use it
    history_unused: bool = False


@attrs.frozen
class PurgeReport:
    participants: int
    notes: int
    summary: dict
    forgotten: int = 0  # people in no other cycle, forgotten entirely
    staying: int = 0
    files: int = 0  # files mentorkit wrote with the cycle's data, erased
    files_left: int = 0  # recorded files moved, replaced or taken over: not erased


def _scope(cycle: Cycle, label: str, key: str) -> Scope:
    enrollments = list(Participant.select().where(Participant.cycle == cycle))
    persons = {p.person_id for p in enrollments if p.person_id is not None}
    here = Participant.select(Participant.person).where(Participant.cycle == cycle)
    elsewhere = {p.person_id for p in Participant.select(Participant.person).where(
        Participant.person.in_(here) & (Participant.cycle != cycle))}
    forgotten = persons - elsewhere
    names: dict[str, str] = {}
    for person in enrollments:
        if person.person_id in forgotten:
            names[person.email] = f"purged-{person.id}@invalid"
            if len(person.name) > 2:
                names[person.name] = FORMER
    closed = [e.id for e in AuditEntry.select().where(AuditEntry.action == "cycle.close")
              if e.target == key and (e.detail or {}).get("cycle") == label]
    return Scope(cycle, [p.id for p in enrollments],
                 [g.id for g in cycle.groups], sorted(forgotten), names,
                 frozenset(p.email for p in enrollments), max(closed, default=None))


def _cycle(program: Program, label: str, today: dt.date | None,
           ignore_period: bool) -> Cycle:
    cycle = cycle_named(program.key, label)
    if cycle.status == "open":
        raise RetentionError(f"cycle {label} is still open; close it first "
                             f"(`mentorkit cycles close {program.key}`)")
    keep = program.config.privacy.retention_days
    until = cycle.ends_on + dt.timedelta(days=keep)
    if cycle.status == "closed" and not ignore_period and (today or dt.date.today()) <= until:
        raise RetentionError(f"cycle {possessive(label)} data is kept until {until} "
                             f"(privacy.retention_days = {keep}); use --now to purge earlier")
    return cycle


def plan(program: Program, label: str, today: dt.date | None = None,
         ignore_period: bool = False) -> PurgePlan:
    """What purging ``label`` would erase; raises where it may not be purged."""
    cycle = _cycle(program, label, today, ignore_period)
    scope = _scope(cycle, label, program.key)
    staying = len({p.person_id for p in Participant.select().where(
        Participant.id.in_(scope.enrollments or [0]))} - set(scope.forgotten) - {None})
    places = [(place.name, place.count(scope)) for place in PLACES]
    places.append((FILES, sum(1 for w in written.of_cycle(cycle) if written.still_ours(w.path))))
    history_unused = bool(staying) and program.config.matching.history != "allow" and not (
        Group.select().join(Cycle).where((Cycle.program == cycle.program)
                                         & (Cycle.status == "open")).exists())
    return PurgePlan(label, tuple((what, n) for what, n in places if n), staying,
                     cycle.status == "purged", history_unused)


def purge(program: Program, label: str, today: dt.date | None = None,
          ignore_period: bool = False) -> PurgeReport:
    cycle = _cycle(program, label, today, ignore_period)
    people = participants(program, cycle=cycle)
    groups = lookup_groups(program, cycle=cycle)
    meetings = list(Meeting.select().where(Meeting.group.in_([g.id for g in groups] or [0])))
    summary = {
        "participants": {f"{role}/{status}": n for (role, status), n in
                         sorted(Counter((p.role, p.status) for p in people).items())},
        "groups": {f"{shape}/{status}": n for (shape, status), n in
                   sorted(Counter((g.shape, g.status) for g in groups).items())},
        "meetings": dict(sorted(Counter(m.kind for m in meetings).items())),
    }
    with database.atomic():
        scope = _scope(cycle, label, program.key)
        counts = {place.name: place.count(scope) for place in PLACES}
        for place in PLACES:
            place.erase(scope)
        audit_mentions(scope, program.key)
        staying = len({p.person_id for p in people if p.person_id} - set(scope.forgotten))
        if cycle.status != "purged":
            cycle.status = "purged"
            cycle.save()
            audit.record("cycle.purge", program.key, cycle=label, participants=len(people),
                         notes=counts["private notes"], forgotten=len(scope.forgotten),
                         summary=summary)
    files, left = written.erase(cycle)  # after the commit: a file is not rolled back
    compact()
    return PurgeReport(len(people), counts["private notes"], summary, len(scope.forgotten),
                       staying, files, left)


def compact() -> None:
    """Rewrite the database so erased values do not linger: on SQLite the file is rebuilt
    (VACUUM) and its write-ahead log emptied; a reader holding an old snapshot keeps them in
    the log, and that is an error, not a success. On PostgreSQL the purged tables are
    rewritten (VACUUM FULL)."""
    if isinstance(database.obj, pw.SqliteDatabase):
        try:
            database.execute_sql("VACUUM")
            busy, _, _ = database.execute_sql("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
        except pw.OperationalError as error:
            busy = str(error)
        if busy:
            raise RetentionError(
                "the data is erased, but another connection is reading the database, so its "
                "file still holds old copies (the write-ahead log could not be emptied); "
                "close other mentorkit processes and run the same command again to finish")
    elif isinstance(database.obj, pw.PostgresqlDatabase):
        database.execute_sql("VACUUM FULL")
