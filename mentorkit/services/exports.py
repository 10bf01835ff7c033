"""Participant exports per audience: what each audience may hold, and nothing more.

Rows are built from :class:`mentorkit.views.audience.PersonView` objects, so an export holds
only the people and answers its audience may see: the public gets counts, all participants get the
people taking part with the answers each shared with everyone, a group gets its own members
with what each shared with the group, and an administrator gets everyone, with their status,
and sensitive answers only when asked for (and audited).
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from mentorkit.kernel.concerns import Audience
from mentorkit.kernel.program import Program
from mentorkit.services import batch, written
from mentorkit.services.lookup import (
    current_cycle,
    find_group,
    members,
    participants,
    people_cycle,
    to_person,
)
from mentorkit.storage import audit
from mentorkit.storage.files import check_target, write_private
from mentorkit.storage.models import Group, Membership, database
from mentorkit.views.audience import Viewer
from mentorkit.views.formats import csv_text, to_json

ADMIN_COLUMNS = ("id", "name", "email", "role", "status")
MEMBER_COLUMNS = ("name", "email", "role")  # what participants and groups know of each other


def viewer_for(program: Program, audience: Audience, group: str | None = None,
               show_sensitive: bool = False, purpose: str = "") -> Viewer:
    """The view an output for ``audience`` is built from: an administrator's (sensitive
    answers only when asked, audited with ``purpose``), one ``group``'s members', all
    participants', or the public's."""
    audience = Audience(audience)
    if audience is Audience.ADMINISTRATOR:
        return Viewer.administrator(program, show_sensitive, purpose)
    if audience is Audience.GROUP:
        found = find_group(program, group)
        return Viewer(program, audience, members=[p.id for p in members(found)])
    return Viewer(program, audience)


def public_report(program: Program) -> list[dict]:
    """Counts by role and status: no personal data at all."""
    counts = Counter((p.role, p.status) for p in participants(program, by_name=True))
    return [{"role": role, "status": status, "count": n}
            for (role, status), n in sorted(counts.items())]


def participant_rows(program: Program, viewer: Viewer) -> tuple[list[dict], list[str]]:
    """One row per person the viewer's audience may see, with the answers it may see."""
    views = viewer.people(to_person(p) for p in participants(program, by_name=True))
    base = [column for column in (ADMIN_COLUMNS if viewer.audience is Audience.ADMINISTRATOR
                                  else MEMBER_COLUMNS) if viewer.shows(column)]
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


def roster(program: Program, viewer: Viewer, status: str | None = None,
           role: str | None = None, unmatched: bool = False,
           with_answers: bool = False) -> list[dict]:
    """The administrator's list of the current cycle's participants, by name: of a status or
    role, or only those in no proposed or active group; with the answers the viewer may see."""
    grouped = ({m.participant_id for m in Membership.select(Membership.participant).join(Group)
                .where((Group.cycle == current_cycle(program)) & Membership.left_at.is_null()
                       & Group.status.in_(["proposed", "active"]))} if unmatched else set())
    rows = []
    for person, sides in batch.cycle_people(people_cycle(program),
                                            [status] if status else None, by_name=True):
        if person.id in grouped or (role is not None and person.role != role):
            continue
        view = viewer.person(person)
        row = {"id": view.id, "name": view.name, "email": view.email, "role": view.role,
               "sides": sides, "status": view.status}
        if with_answers:
            row["answers"] = view.answers
        rows.append(row)
    return rows


def audit_export(program: Program, audience: Audience, rows: int, target: str) -> None:
    audit.record("export", program.key, audience=str(audience), rows=rows, destination=target)


def export_rows(program: Program, audience: Audience, group: str | None = None,
                show_sensitive: bool = False,
                destination: str = "stdout") -> tuple[list[dict], list[str]]:
    """The rows and columns of a participants export for ``audience`` (counts for the public;
    one ``group``'s members for a group), the export recorded in the audit log with where it
    goes."""
    audience = Audience(audience)
    if audience is Audience.PUBLIC:
        rows, columns = public_report(program), ["role", "status", "count"]
    else:
        people_cycle(program)  # a purged cycle names no one
        viewer = viewer_for(program, audience, group, show_sensitive,
                            f"participants export to {destination}")
        rows, columns = participant_rows(program, viewer)
    audit_export(program, audience, len(rows), destination)
    return rows, columns


def write_export(program: Program, audience: Audience, group: str | None, show_sensitive: bool,
                 fmt: str, out: Path) -> int:
    """The export written to ``out`` (CSV or JSON), owner-only; returns its rows. The target
    is checked first, and the export is in the audit log only if the file was written."""
    check_target(out)
    with database.atomic():
        rows, columns = export_rows(program, audience, group, show_sensitive, str(out))
        write_private(out, to_json(rows) if fmt == "json" else csv_text(rows, columns))
        written.record(program, [out], "export")
    return len(rows)
