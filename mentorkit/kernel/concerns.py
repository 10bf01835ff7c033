"""What a component of each concern must provide: the base classes plugins subclass.

Every component class has a ``name`` (what a program's TOML refers to), an attrs ``Params``
class (its TOML keys, structured and checked by the loader) and a ``describe`` method whose
lines ``mentorkit programs show`` prints, so every rule an administrator relies on is visible.
The values they are given and return are in :mod:`mentorkit.kernel.values`.
"""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any, ClassVar

from mentorkit.kernel.values import (
    CadenceFinding,
    CurrentGroup,
    GroupHistory,
    MatchPool,
    MatchResult,
    Member,
    NoParams,
    Person,
    Problem,
    Reason,
    RepairResult,
    SelectionResult,
    Window,
)

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


class Component:
    """Common base: a component is built from its structured params and the whole program."""

    name: ClassVar[str] = ""
    concern: ClassVar[Concern]
    Params: ClassVar[type] = NoParams

    def __init__(self, params: Any, program: ProgramConfig) -> None:
        """Built by the core from the program file; a component does not override it.

        :param params: an instance of the component's ``Params``, from its TOML table.
        :param program: the whole program file, for cross-checks and dates.
        """
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
        """Problems for the named params whose value is not an intake field of the program.

        :param params: names of ``Params`` attributes that hold an intake field's name.
        """
        for param in params:
            field = getattr(self.params, param)
            if self.program.field(field) is None:
                yield Problem(param, f"no intake field named {field!r}")

    def below_one(self, *params: str) -> Iterable[Problem]:
        """Problems for the named params (counts, sizes, days) that are less than 1.

        :param params: names of ``Params`` attributes that hold a whole number.
        """
        for param in params:
            value = getattr(self.params, param)
            if value < 1:
                yield Problem(param, f"must be at least 1, got {value}")

    def missing_roles(self, *params: str) -> Iterable[Problem]:
        """Problems for the named params (a role, or a list of roles) that name no role of
        the program.

        :param params: names of ``Params`` attributes that hold a role or a list of roles.
        """
        for param in params:
            for path, message in self.program.role_problems(getattr(self.params, param), param):
                yield Problem(path, message)


class EligibilityRule(Component):
    concern = Concern.ELIGIBILITY

    def check(self, person: Person) -> Iterable[Reason]:
        """Every reason ``person`` is not eligible; nothing when they are.

        :param person: the participant; the core notes which answers the rule reads and tags
            each reason with them, so a reason on a sensitive answer reaches only an audience
            that may see the answer.
        """
        raise NotImplementedError


class Matcher(Component):
    concern = Concern.MATCHING
    # the shapes its groups take ("pair", ...): the words a form's export may head the
    # column naming a group with, besides "group"
    shapes: ClassVar[tuple[str, ...]] = ()

    def match(self, pool: MatchPool) -> MatchResult:
        """Proposed groups for the people the pool leaves free, the people left unmatched
        with why, and notes for the administrator; the same for the same pool and seed.

        :param pool: who may be placed (``pool.free()``), the active groups, how many groups
            each person is in, the pinned and forbidden pairs, and the seed.
        """
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

    def relationships(self, members: Sequence[Member]) -> Sequence[tuple[int, int]]:
        """The mentoring relationships within a group of ``members``: pairs of person ids,
        the mentor first, that assessments, change requests, meetings and messages name one
        at a time. Nothing: the group as a whole is the relationship (a cohort, a circle).
        Default: nothing.

        :param members: the group's current members with their roles, in join order.
        """
        return ()

    def shape_of(self, members: Sequence[Member]) -> str | None:
        """The shape a group of ``members`` has now (a triad that lost its trainee is a
        pair): the core asks whenever the members change. None: the shape stays as it was
        formed. Default: None.

        :param members: the group's current members with their roles.
        """
        return None

    def explain(self, members: Sequence[Person]) -> Sequence[str]:
        """Why these people make a good group, in plain words: the core asks again whenever
        the members change (someone left or joined), so what a group is told stays true.
        Nothing: keep what the group was told. Default: nothing.

        :param members: the group's current members, as this matcher may see them.
        """
        return ()

    def score(self, members: Sequence[Person]) -> float | None:
        """The score of a group of ``members``, as this matcher scores a group it forms: the
        core asks again whenever the members change, so the score shown and reported is the
        group's as it is now. None: keep the score the group was formed with. Default: None.

        :param members: the group's current members, as this matcher may see them.
        """
        return None

    def conflicts(self, groups: Sequence[CurrentGroup], pool: MatchPool) -> Sequence[str]:
        """What the cycle's active groups would break under these parameters (a circle
        larger than the largest size now allowed, a mentor with more mentees than the
        capacity), in plain words: the core asks before a changed program file replaces the
        one a running cycle was matched with. Default: nothing.

        :param groups: the active groups as they stand.
        :param pool: the cycle's people (every member of ``groups`` is in ``pool.people``)
            and how many groups each is in.
        """
        return ()

    def select(self, pool: MatchPool) -> SelectionResult | None:
        """For programs that select among applicants before matching (interviews, scores):
        who is selected, and why each other applicant is not. ``None``: this matcher does
        not select. A matcher that selects uses the people already marked ``selected`` when
        there are any.

        :param pool: the eligible and selected applicants, with how many groups each is in.
        """
        return None


class CadenceRule(Component):
    concern = Concern.CADENCE

    def evaluate(self, group: GroupHistory, as_of: dt.datetime) -> CadenceFinding:
        """Whether ``group`` is on track at ``as_of``, and what is due by when.

        :param group: the active group: its members, start date and every logged contact.
        :param as_of: the moment to judge at, timezone-aware.
        """
        raise NotImplementedError

    def windows(self, group: GroupHistory) -> list[Window]:
        """Suggested windows in which the group should meet or write, for calendars
        (``mentorkit cadence calendar``) and introductions (the first one). None by default.

        :param group: the active group, as :meth:`evaluate` gets it.
        """
        return []

    def local_date(self, moment: dt.datetime) -> dt.date:
        """The calendar day of ``moment`` where the program runs (``cycle.timezone``).

        :param moment: a timezone-aware moment (a contact's ``occurred_at``, ``as_of``).
        """
        return moment.astimezone(self.program.cycle.zone).date()

    def local_days(self, group: GroupHistory, kinds: Iterable[str],
                   as_of: dt.datetime) -> list[dt.date]:
        """The program's calendar day of each of ``group``'s contacts of ``kinds`` up to
        ``as_of``, in the order logged: what most rules count, read with the zone looked up
        once (a letter or a report asks it of thousands of groups).

        :param group: the group, as :meth:`evaluate` gets it.
        :param kinds: the contact kinds that count (``in-person``, ``video``...).
        :param as_of: the moment to judge at, timezone-aware.
        """
        zone, wanted = self.program.cycle.zone, set(kinds)
        return [c.occurred_at.astimezone(zone).date() for c in group.contacts
                if c.kind in wanted and c.occurred_at <= as_of]


class ConfidentialityPolicy(Component):
    concern = Concern.CONFIDENTIALITY

    def may_see(self, field: str, person: Person, audience: Audience) -> bool:
        """Whether ``audience`` may see ``person``'s value of intake ``field``; asked only
        after the core's own rules (the public sees nothing, ``shown_to`` bounds the rest).

        :param field: the intake field's name.
        :param person: whose answer it is (their consent is among their answers).
        :param audience: administrator, group, participants or public.
        """
        raise NotImplementedError

    def may_list(self, person: Person, audience: Audience) -> bool:
        """Whether ``audience`` may learn that ``person`` takes part at all (in a program
        only people of one identity join, being listed tells that identity). Asked for the
        participants audience; a group's members know each other. Default: yes.

        :param person: the participant.
        :param audience: who would read the list.
        """
        return True

    def person_fields(self) -> Sequence[str]:
        """Intake fields whose answer is the person's own rather than one cycle's: whom they
        let see their sensitive answers. The core keeps one such answer per person across
        cycles and applies a change of it to every record of theirs at once, closed years
        included (a withdrawn consent holds everywhere). Default: none.
        """
        return ()


BASES: dict[Concern, type[Component]] = {
    Concern.ELIGIBILITY: EligibilityRule,
    Concern.MATCHING: Matcher,
    Concern.CADENCE: CadenceRule,
    Concern.CONFIDENTIALITY: ConfidentialityPolicy,
}
