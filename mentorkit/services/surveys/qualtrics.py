"""Qualtrics CSV exports.

Three header rows (export tags ``Q1..Qn``, the question texts, ``{"ImportId": "QID1"}``, in
JSON or in the single-quoted style of some exports), or two in the legacy format (tags, texts).
A field matches by question text, export tag or ImportId. ``-99`` ("seen but unanswered") is a
blank answer. A response Qualtrics recorded before the person finished (``Finished`` false,
``Progress`` under 100) or a survey preview is refused with that reason. A multi-select
question exported one column per option (``Q3_1..Q3_n``, "Question - Option") is gathered
into one answer, known by the question's tag and text.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

from mentorkit.services.sheets import DATE_LIKE, data_shape
from mentorkit.services.surveys.model import GATHERED, Column, Sheet, chained, header_rows, padded

META = {"startdate", "enddate", "status", "ipaddress", "progress", "duration (in seconds)",
        "finished", "recordeddate", "responseid", "responseset", "recipientlastname",
        "recipientfirstname", "recipientemail", "externalreference", "externaldatareference",
        "locationlatitude", "locationlongitude", "distributionchannel", "userlanguage"}
IMPORT_ID = re.compile(r"""^\{\s*["']ImportId["']\s*:\s*["']([^"']*)["']""")
OPTION = re.compile(r"^(.+)_(\d+)$")
UNANSWERED = {"-99"}  # seen but unanswered
NOT_CHOSEN = {"", "0", "-99"}


def sniff(heads: list[list[str]]) -> bool:
    return (len({h.casefold() for h in heads[0]} & META) >= 3
            or (len(heads) > 2 and _import_ids(heads[2]) is not None))


def _import_ids(row: list[str]) -> list[str] | None:
    found = [IMPORT_ID.match(cell.strip()) for cell in row]
    if not any(found) or any(m is None and cell.strip() for m, cell in zip(found, row,
                                                                           strict=True)):
        return None
    return [m.group(1) if m else "" for m in found]


def _is_text_row(tags: list[str], row: list[str]) -> bool:
    """Whether the second row holds question texts (legacy two-row header) rather than a
    response: its date and response-id cells are not a date and an id."""
    cells = dict(zip((t.casefold() for t in tags), row, strict=False))
    if any(DATE_LIKE.match(cells.get(k, "").strip()) for k in ("startdate", "enddate",
                                                               "recordeddate")):
        return False
    if cells.get("responseid", "").startswith("R_"):
        return False
    return data_shape(row) is None


def read(path: Path, rows: Iterator[tuple[int, list[str]]]) -> Sheet:
    heads = header_rows(path, rows, 1)
    tags = [t.strip() for t in heads[0]]
    peek = next(rows, None)
    if peek is not None and _is_text_row(tags, peek[1]):
        heads.append(peek[1])
        peek = next(rows, None)
        if peek is not None and _import_ids(peek[1]) is not None:
            heads.append(peek[1])
            peek = None
    rows = chained(peek, rows)
    texts = [t.strip() for t in heads[1]] if len(heads) > 1 else tags
    ids = _import_ids(heads[2]) if len(heads) > 2 else []
    columns = [Column(text or tag, tuple(a for a in (tag, _at(ids, i)) if a and a != text),
                      (i,)) for i, (tag, text) in enumerate(zip(tags, padded(texts, len(tags)),
                                                                strict=False))]
    groups = _option_groups(tags, texts, ids or [])
    columns += [column for column, _ in groups]
    folded = [t.casefold() for t in tags]
    stamp = next((folded.index(k) for k in ("recordeddate", "enddate") if k in folded), None)
    return Sheet(path, "qualtrics", heads, columns, rows, separator=",", stamp=stamp,
                 gather=_gatherer(len(tags), groups), refuse=_refuser(folded), width=len(tags))


def _at(items: list[str] | None, index: int) -> str:
    return items[index] if items and index < len(items) else ""


def _option_groups(tags: list[str], texts: list[str], ids: list[str]):
    """(gathered column, [(source, option label)]) per question exported one column per
    option."""
    by_base: dict[str, list[int]] = {}
    for index, tag in enumerate(tags):
        if (match := OPTION.match(tag)) is not None:
            by_base.setdefault(match.group(1), []).append(index)
    groups = []
    for base, sources in by_base.items():
        if len(sources) < 2 or base in tags:
            continue
        heads = [_at(texts, i) for i in sources]
        prefixes = {head.rpartition(" - ")[0] for head in heads}
        question = prefixes.pop() if len(prefixes) == 1 and "" not in prefixes else ""
        labels = [head[len(question) + 3:] if question else tags[i]
                  for head, i in zip(heads, sources, strict=True)]
        qid = _at(ids, sources[0]).rpartition("_")[0]
        aliases = tuple(a for a in (base, qid) if a and a != (question or base))
        groups.append((Column(question or base, aliases, tuple(sources), gathered=True),
                       list(zip(sources, labels, strict=True))))
    return groups


def _gatherer(width: int, groups):
    def gather(row: list[str]) -> list[str]:
        cells = padded(row, width)
        chosen = [GATHERED.join(label if cells[i].strip() == "1" else cells[i].strip()
                                for i, label in options if cells[i].strip() not in NOT_CHOSEN)
                  for _, options in groups]
        base = ["" if cell.strip() in UNANSWERED else cell for cell in cells[:width]]
        return base + chosen + cells[width:]
    return gather


def _refuser(folded: list[str]):
    where = {key: folded.index(key) for key in ("finished", "progress", "status")
             if key in folded}

    def refuse(row: list[str]) -> str | None:
        cell = {key: row[i].strip() if i < len(row) else "" for key, i in where.items()}
        if cell.get("status", "").casefold() in ("survey preview", "1"):
            return "a survey preview (Status), not a response"
        progress = cell.get("progress", "")
        unfinished = cell.get("finished", "").casefold() in ("0", "false")
        if unfinished or (progress.isdigit() and int(progress) < 100):
            return (f"an incomplete response (Finished {cell.get('finished') or '?'}, Progress "
                    f"{progress or '?'}%): the person did not finish the survey")
        return None
    return refuse
