"""LGBTQ mentoring triads (Penn Medicine Program for LGBTQ Health).

What is particular to this program: who may join. Students, trainees and faculty of the listed
institutions who identify as LGBTQ. Matching (triads with fallback), cadence (two in-person
meetings per semester) and consent come from the core, configured in
``program_configs/lgbtq-triads.toml``.
"""

from __future__ import annotations

from collections.abc import Iterable

import attrs

from mentorkit.kernel.concerns import EligibilityRule
from mentorkit.kernel.hookspecs import hookimpl
from mentorkit.kernel.values import Person, Problem, Reason


@attrs.frozen
class Params:
    institutions: list[str]
    affiliation_field: str = "affiliation"
    identity_field: str = "identifies_lgbtq"


class Eligibility(EligibilityRule):
    """Members of the listed institutions who identify as LGBTQ."""

    name = "lgbtq-triads.eligibility"
    Params = Params

    def problems(self) -> Iterable[Problem]:
        yield from self.missing_fields("affiliation_field", "identity_field")
        if not self.params.institutions:
            yield Problem("institutions", "list at least one institution")

    def describe(self) -> list[str]:
        return [f"Open to students, trainees and faculty of {', '.join(self.params.institutions)}"
                " who identify as LGBTQ."]

    def check(self, person: Person) -> Iterable[Reason]:
        affiliation = person.value(self.params.affiliation_field)
        if affiliation not in self.params.institutions:
            yield Reason("affiliation", f"affiliation {affiliation!r} is not a listed institution")
        if person.value(self.params.identity_field) is not True:
            yield Reason("identity", "did not self-identify as LGBTQ")


@hookimpl
def register_eligibility_rules(register):
    register(Eligibility)
