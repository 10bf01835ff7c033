"""What the participants' page server needs of the database beyond the page's services:
one connection per request (peewee keeps one per thread), closed when the request ends, and
the audit entry of a request refused before any service ran (a form without its session's
CSRF token)."""

from __future__ import annotations

from mentorkit.services.links import Visit
from mentorkit.storage import audit
from mentorkit.storage.models import database


def begin_request() -> None:
    database.connect(reuse_if_open=True)


def end_request() -> None:
    if database.obj is not None and not database.is_closed():
        database.close()


def refused(visit: Visit, why: str, path: str) -> None:
    """A member's request refused (audited as theirs: their session was proven)."""
    with database.atomic(), audit.as_member(visit.email):
        audit.record("page.refused", visit.program_key, program=visit.program_key, why=why,
                     path=path[:200])
