"""The letters that introduce a group: a welcome to each member after matches are accepted, and
a "your group changed" letter when someone leaves or joins, each a
:class:`mentorkit.services.mail.Letter` (invitations and reminders have modules of their own).

Every letter is written from the view of one audience: the members of the reader's group
(:class:`mentorkit.views.audience.Viewer`), who see each other's names, roles and e-mail
addresses and nothing of anyone's answers. "Matches will be made by October 14" means every
participant hears who their match is, how to reach them, and when to meet first.
"""

from __future__ import annotations

from mentorkit.kernel.concerns import Audience
from mentorkit.kernel.guard import component_hook
from mentorkit.kernel.program import Program
from mentorkit.services.cadence import history
from mentorkit.services.links import PAGE_LINK
from mentorkit.services.lookup import current_cycle, groups
from mentorkit.services.mail import Letter, message_id
from mentorkit.services.membership import ENDED
from mentorkit.services.membership import moment as membership_moment
from mentorkit.storage.models import Group, Membership, SentMessage
from mentorkit.views.audience import PersonView, Viewer


def _members(program: Program, group: Group) -> list[PersonView]:
    """The group's current members as the group itself may see them."""
    seen = history(group)
    viewer = Viewer(program, Audience.GROUP, members=[m.id for m in seen.members])
    return viewer.people(seen.members)


def _role_label(program: Program, key: str) -> str:
    role = program.config.role(key)
    return role.label if role else key


def _closing(program: Program) -> list[str]:
    contact = program.config.program.contact
    return [f"Questions: write to {contact}."] if contact else []


def _first_steps(program: Program, group: Group) -> list[str]:
    """The program's events from the group's start, and the first window of each cadence
    rule: when to meet first."""
    started = group.started_on or group.created_at.date()
    lines = [f"- {event.name} on {event.date:%A %d %B %Y}"
             + (f": {event.description}" if event.description else "")
             for event in program.config.cycle.events if event.date >= started]
    seen = history(group)
    for rule in program.cadence:
        with component_hook(rule, "cadence rule"):
            windows = list(rule.windows(seen))
            expectation = rule.describe()[0]
        lines.append(f"- {expectation}")
        if windows:
            first = windows[0]
            lines.append(f"  first: {first.title}, {first.start:%d %B} to {first.end:%d %B %Y}")
    return lines


def _member_lines(program: Program, members: list[PersonView], reader: int) -> list[str]:
    return [f"- {m.name}, {_role_label(program, m.role)}: {m.email}"
            for m in members if m.id != reader]


def _intro(program: Program, group: Group, members: list[PersonView], person: PersonView,
           steps: list[str], page: bool = False) -> Letter:
    """The welcome to one member of one group; a group continued from last year says so."""
    info = program.config.program
    others = [m for m in members if m.id != person.id]
    label = current_cycle(program).label
    opening = (f"Your mentoring group {group.label} continues into {label}"
               if group.continued_from_id else
               f"Welcome to {info.name}. You are matched in the mentoring group {group.label}")
    lines = [f"Dear {person.name},", "", opening + (", with:" if others else "."), ""]
    lines += _member_lines(program, members, person.id)
    if group.explanation:
        lines += ["", "Why you were matched: " + "; ".join(group.explanation) + "."]
    if group.fallback:
        lines += ["", f"About your group's shape ({group.shape}): {group.fallback}."]
    if steps:
        lines += ["", "Getting started:", *steps]
    lines += ["", "Please write to each other this week to arrange your first meeting."]
    if page:  # the member's personal link, filled in when the letter goes (services.links)
        lines += ["", f"Your own page, to see your group, log meetings, answer check-ins and "
                      f"ask for a change: {PAGE_LINK}", "It is yours alone: please do not "
                      "forward this message."]
    lines += ["", *_closing(program)]
    return Letter("intro", f"{label}/{group.label}", person.id, person.email, person.name,
                  f"{info.name}: meet your mentoring group {group.label}",
                  "\n".join(lines) + "\n")


def _changes(group: Group) -> list[tuple[Membership, str]]:
    """The group's changes of members since it started, oldest first: (membership, "left"
    or "joined")."""
    started = membership_moment(group.started_on) if group.started_on else None
    found = []
    for place in group.memberships.where(~Membership.pending).order_by(Membership.id):
        if started is not None and place.joined_at > started:
            found.append((place.joined_at, place, "joined"))
        if place.left_at is not None:
            found.append((place.left_at, place, "left"))
    return [(place, how) for _, place, how in sorted(found, key=lambda f: (f[0], f[1].id))]


def _change_letter(program: Program, group: Group, members: list[PersonView],
                   person: PersonView, place: Membership, how: str) -> Letter:
    """One "your group changed" letter: who left or joined, and the group as it is now."""
    info = program.config.program
    who = f"{place.participant.name} ({_role_label(program, place.role)})"
    day = (place.left_at if how == "left" else place.joined_at).date()
    lines = [f"Dear {person.name},", "",
             f"Your mentoring group {group.label} has changed: {who} "
             + ("has left it" if how == "left" else "has joined it") + f" (from {day}).", ""]
    now = _member_lines(program, members, person.id)
    lines += (["The group now:", *now] if now else ["You are the only member left; the "
                                                    "program will be in touch."])
    if group.explanation and now:
        lines += ["", "Why you fit: " + "; ".join(group.explanation) + "."]
    lines += ["", *_closing(program)]
    return Letter("group-change", f"{current_cycle(program).label}/{group.label}/{place.id}-{how}",
                  person.id, person.email, person.name,
                  f"{info.name}: your group {group.label} has changed", "\n".join(lines) + "\n")


def _ended_letter(program: Program, group: Group, place: Membership) -> Letter:
    """To a member whose group ended without their asking: it ended, and a new match
    follows."""
    info, person = program.config.program, place.participant
    gone = [m.participant.name for m in group.memberships
            if m.ended_why in ("withdrew", "change requested")]
    lines = [f"Dear {person.name},", "",
             f"Your mentoring group {group.label} has ended"
             + (f": {' and '.join(gone)} is no longer part of it" if gone else "")
             + f" (from {place.left_at.date()}).", "",
             f"{info.name} will propose a new match for you, and write when it is made.", "",
             *_closing(program)]
    return Letter("group-ended", f"{current_cycle(program).label}/{group.label}/{place.id}"
                  "-ended", person.id, person.email, person.name,
                  f"{info.name}: your group {group.label} has ended", "\n".join(lines) + "\n")


def introductions(program: Program, base_url: str | None = None) -> list[Letter]:
    """For every active group: one welcome per member (once per member and group: its
    Message-ID is theirs, whatever the group's members do later), and for each change of
    members one "your group changed" letter to every member who was in it before the change.
    A newcomer gets the welcome, never the news of their own arrival. With ``base_url`` (the
    participants' page), each welcome has a place for the member's personal link, which
    :func:`mentorkit.services.links.with_links` issues for the letters about to go."""
    letters = []
    for group in groups(program, ["active"]):
        members = _members(program, group)
        steps = _first_steps(program, group)
        letters += [_intro(program, group, members, person, steps, bool(base_url))
                    for person in members]
        joined = {m.participant_id: m.joined_at for m in group.memberships}
        for place, how in _changes(group):
            moment = place.left_at if how == "left" else place.joined_at
            letters += [_change_letter(program, group, members, person, place, how)
                        for person in members if person.id != place.participant_id
                        and joined.get(person.id) is not None and joined[person.id] < moment]
    for group in groups(program, ["dissolved"]):
        letters += [_ended_letter(program, group, place) for place in group.memberships
                    if place.ended_why == ENDED]
    return letters


def unsent(program: Program, letters: list[Letter]) -> tuple[list[Letter], int]:
    """The letters never sent before (by their Message-ID), and how many were: what a
    review folder shows, so a re-run never proposes a second welcome."""
    ids = {message_id(program.key, letter): letter for letter in letters}
    done = {row.message_id for row in SentMessage.select(SentMessage.message_id)
            .where(SentMessage.message_id.in_(list(ids)) & (SentMessage.status == "sent"))
            } if ids else set()
    return [letter for mid, letter in ids.items() if mid not in done], len(done)
