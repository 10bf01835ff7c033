"""Splitting a multi-select answer into the options a person chose.

Survey tools join the options of one answer with a separator (Google Forms ", ", Qualtrics
",", Microsoft Forms ";" with one more at the end). An option's own label may hold the
separator ("Video Conference (e.g., Zoom)"), so the answer is split against the field's known
options: the longest run of pieces that is an option stays whole. When an answer's pieces are
not options but would be with another separator, the reason says so: the program's
``separator`` is then the thing to fix.
"""

from __future__ import annotations

from collections.abc import Collection

SEPARATORS = (";", ", ", ",", "|", "\n")


def split_answer(raw: str, separator: str, known: Collection[str]) -> list[str]:
    """The chosen options, each stripped; ``known`` holds the options (and the codes that map
    to them) casefolded."""
    text = raw.strip()
    if text.casefold() in known or separator not in text:
        return [text] if text else []
    pieces = text.split(separator)
    parts = []
    start = 0
    while start < len(pieces):
        end = start + 1
        for stop in range(len(pieces), start + 1, -1):  # the longest known run first
            if separator.join(pieces[start:stop]).strip().casefold() in known:
                end = stop
                break
        parts.append(separator.join(pieces[start:end]).strip())
        start = end
    return [part for part in parts if part]


def better_separator(raw: str, separator: str, known: Collection[str]) -> str | None:
    """Another separator that splits ``raw`` into known options only (two or more), where
    ``separator`` does not; None if there is none."""
    for other in SEPARATORS:
        if other == separator or other not in raw:
            continue
        parts = split_answer(raw, other, known)
        if len(parts) > 1 and all(part.casefold() in known for part in parts):
            return other
    return None
