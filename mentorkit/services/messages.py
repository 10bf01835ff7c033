"""The letters that introduce groups: one welcome per person covering every group they are new
to, and a "your group changed" letter to the others when someone leaves or joins, each a
:class:`mentorkit.services.mail.Letter` (invitations and reminders have modules of their own).

A person is welcomed once to each group. A welcome to one group has that group's own
Message-ID (as it always had), so it stays the same whatever the group's members do later;
a welcome to several groups (a mentor of three residents gets one letter naming all three)
stands for the welcome to each, and the ledger of sent messages records each
(:attr:`Letter.also`). A group whose welcome was sent is never in a later one; one whose
welcome may or may not have arrived (the connection was lost) is offered again in a letter
of its own, which ``--send`` names and sends only when asked.

Every letter is written from the view of the reader's group
(:class:`mentorkit.views.audience.Viewer`): the members see each other's names, roles and
e-mail addresses, and those answers the program introduces that each shares with the group.
The whole cycle is read at once (:mod:`mentorkit.services.batch`). The letters about changes
of members are :mod:`mentorkit.services.group_news`'s.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import attrs

from mentorkit.kernel.concerns import Audience
from mentorkit.kernel.program import Program
from mentorkit.kernel.values import GroupHistory, Person
from mentorkit.services import batch, calendars, group_news, welcome
from mentorkit.services.letters import introduced
from mentorkit.services.links import PAGE_LINK
from mentorkit.services.lookup import current_cycle, program_record
from mentorkit.services.mail import ALSO_KIND, Attachment, Letter, message_id
from mentorkit.storage.models import SentMessage
from mentorkit.views.audience import PersonView, Viewer

INTRO = "intro"
CALENDAR = "mentoring-calendar.ics"


@attrs.frozen
class Introductions:
    letters: list[Letter]
    welcomed: int  # welcomes (a person to a group) sent before, not offered again


@attrs.define
class _Cycle:
    """The active groups of the cycle, read once: their rows, memberships, current members
    as people and as each group sees them, and the names of everyone who was a member."""

    program: Program
    label: str
    groups: batch.Groups
    places: dict
    people: dict[int, Person]
    names: dict[int, tuple[str, str]]
    views: dict[int, list[PersonView]] = attrs.field(factory=dict)

    @classmethod
    def read(cls, program: Program) -> _Cycle:
        cycle = current_cycle(program)
        active = batch.groups(cycle, ["active"])
        places = batch.places(active, current=False)
        read = cls(program, cycle.label, active, places, batch.people(active),
                   batch.names(active))
        fields = introduced(program)
        for group in active:
            current = [read.people[p.participant_id] for p in places[group.id] if p.current]
            viewer = Viewer(program, Audience.GROUP, members=[p.id for p in current])
            read.views[group.id] = viewer.people(current, fields)
        return read


def _event(cycle: str, label: str) -> str:
    return f"{cycle}/{label}"


def _ledger(program: Program, kind: str = INTRO) -> dict[str, str]:
    """Message-ID -> status of every letter of ``kind`` in the ledger of sent messages."""
    return dict(SentMessage.select(SentMessage.message_id, SentMessage.status)
                .where((SentMessage.program == program_record(program.key))
                       & (SentMessage.kind == kind)).tuples())


def introductions(program: Program,
                  progress: Callable[[str, int], None] = lambda stage, people: None,
                  base_url: str | None = None) -> Introductions:
    """For every person in an active group, one welcome to the groups they are new to; and
    for each change of members a "your group changed" letter to every member who was in it
    before and was welcomed to it (a newcomer gets the welcome, never the news of their own
    arrival; one whose welcome was never sent gets the group as it is now); to the one left
    when a group they were welcomed to ended without their asking, a letter saying so.
    ``progress`` is told when the letters are being written, and for how many people. With
    ``base_url`` (the participants' page), each welcome has a place for the member's
    personal link, which :func:`mentorkit.services.links.with_links` issues for the letters
    about to go."""
    read = _Cycle.read(program)
    progress(f"writing letters to {len(read.people):,} people", len(read.people))
    ledger = _ledger(program)
    new: dict[int, list] = {}
    unsure: dict[int, list] = {}
    welcomed = 0
    for group in read.groups:
        for member in read.views[group.id]:
            part = message_id(program.key, Letter(INTRO, _event(read.label, group.label),
                                                  member.id, "", "", "", ""))
            status = ledger.get(part)
            if status == "sent":
                welcomed += 1
            else:
                (unsure if status else new).setdefault(member.id, []).append(group)
    letters = _welcomes(program, read, new, unsure)
    if base_url:
        letters = [attrs.evolve(letter, text=letter.text + PAGE_LINES) for letter in letters]
    told = {**ledger, **_ledger(program, group_news.CHANGE)}  # news told by a welcome too

    def was_welcomed(person_id: int, label: str) -> bool:
        """Whether the person's welcome to the group was sent: news of a change is for
        those told who was in it; one never welcomed gets the group as it is now."""
        return ledger.get(message_id(program.key, Letter(
            INTRO, _event(read.label, label), person_id, "", "", "", ""))) == "sent"

    for group in read.groups:
        letters += group_news.change_letters(program, read, group, told, was_welcomed)
    letters += group_news.ended_letters(program, was_welcomed)
    return Introductions(letters, welcomed)


# the member's personal link, filled in when the letter goes (services.links.with_links)
PAGE_LINES = (f"\nYour own page, to see your group, log meetings, answer check-ins and ask "
              f"for a change: {PAGE_LINK}\nIt is yours alone: please do not forward this "
              "message.\n")


def _welcomes(program: Program, read: _Cycle, new: dict, unsure: dict) -> list[Letter]:
    """One letter per person for their new groups, and one for those whose welcome is
    uncertain (the same letter as before, so the ledger knows it)."""
    touched = {g.id: g for groups in (*new.values(), *unsure.values()) for g in groups}
    shown = read.groups if len(touched) == len(read.groups) else list(touched.values())
    contacts = batch.contacts(shown)
    made = calendars.stamp()
    today = dt.datetime.now(program.config.cycle.zone).date()  # the letters' own day
    common = "\r\n".join(calendars.program_events(program, made))
    sections = {}
    for group in touched.values():
        current = [read.people[p.participant_id] for p in read.places[group.id] if p.current]
        seen = GroupHistory(group.label, group.started_on or group.created_at.date(),
                            tuple(current), contacts.get(group.id, ()))
        sections[group.id] = welcome.section(program, group, read.views[group.id], seen, made,
                                             today)
    fields = introduced(program)
    # a welcome tells the group as it is: it stands for the news of every change before it
    before = {g.id: tuple(f"{group_news.CHANGE}{ALSO_KIND}{event}"
                          for event in group_news.change_events(read, g))
              for g in touched.values()}
    letters = []
    for batch_of in (new, unsure):
        for person_id, groups in batch_of.items():
            person = read.people[person_id]
            chosen = [sections[g.id] for g in sorted(groups, key=lambda g: g.label)]
            events = [_event(read.label, s.label) for s in chosen]
            covered = tuple(e for g in groups for e in before[g.id])
            letters.append(Letter(
                INTRO, events[0] if len(events) == 1 else f"{read.label}/"
                + "+".join(s.label for s in chosen), person.id, person.email, person.name,
                welcome.subject(program, chosen), welcome.text(program, person, chosen, fields),
                (Attachment(CALENDAR, "text/calendar",
                            welcome.calendar(program, chosen, common)),),
                (*(events if len(events) > 1 else ()), *covered)))
    return letters


def unsent(program: Program, letters: list[Letter]) -> tuple[list[Letter], int]:
    """The letters never sent before (by their Message-ID), and how many were: what a
    review folder shows, so a re-run never proposes a letter twice."""
    ids = {message_id(program.key, letter): letter for letter in letters}
    kinds = sorted({letter.kind for letter in letters})
    sent = {mid for (mid,) in SentMessage.select(SentMessage.message_id).where(
        (SentMessage.program == program_record(program.key)) & SentMessage.kind.in_(kinds)
        & (SentMessage.status == "sent")).tuples()} if kinds else set()
    done = sent & ids.keys()
    return [letter for mid, letter in ids.items() if mid not in done], len(done)
