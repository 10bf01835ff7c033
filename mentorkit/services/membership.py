"""Changing who is in a group: a member leaving, a group dissolving, and what every change
owes the group afterwards.

After any change the group is told the truth again: why it fits, and its score, are asked anew
of its matcher for the members it has now (a "same out-ness" that no longer holds is not
repeated, a score is not the departed member's), and its
relationships are brought in step (``relationships.sync``). A membership is ended, never
deleted: when, and why.
"""

from __future__ import annotations

import datetime as dt

from mentorkit.kernel.guard import component_hook
from mentorkit.kernel.program import Program
from mentorkit.kernel.values import Member
from mentorkit.services import relationships
from mentorkit.services.lookup import to_person
from mentorkit.services.pool import matchable_sensitive, matching_view
from mentorkit.storage.models import Group, Membership


def moment(day: dt.date) -> dt.datetime:
    """A day as the moment a membership starts or ends (midnight; stored without zone)."""
    return dt.datetime.combine(day, dt.time())


def leave(membership: Membership, on: dt.date, why: str) -> None:
    """End the membership on ``on``, or on the day it began if that is later (a withdrawal
    before a group's first day ends the membership as it starts)."""
    on = max(on, membership.joined_at.date())
    membership.left_at = moment(on)
    membership.ended_why = why
    membership.save()


def reassessed(program: Program, group: Group) -> tuple[list[str] | None, float | None]:
    """Why the group's current members fit and how well they score, as its matcher says now;
    None for what it says nothing of (the group keeps what it was told, or its score)."""
    fields = matchable_sensitive(program)
    members = [matching_view(program, to_person(m.participant), fields)
               for m in group.current_memberships()]
    if len(members) < 2:
        return None, None
    with component_hook(program.matcher, "matcher"):
        said = list(program.matcher.explain(members))
        score = program.matcher.score(members)
    return said or None, score


def _retold(program: Program, group: Group) -> None:
    """The group's why and score as its matcher says them now (saved by the caller)."""
    said, score = reassessed(program, group)
    if said is not None:
        group.explanation = said
    if score is not None:
        group.score = round(float(score), 4)


def retell(program: Program, participant_id: int) -> None:
    """After a member's answers or consent changed (``participants correct``, the page's
    consent form): the why and score of each active group of theirs asked anew, so that a
    reason on an answer they no longer share with the group ("same out-ness") is not
    repeated to it, nor to administrators, from then on."""
    for place in (Membership.select(Membership.group).join(Group)
                  .where((Membership.participant == participant_id) & Membership.current()
                         & (Group.status == "active"))):
        group = place.group
        _retold(program, group)
        group.save()


def refresh(program: Program, group: Group, on: dt.date, why: str) -> None:
    """After the group's members changed (``why``, on ``on``): its explanation and score
    asked anew, its relationships in step."""
    _retold(program, group)
    members = [Member(m.participant_id, m.role) for m in group.current_memberships()]
    with component_hook(program.matcher, "matcher"):
        shape = program.matcher.shape_of(members)
    if shape and shape != group.shape:  # a triad that lost its trainee is a pair now
        since = max(on, group.started_on) if group.started_on else on  # not before it began
        group.fallback = f"a {group.shape} until a member left or joined on {since}"
        group.shape = shape
    group.save()
    relationships.sync(program, group, on, why)


ENDED = "the group ended"  # why a member who did not ask for it left: they are told


def dissolve(program: Program, group: Group, on: dt.date, why: str,
             cause: int | None = None) -> list[Membership]:
    """End the group: every current member leaves it (``cause``, the participant who asked
    for it, by their request; the others because the group ended, which they are told);
    returns their memberships."""
    left = group.current_memberships()
    for membership in left:
        leave(membership, on, "change requested" if membership.participant_id == cause
              else ENDED)
    group.status = "dissolved"
    group.save()
    relationships.sync(program, group, on, why)
    return left
