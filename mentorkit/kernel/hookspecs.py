"""The hooks a mentorkit plugin can implement.

Each concern of a program (eligibility, matching, cadence, confidentiality) is served by
*components*: classes a plugin hands to a ``register`` callback. A program's TOML then names the
component it wants per concern, so components from different plugins can be mixed freely.
Every hook here is documented in ``docs/plugins.md`` and exercised in ``tests/``; a test fails
when one is not.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

import pluggy

if TYPE_CHECKING:
    import click

    from mentorkit.kernel.concerns import (
        CadenceRule,
        ConfidentialityPolicy,
        EligibilityRule,
        Matcher,
    )
    from mentorkit.kernel.values import CriterionFunction

hookspec = pluggy.HookspecMarker("mentorkit")
hookimpl = pluggy.HookimplMarker("mentorkit")


@hookspec
def register_eligibility_rules(register: Callable[[type[EligibilityRule]], None]) -> None:
    """Register eligibility rules: who may take part in a program, and why not.

    :param register: call once per :class:`mentorkit.kernel.concerns.EligibilityRule` subclass.
    """


@hookspec
def register_matchers(register: Callable[[type[Matcher]], None]) -> None:
    """Register matchers, which form groups (pairs, triads, cohorts, circles) from a pool.

    :param register: call once per :class:`mentorkit.kernel.concerns.Matcher` subclass.
    """


@hookspec
def register_criteria(register: Callable[[str, CriterionFunction], None]) -> None:
    """Register scoring criteria that a program's ``[[matching.criteria]]`` can name as ``kind``.

    :param register: call ``register(kind, function)``; ``function(rule, a, b)`` gets the
        :class:`mentorkit.config.criteria.Criterion` (with its ``field``, ``weight`` and
        ``label``) and two :class:`mentorkit.kernel.values.Person` objects, and returns
        ``(points, reason)``: the points for putting them together and a plain reason, or
        ``None`` when the criterion did not apply.
    """


@hookspec
def register_cadence_rules(register: Callable[[type[CadenceRule]], None]) -> None:
    """Register cadence rules: what contact a group owes and whether it is on track.

    :param register: call once per :class:`mentorkit.kernel.concerns.CadenceRule` subclass.
    """


@hookspec
def register_confidentiality_policies(
    register: Callable[[type[ConfidentialityPolicy]], None],
) -> None:
    """Register confidentiality policies: which audience may see which participant field.

    :param register: call once per
        :class:`mentorkit.kernel.concerns.ConfidentialityPolicy` subclass.
    """


@hookspec
def register_commands(cli: click.Group) -> None:
    """Add commands to the ``mentorkit`` command line.

    :param cli: the top-level click group; use ``@cli.command()`` or ``@cli.group()``.
    """
