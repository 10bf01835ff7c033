"""The mentoring relationships within each group, kept in step with who is in it.

A relationship is what a program's life is about: a mentor and a mentee meeting, asked how it
goes, asking for a change. Which relationships a group holds is its matcher's to say
(``Matcher.relationships``: each mentor-mentee pair of a pair or a triad; the group as a
whole for a cohort or a circle). Whenever the members change (a group accepted, a member
joining or leaving, a cycle closing) :func:`sync` ends the relationships that no longer hold,
with when and why, and records the new ones; none is ever deleted, so a closed year still
says who mentored whom, from when to when.
"""

from __future__ import annotations

import datetime as dt

import attrs

from mentorkit.kernel.errors import NotFoundError
from mentorkit.kernel.guard import component_hook
from mentorkit.kernel.program import Program
from mentorkit.kernel.values import Member
from mentorkit.storage.models import Group, Participant, Relationship

WHOLE = (None, None)  # the group as a whole
CODE_PREFIX = "R"  # a relationship's code as invitations give it: R + its id


def code(relationship: Relationship) -> str:
    """The relationship's code, which an assessment's invitation gives and its survey's
    export brings back, so an answer is filed against that relationship."""
    return f"{CODE_PREFIX}{relationship.id}"


def wanted(program: Program, group: Group) -> set[tuple[int | None, int | None]]:
    """The relationships the group's current members make, as (first, second) ids."""
    if group.status != "active":
        return set()
    return pairs_of(program, [Member(m.participant_id, m.role)
                              for m in group.current_memberships()])


def pairs_of(program: Program, members: list[Member]) -> set[tuple[int | None, int | None]]:
    """The relationships ``members`` (an active group's current members) make."""
    if len(members) < 2:
        return set()
    with component_hook(program.matcher, "matcher"):
        pairs = program.matcher.relationships(members)
    ids = {m.person_id for m in members}
    found = {(int(a), int(b)) for a, b in pairs if a in ids and b in ids and a != b}
    return found or {WHOLE}


def sync(program: Program, group: Group, on: dt.date, why: str = "") -> None:
    """End the group's relationships its members no longer make (on ``on``, because
    ``why``) and start those they make now."""
    want = wanted(program, group)
    current = {(r.first_id, r.second_id): r
               for r in group.relationships.where(Relationship.current())}
    for key, relationship in current.items():
        if key not in want:
            relationship.ended_on = on
            relationship.ended_why = why or "the group changed"
            relationship.save()
    started = group.started_on if group.started_on and group.started_on <= on else on
    for first, second in sorted(want - current.keys(), key=str):
        Relationship.create(group=group, first=first, second=second, started_on=started)


def current(group: Group) -> list[Relationship]:
    return list(group.relationships.where(Relationship.current()).order_by(Relationship.id))


@attrs.frozen
class RelationshipRow:
    """A relationship as the administrator names it."""

    id: int
    group: str
    first: str | None  # the mentor's name; None: the group as a whole
    second: str | None
    started_on: str | None
    ended_on: str | None
    ended_why: str | None


def row(relationship: Relationship) -> RelationshipRow:
    first, second = relationship.first, relationship.second
    return RelationshipRow(relationship.id, relationship.group.label,
                           first.name if first else None, second.name if second else None,
                           str(relationship.started_on or "") or None,
                           str(relationship.ended_on or "") or None, relationship.ended_why)


def describe(relationship: Relationship) -> str:
    """"Ana Lee and Bo Chen (lgbtq-triads-004)", or "the group lgbtq-triads-004"."""
    if relationship.first is None:
        return f"the group {relationship.group.label}"
    return (f"{relationship.first.name} and {relationship.second.name} "
            f"({relationship.group.label})")


def between(group: Group, a: Participant, b: Participant) -> Relationship:
    """The current relationship of ``a`` and ``b`` in ``group`` (the whole group's, where it
    has no pairs)."""
    found = current(group)
    for relationship in found:
        if {relationship.first_id, relationship.second_id} == {a.id, b.id}:
            return relationship
    whole = [r for r in found if r.first_id is None]
    if whole:
        return whole[0]
    raise NotFoundError(f"{a.name} and {b.name} have no relationship in {group.label}")


def of_person(group: Group, person: Participant) -> list[Relationship]:
    """The current relationships ``person`` has in ``group``."""
    return [r for r in current(group)
            if r.first_id is None or person.id in (r.first_id, r.second_id)]
