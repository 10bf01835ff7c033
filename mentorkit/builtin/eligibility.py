"""Core eligibility rules any program can compose: a sign-up deadline and answers required."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

import attrs

from mentorkit.kernel.concerns import EligibilityRule
from mentorkit.kernel.hookspecs import hookimpl
from mentorkit.kernel.values import Person, Problem, Reason


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


@attrs.frozen
class FieldInParams:
    field: str
    allowed: list[str]
    roles: list[str] = attrs.field(factory=list)  # only people of these roles; empty: everyone
    reason: str = ""  # what to tell the administrator; default names the field and values


class FieldIn(EligibilityRule):
    """An intake answer must be one of the allowed values (for lists: at least one)."""

    name = "field-in"
    Params = FieldInParams

    def problems(self) -> Iterable[Problem]:
        yield from self.missing_fields("field")
        known = {role.key for role in self.program.roles}
        for i, role in enumerate(self.params.roles):
            if role not in known:
                yield Problem(f"roles[{i}]", f"no role named {role!r}")

    def describe(self) -> list[str]:
        who = f"{', '.join(self.params.roles)}: " if self.params.roles else ""
        return [f"{who}{self.params.field} must be one of: {', '.join(self.params.allowed)}."]

    def check(self, person: Person) -> Iterable[Reason]:
        if self.params.roles and person.role not in self.params.roles:
            return
        value = person.value(self.params.field)
        values = value if isinstance(value, list) else [value]
        if not {str(v) for v in values if v is not None} & set(self.params.allowed):
            shown = "no answer" if value in (None, "", []) else repr(value)
            yield Reason(self.params.field, self.params.reason or
                         f"{self.params.field} is {shown}, not one of {self.params.allowed}")


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
