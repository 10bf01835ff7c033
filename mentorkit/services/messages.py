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
The whole cycle is read at once (:mod:`mentorkit.services.batch`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import attrs

from mentorkit.kernel.concerns import Audience
from mentorkit.kernel.program import Program
from mentorkit.kernel.values import GroupHistory, Person
from mentorkit.services import batch, calendars, welcome
from mentorkit.services.letters import closing, introduced, member_lines, reasons, role_label
from mentorkit.services.links import PAGE_LINK
from mentorkit.services.lookup import current_cycle, program_record
from mentorkit.services.lookup import groups as cycle_groups
from mentorkit.services.mail import Attachment, Letter, message_id
from mentorkit.services.membership import ENDED
from mentorkit.services.membership import moment as membership_moment
from mentorkit.storage.models import Membership, Participant, SentMessage
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
    before (a newcomer gets the welcome, never the news of their own arrival); to the one
    left when a group ended without their asking, a letter saying so. ``progress`` is told
    when the letters are being written, and for how many people. With ``base_url`` (the
    participants' page), each welcome has a place for the member's personal link, which
    :func:`mentorkit.services.links.with_links` issues for the letters about to go."""
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
    told = _ledger(program, CHANGE)
    for group in read.groups:
        letters += _change_letters(program, read, group, told)
    letters += ended_letters(program)
    return Introductions(letters, welcomed)


# the member's personal link, filled in when the letter goes (services.links.with_links)
PAGE_LINES = (f"\nYour own page, to see your group, log meetings, answer check-ins and ask "
              f"for a change: {PAGE_LINK}\nIt is yours alone: please do not forward this "
              "message.\n")


def ended_letters(program: Program) -> list[Letter]:
    """To each member whose group ended without their asking (a pair whose other member
    withdrew or asked for a change): it ended, and a new match follows."""
    info, label = program.config.program, current_cycle(program).label
    letters = []
    ended = cycle_groups(program, ["dissolved"])
    places_of: dict[int, list[Membership]] = {}  # read at once, not group by group
    if ended:
        for place in (Membership.select(Membership, Participant).join(Participant)
                      .where(Membership.group.in_([g.id for g in ended]))
                      .order_by(Membership.id)):
            places_of.setdefault(place.group_id, []).append(place)
    for group in ended:
        places = places_of.get(group.id, [])
        gone = [m.participant.name for m in places
                if m.ended_why in ("withdrew", "change requested")]
        for place in (p for p in places if p.ended_why == ENDED):
            person = place.participant
            lines = [f"Dear {person.name},", "",
                     f"Your mentoring group {group.label} has ended"
                     + (f": {' and '.join(gone)} is no longer part of it" if gone else "")
                     + f" (from {place.left_at.date()}).", "",
                     f"{info.name} will propose a new match for you, and write when it is "
                     "made.", "", *closing(program)]
            letters.append(Letter("group-ended", f"{label}/{group.label}/{place.id}-ended",
                                  person.id, person.email, person.name,
                                  f"{info.name}: your group {group.label} has ended",
                                  "\n".join(lines) + "\n"))
    return letters


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
    letters = []
    for batch_of in (new, unsure):
        for person_id, groups in batch_of.items():
            person = read.people[person_id]
            chosen = [sections[g.id] for g in sorted(groups, key=lambda g: g.label)]
            events = [_event(read.label, s.label) for s in chosen]
            letters.append(Letter(
                INTRO, events[0] if len(events) == 1 else f"{read.label}/"
                + "+".join(s.label for s in chosen), person.id, person.email, person.name,
                welcome.subject(program, chosen), welcome.text(program, person, chosen, fields),
                (Attachment(CALENDAR, "text/calendar",
                            welcome.calendar(program, chosen, common)),),
                tuple(events) if len(events) > 1 else ()))
    return letters


def _changes(group, places) -> list[tuple[batch.Place, str]]:
    """The group's changes of members since it started, oldest first: (membership, "left"
    or "joined")."""
    started = membership_moment(group.started_on) if group.started_on else None
    found = []
    for place in places:
        if place.pending:
            continue
        if started is not None and place.joined_at > started:
            found.append((place.joined_at, place, "joined"))
        if place.left_at is not None:
            found.append((place.left_at, place, "left"))
    return [(place, how) for _, place, how in sorted(found, key=lambda f: (f[0], f[1].id))]


def _change_letters(program: Program, read: _Cycle, group, told: dict[str, str]) -> list[Letter]:
    """To every member who was in the group before a change of its members and is in it
    now, one letter naming all the changes they have not been told of (someone left and
    someone joined: one letter, not two). A change whose letter may or may not have arrived
    (the connection was lost) is offered again in a letter of its own, as before."""
    places = read.places[group.id]
    mine = {p.participant_id: p for p in places if not p.pending and p.left_at is None}
    news: dict[int, list] = {}  # reader -> the changes not yet told
    unsure: list[tuple[PersonView, tuple]] = []
    for change in _changes(group, places):
        place, how = change
        for person in read.views[group.id]:
            if person.id == place.participant_id or person.id not in mine or not _shared(
                    mine[person.id], place, how):
                continue
            status = told.get(message_id(program.key, Letter(
                CHANGE, _change_event(read, group, place, how), person.id, "", "", "", "")))
            if status is None:
                news.setdefault(person.id, []).append(change)
            elif status != "sent":
                unsure.append((person, change))
    views = {person.id: person for person in read.views[group.id]}
    letters = [_change_letter(program, read, group, views[reader], changes)
               for reader, changes in news.items()]
    return letters + [_change_letter(program, read, group, person, [change])
                      for person, change in unsure]


CHANGE = "group-change"


def _shared(reader: batch.Place, place: batch.Place, how: str) -> bool:
    """Whether the reader was in the group with the member ``place`` when it changed, the
    one thing that lets a letter name that member to them. Memberships start and end on a
    day, so a day is not enough: one who left is named only to those who joined before it
    left, or who were there from the start with them (a withdrawal before the group's first
    day); never to one placed into the group later (``joined_later``), the same day or not,
    who never shared it with them. One who joined is news to those there before."""
    if how == "joined":
        return reader.joined_at < place.joined_at
    if reader.joined_at < place.left_at:
        return True
    return (reader.joined_at == place.left_at == place.joined_at
            and not reader.joined_later and not place.joined_later)


def _change_event(read: _Cycle, group, place: batch.Place, how: str) -> str:
    return f"{read.label}/{group.label}/{place.id}-{how}"


def _change_letter(program: Program, read: _Cycle, group, person: PersonView,
                   changes: list[tuple[batch.Place, str]]) -> Letter:
    """One "your group changed" letter: who left or joined, and the group as it is now. A
    letter of several changes stands for the letter of each (:attr:`Letter.also`)."""
    info = program.config.program
    said = []
    for place, how in changes:
        who = f"{read.names[place.participant_id][0]} ({role_label(program, place.role)})"
        if how == "left" and place.left_at == place.joined_at:
            said.append(f"{who} has left it, before its first day ({place.left_at.date()})")
            continue
        day = (place.left_at if how == "left" else place.joined_at).date()
        said.append(f"{who} " + ("has left it" if how == "left" else "has joined it")
                    + f" (from {day})")
    lines = [f"Dear {person.name},", "",
             f"Your mentoring group {group.label} has changed: {_listed(said)}.", ""]
    others = [m for m in read.views[group.id] if m.id != person.id]
    fields = introduced(program)
    if others:
        lines.append("The group now:")
        for member in others:
            lines += member_lines(program, member, fields)
    else:
        lines.append("You are the only member left; the program will be in touch.")
    said = reasons(program, group.explanation)
    if said and others:
        lines += ["", "Why you fit: " + "; ".join(said) + "."]
    lines += ["", *closing(program)]
    events = [_change_event(read, group, place, how) for place, how in changes]
    event = events[0] if len(events) == 1 else f"{read.label}/{group.label}/" + "+".join(
        f"{place.id}-{how}" for place, how in changes)
    return Letter(CHANGE, event, person.id, person.email or "", person.name,
                  f"{info.name}: your group {group.label} has changed",
                  "\n".join(lines) + "\n", also=tuple(events) if len(events) > 1 else ())


def _listed(parts: list[str]) -> str:
    """"a", "a and b", "a, b and c"."""
    return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]


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
