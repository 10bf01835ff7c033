"""Private notes on groups and meetings, and their referral.

A note is seen by the members of its group. An administrator sees a note only once it is
*referred*: flagged under one of the program's referral scenarios (a safety concern,
harassment, academic jeopardy) for faculty or administrator follow-up. Every read of notes,
every note written and every referral is in the audit log.

Whoever runs the command line is an administrator, the operating-system account it runs as
(:mod:`mentorkit.storage.audit`); nothing in the environment makes it anyone else. To read (or
write) as a group member, one gives the member's e-mail and their *token*: a random secret
issued by ``notes tokens`` and handed to that member (:mod:`mentorkit.services.tokens`). A
note's author is then the member proven by the token, or the administrator, marked as such
(``alice (administrator)``), so no administrator can write a note as a member, nor refer a
member's note. The audit log says that a note was written on a group and whether by a member
or an administrator; not which note, nor which member. Bodies may be encrypted at rest
(:mod:`mentorkit.services.sealing`).
"""

from __future__ import annotations

import datetime as dt

import attrs

from mentorkit.kernel.errors import NotFoundError
from mentorkit.kernel.program import Program
from mentorkit.services import flags
from mentorkit.services.lookup import find_group
from mentorkit.services.sealing import NoteError, seal, unseal
from mentorkit.services.tokens import verify_member
from mentorkit.storage import audit
from mentorkit.storage.models import Group, Meeting, Membership, Note, Participant, database


def write(program: Program, label: str, body: str, author: str | None = None,
          meeting_id: int | None = None, refer: str | None = None,
          token: str | None = None) -> int:
    """A note by the administrator, or with ``author`` and their ``token``, by a member;
    returns its id."""
    if not body.strip():
        raise NoteError("a note needs a body")
    group = find_group(program, label)
    writer = (verify_member(program, group, author, token).email if author
              else audit.admin_author())
    meeting = None
    if meeting_id is not None:
        meeting = Meeting.get_or_none((Meeting.id == meeting_id) & (Meeting.group == group))
        if meeting is None:
            raise NoteError(f"no meeting {meeting_id} in group {label}")
    _check_scenario(program, refer)
    with database.atomic():
        note = Note.create(group=group, meeting=meeting, author=writer,
                           body=seal(program, body))
        audit.record("note.write", label, program=program.key,
                     by="member" if author else audit.ADMINISTRATOR, referred=bool(refer))
        if refer:
            _refer(program, note, refer, writer)
    return note.id


def _check_scenario(program: Program, scenario: str | None) -> None:
    if scenario is None:
        return
    known = [s.key for s in program.config.privacy.referral_scenarios]
    if scenario not in known:
        raise NoteError(f"no referral scenario {scenario!r} in {program.key}; scenarios: "
                        f"{', '.join(known) or 'none (add privacy.referral_scenarios)'}")


def _refer(program: Program, note: Note, scenario: str, by: str) -> None:
    note.referred = True
    note.scenario = scenario
    note.save()
    group = note.group
    flags.raise_flag(group, f"note referred to {program.config.privacy.refer_to}: {scenario}")
    audit.record("note.refer", group.label, program=program.key, note=note.id,
                 scenario=scenario, by=by)


def before_asking(program: Program, label: str | None = None, note_id: int | None = None,
                  scenario: str | None = None) -> None:
    """What can be checked before a member is asked for their token: the group, the note,
    the scenario named (a mistyped one is said at once, not after the token is typed)."""
    if label is not None:
        find_group(program, label)
    if scenario is not None:
        _check_scenario(program, scenario)
    if note_id is not None:
        note = Note.get_or_none(Note.id == note_id)
        if note is None or note.group.program.key != program.key:
            raise NotFoundError(f"no note {note_id} in {program.key}")


def refer(program: Program, note_id: int, scenario: str, member: str | None = None,
          token: str | None = None) -> str:
    """Refer a note to the administrators: by a member of its group (e-mail and token), or
    by the administrator who wrote it. An administrator cannot refer someone else's note,
    since referring is what lets an administrator read it. Returns the note's group, now
    flagged for follow-up."""
    _check_scenario(program, scenario)
    note = Note.get_or_none(Note.id == note_id)
    if note is None or note.group.program.key != program.key:
        raise NotFoundError(f"no note {note_id} in {program.key}")
    if note.group.cycle.status != "open":  # a closed year's records no longer change
        raise NoteError(f"note {note_id} belongs to {program.key}'s {note.group.cycle.status} "
                        f"cycle {note.group.cycle.label}, whose records no longer change")
    if member:
        by = verify_member(program, note.group, member, token).email
    else:
        by = audit.admin_author()
        if note.author != by and not note.referred:
            raise NoteError(f"note {note_id} is not one you wrote at the command line; only "
                            f"the members of {note.group.label} refer it (--as EMAIL, with "
                            "the member's token)")
    with database.atomic():
        _refer(program, note, scenario, by)
    return note.group.label


@attrs.frozen
class NoteView:
    id: int
    author: str
    body: str
    referred: bool
    scenario: str | None
    meeting: int | None
    written: str


def member_since(member: Participant, group: Group) -> dt.datetime:
    """When the member's current membership of the group began: the notes written since are
    theirs to read (what was confided before they came is not). A newcomer's is the moment
    their join was accepted, to the second; a founder's, the group's first day."""
    place = (Membership.select(Membership.joined_at, Membership.join)
             .where((Membership.group == group) & (Membership.participant == member)
                    & Membership.current()).order_by(Membership.joined_at).first())
    if place is None:
        raise NoteError(f"{member.email} is not a member of group {group.label}")
    accepted = (place.join or {}).get("accepted_at")
    return max(place.joined_at, dt.datetime.fromisoformat(accepted)) if accepted else (
        place.joined_at)


def read(program: Program, label: str, member: str | None = None,
         token: str | None = None) -> tuple[list[NoteView], int]:
    """The notes the reader may read: a current member (their e-mail and token) sees the
    group's notes written since they joined it; an administrator (no member) sees referred
    ones only. Returns them and how many others exist. The read is audited."""
    group = find_group(program, label)
    reader = verify_member(program, group, member, token) if member else None
    who = reader.email if reader is not None else None
    since = member_since(reader, group) if reader is not None else None
    shown, hidden = [], 0
    for note in Note.select().where(Note.group == group).order_by(Note.created_at, Note.id):
        if (who is None and not note.referred) or (since is not None
                                                   and note.created_at < since):
            hidden += 1  # an administrator's unreferred note; a member's from before they came
            continue
        shown.append(NoteView(note.id, note.author, unseal(note.body), note.referred,
                              note.scenario, note.meeting_id, f"{note.created_at:%Y-%m-%d}"))
    with database.atomic():
        audit.record("note.read", label, program=program.key,
                     viewer=who or audit.ADMINISTRATOR, notes=len(shown))
    return shown, hidden
