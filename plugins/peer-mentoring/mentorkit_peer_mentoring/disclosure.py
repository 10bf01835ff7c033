"""Peer mentors' confidentiality (``peer-disclosure``): sensitive answers reach an audience only
with the participant's consent (the core's consent by audience), and peer mentors work under
the program's Disclosure and Confidentiality Statement, telling their mentees its limits: the
scenarios they must refer to faculty or administrators instead of handling them. A peer program
without the statement or the scenarios is refused when its file is checked, and `programs show`
says both, so no coordinator runs peer mentoring without them."""

from __future__ import annotations

from collections.abc import Iterable

import attrs

from mentorkit import ConsentByAudience, ConsentParams, Problem


@attrs.frozen
class DisclosureParams(ConsentParams):
    peer_role: str = "peer-mentor"  # who works under the statement and refers on


class PeerDisclosure(ConsentByAudience):
    """Consent by audience; peer mentors keep to the Disclosure and Confidentiality Statement
    and refer its scenarios on."""

    name = "peer-disclosure"
    Params = DisclosureParams

    def problems(self) -> Iterable[Problem]:
        yield from super().problems()
        yield from self.missing_roles("peer_role")
        privacy = self.program.privacy
        if not privacy.disclosure.strip():
            yield Problem("", "peer mentors work under a Disclosure and Confidentiality "
                              "Statement: set privacy.disclosure (its text or a link)")
        if not privacy.referral_scenarios:
            yield Problem("", "list the scenarios peer mentors refer to faculty or "
                              "administrators instead of handling them: add "
                              "[[privacy.referral_scenarios]]")

    def describe(self) -> list[str]:
        privacy = self.program.privacy
        scenarios = ", ".join(s.key for s in privacy.referral_scenarios)
        return [*super().describe(),
                f"Each {self.params.peer_role} keeps to the Disclosure and Confidentiality "
                f"Statement ({privacy.disclosure}) and tells their mentees its limits: they "
                f"refer {scenarios} to {privacy.refer_to} instead of handling them "
                "(`mentorkit notes refer`)."]
