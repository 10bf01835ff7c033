"""Turning a sign-up export's cells into typed answers, with a reason a person can act on for
each cell that cannot be used.

A reason never quotes the cell: a cell is a person's answer, and reasons go to terminals, logs
and rejects files. It may name what is known not to be anyone's data: the field's options, an
option the answer is close to, the separator that would have split it.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from typing import Any

from mentorkit.config.models import SIGNED_UP_FIELD, IntakeField
from mentorkit.kernel.program import Program
from mentorkit.services.addresses import normalized_email
from mentorkit.services.multiselect import better_separator, split_answer
from mentorkit.services.sheets import RowError
from mentorkit.services.surveys.model import GATHERED, Sheet

MAX_ANSWER = 10_000  # characters in one cell: more is a broken export, not an answer
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
LINE_BREAK = re.compile(r"[\r\n\x85\u2028\u2029]")
ONE_LINE_BAD = re.compile(r"[\x00-\x1f\x7f\x85\u2028\u2029]")  # either of the two
TRUE_WORDS = {"yes", "y", "true", "1", "x"}
FALSE_WORDS = {"no", "n", "false", "0", ""}
# Where a rejects file leaves out a confidential answer; a fixed file must not still hold it
WITHHELD = "[withheld: fill in]"
DEFAULT_SEPARATOR = ";"


class Unquoted(ValueError):
    """A reason that says nothing of the answer (its length, a control character, the
    withheld marker): shown for a sensitive answer too."""


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
        close = difflib.get_close_matches(raw.strip().casefold(), list(_tables(field)[0]),
                                          1, 0.8)
        hint = f"; did you mean {_tables(field)[0][close[0]]!r}?" if close else ""
        raise ValueError(f"not one of {field.choices}{hint}") from None


def _mapped(field: IntakeField, text: str) -> str:
    """The program's word for an export's value, through the field's ``values`` table."""
    if not field.values:
        return text
    return _tables(field)[1].get(text.strip().casefold(), text)


US_DATE = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})(?:,? (\d{1,2}):(\d{2})(?::(\d{2}))?"
                     r"(?: ?([AaPp][Mm]))?)?$")
SERIAL = re.compile(r"^\d{5}(\.\d+)?$")  # an Excel date: days since 1899-12-30
EXCEL_EPOCH = dt.datetime(1899, 12, 30)


def timestamp(text: str) -> dt.datetime:
    """A moment as survey tools export one: ISO (``YYYY-MM-DD HH:MM:SS``), US
    (``MM/DD/YYYY HH:MM:SS AM``) or an Excel serial number."""
    text = text.strip()
    try:
        return dt.datetime.fromisoformat(text.replace("Z", "+00:00")).replace(tzinfo=None)
    except ValueError:
        pass
    if (match := US_DATE.match(text)) is not None:
        month, day, year, hour, minute, second, half = match.groups()
        hour = int(hour or 0) % 12 + (12 if half and half.lower() == "pm" else 0) if half \
            else int(hour or 0)
        try:
            return dt.datetime(int(year), int(month), int(day), hour, int(minute or 0),
                               int(second or 0))
        except ValueError:
            pass
    if SERIAL.match(text) and 18_264 <= float(text) <= 73_051:  # 1950 to 2099
        return EXCEL_EPOCH + dt.timedelta(days=float(text))
    raise ValueError("not a date (YYYY-MM-DD or MM/DD/YYYY)")


def _date(text: str) -> dt.date:
    """YYYY-MM-DD (with a time or not), MM/DD/YYYY or an Excel serial date; ISO parsed
    directly, since strptime is most of an import's time on a large file."""
    try:
        return dt.date.fromisoformat(text[:10]) if len(text) == 10 or text[10:11] in (
            " ", "T") else dt.date.fromisoformat(text)
    except ValueError:
        pass
    return timestamp(text).date()


def _choices(field: IntakeField, raw: str, separator: str) -> list[str]:
    choices, values = _tables(field)
    known = choices.keys() | values.keys()
    parts = split_answer(raw, separator, known)
    try:
        return [_choice(field, _mapped(field, part)) for part in parts]
    except ValueError as error:
        other = better_separator(raw, separator, known)
        if other is not None:
            raise ValueError(f"its options are split by {other!r}, not {separator!r}: set "
                             f"separator = {other!r} in the program's intake field "
                             f"{field.name!r}") from None
        raise error from None


def convert(field: IntakeField, raw: str, separator: str = "") -> Any:
    """The typed value of one answer; raises ValueError with a reason a person can act on,
    which does not quote the answer."""
    one_line = separator != GATHERED and not field.multiline
    if (ONE_LINE_BAD if one_line else CONTROL).search(raw):  # one search for most cells
        if CONTROL.search(raw):
            raise Unquoted("contains control characters (a bell, a backspace...)")
        if LINE_BREAK.search(raw.strip()):
            raise Unquoted("holds a line break, and this answer is one line (a paragraph "
                           "answer's field says multiline = true)")
        if one_line and "\t" in raw.strip():
            raise Unquoted("holds a tab, and this answer is one line (a tab breaks every "
                           "table it is shown in)")
    if len(raw) > MAX_ANSWER:
        raise Unquoted(f"is {len(raw):,} characters long (at most {MAX_ANSWER:,})")
    if "[withheld" in raw and raw.strip() == WITHHELD:
        raise Unquoted(f"still holds {WITHHELD}: type the person's answer in its place")
    if field.type == "text" and not field.values:  # most cells of a large file: no more to do
        return raw.strip()
    if field.type == "choices":
        return _choices(field, raw, separator or field.separator or DEFAULT_SEPARATOR)
    text = _mapped(field, raw.strip())
    if field.type == "text":
        return text
    if field.type == "email":
        return normalized_email(text)
    if field.type == "integer":
        try:
            return int(text)
        except ValueError:
            raise ValueError("not a whole number") from None
    if field.type == "number":
        try:
            return float(text)
        except ValueError:
            raise ValueError("not a number") from None
    if field.type == "boolean":
        if text.casefold() in TRUE_WORDS:
            return True
        if text.casefold() in FALSE_WORDS:
            return False
        raise ValueError("not yes or no")
    if field.type == "date":
        return _date(text)
    return _choice(field, text)  # choice


def match_columns(program: Program, sheet: Sheet) -> dict[str, int]:
    """Each intake field's column: by ``column``, label or name, as the export's header or an
    export tag, case and spacing aside. When a person signed up is, without a column of its
    own, the survey tool's record of when the response was submitted."""
    found = {}
    for field in program.config.intake:
        index = sheet.find(field.column, field.label, field.name)
        if index is None and field.name == SIGNED_UP_FIELD and not field.column:
            index = sheet.stamp
        if index is not None:
            found[field.name] = index
    return found


class RowParser:
    """Turns one import's rows into typed answers, with the reasons a row is refused.

    Answers that repeat down a column (a role, a date, a choice from a list) are converted
    once per import: a large export holds a few hundred distinct values in columns of 50,000
    cells. Free text and e-mails are nearly all distinct, so they are not kept.
    """

    UNREPEATED = ("text", "email")
    KEEP = 10_000  # distinct answers kept per field

    def __init__(self, program: Program, columns: dict[str, int], sheet: Sheet) -> None:
        self.width = len(sheet.columns)
        self.plan = []
        for field in program.config.intake:
            column = columns.get(field.name)
            source = sheet.columns[column] if column is not None else None
            separator = (GATHERED if source is not None and source.gathered
                         else field.separator or sheet.separator or DEFAULT_SEPARATOR)
            self.plan.append((field, column, source.name if source else field.header,
                              {} if field.type not in self.UNREPEATED else None, separator))

    def parse(self, line: int, row: list[str]) -> tuple[dict[str, Any], list[RowError]]:
        answers: dict[str, Any] = {}
        errors: list[RowError] = []
        if len(row) > self.width:
            errors.append(RowError(line, "", f"{len(row) - self.width} more cells than the "
                                             "header has"))
        for field, column, shown_as, known, separator in self.plan:
            raw = row[column] if column is not None and column < len(row) else ""
            if known is not None and (value := known.get(raw, _MISSING)) is not _MISSING:
                answers[field.name] = list(value) if isinstance(value, list) else value
                continue
            if not raw.strip():
                if field.required:
                    errors.append(RowError(line, shown_as, "required, but empty"))
                continue
            try:
                value = convert(field, raw, separator)
            except ValueError as error:  # not kept: reported on each row it is on
                errors.append(RowError(line, shown_as, _unquoted(field) if field.sensitive
                                       and not isinstance(error, Unquoted) else str(error)))
                continue
            if known is not None and len(known) < self.KEEP:
                known[raw] = list(value) if isinstance(value, list) else value
            answers[field.name] = value
        return answers, errors


_MISSING = object()


def _unquoted(field: IntakeField) -> str:
    """Why a sensitive answer was refused, naming nothing of it: not even the option it is
    close to, or how long it is."""
    if field.type in ("choice", "choices"):
        return f"not one of {field.choices} (the answer is confidential: not shown)"
    return f"not a valid {field.type} (the answer is confidential: not shown)"
