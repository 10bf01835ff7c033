"""The letters about a group's members changing: "your group changed" to those who stay
(naming one who left only to those who shared the group with them), and "your group has
ended" to one left alone when the others' change or withdrawal ended it. Part of
:func:`mentorkit.services.messages.introductions`, which reads the cycle (``read``: its
groups' places, the members as their group sees them, and everyone's names)."""

from __future__ import annotations

from collections.abc import Callable

from mentorkit.kernel.program import Program
from mentorkit.services import batch
from mentorkit.services.letters import closing, introduced, member_lines, reasons, role_label
from mentorkit.services.lookup import current_cycle
from mentorkit.services.lookup import groups as cycle_groups
from mentorkit.services.mail import Letter, message_id
from mentorkit.services.membership import ENDED
from mentorkit.services.membership import moment as membership_moment
from mentorkit.storage.models import Membership, Participant
from mentorkit.views.audience import PersonView
from mentorkit.views.words import listing


def ended_letters(program: Program, welcomed: Callable[[int, str], bool]) -> list[Letter]:
    """To each member whose group ended without their asking (a pair whose other member
    withdrew or asked for a change), and who was welcomed to it: it ended, and a new match
    follows."""
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
        for place in (p for p in places if p.ended_why == ENDED
                      and welcomed(p.participant_id, group.label)):
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


def change_letters(program: Program, read, group, told: dict[str, str],
                   welcomed: Callable[[int, str], bool]) -> list[Letter]:
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
                    mine[person.id], place, how) or not welcomed(person.id, group.label):
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


def change_events(read, group) -> list[str]:
    """The events of every change of the group's members so far (the news a welcome sent
    now stands for)."""
    return [_change_event(read, group, place, how)
            for place, how in _changes(group, read.places[group.id])]


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


def _change_event(read, group, place: batch.Place, how: str) -> str:
    return f"{read.label}/{group.label}/{place.id}-{how}"


def _change_letter(program: Program, read, group, person: PersonView,
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
             f"Your mentoring group {group.label} has changed: {listing(said)}.", ""]
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
