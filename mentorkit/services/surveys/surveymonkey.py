"""SurveyMonkey CSV exports ("All individual responses", actual answer text).

Two header rows: the question (blank over the further columns of the same question), then the
sub-answer (``Response``, ``Open-Ended Response``, an option, or a part such as ``Name`` or
``Email`` of a contact block). A column is known as "Question - Sub-answer" and by the
sub-answer alone; a question of several option columns is also gathered into one multi-select
answer known by the question. ``End Date`` is when a response was submitted.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from mentorkit.services.surveys.model import (
    GATHERED,
    Column,
    Sheet,
    folded,
    header_rows,
    padded,
)

SIGNATURE = {"respondent id", "collector id", "start date", "end date", "ip address",
             "email address", "first name", "last name", "custom data 1"}
WHOLE = {"", "response", "open-ended response"}


def sniff(heads: list[list[str]]) -> bool:
    first = {folded(h) for h in heads[0]}
    return ("respondent id" in first or len(first & SIGNATURE) >= 3) and len(heads) > 1 and any(
        folded(h) in WHOLE - {""} for h in heads[1])


def read(path: Path, rows: Iterator[tuple[int, list[str]]]) -> Sheet:
    heads = header_rows(path, rows, 2)
    questions, subs = heads[0], padded(heads[1], len(heads[0]))
    columns, by_question = [], {}
    question = ""
    for index, (top, sub) in enumerate(zip(questions, subs, strict=False)):
        question = top.strip() or question
        sub = sub.strip()
        if folded(sub) in WHOLE:
            columns.append(Column(question, (), (index,)))
            continue
        columns.append(Column(f"{question} - {sub}" if question else sub, (sub,), (index,)))
        by_question.setdefault(question, []).append(index)
    groups = [(question, sources) for question, sources in by_question.items()
              if question and len(sources) > 1]
    width = len(questions)
    columns += [Column(question, (), tuple(sources), gathered=True)
                for question, sources in groups]
    names = [folded(q) for q in questions]
    stamp = names.index("end date") if "end date" in names else None

    def gather(row: list[str]) -> list[str]:
        cells = padded(row, width)
        chosen = [GATHERED.join(cells[i].strip() for i in sources if cells[i].strip())
                  for _, sources in groups]
        return cells[:width] + chosen + cells[width:]

    return Sheet(path, "surveymonkey", heads, columns, rows, stamp=stamp,
                 gather=gather if groups else None, width=width)
