"""Every place a person's data can be, and how a purge erases it there: one list.

A purge of a closed cycle erases the cycle's enrollments and what only they hold, in each
:data:`PLACES` entry below, and never what a later cycle uses: someone who signed up again,
or was carried into the open cycle, keeps who they are (their :class:`Person`) and this
year's answers; only the purged year's records of them go. A person with no other enrollment
is forgotten entirely: their person row, and their name and e-mail wherever a later record
or the audit log quotes them. ``tests/test_erasure.py`` plants a marker in every place and
reads the raw database files after a purge.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from typing import Any

import attrs
import peewee as pw

from mentorkit.storage.audit import about_program
from mentorkit.storage.models import (
    AssessmentResponse,
    Attendance,
    AuditEntry,
    Cycle,
    Flag,
    Group,
    Meeting,
    Membership,
    MemberToken,
    Note,
    PageSession,
    PairRule,
    Participant,
    ParticipantLink,
    Person,
    Relationship,
    SentMessage,
)
from mentorkit.views.audience import names_an_earlier_group

FORMER = "a former participant"  # what a later record says instead of a forgotten name
CHUNK = 500  # ids per statement where a list is given


@attrs.frozen
class Scope:
    """What one purge erases: the cycle, its enrollments, and who is forgotten with them."""

    cycle: Cycle
    enrollments: list[int]  # participant ids of the cycle
    groups: list[int]  # group ids of the cycle
    forgotten: list[int]  # person ids with no enrollment in another cycle
    names: dict[str, str]  # their names and e-mails -> what replaces them elsewhere
    emails: frozenset[str] = frozenset()  # every enrollment's e-mail, forgotten or not
    until: int | None = None  # the audit entry that closed the cycle: what came before it

    @property
    def people(self) -> pw.ModelSelect:
        """The cycle's enrollments, as a subquery (a purge may hold tens of thousands)."""
        return Participant.select(Participant.id).where(Participant.cycle == self.cycle)

    @property
    def in_groups(self) -> pw.ModelSelect:
        return Group.select(Group.id).where(Group.cycle == self.cycle)

    @property
    def later(self) -> pw.ModelSelect:
        """The groups of the program's other cycles (which a purge reads, never empties)."""
        return Group.select(Group.id).where((Group.program == self.cycle.program)
                                            & (Group.cycle != self.cycle))


@attrs.frozen
class Place:
    name: str  # what is erased there, for the prompt and the report
    count: Callable[[Scope], int]
    erase: Callable[[Scope], Any]


def _anonymise(scope: Scope) -> None:
    for person in Participant.select().where(Participant.id.in_(scope.people)):
        person.name, person.email = f"Participant {person.id}", f"purged-{person.id}@invalid"
        person.answers, person.signed_up_on, person.person = {}, None, None
        person.admitted = None
        person.save()


def _meetings(scope: Scope) -> None:
    Meeting.update(attendees=[], logged_by="").where(Meeting.group.in_(scope.in_groups)).execute()


def _groups(scope: Scope) -> None:
    Group.update(explanation=[], attention=None).where(Group.id.in_(scope.in_groups)).execute()
    Membership.update(join=None, ended_why=None).where(
        Membership.group.in_(scope.in_groups)).execute()
    Relationship.update(ended_why=None).where(Relationship.group.in_(scope.in_groups)).execute()


def _memberships(scope: Scope) -> None:
    """Who was in which group goes: the year's memberships and relationships (the groups,
    their meetings and the counts stay). Their rows would name, by enrollment id, who was
    grouped with whom, who left and who joined."""
    Meeting.update(relationship=None).where(Meeting.group.in_(scope.in_groups)).execute()
    Relationship.delete().where(Relationship.group.in_(scope.in_groups)).execute()
    Membership.delete().where(Membership.group.in_(scope.in_groups)).execute()


def _statuses(scope: Scope) -> None:
    """The year's statuses (and sides) are kept as counts by role, not as whose they were:
    they are dealt out again at random among the cycle's enrollments of each role, so that
    an enrollment's id (given in sign-up order, like a person's) tells no one's status."""
    rows: dict[str, list[Participant]] = {}
    for row in Participant.select(Participant.id, Participant.role, Participant.status,
                                  Participant.sides).where(Participant.id.in_(scope.people)):
        rows.setdefault(row.role, []).append(row)
    deal = random.SystemRandom()
    for same in rows.values():
        kept = [(row.status, row.sides) for row in same]
        deal.shuffle(kept)
        for row, (status, sides) in zip(same, kept, strict=True):
            if (row.status, row.sides) != (status, sides):
                Participant.update(status=status, sides=sides).where(
                    Participant.id == row.id).execute()


def _told_together(scope: Scope) -> list[tuple[int, list]]:
    """Later groups whose reasons say who was together in one of the cycle's groups ("Ana and
    Bo were together in x-004 in 2026-2027 too"), with the reasons that stay: who was grouped
    with whom goes with the year, even for people who remain."""
    found = []
    for group_id, said in Group.select(Group.id, Group.explanation).where(
            Group.id.in_(scope.later)).tuples():
        kept = [line for line in said or []
                if not names_an_earlier_group(str(line), scope.cycle.label)]
        if len(kept) != len(said or []):
            found.append((group_id, kept))
    return found


def _forget_together(scope: Scope) -> None:
    for group_id, kept in _told_together(scope):
        Group.update(explanation=kept).where(Group.id == group_id).execute()


def _carried_reasons(scope: Scope) -> int:
    return (PairRule.update(reason="").where((PairRule.carried_from == scope.cycle)
                                             & (PairRule.reason != "")).execute())


def _later_mentions(scope: Scope) -> int:
    """The forgotten people's names and e-mails where a later cycle's record quotes them (a
    flag, an explanation, why a relationship ended), replaced by "a former participant"."""
    if not scope.names:
        return 0
    changed = 0

    def forget(text: str | None) -> str | None:
        if not text:
            return text
        for known, instead in scope.names.items():
            text = text.replace(known, instead)
        return text

    for flag in Flag.select().where(Flag.group.in_(scope.later)):
        if (new := forget(flag.text)) != flag.text:
            flag.text, changed = new, changed + 1
            flag.save()
    for group in Group.select().where(Group.id.in_(scope.later)):
        new = [forget(line) for line in group.explanation]
        if new != group.explanation or forget(group.fallback) != group.fallback:
            group.explanation, group.fallback = new, forget(group.fallback)
            group.save()
            changed += 1
    for relationship in Relationship.select().where(Relationship.group.in_(scope.later)):
        if (new := forget(relationship.ended_why)) != relationship.ended_why:
            relationship.ended_why, changed = new, changed + 1
            relationship.save()
    return changed


def _links(scope: Scope) -> None:
    links = ParticipantLink.select(ParticipantLink.id).where(
        ParticipantLink.participant.in_(scope.people))
    PageSession.delete().where(PageSession.link.in_(links)).execute()
    ParticipantLink.delete().where(ParticipantLink.participant.in_(scope.people)).execute()


def _forget_people(scope: Scope) -> None:
    for start in range(0, len(scope.forgotten), CHUNK):
        Person.delete().where(Person.id.in_(scope.forgotten[start:start + CHUNK])).execute()


PLACES: tuple[Place, ...] = (
    Place("private notes", lambda s: Note.select().where(Note.group.in_(s.in_groups)).count(),
          lambda s: Note.delete().where(Note.group.in_(s.in_groups)).execute()),
    Place("flags on groups", lambda s: Flag.select().where(Flag.group.in_(s.in_groups)).count(),
          lambda s: Flag.delete().where(Flag.group.in_(s.in_groups)).execute()),
    Place("pinned and forbidden pairs", lambda s: PairRule.select().where(
        PairRule.cycle == s.cycle).count(),
        lambda s: PairRule.delete().where(PairRule.cycle == s.cycle).execute()),
    Place("reasons of forbidden pairs carried into later cycles", lambda s: PairRule.select()
          .where((PairRule.carried_from == s.cycle) & (PairRule.reason != "")).count(),
          _carried_reasons),
    Place("activity records", lambda s: Attendance.select().where(
        Attendance.participant.in_(s.people)).count(),
        lambda s: Attendance.delete().where(Attendance.participant.in_(s.people))
        .execute()),
    Place("members' tokens", lambda s: MemberToken.select().where(
        MemberToken.participant.in_(s.people)).count(),
        lambda s: MemberToken.delete().where(MemberToken.participant.in_(s.people))
        .execute()),
    Place("personal links and their page sessions", lambda s: ParticipantLink.select().where(
        ParticipantLink.participant.in_(s.people)).count(), _links),
    Place("assessment responses", lambda s: AssessmentResponse.select().where(
        AssessmentResponse.participant.in_(s.people)).count(),
        lambda s: AssessmentResponse.delete().where(
            AssessmentResponse.participant.in_(s.people)).execute()),
    Place("records of messages sent", lambda s: SentMessage.select().where(
        SentMessage.participant.in_(s.people)).count(),
        lambda s: SentMessage.delete().where(SentMessage.participant.in_(s.people))
        .execute()),
    Place("meetings' attendance lists", lambda s: Meeting.select().where(
        Meeting.group.in_(s.in_groups)).count(), _meetings),
    Place("groups' explanations, joins and endings", lambda s: len(s.groups), _groups),
    Place("who was in which group, and its relationships", lambda s: Membership.select()
          .where(Membership.group.in_(s.in_groups)).count(), _memberships),
    Place("whose status was which (the counts by role are kept)",
          lambda s: len(s.enrollments), _statuses),
    Place("later groups' reasons naming who was together in the cycle's groups",
          lambda s: len(_told_together(s)), _forget_together),
    Place("names, e-mails and answers of the cycle's participants",
          lambda s: len(s.enrollments), _anonymise),
    Place("people in no other cycle (forgotten entirely)", lambda s: len(s.forgotten),
          _forget_people),
    Place("mentions of them in later cycles' records", lambda s: 0, _later_mentions),
)


def audit_mentions(scope: Scope, key: str) -> None:
    """In the program's audit log, the forgotten people's e-mails replaced at any depth (a
    list of addresses too) and the free text typed about a purged enrollment (a reason for a
    change, a withdrawal, a forbidden pair) erased. What was recorded while the cycle ran
    names none of its people afterwards, not even those who remain (their status changes
    that year: a withdrawal, an ineligibility, which in some programs says more than it
    seems); what a later cycle recorded about those who remain is theirs to keep."""
    gone = {email: instead for email, instead in scope.names.items() if "@" in email}
    # one word for everyone while the year ran: who was forgotten and who came back must
    # not be told apart by how the log names them
    that_year = {email: f"a participant of {scope.cycle.label}" for email in scope.emails}
    ids = set(scope.enrollments)

    def forget(value: Any, names: dict[str, str] = gone) -> Any:
        if isinstance(value, str):
            return names.get(value, value)
        if isinstance(value, list):
            return [forget(item, names) for item in value]
        if isinstance(value, dict):
            return {k: forget(item, names) for k, item in value.items()}
        return value

    def mentions(value: Any, known: frozenset[str] | dict) -> bool:
        if isinstance(value, str):
            return value in known
        if isinstance(value, list):
            return any(mentions(item, known) for item in value)
        if isinstance(value, dict):
            return any(mentions(item, known) for item in value.values()) or bool(
                {value.get("first"), value.get("second"), value.get("participant")} & ids)
        return False

    for entry in AuditEntry.select():
        detail = entry.detail or {}
        ours = about_program(entry.target, detail, key)
        forgotten = ours and (mentions(entry.target, gone) or mentions(detail, gone)
                              or mentions(entry.actor, gone))  # a member on their page
        # what was typed about anyone of the purged cycle, while it ran
        typed = (ours and scope.until is not None and entry.id <= scope.until
                 and (mentions(entry.target, scope.emails) or mentions(detail, scope.emails)
                      or mentions(entry.actor, scope.emails)))
        if not (forgotten or typed):
            continue
        names = gone
        if typed:
            detail = {k: "" if k in FREE_TEXT else v for k, v in detail.items()}
            names = that_year
        entry.target, entry.detail = forget(entry.target, names), forget(detail, names)
        entry.actor = forget(entry.actor, names)
        entry.save()


FREE_TEXT = ("reason", "why")  # what an administrator typed about a person
