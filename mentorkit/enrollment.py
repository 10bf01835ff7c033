"""Enrolling people from a sign-up export (CSV), and seeing them as components do.

Bad rows never stop good ones: each is reported with its line, column and reason and copied to a
rejects file beside the input, and the whole import is one transaction. The rejects file is
owner-only, and its sensitive cells are left empty unless the program keeps them
(``enrollment.rejects_keep_sensitive``); a reason about a sensitive answer never quotes it.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import attrs
import peewee as pw

from mentorkit import audit
from mentorkit.config.models import SIDES_FIELD, SIGNED_UP_FIELD, IntakeField
from mentorkit.files import write_private
from mentorkit.kernel.program import Program
from mentorkit.kernel.values import Person
from mentorkit.registry_db import current_cycle, program_record
from mentorkit.storage.models import Participant, database, encode_json, now

# An address as sign-up forms collect it: RFC 5322's dot-atom local part, a dotted domain.
EMAIL = re.compile(r"^[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*"
                   r"@([A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,63}$")
MAX_EMAIL = 254  # RFC 5321's limit for a forward path
MAX_ANSWER = 10_000  # characters in one cell: more is a broken export, not an answer
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
TRUE_WORDS = {"yes", "y", "true", "1", "x"}
FALSE_WORDS = {"no", "n", "false", "0", ""}


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
    emptied_columns: list[str] = attrs.field(factory=list)  # sensitive, left out of rejects
    last_year: int = 0  # rows signed up about a year before this cycle's sign-ups


# Per field (by identity): its choices and value table keyed for lookup, built once rather
# than for every cell of a 50,000-row import. Fields are frozen, so the tables never go stale.
_TABLES: dict[int, tuple[IntakeField, dict[str, str], dict[str, str]]] = {}


def _tables(field: IntakeField) -> tuple[dict[str, str], dict[str, str]]:
    found = _TABLES.get(id(field))
    if found is None or found[0] is not field:
        found = (field, {choice.casefold(): choice for choice in field.choices},
                 {key.strip().casefold(): value for key, value in field.values.items()})
        _TABLES[id(field)] = found
    return found[1], found[2]


def _choice(field: IntakeField, raw: str) -> str:
    try:
        return _tables(field)[0][raw.strip().casefold()]
    except KeyError:
        raise ValueError(f"{raw!r} is not one of {field.choices}") from None


def _mapped(field: IntakeField, text: str) -> str:
    """The program's word for an export's value, through the field's ``values`` table."""
    if not field.values:
        return text
    return _tables(field)[1].get(text.strip().casefold(), text)


US_DATE = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})(?: (\d{1,2}):(\d{2}))?$")


def _date(text: str) -> dt.date:
    """YYYY-MM-DD (with a time or not) or MM/DD/YYYY, as survey tools export them; parsed
    directly, since strptime is most of an import's time on a large file."""
    try:
        return dt.date.fromisoformat(text[:10]) if len(text) == 10 or text[10:11] in (
            " ", "T") else dt.date.fromisoformat(text)
    except ValueError:
        pass
    if (match := US_DATE.match(text)) is not None:
        month, day, year = (int(match.group(i)) for i in (1, 2, 3))
        try:
            return dt.date(year, month, day)
        except ValueError:
            pass
    raise ValueError(f"{text!r} is not a date (YYYY-MM-DD or MM/DD/YYYY)")


def convert(field: IntakeField, raw: str) -> Any:
    """The typed value of one answer; raises ValueError with a reason a person can act on."""
    if CONTROL.search(raw):
        raise ValueError("contains control characters (a bell, a backspace...)")
    if len(raw) > MAX_ANSWER:
        raise ValueError(f"is {len(raw):,} characters long (at most {MAX_ANSWER:,})")
    if field.type == "text" and not field.values:  # most cells of a large file: no more to do
        return raw.strip()
    if field.type == "choices":
        parts = (p.strip() for p in raw.strip().split(field.separator))
        return [_choice(field, _mapped(field, part)) for part in parts if part]
    text = _mapped(field, raw.strip())
    if field.type in ("text",):
        return text
    if field.type == "email":
        if len(text) > MAX_EMAIL:
            raise ValueError(f"is {len(text):,} characters long, too long for an e-mail address")
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
        return _date(text)
    return _choice(field, text)  # choice


def _column_for(field: IntakeField, headers: list[str]) -> str | None:
    for candidate in (field.header, field.name):
        if candidate in headers:
            return candidate
    return None


def _decode(path: Path) -> str:
    """The file's text: UTF-8 (with or without the BOM Excel writes), else Windows-1252, what
    Excel's plain "CSV" is on Windows. A file pasted together from both (UTF-8 rows and
    Windows-1252 rows) is read line by line, each line in the encoding it is in, so neither
    half's names are garbled."""
    try:
        data = path.read_bytes()
    except OSError as error:
        raise ImportFileError(f"{path}: cannot read: {error.strerror or error}") from None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    decoded = []
    for number, line in enumerate(data.removeprefix(b"\xef\xbb\xbf").splitlines(keepends=True),
                                  start=1):
        try:
            decoded.append(line.decode("utf-8"))
        except UnicodeDecodeError:
            try:
                decoded.append(line.decode("cp1252"))
            except UnicodeDecodeError:
                raise ImportFileError(f"{path}: line {number}: neither UTF-8 nor "
                                      "Windows-1252 text") from None
    return "".join(decoded)


def _dialect(first_line: str) -> str:
    """The delimiter: Excel's ``sep=;`` line if present, else the likeliest of , ; and tab."""
    if first_line.lower().startswith("sep=") and len(first_line) >= 5:
        return first_line[4]
    counts = {d: first_line.count(d) for d in (",", ";", "\t")}
    return max(counts, key=lambda d: (counts[d], d == ","))


def read_rows(path: Path) -> tuple[list[str], Iterator[tuple[int, list[str]]]]:
    """The header and (first line number, row's cells) pairs; handles BOM, Excel's encodings
    and ``sep=`` line, and multi-line quoted fields."""
    text = _decode(path)
    lines = io.StringIO(text, newline="")
    first = text.split("\n", 1)[0].rstrip("\r")
    offset = 0
    if first.lower().startswith("sep="):
        lines.readline()
        offset = 1
    delimiter = _dialect(first)
    try:
        reader = csv.reader(lines, delimiter=delimiter)  # lists: a dict per row costs more
        headers = [h.strip() for h in next(reader, [])]
    except csv.Error as error:
        raise ImportFileError(f"{path}: cannot read: {error}") from None
    twice = sorted({h for h in headers if h and headers.count(h) > 1})
    if twice:  # which of the two columns holds the answer? only the person who exported knows
        raise ImportFileError(f"{path}: the header has the column(s) {', '.join(map(repr, twice))}"
                              " more than once; remove or rename the extra column")

    def rows() -> Iterator[tuple[int, list[str]]]:
        start = reader.line_num + 1 + offset
        try:
            for row in reader:
                if not (row and (row[0].strip() or any(cell.strip() for cell in row))):
                    start = reader.line_num + 1 + offset
                    continue  # a blank line, as spreadsheets leave at the end
                yield start, row
                start = reader.line_num + 1 + offset
        except csv.Error as error:
            raise ImportFileError(f"{path}: line {start}: {error}") from None

    return headers, rows()


class RowParser:
    """Turns one import's rows into typed answers, with the reasons a row is refused.

    Answers that repeat down a column (a role, a date, a choice from a list) are converted
    once per import: a large export holds a few hundred distinct values in columns of 50,000
    cells. Free text and e-mails are nearly all distinct, so they are not kept.
    """

    UNREPEATED = ("text", "email")
    KEEP = 10_000  # distinct answers kept per field

    def __init__(self, program: Program, columns: dict[str, str], headers: list[str]) -> None:
        self.width = len(headers)
        self.plan = [(field, headers.index(columns[field.name]) if field.name in columns
                      else None, columns.get(field.name) or field.header,
                      {} if field.type not in self.UNREPEATED else None)
                     for field in program.config.intake]

    def parse(self, line: int, row: list[str]) -> tuple[dict[str, Any], list[RowError]]:
        answers: dict[str, Any] = {}
        errors: list[RowError] = []
        if len(row) > self.width:
            errors.append(RowError(line, "", f"{len(row) - self.width} more cells than the "
                                             "header has"))
        for field, column, shown_as, known in self.plan:
            raw = row[column] if column is not None and column < len(row) else ""
            if known is not None and (value := known.get(raw, _MISSING)) is not _MISSING:
                answers[field.name] = list(value) if isinstance(value, list) else value
                continue
            if not raw.strip():
                if field.required:
                    errors.append(RowError(line, shown_as, "required, but empty"))
                continue
            try:
                value = convert(field, raw)
            except ValueError as error:  # not kept: reported on each row it is on
                errors.append(RowError(line, shown_as,
                                       _unquoted(field) if field.sensitive else str(error)))
                continue
            if known is not None and len(known) < self.KEEP:
                known[raw] = list(value) if isinstance(value, list) else value
            answers[field.name] = value
        return answers, errors


_MISSING = object()


def _unquoted(field: IntakeField) -> str:
    """Why a sensitive answer was refused, without the answer (the report goes to stderr,
    logs and terminals an administrator may share)."""
    if field.type in ("choice", "choices"):
        return f"not one of {field.choices} (the answer is confidential: not shown)"
    return f"not a valid {field.type} (the answer is confidential: not shown)"


def _sides(program: Program, answers: dict[str, Any]) -> list[str]:
    role = program.config.role(answers["role"])
    stated = answers.get(SIDES_FIELD)
    return sorted(stated) if stated else sorted(role.sides if role else [])


def import_csv(program: Program, path: Path, *, dry_run: bool = False,
               progress: Callable[[int], None] | None = None) -> ImportReport:
    """Import a sign-up export. ``progress`` (for a progress bar) is told the line reached,
    every thousand rows and at the end."""
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
                         for p in Participant.select().where(Participant.cycle == cycle)}
        self.owners = {p.email: key for key, p in self.existing.items()}
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
        return email if self.match_on == "email" else str(answers.get(self.match_on))

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
        self.pending.clear()


def _jsonable(answers: dict[str, Any]) -> dict[str, Any]:
    return {k: v.isoformat() if isinstance(v, dt.date) else v for k, v in answers.items()}


def write_rejects(path: Path, headers: list[str], rejected, emptied: set[str]) -> Path:
    """The rejected rows beside the input, to fix and import again: owner-only, with the
    ``emptied`` (sensitive) columns' cells left empty."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer)
    writer.writerow(["line", "problems", *headers])
    for line, row, errors in rejected:
        problems = "; ".join(f"{e.column}: {e.reason}" if e.column else e.reason
                             for e in errors)
        writer.writerow([line, problems, *("" if h in emptied else (row.get(h) or "")
                                            for h in headers)])
    return write_private(path.with_name(f"{path.stem}.rejects.csv"), buffer.getvalue())


def to_person(participant: Participant) -> Person:
    answers = dict(participant.answers)
    if SIGNED_UP_FIELD in answers and isinstance(answers[SIGNED_UP_FIELD], str):
        answers[SIGNED_UP_FIELD] = dt.date.fromisoformat(answers[SIGNED_UP_FIELD])
    return Person(id=participant.id, name=participant.name, email=participant.email,
                  role=participant.role, sides=frozenset(participant.sides), answers=answers,
                  signed_up_on=participant.signed_up_on, status=participant.status)
