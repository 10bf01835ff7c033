"""Reading an Excel workbook's first sheet as rows of text, as Microsoft Forms exports one.

openpyxl (a maintained reader of the format) is loaded here only, when an ``.xlsx`` is read,
so the command line starts without it. Cells become the text a CSV of the same sheet would
hold: dates and times as ``YYYY-MM-DD HH:MM:SS``, whole numbers without ``.0``. A line number
is the sheet's row number, as Excel shows it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

from mentorkit.services.sheets import ImportFileError, Table


def text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.strftime("%Y-%m-%d %H:%M:%S")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, dt.time):
        return value.strftime("%H:%M:%S")
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    return str(value)


def read_xlsx(path: Path) -> Table:
    import zipfile

    import openpyxl
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except (OSError, KeyError, ValueError, zipfile.BadZipFile, InvalidFileException) as error:
        raise ImportFileError(f"{path}: cannot read it as an Excel workbook "
                              f"({type(error).__name__})") from None
    sheet = book.worksheets[0] if book.worksheets else None
    if sheet is None:
        raise ImportFileError(f"{path}: the workbook has no sheet")

    def rows() -> Iterator[tuple[int, list[str]]]:
        try:
            for number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
                cells = [text(value) for value in values]
                while cells and not cells[-1].strip():
                    cells.pop()
                if cells:
                    yield number, cells
        finally:
            book.close()

    return Table(rows(), encoding="xlsx", delimiter=",")
