"""Rules of a program file that span keys: dates in order, roles and fields that exist, names
that are unique. Each check yields every problem it finds, with its key path, so an
administrator fixes a file in one pass."""

from __future__ import annotations

import re
import zoneinfo
from collections.abc import Iterator

from mentorkit.config.errors import ConfigProblem
from mentorkit.config.models import (
    REQUIRED_FIELDS,
    SHOWN_TO_DEFAULT,
    SIDES_FIELD,
    CycleConfig,
    ProgramConfig,
)

KEY_LENGTH = 64
KEY_PATTERN = re.compile(r"^[a-z0-9][a-z0-9-]{0,63}$")  # KEY_LENGTH at most
# the names of roles, fields, scenarios and questions: letters, digits, - and _
NAME_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$")
NAME_RULE = (f"expected at most {KEY_LENGTH} letters, digits, '-' and '_', starting with a "
             "letter or digit")
KEY_RULE = (f"expected at most {KEY_LENGTH} lowercase letters, digits and dashes, like "
            "our-residency")


def duplicates(names: list[str]) -> set[str]:
    seen: set[str] = set()
    return {name for name in names if name in seen or seen.add(name)}


def cross_checks(config: ProgramConfig) -> Iterator[ConfigProblem]:
    if not KEY_PATTERN.match(config.program.key):
        yield ConfigProblem("program.key", KEY_RULE)
    yield from _name_checks(config)
    yield from _cycle_checks(config)
    yield from _role_checks(config)
    yield from _intake_checks(config)
    yield from _tracking_checks(config)
    yield from _assessment_checks(config)


def _name_checks(config: ProgramConfig) -> Iterator[ConfigProblem]:
    """Names a command line types or a file is named by: short, and plain characters."""
    named = [(f"roles[{i}].key", role.key) for i, role in enumerate(config.roles)]
    named += [(f"intake[{i}].name", field.name) for i, field in enumerate(config.intake)]
    named += [(f"privacy.referral_scenarios[{i}].key", scenario.key)
              for i, scenario in enumerate(config.privacy.referral_scenarios)]
    named += [(f"assessments[{i}].questions[{j}].name", question.name)
              for i, assessment in enumerate(config.assessments)
              for j, question in enumerate(assessment.questions)]
    for path, name in named:
        if not NAME_PATTERN.match(name):
            yield ConfigProblem(path, NAME_RULE)


def _roles_named(config: ProgramConfig, roles: list[str], path: str) -> Iterator[ConfigProblem]:
    for where, message in config.role_problems(roles, path):
        yield ConfigProblem(where, message)


def _cycle_checks(config: ProgramConfig) -> Iterator[ConfigProblem]:
    cycle: CycleConfig = config.cycle
    try:
        cycle.zone  # noqa: B018 - validates the name
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        yield ConfigProblem("cycle.timezone", f"unknown time zone {cycle.timezone!r}; use an "
                                              "IANA name like America/New_York")
    if cycle.academic_year_end <= cycle.academic_year_start:
        yield ConfigProblem("cycle.academic_year_end", "must be after academic_year_start")
    if cycle.signup_deadline and cycle.match_by and cycle.match_by < cycle.signup_deadline:
        yield ConfigProblem("cycle.match_by", "must not be before signup_deadline")
    for i, rule in enumerate(cycle.advance):
        field = config.field(rule.field)
        if field is None or field.type != "integer":
            yield ConfigProblem(f"cycle.advance[{i}].field",
                                f"no integer intake field named {rule.field!r}")
        if not 1 <= rule.by <= 10:
            yield ConfigProblem(f"cycle.advance[{i}].by", "expected a step of 1 to 10")
    for i, term in enumerate(cycle.terms):
        if term.end <= term.start:
            yield ConfigProblem(f"cycle.terms[{i}].end", "must be after start")
        if term.start < cycle.academic_year_start or term.end > cycle.academic_year_end:
            yield ConfigProblem(f"cycle.terms[{i}]", "must lie within the academic year")


def _role_checks(config: ProgramConfig) -> Iterator[ConfigProblem]:
    for name in sorted(duplicates([role.key for role in config.roles])):
        yield ConfigProblem("roles", f"role {name!r} is defined more than once")
    for i, role in enumerate(config.roles):
        if not role.sides:
            yield ConfigProblem(f"roles[{i}].sides", "name at least one of mentor, mentee, peer")


def _intake_checks(config: ProgramConfig) -> Iterator[ConfigProblem]:
    names = [field.name for field in config.intake]
    for name in sorted(duplicates(names)):
        yield ConfigProblem("intake", f"field {name!r} is defined more than once")
    for name in REQUIRED_FIELDS:
        if name not in names:
            yield ConfigProblem("intake", f"a field named {name!r} is required")
    match_on = config.enrollment.match_on
    if match_on not in names:
        yield ConfigProblem("enrollment.match_on", f"no intake field named {match_on!r}")
    elif match_on != "email" and not config.field(match_on).required:
        yield ConfigProblem("enrollment.match_on", f"the field {match_on!r} must be required")
    for i, field in enumerate(config.intake):
        path = f"intake[{i}]"
        if field.type in ("choice", "choices") and not field.choices:
            yield ConfigProblem(f"{path}.choices", f"a {field.type} field needs choices")
        if field.name == "role":
            if field.type != "choice":
                yield ConfigProblem(f"{path}.type", 'the role field must be "choice"')
            unknown = [role for role in field.choices if config.role(role) is None]
            if unknown:
                yield ConfigProblem(f"{path}.choices", f"not a defined role: {sorted(unknown)}")
        for j, audience in enumerate(field.shown_to):
            if audience not in SHOWN_TO_DEFAULT:
                yield ConfigProblem(f"{path}.shown_to[{j}]",
                                    f"expected one of {', '.join(SHOWN_TO_DEFAULT)}, "
                                    f"not {audience!r}")
        yield from _identity_field_checks(field, path)
        if field.introduce and "group" not in field.shown_to:
            yield ConfigProblem(f"{path}.introduce", "an introduction is read by the group, and "
                                "shown_to keeps this answer from the group")
        if field.name == "email" and field.type != "email":
            yield ConfigProblem(f"{path}.type", 'the email field must be "email"')
        if field.name == SIDES_FIELD and not set(field.choices) <= {"mentor", "mentee", "peer"}:
            yield ConfigProblem(f"{path}.choices", "sides are mentor, mentee or peer")


def _identity_field_checks(field, path: str) -> Iterator[ConfigProblem]:
    """Name, e-mail and role say who someone is: administrators run the program with them and
    a group's members must know each other, so they cannot be sensitive nor hidden from those
    two audiences. All participants may be kept from them (``shown_to`` without
    "participants"): without the name, no one is listed to all participants at all."""
    if field.name not in REQUIRED_FIELDS:
        return
    if field.sensitive:
        yield ConfigProblem(f"{path}.sensitive", f"the {field.name} cannot be sensitive: "
                            "administrators and a group's members always see it; leave it out "
                            "of shown_to for all participants, and who is listed to them at "
                            "all follows each person's consent (the confidentiality component)")
    missing = [a for a in ("administrator", "group") if a not in field.shown_to]
    if missing:
        yield ConfigProblem(f"{path}.shown_to", f"the {field.name} is always shown to "
                            f"{' and '.join(missing)}: shown_to may leave out only "
                            "participants")


def _tracking_checks(config: ProgramConfig) -> Iterator[ConfigProblem]:
    tracking = config.tracking
    if tracking.purposes_field and config.field(tracking.purposes_field) is None:
        yield ConfigProblem("tracking.purposes_field",
                            f"no intake field named {tracking.purposes_field!r}")
    for i, activity in enumerate(tracking.activities):
        yield from _roles_named(config, activity.roles, f"tracking.activities[{i}].roles")
    for name in sorted(duplicates([a.name for a in tracking.activities])):
        yield ConfigProblem("tracking.activities", f"activity {name!r} is listed twice")


def _assessment_checks(config: ProgramConfig) -> Iterator[ConfigProblem]:
    cycle = config.cycle
    for name in sorted(duplicates([a.name for a in config.assessments])):
        yield ConfigProblem("assessments", f"assessment {name!r} is defined more than once")
    for i, assessment in enumerate(config.assessments):
        path = f"assessments[{i}]"
        if not KEY_PATTERN.match(assessment.name):
            yield ConfigProblem(f"{path}.name", f"expected at most {KEY_LENGTH} lowercase "
                                                "letters, digits and dashes, like mid-year")
        if assessment.opens and not (cycle.academic_year_start <= assessment.opens
                                     <= cycle.academic_year_end):
            yield ConfigProblem(f"{path}.opens", "must lie within the academic year")
        yield from _roles_named(config, assessment.roles, f"{path}.roles")
        if not assessment.questions:
            yield ConfigProblem(f"{path}.questions", "an assessment needs at least one question")
        for name in sorted(duplicates([q.name for q in assessment.questions])):
            yield ConfigProblem(f"{path}.questions", f"question {name!r} is asked twice")
        for j, question in enumerate(assessment.questions):
            where = f"{path}.questions[{j}]"
            if not 0 <= question.low < question.high <= 100:
                yield ConfigProblem(f"{where}.high", "expected a scale with 0 <= low < high "
                                                     "<= 100")
            elif question.flag_below is not None and not (
                    question.low < question.flag_below <= question.high):
                yield ConfigProblem(f"{where}.flag_below",
                                    f"expected a value above {question.low} and at most "
                                    f"{question.high}, within the scale")
