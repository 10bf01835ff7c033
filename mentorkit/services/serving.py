"""What the participants' page server needs of the database beyond the page's services: a
connection per server thread (peewee keeps one per thread), kept between requests and closed
after a request that failed or when the server stops; each program as loaded from its
stored file, kept while that file is unchanged (building a program's components from its
TOML costs more than the rest of a request); and the audit entry of a request refused before
any service ran (a form without its session's CSRF token)."""

from __future__ import annotations

import threading

from mentorkit.kernel.program import Program
from mentorkit.services.links import Visit
from mentorkit.services.lookup import program_record
from mentorkit.services.programs import load_program_text
from mentorkit.storage import audit
from mentorkit.storage.models import ProgramRecord, database

_programs: dict[str, tuple[str, Program]] = {}
_lock = threading.Lock()


def begin_request() -> None:
    database.connect(reuse_if_open=True)


def end_request(failed: bool = True) -> None:
    """After a request: the thread's connection is kept for its next one, unless the
    request failed (a broken connection is not reused) or the server is stopping."""
    if failed and database.obj is not None and not database.is_closed():
        database.close()


def program(key: str) -> Program:
    """The stored program ``key``, built once per version of its stored file."""
    text = (ProgramRecord.select(ProgramRecord.config_toml)
            .where(ProgramRecord.key == key).scalar())
    if text is None:
        program_record(key)  # says which programs there are
    with _lock:
        cached = _programs.get(key)
    if cached is not None and cached[0] == text:
        return cached[1]
    built = load_program_text(text, f"program {key} (stored)")
    with _lock:
        _programs[key] = (text, built)
    return built


def refused(visit: Visit, why: str, path: str) -> None:
    """A member's request refused (audited as theirs: their session was proven)."""
    with database.atomic(), audit.as_member(visit.email):
        audit.record("page.refused", visit.program_key, program=visit.program_key, why=why,
                     path=path[:200])
