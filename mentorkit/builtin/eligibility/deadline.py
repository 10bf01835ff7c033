"""``signup-deadline``: sign-ups after the cycle's deadline are reported as late, not dropped."""

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


@hookimpl
def register_eligibility_rules(register):
    register(SignupDeadline)
