"""Who gets a personal link to the participants' page: the members of the active groups, or
the people named; never one whose page would not open (a withdrawn member's link would be
dead on arrival, and a coordinator handing it over would not know)."""

from __future__ import annotations

from collections.abc import Callable

from mentorkit.kernel.errors import MentorkitError
from mentorkit.kernel.program import Program
from mentorkit.services.lookup import active_memberships, find_participant, groups, members
from mentorkit.storage.models import Participant

CLOSED_STATUSES = ("withdrawn", "ineligible", "applied")  # no page for them


class NoPage(MentorkitError):
    """A link asked for someone whose page would not open: it would be dead on arrival."""


NO_PAGE = {"withdrawn": "has withdrawn from the program", "ineligible": "is not eligible",
           "applied": "has applied but is not enrolled"}


def no_page(person: Participant) -> str | None:
    """Why a link issued to ``person`` now would open no page, or None: it would open."""
    if person.status in CLOSED_STATUSES:
        return (f"{person.name} ({person.email}) {NO_PAGE.get(person.status, person.status)}:"
                " a link would open no page")
    return None


def _holders(program: Program, refs: list[str] | None) -> list[Participant]:
    """The members of active groups (each once), or the participants ``refs`` names."""
    if refs:
        return [find_participant(program, ref) for ref in refs]
    found: dict[int, Participant] = {}
    for group in groups(program, ["active"]):
        for person in members(group):
            found.setdefault(person.id, person)
    return sorted(found.values(), key=lambda p: p.id)


def with_pages(program: Program, refs: list[str] | None, warn: Callable[[str], None],
                skip: bool) -> list[Participant]:
    """The holders whose link would open a page. One named who would get a dead link is
    refused (:class:`NoPage`); when issuing for everyone (or with ``skip``) they are
    skipped, with a warning. One named who is in no current group gets a link (their page
    says so), and a warning."""
    kept = []
    for person in _holders(program, refs):
        if (why := no_page(person)) is not None:
            if refs and not skip:
                raise NoPage(f"{why}; no link issued")
            warn(f"{why}; skipped")
            continue
        if refs and not active_memberships(person):
            warn(f"{person.name} ({person.email}) is not in a current group: their page "
                 "shows none until they are matched again")
        kept.append(person)
    return kept
