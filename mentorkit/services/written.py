"""The files mentorkit wrote with a cycle's personal data in them, so that purging the cycle
can erase them too: rejects files, exports, reports, letters to review, token letters.

Only files mentorkit itself wrote are recorded, and a purge erases one only if it is still a
regular file owned by the account running the purge (a file someone moved, replaced or took
over is left where it is, and the purge says so).
"""

from __future__ import annotations

import os
import stat
from collections.abc import Iterable
from pathlib import Path

from mentorkit.kernel.program import Program
from mentorkit.services.lookup import current_cycle, program_record
from mentorkit.storage import bulk
from mentorkit.storage.models import Cycle, WrittenFile


def record(program: Program, paths: Iterable[Path], kind: str) -> None:
    """Remember ``paths`` as ``kind`` files of the program's current cycle (once each)."""
    cycle = current_cycle(program)
    folders: dict[str, str] = {}  # each folder resolved once (thousands of letters, one)
    resolved = []
    for head, name in map(os.path.split, map(os.fspath, paths)):  # strings: no Path each
        folder = folders.get(head) or folders.setdefault(head, os.path.realpath(head or "."))
        resolved.append(os.path.join(folder, name))
    known = {path for (path,) in WrittenFile.select(WrittenFile.path).where(
        WrittenFile.cycle == cycle).tuples()}
    record = program_record(program.key)
    rows = [{"program": record, "cycle": cycle, "path": path, "kind": kind}
            for path in dict.fromkeys(resolved) if path not in known]
    bulk.insert(WrittenFile, rows)


def of_cycle(cycle: Cycle) -> list[WrittenFile]:
    return list(WrittenFile.select().where(WrittenFile.cycle == cycle))


def still_ours(path: str) -> bool:
    """Whether ``path`` is still a regular file this account owns (safe to erase)."""
    try:
        info = os.lstat(path)
    except OSError:
        return False
    return stat.S_ISREG(info.st_mode) and info.st_uid == os.geteuid()


def erase(cycle: Cycle) -> tuple[int, int]:
    """Remove the cycle's recorded files that are still ours; (erased, left where they
    are). The records go either way: there is nothing left to find."""
    erased = left = 0
    for written in of_cycle(cycle):
        if still_ours(written.path):
            try:
                os.remove(written.path)
                erased += 1
            except OSError:
                left += 1
        elif os.path.lexists(written.path):
            left += 1
    WrittenFile.delete().where(WrittenFile.cycle == cycle).execute()
    return erased, left
