"""One sign-up per person: when an export holds a person more than once (they submitted the
form again), the latest submission wins.

"Latest" is by the export's own record of when each response was submitted (the program's
``enrollment.submitted_column``, else the survey tool's timestamp, else the signed_up_on
field's column); where a row has no such time, by its place in the file (further down is
later). Which rows were superseded, and by which, is reported by line.
"""

from __future__ import annotations

from typing import Any

from mentorkit.kernel.program import Program
from mentorkit.services.cells import timestamp
from mentorkit.services.sheets import ImportFileError, RowError
from mentorkit.services.surveys.model import Sheet

# What ``Latest.offer`` says of a row that an earlier-read row of the same person outdates
SUPERSEDED = object()


def stamp_column(program: Program, sheet: Sheet, columns: dict[str, int]) -> int | None:
    named = program.config.enrollment.submitted_column
    if named:
        found = sheet.find(named)
        if found is None:
            raise ImportFileError(f"{sheet.path}: the program's enrollment.submitted_column "
                                  f"{named!r} is not a column of the file")
        return found
    return sheet.stamp if sheet.stamp is not None else columns.get("signed_up_on")


class Latest:
    """Who has been seen so far, when each submitted, and the lines superseded. Rows are
    not kept (a large import streams): the row that wins is stored as it is read, and a
    later submission of the same person replaces it."""

    def __init__(self, match_on: str) -> None:
        self.match_on = match_on
        self.kept: dict[Any, tuple[int, str]] = {}  # key -> (line, submission time)
        self.by_email: dict[str, tuple[Any, int]] = {}  # e-mail -> (key, line)
        self.superseded: list[tuple[int, int]] = []  # (line, superseded by line)

    def offer(self, line: int, key: Any, email: str, stamp: str) -> object:
        """None: store this row (the person's first, or a later submission); SUPERSEDED:
        a row read before is the later submission; a RowError: its e-mail is another
        person's in the same file."""
        if key == email and key not in self.kept:  # matched on e-mail, first seen: most rows
            self.kept[key] = (line, stamp)
            return None
        owner = self.by_email.get(email) if key != email else None
        if owner is not None and owner[0] != key:
            return RowError(line, "", f"the same e-mail as line {owner[1]}, with another "
                                      f"{self.match_on}")
        earlier = self.kept.get(key)
        if earlier is not None and not _later(stamp, line, *reversed(earlier)):
            self.superseded.append((line, earlier[0]))
            return SUPERSEDED
        if earlier is not None:
            self.superseded.append((earlier[0], line))
        self.kept[key] = (line, stamp)
        if key != email:
            self.by_email[email] = (key, line)
        return None


def _later(stamp: str, line: int, than_stamp: str, than_line: int) -> bool:
    """Whether a row was submitted after another: by their times where both have one, else
    by their place in the file."""
    if not stamp or not than_stamp:
        return line > than_line
    try:
        mine, theirs = timestamp(stamp), timestamp(than_stamp)
    except ValueError:
        return line > than_line
    return mine > theirs or (mine == theirs and line > than_line)
