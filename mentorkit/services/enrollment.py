"""Enrolling people from a sign-up export (CSV).

Bad rows never stop good ones: each is reported with its line, column and reason and copied to a
rejects file beside the input, and the whole import is one transaction. The rejects file is
owner-only, and its sensitive cells are left empty unless the program keeps them
(``enrollment.rejects_keep_sensitive``); a reason about a sensitive answer never quotes it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any

import attrs
import peewee as pw

from mentorkit.config.models import SIDES_FIELD, SIGNED_UP_FIELD
from mentorkit.kernel.program import Program
from mentorkit.services import identity
from mentorkit.services.cells import RowParser, column_for
from mentorkit.services.lookup import open_cycle, participants, program_record
from mentorkit.services.sheets import ImportFileError, RowError, read_rows, write_rejects
from mentorkit.storage import audit
from mentorkit.storage.models import Participant, Person, database, encode_json, now


@attrs.define
class ImportReport:
    added: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[RowError] = attrs.field(factory=list)
    rejected_rows: int = 0
    rejects_file: Path | None = None
    emptied_columns: list[str] = attrs.field(factory=list)  # sensitive, left out of rejects
    last_year: int = 0  # rows signed up about a year before this cycle's sign-ups


def _sides(program: Program, answers: dict[str, Any]) -> list[str]:
    role = program.config.role(answers["role"])
    stated = answers.get(SIDES_FIELD)
    return sorted(stated) if stated else sorted(role.sides if role else [])


def import_csv(program: Program, path: Path, *, dry_run: bool = False,
               progress: Callable[[int], None] | None = None) -> ImportReport:
    """Import a sign-up export. ``progress`` (for a progress bar) is told the line reached,
    every thousand rows and at the end."""
    cycle = open_cycle(program)  # a closed cycle's records no longer change
    headers, rows = read_rows(path)
    columns = {f.name: c for f in program.config.intake if (c := column_for(f, headers))}
    missing = [f.header for f in program.config.intake if f.required and f.name not in columns]
    if missing:
        raise ImportFileError(f"{path}: missing required column(s): {', '.join(missing)} "
                              f"(the file has: {', '.join(headers) or 'no header'})")
    report = ImportReport()
    rejected: list[tuple[int, dict[str, str], list[RowError]]] = []
    record = program_record(program.key)
    with database.atomic() as transaction:
        batch = _Batch(program, record, cycle, report)
        first_line: dict[Any, int] = {}
        opens = program.config.cycle.signup_deadline or program.config.cycle.academic_year_start
        stale_before = opens - dt.timedelta(days=300)  # last year's export, imported again?
        parser = RowParser(program, columns, headers)
        for number, (line, row) in enumerate(rows, start=1):
            if progress is not None and number % 1000 == 0:
                progress(line)
            answers, errors = parser.parse(line, row)
            if not errors:  # the same person twice in one file: the first row is kept
                keys = batch.row_keys(answers)
                earlier = next((k for k in keys if k in first_line), None)
                if earlier is not None:
                    errors = [RowError(line, "", f"the same {earlier[0]} as line "
                                                 f"{first_line[earlier]}; the first row is kept")]
                elif (clash := batch.email_taken(answers)) is not None:
                    errors = [RowError(line, columns.get("email", ""), clash)]
                else:
                    for key in keys:
                        first_line[key] = line
            if errors:
                report.errors += errors
                rejected.append((line, dict(zip(headers, row, strict=False)), errors))
                continue
            signed = answers.get(SIGNED_UP_FIELD)
            if isinstance(signed, dt.date) and signed < stale_before:
                report.last_year += 1
            batch.add(answers)
        batch.flush()
        batch.welcome_back()
        if progress is not None:
            progress(-1)  # done
        if dry_run:
            transaction.rollback()
        else:
            audit.record("participants.import", program.key, file=str(path),
                         added=report.added, updated=report.updated, rejected=len(rejected))
    report.rejected_rows = len(rejected)
    if rejected and not dry_run:
        keep = program.config.enrollment.rejects_keep_sensitive
        emptied = set() if keep else {columns[f.name] for f in program.config.intake
                                      if f.sensitive and f.name in columns}
        report.rejects_file = write_rejects(path, headers, rejected, emptied)
        report.emptied_columns = [h for h in headers if h in emptied]
    return report


def _sqlite_date(value: dt.date | None) -> str | None:
    """A date as sqlite3's own adapter stores it, without its call per row."""
    return None if value is None else value.isoformat()


class _Batch:
    """Adds and updates participants in bulk: the cycle's people are read once, new people
    are inserted many rows at a time (what makes 50,000 rows take seconds, not minutes)."""

    CHUNK = 500

    def __init__(self, program: Program, record, cycle, report: ImportReport) -> None:
        self.program, self.record, self.cycle, self.report = program, record, cycle, report
        self.match_on = program.config.enrollment.match_on
        self.existing = {self.key_of(p.email, p.answers): p
                         for p in participants(program, cycle=cycle)}
        self.owners = {p.email: key for key, p in self.existing.items()}
        # the program's people by key: someone signing up again keeps who they are
        self.people = {key: pid for pid, key in Person.select(Person.id, Person.key)
                       .where(Person.program == record).tuples()}
        self.returning: list[Any] = []  # keys of earlier cycles' people new to this one
        self.own_fields = identity.person_fields(program)
        self.pending: dict[Any, dict[str, Any]] = {}
        self._sides: dict[tuple[str, tuple[str, ...]], list[str]] = {}

    def sides_of(self, answers: dict[str, Any]) -> list[str]:
        """_sides, worked out once per role and stated sides (a few for a whole file)."""
        stated = answers.get(SIDES_FIELD)
        key = (answers["role"], tuple(stated) if stated else ())
        if key not in self._sides:
            self._sides[key] = _sides(self.program, answers)
        return list(self._sides[key])

    def row_keys(self, answers: dict[str, Any]) -> tuple[tuple[str, Any], ...]:
        """What makes two rows of one file the same person: the e-mail, and the match_on
        field where that is another."""
        by_email = ("e-mail", answers["email"])
        if self.match_on == "email":
            return (by_email,)
        return by_email, (self.match_on, self.key_of(answers["email"], answers))

    def key_of(self, email: str, answers: dict[str, Any]) -> Any:
        return identity.key_of(self.program, email, answers)

    def email_taken(self, answers: dict[str, Any]) -> str | None:
        """Why this row's e-mail cannot be used: it belongs to another person of the cycle
        (matched on another field, a new key may come with a stored e-mail)."""
        if self.match_on == "email":
            return None
        key = self.key_of(answers["email"], answers)
        owner = self.owners.get(answers["email"])
        if owner is not None and owner != key:
            return (f"the e-mail is already another participant's (their {self.match_on} is "
                    f"{owner!r})")
        return None

    def add(self, answers: dict[str, Any]) -> None:
        values = {"name": answers["name"], "email": answers["email"], "role": answers["role"],
                  "sides": self.sides_of(answers), "answers": answers,
                  "signed_up_on": answers.get(SIGNED_UP_FIELD)}
        key = self.key_of(answers["email"], answers)
        existing = self.existing.get(key)
        if existing is None:
            self.pending[key] = values
            self.report.added += 1
            if key in self.people:
                self.returning.append(key)
            if len(self.pending) >= self.CHUNK:
                self.flush()
            return
        stored = {name: getattr(existing, name) for name in values}
        if ({**stored, "answers": _jsonable(stored["answers"])}
                == {**values, "answers": _jsonable(values["answers"])}):
            self.report.unchanged += 1
            return
        for name, value in values.items():
            setattr(existing, name, value)
        existing.updated_at = now()
        existing.save()
        identity.take_in(self.program, existing, self.own_fields)
        self.report.updated += 1

    COLUMNS = ("program", "cycle", "person", "name", "email", "role", "sides", "answers",
               "signed_up_on", "status", "created_at", "updated_at")

    def flush(self) -> None:
        """Insert the pending people with one prepared statement (the driver's executemany):
        building the SQL text of 500 rows at a time was most of a large import. A key is
        never pending twice (a repeat in one file is rejected before it gets here), so what
        was inserted need not be read back."""
        if not self.pending:
            return
        self._new_people()
        fields = [Participant._meta.fields[name] for name in self.COLUMNS]
        sql = (f'INSERT INTO "{Participant._meta.table_name}" '
               f'({", ".join(chr(34) + f.column_name + chr(34) for f in fields)}) '
               f'VALUES ({", ".join([database.param] * len(fields))})')
        stamp = now()
        fixed = {"program": self.record.id, "cycle": self.cycle.id, "status": "applied",
                 "created_at": stamp, "updated_at": stamp}
        fixed = {name: Participant._meta.fields[name].db_value(v) for name, v in fixed.items()}
        if isinstance(database.obj, pw.SqliteDatabase):  # adapted once, not on every row,
            fixed = {name: v.isoformat(" ") if isinstance(v, dt.datetime) else v  # as sqlite3
                     for name, v in fixed.items()}                              # would
        signed = Participant.signed_up_on.db_value
        if isinstance(database.obj, pw.SqliteDatabase):
            signed = _sqlite_date
        sides: dict[tuple[str, ...], str] = {}  # a handful of distinct lists, encoded once
        rows = [(fixed["program"], fixed["cycle"], self.people[key], v["name"], v["email"],
                 v["role"],
                 sides.get(tuple(v["sides"])) or sides.setdefault(
                     tuple(v["sides"]), encode_json(v["sides"])),
                 encode_json(v["answers"]), signed(v["signed_up_on"]), fixed["status"],
                 fixed["created_at"], fixed["updated_at"])  # in the order of COLUMNS
                for key, v in self.pending.items()]
        database.cursor().executemany(sql, rows)
        self.pending.clear()

    def _new_people(self) -> None:
        """A person for each pending key the program has none for, inserted at once and
        their ids read back (one statement each way, not one per person)."""
        new = [key for key in self.pending if key not in self.people]
        if not new:
            return
        stamp = now()
        Person.insert_many(
            [{"program": self.record.id, "key": key, "email": self.pending[key]["email"],
              "name": self.pending[key]["name"],
              "consent": identity.own_answers(self.program, self.pending[key]["answers"],
                                              self.own_fields),
              "created_at": stamp, "updated_at": stamp} for key in new]).execute()
        for start in range(0, len(new), self.CHUNK):
            chunk = new[start:start + self.CHUNK]
            self.people.update({key: pid for pid, key in Person.select(Person.id, Person.key)
                                .where((Person.program == self.record)
                                       & Person.key.in_(chunk)).tuples()})

    def welcome_back(self) -> None:
        """People of earlier cycles who signed up again: their name, e-mail and consent as
        given now hold for them (once the batch is flushed)."""
        if not self.returning:
            return
        ids = [self.people[key] for key in self.returning]
        for start in range(0, len(ids), self.CHUNK):
            for enrollment in (Participant.select(Participant, Person).join(Person)
                               .where((Participant.cycle == self.cycle)
                                      & Participant.person.in_(ids[start:start + self.CHUNK]))):
                identity.take_in(self.program, enrollment, self.own_fields)


def _jsonable(answers: dict[str, Any]) -> dict[str, Any]:
    return {k: v.isoformat() if isinstance(v, dt.date) else v for k, v in answers.items()}


