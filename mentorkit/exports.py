"""Participant exports per audience: what each audience may hold, and nothing more."""

from __future__ import annotations

from collections import Counter

from mentorkit import audit
from mentorkit.concerns import Audience
from mentorkit.config.loader import Program
from mentorkit.enrollment import to_person
from mentorkit.redaction import Redactor
from mentorkit.registry_db import current_cycle
from mentorkit.storage.models import Participant

BASE_COLUMNS = ("id", "name", "email", "role", "status")


def _participants(program: Program) -> list[Participant]:
    return list(Participant.select().where(Participant.cycle == current_cycle(program))
                .order_by(Participant.name, Participant.id))


def public_report(program: Program) -> list[dict]:
    """Counts by role and status: no personal data at all."""
    counts = Counter((p.role, p.status) for p in _participants(program))
    return [{"role": role, "status": status, "count": n}
            for (role, status), n in sorted(counts.items())]


def participant_rows(program: Program, redactor: Redactor) -> tuple[list[dict], list[str]]:
    """One row per participant with the answers the redactor's audience may see."""
    people = _participants(program)
    persons = [to_person(p) for p in people]
    fields = [f.name for f in program.config.intake if f.name not in BASE_COLUMNS]
    rows, used = [], set()
    for participant, person in zip(people, persons, strict=True):
        visible = redactor.answers(person)
        row = {"id": participant.id, "name": participant.name, "email": participant.email,
               "role": participant.role, "status": participant.status}
        for field in fields:
            if field in visible:
                value = visible[field]
                row[field] = ";".join(map(str, value)) if isinstance(value, list) else value
                used.add(field)
        rows.append(row)
    return rows, [*BASE_COLUMNS, *(f for f in fields if f in used)]


def audit_export(program: Program, audience: Audience, rows: int, target: str) -> None:
    audit.record("export", program.key, audience=str(audience), rows=rows, destination=target)
