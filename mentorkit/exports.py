"""Participant exports per audience: what each audience may hold, and nothing more.

Rows are built from :class:`mentorkit.views.PersonView` objects, so an export holds only the
people and answers its audience may see: the public gets counts, all participants get the
people taking part with the answers each shared with everyone, a group gets its own members
with what each shared with the group, and an administrator gets everyone, with their status,
and sensitive answers only when asked for (and audited).
"""

from __future__ import annotations

from collections import Counter

from mentorkit import audit
from mentorkit.enrollment import to_person
from mentorkit.kernel.concerns import Audience
from mentorkit.kernel.program import Program
from mentorkit.registry_db import current_cycle
from mentorkit.storage.models import Participant
from mentorkit.views import Viewer

ADMIN_COLUMNS = ("id", "name", "email", "role", "status")
MEMBER_COLUMNS = ("name", "email", "role")  # what participants and groups know of each other


def _participants(program: Program) -> list[Participant]:
    return list(Participant.select().where(Participant.cycle == current_cycle(program))
                .order_by(Participant.name, Participant.id))


def public_report(program: Program) -> list[dict]:
    """Counts by role and status: no personal data at all."""
    counts = Counter((p.role, p.status) for p in _participants(program))
    return [{"role": role, "status": status, "count": n}
            for (role, status), n in sorted(counts.items())]


def participant_rows(program: Program, viewer: Viewer) -> tuple[list[dict], list[str]]:
    """One row per person the viewer's audience may see, with the answers it may see."""
    views = viewer.people(to_person(p) for p in _participants(program))
    base = ADMIN_COLUMNS if viewer.audience is Audience.ADMINISTRATOR else MEMBER_COLUMNS
    fields = [f.name for f in program.config.intake if f.name not in base]
    rows, used = [], set()
    for view in views:
        row = {column: getattr(view, column) for column in base}
        for field in fields:
            if field in view.answers:
                value = view.answers[field]
                row[field] = ";".join(map(str, value)) if isinstance(value, list) else value
                used.add(field)
        rows.append(row)
    return rows, [*base, *(f for f in fields if f in used)]


def audit_export(program: Program, audience: Audience, rows: int, target: str) -> None:
    audit.record("export", program.key, audience=str(audience), rows=rows, destination=target)
