"""Reading a sign-up export whichever tool wrote it: the format is told by the file (its
header rows, its extension), or forced with ``--format``.

Qualtrics, REDCap, Google Forms, Microsoft Forms (``.xlsx`` or CSV), SurveyMonkey, and any
other CSV as a spreadsheet writes it. Each reader is one module beside this one.
"""

from __future__ import annotations

import itertools
from pathlib import Path

from mentorkit.services.sheets import ImportFileError, Table, check_header, read_table
from mentorkit.services.surveys import google, msforms, qualtrics, redcap, surveymonkey
from mentorkit.services.surveys.model import Sheet, plain_columns

READERS = {"qualtrics": qualtrics, "surveymonkey": surveymonkey, "redcap": redcap,
           "ms-forms": msforms, "google-forms": google}
TITLES = {"qualtrics": "Qualtrics", "surveymonkey": "SurveyMonkey", "redcap": "REDCap",
          "ms-forms": "Microsoft Forms", "google-forms": "Google Forms", "csv": "CSV"}


def read_sheet(path: Path, fmt: str | None = None, dictionary: Path | None = None) -> Sheet:
    """The export at ``path``, read in its own format (or in ``fmt``); ``dictionary`` is a
    REDCap project's data dictionary, to read its codes as their labels."""
    table = _xlsx_table(path) if path.suffix.lower() in (".xlsx", ".xlsm") else read_table(path)
    first = list(itertools.islice(table.rows, 3))
    if not first:
        raise ImportFileError(f"{path}: the file is empty (not even a header row)")
    heads = [[cell.strip() for cell in row] for _, row in first]
    if fmt is None:
        fmt = next((name for name, reader in READERS.items() if reader.sniff(heads)), "csv")
    if dictionary is not None and fmt != "redcap":
        raise ImportFileError(f"{path}: --dictionary is for a REDCap export, and this file is "
                              f"read as {TITLES[fmt]} (use --format redcap if it is REDCap)")
    rows = itertools.chain(first, table.rows)
    if fmt == "csv":
        check_header(path, heads[0])
        next(rows)
        sheet = Sheet(path, "csv", [first[0][1]], plain_columns(heads[0]), rows)
    elif fmt == "redcap":
        sheet = redcap.read(path, rows, dictionary)
    else:
        sheet = READERS[fmt].read(path, rows)
    sheet.encoding, sheet.delimiter, sheet.sep_line = (table.encoding, table.delimiter,
                                                       table.sep_line)
    sheet.width = max(sheet.width, len(sheet.header_rows[0]))
    return sheet


def _xlsx_table(path: Path) -> Table:
    from mentorkit.services.surveys.xlsx import read_xlsx

    return read_xlsx(path)
