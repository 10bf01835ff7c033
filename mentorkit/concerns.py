"""What a component of each concern must provide, and the plain values passed to it.

Components see participants and groups as the small frozen classes below, never as database
rows, so a plugin works the same on SQLite and PostgreSQL and cannot write behind the core's
back. Every component class has a ``name`` (what a program's TOML refers to), an attrs
``Params`` class (its TOML keys, structured and checked by the loader) and a ``describe``
method whose lines ``mentorkit programs show`` prints, so every rule an administrator relies on
is visible.
"""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any, ClassVar

import attrs

if TYPE_CHECKING:
    from mentorkit.config.models import ProgramConfig


class Concern(enum.StrEnum):
    ELIGIBILITY = "eligibility"
    MATCHING = "matching"
    CADENCE = "cadence"
    CONFIDENTIALITY = "confidentiality"


class Audience(enum.StrEnum):
    """Who reads an output, from the most trusted to the least."""

    ADMINISTRATOR = "administrator"
    GROUP = "group"
    PARTICIPANTS = "participants"
    PUBLIC = "public"


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


class Component:
    """Common base: a component is built from its structured params and the whole program."""

    name: ClassVar[str] = ""
    concern: ClassVar[Concern]
    Params: ClassVar[type] = NoParams

    def __init__(self, params: Any, program: ProgramConfig) -> None:
        self.params = params
        self.program = program

    @classmethod
    def summary(cls) -> str:
        """One line for ``plugins list``: the first line of the class docstring."""
        return (cls.__doc__ or "").strip().splitlines()[0] if cls.__doc__ else ""

    def problems(self) -> Iterable[Problem]:
        """Cross-checks against the rest of the program (roles and fields that must exist)."""
        return ()

    def describe(self) -> list[str]:
        """Plain-language lines, one per rule, for the program summary."""
        return [self.summary()]

    def missing_fields(self, *params: str) -> Iterable[Problem]:
        """Problems for the named params whose value is not an intake field of the program."""
        for param in params:
            field = getattr(self.params, param)
            if self.program.field(field) is None:
                yield Problem(param, f"no intake field named {field!r}")


class EligibilityRule(Component):
    concern = Concern.ELIGIBILITY

    def check(self, person: Person) -> Iterable[Reason]:
        """Every reason ``person`` is not eligible; nothing when they are."""
        raise NotImplementedError


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

    def free(self) -> list[Person]:
        """The people in no active group: who a group matcher may place."""
        return [p for p in self.people if not self.occupied.get(p.id)]

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


class Matcher(Component):
    concern = Concern.MATCHING

    def match(self, pool: MatchPool) -> MatchResult:
        raise NotImplementedError

    def repair(self, groups: Sequence[CurrentGroup], freed: Sequence[Person],
               pool: MatchPool) -> RepairResult:
        """Place ``freed`` people (in no active group: after a change of match, a withdrawal
        from their group, or a late sign-up) into existing ``groups`` that can take them: a
        triad missing their role, a cohort with room, a circle under its maximum. The core
        calls it before :meth:`match`, which then forms new groups from whoever is left;
        groups not named in a placement are never touched. Default: place no one (a
        one-to-one matcher needs none: a mentor's free capacity is in ``pool.occupied``).

        :param groups: the active groups, with their current members and who left them.
        :param freed: the people in no active group, as this matcher may see them.
        :param pool: the whole pool (every person of ``groups`` is in ``pool.people``).
        """
        return RepairResult()

    def select(self, pool: MatchPool) -> SelectionResult | None:
        """For programs that select among applicants before matching (interviews, scores):
        who is selected. ``None``: this matcher does not select. A matcher that selects
        uses the people already marked ``selected`` when there are any."""
        return None


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
    """One active group as cadence rules see it: who, since when, and every contact."""

    label: str
    started_on: dt.date
    members: tuple[Person, ...] = ()
    contacts: tuple[Contact, ...] = ()


@attrs.frozen
class Window:
    """A stretch of days in which something is due (inclusive), for calendars."""

    start: dt.date
    end: dt.date
    title: str


@attrs.frozen
class CadenceFinding:
    rule: str
    standing: Standing
    message: str
    due_by: dt.date | None = None


class CadenceRule(Component):
    concern = Concern.CADENCE

    def evaluate(self, group: GroupHistory, as_of: dt.datetime) -> CadenceFinding:
        """Whether ``group`` is on track at ``as_of`` (timezone-aware), and what is due."""
        raise NotImplementedError

    def windows(self, group: GroupHistory) -> list[Window]:
        """Suggested windows in which the group should meet or write, for calendars
        (``mentorkit cadence calendar``). None by default."""
        return []

    def local_date(self, moment: dt.datetime) -> dt.date:
        """The calendar day of ``moment`` where the program runs (``cycle.timezone``)."""
        return moment.astimezone(self.program.cycle.zone).date()


class ConfidentialityPolicy(Component):
    concern = Concern.CONFIDENTIALITY

    def may_see(self, field: str, person: Person, audience: Audience) -> bool:
        """Whether ``audience`` may see ``person``'s value of intake ``field``."""
        raise NotImplementedError

    def may_list(self, person: Person, audience: Audience) -> bool:
        """Whether ``audience`` may learn that ``person`` takes part at all (in a program
        only people of one identity join, being listed tells that identity). Asked for the
        participants audience; a group's members know each other. Default: yes."""
        return True


BASES: dict[Concern, type[Component]] = {
    Concern.ELIGIBILITY: EligibilityRule,
    Concern.MATCHING: Matcher,
    Concern.CADENCE: CadenceRule,
    Concern.CONFIDENTIALITY: ConfidentialityPolicy,
}
