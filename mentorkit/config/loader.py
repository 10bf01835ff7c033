"""Reading a program file into a :class:`Program`: parse, structure, cross-check, build.

Every stage collects all it finds before giving up, so an administrator fixes a file in one
pass: TOML syntax (with line and column), then types and unknown keys (with key paths), then
rules that span keys (dates in order, roles that exist) and each component's own checks.
"""

from __future__ import annotations

import math
import re
import tomllib
import zoneinfo
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import attrs
import tomli_w
from cattrs.errors import BaseValidationError

from mentorkit.components import Registry, default_registry
from mentorkit.concerns import (
    CadenceRule,
    Component,
    ConfidentialityPolicy,
    EligibilityRule,
    Matcher,
)
from mentorkit.config.converter import make_converter
from mentorkit.config.errors import ConfigError, ConfigProblem, flatten
from mentorkit.config.models import (
    REQUIRED_FIELDS,
    SHOWN_TO_DEFAULT,
    SIDES_FIELD,
    ComponentChoice,
    ProgramConfig,
)

KEY_PATTERN = re.compile(r"^[a-z0-9][a-z0-9-]*$")
DEFAULT_CONFIDENTIALITY = {"component": "consent-by-audience"}


@attrs.frozen
class Program:
    """A checked program: its configuration and the components built from it."""

    config: ProgramConfig
    eligibility: tuple[EligibilityRule, ...]
    matcher: Matcher
    cadence: tuple[CadenceRule, ...]
    confidentiality: ConfidentialityPolicy
    text: str  # the TOML as given, kept so the database can rebuild the program
    source: str

    @property
    def key(self) -> str:
        return self.config.key


LARGEST = 1_000_000  # no count, weight or period of a mentoring program comes near it
# Keys that count or measure something, in any table: never negative.
COUNTS = frozenset({"capacity", "candidates", "count", "days", "within_days", "hours",
                    "select_per_year", "retention_days", "due_soon_days", "max_per_institution",
                    "passes", "target_size", "preference_length", "by", "last", "size",
                    "cohort_size", "pair_years", "grace_days"})


def parse_toml(text: str, source: str) -> dict[str, Any]:
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise ConfigError(source, [ConfigProblem("", f"TOML syntax error: {error}")]) from None
    except RecursionError:
        raise ConfigError(source, [ConfigProblem("", "nested too deeply to be a program "
                                                     "file")]) from None


def _numbers(value: Any, path: str = "", key: str = "") -> Iterator[ConfigProblem]:
    """nan, infinity, absurd magnitudes anywhere, and negative counts, with key paths: a
    typo of 1e20 or -26 must not pass as a capacity or a number to select."""
    if isinstance(value, dict):
        for name, item in value.items():
            yield from _numbers(item, f"{path}.{name}" if path else name, name)
    elif isinstance(value, list):
        for i, item in enumerate(value):
            yield from _numbers(item, f"{path}[{i}]", key)
    elif isinstance(value, bool):
        return
    elif isinstance(value, float) and not math.isfinite(value):
        yield ConfigProblem(path, f"expected a finite number, not {value}")
    elif isinstance(value, int | float) and abs(value) > LARGEST:
        yield ConfigProblem(path, f"expected a number between -{LARGEST:,} and {LARGEST:,}, "
                                  f"not {value:g}")
    elif isinstance(value, int | float) and value < 0 and key in COUNTS:
        yield ConfigProblem(path, f"expected 0 or more, not {value:g}")


def _duplicates(names: list[str]) -> set[str]:
    seen: set[str] = set()
    return {name for name in names if name in seen or seen.add(name)}


def _cross_checks(config: ProgramConfig) -> Iterator[ConfigProblem]:
    if not KEY_PATTERN.match(config.program.key):
        yield ConfigProblem(
            "program.key", "expected lowercase letters, digits and dashes, like im-residency"
        )
    cycle = config.cycle
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
    for name in sorted(_duplicates([role.key for role in config.roles])):
        yield ConfigProblem("roles", f"role {name!r} is defined more than once")
    for i, role in enumerate(config.roles):
        if not role.sides:
            yield ConfigProblem(f"roles[{i}].sides", "name at least one of mentor, mentee, peer")
    names = [field.name for field in config.intake]
    for name in sorted(_duplicates(names)):
        yield ConfigProblem("intake", f"field {name!r} is defined more than once")
    for name in REQUIRED_FIELDS:
        if name not in names:
            yield ConfigProblem("intake", f"a field named {name!r} is required")
    tracking = config.tracking
    if tracking.purposes_field and tracking.purposes_field not in names:
        yield ConfigProblem("tracking.purposes_field",
                            f"no intake field named {tracking.purposes_field!r}")
    role_names = {role.key for role in config.roles}
    for i, activity in enumerate(tracking.activities):
        for j, role in enumerate(activity.roles):
            if role not in role_names:
                yield ConfigProblem(f"tracking.activities[{i}].roles[{j}]",
                                    f"no role named {role!r}")
    for name in sorted(_duplicates([a.name for a in tracking.activities])):
        yield ConfigProblem("tracking.activities", f"activity {name!r} is listed twice")
    match_on = config.enrollment.match_on
    if match_on not in names:
        yield ConfigProblem("enrollment.match_on", f"no intake field named {match_on!r}")
    elif match_on != "email" and not config.field(match_on).required:
        yield ConfigProblem("enrollment.match_on", f"the field {match_on!r} must be required")
    role_keys = {role.key for role in config.roles}
    for i, field in enumerate(config.intake):
        if field.type in ("choice", "choices") and not field.choices:
            yield ConfigProblem(f"intake[{i}].choices", f"a {field.type} field needs choices")
        if field.name == "role":
            unknown = sorted(set(field.choices) - role_keys)
            if field.type != "choice":
                yield ConfigProblem(f"intake[{i}].type", 'the role field must be "choice"')
            if unknown:
                yield ConfigProblem(f"intake[{i}].choices", f"not a defined role: {unknown}")
        for j, audience in enumerate(field.shown_to):
            if audience not in SHOWN_TO_DEFAULT:
                yield ConfigProblem(f"intake[{i}].shown_to[{j}]",
                                    f"expected one of {', '.join(SHOWN_TO_DEFAULT)}, "
                                    f"not {audience!r}")
        if field.name == "email" and field.type != "email":
            yield ConfigProblem(f"intake[{i}].type", 'the email field must be "email"')
        if field.name == SIDES_FIELD and not set(field.choices) <= {"mentor", "mentee", "peer"}:
            yield ConfigProblem(f"intake[{i}].choices", "sides are mentor, mentee or peer")
    yield from _assessment_checks(config, role_keys)


def _assessment_checks(config: ProgramConfig, roles: set[str]) -> Iterator[ConfigProblem]:
    cycle = config.cycle
    for name in sorted(_duplicates([a.name for a in config.assessments])):
        yield ConfigProblem("assessments", f"assessment {name!r} is defined more than once")
    for i, assessment in enumerate(config.assessments):
        path = f"assessments[{i}]"
        if not KEY_PATTERN.match(assessment.name):
            yield ConfigProblem(f"{path}.name", "expected lowercase letters, digits and dashes, "
                                                "like mid-year")
        if assessment.opens and not (cycle.academic_year_start <= assessment.opens
                                     <= cycle.academic_year_end):
            yield ConfigProblem(f"{path}.opens", "must lie within the academic year")
        for j, role in enumerate(assessment.roles):
            if role not in roles:
                yield ConfigProblem(f"{path}.roles[{j}]", f"no role named {role!r}")
        if not assessment.questions:
            yield ConfigProblem(f"{path}.questions", "an assessment needs at least one question")
        for name in sorted(_duplicates([q.name for q in assessment.questions])):
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


def _build(config: ProgramConfig, registry: Registry) -> tuple[dict[str, Component], list]:
    built: dict[str, Component] = {}
    problems: list[ConfigProblem] = []
    for path, choice in config.choices():
        info = registry.get(choice.concern, choice.component)
        try:
            component = info.cls(choice.params, config)
            found = list(component.problems())
        except Exception as error:  # a plugin's bug is reported with its name, not raised
            problems.append(ConfigProblem(path, f"component {choice.component!r} ({info.plugin})"
                                                f" failed: {type(error).__name__}: {error}"))
            continue
        built[path] = component
        problems += [ConfigProblem(f"{path}.{p.path}" if p.path else path, p.message)
                     for p in found]
    return built, problems


def load_program_text(text: str, source: str, registry: Registry | None = None) -> Program:
    registry = registry or default_registry()
    data = parse_toml(text, source)
    data.setdefault("confidentiality", DEFAULT_CONFIDENTIALITY)
    numbers = list(_numbers(data))  # reported with every other problem, in one pass
    try:
        config = make_converter(registry).structure(data, ProgramConfig)
    except BaseValidationError as error:
        raise ConfigError(source, numbers + list(flatten(error))) from None
    except RecursionError:
        raise ConfigError(source, [ConfigProblem("", "nested too deeply to be a program "
                                                     "file")]) from None
    problems = numbers + list(_cross_checks(config))
    built, component_problems = _build(config, registry)
    problems += component_problems
    if problems:
        raise ConfigError(source, problems)
    return Program(
        config=config,
        eligibility=tuple(built[f"eligibility[{i}]"] for i in range(len(config.eligibility))),
        matcher=built["matching"],
        cadence=tuple(built[f"cadence[{i}]"] for i in range(len(config.cadence))),
        confidentiality=built["confidentiality"],
        text=text,
        source=source,
    )


def load_program(path: str | Path, registry: Registry | None = None) -> Program:
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise ConfigError(str(path), [ConfigProblem("", f"cannot read file: {error}")]) from None
    return load_program_text(text, str(path), registry)


def _drop_none(value: Any) -> Any:
    """TOML has no null: an unset optional key is simply left out."""
    if isinstance(value, dict):
        return {k: _drop_none(v) for k, v in value.items() if v is not None}
    if isinstance(value, list):
        return [_drop_none(v) for v in value]
    return value


def program_to_toml(config: ProgramConfig, registry: Registry | None = None) -> str:
    data = make_converter(registry or default_registry()).unstructure(config, ProgramConfig)
    return tomli_w.dumps(_drop_none(data))


__all__ = ["ComponentChoice", "ConfigError", "Program", "load_program", "program_to_toml"]
