"""Core eligibility rules any program composes in its TOML, so a program needs no code of its own.

``signup-deadline`` reports late sign-ups; the rules on one intake answer (``field-in``,
``answered-yes``, and in :mod:`mentorkit.builtin.answers` ``number-between`` and
``answered``) may apply to some roles only (``roles``), and name the field and the value in
their reasons unless the program gives its own ``reason``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

import attrs

from mentorkit.config.errors import describe_value
from mentorkit.kernel.concerns import EligibilityRule
from mentorkit.kernel.hookspecs import hookimpl
from mentorkit.kernel.values import Person, Problem, Reason

if TYPE_CHECKING:
    from mentorkit.config.models import IntakeField


@attrs.frozen
class DeadlineParams:
    grace_days: int = 0


class SignupDeadline(EligibilityRule):
    """Sign-ups after the cycle's sign-up deadline are reported as late."""

    name = "signup-deadline"
    Params = DeadlineParams

    @property
    def deadline(self) -> dt.date | None:
        deadline = self.program.cycle.signup_deadline
        return deadline and deadline + dt.timedelta(days=self.params.grace_days)

    def problems(self) -> Iterable[Problem]:
        if self.program.cycle.signup_deadline is None:
            yield Problem("", "needs cycle.signup_deadline")
        if self.params.grace_days < 0:
            yield Problem("grace_days", "must not be negative")

    def describe(self) -> list[str]:
        grace = f" (with {self.params.grace_days} days' grace)" if self.params.grace_days else ""
        return [f"Sign up by {self.program.cycle.signup_deadline}{grace}; "
                "later sign-ups are listed as late, not dropped."]

    def check(self, person: Person) -> Iterable[Reason]:
        if person.signed_up_on and self.deadline and person.signed_up_on > self.deadline:
            yield Reason("late", f"signed up on {person.signed_up_on}, after the deadline "
                                 f"{self.program.cycle.signup_deadline}")


def either(values: Sequence[Any]) -> str:
    """``a``, ``a or b``, ``one of: a, b, c``: allowed values as a sentence reads them."""
    words = [str(value) for value in values]
    if len(words) <= 2:
        return " or ".join(words)
    return "one of: " + ", ".join(words)


def shown(value: Any) -> str:
    """An answer inside a reason: quoted text, bare numbers, a list's items joined."""
    if isinstance(value, list):
        return repr("; ".join(str(item) for item in value))
    return repr(value) if isinstance(value, str) else str(value)


def typed(field: IntakeField) -> str:
    """``'pgy' is an integer field``, for problems about a field of the wrong type."""
    article = "an" if field.type[0] in "aeiou" else "a"
    return f"{field.name!r} is {article} {field.type} field"


def unanswered(value: Any) -> bool:
    """No answer: nothing, blank text or an empty list (``False`` and ``0`` are answers)."""
    return value is None or value == [] or (isinstance(value, str) and not value.strip())


class FieldRule(EligibilityRule):
    """A rule on intake answers that may apply to some roles only: ``params.roles`` (empty:
    everyone) and ``params.reason`` (the program's own words for every reason)."""

    def applies(self, person: Person) -> bool:
        return not self.params.roles or person.role in self.params.roles

    def who(self) -> str:
        """The start of a describe line: ``resident: `` when the rule is for some roles."""
        return f"{', '.join(self.params.roles)}: " if self.params.roles else ""

    def for_role(self, person: Person) -> str:
        """The end of a reason: `` (for a resident)`` when the rule is for some roles."""
        return f" (for a {person.role})" if self.params.roles else ""

    def reason(self, field: str, message: str) -> Reason:
        return Reason(field, self.params.reason or message)

    def problems(self) -> Iterable[Problem]:
        yield from self.missing_roles("roles")


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
class AnsweredYesParams:
    field: str
    reason: str = ""


class AnsweredYes(EligibilityRule):
    """A yes/no intake question must be answered yes (e.g. self-identification)."""

    name = "answered-yes"
    Params = AnsweredYesParams

    def problems(self) -> Iterable[Problem]:
        field = self.program.field(self.params.field)
        if field is None or field.type != "boolean":
            yield Problem("field", f"no boolean intake field named {self.params.field!r}")

    def describe(self) -> list[str]:
        return [f"Must answer yes to {self.params.field!r}."]

    def check(self, person: Person) -> Iterable[Reason]:
        if person.value(self.params.field) is not True:
            yield Reason(self.params.field,
                         self.params.reason or f"did not answer yes to {self.params.field}")


@hookimpl
def register_eligibility_rules(register):
    register(SignupDeadline)
    register(FieldIn)
    register(AnsweredYes)
