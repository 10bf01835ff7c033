"""Scoring how well two people fit, from the weighted criteria of the program's TOML
(:mod:`mentorkit.config.criteria`).

Each criterion yields points and a plain reason ("shared clinical interest: cardiology"), so
every group can say why it was formed. A sensitive field's value is never put in a reason:
the reason then only says that the criterion matched.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from mentorkit.config.criteria import Constraint, Criterion, label_of
from mentorkit.kernel.values import CriterionFunction, Person

# The score of a pair a hard rule forbids: far below any fit. Here, with no import, so a
# solver that needs only it (the priced best fit, on OR-Tools) loads no scipy.optimize.
FORBIDDEN = -1e12


def as_set(value: Any) -> set[str]:
    """A field's answer as a set of strings: a list's values, one value, or nothing."""
    if value is None or value == "":
        return set()
    if isinstance(value, list | tuple | set | frozenset):
        return {str(v) for v in value}
    return {str(value)}


class Scorer:
    def __init__(
        self,
        criteria: Sequence[Criterion],
        constraints: Sequence[Constraint] = (),
        sensitive: Iterable[str] = (),
        custom: Mapping[str, CriterionFunction] | None = None,
    ) -> None:
        self.criteria = tuple(criteria)
        self.constraints = tuple(constraints)
        self.sensitive = frozenset(sensitive)
        self.custom = dict(custom or {})

    def _criterion(self, rule: Criterion, a: Person, b: Person) -> tuple[float, str | None]:
        label = label_of(rule)
        hidden = rule.field in self.sensitive
        if rule.kind in self.custom:
            points, reason = self.custom[rule.kind](rule, a, b)
            return float(points), (label if hidden and reason else reason)
        if rule.kind == "overlap":
            left, right = as_set(a.value(rule.field)), as_set(b.value(rule.field))
            shared = sorted(left & right)
            if not shared:
                return 0.0, None
            points = rule.weight * len(shared) / min(len(left), len(right))
            return points, f"{label}" if hidden else f"shared {label}: {', '.join(shared)}"
        if rule.kind in ("same", "different"):
            left, right = a.value(rule.field), b.value(rule.field)
            if left in (None, "") or right in (None, ""):
                return 0.0, None
            if (left == right) == (rule.kind == "same"):
                value = {True: "yes", False: "no"}.get(left, left)
                shown = "" if hidden or rule.kind == "different" else f": {value}"
                return rule.weight, f"{rule.kind} {label}{shown}"
            return 0.0, None
        if rule.kind == "distance":
            left, right = a.value(rule.field), b.value(rule.field)
            if not isinstance(left, int | float) or not isinstance(right, int | float):
                return 0.0, None
            closeness = max(0.0, 1.0 - abs(left - right) / rule.scale)
            return rule.weight * closeness, (f"close {label}" if closeness else None)
        # prefers: each side's stated preference for the other counts half
        points, reasons = 0.0, []
        for chooser, chosen in ((a, b), (b, a)):
            granted = as_set(chooser.value(rule.preference_field)) & as_set(
                chosen.value(rule.field))
            if granted:
                points += rule.weight / 2
                reasons.append(f"{chooser.name} prefers {label}" if hidden else
                               f"{chooser.name} asked for {label}: {', '.join(sorted(granted))}")
        return points, ("; ".join(reasons) or None)

    def pair(self, a: Person, b: Person) -> tuple[float, list[str]]:
        """Points and reasons for putting ``a`` and ``b`` together."""
        total, reasons = 0.0, []
        for rule in self.criteria:
            points, reason = self._criterion(rule, a, b)
            total += points
            if reason:
                reasons.append(reason)
        return total, reasons

    def violation(self, a: Person, b: Person) -> str | None:
        """The first hard constraint ``a`` and ``b`` break together, if any."""
        for rule in self.constraints:
            if rule.kind == "not-named":
                if (b.email.lower() in {v.lower() for v in as_set(a.value(rule.field))}
                        or a.email.lower() in {v.lower() for v in as_set(b.value(rule.field))}):
                    return f"one names the other as {label_of(rule)}"
                continue
            left, right = a.value(rule.field), b.value(rule.field)
            if left in (None, "") or right in (None, ""):
                continue
            if (left == right) != (rule.kind == "same"):
                return f"must have {rule.kind} {label_of(rule)}"
        return None

    def contributions(self, members: Sequence[Person]) -> dict[str, float]:
        """Each criterion's points in a group's score, by its label (for the report)."""
        found: dict[str, float] = {}
        for i, a in enumerate(members):
            for b in members[i + 1:]:
                for rule in self.criteria:
                    label = label_of(rule)
                    found[label] = found.get(label, 0.0) + self._criterion(rule, a, b)[0]
        return found

    def group(self, members: Sequence[Person]) -> tuple[float, list[str]]:
        total, reasons = 0.0, []
        for i, a in enumerate(members):
            for b in members[i + 1:]:
                points, why = self.pair(a, b)
                total += points
                reasons += why
        return total, list(dict.fromkeys(reasons))
