"""When an assessment may be acted on: from the day it opens, where the program runs. Its own
module, importing nothing of the services, so that what sends invitations and what imports
responses both ask it."""

from __future__ import annotations

import datetime as dt

from mentorkit.config.followup import Assessment
from mentorkit.kernel.errors import MentorkitError
from mentorkit.kernel.program import Program

SEND_LATER = "send its invitations from that day; without --send they are written to review now"
ANSWER_LATER = ("its responses are imported from that day: nobody can have answered it yet "
                "(a closed year's late responses: --cycle)")


class NotOpenYet(MentorkitError):
    """Something only an open assessment has (its invitations sent, its responses)."""


def opens_check(program: Program, assessment: Assessment, then: str = SEND_LATER,
                today: dt.date | None = None) -> None:
    """Refuse what may only happen once the assessment opens; ``then`` says what to do."""
    today = today or dt.datetime.now(program.config.cycle.zone).date()
    if assessment.opens and today < assessment.opens:
        raise NotOpenYet(f"{assessment.name} opens on {assessment.opens} (today is {today} "
                         f"in {program.config.cycle.timezone}): {then}")
