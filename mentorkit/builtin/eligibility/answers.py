"""``answered-yes`` (a yes/no question answered yes: self-identification) and ``answered``
(questions not left blank: a home institution, at least one topic)."""

from __future__ import annotations

from collections.abc import Iterable

import attrs

from mentorkit.builtin.eligibility.base import FieldRule, unanswered
from mentorkit.kernel.concerns import EligibilityRule
from mentorkit.kernel.hookspecs import hookimpl
from mentorkit.kernel.values import Person, Problem, Reason


def joined(items: list[str]) -> str:
    """``a``, ``a and b``, ``a, b and c``."""
    return items[0] if len(items) == 1 else f"{', '.join(items[:-1])} and {items[-1]}"


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
    register(AnsweredYes)
    register(Answered)
