"""The current cycle's groups as the administrator reviews them: members (with who left and
who is proposed to join), why each was formed, what needs attention."""

from __future__ import annotations

import attrs

from mentorkit.kernel.program import Program
from mentorkit.services import batch
from mentorkit.services.lookup import current_cycle, find_group, groups, members, people_cycle
from mentorkit.storage.models import Group, Membership
from mentorkit.views.audience import Viewer


@attrs.frozen
class MemberRow:
    id: int
    name: str
    email: str
    role: str
    left: bool
    proposed_join: bool


@attrs.frozen
class GroupRow:
    group: str
    shape: str
    status: str
    score: float
    members: tuple[MemberRow, ...]
    why: tuple[str, ...]
    fallback: str | None
    attention: str | None
    continues: bool
    purposes: tuple[str, ...]


def listing(program: Program, status: str | None = None) -> list[GroupRow]:
    """Every group of the current cycle (of ``status``), by label: one query per table."""
    found = []  # a purged cycle's members are erased: refused, not listed as placeholders
    shown = batch.groups(people_cycle(program), [status] if status else None)
    places = batch.places(shown, current=False)
    names = batch.names(shown)
    flagged = batch.open_flags(shown)
    why = Viewer.administrator(program).why  # a reason on confidential answers, masked
    for group in shown:
        rows = tuple(MemberRow(p.participant_id, *names[p.participant_id], p.role,
                               p.left_at is not None, p.pending) for p in places[group.id])
        found.append(GroupRow(group.label, group.shape, group.status, group.score, rows,
                              tuple(why(group.explanation)), group.fallback,
                              batch.attention(flagged, group), group.continues,
                              tuple(group.purposes)))
    return found


def active_labels(program: Program) -> list[str]:
    return [group.label for group in groups(program, ["active"])]


def member_emails(program: Program, label: str) -> list[str]:
    """The e-mails of the group's current members, in join order."""
    return [person.email for person in members(find_group(program, label))]


def has_proposal(program: Program) -> bool:
    """Whether a stored proposal awaits acceptance (new groups, or joins to active ones)."""
    return bool(groups(program, ["proposed"])) or Membership.select().join(Group).where(
        (Group.cycle == current_cycle(program)) & Membership.pending).exists()
