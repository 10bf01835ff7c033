"""mentorkit: run mentoring programs defined in TOML, with behaviour from plugins.

What a plugin needs is importable from here, so a plugin keeps working when the core's
modules move: the ``hookimpl`` marker, the base class of each concern's components, the values
they are given and return, and ``ScoredMatcher`` for a matcher that scores with the program's
criteria. ``docs/plugins.md`` documents each.

Each name is imported on first use (PEP 562), so ``mentorkit --help`` and every command that
needs none of them start without the matchers and the kernel's values.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

# name -> the module that defines it
_EXPORTS = {
    "Opening": "mentorkit.builtin.matchers.scored",
    "ScoredMatcher": "mentorkit.builtin.matchers.scored",
    **dict.fromkeys(("Audience", "CadenceRule", "Component", "ConfidentialityPolicy",
                     "EligibilityRule", "Matcher"), "mentorkit.kernel.concerns"),
    "hookimpl": "mentorkit.kernel.hookspecs",
    **dict.fromkeys(("CadenceFinding", "Contact", "CurrentGroup", "GroupHistory", "MatchPool",
                     "MatchResult", "Member", "Person", "Placement", "Problem",
                     "ProposedGroup", "Reason", "RepairResult", "SelectionResult", "Standing",
                     "Window"), "mentorkit.kernel.values"),
}

__all__ = [
    "Audience", "CadenceFinding", "CadenceRule", "Component", "ConfidentialityPolicy",
    "Contact", "CurrentGroup", "EligibilityRule", "GroupHistory", "MatchPool", "MatchResult",
    "Matcher", "Member", "Opening", "Person", "Placement", "Problem", "ProposedGroup", "Reason",
    "RepairResult", "ScoredMatcher", "SelectionResult", "Standing", "Window", "__version__",
    "hookimpl",
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
    from mentorkit.builtin.matchers.scored import Opening, ScoredMatcher
    from mentorkit.kernel.concerns import (
        Audience,
        CadenceRule,
        Component,
        ConfidentialityPolicy,
        EligibilityRule,
        Matcher,
    )
    from mentorkit.kernel.hookspecs import hookimpl
    from mentorkit.kernel.values import (
        CadenceFinding,
        Contact,
        CurrentGroup,
        GroupHistory,
        MatchPool,
        MatchResult,
        Member,
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
