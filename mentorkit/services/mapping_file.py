"""Writing a proposed intake mapping into a program file, keeping its comments and layout
(tomlkit): ``column``, ``separator`` and ``values`` on each ``[[intake]]`` table concerned.

The file must load back as a program before it replaces the old one, so a mapping never
leaves a broken program file; the write is atomic (a file beside it, then renamed).
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import tomlkit
import tomlkit.exceptions

from mentorkit.kernel.errors import MentorkitError
from mentorkit.kernel.program import Program, load_program_text
from mentorkit.services.mapping import Mapping
from mentorkit.views.words import plural


class MappingFileError(MentorkitError, ValueError):
    """The program file to write the mapping into cannot take it."""


def write_mapping(program: Program, mapping: Mapping, dest: Path) -> list[str]:
    """Write ``mapping`` into the program file ``dest`` (started from ``program``'s own file
    when it does not exist); returns the changes made, one line each."""
    try:
        text = dest.read_text(encoding="utf-8") if dest.exists() else program.text
        document = tomlkit.parse(text)
    except (OSError, UnicodeDecodeError, tomlkit.exceptions.ParseError) as error:
        raise MappingFileError(f"cannot read {dest} as a program file: "
                               f"{getattr(error, 'strerror', None) or error}") from None
    key = document.get("program", {}).get("key")
    if key != program.key:
        raise MappingFileError(f"{dest} is the program file of {key!r}, not {program.key!r}")
    tables = {table.get("name"): table for table in document.get("intake", [])}
    changes = []
    for field in mapping.fields:
        table = tables.get(field.field)
        if table is None:
            continue
        if field.write_column and table.get("column") != field.write_column:
            table["column"] = field.write_column
            changes.append(f"{field.field}: column = {field.write_column!r}")
        if field.separator:
            table["separator"] = field.separator
            changes.append(f"{field.field}: separator = {field.separator!r}")
        if field.values:
            values = tomlkit.inline_table()
            values.update({**dict(table.get("values", {})), **field.values})
            table["values"] = values
            changes.append(f"{field.field}: values for {plural(len(field.values), 'answer')}")
    new_text = tomlkit.dumps(document)
    load_program_text(new_text, str(dest))  # raises with every problem, before any write
    temporary = dest.with_name(f".{dest.name}.mapping")
    try:
        temporary.write_text(new_text, encoding="utf-8")
        if dest.exists():
            shutil.copymode(dest, temporary)
        os.replace(temporary, dest)
    except OSError as error:
        temporary.unlink(missing_ok=True)
        raise MappingFileError(f"cannot write {dest}: {error.strerror or error}") from None
    return changes
