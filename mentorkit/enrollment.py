"""Enrolling people from a sign-up export (CSV), and seeing them as components do.

Bad rows never stop good ones: each is reported with its line, column and reason and copied to a
rejects file beside the input, and the whole import is one transaction.
"""

from __future__ import annotations

import csv
import datetime as dt
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import attrs

from mentorkit import audit
from mentorkit.concerns import Person
from mentorkit.config.loader import Program
from mentorkit.config.models import REQUIRED_FIELDS, SIDES_FIELD, SIGNED_UP_FIELD, IntakeField
from mentorkit.registry_db import current_cycle, program_record
from mentorkit.storage.models import Participant, database, now

EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
TRUE_WORDS = {"yes", "y", "true", "1", "x"}
FALSE_WORDS = {"no", "n", "false", "0", ""}
DATE_FORMATS = ("%Y-%m-%d", "%m/%d/%Y", "%Y-%m-%d %H:%M:%S", "%m/%d/%Y %H:%M")


class ImportFileError(ValueError):
    """The file as a whole cannot be imported (unreadable, or a required column missing)."""


@attrs.frozen
class RowError:
    line: int
    column: str
    reason: str


@attrs.define
class ImportReport:
    added: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[RowError] = attrs.field(factory=list)
    rejected_rows: int = 0
    rejects_file: Path | None = None


def _choice(field: IntakeField, raw: str) -> str:
    canonical = {choice.casefold(): choice for choice in field.choices}
    try:
        return canonical[raw.strip().casefold()]
    except KeyError:
        raise ValueError(f"{raw!r} is not one of {field.choices}") from None


def convert(field: IntakeField, raw: str) -> Any:
    """The typed value of one answer; raises ValueError with a reason a person can act on."""
    text = raw.strip()
    if field.type in ("text",):
        return text
    if field.type == "email":
        if not EMAIL.match(text):
            raise ValueError(f"{text!r} is not an e-mail address")
        return text.lower()
    if field.type == "integer":
        try:
            return int(text)
        except ValueError:
            raise ValueError(f"{text!r} is not a whole number") from None
    if field.type == "number":
        try:
            return float(text)
        except ValueError:
            raise ValueError(f"{text!r} is not a number") from None
    if field.type == "boolean":
        if text.casefold() in TRUE_WORDS:
            return True
        if text.casefold() in FALSE_WORDS:
            return False
        raise ValueError(f"{text!r} is not yes or no")
    if field.type == "date":
        for fmt in DATE_FORMATS:
            try:
                return dt.datetime.strptime(text, fmt).date()
            except ValueError:
                continue
        raise ValueError(f"{text!r} is not a date (YYYY-MM-DD or MM/DD/YYYY)")
    if field.type == "choice":
        return _choice(field, text)
    values = [part for part in (p.strip() for p in text.split(field.separator)) if part]
    return [_choice(field, value) for value in values]


def _column_for(field: IntakeField, headers: list[str]) -> str | None:
    for candidate in (field.header, field.name):
        if candidate in headers:
            return candidate
    return None


def read_rows(path: Path) -> tuple[list[str], Iterator[tuple[int, dict[str, str]]]]:
    """The header and (first line number, row) pairs; handles BOM and multi-line fields."""
    try:
        handle = path.open(encoding="utf-8-sig", newline="")
        reader = csv.DictReader(handle)
        headers = list(reader.fieldnames or [])
    except (OSError, UnicodeDecodeError, csv.Error) as error:
        raise ImportFileError(f"{path}: cannot read: {error}") from None

    def rows() -> Iterator[tuple[int, dict[str, str]]]:
        with handle:
            start = reader.line_num + 1
            try:
                for row in reader:
                    yield start, row
                    start = reader.line_num + 1
            except (csv.Error, UnicodeDecodeError) as error:
                raise ImportFileError(f"{path}: line {start}: {error}") from None

    return headers, rows()


def parse_row(program: Program, columns: dict[str, str], line: int, row: dict[str, Any]):
    answers: dict[str, Any] = {}
    errors: list[RowError] = []
    if None in row:  # more cells than headers
        errors.append(RowError(line, "", f"{len(row[None])} more cells than the header has"))
    for field in program.config.intake:
        column = columns.get(field.name)
        raw = (row.get(column) or "") if column else ""
        if not raw.strip():
            if field.required:
                errors.append(RowError(line, column or field.header, "required, but empty"))
            continue
        try:
            answers[field.name] = convert(field, raw)
        except ValueError as error:
            errors.append(RowError(line, column or field.header, str(error)))
    return answers, errors


def _sides(program: Program, answers: dict[str, Any]) -> list[str]:
    role = program.config.role(answers["role"])
    stated = answers.get(SIDES_FIELD)
    return sorted(stated) if stated else sorted(role.sides if role else [])


def import_csv(program: Program, path: Path, *, dry_run: bool = False) -> ImportReport:
    headers, rows = read_rows(path)
    columns = {f.name: c for f in program.config.intake if (c := _column_for(f, headers))}
    missing = [f.header for f in program.config.intake if f.required and f.name not in columns]
    if missing:
        raise ImportFileError(f"{path}: missing required column(s): {', '.join(missing)} "
                              f"(the file has: {', '.join(headers) or 'no header'})")
    report = ImportReport()
    rejected: list[tuple[int, dict[str, str], list[RowError]]] = []
    record = program_record(program.key)
    with database.atomic() as transaction:
        cycle = current_cycle(program)
        for line, row in rows:
            answers, errors = parse_row(program, columns, line, row)
            if errors:
                report.errors += errors
                rejected.append((line, row, errors))
                continue
            _upsert(program, record, cycle, answers, report)
        if dry_run:
            transaction.rollback()
        else:
            audit.record("participants.import", program.key, file=str(path),
                         added=report.added, updated=report.updated, rejected=len(rejected))
    report.rejected_rows = len(rejected)
    if rejected and not dry_run:
        report.rejects_file = _write_rejects(path, headers, rejected)
    return report


def _upsert(program, record, cycle, answers, report: ImportReport) -> None:
    fixed = {name: answers[name] for name in REQUIRED_FIELDS}
    values = dict(name=fixed["name"], role=fixed["role"], sides=_sides(program, answers),
                  answers=answers, signed_up_on=answers.get(SIGNED_UP_FIELD))
    existing = Participant.get_or_none((Participant.cycle == cycle)
                                       & (Participant.email == fixed["email"]))
    if existing is None:
        Participant.create(program=record, cycle=cycle, email=fixed["email"], **values)
        report.added += 1
        return
    stored = {key: getattr(existing, key) for key in values}
    incoming = {**values, "answers": _jsonable(values["answers"])}
    if {**stored, "answers": _jsonable(stored["answers"])} == incoming:
        report.unchanged += 1
        return
    for key, value in values.items():
        setattr(existing, key, value)
    existing.updated_at = now()
    existing.save()
    report.updated += 1


def _jsonable(answers: dict[str, Any]) -> dict[str, Any]:
    return {k: v.isoformat() if isinstance(v, dt.date) else v for k, v in answers.items()}


def _write_rejects(path: Path, headers: list[str], rejected) -> Path:
    target = path.with_name(f"{path.stem}.rejects.csv")
    with target.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["line", "problems", *headers])
        for line, row, errors in rejected:
            problems = "; ".join(f"{e.column}: {e.reason}" if e.column else e.reason
                                 for e in errors)
            writer.writerow([line, problems, *(row.get(h, "") for h in headers)])
    return target


def to_person(participant: Participant) -> Person:
    answers = dict(participant.answers)
    if SIGNED_UP_FIELD in answers and isinstance(answers[SIGNED_UP_FIELD], str):
        answers[SIGNED_UP_FIELD] = dt.date.fromisoformat(answers[SIGNED_UP_FIELD])
    return Person(id=participant.id, name=participant.name, email=participant.email,
                  role=participant.role, sides=frozenset(participant.sides), answers=answers,
                  signed_up_on=participant.signed_up_on, status=participant.status)
