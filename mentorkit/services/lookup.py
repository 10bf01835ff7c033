"""Reading a program's cycles, people and groups: the one place the services look them up.

"The current cycle", "the people of this cycle", "a group's members" and "someone's active
groups" mean one thing everywhere because they are written once, here; a name that does not
exist raises :class:`NotFoundError` (on the command line, a usage mistake: exit 2). Components
see people as :class:`~mentorkit.kernel.values.Person` values, made here from the rows.
"""

from __future__ import annotations

import datetime as dt
import difflib
from collections.abc import Iterable

from mentorkit.config.models import SIGNED_UP_FIELD
from mentorkit.kernel.errors import MentorkitError, NotFoundError
from mentorkit.kernel.program import Program
from mentorkit.kernel.values import Person
from mentorkit.services.shipped import shipped_programs
from mentorkit.storage.models import Cycle, Group, Membership, Participant, ProgramRecord
from mentorkit.storage.prepared import Prepared
from mentorkit.views.words import possessive

# The statuses of people who take part in the current cycle (for rosters and activities).
TAKING_PART = ("eligible", "selected", "matched", "completed")


def program_record(key: str) -> ProgramRecord:
    record = ProgramRecord.get_or_none(ProgramRecord.key == key)
    if record is None:
        raise NotFoundError(unknown_program(key))
    return record


def unknown_program(key: str, stored: bool = True) -> str:
    """Why ``key`` names no program, with the nearest stored or shipped key (``stored``:
    there is a database to look in)."""
    stored = [r.key for r in ProgramRecord.select(ProgramRecord.key)
              .order_by(ProgramRecord.key)] if stored else []
    shipped = [p.stem for p in shipped_programs()]
    if key in shipped:
        return (f"{key!r} is shipped with mentorkit but not added to this database: "
                f"`mentorkit programs add {key}` adds it")
    close = difflib.get_close_matches(key, [*stored, *shipped], n=1)
    return (f"no program {key!r} in this database or shipped with mentorkit"
            + (f"; did you mean {close[0]!r}?" if close else "")
            + f" (in this database: {', '.join(stored) or 'none'}; shipped: "
            f"{', '.join(shipped)}; add one with `mentorkit programs add FILE`)")


def no_database(program: str, target: str | None) -> NotFoundError:
    """Why a command on ``program``'s people finds nothing: there is no database at
    ``target`` (a SQLite file not made yet), so no program was added to it."""
    from mentorkit.services.startup import DEFAULT_DB

    where = f"no database at {target or DEFAULT_DB}"
    if program in {p.stem for p in shipped_programs()}:
        return NotFoundError(f"{unknown_program(program, stored=False)} ({where} yet; give "
                             "--db the database you meant, if it is another)")
    return NotFoundError(f"{where}, so no program is added to it yet: `mentorkit programs add "
                         f"{program}` makes it (or give --db the database you meant)")


def current_cycle(program: Program) -> Cycle:
    return cycle_named(program.key, program.config.cycle.label)


class ClosedCycleError(MentorkitError):
    """A change to a cycle that is closed: its people and groups are kept, not changed."""


def open_cycle(program: Program) -> Cycle:
    """The current cycle, for a change to it: refused once it is closed (a program file from
    an earlier year names that year's cycle), naming the cycle that is open instead."""
    cycle = current_cycle(program)
    if cycle.status == "open":
        return cycle
    later = (Cycle.select().where((Cycle.program == cycle.program) & (Cycle.status == "open"))
             .order_by(Cycle.starts_on.desc()).first())
    now = (f"; the program's open cycle is {later.label}: name the program by its key "
           f"({program.key}), not by an earlier year's file" if later else "")
    raise ClosedCycleError(f"{possessive(program.key)} cycle {cycle.label} is {cycle.status}: "
                           "its people and groups are kept for the record and no longer "
                           f"change{now}")


class PurgedCycleError(MentorkitError):
    """A read by name of a purged cycle's people: no one in it is named any more."""


def people_cycle(program: Program) -> Cycle:
    """The current cycle, for a read that names its people (a roster, an export): refused
    once it is purged, when its people are placeholders a list would pass off as people."""
    cycle = current_cycle(program)
    if cycle.status != "purged":
        return cycle
    raise PurgedCycleError(
        f"{possessive(program.key)} cycle {cycle.label} was purged: its people's names, "
        "addresses and answers are erased, so no list of them can be made; what is kept is "
        f"counts that name no one (`mentorkit participants export {program.key} --cycle "
        f"{cycle.label} --audience public`, `mentorkit report {program.key} --cycle "
        f"{cycle.label}`)")


def cycle_named(key: str, label: str) -> Cycle:
    cycle = Cycle.get_or_none((Cycle.program == program_record(key)) & (Cycle.label == label))
    if cycle is None:
        raise NotFoundError(f"no cycle {label!r} in {key}")
    return cycle


def cycles(key: str) -> list[Cycle]:
    """Every cycle of the program, the earliest first."""
    return list(Cycle.select().where(Cycle.program == program_record(key))
                .order_by(Cycle.starts_on))


def participants(program: Program, statuses: Iterable[str] | None = None,
                 role: str | None = None, by_name: bool = False,
                 cycle: Cycle | None = None) -> list[Participant]:
    """The participants of the current cycle (or of ``cycle``), of these statuses, of this
    role, by sign-up order or by name."""
    query = Participant.select().where(Participant.cycle == (cycle or current_cycle(program)))
    if statuses is not None:
        query = query.where(Participant.status.in_(list(statuses)))
    if role is not None:
        query = query.where(Participant.role == role)
    order = (Participant.name, Participant.id) if by_name else (Participant.id,)
    return list(query.order_by(*order))


def find_participant(program: Program, ref: str) -> Participant:
    """A participant of the program's current cycle, by e-mail or id."""
    query = Participant.select().where(Participant.cycle == current_cycle(program))
    found = (query.where(Participant.id == int(ref)) if ref.isdigit()
             else query.where(Participant.email == ref.strip().lower())).first()
    if found is None:
        raise NotFoundError(f"no participant {ref!r} in {possessive(program.key)} current cycle")
    return found


def is_closed(program: Program) -> bool:
    """Whether the program's cycle (as its file names it) is no longer open."""
    return current_cycle(program).status != "open"


def running(program: Program) -> tuple[str, ...]:
    """The statuses of the groups a cycle ran with: active ones while it is open; once it is
    closed, those that completed it (read for the year-end report) too."""
    return ("active",) if current_cycle(program).status == "open" else ("active", "completed")


def groups(program: Program, statuses: Iterable[str] | None = None,
           cycle: Cycle | None = None) -> list[Group]:
    """The groups of the current cycle (or of ``cycle``), of these statuses, by label."""
    query = Group.select().where(Group.cycle == (cycle or current_cycle(program)))
    if statuses is not None:
        query = query.where(Group.status.in_(list(statuses)))
    return list(query.order_by(Group.label))


def find_group(program: Program, label: str) -> Group:
    group = Group.get_or_none((Group.cycle == current_cycle(program)) & (Group.label == label))
    if group is None:
        raise NotFoundError(f"no group {label!r} in {possessive(program.key)} current cycle (see "
                            f"`mentorkit match show {program.key}`)")
    return group


def members(group: Group) -> list[Participant]:
    """Who is in the group now (not those who left, not proposed joins), in join order."""
    return [m.participant for m in group.current_memberships()]


def active_memberships(participant: Participant) -> list[Membership]:
    """The person's places in active groups (each with its group, read in the same query:
    every request of the participants' page asks)."""
    return _ACTIVE_PLACES.rows(participant.id if isinstance(participant, Participant)
                               else participant)


_ACTIVE_PLACES = Prepared(lambda participant: Membership.select(Membership, Group).join(
    Group).where((Membership.participant == participant) & Membership.current()
                 & (Group.status == "active")), 1)


def to_person(participant: Participant) -> Person:
    """A participant as components see them: a plain value, never the row."""
    answers = dict(participant.answers)
    if SIGNED_UP_FIELD in answers and isinstance(answers[SIGNED_UP_FIELD], str):
        answers[SIGNED_UP_FIELD] = dt.date.fromisoformat(answers[SIGNED_UP_FIELD])
    return Person(id=participant.id, name=participant.name, email=participant.email,
                  role=participant.role, sides=frozenset(participant.sides), answers=answers,
                  signed_up_on=participant.signed_up_on, status=participant.status)
