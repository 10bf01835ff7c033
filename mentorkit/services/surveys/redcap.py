"""REDCap exports: raw (variable names, codes) or labels (field labels, option labels).

Raw: a checkbox field is one 0/1 column per option, ``field___code`` (codes may be letters),
gathered into one multi-select answer known by the field's variable; with the project's data
dictionary (``--dictionary``, the CSV REDCap downloads), each column is also known by its
field label, and codes are read as their option labels (radio, dropdown, checkbox, yes/no).
Labels: a checkbox option is a column "Label (choice=Option)" holding Checked/Unchecked.
A survey's ``<form>_timestamp`` is when a response was submitted.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import attrs

from mentorkit.services.sheets import ImportFileError, read_table
from mentorkit.services.surveys.model import (
    GATHERED,
    Column,
    Sheet,
    folded,
    header_rows,
    padded,
)

CHECKBOX = re.compile(r"^(.+)___([A-Za-z0-9_.-]+)$")
LABELLED = re.compile(r"^(.*) \(choice=(.*)\)$")
TAGS = re.compile(r"<[^>]+>")
YES_NO = {"yesno": {"1": "Yes", "0": "No"}, "truefalse": {"1": "True", "0": "False"}}


@attrs.frozen
class Dictionary:
    labels: dict[str, str]  # variable -> field label
    options: dict[str, dict[str, str]]  # variable -> code (casefolded) -> option label


def sniff(heads: list[list[str]]) -> bool:
    first = heads[0]
    return (any(CHECKBOX.match(h) or h.endswith("_complete") for h in first)
            or "redcap_event_name" in first or "redcap_survey_identifier" in first
            or any(LABELLED.match(h) or h.endswith("Complete?") for h in first))


def read_dictionary(path: Path) -> Dictionary:
    rows = read_table(path).rows
    header = [folded(h) for h in next(rows, (0, []))[1]]
    try:
        at = [header.index(k) for k in ("variable / field name", "field type", "field label",
                                        "choices, calculations, or slider labels")]
    except ValueError:
        raise ImportFileError(f"{path}: not a REDCap data dictionary (it needs the columns "
                              "Variable / Field Name, Field Type, Field Label and Choices, "
                              "Calculations, OR Slider Labels)") from None
    labels, options = {}, {}
    for _, row in rows:
        name, kind, label, choices = (padded(row, len(header))[i].strip() for i in at)
        labels[name] = TAGS.sub("", label).strip()
        if kind in YES_NO:
            options[name] = dict(YES_NO[kind])
        elif kind in ("radio", "dropdown", "checkbox"):
            pairs = (choice.partition(",") for choice in choices.split("|"))
            options[name] = {code.strip().casefold(): TAGS.sub("", text).strip()
                             for code, _, text in pairs if code.strip()}
    return Dictionary(labels, options)


def read(path: Path, rows: Iterator[tuple[int, list[str]]], dictionary: Path | None) -> Sheet:
    heads = header_rows(path, rows, 1, duplicates=True)
    names = [h.strip() for h in heads[0]]
    book = read_dictionary(dictionary) if dictionary else Dictionary({}, {})
    columns = [Column(name, tuple(a for a in (book.labels.get(name, ""),) if a), (i,))
               for i, name in enumerate(names)]
    groups: dict[str, list[tuple[int, str]]] = {}
    for index, name in enumerate(names):
        if (match := CHECKBOX.match(name) or LABELLED.match(name)) is not None:
            field, code = match.groups()
            label = book.options.get(field, {}).get(code.casefold(), code)
            groups.setdefault(field, []).append((index, label))
    columns += [Column(field, tuple(a for a in (book.labels.get(field, ""),) if a),
                       tuple(i for i, _ in options), gathered=True)
                for field, options in groups.items()]
    coded = {i: book.options[name] for i, name in enumerate(names) if name in book.options}
    stamp = next((i for i, name in enumerate(names) if name.endswith("_timestamp")), None)
    width = len(names)

    def gather(row: list[str]) -> list[str]:
        cells = padded(row, width)
        base = [coded[i].get(cell.strip().casefold(), cell) if i in coded else cell
                for i, cell in enumerate(cells[:width])]
        chosen = [GATHERED.join(label for i, label in options
                                if cells[i].strip().casefold() in ("1", "checked"))
                  for options in groups.values()]
        return base + chosen + cells[width:]

    return Sheet(path, "redcap", heads, columns, rows, stamp=stamp,
                 gather=gather if groups or coded else None, width=width)
