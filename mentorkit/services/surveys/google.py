"""Google Forms responses, downloaded as CSV from the form or its Sheet.

The first column is the ``Timestamp`` (in the form owner's language), when the response was
submitted; a checkbox question's options are joined by ", " in one cell, split against the
field's options so that an option holding ", " stays whole. The "Email Address" the form
collects also answers to "Email".
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from mentorkit.services.surveys.model import Column, Sheet, folded, header_rows

TIMESTAMPS = {"timestamp", "marca temporal", "horodateur", "zeitstempel",
              "carimbo de data/hora", "informazioni cronologiche", "tijdstempel"}
ADDRESS_COLUMNS = {"email address", "e-mail address", "email", "e-mail"}


def sniff(heads: list[list[str]]) -> bool:
    return bool(heads[0]) and folded(heads[0][0]) in TIMESTAMPS


def read(path: Path, rows: Iterator[tuple[int, list[str]]]) -> Sheet:
    heads = header_rows(path, rows, 1, duplicates=True)
    names = [h.strip() for h in heads[0]]
    columns = [Column(name, ("Email", "E-mail") if folded(name) in ADDRESS_COLUMNS else (),
                      (i,)) for i, name in enumerate(names)]
    stamp = 0 if names and folded(names[0]) in TIMESTAMPS else None
    return Sheet(path, "google-forms", heads, columns, rows, separator=", ", stamp=stamp,
                 width=len(names))
