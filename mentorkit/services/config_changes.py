"""What a changed program file would break in the cycle it is meant to run: checked before it
replaces the file that cycle's people signed up and were matched under.

A role renamed leaves people with a role the program no longer has; a choice removed leaves
answers no rule can read; a smaller circle or capacity leaves groups the matcher would never
form. The coordinator sees every one of them, and stores the file anyway only on purpose
(``programs add --force``).
"""

from __future__ import annotations

from collections import Counter

from mentorkit.kernel.guard import component_hook
from mentorkit.kernel.program import Program
from mentorkit.services.lookup import cycle_named, participants
from mentorkit.services.pool import current_groups, match_pool
from mentorkit.storage.models import Cycle, ProgramRecord
from mentorkit.views.words import plural

CHOICE_TYPES = ("choice", "choices")


def _roles(new: Program, people) -> list[str]:
    roles = Counter(p.role for p in people if new.config.role(p.role) is None)
    known = ", ".join(r.key for r in new.config.roles)
    return [f"{plural(n, 'participant')} {'has' if n == 1 else 'have'} the role {role!r}, "
            "which the new file does not define "
            f"(its roles: {known})" for role, n in sorted(roles.items())]


def _choices(new: Program, people) -> list[str]:
    found = []
    for field in new.config.intake:
        if field.type not in CHOICE_TYPES:
            continue
        allowed = {c.casefold() for c in field.choices}
        used: Counter[str] = Counter()
        for person in people:
            value = person.answers.get(field.name)
            for item in value if isinstance(value, list) else [value]:
                if isinstance(item, str) and item and item.casefold() not in allowed:
                    used[item] += 1
        if used and field.sensitive:  # what a confidential answer was is not shown
            n = sum(used.values())
            found.append(f"{field.name}: {plural(n, 'answer')} {'is' if n == 1 else 'are'} no "
                         "longer among its choices")
        elif used:
            found += [f"{field.name}: {value!r} is answered by {plural(n, 'participant')} and "
                      "is no longer one of its choices" for value, n in sorted(used.items())]
    return found


def breaks(new: Program) -> list[str]:
    """What ``new`` would break in its own cycle, if that cycle is running with people or
    groups; nothing for a new program or a cycle not yet started."""
    record = ProgramRecord.get_or_none(ProgramRecord.key == new.key)
    if record is None or Cycle.get_or_none((Cycle.program == record) & (
            Cycle.label == new.config.cycle.label)) is None:
        return []
    cycle = cycle_named(new.key, new.config.cycle.label)
    people = participants(new, cycle=cycle)
    if not people:
        return []
    found = _roles(new, people) + _choices(new, people)
    groups = current_groups(new)
    if groups:
        pool, _ = match_pool(new)
        with component_hook(new.matcher, "matcher"):
            found += [str(line) for line in new.matcher.conflicts(groups, pool)]
    return found
