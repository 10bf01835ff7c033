"""Why an administrator should look at a group: flags that accumulate until resolved.

A withdrawal, a change request, a referred note each raise a flag on the group; a second
never hides the first (a cohort that lost its year-4 peer mentor and then a student still
says both). A flag is resolved by hand (``match resolve``), or by the core where the gap it
names is filled (a freed place taken by someone of the role that left).
"""

from __future__ import annotations

import attrs

from mentorkit.kernel.errors import MentorkitError, NotFoundError
from mentorkit.kernel.program import Program
from mentorkit.services.lookup import find_group
from mentorkit.storage import audit
from mentorkit.storage.models import Flag, Group, Participant, database, now


class FlagError(MentorkitError, ValueError):
    """A flag that cannot be resolved (none open)."""


def raise_flag(group: Group, text: str, about: Participant | None = None) -> Flag:
    return Flag.create(group=group, text=text, about=about)


def open_flags(group: Group) -> list[Flag]:
    return list(group.flags.where(Flag.open()).order_by(Flag.id))


def attention(group: Group) -> str | None:
    """The group's open flags in one line, oldest first; None when there are none."""
    found = open_flags(group)
    return "; ".join(flag.text for flag in found) or None


def settle(flag: Flag, resolution: str) -> None:
    flag.resolved_at, flag.resolution = now(), resolution
    flag.resolved_by = audit.administrator()
    flag.save()


@attrs.frozen
class FlagRow:
    id: int
    group: str
    text: str
    raised: str
    resolved: str | None
    resolution: str


def listing(program: Program, label: str, everything: bool = False) -> list[FlagRow]:
    """The group's open flags (``everything``: resolved ones too)."""
    group = find_group(program, label)
    query = group.flags.order_by(Flag.id)
    if not everything:
        query = query.where(Flag.open())
    return [FlagRow(f.id, group.label, f.text, str(f.raised_at),
                    str(f.resolved_at) if f.resolved_at else None, f.resolution)
            for f in query]


def resolve(program: Program, label: str, flag_id: int | None = None,
            note: str = "") -> int:
    """Resolve one open flag of the group (``flag_id``) or all of them; returns how many.
    A closed year's flags may be resolved too: settling what needed attention is the
    record's own bookkeeping."""
    group = find_group(program, label)
    found = open_flags(group)
    if flag_id is not None:
        found = [f for f in found if f.id == flag_id]
        if not found:
            raise NotFoundError(f"{label} has no open flag {flag_id} (see `mentorkit match "
                                f"flags {program.key} {label}`)")
    if not found:
        raise FlagError(f"{label} has no open flag")
    with database.atomic():
        for flag in found:
            settle(flag, note or "resolved by an administrator")
        audit.record("group.resolve", label, program=program.key, flags=[f.id for f in found])
    return len(found)
