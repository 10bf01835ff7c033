"""mentorkit: run mentoring programs defined in TOML, with behaviour from plugins.

What a plugin needs is importable from here, so a plugin keeps working when the core's
modules move: the ``hookimpl`` marker, the base class of each concern's components, the values
they are given and return, and ``ScoredMatcher`` for a matcher that scores with the program's
criteria. ``docs/plugins.md`` documents each.
"""

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

__version__ = "0.1.0"

__all__ = [
    "Audience", "CadenceFinding", "CadenceRule", "Component", "ConfidentialityPolicy",
    "Contact", "CurrentGroup", "EligibilityRule", "GroupHistory", "MatchPool", "MatchResult",
    "Matcher", "Member", "Opening", "Person", "Placement", "Problem", "ProposedGroup", "Reason",
    "RepairResult", "ScoredMatcher", "SelectionResult", "Standing", "Window", "__version__",
    "hookimpl",
]
