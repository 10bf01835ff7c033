"""The words of ``mentorkit programs map``: a proposed mapping, a field a few lines."""

from __future__ import annotations

from typing import Any

import attrs

from mentorkit.views.words import plural

MAX_SHOWN = 30  # unused columns listed


def attrs_dict(value: Any) -> dict:
    return {**attrs.asdict(value), "complete": value.complete}


def _short(text: str, width: int = 60) -> str:
    return text if len(text) <= width else text[:width - 3] + "..."


def map_lines(found) -> list[str]:
    lines = [f"Read as {found.format}: {plural(found.header_rows, 'header row')}, "
             f"{plural(found.responses, 'response')}."]
    for field in found.fields:
        if field.column is None:
            lines.append(f"  {field.field}: no column found"
                         + (" (required: add `column = ...` to the field)" if field.required
                            else " (optional)"))
            continue
        how = {"label": "", "submission time": " (the tool's submission time)",
               "proposed": f" (proposed: column = {field.write_column!r})"}[field.found_by]
        lines.append(f"  {field.field} <- {_short(field.column)!r}{how}")
        if field.separator:
            lines.append(f"      separator = {field.separator!r} (its options are split by it)")
        lines += [f"      {_short(answer)!r} -> {option!r}"
                  for answer, option in field.values.items()]
        lines += [f"      {_short(answer)!r} -> ? (matches no option)"
                  for answer in field.unmatched]
        if field.unmatched_hidden:
            lines.append(f"      {plural(field.unmatched_hidden, 'answer')} "
                         f"match{'es' if field.unmatched_hidden == 1 else ''} no option "
                         "(confidential: not shown)")
    if found.unused:
        more = len(found.unused) - MAX_SHOWN
        lines.append("Columns no field reads: " + ", ".join(_short(u, 40) for u in
                                                           found.unused[:MAX_SHOWN])
                     + (f" and {more} more" if more > 0 else ""))
    lines += found.notes
    lines.append("The mapping is complete." if found.complete else
                 "The mapping is incomplete: see the fields above.")
    return lines
