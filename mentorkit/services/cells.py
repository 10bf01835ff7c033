"""Turning a sign-up export's cells into typed answers, with a reason a person can act on for
each cell that cannot be used. A reason about a sensitive answer never quotes it."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from mentorkit.config.models import IntakeField
from mentorkit.kernel.program import Program
from mentorkit.services.sheets import RowError

# An address as sign-up forms collect it: RFC 5322's dot-atom local part, a dotted domain.
EMAIL = re.compile(r"^[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*"
                   r"@([A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,63}$")
MAX_EMAIL = 254  # RFC 5321's limit for a forward path
MAX_ANSWER = 10_000  # characters in one cell: more is a broken export, not an answer
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
TRUE_WORDS = {"yes", "y", "true", "1", "x"}
FALSE_WORDS = {"no", "n", "false", "0", ""}


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


def column_for(field: IntakeField, headers: list[str]) -> str | None:
    for candidate in (field.header, field.name):
        if candidate in headers:
            return candidate
    return None


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


