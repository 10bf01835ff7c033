"""Enrolling people from a sign-up export, as the survey tool wrote it (``surveys``).

Bad rows never stop good ones: each is reported with its line, column and reason and copied to a
rejects file beside the input, and the whole import is one transaction. The rejects file is
owner-only, and its sensitive cells are withheld unless the program keeps them
(``enrollment.rejects_keep_sensitive``); a reason never quotes an answer. A person who signed
up twice is enrolled once, from their latest submission (``resubmissions``).
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
from mentorkit.services.cells import RowParser, match_columns
from mentorkit.services.lookup import open_cycle, participants, program_record
from mentorkit.services.resubmissions import SUPERSEDED, Latest, stamp_column
from mentorkit.services.sheets import ImportFileError, RowError
from mentorkit.services.surveys.read import TITLES, read_sheet
from mentorkit.services.surveys.rejects import write_rejects
from mentorkit.storage import audit
from mentorkit.storage.models import Participant, database, encode_json, now


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


def missing_columns(program: Program, sheet, columns: dict[str, int]) -> ImportFileError:
    """The error for an export without a required field's column: the file's columns listed
    (a header checked not to be data), at most 20, each cut short."""
    missing = [f.header for f in program.config.intake if f.required and f.name not in columns]
    names = [h if len(h) <= 50 else h[:47] + "..." for h in sheet.headers[:20]]
    more = f" and {len(sheet.headers) - 20} more" if len(sheet.headers) > 20 else ""
    if sheet.format == "redcap" and not any(c.aliases for c in sheet.columns):
        more += ("; a REDCap export's columns are known by their field labels through the "
                 "project's data dictionary: give it with --dictionary FILE")
    return ImportFileError(
        f"{sheet.path}: missing required column(s): {', '.join(missing)} (read as "
        f"{TITLES[sheet.format]}; the file has: {', '.join(names) or 'no header'}{more}); "
        f"`mentorkit programs map {program.key} {sheet.path.name}` proposes a mapping")


def import_csv(program: Program, path: Path, *, dry_run: bool = False,
               progress: Callable[[int], None] | None = None, fmt: str | None = None,
               dictionary: Path | None = None) -> ImportReport:
    """Import a sign-up export. ``progress`` (for a progress bar) is told the line reached,
    every thousand rows and at the end; ``fmt`` forces a format, ``dictionary`` is a REDCap
    data dictionary."""
    cycle = open_cycle(program)  # a closed cycle's records no longer change
    sheet = read_sheet(path, fmt, dictionary)
    columns = match_columns(program, sheet)
    if any(f.required and f.name not in columns for f in program.config.intake):
        raise missing_columns(program, sheet, columns)
    report = ImportReport(format=TITLES[sheet.format])
    rejected: list[tuple[int, list[str], list[RowError]]] = []
    stamp = stamp_column(program, sheet, columns)
    with database.atomic() as transaction:
        batch = _Batch(program, program_record(program.key), cycle, report)
        latest = Latest(batch.match_on)
        parser = RowParser(program, columns, sheet)
        email_column = sheet.headers[columns["email"]]
        gather, refuse, parse, offer = sheet.gather, sheet.refuse, parser.parse, latest.offer
        by_email = batch.match_on == "email"
        for number, (line, raw) in enumerate(sheet.rows, start=1):
            if progress is not None and number % 1000 == 0:
                progress(line)
            row = raw if gather is None else gather(raw)
            answers, errors = parse(line, row)
            if refuse is not None and (why := refuse(raw)) is not None:
                errors.insert(0, RowError(line, "", why))
            if not errors and not by_email and (clash := batch.email_taken(answers)):
                errors = [RowError(line, email_column, clash)]
            if not errors:
                email = answers["email"]
                verdict = offer(line, email if by_email else batch.key_of_answers(answers),
                                email, row[stamp] if stamp is not None and stamp < len(row)
                                else "")
                if verdict is SUPERSEDED:
                    continue
                if verdict is not None:
                    errors = [verdict]
            if errors:
                rejected.append((line, raw, errors))
                continue
            batch.add(answers)
        batch.flush()
        report.superseded = sorted(latest.superseded)
        if progress is not None:
            progress(-1)  # done
        if dry_run:
            transaction.rollback()
        else:
            audit.record("participants.import", program.key, file=str(path),
                         added=report.added, updated=report.updated, rejected=len(rejected),
                         superseded=len(report.superseded))
    rejected.sort(key=lambda item: item[0])
    report.errors = [error for _, _, errors in rejected for error in errors]
    report.rejected_rows = len(rejected)
    if rejected and not dry_run:
        _keep_rejected(program, sheet, columns, rejected, report)
    return report


def _keep_rejected(program: Program, sheet, columns: dict[str, int], rejected,
                   report: ImportReport) -> None:
    """The rejects file, its confidential cells withheld unless the program keeps them."""
    keep = program.config.enrollment.rejects_keep_sensitive
    sensitive = [] if keep else [sheet.columns[columns[f.name]] for f in program.config.intake
                                 if f.sensitive and f.name in columns]
    report.rejects_file = write_rejects(sheet, rejected, {i for c in sensitive for i in c.sources})
    report.emptied_columns = [c.name for c in sensitive]


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
        return email if self.match_on == "email" else str(answers.get(self.match_on))

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
        key = self.key_of(answers["email"], answers)
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
            if len(self.pending) >= self.CHUNK:
                self.flush()
            return
        stored = {name: getattr(existing, name) for name in values}
        if ({**stored, "answers": _jsonable(stored["answers"])}
                == {**values, "answers": _jsonable(values["answers"])}):
            self.report.unchanged += 1
            if existing.answers_from is not None:  # signed up again: the answers are theirs
                existing.answers_from = None       # for this cycle, not carried from the last
                existing.save()
            return
        for name, value in values.items():
            setattr(existing, name, value)
        existing.answers_from = None  # answers given anew, no longer carried from a cycle
        existing.updated_at = now()
        existing.save()
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

    COLUMNS = ("program", "cycle", "name", "email", "role", "sides", "answers", "signed_up_on",
               "status", "created_at", "updated_at")

    def flush(self) -> None:
        """Insert the pending people with one prepared statement (the driver's executemany):
        building the SQL text of 500 rows at a time was most of a large import. A key is
        never pending twice (a repeat in one file is rejected before it gets here), so what
        was inserted need not be read back."""
        if not self.pending:
            return
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
        rows = [(fixed["program"], fixed["cycle"], v["name"], v["email"], v["role"],
                 sides.get(tuple(v["sides"])) or sides.setdefault(
                     tuple(v["sides"]), encode_json(v["sides"])),
                 encode_json(v["answers"]), signed(v["signed_up_on"]), fixed["status"],
                 fixed["created_at"], fixed["updated_at"])  # in the order of COLUMNS
                for v in self.pending.values()]
        database.cursor().executemany(sql, rows)
        self.inserted.update((key, v["email"]) for key, v in self.pending.items())
        self.pending.clear()


def _jsonable(answers: dict[str, Any]) -> dict[str, Any]:
    return {k: v.isoformat() if isinstance(v, dt.date) else v for k, v in answers.items()}


