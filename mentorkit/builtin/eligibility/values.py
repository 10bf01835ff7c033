"""``field-in`` (an answer among allowed values: an affiliation, a stage, a year per role) and
``number-between`` (a number within bounds: PGY 1 to 3)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import attrs

from mentorkit.builtin.eligibility.base import FieldRule, either, shown, typed, unanswered
from mentorkit.config.errors import describe_value
from mentorkit.kernel.hookspecs import hookimpl
from mentorkit.kernel.values import Person, Problem, Reason


def number(value: float) -> str:
    """A bound as written: ``3``, not ``3.0``; ``2.5`` stays."""
    return str(int(value)) if float(value).is_integer() else str(value)


# what `field-in` compares, by the field's type; other types have their own rule
VALUE_TYPES = {"text": str, "email": str, "choice": str, "choices": str, "integer": int}
OTHER_RULE = {"boolean": "answered-yes", "number": "number-between"}


@attrs.frozen
class FieldInParams:
    field: str
    # strings, or whole numbers for an integer field; the type is checked against the field's
    # in problems(), which knows the field (TOML arrays may mix types, the file reader cannot)
    allowed: list[Any]
    roles: list[str] = attrs.field(factory=list)  # only people of these roles; empty: everyone
    reason: str = ""  # what to tell the administrator; default names the field and values


class FieldIn(FieldRule):
    """An intake answer must be one of the allowed values (for lists: at least one)."""

    name = "field-in"
    Params = FieldInParams

    def problems(self) -> Iterable[Problem]:
        yield from super().problems()
        field = self.program.field(self.params.field)
        if field is None:
            yield from self.missing_fields("field")
            return
        if field.type not in VALUE_TYPES:
            instead = f": use {OTHER_RULE[field.type]!r}" if field.type in OTHER_RULE else ""
            yield Problem("field", f"{typed(field)}; field-in compares text, choices and "
                                   f"whole numbers{instead}")
            return
        if not self.params.allowed:
            yield Problem("allowed", "list at least one value")
        expected = VALUE_TYPES[field.type]
        for i, value in enumerate(self.params.allowed):
            if isinstance(value, bool) or not isinstance(value, expected):
                kind = "a whole number" if expected is int else "a string"
                yield Problem(f"allowed[{i}]", f"expected {kind} ({typed(field)}), "
                                               f"got {describe_value(value)}")
            elif field.choices and value not in field.choices:
                yield Problem(f"allowed[{i}]", f"{value!r} is not a choice of {field.name!r}; "
                                               f"choices: {', '.join(field.choices)}")

    def describe(self) -> list[str]:
        field = self.program.field(self.params.field)
        verb = "must include" if field is not None and field.type == "choices" else "must be"
        return [f"{self.who()}{self.params.field} {verb} {either(self.params.allowed)}."]

    def check(self, person: Person) -> Iterable[Reason]:
        if not self.applies(person):
            return
        field, allowed = self.params.field, self.params.allowed
        value = person.value(field)
        values = value if isinstance(value, list) else [value]
        if {str(v) for v in values if v is not None} & {str(a) for a in allowed}:
            return
        if unanswered(value):
            message = f"{field} has no answer; it must be {either(allowed)}"
        elif isinstance(value, list):
            message = f"{field} {shown(value)} includes none of {either(allowed)}"
        else:
            message = f"{field} {shown(value)} is not {either(allowed)}"
        yield self.reason(field, message + self.for_role(person))


@attrs.frozen
class NumberBetweenParams:
    field: str
    min: float
    max: float  # both bounds are allowed
    roles: list[str] = attrs.field(factory=list)  # only people of these roles; empty: everyone
    reason: str = ""  # what to tell the administrator; default names the field and value


class NumberBetween(FieldRule):
    """A number answer must lie between min and max, both included (e.g. PGY 1 to 3)."""

    name = "number-between"
    Params = NumberBetweenParams

    def problems(self) -> Iterable[Problem]:
        yield from super().problems()
        low, high = self.params.min, self.params.max
        if low > high:
            yield Problem("max", f"must not be below min ({number(low)}), got {number(high)}")
        field = self.program.field(self.params.field)
        if field is None:
            yield from self.missing_fields("field")
        elif field.type not in ("integer", "number"):
            yield Problem("field", f"{typed(field)}; number-between needs an integer or "
                                   "number field")
        elif field.type == "integer":
            for key, bound in (("min", low), ("max", high)):
                if not float(bound).is_integer():
                    yield Problem(key, f"{typed(field)}: use a whole number, not {bound}")

    def span(self) -> str:
        return f"{number(self.params.min)} to {number(self.params.max)}"

    def describe(self) -> list[str]:
        return [f"{self.who()}{self.params.field} must be from {self.span()}."]

    def check(self, person: Person) -> Iterable[Reason]:
        if not self.applies(person):
            return
        field = self.params.field
        value = person.value(field)
        if unanswered(value):
            message = f"{field} has no answer; it must be from {self.span()}"
        elif isinstance(value, bool) or not isinstance(value, int | float):
            message = f"{field} {shown(value)} is not a number"
        elif self.params.min <= value <= self.params.max:
            return
        else:
            message = (f"{field} {shown(value)} is outside "
                       f"{number(self.params.min)}-{number(self.params.max)}")
        yield self.reason(field, message + self.for_role(person))


@hookimpl
def register_eligibility_rules(register):
    register(FieldIn)
    register(NumberBetween)
