"""The report's groups, read at once: each group's row (members as the audience may see them,
its score and why, its cadence: the last meeting, what is due next and by when, and what fell
short) and the summary of what needs the administrator's attention first (overdue groups,
low satisfaction, open flags such as change requests, people left out)."""

from __future__ import annotations

import attrs

from mentorkit.kernel.concerns import Audience
from mentorkit.kernel.program import Program
from mentorkit.kernel.values import Standing
from mentorkit.services import assessments, batch
from mentorkit.services.cadence import GroupStanding
from mentorkit.services.letters import role_label
from mentorkit.views.audience import Viewer


@attrs.frozen
class GroupRow:
    label: str
    status: str
    shape: str
    members: list[str]  # "Name (role)" as the audience may see them
    score: float | None = None
    why: list[str] = attrs.field(factory=list)
    fallback: str | None = None
    attention: str | None = None
    standing: str | None = None
    findings: list[str] = attrs.field(factory=list)
    assessments: list[assessments.GroupResult] = attrs.field(factory=list)
    last_meeting: str | None = None  # the day of the latest contact, where the program runs
    next_due: str | None = None  # the earliest date something is due by
    flagged: bool = False  # an assessment answer fell below the program's threshold


def rows(program: Program, viewer: Viewer, shown: list, read: tuple[dict, dict],
         standings: dict[str, GroupStanding], results: dict) -> list[GroupRow]:
    """A row per group of ``shown`` for ``viewer``'s audience (``read``: the groups' places
    and the cycle's people): those needing attention first (overdue, then flagged, then
    due soon), then by label."""
    places, people = read
    flags = batch.open_flags(shown) if viewer.audience is Audience.ADMINISTRATOR else {}
    zone = program.config.cycle.zone
    found = []
    for group in shown:
        persons = [people[p.participant_id] for p in places[group.id]]
        roles = {p.participant_id: p.role for p in places[group.id]}
        members = [f"{p.name} ({role_label(program, roles[p.id])})" if p.role is not None
                   else p.name for p in viewer.people(persons, fields=())]
        if viewer.audience is Audience.PARTICIPANTS:  # who is in it, nothing more
            found.append(GroupRow(group.label, group.status, group.shape, members))
            continue
        found.append(_row(group, members, standings.get(group.label),
                          results.get(group.label, []), batch.attention(flags, group), zone,
                          viewer.why, keyed=viewer.audience is Audience.ADMINISTRATOR))
    return sorted(found, key=_order)


ORDER = {"overdue": 0, "due soon": 2, "on track": 3}


def _order(row: GroupRow) -> tuple:
    """Overdue groups first, then those flagged (an answer, a change), due soon, on track."""
    standing = ORDER.get(row.standing or "", 4)
    return (min(standing, 1) if row.flagged or row.attention else standing, row.label)


def _row(group, members: list[str], standing: GroupStanding | None, results,
         attention: str | None, zone, why, keyed: bool = True) -> GroupRow:
    """One group's row; ``keyed``: each finding under its rule's key, as the program file
    names it (the administrators'; a group reads the finding alone)."""
    findings = standing.findings if standing else ()
    due = [f.due_by for f in findings if f.due_by is not None]
    contacts = standing.history.contacts if standing else ()
    last = max((c.occurred_at for c in contacts), default=None)
    return GroupRow(
        group.label, group.status, group.shape, members, group.score, why(group.explanation),
        group.fallback, attention, str(standing.standing) if standing else None,
        [f"{f.rule}: {f.standing}: {f.message}" if keyed else f"{f.standing}: {f.message}"
         for f in findings if f.standing != Standing.ON_TRACK], list(results),
        str(last.astimezone(zone).date()) if last else None,
        str(min(due)) if due else None, any(r.flags for r in results))


def attention(rows: list[GroupRow], flags: list[tuple[str, str]], left_out: int) -> dict:
    """What needs the administrator first: overdue groups, groups with a low assessment
    answer, open flags (change requests, withdrawals, referred notes: ``flags``, of every
    group of the cycle, a dissolved one's too), people left out."""
    texts: dict[str, list[str]] = {}
    for label, text in flags:
        texts.setdefault(label, []).append(text)
    shown = {r.label for r in rows}
    return {"overdue": [r.label for r in rows if r.standing == str(Standing.OVERDUE)],
            "low satisfaction": [r.label for r in rows if r.flagged],
            "open flags": [(label, "; ".join(found), label in shown)
                           for label, found in texts.items()],
            "left out": left_out}
