"""Peer mentoring pairs and cohorts (3rd + 4th-year peer mentors serving 1st/2nd-year cohorts).

What is particular to this program: which medical-school year each role must be in. Selection of
the top applicants, pair-to-faculty assignment and cohort bounds follow in the matching engine.
"""

from __future__ import annotations

from collections.abc import Iterable

import attrs

from mentorkit.kernel.concerns import EligibilityRule
from mentorkit.kernel.hookspecs import hookimpl
from mentorkit.kernel.values import Person, Problem, Reason


@attrs.frozen
class Params:
    # role key -> the years (as entered this cycle) that role must be in
    years: dict[str, list[int]]
    year_field: str = "year"


class YearForRole(EligibilityRule):
    """Each role must be in its medical-school years (peer mentors 3-4, mentees 1-2)."""

    name = "peer-mentoring.year-for-role"
    Params = Params

    def problems(self) -> Iterable[Problem]:
        roles = {role.key for role in self.program.roles}
        for role in self.params.years:
            if role not in roles:
                yield Problem(f"years.{role}", f"no role named {role!r}")
        yield from self.missing_fields("year_field")

    def describe(self) -> list[str]:
        return [f"{role}: year {' or '.join(map(str, years))}"
                for role, years in self.params.years.items()]

    def check(self, person: Person) -> Iterable[Reason]:
        years = self.params.years.get(person.role)
        year = person.value(self.params.year_field)
        if years is not None and year not in years:
            yield Reason("year", f"a {person.role} must be in year {years}, not {year!r}")


@hookimpl
def register_eligibility_rules(register):
    register(YearForRole)
