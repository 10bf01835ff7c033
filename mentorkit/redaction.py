"""The one redaction layer every output goes through.

A program marks intake fields sensitive; its confidentiality policy says, per person and
audience, who may see each. A :class:`Redactor` is built once per command for one audience
(administrator, group, participants, public) and knows every sensitive value that audience may
not see. Outputs use it twice: structured data is built from :meth:`Redactor.answers` (only
fields the audience may see), and every string that leaves mentorkit (tables, JSON, CSV,
reminders, calendars) is scrubbed of withheld values as a second line of defence, so free
text such as an eligibility reason or an explanation cannot carry one out either.

The CLI activates a redactor when a command resolves its program (``cli.output``); its
printing helpers refuse to run without one for program data.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any

from mentorkit.concerns import Audience, Person
from mentorkit.config.loader import Program

WITHHELD = "[withheld]"
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


class RedactionError(RuntimeError):
    """The program's confidentiality policy failed; nothing is shown or written."""


def _strings(value: Any) -> Iterable[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, list | tuple | set | frozenset):
        for item in value:
            yield from _strings(item)


class Redactor:
    def __init__(self, program: Program, audience: Audience,
                 people: Iterable[Person] = ()) -> None:
        self.program = program
        self.audience = Audience(audience)
        self.policy = program.confidentiality
        self.sensitive = [f.name for f in program.config.intake if f.sensitive]
        withheld: set[str] = set()
        for person in people:
            for field in self.sensitive:
                if not self._may_see(field, person):
                    withheld.update(v.strip() for v in _strings(person.value(field))
                                    if len(v.strip()) >= 3)
        self.withheld = frozenset(withheld)
        self._pattern = (re.compile("|".join(
            rf"(?<!\w){re.escape(v)}(?!\w)" for v in sorted(withheld, key=len, reverse=True)),
            re.IGNORECASE) if withheld else None)

    def _may_see(self, field: str, person: Person) -> bool:
        try:
            return bool(self.policy.may_see(field, person, self.audience))
        except Exception as error:  # a plugin's bug must not leak data or crash half-way
            raise RedactionError(f"confidentiality policy {self.policy.name!r} failed: "
                                 f"{type(error).__name__}: {error}") from error

    def answers(self, person: Person) -> dict[str, Any]:
        """The person's answers this audience may see (public: none at all)."""
        if self.audience is Audience.PUBLIC:
            return {}
        return {field: value for field, value in person.answers.items()
                if self._may_see(field, person)}

    def scrub(self, text: str) -> str:
        """``text`` with every withheld value replaced by ``[withheld]``."""
        if self._pattern is None or not text:
            return text
        return self._pattern.sub(WITHHELD, text)

    def value(self, value: Any) -> Any:
        """Scrub every string inside a JSON-like value."""
        if isinstance(value, str):
            return self.scrub(value)
        if isinstance(value, Mapping):
            return {key: self.value(item) for key, item in value.items()}
        if isinstance(value, list | tuple):
            return [self.value(item) for item in value]
        return value


def neutralise_formula(text: str) -> str:
    """A cell a spreadsheet would run as a formula (=cmd|..., +, -, @) is prefixed with a
    quote, as OWASP advises for CSV exports; the value itself is kept."""
    return "'" + text if text.startswith(FORMULA_PREFIXES) else text
