"""One sign-up per person: when an export holds a person more than once (they submitted the
form again), the latest submission wins.

"Latest" is by the export's own record of when each response was submitted (the program's
``enrollment.submitted_column``, else the survey tool's timestamp, else the signed_up_on
field's column); where a row has no such time, by its place in the file (further down is
later). Which rows were superseded, and by which, is reported by line.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import attrs

from mentorkit.kernel.program import Program
from mentorkit.services.cells import timestamp
from mentorkit.services.sheets import ImportFileError, RowError
from mentorkit.services.surveys.model import Sheet


@attrs.define
class Entry:
    line: int
    row: list[str]  # as read, for the rejects file should it be rejected later
    answers: dict[str, Any]
    stamp: str  # the submission time as written: parsed only when two rows compete


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
    """The rows kept so far, one per person, and the lines superseded."""

    def __init__(self, key_of: Callable[[dict[str, Any]], Any], match_on: str) -> None:
        self.key_of, self.match_on = key_of, match_on
        self.kept: dict[Any, Entry] = {}
        self.by_email: dict[str, Any] = {}
        self.superseded: list[tuple[int, int]] = []  # (line, superseded by line)

    def offer(self, entry: Entry) -> RowError | None:
        """Keep ``entry`` unless a later submission of the same person is kept; a reason if
        its e-mail is another person's in the same file."""
        key, email = self.key_of(entry.answers), entry.answers["email"]
        owner = self.by_email.get(email)
        if owner is not None and owner != key:
            return RowError(entry.line, "", f"the same e-mail as line {self.kept[owner].line}, "
                                            f"with another {self.match_on}")
        earlier = self.kept.get(key)
        if earlier is None:
            self.kept[key] = entry
            self.by_email[email] = key
            return None
        if not _later(entry, earlier):
            self.superseded.append((entry.line, earlier.line))
            return None
        self.superseded.append((earlier.line, entry.line))
        if self.by_email.get(earlier.answers["email"]) == key:
            del self.by_email[earlier.answers["email"]]
        self.kept[key] = entry
        self.by_email[email] = key
        return None

    def entries(self) -> Iterator[Entry]:
        return iter(sorted(self.kept.values(), key=lambda entry: entry.line))


def _later(entry: Entry, than: Entry) -> bool:
    """Whether ``entry`` was submitted after ``than``: by their times where both have one,
    else by their place in the file."""
    try:
        mine, theirs = timestamp(entry.stamp), timestamp(than.stamp)
    except ValueError:
        return entry.line > than.line
    return mine > theirs or (mine == theirs and entry.line > than.line)
