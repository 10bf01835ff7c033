"""Microsoft Forms responses, as the ``.xlsx`` workbook Forms downloads (or that sheet saved
as CSV).

Columns ``ID``, ``Start time``, ``Completion time``, ``Email``, ``Name`` come first, then one
per question; a multi-select answer is its options joined by ";" with one more at the end.
Dates come as Excel dates (read as ``YYYY-MM-DD HH:MM:SS``) or as serial numbers, which a
date field reads too. ``Completion time`` is when a response was submitted.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from mentorkit.services.surveys.model import Sheet, folded, header_rows, plain_columns

SIGNATURE = {"id", "start time", "completion time", "last modified time"}


def sniff(heads: list[list[str]]) -> bool:
    return len({folded(h) for h in heads[0]} & SIGNATURE) >= 2


def read(path: Path, rows: Iterator[tuple[int, list[str]]]) -> Sheet:
    heads = header_rows(path, rows, 1, duplicates=True)
    names = [h.strip() for h in heads[0]]
    keys = [folded(name) for name in names]
    stamp = keys.index("completion time") if "completion time" in keys else None
    return Sheet(path, "ms-forms", heads, plain_columns(names), rows, separator=";",
                 stamp=stamp, width=len(names))
