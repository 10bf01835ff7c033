"""The program file: what an administrator writes in TOML, as attrs classes.

A program is data, not code: identity, cycle dates, roles, intake fields, and per concern the
component that enforces it with that component's own parameters. The loader structures each
component's parameters into the component's own ``Params`` class, so a typo in a parameter is
caught with its key path before anything runs.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo
from typing import Any, ClassVar, Literal

import attrs

from mentorkit.config.followup import (
    Assessment,
    GoalTemplate,
    PrivacyConfig,
    Resource,
    TrackingConfig,
)

Side = Literal["mentor", "mentee", "peer"]
FieldType = Literal["text", "email", "integer", "number", "boolean", "date", "choice", "choices"]

# Intake fields every program has, because the core stores and shows them.
REQUIRED_FIELDS = ("name", "email", "role")
# Optional intake fields the core understands: which side(s) someone signs up for, and when.
SIDES_FIELD = "sides"
SIGNED_UP_FIELD = "signed_up_on"
# Who may see an intake answer unless the field says otherwise (the public never does).
SHOWN_TO_DEFAULT = ("administrator", "group", "participants")


@attrs.frozen
class ProgramInfo:
    key: str
    name: str
    description: str = ""
    institutions: list[str] = attrs.field(factory=list)
    source: str = ""
    contact: str = ""


@attrs.frozen
class Event:
    name: str
    date: dt.date
    description: str = ""


@attrs.frozen
class Term:
    name: str
    start: dt.date
    end: dt.date


@attrs.frozen
class Advance:
    """How a yearly field moves on when a cycle closes: PGY 1 -> 2, year 3 -> 4; past
    ``last`` the person has finished and is not carried into the next cycle."""

    field: str
    by: int = 1
    last: int | None = None


@attrs.frozen
class CycleConfig:
    """One program cycle, normally an academic year."""

    academic_year_start: dt.date
    academic_year_end: dt.date
    signup_deadline: dt.date | None = None
    match_by: dt.date | None = None
    terms: list[Term] = attrs.field(factory=list)
    events: list[Event] = attrs.field(factory=list)
    continuation: bool = False  # participants may opt in to continue with the same group
    timezone: str = "UTC"  # IANA name, e.g. America/New_York: where dates and deadlines fall
    advance: list[Advance] = attrs.field(factory=list)  # yearly fields moved on at year end
    # who ``cycles close`` carries into the next cycle: "everyone" who was in a group (back
    # in its pool, where eligibility decides again: a resident goes on to the next PGY), or
    # only the members of groups that opted to continue ("continuing": a one-year program,
    # where anyone else comes back only by signing up again)
    carry: Literal["everyone", "continuing"] = "everyone"

    @property
    def zone(self) -> zoneinfo.ZoneInfo:
        return zoneinfo.ZoneInfo(self.timezone)

    @property
    def label(self) -> str:
        return f"{self.academic_year_start.year}-{self.academic_year_end.year}"


@attrs.frozen
class Role:
    key: str
    label: str
    sides: list[Side]
    description: str = ""


@attrs.frozen
class IntakeField:
    name: str
    type: FieldType = "text"
    label: str = ""
    required: bool = False
    choices: list[str] = attrs.field(factory=list)
    sensitive: bool = False
    column: str = ""  # the sign-up export's header for this field; default: label, then name
    # between values of a ``choices`` field in the export; empty: the survey tool's own
    # (", " for Google Forms, "," for Qualtrics) where the export is one, else ";"
    separator: str = ""
    multiline: bool = False  # a paragraph answer: line breaks allowed (no other field has them)
    description: str = ""
    # the export's words for a value -> the program's (a survey's codes or long answers,
    # e.g. "1" -> "resident" or "Yes, I identify as LGBTQ" -> "yes"); matched ignoring case
    values: dict[str, str] = attrs.field(factory=dict)
    # the audiences that may see this answer at all (a sensitive one also needs the policy's
    # consent); e.g. ["administrator"] for application and interview scores
    shown_to: list[str] = attrs.field(factory=lambda: list(SHOWN_TO_DEFAULT))
    # shown about each member in the introductions to their group (pronouns, institution,
    # time zone), where the member shares it with the group
    introduce: bool = False

    @property
    def header(self) -> str:
        return self.column or self.label or self.name


@attrs.frozen
class ComponentChoice:
    """A concern's component and its structured parameters (TOML: ``component = "..."`` plus
    the component's own keys in the same table)."""

    # the concern it serves, as the kernel's ``Concern`` names it (the file knows no plugin)
    concern: ClassVar[str]
    # keys of the table that are the core's, not the component's parameters
    core_keys: ClassVar[tuple[str, ...]] = ()
    component: str
    params: Any = None


@attrs.frozen
class EligibilityChoice(ComponentChoice):
    concern = "eligibility"


# What earlier cycles' groups mean for matching: two people who were in a group together
# are kept apart where another fit places as many (avoid), matched on fit alone (allow), or
# kept together where they can be (prefer). A group continued with the same members is
# itself, never history.
History = Literal["avoid", "allow", "prefer"]


@attrs.frozen
class MatchingChoice(ComponentChoice):
    concern = "matching"
    core_keys = ("history",)
    history: History = "avoid"


@attrs.frozen
class CadenceChoice(ComponentChoice):
    concern = "cadence"


@attrs.frozen
class ConfidentialityChoice(ComponentChoice):
    concern = "confidentiality"


@attrs.frozen
class EnrollmentOptions:
    """How sign-up exports are imported."""

    match_on: str = "email"  # the intake field that identifies a person across re-imports
    # a rejected row is kept in <file>.rejects.csv for fixing; its sensitive cells are left
    # empty unless the program says they may be kept there
    rejects_keep_sensitive: bool = False
    # when one person's sign-up is in the export more than once (a re-submission): the
    # column giving when each was submitted; the latest wins. Empty: the survey tool's own
    # timestamp where the export has one (Qualtrics' RecordedDate, Google Forms' Timestamp...),
    # else the signed_up_on field's column, else the row further down the file
    submitted_column: str = ""


@attrs.frozen
class ProgramConfig:
    program: ProgramInfo
    cycle: CycleConfig
    roles: list[Role]
    intake: list[IntakeField]
    matching: MatchingChoice
    eligibility: list[EligibilityChoice] = attrs.field(factory=list)
    cadence: list[CadenceChoice] = attrs.field(factory=list)
    confidentiality: ConfidentialityChoice = attrs.field(
        factory=lambda: ConfidentialityChoice("consent-by-audience")
    )
    enrollment: EnrollmentOptions = attrs.field(factory=EnrollmentOptions)
    tracking: TrackingConfig = attrs.field(factory=TrackingConfig)
    privacy: PrivacyConfig = attrs.field(factory=PrivacyConfig)
    goals: GoalTemplate = attrs.field(factory=GoalTemplate)
    resources: list[Resource] = attrs.field(factory=list)
    assessments: list[Assessment] = attrs.field(factory=list)

    @property
    def key(self) -> str:
        return self.program.key

    def role(self, key: str) -> Role | None:
        return next((role for role in self.roles if role.key == key), None)

    def field(self, name: str) -> IntakeField | None:
        return next((field for field in self.intake if field.name == name), None)

    def assessment(self, name: str) -> Assessment | None:
        return next((a for a in self.assessments if a.name == name), None)

    def role_problems(self, roles: str | list[str], path: str) -> list[tuple[str, str]]:
        """(key path, message) for each of ``roles`` (one role, or a list) that the program
        does not define: the one check every table that names roles makes."""
        known = [role.key for role in self.roles]
        listed = [(path, roles)] if isinstance(roles, str) else [
            (f"{path}[{i}]", role) for i, role in enumerate(roles)]
        return [(where, f"no role named {role!r}; roles: {', '.join(known)}")
                for where, role in listed if role not in known]

    def choices(self) -> list[tuple[str, ComponentChoice]]:
        """Every component choice with its key path, in file order."""
        found: list[tuple[str, ComponentChoice]] = [
            (f"eligibility[{i}]", choice) for i, choice in enumerate(self.eligibility)
        ]
        found.append(("matching", self.matching))
        found += [(f"cadence[{i}]", choice) for i, choice in enumerate(self.cadence)]
        found.append(("confidentiality", self.confidentiality))
        return found
