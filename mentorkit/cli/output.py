"""Everything the CLI prints or writes goes through here, and through the active redactor.

A command that shows program data resolves its program first (``resolve_program``), which
activates a :class:`mentorkit.redaction.Redactor` for the audience (administrator unless the
command takes ``--audience``). ``say``, ``heading``, ``emit``, ``write_text`` and ``write_csv``
scrub every string with it; ``tests/test_confidentiality.py`` fails if a CLI module prints any
other way.
"""

from __future__ import annotations

import contextvars
import csv
import datetime as dt
import io
import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import click

from mentorkit.redaction import Redactor, neutralise_formula

_active: contextvars.ContextVar[Redactor | None] = contextvars.ContextVar("redactor",
                                                                         default=None)


def activate(redactor: Redactor | None) -> None:
    _active.set(redactor)


def active() -> Redactor | None:
    return _active.get()


def _scrub(value: Any) -> Any:
    redactor = _active.get()
    return redactor.value(value) if redactor is not None else value


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, list | tuple):
        return ", ".join(_text(v) for v in value)
    return str(value)


def say(text: str = "", err: bool = False) -> None:
    click.echo(_scrub(text), err=err)


def heading(text: str) -> None:
    click.secho(_scrub(text), bold=True)


def warn(text: str) -> None:
    click.secho(_scrub(text), fg="red")


def emit(rows: Sequence[dict[str, Any]], columns: Sequence[str], as_json: bool) -> None:
    rows = [_scrub(dict(row)) for row in rows]
    if as_json:
        click.echo(json.dumps(list(rows), indent=2, default=_json_default))
        return
    if not rows:
        click.echo("(none)")
        return
    cells = [[_text(row.get(column)) for column in columns] for row in rows]
    widths = [max(len(column), *(len(line[i]) for line in cells))
              for i, column in enumerate(columns)]
    click.echo("  ".join(c.upper().ljust(w) for c, w in zip(columns, widths, strict=True)).rstrip())
    for line in cells:
        click.echo("  ".join(c.ljust(w) for c, w in zip(line, widths, strict=True)).rstrip())


def write_text(path: Path, text: str) -> None:
    path.write_text(_scrub(text), encoding="utf-8")


def write_bytes(path: Path, data: bytes) -> None:
    path.write_bytes(_scrub(data.decode("utf-8")).encode("utf-8"))


def csv_text(rows: Sequence[dict[str, Any]], columns: Sequence[str]) -> str:
    """CSV with formula-like cells neutralised (a name of =cmd|... stays inert in Excel)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(columns)
    for row in rows:
        writer.writerow([neutralise_formula(_text(_scrub(row.get(c)))) for c in columns])
    return buffer.getvalue()


def _json_default(value: Any) -> Any:
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    if isinstance(value, set | frozenset):
        return sorted(value)
    raise TypeError(f"cannot write {type(value).__name__} as JSON")
