"""Copying programs between databases (SQLite file <-> PostgreSQL), verified.

Rows are copied table by table in the order their references need, with new ids in the
destination and every reference mapped to them, inside one destination transaction. Then each
table is compared: row counts, and a SHA-256 checksum of its content with ids replaced by the
mapped ones, computed from the source and read back from the destination. Any difference rolls
the copy back.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Callable

import attrs
import peewee as pw

from mentorkit.kernel.errors import MentorkitError
from mentorkit.storage.audit import about_program
from mentorkit.storage.migrations import migrate
from mentorkit.storage.models import (
    AssessmentResponse,
    Attendance,
    AuditEntry,
    Cycle,
    Flag,
    Group,
    Meeting,
    Membership,
    MemberToken,
    Note,
    PageSession,
    PairRule,
    Participant,
    ParticipantLink,
    Person,
    ProgramRecord,
    Relationship,
    SchemaVersion,
    SentMessage,
    WrittenFile,
)

ORDER: tuple[type[pw.Model], ...] = (ProgramRecord, Cycle, Person, Participant, Group,
                                     Membership, Relationship, Flag, Meeting, Note, PairRule,
                                     Attendance, MemberToken, AssessmentResponse, SentMessage,
                                     WrittenFile, ParticipantLink, PageSession, AuditEntry)
# Plain integer columns that hold an id of the same table (mapped like a self-reference).
ID_COLUMNS: dict[type[pw.Model], tuple[str, ...]] = {Participant: ("answers_from",)}
ALL_MODELS = (*ORDER, SchemaVersion)


class CopyError(MentorkitError, RuntimeError):
    """The copy cannot be made, or did not verify (nothing is left in the destination)."""


@attrs.frozen
class TableCheck:
    table: str
    source_rows: int
    copied_rows: int
    checksum: str
    matches: bool


def _jsonable(value):
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    return value


def _checksum(rows: list[dict]) -> str:
    lines = sorted(json.dumps(row, sort_keys=True, default=_jsonable) for row in rows)
    return hashlib.sha256("\n".join(lines).encode()).hexdigest()


def _foreign_keys(model: type[pw.Model]) -> list[pw.ForeignKeyField]:
    return [f for f in model._meta.sorted_fields if isinstance(f, pw.ForeignKeyField)]


def _selection(program_key: str | None) -> dict[type[pw.Model], Callable]:
    """Per table, the query of the rows to copy (one program's, or everything)."""
    if program_key is None:
        return {model: model.select for model in ORDER}
    programs = ProgramRecord.select().where(ProgramRecord.key == program_key)
    cycles = Cycle.select(Cycle.id).where(Cycle.program.in_(programs))
    people = Participant.select(Participant.id).where(Participant.program.in_(programs))
    groups = Group.select(Group.id).where(Group.program.in_(programs))
    return {
        ProgramRecord: lambda: programs,
        Cycle: lambda: Cycle.select().where(Cycle.program.in_(programs)),
        Person: lambda: Person.select().where(Person.program.in_(programs)),
        Participant: lambda: Participant.select().where(Participant.program.in_(programs)),
        Group: lambda: Group.select().where(Group.program.in_(programs)),
        Membership: lambda: Membership.select().where(Membership.group.in_(groups)),
        Relationship: lambda: Relationship.select().where(Relationship.group.in_(groups)),
        Flag: lambda: Flag.select().where(Flag.group.in_(groups)),
        Meeting: lambda: Meeting.select().where(Meeting.group.in_(groups)),
        Note: lambda: Note.select().where(Note.group.in_(groups)),
        PairRule: lambda: PairRule.select().where(PairRule.cycle.in_(cycles)),
        Attendance: lambda: Attendance.select().where(Attendance.participant.in_(people)),
        MemberToken: lambda: MemberToken.select().where(MemberToken.participant.in_(people)),
        AssessmentResponse: lambda: AssessmentResponse.select().where(
            AssessmentResponse.participant.in_(people)),
        SentMessage: lambda: SentMessage.select().where(SentMessage.program.in_(programs)),
        WrittenFile: lambda: WrittenFile.select().where(WrittenFile.program.in_(programs)),
        ParticipantLink: lambda: ParticipantLink.select().where(
            ParticipantLink.participant.in_(people)),
        PageSession: lambda: PageSession.select().join(ParticipantLink).where(
            ParticipantLink.participant.in_(people)),
        AuditEntry: lambda: AuditEntry.select(),  # filtered below: entries about the program
    }


def copy_database(source: pw.Database, target: pw.Database,
                  program_key: str | None = None) -> list[TableCheck]:
    with source.bind_ctx(ALL_MODELS):
        migrate(source)
        if program_key and not ProgramRecord.select().where(
                ProgramRecord.key == program_key).exists():
            raise CopyError(f"no program {program_key!r} in the source database")
        chosen = _selection(program_key)
        rows = {model: list(chosen[model]().order_by(model.id).dicts()) for model in ORDER}
    if program_key:
        rows[AuditEntry] = [r for r in rows[AuditEntry]
                            if about_program(r["target"] or "", r["detail"], program_key)]
    with target.bind_ctx(ALL_MODELS):
        migrate(target)
        keys = [r["key"] for r in rows[ProgramRecord]]
        clash = [p.key for p in ProgramRecord.select().where(ProgramRecord.key.in_(keys))]
        if clash:
            raise CopyError(f"the destination already has the program"
                            f"{'' if len(clash) == 1 else 's'} {', '.join(clash)}")
        checks: list[TableCheck] = []
        with target.atomic() as transaction:
            ids: dict[type[pw.Model], dict[int, int]] = {}
            expected: dict[type[pw.Model], list[dict]] = {}
            for model in ORDER:
                mapped, expected[model] = _copy_table(model, rows[model], ids)
                ids[model] = mapped
            for model in ORDER:
                found = list(model.select().where(model.id.in_(list(ids[model].values())))
                             .dicts()) if ids[model] else []
                source_sum, copied_sum = _checksum(expected[model]), _checksum(found)
                checks.append(TableCheck(model._meta.table_name, len(rows[model]), len(found),
                                         copied_sum, source_sum == copied_sum))
            if not all(check.matches and check.source_rows == check.copied_rows
                       for check in checks):
                transaction.rollback()
                bad = [c.table for c in checks if not c.matches]
                raise CopyError(f"the copy did not verify ({', '.join(bad)}); nothing was kept")
    return checks


def _copy_table(model, source_rows, ids):
    """Insert ``source_rows`` with new ids; returns the id map and the rows as they should
    read back (ids and references mapped)."""
    references = _foreign_keys(model)
    mapped: dict[int, int] = {}
    expected: list[dict] = []
    later: list[tuple[int, str, int]] = []  # self-references resolved after all inserts
    for row in source_rows:
        values = dict(row)
        old = values.pop("id")
        for name in ID_COLUMNS.get(model, ()):
            if values.get(name) is not None:
                later.append((old, name, values[name]))
                values[name] = None
        for field in references:
            value = values.get(field.name)
            if value is None:
                continue
            if field.rel_model is model:
                later.append((old, field.name, value))
                values[field.name] = None
            else:
                values[field.name] = ids[field.rel_model][value]
        mapped[old] = model.insert(values).execute()
        expected.append({**values, "id": mapped[old]})
    for old, name, value in later:
        model.update({name: mapped[value]}).where(model.id == mapped[old]).execute()
        for row in expected:
            if row["id"] == mapped[old]:
                row[name] = mapped[value]
    return mapped, expected
