"""Applying a program's eligibility rules to its participants."""

from __future__ import annotations

import attrs

from mentorkit.concerns import Reason
from mentorkit.config.loader import Program
from mentorkit.enrollment import to_person
from mentorkit.lifecycle import set_status
from mentorkit.registry_db import current_cycle
from mentorkit.storage.models import Participant, database

# Statuses eligibility may set; later ones (selected, matched, ...) are left alone.
UNDECIDED = ("applied", "eligible", "ineligible")


@attrs.frozen
class Verdict:
    participant: Participant
    reasons: tuple[Reason, ...]

    @property
    def eligible(self) -> bool:
        return not self.reasons

    @property
    def late_only(self) -> bool:
        return bool(self.reasons) and all(reason.code == "late" for reason in self.reasons)


def evaluate(program: Program) -> list[Verdict]:
    """Every participant of the current cycle with every reason they are not eligible."""
    cycle = current_cycle(program)
    verdicts = []
    for participant in Participant.select().where(Participant.cycle == cycle).order_by(
            Participant.id):
        person = to_person(participant)
        reasons = tuple(reason for rule in program.eligibility for reason in rule.check(person))
        verdicts.append(Verdict(participant, reasons))
    return verdicts


def apply(program: Program, verdicts: list[Verdict]) -> int:
    """Record the verdicts as statuses (applied -> eligible / ineligible); returns changes."""
    changed = 0
    with database.atomic():
        for verdict in verdicts:
            participant = verdict.participant
            status = "eligible" if verdict.eligible else "ineligible"
            if participant.status in UNDECIDED and participant.status != status:
                set_status(program, participant, status)
                changed += 1
    return changed
