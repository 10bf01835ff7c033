"""How a program scores and constrains who is put together: ``[[matching.criteria]]`` and
``[[matching.constraints]]`` tables, as the program file states them. The solver that scores
with them is :mod:`mentorkit.solvers.scoring`."""

from __future__ import annotations

from typing import Literal

import attrs

# The kinds the core scores itself (as whole numpy matrices); a plugin may add others with the
# ``register_criteria`` hook, but not replace these.
BUILTIN_KINDS = ("overlap", "same", "different", "distance", "prefers")


@attrs.frozen
class Criterion:
    """One scoring rule.

    * ``overlap``: share of common values of a list field (interests);
    * ``same`` / ``different``: equal or unequal values (career stage, institution);
    * ``distance``: closeness of numbers, full points at 0, none at ``scale`` apart;
    * ``prefers``: one side's ``preference_field`` lists the other's ``field`` value;
    * any kind a plugin registers with the ``register_criteria`` hook.
    """

    kind: str
    field: str
    weight: float = 1.0
    label: str = ""
    preference_field: str = ""
    scale: float = 1.0
    # a sensitive field is used only when the program says so, and then only for people who
    # share it with their group (matching on it tells the group something)
    allow_sensitive: bool = False


@attrs.frozen
class Constraint:
    """A hard rule between two members: ``same`` or ``different`` values of ``field``, or
    ``not-named``: neither lists the other's e-mail in ``field`` (one's own supervisor or
    evaluator, a relative, a past complaint)."""

    kind: Literal["same", "different", "not-named"]
    field: str
    label: str = ""
    allow_sensitive: bool = False


def label_of(rule: Criterion | Constraint) -> str:
    return rule.label or rule.field.replace("_", " ")
