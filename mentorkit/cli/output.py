"""Everything the CLI prints or writes goes through here.

Program data reaches these helpers only as rows built from views made for one audience
(:mod:`mentorkit.views`): a CLI module never reads a participant's answers itself
(``tests/test_confidentiality.py`` fails if one does, or prints any other way), and
:func:`emit` refuses a row that holds a whole record instead of plain values. Nothing is
scrubbed afterwards: what a view does not hold cannot be printed. Files are created
owner-only.
"""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any

import click

from mentorkit.cli.lazy import lazy

# the text every output is made of, loaded when something is printed (not for --help)
formats = lazy("mentorkit.views.formats")


def csv_text(rows: Sequence[Any], columns: Sequence[str]) -> str:
    return formats.csv_text(rows, columns)


def to_json(rows: Any) -> str:
    return formats.to_json(rows)


def write_file(path: Path, data: str | bytes) -> Path:
    return formats.write_file(path, data)


def out_folder(path: Path) -> Path:
    return formats.out_folder(path)

__all__ = ["csv_text", "done", "emit", "heading", "out_folder", "progress_bar", "say",
           "stage_bar", "to_json", "warn", "write_file"]


def say(text: str = "", err: bool = False) -> None:
    click.echo(text, err=err)


def heading(text: str) -> None:
    click.secho(text, bold=True)


def warn(text: str) -> None:
    """A warning on stderr, so it never mixes into output a script reads."""
    click.secho(f"Warning: {text}", fg="yellow", err=True)


def emit(rows: Sequence[Any], columns: Sequence[str], as_json: bool) -> None:
    """Rows (mappings, or a service's attrs rows) as a table of ``columns``, or as JSON."""
    if as_json:
        click.echo(to_json(list(rows)), nl=False)
        return
    rows = [formats.plain(row, "emit") for row in rows]
    if not rows:
        click.echo("(none)")
        return
    cells = [[formats.cell(row.get(column)) for column in columns] for row in rows]
    widths = [max(len(column), *(len(line[i]) for line in cells))
              for i, column in enumerate(columns)]
    click.echo("  ".join(c.upper().ljust(w) for c, w in zip(columns, widths, strict=True)).rstrip())
    for line in cells:
        click.echo("  ".join(c.ljust(w) for c, w in zip(line, widths, strict=True)).rstrip())


def done(as_json: bool, record: Any, *lines: str) -> None:
    """What a command that changes something did: for a script (``--json``), one record as
    JSON, a list of one as every ``--json`` prints; for a person, its sentences."""
    if as_json:
        emit([record], (), as_json=True)
        return
    for line in lines:
        say(line)


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


def report_bulk(ctx: click.Context, file: Path, report, dry_run: bool, done: str,
                before: str, as_json: bool = False) -> None:
    """What a bulk import did: each rejected row by line and reason, the counts, where the
    rejected rows are kept (as one JSON record for a script); exit 1 if any was
    rejected."""
    if as_json:
        emit([{"stored": not dry_run, "format": report.format, "added": report.added,
               "already": report.already, "rejected": report.rejected_rows,
               "errors": [{"line": e.line, "column": e.column or None, "reason": e.reason}
                          for e in report.errors],
               "rejects_file": str(report.rejects_file) if report.rejects_file else None}],
             (), as_json=True)
        if report.rejected_rows:
            ctx.exit(1)
        return
    for error in report.errors:
        say(f"{file}: line {error.line}: {error.reason}", err=True)
    verb = f"Would have {done}" if dry_run else done.capitalize()
    say(f"{verb} ({report.format} export): {report.added}; {before}: {report.already}; "
        f"rejected: {report.rejected_rows}")
    if report.rejects_file:
        say(f"Rejected rows kept in {report.rejects_file} (readable by you only)")
    if report.rejected_rows:
        ctx.exit(1)
