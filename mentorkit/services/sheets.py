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
import re
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


def _decode(path: Path) -> tuple[str, str]:
    """The file's text and the encoding it was written in: UTF-8 (``utf-8-sig`` with the BOM
    Excel writes), UTF-16 with its byte-order mark (Excel's "Unicode Text", tab-separated),
    else Windows-1252, what Excel's plain "CSV" is on Windows. A file pasted
    together from both (UTF-8 rows and Windows-1252 rows) is read line by line, each line in
    the encoding it is in, so neither half's names are garbled (``mixed``)."""
    try:
        data = path.read_bytes()
    except OSError as error:
        raise ImportFileError(f"{path}: cannot read: {error.strerror or error}") from None
    try:
        return data.decode("utf-8-sig"), ("utf-8-sig" if data.startswith(BOM) else "utf-8")
    except UnicodeDecodeError:
        pass
    if data.startswith(UTF16_BOMS):
        try:
            return data.decode("utf-16"), "utf-16"
        except UnicodeDecodeError:
            raise ImportFileError(f"{path}: marked as UTF-16 text, but it is not: save it "
                                  "again as CSV UTF-8") from None
    decoded, kinds = [], set()
    for number, line in enumerate(data.removeprefix(BOM).splitlines(keepends=True), start=1):
        try:
            decoded.append(line.decode("utf-8"))
            kinds.add("utf-8" if not line.isascii() else "")
        except UnicodeDecodeError:
            try:
                decoded.append(line.decode("cp1252"))
                kinds.add("cp1252")
            except UnicodeDecodeError:
                raise ImportFileError(f"{path}: line {number}: neither UTF-8 nor "
                                      "Windows-1252 text") from None
    return "".join(decoded), ("mixed" if "utf-8" in kinds else "cp1252")


BOM = b"\xef\xbb\xbf"
UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")
# A cell may be long (the row is refused with a reason): the csv module's own limit, 128 KiB,
# would refuse the whole file at the first such cell.
FIELD_LIMIT = 2**31 - 1


def _dialect(first_line: str) -> str:
    """The delimiter: Excel's ``sep=;`` line if present, else the likeliest of , ; and tab."""
    if first_line.lower().startswith("sep=") and len(first_line) >= 5:
        return first_line[4]
    counts = {d: first_line.count(d) for d in (",", ";", "\t")}
    return max(counts, key=lambda d: (counts[d], d == ","))


@attrs.define
class Table:
    """A delimited file's rows as read, each with the line it starts on, and how the file was
    written (to write its rejects the same way)."""

    rows: Iterator[tuple[int, list[str]]]
    encoding: str = "utf-8"
    delimiter: str = ","
    sep_line: bool = False  # Excel's ``sep=`` first line


def read_table(path: Path) -> Table:
    """Every non-blank row with its first line number; handles BOM, Excel's encodings and
    ``sep=`` line, and multi-line quoted fields."""
    text, encoding = _decode(path)
    lines = io.StringIO(text, newline="")
    first = text.split("\n", 1)[0].rstrip("\r")
    offset = 0
    if first.lower().startswith("sep="):
        lines.readline()
        offset = 1
    delimiter = _dialect(first)
    if csv.field_size_limit() < FIELD_LIMIT:
        csv.field_size_limit(FIELD_LIMIT)
    reader = csv.reader(lines, delimiter=delimiter)  # lists: a dict per row costs more

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

    return Table(rows(), encoding, delimiter, bool(offset))


def read_rows(path: Path) -> tuple[list[str], Iterator[tuple[int, list[str]]]]:
    """The header and (first line number, row's cells) pairs of a plain CSV export."""
    rows = read_table(path).rows
    headers = [h.strip() for h in next(rows, (0, []))[1]]
    check_header(path, headers)
    return headers, rows


def check_header(path: Path, headers: list[str], duplicates: bool = True) -> None:
    """Refuse a first line that is data, not a header (described by its shape: its cells may
    be a person's answers), and a header naming a column twice."""
    if (shape := data_shape(headers)) is not None:
        raise ImportFileError(f"{path}: the first line looks like data, not a header row "
                              f"({shape}); export the file with its header row (the "
                              "question texts or field names)")
    twice = sorted({h for h in headers if h and headers.count(h) > 1}) if duplicates else []
    if twice:  # which of the two columns holds the answer? only the person who exported knows
        raise ImportFileError(f"{path}: the header has the column"
                              f"{'' if len(twice) == 1 else 's'} {', '.join(map(repr, twice))}"
                              " more than once; remove or rename the extra column")


ADDRESS = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
DATE_LIKE = re.compile(r"^\d{1,4}[-/.]\d{1,2}[-/.]\d{1,4}([ T]\d{1,2}:\d{2}(:\d{2})?.*)?$")
NUMBER_LIKE = re.compile(r"^[-+]?\d+([.,]\d+)?%?$")
ANSWER_WORDS = {"yes", "no", "true", "false", "y", "n"}


def data_shape(cells: list[str]) -> str | None:
    """Why a would-be header row looks like a respondent's answers, in counts only; None if
    it looks like a header. A header names questions: no cell of it is an e-mail address or
    a date, and few are numbers or yes/no answers."""
    filled = [c.strip() for c in cells if c.strip()]
    kinds = {"e-mail addresses": sum(bool(ADDRESS.match(c)) for c in filled),
             "dates": sum(bool(DATE_LIKE.match(c)) for c in filled),
             "numbers": sum(bool(NUMBER_LIKE.match(c)) for c in filled),
             "yes/no answers": sum(c.casefold() in ANSWER_WORDS for c in filled)}
    looks = kinds["e-mail addresses"] + kinds["dates"]
    other = kinds["numbers"] + kinds["yes/no answers"]
    if not filled or (not looks and other * 2 < len(filled)):
        return None
    found = ", ".join(f"{n} {kind}" for kind, n in kinds.items() if n)
    return f"{looks + other} of {len(cells)} cells look like answers: {found}"


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


