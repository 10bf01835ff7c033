"""Turning rows built from audience views into text (a table's cells, JSON, CSV), and the
owner-only files outputs are written to.

Only plain values pass: a row that holds a whole record (a database row, a
:class:`~mentorkit.kernel.values.Person`) is refused, since it carries every answer of a person
whatever the audience. A view's answers (:class:`~mentorkit.views.audience.VisibleAnswers`)
pass as what they are: what one audience may see. Nothing is scrubbed afterwards.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from collections.abc import Mapping, Sequence
from typing import Any

import attrs

from mentorkit.kernel.values import Person
from mentorkit.storage.files import private_folder, write_private
from mentorkit.storage.models import BaseModel
from mentorkit.views.audience import VisibleAnswers

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def neutralise_formula(text: str) -> str:
    """A cell a spreadsheet would run as a formula (=cmd|..., +, -, @) is prefixed with a
    quote, as OWASP advises for CSV exports; the value itself is kept."""
    return "'" + text if text.startswith(FORMULA_PREFIXES) else text


_SCALARS = frozenset((str, int, float, bool, type(None)))
_ROW_FIELDS: dict[type, tuple[str, ...]] = {}  # an attrs row's field names, by its class


def plain(value: Any, where: str = "output") -> Any:
    """``value`` as plain data: mappings, lists, a view's answers, and the fields of an attrs
    row (a service's view of a thing); a record is refused."""
    if type(value) in _SCALARS:  # most values: said at once
        return value
    if isinstance(value, BaseModel | Person):
        raise TypeError(f"{where}: a {type(value).__name__} record cannot be printed; "
                        "build the row from an audience view (mentorkit.views)")
    if isinstance(value, VisibleAnswers):
        return dict(value)
    names = _ROW_FIELDS.get(type(value))
    if names is None and attrs.has(type(value)):
        names = _ROW_FIELDS[type(value)] = tuple(f.name for f in attrs.fields(type(value)))
    if names is not None:  # thousands of rows of one kind: their fields are looked up once
        return {name: item if type(item := getattr(value, name)) in _SCALARS
                else plain(item, where) for name in names}
    if isinstance(value, Mapping):
        return {key: plain(item, where) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [plain(item, where) for item in value]
    return value


def cell(value: Any) -> str:
    """A value as a table or CSV cell: lists joined with commas, nothing for None."""
    if value is None:
        return ""
    if isinstance(value, list | tuple):
        return ", ".join(cell(v) for v in value)
    return str(value)


def json_default(value: Any) -> Any:
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    if isinstance(value, set | frozenset):
        return sorted(value)
    raise TypeError(f"cannot write {type(value).__name__} as JSON")


_encode = json.JSONEncoder(default=json_default).encode  # the C encoder: no indent


def to_json(rows: Any) -> str:
    """JSON for scripts: a list one record per line (thousands of records are written as
    fast as they are read), anything else indented."""
    value = plain(rows, "to_json")
    if isinstance(value, list) and value:
        return "[\n" + ",\n".join(map(_encode, value)) + "\n]\n"
    return json.dumps(value, indent=2, default=json_default) + "\n"


def csv_text(rows: Sequence[Any], columns: Sequence[str]) -> str:
    """CSV with formula-like cells neutralised (a name of =cmd|... stays inert in Excel)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(columns)
    for row in rows:
        values = plain(row, "csv_text")
        writer.writerow([neutralise_formula(cell(values.get(c))) for c in columns])
    return buffer.getvalue()


# Outputs are written to files and folders only their owner can read: they may name people.
write_file = write_private
out_folder = private_folder
