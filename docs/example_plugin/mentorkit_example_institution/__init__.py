"""An institution's own eligibility rule: only people with a staff badge may join.

Everything else (matching, cadence, confidentiality) is reused from the core's components and
mentorkit's own plugins: the rule is here because none of them compares the start of an answer.
"""

from collections.abc import Iterable

import attrs

from mentorkit import EligibilityRule, Person, Problem, Reason, hookimpl


@attrs.frozen
class BadgeParams:
    badge_field: str = "badge"
    prefix: str = "STAFF-"


class HasStaffBadge(EligibilityRule):
    """Only holders of a staff badge may join."""

    name = "example.staff-badge"
    Params = BadgeParams

    def problems(self) -> Iterable[Problem]:
        yield from self.missing_fields("badge_field")  # reported with its key path

    def describe(self) -> list[str]:
        return [f"Must hold a staff badge ({self.params.prefix}...)."]

    def check(self, person: Person) -> Iterable[Reason]:
        badge = person.value(self.params.badge_field) or ""
        if not str(badge).startswith(self.params.prefix):
            yield Reason("badge", f"badge {badge!r} is not a staff badge")


@hookimpl
def register_eligibility_rules(register):
    register(HasStaffBadge)
