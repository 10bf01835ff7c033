"""The plain values components are given and return: people, reasons, groups, pools, contacts.

Components see participants and groups as these small frozen classes, never as database rows,
so a plugin works the same on SQLite and PostgreSQL and cannot write behind the core's back.
"""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

import attrs

if TYPE_CHECKING:
    from mentorkit.config.criteria import Criterion

# What a logged contact can be: meetings, messages, and a mentor's notice that they cannot meet
# (travel), which the other mentor of a peer pair receives.
MEETING_KINDS = ("in-person", "video", "phone")
MESSAGE_KINDS = ("text", "email")
CONTACT_KINDS = (*MEETING_KINDS, *MESSAGE_KINDS, "absence-notice")


@attrs.frozen
class NoParams:
    """Parameters of a component that takes none."""


@attrs.frozen
class Person:
    """A participant as components see them."""

    id: int
    name: str
    email: str
    role: str
    sides: frozenset[str]
    answers: Mapping[str, Any]
    signed_up_on: dt.date | None = None
    status: str = "applied"

    def value(self, field: str) -> Any:
        return self.answers.get(field)


@attrs.frozen
class Reason:
    """Why someone is not eligible. ``code`` lets reports group reasons (``late`` is special:
    a late sign-up is reported apart, not silently dropped). ``fields`` are the intake answers
    the reason rests on: the core fills it in with every answer the rule read, so a reason
    about a confidential answer is shown only to an audience that may see that answer."""

    code: str
    message: str
    fields: frozenset[str] = frozenset()


@attrs.frozen
class Problem:
    """A mistake in a program's configuration found by a component; ``path`` is relative to
    the component's own table (``"capacity"``), the loader prefixes the rest."""

    path: str
    message: str


@attrs.frozen
class Member:
    person_id: int
    role: str


@attrs.frozen
class ProposedGroup:
    """One group a matcher proposes, with the score and the plain reasons behind it."""

    members: tuple[Member, ...]
    score: float
    explanation: tuple[str, ...] = ()
    shape: str = ""
    fallback: str | None = None  # why this group is not of the preferred shape


@attrs.frozen
class MatchResult:
    groups: tuple[ProposedGroup, ...]
    unmatched: Mapping[int, str]  # person id -> why nobody was found
    notes: tuple[str, ...] = ()  # facts the administrator should know (not errors)


@attrs.frozen
class CurrentGroup:
    """An active group as it stands, for a matcher's repair step: its current members, and
    who left it (never placed back into it)."""

    label: str
    shape: str
    members: tuple[Member, ...]
    former: frozenset[int] = frozenset()


@attrs.frozen
class Placement:
    """A freed person joining an existing group; ``shape`` is the group's shape afterwards
    (a fallback pair that gains its missing role becomes a triad)."""

    group: str
    member: Member
    reason: str
    shape: str | None = None


@attrs.frozen
class RepairResult:
    placements: tuple[Placement, ...] = ()
    notes: tuple[str, ...] = ()


@attrs.frozen
class MatchPool:
    """Who a matcher may place: eligible participants not already in an active group.

    ``pinned`` and ``forbidden`` hold pairs of person ids an administrator decided on: a
    pinned pair must end up in one group, a forbidden pair never. Matchers honour both and
    say in their notes when a pin could not be kept. ``current`` are the active groups (with
    any joins the repair step proposed), whose members are in ``people`` too.
    """

    people: Sequence[Person]
    seed: int = 0
    pinned: frozenset[frozenset[int]] = frozenset()
    forbidden: frozenset[frozenset[int]] = frozenset()
    # how many active groups each person is already in (people in ``people`` who are matched
    # appear here): a mentor with room left can take another mentee after a change request
    occupied: Mapping[int, int] = attrs.field(factory=dict)
    current: tuple[CurrentGroup, ...] = ()
    # pairs of people who were in a group together in an earlier cycle, with when ("in
    # 2026-2027"); ``history_weight`` is what the program's ``matching.history`` makes of
    # them, added to the pair's score: negative keeps them apart where another fit places
    # as many people, positive keeps them together, 0 lets fit alone decide
    history: Mapping[frozenset[int], str] = attrs.field(factory=dict)
    history_weight: float = 0.0

    def free(self) -> list[Person]:
        """The people in no active group: who a group matcher may place."""
        return [p for p in self.people if not self.occupied.get(p.id)]

    def earlier(self, a: int, b: int) -> float:
        """What the history of ``a`` and ``b`` adds to their pair's score."""
        if not self.history_weight or frozenset((a, b)) not in self.history:
            return 0.0
        return self.history_weight

    def together(self) -> frozenset[frozenset[int]]:
        """Pairs of people who already share an active group."""
        return frozenset(frozenset((a.person_id, b.person_id)) for g in self.current
                         for a in g.members for b in g.members if a.person_id < b.person_id)


@attrs.frozen
class SelectionResult:
    """Who a selecting matcher chose from the applicants (top N by score, for example)."""

    selected: tuple[int, ...]
    not_selected: Mapping[int, str]  # person id -> why (their rank, say)
    notes: tuple[str, ...] = ()


class Standing(enum.StrEnum):
    ON_TRACK = "on track"
    DUE_SOON = "due soon"
    OVERDUE = "overdue"


@attrs.frozen
class Contact:
    """A logged meeting or contact of a group, as cadence rules see it.

    ``occurred_at`` is timezone-aware. A message that awaits an answer has ``needs_reply``;
    its answer names it in ``in_reply_to``, so reply times can be measured.
    """

    occurred_at: dt.datetime
    kind: str  # in-person, video, phone, text, email, absence-notice
    attendees: frozenset[int] = frozenset()
    id: int = 0
    in_reply_to: int | None = None
    needs_reply: bool = False


@attrs.frozen
class GroupHistory:
    """One active group as cadence rules see it: who, since when, every contact, and the
    purposes it serves as recorded so far (the program's ``tracking.purposes``)."""

    label: str
    started_on: dt.date
    members: tuple[Person, ...] = ()
    contacts: tuple[Contact, ...] = ()
    purposes: tuple[str, ...] = ()


@attrs.frozen
class Window:
    """A stretch of days in which something is due (inclusive), for calendars."""

    start: dt.date
    end: dt.date
    title: str


@attrs.frozen
class CadenceFinding:
    """A cadence rule's judgement of one group: its standing, in one line for the
    administrator, what is due next and by when (what a reminder asks for: ``next_due``,
    ``due_by``), and every earlier period that fell short (``missed``: reported, not asked
    for again, since nobody can meet last quarter now)."""

    rule: str
    standing: Standing
    message: str
    due_by: dt.date | None = None
    missed: tuple[str, ...] = ()
    next_due: str = ""




CriterionFunction = Callable[["Criterion", Person, Person], tuple[float, "str | None"]]
"""A plugin's criterion: points for putting two people together, and the reason (or None)."""
