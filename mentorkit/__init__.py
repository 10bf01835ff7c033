"""mentorkit: run mentoring programs defined in TOML, with behaviour from plugins.

What a plugin needs is importable from here, so a plugin keeps working when the core's
modules move: the ``hookimpl`` marker, the base class of each concern's components, the values
they are given and return, ``ScoredMatcher`` for a matcher that scores with the program's
criteria (with the criteria and hard rules a matcher's ``Params`` hold, and the lines and notes
every scored matcher writes), ``ConsentByAudience`` to build a consent policy on, the contact
kinds a cadence rule checks, and ``lazy`` to load a solver only when a matcher runs. The solvers
themselves are a library: ``from mentorkit.solvers import assignment``. ``docs/plugins.md``
documents each.

Each name is imported on first use (PEP 562), so ``mentorkit --help`` and every command that
needs none of them start without the matchers and the kernel's values.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

# name -> the module that defines it
_EXPORTS = {
    **dict.fromkeys(("Opening", "ScoredMatcher", "criteria_lines", "pin_notes"),
                    "mentorkit.builtin.matchers.scored"),
    **dict.fromkeys(("Constraint", "Criterion"), "mentorkit.config.criteria"),
    **dict.fromkeys(("Audience", "CadenceRule", "Component", "ConfidentialityPolicy",
                     "EligibilityRule", "Matcher"), "mentorkit.kernel.concerns"),
    "hookimpl": "mentorkit.kernel.hookspecs",
    "lazy": "mentorkit.kernel.lazy",
    **dict.fromkeys(("CONTACT_KINDS", "MEETING_KINDS", "MESSAGE_KINDS", "CadenceFinding",
                     "Contact", "CurrentGroup", "GroupHistory", "MatchPool", "MatchResult",
                     "Member", "NoParams", "Person", "Placement", "Problem", "ProposedGroup",
                     "Reason", "RepairResult", "SelectionResult", "Standing", "Window"),
                    "mentorkit.kernel.values"),
    "kind_problems": "mentorkit.builtin.cadence.periodic",
    **dict.fromkeys(("ConsentByAudience", "ConsentParams"),
                    "mentorkit.builtin.confidentiality"),
}

__all__ = [
    "CONTACT_KINDS", "MEETING_KINDS", "MESSAGE_KINDS", "Audience", "CadenceFinding",
    "CadenceRule", "Component", "ConfidentialityPolicy", "ConsentByAudience", "ConsentParams",
    "Constraint", "Contact", "Criterion", "CurrentGroup", "EligibilityRule", "GroupHistory",
    "MatchPool", "MatchResult", "Matcher", "Member", "NoParams", "Opening", "Person",
    "Placement", "Problem", "ProposedGroup", "Reason", "RepairResult", "ScoredMatcher",
    "SelectionResult", "Standing", "Window", "__version__", "criteria_lines", "hookimpl",
    "kind_problems", "lazy", "pin_notes",
]


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'mentorkit' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value  # looked up once
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *_EXPORTS})


if TYPE_CHECKING:  # for type checkers and editors: the same names, imported eagerly
    from mentorkit.builtin.cadence.periodic import kind_problems
    from mentorkit.builtin.confidentiality import ConsentByAudience, ConsentParams
    from mentorkit.builtin.matchers.scored import (
        Opening,
        ScoredMatcher,
        criteria_lines,
        pin_notes,
    )
    from mentorkit.config.criteria import Constraint, Criterion
    from mentorkit.kernel.concerns import (
        Audience,
        CadenceRule,
        Component,
        ConfidentialityPolicy,
        EligibilityRule,
        Matcher,
    )
    from mentorkit.kernel.hookspecs import hookimpl
    from mentorkit.kernel.lazy import lazy
    from mentorkit.kernel.values import (
        CONTACT_KINDS,
        MEETING_KINDS,
        MESSAGE_KINDS,
        CadenceFinding,
        Contact,
        CurrentGroup,
        GroupHistory,
        MatchPool,
        MatchResult,
        Member,
        NoParams,
        Person,
        Placement,
        Problem,
        ProposedGroup,
        Reason,
        RepairResult,
        SelectionResult,
        Standing,
        Window,
    )
