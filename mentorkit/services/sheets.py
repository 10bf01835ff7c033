"""Reading spreadsheet exports as survey tools and spreadsheets write them, and writing back the
rows that could not be used.

UTF-8 with or without a BOM, Windows-1252, comma, semicolon or tab delimited, Excel's ``sep=``
line, quoted fields with newlines. Each row comes with the line it starts on, so a bad one is
reported where the coordinator can find it; rejected rows go to an owner-only file beside the
input, to fix and import again.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from pathlib import Path

import attrs

from mentorkit.kernel.errors import MentorkitError
from mentorkit.storage.files import write_private


class ImportFileError(MentorkitError, ValueError):
    """The file as a whole cannot be imported (unreadable, or a required column missing)."""


@attrs.frozen
class RowError:
    line: int
    column: str
    reason: str


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


