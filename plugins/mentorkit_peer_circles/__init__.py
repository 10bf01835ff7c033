"""Peer mentoring circles across institutions (e.g. women in medicine).

What is particular to this program: a peer joins with a home institution, a career stage the
program serves and at least one discussion topic, so a circle can mix institutions while keeping
peers at a similar stage with shared topics.
"""

from __future__ import annotations

from collections.abc import Iterable

import attrs

from mentorkit.kernel.concerns import EligibilityRule
from mentorkit.kernel.hookspecs import hookimpl
from mentorkit.kernel.values import Person, Problem, Reason


@attrs.frozen
class Params:
    stages: list[str]
    institution_field: str = "institution"
    stage_field: str = "career_stage"
    topics_field: str = "topics"


class Eligibility(EligibilityRule):
    """Peers at a served career stage, with a home institution and at least one topic."""

    name = "peer-circles.eligibility"
    Params = Params

    def problems(self) -> Iterable[Problem]:
        yield from self.missing_fields("institution_field", "stage_field", "topics_field")

    def describe(self) -> list[str]:
        return [f"Peers at career stage {', '.join(self.params.stages)}, from any institution, "
                "with at least one discussion topic."]

    def check(self, person: Person) -> Iterable[Reason]:
        if not person.value(self.params.institution_field):
            yield Reason("institution", "no home institution given")
        stage = person.value(self.params.stage_field)
        if stage not in self.params.stages:
            yield Reason("stage", f"career stage {stage!r} is not served by this program")
        if not person.value(self.params.topics_field):
            yield Reason("topics", "chose no discussion topic")


@hookimpl
def register_eligibility_rules(register):
    register(Eligibility)
