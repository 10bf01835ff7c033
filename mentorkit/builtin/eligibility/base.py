"""What the rules on an intake answer share: applying to some roles only, the program's own
words for a reason, and how an answer reads inside one."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

from mentorkit.kernel.concerns import EligibilityRule
from mentorkit.kernel.values import Person, Problem, Reason

if TYPE_CHECKING:
    from mentorkit.config.models import IntakeField


def either(values: Sequence[Any]) -> str:
    """``a``, ``a or b``, ``one of: a, b, c``: allowed values as a sentence reads them."""
    words = [str(value) for value in values]
    if len(words) <= 2:
        return " or ".join(words)
    return "one of: " + ", ".join(words)


def shown(value: Any) -> str:
    """An answer inside a reason: quoted text, bare numbers, a list's items joined."""
    if isinstance(value, list):
        return repr("; ".join(str(item) for item in value))
    return repr(value) if isinstance(value, str) else str(value)


def typed(field: IntakeField) -> str:
    """``'pgy' is an integer field``, for problems about a field of the wrong type."""
    article = "an" if field.type[0] in "aeiou" else "a"
    return f"{field.name!r} is {article} {field.type} field"


def unanswered(value: Any) -> bool:
    """No answer: nothing, blank text or an empty list (``False`` and ``0`` are answers)."""
    return value is None or value == [] or (isinstance(value, str) and not value.strip())


class FieldRule(EligibilityRule):
    """A rule on intake answers that may apply to some roles only: ``params.roles`` (empty:
    everyone) and ``params.reason`` (the program's own words for every reason)."""

    def applies(self, person: Person) -> bool:
        return not self.params.roles or person.role in self.params.roles

    def who(self) -> str:
        """The start of a describe line: ``resident: `` when the rule is for some roles."""
        return f"{', '.join(self.params.roles)}: " if self.params.roles else ""

    def for_role(self, person: Person) -> str:
        """The end of a reason: `` (for a resident)`` when the rule is for some roles."""
        return f" (for a {person.role})" if self.params.roles else ""

    def reason(self, field: str, message: str) -> Reason:
        return Reason(field, self.params.reason or message)

    def problems(self) -> Iterable[Problem]:
        yield from self.missing_roles("roles")
