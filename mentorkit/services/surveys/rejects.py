"""The rows an import could not use, written beside the export to fix and import again.

The file is the export's own: its header rows (a Qualtrics export's three), its delimiter,
and its encoding where Excel will open it right: Windows-1252 for a Windows-1252 export,
else UTF-8 with the BOM Excel looks for. Two columns come first, ``line`` (in the export) and
``problems``. A confidential answer is not copied: its cell holds ``[withheld: fill in]``,
for the coordinator to type the answer back in; an import refuses a cell still holding it.
The file is owner-only.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from pathlib import Path

from mentorkit.services.cells import WITHHELD
from mentorkit.services.sheets import RowError
from mentorkit.services.surveys.model import Sheet, padded
from mentorkit.storage.files import write_private

NOTE = (f"{WITHHELD} marks a confidential answer left out of this file: type the person's "
        "answer in its place before importing")


def rejects_path(path: Path) -> Path:
    return path.with_name(f"{path.stem}.rejects.csv")


def write_rejects(sheet: Sheet, rejected: Iterable[tuple[int, list[str], list[RowError]]],
                  withheld: set[int]) -> Path:
    """Write the rejected rows (line, row as read, reasons); the cells at ``withheld`` (of
    sensitive answers) are replaced by the marker where they held anything."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, delimiter=sheet.delimiter)
    if sheet.sep_line:
        buffer.write(f"sep={sheet.delimiter}\r\n")
    for number, header in enumerate(sheet.header_rows):
        writer.writerow([*_lead(sheet, number), *header])
    for line, row, errors in sorted(rejected, key=lambda item: item[0]):
        cells = padded(list(row), sheet.width)
        hidden = [i for i in withheld if i < len(cells) and cells[i].strip()]
        for i in hidden:
            cells[i] = WITHHELD
        problems = [f"{e.column}: {e.reason}" if e.column else e.reason for e in errors]
        writer.writerow([line, "; ".join(problems + ([NOTE] if hidden else [])), *cells])
    return write_private(rejects_path(sheet.path), _encoded(buffer.getvalue(), sheet.encoding))


def _lead(sheet: Sheet, number: int) -> list[str]:
    """The first two cells of header row ``number``, in that row's own style."""
    if number == 0:
        return ["line", "problems"]
    if sheet.format == "qualtrics" and number == 2:
        return ['{"ImportId":"line"}', '{"ImportId":"problems"}']
    if sheet.format == "qualtrics":
        return ["line", "problems"]
    return ["", ""]


def _encoded(text: str, encoding: str) -> bytes:
    """The rejects file in the export's own encoding, so it opens as the export did."""
    if encoding == "utf-16":
        return text.encode("utf-16")  # with its byte-order mark
    if encoding == "cp1252":
        try:
            return text.encode("cp1252")
        except UnicodeEncodeError:
            pass  # a reason or a pasted cell outside Windows-1252: UTF-8, marked for Excel
    return text.encode("utf-8-sig")
