"""Internal-medicine residency one-to-one mentoring.

What is particular to this program: residents of the internal-medicine residency are mentees
and faculty of the department are mentors. The one-to-one matcher (capacity 2), the
three-monthly meeting rule and the purposes tracked come from the core, configured in
``program_configs/im-residency.toml``.
"""

from __future__ import annotations

from collections.abc import Iterable

import attrs

from mentorkit.kernel.concerns import EligibilityRule
from mentorkit.kernel.hookspecs import hookimpl
from mentorkit.kernel.values import Person, Problem, Reason


@attrs.frozen
class Params:
    resident_role: str = "resident"
    faculty_role: str = "faculty"
    residency_field: str = "residency_program"
    residency: str = "Internal Medicine"
    pgy_field: str = "pgy"
    max_pgy: int = 3


class Eligibility(EligibilityRule):
    """Internal-medicine residents (PGY 1 to max_pgy) as mentees, faculty as mentors."""

    name = "im-residency.eligibility"
    Params = Params

    def problems(self) -> Iterable[Problem]:
        roles = {role.key for role in self.program.roles}
        for attribute in ("resident_role", "faculty_role"):
            if getattr(self.params, attribute) not in roles:
                yield Problem(attribute, f"no role {getattr(self.params, attribute)!r}")
        yield from self.missing_fields("residency_field", "pgy_field")

    def describe(self) -> list[str]:
        return [f"Mentees: {self.params.residency} residents, PGY-1 to PGY-{self.params.max_pgy}."
                " Mentors: faculty."]

    def check(self, person: Person) -> Iterable[Reason]:
        if person.role != self.params.resident_role:
            return
        residency = person.value(self.params.residency_field)
        if residency != self.params.residency:
            yield Reason("residency", f"residency {residency!r} is not {self.params.residency}")
        pgy = person.value(self.params.pgy_field)
        if not isinstance(pgy, int) or not 1 <= pgy <= self.params.max_pgy:
            yield Reason("pgy", f"PGY {pgy!r} is outside 1-{self.params.max_pgy}")


@hookimpl
def register_eligibility_rules(register):
    register(Eligibility)
