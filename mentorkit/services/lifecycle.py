"""A participant's year: withdraw, ask for a change of match, continue with the group.

Nothing here deletes a person's data: a withdrawal or a dissolved group is kept for the
program's records, and every change of status is written to the audit log with who and when.
A re-match after a change request only ever touches the people it freed: every other active
group stays exactly as it was (matching proposes groups for free people only).
"""

from __future__ import annotations

import datetime as dt

import attrs

from mentorkit.kernel.errors import MentorkitError
from mentorkit.kernel.program import Program
from mentorkit.services import pairs
from mentorkit.services.lookup import active_memberships, find_group, find_participant, open_cycle
from mentorkit.storage import audit
from mentorkit.storage.models import AuditEntry, Participant, database, now


class LifecycleError(MentorkitError, ValueError):
    """A lifecycle step that does not apply (withdrawing twice, continuing a closed group)."""


def set_status(program: Program, participant: Participant, status: str, **detail) -> None:
    if participant.status == status:
        return
    audit.record("participant.status", participant.email, program=program.key,
                 old=participant.status, new=status, **detail)
    participant.status = status
    participant.updated_at = now()
    participant.save()


@attrs.frozen
class Flagged:
    """A group flagged for the administrator's attention, and why."""

    group: str
    attention: str


def withdraw(program: Program, ref: str, reason: str = "") -> list[Flagged]:
    """Withdraw someone (no reason required); their groups are flagged for attention."""
    open_cycle(program)  # a closed cycle's records no longer change
    person = find_participant(program, ref)
    if person.status == "withdrawn":
        raise LifecycleError(f"{person.name} has already withdrawn")
    flagged = []
    with database.atomic():
        for membership in active_memberships(person):
            membership.left_at = now()
            membership.save()
            group = membership.group
            today = dt.datetime.now(program.config.cycle.zone).date()
            group.attention = f"{person.name} ({membership.role}) withdrew on {today}"
            left = group.current_memberships()
            if len(left) == 1:  # one person is not a group: free them to be matched again
                alone = left[0]
                alone.left_at = now()
                alone.save()
                group.status = "dissolved"
                group.attention += f"; {alone.participant.name} is free to be matched again"
                if not active_memberships(alone.participant):
                    set_status(program, alone.participant,
                               status_before_match(alone.participant), reason="partner withdrew")
            group.save()
            flagged.append(Flagged(group.label, group.attention))
        set_status(program, person, "withdrawn", reason=reason)
    return flagged


def request_change(program: Program, ref: str, reason: str = "") -> list[str]:
    """End someone's current match so they can be matched again; returns the names of who
    is freed.

    In a pair both people are freed and the pair is forbidden from forming again; in a larger
    group only the requester leaves and the group is flagged for attention.
    """
    open_cycle(program)  # a closed cycle's records no longer change
    person = find_participant(program, ref)
    memberships = active_memberships(person)
    if not memberships:
        raise LifecycleError(f"{person.name} is not in an active group")
    freed: list[Participant] = []
    with database.atomic():
        for membership in memberships:
            group = membership.group
            current = group.current_memberships()
            if len(current) <= 2:
                for member in current:
                    member.left_at = now()
                    member.save()
                    freed.append(member.participant)
                group.status = "dissolved"
                group.attention = f"change of match requested by {person.name}"
                group.save()
                if len(current) == 2:
                    other = next(m.participant for m in current if m.participant_id != person.id)
                    pairs.clear_rule(program, person.email, other.email)  # a pin ends here
                    pairs.set_rule(program, person.email, other.email, "forbid",
                                   "change of match requested")
            else:
                membership.left_at = now()
                membership.save()
                group.attention = f"{person.name} asked to change group"
                group.save()
                freed.append(person)
            audit.record("match.change", group.label, program=program.key,
                         requested_by=person.email, reason=reason)
        for participant in freed:
            if not active_memberships(participant):
                set_status(program, participant, status_before_match(participant),
                           reason="change of match")
    return [participant.name for participant in freed]


def status_before_match(participant: Participant) -> str:
    """What a freed person returns to: ``selected`` if they had been selected (a selection
    stands for the cycle), else ``eligible``."""
    entries = AuditEntry.select().where((AuditEntry.action == "participant.status")
                                        & (AuditEntry.target == participant.email)
                                        & (AuditEntry.at >= participant.created_at))
    before = [e.detail.get("old") for e in entries.order_by(AuditEntry.id)
              if e.detail.get("new") == "matched" and e.detail.get("program")
              == participant.program.key]
    return "selected" if before and before[-1] == "selected" else "eligible"


def mark_continue(program: Program, label: str, continues: bool = True) -> str:
    open_cycle(program)  # a closed cycle's records no longer change
    if not program.config.cycle.continuation:
        raise LifecycleError(f"{program.key} does not offer continuation (set "
                             "cycle.continuation = true in its program file)")
    group = find_group(program, label)
    if group.status != "active":
        raise LifecycleError(f"group {label} is {group.status}, not active")
    with database.atomic():
        group.continues = continues
        group.save()
        audit.record("group.continue" if continues else "group.stop", label, program=program.key)
    return group.label
