"""What every scored matcher shares: the scorer from TOML, score matrices with the
administrator's pinned and forbidden pairs applied, and plain-language groups and reasons.

A plugin's own matcher can subclass :class:`ScoredMatcher` to get all of it.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import attrs

from mentorkit.config.criteria import BUILTIN_KINDS, Constraint, Criterion
from mentorkit.kernel.concerns import Matcher
from mentorkit.kernel.guard import guarded
from mentorkit.kernel.lazy import lazy
from mentorkit.kernel.registry import default_registry
from mentorkit.kernel.values import (
    CurrentGroup,
    MatchPool,
    Member,
    Person,
    Placement,
    Problem,
    ProposedGroup,
    RepairResult,
)
from mentorkit.solvers.scoring import Scorer

# numpy and the matrix code load when a matcher scores, not with the plugin registry
np = lazy("numpy")
assignment = lazy("mentorkit.solvers.assignment")
matrix = lazy("mentorkit.solvers.matrix")

PIN_BONUS = 1e4  # worth more than any fit a pair can score, so a pinned pair is kept


def criteria_lines(params) -> list[str]:
    lines = [f"Score: {c.kind} of {c.label or c.field} (weight {c.weight:g})"
             for c in params.criteria]
    lines += [f"Hard rule: {c.kind} {c.label or c.field}" for c in params.constraints]
    return lines


def _custom_criteria():
    return {kind: _guarded(info) for kind, info in default_registry().criteria.items()}


def _guarded(info):
    """A plugin's criterion whose failure names the plugin, not the participant's data."""

    def criterion(rule, a, b):
        with guarded(info.plugin, f"criterion {info.kind!r}"):
            return info.function(rule, a, b)

    return criterion


@attrs.frozen
class Opening:
    """Room for one more person in an existing group: in which role, the group's shape
    afterwards, why (in plain words), and how well they fit there (higher is better)."""

    role: str
    shape: str
    reason: str
    fit: float = 0.0


class ScoredMatcher(Matcher):
    """Shared by matchers that score with ``criteria`` and respect ``constraints``."""

    def opening(self, group: CurrentGroup, members: Sequence[Person],
                person: Person) -> Opening | None:
        """Whether ``group`` (now of ``members``) can take ``person``, and how; None: it
        cannot. Group matchers say what their shape allows; the default places no one.

        :param group: the active group as it stands (with any joins proposed so far).
        :param members: its current members as people, in the order of ``group.members``.
        :param person: a freed person, as this matcher may see them.
        """
        return None

    def repair(self, groups: Sequence[CurrentGroup], freed: Sequence[Person],
               pool: MatchPool) -> RepairResult:
        """Each freed person, in sign-up order, joins the group with an opening for them
        that fits best (the scorer's gain, then the smaller group): never a group they left,
        never beside someone they are forbidden from or who breaks a hard rule with them.
        Groups are only ever added to, so no one already placed is moved."""
        scorer = self.scorer() if hasattr(self.params, "criteria") else None
        people = {p.id: p for p in pool.people}
        # each group as it grows: its members (those the pool holds) with their roles, and
        # the same members as people, kept together so they cannot drift apart
        state = {g.label: attrs.evolve(g, members=tuple(
            m for m in g.members if m.person_id in people)) for g in groups}
        placements: list[Placement] = []
        for person in sorted(freed, key=lambda p: p.id):
            best: tuple[tuple[float, int], CurrentGroup, Opening] | None = None
            for group in state.values():
                current = [people[m.person_id] for m in group.members]
                if person.id in group.former or any(
                        frozenset((person.id, m.id)) in pool.forbidden
                        or (scorer and scorer.violation(person, m)) for m in current):
                    continue
                opening = self.opening(group, current, person)
                if opening is None:
                    continue
                gain = opening.fit + (sum(scorer.pair(person, m)[0] for m in current)
                                      if scorer else 0.0)
                gain += sum(PIN_BONUS for m in current
                            if frozenset((person.id, m.id)) in pool.pinned)
                gain += sum(pool.earlier(person.id, m.id) for m in current)
                key = (gain, -len(current))
                if best is None or key > best[0]:
                    best = (key, group, opening)
            if best is None:
                continue
            _, group, opening = best
            member = Member(person.id, opening.role)
            state[group.label] = attrs.evolve(group, members=(*group.members, member))
            placements.append(Placement(group.label, member, opening.reason, opening.shape))
        count = len(placements)
        joined = "person joins an existing group" if count == 1 else "people join existing groups"
        notes = (f"{count} {joined} with room for them",) if placements else ()
        return RepairResult(tuple(placements), notes)

    def explain(self, members: Sequence[Person]) -> tuple[str, ...]:
        """What the members share, scored as the matcher scored them when it formed the
        group."""
        if not hasattr(self.params, "criteria"):
            return ()
        _, reasons = self.scorer().group(list(members))
        return tuple(reasons) or ("no shared criteria among the members now",)

    def score(self, members: Sequence[Person]) -> float | None:
        """The members' score by the criteria, as :meth:`make_group` scores a group."""
        if not hasattr(self.params, "criteria"):
            return None
        return round(self.scorer().group(list(members))[0], 4)

    def scorer(self) -> Scorer:
        sensitive = {field.name for field in self.program.intake if field.sensitive}
        custom = {c.kind for c in self.params.criteria} - set(BUILTIN_KINDS)
        return Scorer(self.params.criteria, self.params.constraints, sensitive,
                      _custom_criteria() if custom else None)

    def problems(self) -> Iterable[Problem]:
        fields = {field.name for field in self.program.intake}
        sensitive = {field.name for field in self.program.intake if field.sensitive}
        kinds = (*BUILTIN_KINDS, *_custom_criteria())
        yield from check_fields(self.params.criteria, fields, "criteria", kinds, sensitive)
        yield from check_fields(self.params.constraints, fields, "constraints",
                                sensitive=sensitive)

    def score_matrix(self, scorer: Scorer, rows: Sequence[Person], cols: Sequence[Person],
                     pool: MatchPool | None = None, directed: bool = False) -> np.ndarray:
        """Scores of every (row, col) pair, FORBIDDEN where a hard rule or the administrator
        forbids it; a pinned pair gets PIN_BONUS."""
        scores = matrix.score_matrix(scorer, rows, cols, directed)
        if pool is not None:
            apply_pair_rules(scores, rows, cols, pool)
        return scores

    def make_group(self, scorer: Scorer, members: Sequence[tuple[Person, str]], shape: str,
                   fallback: str | None = None, extra: Sequence[str] = ()) -> ProposedGroup:
        score, reasons = scorer.group([person for person, _ in members])
        return ProposedGroup(
            members=tuple(Member(person.id, role) for person, role in members),
            score=round(score, 4),
            explanation=(*reasons, *extra) or ("no shared criteria; placed to fill capacity",),
            shape=shape,
            fallback=fallback,
        )

    def why_unmatched(self, scorer: Scorer, person: Person, candidates: Sequence[Person],
                      capacity_text: str, pool: MatchPool | None = None) -> str:
        if not candidates:
            return "no candidate of the other side in the pool"
        reasons = []
        for other in candidates:
            if pool is not None and frozenset((person.id, other.id)) in pool.forbidden:
                reasons.append("pair forbidden by an administrator")
            else:
                reasons.append(scorer.violation(person, other))
        if all(reasons):
            return f"no compatible candidate ({reasons[0]})"
        return capacity_text


def apply_pair_rules(scores: np.ndarray, rows: Sequence[Person], cols: Sequence[Person],
                     pool: MatchPool) -> None:
    """Forbid and pin, in place, the pairs an administrator decided on; weigh the pairs who
    were together in an earlier cycle as the program's history policy says."""
    if not (pool.pinned or pool.forbidden or (pool.history and pool.history_weight)):
        return
    row_at = {p.id: i for i, p in enumerate(rows)}
    col_at = {p.id: j for j, p in enumerate(cols)}
    if pool.history_weight:
        for pair in pool.history:
            a, b = sorted(pair)
            for x, y in ((a, b), (b, a)):
                if x in row_at and y in col_at:
                    i, j = row_at[x], col_at[y]
                    if scores[i, j] > assignment.FORBIDDEN / 2:
                        scores[i, j] += pool.history_weight
    for pairs, pin in ((pool.pinned, True), (pool.forbidden, False)):
        for pair in pairs:
            a, b = sorted(pair)
            for x, y in ((a, b), (b, a)):
                if x in row_at and y in col_at:
                    i, j = row_at[x], col_at[y]
                    if not pin:
                        scores[i, j] = assignment.FORBIDDEN
                    elif scores[i, j] > assignment.FORBIDDEN / 2:
                        scores[i, j] += PIN_BONUS


def pin_notes(groups: Sequence[ProposedGroup], pool: MatchPool) -> list[str]:
    """A note for each pinned pair of this pool that neither the proposal nor an active
    group keeps together."""
    together = {frozenset((a.person_id, b.person_id)) for g in groups
                for a in g.members for b in g.members if a != b} | pool.together()
    present = {p.id: p for p in pool.people}
    notes = []
    for pair in sorted(pool.pinned, key=sorted):
        if pair <= present.keys() and pair not in together:
            a, b = (present[i] for i in sorted(pair))
            notes.append(f"pinned pair {a.name} and {b.name} could not be kept together "
                         "(a hard rule or the group's shape does not allow it)")
    return notes


def check_fields(rules: Iterable[Criterion | Constraint], known: set[str], path: str,
                 kinds: Iterable[str] = (), sensitive: Iterable[str] = ()):
    """Problems for criteria or constraints that name fields the program does not collect, a
    sensitive field used without ``allow_sensitive``, or (given the known ``kinds``) a
    criterion kind nobody provides."""
    kinds, sensitive = tuple(kinds), frozenset(sensitive)
    for i, rule in enumerate(rules):
        used = {rule.field, getattr(rule, "preference_field", "")} & sensitive
        if used and not rule.allow_sensitive:
            yield Problem(f"{path}[{i}].allow_sensitive",
                          f"{', '.join(sorted(used))} is sensitive: set allow_sensitive = true "
                          "to match on it (used only for people who share it with their group)")
        if kinds and rule.kind not in kinds:
            yield Problem(f"{path}[{i}].kind",
                          f"unknown criterion kind {rule.kind!r}; known: {', '.join(kinds)}")
        for attribute in ("field", "preference_field"):
            name = getattr(rule, attribute, "")
            if name and name not in known:
                yield Problem(f"{path}[{i}].{attribute}", f"no intake field named {name!r}")
