"""Applying a program's eligibility rules to its participants.

Each rule sees the person through a mapping that notes which answers it read, and every
reason it gives is tagged with them (:attr:`Reason.fields`): a reason that rests on a
confidential answer ("did not self-identify as LGBTQ") is then shown only to an audience that
may see that answer, whatever the rule's author wrote in it. A rule that raises stops the
command with its plugin's name and the error's type, never the message (it may quote an answer).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

import attrs

from mentorkit.kernel.concerns import EligibilityRule
from mentorkit.kernel.guard import component_hook
from mentorkit.kernel.program import Program
from mentorkit.kernel.values import Person, Reason
from mentorkit.services import batch
from mentorkit.services.lookup import (
    current_cycle,
    open_cycle,
    participants,
    people_cycle,
    to_person,
)
from mentorkit.storage import audit
from mentorkit.storage.models import Participant, database, now
from mentorkit.views.audience import Viewer

# Statuses eligibility may set; later ones (selected, matched, ...) are left alone.
UNDECIDED = ("applied", "eligible", "ineligible")


@attrs.frozen
class Verdict:
    participant: Participant | None  # None where read in bulk, to read only (a report)
    person: Person  # as the rules saw them
    reasons: tuple[Reason, ...]

    @property
    def status(self) -> str:
        return self.person.status

    @property
    def eligible(self) -> bool:
        return not self.reasons

    @property
    def late_only(self) -> bool:
        return bool(self.reasons) and all(reason.code == "late" for reason in self.reasons)


def evaluate(program: Program) -> list[Verdict]:
    """Every participant of the current cycle with every reason they are not eligible."""
    verdicts = []
    for participant in participants(program):
        person = to_person(participant)
        verdicts.append(Verdict(participant, person,
                                reasons_against(program, person, bool(participant.admitted))))
    return verdicts


def reasons_against(program: Program, person: Person, admitted: bool) -> tuple[Reason, ...]:
    """Every rule's reasons against ``person``; a late sign-up the coordinator ``admitted``
    is not one of them."""
    return tuple(reason for rule in program.eligibility for reason in check(rule, person)
                 if not (admitted and reason.code == "late"))


def judged(program: Program, people: list[Person] | None = None) -> list[Verdict]:
    """As :func:`evaluate`, read in bulk and without the rows (to read, not to record);
    ``people``: the cycle's participants, where the caller read them."""
    cycle = current_cycle(program)
    admitted = {id_ for (id_,) in Participant.select(Participant.id).where(
        (Participant.cycle == cycle) & Participant.admitted.is_null(False)).tuples()}
    if people is None:
        people = [person for person, _ in batch.cycle_people(cycle)]
    return [Verdict(None, person, reasons_against(program, person, person.id in admitted))
            for person in people]


class _ReadLog(Mapping[str, Any]):
    """A person's answers that remember which of them were read."""

    def __init__(self, answers: Mapping[str, Any]) -> None:
        self._answers = answers
        self.read: set[str] = set()

    def __getitem__(self, key: str) -> Any:
        self.read.add(key)
        return self._answers[key]

    def get(self, key: str, default: Any = None) -> Any:
        self.read.add(key)
        return self._answers.get(key, default)

    def __contains__(self, key: object) -> bool:
        if isinstance(key, str):
            self.read.add(key)
        return key in self._answers

    def __iter__(self) -> Iterator[str]:
        self.read.update(self._answers)  # iterating may read every answer
        return iter(self._answers)

    def __len__(self) -> int:
        return len(self._answers)


def check(rule: EligibilityRule, person: Person) -> list[Reason]:
    """``rule``'s reasons against ``person``, each tagged with every answer read up to it."""
    log = _ReadLog(person.answers)
    seen = attrs.evolve(person, answers=log)
    reasons = []
    with component_hook(rule, "eligibility rule"):
        for reason in rule.check(seen):
            reasons.append(attrs.evolve(reason, fields=reason.fields | frozenset(log.read)))
    return reasons


def apply(program: Program, verdicts: list[Verdict]) -> int:
    """Record the verdicts as statuses (applied -> eligible / ineligible); returns changes."""
    open_cycle(program)  # a closed cycle's records no longer change
    changes: dict[str, list[Participant]] = {"eligible": [], "ineligible": []}
    for verdict in verdicts:
        participant = verdict.participant
        status = "eligible" if verdict.eligible else "ineligible"
        if participant.status in UNDECIDED and participant.status != status:
            changes[status].append(participant)
    with database.atomic():  # in bulk: a cycle of 20,000 sign-ups is checked in a moment
        stamp = now()
        for status, found in changes.items():
            for chunk in batch.chunks([p.id for p in found]):
                Participant.update(status=status, updated_at=stamp).where(
                    Participant.id.in_(chunk)).execute()
            audit.record_many("participant.status", [
                (p.email, {"program": program.key, "old": p.status, "new": status})
                for p in found])
            for participant in found:
                participant.status = status
    return sum(len(found) for found in changes.values())


@attrs.frozen
class VerdictRow:
    """One person's verdict as a viewer may read it: reasons that rest on an answer the
    audience may not see name the confidential field, not the answer."""

    id: int
    name: str
    role: str
    eligible: bool
    late: bool  # signed up after the deadline
    late_only: bool  # ... and nothing else: listed apart, not among the not eligible
    reasons: tuple[str, ...]


def signed_up(program: Program) -> int:
    """How many signed up in the current cycle (for a progress bar)."""
    return Participant.select().where(Participant.cycle == current_cycle(program)).count()


def check_all(program: Program, viewer: Viewer, record: bool = True) -> list[VerdictRow]:
    """Every participant's verdict; with ``record``, undecided statuses are set from it."""
    people_cycle(program)  # a purged cycle's answers are erased: nothing to judge
    verdicts = evaluate(program)
    if record:
        apply(program, verdicts)
    return [VerdictRow(v.person.id, v.person.name, v.person.role, v.eligible,
                       any(r.code == "late" for r in v.reasons), v.late_only,
                       tuple(viewer.reason(r, v.person) for r in v.reasons))
            for v in verdicts]
