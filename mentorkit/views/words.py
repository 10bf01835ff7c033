"""Words that agree with what they count or name, for every message mentorkit writes:
"1 group", "3 groups", "peer-circles' cycle", "Ana's group"."""

from __future__ import annotations

from collections.abc import Sequence


def plural(count: int, word: str, many: str | None = None) -> str:
    """``1 group``, ``2 groups`` (``many``: an irregular plural, e.g. ``people``)."""
    return f"{count:,} {word if count == 1 else many or word + 's'}"


def possessive(name: str) -> str:
    """``Ana's``, ``our-circles'``: a name ending in s takes the apostrophe alone."""
    return f"{name}'" if name.endswith(("s", "S")) else f"{name}'s"


def listing(items: Sequence[str]) -> str:
    """``a``, ``a and b``, ``a, b and c``."""
    items = list(items)
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + f" and {items[-1]}"
