"""Writing a sign-up export's good rows: new enrollments inserted many at a time, earlier ones
updated, each tied to who they are across cycles (:mod:`mentorkit.services.identity`)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import attrs
import peewee as pw

from mentorkit.config.models import SIDES_FIELD, SIGNED_UP_FIELD
from mentorkit.kernel.program import Program
from mentorkit.services import identity, pairs
from mentorkit.services.lookup import participants
from mentorkit.services.sheets import RowError
from mentorkit.storage.models import Participant, Person, database, encode_json, now


@attrs.define
class ImportReport:
    added: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[RowError] = attrs.field(factory=list)
    rejected_rows: int = 0
    rejects_file: Path | None = None
    emptied_columns: list[str] = attrs.field(factory=list)  # sensitive, withheld in rejects
    last_year: int = 0  # rows signed up about a year before this cycle's sign-ups
    superseded: list[tuple[int, int]] = attrs.field(factory=list)  # (line, by line)
    format: str = "CSV"  # the survey tool the export was read as


def _sides(program: Program, answers: dict[str, Any]) -> list[str]:
    role = program.config.role(answers["role"])
    stated = answers.get(SIDES_FIELD)
    return sorted(stated) if stated else sorted(role.sides if role else [])


def _sqlite_date(value: dt.date | None) -> str | None:
    """A date as sqlite3's own adapter stores it, without its call per row."""
    return None if value is None else value.isoformat()


class Batch:
    """Adds and updates participants in bulk: the cycle's people are read once, new people
    are inserted many rows at a time (what makes 50,000 rows take seconds, not minutes)."""

    CHUNK = 500

    def __init__(self, program: Program, record, cycle, report: ImportReport) -> None:
        self.program, self.record, self.cycle, self.report = program, record, cycle, report
        self.match_on = program.config.enrollment.match_on
        self.by_email = self.match_on == "email"  # most programs: the key is the e-mail
        self.existing = {self.key_of(p.email, p.answers): p
                         for p in participants(program, cycle=cycle)}
        self.owners = {p.email: key for key, p in self.existing.items()}
        # the program's people by key: someone signing up again keeps who they are
        self.people = {key: pid for pid, key in Person.select(Person.id, Person.key)
                       .where(Person.program == record).tuples()}
        self.returning: list[Any] = []  # keys of earlier cycles' people new to this one
        self.own_fields = identity.person_fields(program)
        self.pending: dict[Any, dict[str, Any]] = {}
        self.seen: set[Any] = set()  # keys stored by this import
        self.inserted: dict[Any, str] = {}  # key -> e-mail, of those inserted by it
        opens = program.config.cycle.signup_deadline or program.config.cycle.academic_year_start
        self.stale_before = opens - dt.timedelta(days=300)  # last year's export, again?
        self._sides: dict[tuple[str, tuple[str, ...]], list[str]] = {}

    def sides_of(self, answers: dict[str, Any]) -> list[str]:
        """_sides, worked out once per role and stated sides (a few for a whole file)."""
        stated = answers.get(SIDES_FIELD)
        key = (answers["role"], tuple(stated) if stated else ())
        if key not in self._sides:
            self._sides[key] = _sides(self.program, answers)
        return list(self._sides[key])

    def key_of_answers(self, answers: dict[str, Any]) -> Any:
        return self.key_of(answers["email"], answers)

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
            return (f"the e-mail is already another participant's, with another "
                    f"{self.match_on}")
        return None

    def add(self, answers: dict[str, Any]) -> None:
        values = {"name": answers["name"], "email": answers["email"], "role": answers["role"],
                  "sides": self.sides_of(answers), "answers": answers,
                  "signed_up_on": answers.get(SIGNED_UP_FIELD)}
        key = answers["email"] if self.by_email else self.key_of(answers["email"], answers)
        if key in self.seen:  # a later submission of someone this import stored already
            self._replace(key, values)
            return
        self.seen.add(key)
        signed = values["signed_up_on"]
        if isinstance(signed, dt.date) and signed < self.stale_before:
            self.report.last_year += 1
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

    def _replace(self, key: Any, values: dict[str, Any]) -> None:
        """Store a later submission over the one this import stored (counted once)."""
        if key in self.pending:
            self.pending[key] = values
            return
        person = self.existing.get(key) or Participant.get(
            (Participant.cycle == self.cycle) & (Participant.email == self.inserted[key]))
        for name, value in values.items():
            setattr(person, name, value)
        person.updated_at = now()
        person.save()
        identity.take_in(self.program, person, self.own_fields)

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
        self.inserted.update((key, v["email"]) for key, v in self.pending.items())
        self.pending.clear()

    def _new_people(self) -> None:
        """A person for each pending key the program has none for, inserted at once and
        their ids read back (one statement each way, not one per person)."""
        new = [key for key in self.pending if key not in self.people]
        if not new:
            return
        stamp = Person.created_at.db_value(now())
        if isinstance(database.obj, pw.SqliteDatabase):
            stamp = stamp.isoformat(" ")
        before = Person.select(pw.fn.MAX(Person.id)).scalar() or 0
        columns = ("program", "key", "email", "name", "consent", "created_at", "updated_at")
        fields = [Person._meta.fields[name] for name in columns]
        sql = (f'INSERT INTO "{Person._meta.table_name}" '
               f'({", ".join(chr(34) + f.column_name + chr(34) for f in fields)}) '
               f'VALUES ({", ".join([database.param] * len(fields))})')
        consents: dict[str, str] = {}  # a handful of distinct answers, encoded once
        fields, program_id, rows = self.own_fields, self.record.id, []
        for key in new:
            values = self.pending[key]
            answers = values["answers"]
            own = {name: answers[name] for name in fields if name in answers}
            found = repr(own) if own else ""  # tells "x" from ["x"], as JSON would
            encoded = consents.get(found) or consents.setdefault(found, encode_json(own))
            rows.append((program_id, key, values["email"], values["name"], encoded, stamp,
                         stamp))
        database.cursor().executemany(sql, rows)  # one prepared statement, as flush does
        wanted = set(new)  # their ids: those made since (this transaction holds the writes)
        query = (Person.select(Person.id, Person.key)
                 .where((Person.program == self.record) & (Person.id > before)))
        self.people.update({key: pid for pid, key in database.execute(query).fetchall()
                            if key in wanted})

    def finish(self) -> None:
        """The last rows stored, and who came back made whole: their identity, and the
        forbidden pairs of earlier years that hold for them again."""
        self.flush()
        self.welcome_back()
        if self.returning:
            pairs.carry_forbidden(self.program, self.cycle)

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


