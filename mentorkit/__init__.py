"""mentorkit: run mentoring programs defined in TOML, with behaviour from plugins.

What a plugin needs is importable from here, so a plugin keeps working when the core's
modules move: the ``hookimpl`` marker, the base class of each concern's components, the values
they are given and return, ``ScoredMatcher`` for a matcher that scores with the program's
criteria (with the criteria and hard rules a matcher's ``Params`` hold, and the lines and notes
every scored matcher writes), ``ConsentByAudience`` to build a consent policy on, the contact
kinds a cadence rule checks, and ``lazy`` to load a solver only when a matcher runs. The solvers
themselves are a library: ``from mentorkit.solvers import assignment``. ``docs/plugins.md``
documents each.
"""

import importlib
from typing import Any

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

__version__ = "0.1.0"

# Loaded when a plugin first asks for them, not when the command line starts.
_LATER = {"kind_problems": "mentorkit.builtin.cadence.periodic",
          "ConsentByAudience": "mentorkit.builtin.confidentiality",
          "ConsentParams": "mentorkit.builtin.confidentiality"}


def __getattr__(name: str) -> Any:
    if name in _LATER:
        return getattr(importlib.import_module(_LATER[name]), name)
    raise AttributeError(f"module 'mentorkit' has no attribute {name!r}")

__all__ = [
    "CONTACT_KINDS", "MEETING_KINDS", "MESSAGE_KINDS", "Audience", "CadenceFinding",
    "CadenceRule", "Component", "ConfidentialityPolicy", "ConsentByAudience", "ConsentParams",
    "Constraint", "Contact", "Criterion", "CurrentGroup", "EligibilityRule", "GroupHistory",
    "MatchPool", "MatchResult", "Matcher", "Member", "NoParams", "Opening", "Person",
    "Placement", "Problem", "ProposedGroup", "Reason", "RepairResult", "ScoredMatcher",
    "SelectionResult", "Standing", "Window", "__version__", "criteria_lines", "hookimpl",
    "kind_problems", "lazy", "pin_notes",
]
