"""What every export reader returns: the export's columns, each with the names it answers to,
and its rows as read, each with the line (or spreadsheet row) it starts on.

A reader may add columns of its own after the file's: one multi-select answer gathered from the
columns a tool writes one per option (Qualtrics ``Q3_1..Q3_n``, REDCap ``field___code``,
SurveyMonkey's sub-answers). ``cells`` turns a row as read into the cells of ``columns``; the
rows as read are what a rejects file gives back, so a fixed file is the tool's own format.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable, Iterator
from pathlib import Path

import attrs

from mentorkit.services.sheets import check_header

# Between the options of a gathered answer: no option label holds a line break
GATHERED = "\n"
SPACES = re.compile(r"\s+")


def folded(name: str) -> str:
    """A column or field name as matched: case and spacing aside."""
    return SPACES.sub(" ", name.replace("\u00a0", " ")).strip().casefold()


@attrs.frozen
class Column:
    name: str  # what a report calls it
    aliases: tuple[str, ...] = ()  # other names it answers to: export tag, variable, ImportId
    sources: tuple[int, ...] = ()  # the cells of a row as read that it is made of
    gathered: bool = False  # its cell is the chosen options joined by GATHERED

    @property
    def names(self) -> tuple[str, ...]:
        return (self.name, *self.aliases)


@attrs.define
class Sheet:
    """One export, read: its format, header rows, columns and rows."""

    path: Path
    format: str
    header_rows: list[list[str]]
    columns: list[Column]
    rows: Iterator[tuple[int, list[str]]]
    encoding: str = "utf-8"  # as read: utf-8, utf-8-sig, utf-16, cp1252, mixed, xlsx
    delimiter: str = ","
    sep_line: bool = False
    separator: str = ""  # how the tool joins a multi-select answer in one cell
    stamp: int | None = None  # the column of when a response was submitted
    # a row as read -> the cells of ``columns`` (None: the row as read is that already)
    gather: Callable[[list[str]], list[str]] | None = None
    # a row as read -> why the tool's own data rule it out (an unfinished response), or None
    refuse: Callable[[list[str]], str | None] | None = None
    width: int = 0  # cells in a row as read

    @property
    def headers(self) -> list[str]:
        return [column.name for column in self.columns]

    def cells(self, row: list[str]) -> list[str]:
        return row if self.gather is None else self.gather(row)

    def find(self, *names: str) -> int | None:
        """The column known by one of ``names`` (the first name first; a column's own name
        before its aliases), case and spacing aside."""
        for name in names:
            if not name:
                continue
            key = folded(name)
            for by_alias in (False, True):
                for index, column in enumerate(self.columns):
                    candidates = column.aliases if by_alias else (column.name,)
                    if any(folded(c) == key for c in candidates):
                        return index
        return None


def plain_columns(headers: list[str]) -> list[Column]:
    return [Column(header, (), (index,)) for index, header in enumerate(headers)]


def padded(row: list[str], width: int) -> list[str]:
    """The row with as many cells as the header (the extra ones kept at the end)."""
    return row + [""] * (width - len(row)) if len(row) < width else row


def header_rows(path: Path, rows: Iterator[tuple[int, list[str]]], count: int,
                duplicates: bool = False) -> list[list[str]]:
    """The first ``count`` rows, refused if the first looks like data (or, with
    ``duplicates``, names a column twice)."""
    found = [row for _, row in itertools.islice(rows, count)]
    check_header(path, [cell.strip() for cell in found[0]], duplicates)
    return found


def chained(first: tuple[int, list[str]] | None, rest: Iterator[tuple[int, list[str]]]):
    """``rest`` with ``first`` (a row read ahead) put back in front."""
    if first is not None:
        yield first
    yield from rest
