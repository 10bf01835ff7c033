"""Selection among applicants, for programs whose matcher selects before matching (the top N
of each year by application and interview score): the chosen become ``selected``; a
selection stands for the cycle, and matching then uses it."""

from __future__ import annotations

import attrs

from mentorkit.kernel.concerns import Matcher
from mentorkit.kernel.guard import component_hook
from mentorkit.kernel.program import Program
from mentorkit.kernel.values import MatchPool, SelectionResult
from mentorkit.services.lifecycle import set_status
from mentorkit.services.lookup import open_cycle, to_person
from mentorkit.services.pool import occupancy, pool_for
from mentorkit.storage.models import database


@attrs.frozen
class Selection:
    result: SelectionResult
    names: dict[int, tuple[str, str]]  # person id -> (name, role), for the administrator


def selects(program: Program) -> bool:
    """Whether the program's matcher selects among applicants before matching."""
    return type(program.matcher).select is not Matcher.select


def select(program: Program, dry_run: bool = False) -> Selection | None:
    """Run the matcher's selection; mark the selected (others stay eligible). None if the
    matcher does not select."""
    if not dry_run:
        open_cycle(program)  # a closed cycle's records no longer change
    participants = pool_for(program)
    pool = MatchPool(people=[to_person(p) for p in participants], occupied=occupancy(program))
    with component_hook(program.matcher, "matcher"):
        result = program.matcher.select(pool)
    if result is None:
        return None
    if not dry_run:
        with database.atomic():
            for participant in participants:
                if participant.status not in ("eligible", "selected"):
                    continue  # someone already in a group stays matched
                status = ("selected" if participant.id in result.selected else
                          "eligible" if participant.status == "selected" else None)
                if status:
                    set_status(program, participant, status, reason="selection")
    return Selection(result, {p.id: (p.name, p.role) for p in participants})


