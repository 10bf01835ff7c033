"""A circle's confidentiality (``circle-confidence``): what is said in a circle stays in it.
Sensitive answers reach an audience only with the participant's consent (the core's consent by
audience), and never go beyond the member's own circle, whatever the consent says: circles
span institutions, and the program's other participants are strangers from elsewhere. Whether
someone is listed at all still follows their consent. The circle's statement is shown in the
program's summary, for members to read before they join."""

from __future__ import annotations

from collections.abc import Iterable

import attrs

from mentorkit import Audience, ConsentByAudience, ConsentParams, Person, Problem


@attrs.frozen
class ConfidenceParams(ConsentParams):
    statement: str = "What is said in a circle stays in it."


class CircleConfidence(ConsentByAudience):
    """What is said in a circle stays in it: sensitive answers reach the circle at most."""

    name = "circle-confidence"
    Params = ConfidenceParams

    def problems(self) -> Iterable[Problem]:
        yield from super().problems()
        if not self.params.statement.strip():
            yield Problem("statement", "state the circle's confidentiality in words its "
                                       "members read")

    def describe(self) -> list[str]:
        return [f"{self.params.statement.strip()} A sensitive answer reaches a member's own "
                "circle at most (with their consent), never all participants.",
                *super().describe()]

    def may_see(self, field: str, person: Person, audience: Audience) -> bool:
        if audience is Audience.PARTICIPANTS:
            return False  # the core asks about sensitive answers only: they stay in the circle
        return super().may_see(field, person, audience)
