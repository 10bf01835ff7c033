"""The audit log as the administrator reads it: who did what and when, newest first."""

from __future__ import annotations

import datetime as dt

import attrs

from mentorkit.storage.audit import about_program
from mentorkit.storage.models import AuditEntry


@attrs.frozen
class Entry:
    at: str
    actor: str
    action: str
    target: str
    detail: dict


def entries(program_key: str | None = None, action: str | None = None,
            since: dt.datetime | None = None, limit: int = 200) -> list[Entry]:
    """The newest ``limit`` entries, about one program (if given), of actions starting with
    ``action``, from ``since``."""
    query = AuditEntry.select().order_by(AuditEntry.id.desc())
    if action:
        query = query.where(AuditEntry.action.startswith(action))
    if since:
        query = query.where(AuditEntry.at >= since)
    found = []
    for entry in query:
        if program_key and not about_program(entry.target, entry.detail, program_key):
            continue
        found.append(Entry(f"{entry.at:%Y-%m-%d %H:%M:%S}", entry.actor, entry.action,
                           entry.target, entry.detail or {}))
        if len(found) >= limit:
            break
    return found
