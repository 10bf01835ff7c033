"""A cycle's groups with everything about them, read in one query per table.

A command about every group of a large program (a report, the introductions, cadence, the
groups' listing) would otherwise ask the database once per group for its members, again per
member for their answers, and again per group for its meetings, flags and relationships: tens
of thousands of round trips for a program of 6,000 people. Here each table is read once, as
plain tuples (no model objects), and handed out by group: the same rows, in the same order,
as :mod:`mentorkit.services.lookup` gives one group at a time.
"""

from __future__ import annotations

import datetime as dt
import json
from collections import defaultdict
from collections.abc import Iterable, Sequence

import attrs

from mentorkit.config.models import SIGNED_UP_FIELD
from mentorkit.kernel.values import Contact, Person
from mentorkit.storage.models import (
    Cycle,
    Flag,
    Group,
    Meeting,
    Membership,
    Participant,
    Relationship,
    database,
)

UTC = dt.UTC
CHUNK = 900  # ids per IN (...): below SQLite's oldest limit on bound parameters


def raw(query) -> list[tuple]:
    """The rows of a peewee query as the driver gives them, without peewee's conversion of
    each value (most of the time of reading many rows): the callers convert what they use
    with :func:`when`, :func:`day` and :func:`loaded`, which read SQLite's text and a
    server's own values alike."""
    return database.execute(query).fetchall()


def when(value) -> dt.datetime | None:
    return dt.datetime.fromisoformat(value) if isinstance(value, str) else value


def day(value) -> dt.date | None:
    if isinstance(value, str):
        return dt.date.fromisoformat(value[:10])
    return value.date() if isinstance(value, dt.datetime) else value


def loaded(value, cache: dict | None = None):
    """A JSON column's value (``cache``: text seen before, read once)."""
    if not isinstance(value, str):
        return value
    if cache is None:
        return json.loads(value)
    found = cache.get(value)
    if found is None:
        found = cache[value] = json.loads(value)
    return found


@attrs.frozen
class GroupRow:
    """A group as read in bulk, to read (not to change): the group's own columns."""

    id: int
    label: str
    shape: str
    status: str
    score: float
    explanation: list[str]
    fallback: str | None
    created_at: dt.datetime
    continues: bool
    continued_from_id: int | None
    started_on: dt.date | None
    purposes: list[str]


GROUP_COLUMNS = (Group.id, Group.label, Group.shape, Group.status, Group.score,
                 Group.explanation, Group.fallback, Group.created_at, Group.continues,
                 Group.continued_from, Group.started_on, Group.purposes)


class Groups(list):
    """Groups read by :func:`groups`, with the query that selects their ids: the tables read
    about them are read with it as a subquery (a list of thousands of ids would cost more to
    write into the SQL than to read)."""

    scope: object = None


def groups(cycle: Cycle, statuses: Iterable[str] | None = None) -> Groups:
    """The groups of ``cycle`` (of these statuses), by label, as :func:`lookup.groups` gives
    them, without a model object per group."""
    condition = Group.cycle == cycle
    if statuses is not None:
        condition &= Group.status.in_(list(statuses))
    seen: dict = {}
    found = Groups(
        GroupRow(id_, label, shape, status, score, loaded(why) or [], fallback, when(created),
                 bool(continues), earlier, day(started), loaded(purposes, seen) or [])
        for (id_, label, shape, status, score, why, fallback, created, continues, earlier,
             started, purposes) in raw(Group.select(*GROUP_COLUMNS).where(condition)
                                       .order_by(Group.label)))
    found.scope = Group.select(Group.id).where(condition)
    return found


def scopes(groups: Sequence[Group | GroupRow]) -> Iterable[object]:
    """What ``X.group.in_(...)`` takes for ``groups``: their query, or their ids a chunk at
    a time."""
    if getattr(groups, "scope", None) is not None:
        yield groups.scope
        return
    yield from chunks([g.id for g in groups])


@attrs.frozen
class Place:
    """A membership as read in bulk: who, in which group, as what, from when to when."""

    id: int
    group_id: int
    participant_id: int
    role: str
    joined_at: dt.datetime
    left_at: dt.datetime | None
    pending: bool
    joined_later: bool = False  # placed into the group after it was formed (a repair join)

    @property
    def current(self) -> bool:
        return self.left_at is None and not self.pending


def chunks(items: Sequence, size: int = CHUNK) -> Iterable[list]:
    items = list(items)
    for start in range(0, len(items), size):
        yield items[start:start + size]


def places(groups: Sequence[Group | GroupRow], current: bool = True) -> dict[int, list[Place]]:
    """Per group id, its memberships in join order (``current``: only those in force)."""
    found: dict[int, list[Place]] = defaultdict(list)
    by_id = [g.id for g in groups]
    for ids in scopes(groups):
        query = (Membership.select(Membership.id, Membership.group, Membership.participant,
                                   Membership.role, Membership.joined_at, Membership.left_at,
                                   Membership.pending, Membership.join.is_null(False))
                 .where(Membership.group.in_(ids)).order_by(Membership.id))
        if current:
            query = query.where(Membership.current())
        for id_, group, participant, role, joined, left, pending, later in raw(query):
            found[group].append(Place(id_, group, participant, role, when(joined), when(left),
                                      bool(pending), bool(later)))
    return {g: found.get(g, []) for g in by_id}


PERSON_COLUMNS = (Participant.id, Participant.name, Participant.email, Participant.role,
                  Participant.sides, Participant.answers, Participant.signed_up_on,
                  Participant.status)


def person_of(row: tuple, sides_seen: dict | None = None) -> Person:
    """A participant's raw row (PERSON_COLUMNS) as components see them (as lookup.to_person
    makes them)."""
    id_, name, email, role, sides, answers, signed_up_on, status = row
    answers = loaded(answers)
    signed = answers.get(SIGNED_UP_FIELD)
    if isinstance(signed, str):
        answers[SIGNED_UP_FIELD] = dt.date.fromisoformat(signed)
    return Person(id=id_, name=name, email=email, role=role,
                  sides=frozenset(loaded(sides, sides_seen)), answers=answers,
                  signed_up_on=day(signed_up_on), status=status)


def _members_of(groups: Sequence[Group | GroupRow], current: bool) -> Iterable[object]:
    """What ``Participant.id.in_(...)`` takes for the members of ``groups``."""
    for scope in scopes(groups):
        query = Membership.select(Membership.participant).where(Membership.group.in_(scope))
        yield query.where(Membership.current()) if current else query


def people(groups: Sequence[Group | GroupRow], current: bool = True) -> dict[int, Person]:
    """The (``current``) members of ``groups``, by id, as components see them."""
    found, seen = {}, {}
    for members in _members_of(groups, current):
        for row in raw(Participant.select(*PERSON_COLUMNS).where(Participant.id.in_(members))):
            found[row[0]] = person_of(row, seen)
    return found


def names(groups: Sequence[Group | GroupRow]) -> dict[int, tuple[str, str]]:
    """(name, e-mail) of everyone who was ever a member of ``groups``."""
    found = {}
    for members in _members_of(groups, current=False):
        for id_, name, email in raw(Participant.select(Participant.id, Participant.name,
                                                       Participant.email)
                                    .where(Participant.id.in_(members))):
            found[id_] = (name, email)
    return found


def cycle_people(cycle: Cycle, statuses: Sequence[str] | None = None,
                 by_name: bool = False) -> list[tuple[Person, list[str]]]:
    """Every participant of ``cycle`` (of ``statuses``) as a Person, with their sides list,
    by sign-up order or by name: one query."""
    query = Participant.select(*PERSON_COLUMNS).where(Participant.cycle == cycle)
    if statuses is not None:
        query = query.where(Participant.status.in_(list(statuses)))
    order = (Participant.name, Participant.id) if by_name else (Participant.id,)
    seen: dict = {}
    return [(person_of(row, seen), loaded(row[4], seen))
            for row in raw(query.order_by(*order))]


def contacts(groups: Sequence[Group | GroupRow],
             zone: dt.tzinfo = UTC) -> dict[int, tuple[Contact, ...]]:
    """Per group id, its contacts from the day before it started (an older mentorkit logged
    some earlier), in time order, as cadence rules see them (times in ``zone``: the
    program's, so that a rule's ``local_date`` is a lookup)."""
    started = {g.id: g.started_on or g.created_at.date() for g in groups}
    found: dict[int, list[Contact]] = defaultdict(list)
    seen: dict = {}
    present: dict[str, frozenset] = {}
    moments: dict = {}
    earliest = {g: day - dt.timedelta(days=1) for g, day in started.items()}
    for ids in scopes(groups):
        query = (Meeting.select(Meeting.group, Meeting.occurred_at, Meeting.kind,
                                Meeting.attendees, Meeting.id, Meeting.in_reply_to,
                                Meeting.needs_reply)
                 .where(Meeting.group.in_(ids)).order_by(Meeting.occurred_at, Meeting.id))
        for group, stored, kind, attendees, id_, reply_to, needs_reply in raw(query):
            known = moments.get(stored)
            if known is None:  # a time many meetings share is read once
                utc = when(stored)
                known = moments[stored] = (utc.replace(tzinfo=UTC).astimezone(zone),
                                           utc.date())
            at, day = known
            if day < earliest[group]:
                continue
            who = present.get(attendees) if isinstance(attendees, str) else None
            if who is None:
                who = frozenset(loaded(attendees, seen))
                if isinstance(attendees, str):
                    present[attendees] = who
            found[group].append(Contact(occurred_at=at, kind=kind, attendees=who, id=id_,
                                        in_reply_to=reply_to, needs_reply=bool(needs_reply)))
    return {g: tuple(found.get(g, ())) for g in started}


def open_flags(groups: Sequence[Group | GroupRow]) -> dict[int, list[str]]:
    """Per group id, the texts of its open flags, oldest first."""
    found: dict[int, list[str]] = defaultdict(list)
    for ids in scopes(groups):
        for group, text in raw(Flag.select(Flag.group, Flag.text)
                               .where(Flag.group.in_(ids) & Flag.open()).order_by(Flag.id)):
            found[group].append(text)
    return found


def cycle_flags(cycle: Cycle) -> list[tuple[str, str]]:
    """(group label, text) of every open flag of the cycle's groups (a dissolved pair's
    "free to be matched again" too), by group and age."""
    return raw(Flag.select(Group.label, Flag.text).join(Group)
               .where((Group.cycle == cycle) & Flag.open()).order_by(Group.label, Flag.id))


def attention(flags: dict[int, list[str]], group: Group | GroupRow) -> str | None:
    """The group's open flags in one line (as flags.attention says it), or None."""
    return "; ".join(flags.get(group.id, ())) or None


def relationships(groups: Sequence[Group | GroupRow]) -> dict[int, list[Relationship]]:
    """Per group id, its current relationships, in the order they were made."""
    found: dict[int, list[Relationship]] = defaultdict(list)
    for ids in scopes(groups):
        for row in (Relationship.select().where(Relationship.group.in_(ids)
                                                & Relationship.current())
                    .order_by(Relationship.id)):
            found[row.group_id].append(row)
    return found
