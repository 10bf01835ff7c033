"""Core eligibility rules on how an intake question was answered: a number within bounds
(``number-between``: PGY 1 to 3) and questions that must not be left blank (``answered``: a
home institution, at least one topic). Like ``field-in`` they may apply to some roles only."""

from __future__ import annotations

from collections.abc import Iterable

import attrs

from mentorkit.builtin.eligibility import FieldRule, shown, typed, unanswered
from mentorkit.kernel.hookspecs import hookimpl
from mentorkit.kernel.values import Person, Problem, Reason


def number(value: float) -> str:
    """A bound as written: ``3``, not ``3.0``; ``2.5`` stays."""
    return str(int(value)) if float(value).is_integer() else str(value)


def joined(items: list[str]) -> str:
    """``a``, ``a and b``, ``a, b and c``."""
    return items[0] if len(items) == 1 else f"{', '.join(items[:-1])} and {items[-1]}"


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


@attrs.frozen
class AnsweredParams:
    fields: list[str]
    roles: list[str] = attrs.field(factory=list)  # only people of these roles; empty: everyone
    reason: str = ""  # what to tell the administrator; default names the field


class Answered(FieldRule):
    """Intake questions that must be answered: not blank, and for a list at least one choice."""

    name = "answered"
    Params = AnsweredParams

    def problems(self) -> Iterable[Problem]:
        yield from super().problems()
        if not self.params.fields:
            yield Problem("fields", "list at least one intake field")
        for i, name in enumerate(self.params.fields):
            if self.program.field(name) is None:
                yield Problem(f"fields[{i}]", f"no intake field named {name!r}")
            elif name in self.params.fields[:i]:
                yield Problem(f"fields[{i}]", f"{name!r} is listed twice")

    def is_list(self, name: str) -> bool:
        field = self.program.field(name)
        return field is not None and field.type == "choices"

    def describe(self) -> list[str]:
        names = [f"{name} (at least one choice)" if self.is_list(name) else name
                 for name in self.params.fields]
        return [f"{self.who()}{joined(names)} must be answered."]

    def check(self, person: Person) -> Iterable[Reason]:
        if not self.applies(person):
            return
        # read one at a time: a reason is tagged with the answers read up to it, not later ones
        for name in self.params.fields:
            if unanswered(person.value(name)):
                message = f"{name}: none chosen" if self.is_list(name) else f"{name} has no answer"
                yield self.reason(name, message + self.for_role(person))


@hookimpl
def register_eligibility_rules(register):
    register(NumberBetween)
    register(Answered)
