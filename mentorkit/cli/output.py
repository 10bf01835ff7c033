"""Everything the CLI prints or writes goes through here.

Program data reaches these helpers only through views made for one audience
(:mod:`mentorkit.views`): a CLI module never reads a participant's answers itself
(``tests/test_confidentiality.py`` fails if one does, or prints any other way), and
:func:`emit` refuses a row that holds a whole record instead of plain values. Nothing is
scrubbed afterwards: what a view does not hold cannot be printed. Files are created
owner-only (:mod:`mentorkit.files`).
"""

from __future__ import annotations

import contextlib
import csv
import datetime as dt
import io
import json
import sys
from collections.abc import Callable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

import click

from mentorkit.files import private_folder, write_private
from mentorkit.kernel.values import Person
from mentorkit.storage.models import BaseModel
from mentorkit.views import VisibleAnswers

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def neutralise_formula(text: str) -> str:
    """A cell a spreadsheet would run as a formula (=cmd|..., +, -, @) is prefixed with a
    quote, as OWASP advises for CSV exports; the value itself is kept."""
    return "'" + text if text.startswith(FORMULA_PREFIXES) else text


def _plain(value: Any, where: str) -> Any:
    """``value`` if it is plain data or a view's answers; a record is refused, since it
    carries every answer of a person whatever the audience."""
    if isinstance(value, BaseModel | Person):
        raise TypeError(f"{where}: a {type(value).__name__} record cannot be printed; "
                        "build the row from an audience view (mentorkit.views)")
    if isinstance(value, VisibleAnswers):
        return dict(value)
    if isinstance(value, Mapping):
        return {key: _plain(item, where) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(item, where) for item in value]
    return value


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, list | tuple):
        return ", ".join(_text(v) for v in value)
    return str(value)


def say(text: str = "", err: bool = False) -> None:
    click.echo(text, err=err)


def heading(text: str) -> None:
    click.secho(text, bold=True)


def warn(text: str) -> None:
    """A warning on stderr, so it never mixes into output a script reads."""
    click.secho(f"Warning: {text}", fg="yellow", err=True)


def emit(rows: Sequence[Mapping[str, Any]], columns: Sequence[str], as_json: bool) -> None:
    rows = [_plain(dict(row), "emit") for row in rows]
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


LONG_FILE = 2_000_000  # bytes of sign-ups above which an import shows its progress


@contextlib.contextmanager
def progress_bar(path: Path, label: str) -> Iterator[Callable[[int], None] | None]:
    """A progress bar on stderr for a long import, told the line reached (-1: done); none
    when stderr is not a terminal (a script, a log) or the file is short."""
    try:
        size = path.stat().st_size
    except OSError:
        size = 0
    if size < LONG_FILE or not sys.stderr.isatty():
        yield None
        return
    lines = max(1, path.read_bytes().count(b"\n"))
    with click.progressbar(length=lines, label=label, file=sys.stderr) as bar:
        reached = 0

        def update(line: int) -> None:
            nonlocal reached
            line = lines if line < 0 else min(line, lines)
            bar.update(line - reached)
            reached = line

        yield update


LONG_POOL = 2_000  # participants above which a match run shows its stages


@contextlib.contextmanager
def stage_bar(label: str, stages: int) -> Iterator[Callable[[str, int], None]]:
    """A progress bar on stderr through the ``stages`` of a long command, told each stage's
    name and the number of people it works on; it appears only for a pool of LONG_POOL or
    more, and never when stderr is not a terminal (a script, a log)."""
    bar = None

    def update(stage: str, people: int) -> None:
        nonlocal bar
        if bar is None:
            if people < LONG_POOL or not sys.stderr.isatty():
                return
            bar = click.progressbar(length=stages + 1, label=label, file=sys.stderr,
                                    show_eta=False, show_percent=False,
                                    item_show_func=lambda item: item)
            bar.__enter__()
        bar.update(1, stage)

    try:
        yield update
        if bar is not None:  # each stage is shown as it starts; full only once all are done
            bar.update(1, "done")
    finally:
        if bar is not None:
            bar.__exit__(None, None, None)


def write_file(path: Path, data: str | bytes) -> Path:
    """Write a file only its owner can read (it may name people)."""
    return write_private(path, data)


def out_folder(path: Path) -> Path:
    """A folder for files that name people, made owner-only."""
    return private_folder(path)


def to_json(rows: Any) -> str:
    return json.dumps(_plain(rows, "to_json"), indent=2, default=_json_default) + "\n"


def csv_text(rows: Sequence[Mapping[str, Any]], columns: Sequence[str]) -> str:
    """CSV with formula-like cells neutralised (a name of =cmd|... stays inert in Excel)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(columns)
    for row in rows:
        plain = _plain(dict(row), "csv_text")
        writer.writerow([neutralise_formula(_text(plain.get(c))) for c in columns])
    return buffer.getvalue()


def _json_default(value: Any) -> Any:
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    if isinstance(value, set | frozenset):
        return sorted(value)
    raise TypeError(f"cannot write {type(value).__name__} as JSON")
