"""Proposing how a survey export feeds a program's intake (``mentorkit programs map``).

Read a real export, and for each intake field say which column feeds it (found by label,
export tag or ``column``; else the most similar column's name, proposed) and, for a field of
options, which of the export's answers map to which option (the same word, a role's label,
an answer that holds the option's words) and which map to none. A confidential field's
answers are never listed: only those given by two people or more (an option's label, not a
typed answer) are proposed, and the others counted. The proposal is what
``mapping_file.write_mapping`` writes into the program file.
"""

from __future__ import annotations

import difflib
import itertools
import re
from collections import Counter
from pathlib import Path

import attrs

from mentorkit.config.models import IntakeField
from mentorkit.kernel.program import Program
from mentorkit.services.cells import DEFAULT_SEPARATOR, convert, match_columns
from mentorkit.services.multiselect import better_separator, split_answer
from mentorkit.services.surveys.model import GATHERED, Sheet, folded
from mentorkit.services.surveys.read import TITLES, read_sheet

MAX_ROWS = 20_000  # read for the answers' variety: more adds nothing
SIMILAR = 0.6
WORDS = re.compile(r"[a-z0-9]+")
YES_NO = (("yes", "yes"), ("true", "yes"), ("no", "no"), ("false", "no"))


@attrs.frozen
class FieldMapping:
    field: str
    required: bool
    column: str | None  # the export's column that feeds it
    found_by: str  # "label", "proposed", "submission time", "" (no column)
    write_column: str = ""  # ``column = ...`` to write, where the label does not find it
    separator: str = ""  # ``separator = ...`` to write
    values: dict[str, str] = attrs.field(factory=dict)  # answer -> option, to write
    unmatched: list[str] = attrs.field(factory=list)  # answers that map to no option
    unmatched_hidden: int = 0  # confidential answers that map to none (not shown)


@attrs.frozen
class Mapping:
    format: str
    header_rows: int
    responses: int
    fields: list[FieldMapping]
    unused: list[str]  # columns no field reads
    notes: list[str] = attrs.field(factory=list)

    @property
    def complete(self) -> bool:
        return all((f.column or not f.required) and not f.unmatched and not f.unmatched_hidden
                   for f in self.fields)


def propose(program: Program, path: Path, fmt: str | None = None,
            dictionary: Path | None = None) -> Mapping:
    sheet = read_sheet(path, fmt, dictionary)
    rows = [sheet.cells(row) for _, row in itertools.islice(sheet.rows, MAX_ROWS)]
    found = match_columns(program, sheet)
    how = {name: "submission time" if sheet.stamp == index and name == "signed_up_on"
           and sheet.find(program.config.field(name).header) is None else "label"
           for name, index in found.items()}
    for name, index in _similar(program, sheet, set(found.values()), found):
        found[name], how[name] = index, "proposed"
    fields = [_field(field, sheet, found.get(field.name), how.get(field.name, ""), rows,
                     program) for field in program.config.intake]
    used = {i for index in found.values() for i in (index, *sheet.columns[index].sources)}
    unused = [c.name for i, c in enumerate(sheet.columns)
              if i not in used and not (c.gathered and set(c.sources) & used)
              and not (len(c.sources) == 1 and c.sources[0] in used)]
    notes = [] if sheet.format != "redcap" or dictionary else [
        "A REDCap raw export holds codes and variable names: give the project's data "
        "dictionary with --dictionary FILE to read them as their labels."]
    return Mapping(TITLES[sheet.format], len(sheet.header_rows), len(rows), fields, unused,
                   notes)


def _words(text: str) -> set[str]:
    return set(WORDS.findall(folded(text).replace("-", "")))  # e-mail, email


def similarity(one: str, other: str) -> float:
    """How alike two names are: the same (1), one's words all in the other (0.85), else how
    alike their letters are."""
    a, b = folded(one), folded(other)
    if not a or not b:
        return 0.0
    if a == b:
        return 1.0
    words_a, words_b = _words(a), _words(b)
    if words_a and words_b and (words_a <= words_b or words_b <= words_a):
        return 0.85
    return difflib.SequenceMatcher(None, a, b).ratio()


def _similar(program: Program, sheet: Sheet, taken: set[int], found: dict[str, int]):
    """(field, column) pairs for fields no column names, the most alike first."""
    scores = []
    for field in program.config.intake:
        if field.name in found:
            continue
        for index, column in enumerate(sheet.columns):
            score = max(similarity(wanted, name) for wanted in (field.label, field.name)
                        if wanted for name in column.names)
            if score >= SIMILAR:
                scores.append((score, column.gathered, field.name, index))
    for _, _, name, index in sorted(scores, reverse=True):
        if name not in found and index not in taken:
            found[name] = index  # marks the field placed for the pairs after it
            taken.add(index)
            yield name, index


def _field(field: IntakeField, sheet: Sheet, index: int | None, how: str, rows, program):
    if index is None:
        return FieldMapping(field.name, field.required, None, "")
    column = sheet.columns[index]
    write = ""
    if how == "proposed":
        tags = [a for a in column.aliases if sheet.format in ("qualtrics", "redcap")]
        write = tags[0] if tags else column.name
    if field.type not in ("choice", "choices", "boolean"):
        return FieldMapping(field.name, field.required, column.name, how, write)
    separator = (GATHERED if column.gathered
                 else field.separator or sheet.separator or DEFAULT_SEPARATOR)
    answers = Counter(row[index].strip() for row in rows if index < len(row) and row[index].strip())
    known = {c.casefold() for c in field.choices} | {k.casefold() for k in field.values}
    better = "" if field.type != "choices" else next(
        (s for a in answers if (s := better_separator(a, separator, known))), "")
    parts: Counter[str] = Counter()
    for answer, count in answers.items():
        for part in (split_answer(answer, better or separator, known)
                     if field.type == "choices" else [answer]):
            parts[part] += count
    values, unmatched, hidden = {}, [], 0
    for part, count in sorted(parts.items()):
        if _fits(field, part):
            continue
        option = _option(field, part, program)
        if option is not None and (not field.sensitive or count > 1):
            values[part] = option
        elif field.sensitive:
            hidden += 1
        else:
            unmatched.append(part)
    return FieldMapping(field.name, field.required, column.name, how, write,
                        better if better and better != field.separator else "", values,
                        unmatched, hidden)


def _fits(field: IntakeField, answer: str) -> bool:
    try:
        convert(field, answer, GATHERED)
    except ValueError:
        return False
    return True


def _option(field: IntakeField, answer: str, program: Program) -> str | None:
    """The option an answer most likely means, or None."""
    if field.type == "boolean":
        head = folded(answer)
        return next((word for start, word in YES_NO if head.startswith(start)), None)
    labels = {c: [c] for c in field.choices}
    if field.name == "role":
        for role in program.config.roles:
            labels.setdefault(role.key, []).append(role.label)
    scored = [(similarity(answer, label), option) for option, names in labels.items()
              for label in names]
    score, option = max(scored, default=(0.0, None))
    return option if score >= 0.75 else None
