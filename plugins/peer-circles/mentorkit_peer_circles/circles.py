"""Peer circles within a size range, mixing institutions, at one stage, sharing topics."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence

import attrs

from mentorkit import (
    MatchPool,
    MatchResult,
    Member,
    Opening,
    Person,
    Problem,
    ProposedGroup,
    ScoredMatcher,
    lazy,
    pin_notes,
)
from mentorkit.solvers.scoring import as_set

# the solver loads when the matcher runs, not with the plugin registry (start-up time)
partition = lazy("mentorkit.solvers.partition")

def _codes(values: Iterable[object]) -> list[int]:
    table: dict[object, int] = {}
    return [table.setdefault(v, len(table)) for v in values]


@attrs.frozen
class CircleParams:
    size: list[int] = attrs.field(factory=lambda: [6, 10])  # smallest and largest circle
    target_size: int = 0  # 0: the middle of the range
    stage_field: str = ""  # circles keep one stage; empty: everyone together
    institution_field: str = ""
    max_per_institution: int = 2
    topics_field: str = ""
    roles: list[str] = attrs.field(factory=list)  # empty: every role
    passes: int = 8  # rounds of swap local search


class Circles(ScoredMatcher):
    """Circles of peers within a size range, mixing institutions, at one stage, sharing topics."""

    name = "circles"
    Params = CircleParams
    shapes = ("circle",)

    def problems(self) -> Iterable[Problem]:
        p = self.params
        yield from self.missing_roles("roles")
        if len(p.size) != 2 or not 1 <= p.size[0] <= p.size[1]:
            yield Problem("size", f"give [smallest, largest] with 1 <= smallest <= largest, "
                                  f"got {p.size}")
        elif p.target_size and not p.size[0] <= p.target_size <= p.size[1]:
            yield Problem("target_size", f"must lie within size {p.size}")
        yield from self.below_one("max_per_institution")
        yield from self.missing_fields(*(name for name in ("stage_field", "institution_field",
                                                           "topics_field")
                                         if getattr(p, name)))

    def describe(self) -> list[str]:
        p = self.params
        lines = [f"Circles of {p.size[0]} to {p.size[1]} peers"
                 + (f" (about {p.target_size})" if p.target_size else "") + "."]
        if p.stage_field:
            lines.append(f"Everyone in a circle has the same {self._label(p.stage_field)}.")
        if p.institution_field:
            lines.append(f"At most {p.max_per_institution} from one {p.institution_field} per "
                         "circle; institutions are spread over as many circles as possible.")
        if p.topics_field:
            lines.append(f"Circles are chosen to share {p.topics_field} (swap local search).")
        return lines

    def match(self, pool: MatchPool) -> MatchResult:
        p = self.params
        people = sorted((x for x in pool.free() if not p.roles or x.role in p.roles),
                        key=lambda x: x.id)

        def field(name, person):
            return person.value(name) if name else ""

        stage = _codes(str(field(p.stage_field, x)) for x in people)
        # a person with no institution given counts as their own, so they never hit the cap
        institution = _codes(field(p.institution_field, x) or f"#{x.id}" for x in people)
        vocabulary: dict[str, int] = {}
        topics = [tuple(sorted(vocabulary.setdefault(t, len(vocabulary))
                               for t in as_set(field(p.topics_field, x)))) for x in people]
        at = {x.id: i for i, x in enumerate(people)}
        history = [(at[a], at[b]) for a, b in (sorted(pair) for pair in pool.history)
                   if a in at and b in at]
        result = partition.partition(stage, institution, topics, p.size[0], p.size[1],
                                      p.max_per_institution, p.target_size or None, pool.seed,
                                      p.passes, history, pool.history_weight, unit="circle")
        groups = tuple(self._circle(n, [people[i] for i in circle])
                       for n, circle in enumerate(result.groups))
        notes = [f"{len(groups)} circles; institution spread {result.spread} of at most "
                 f"{result.spread_bound} (counting bound)",
                 f"{result.topic_pairs} topic-sharing pairs within circles"]
        forbidden = [pair for pair in pool.forbidden if any(pair <= {m.person_id for m in
                                                                     g.members} for g in groups)]
        if forbidden:
            notes.append(f"{len(forbidden)} forbidden pairs share a circle: move one of each "
                         "by hand before accepting")
        unmatched = {people[i].id: why for i, why in result.unplaced.items()}
        return MatchResult(groups, unmatched, tuple(notes + pin_notes(groups, pool)))

    def opening(self, group, members, person):
        """A circle under its maximum takes a peer of its stage whose institution is not
        yet at the cap; the best fit shares the most topics."""
        p = self.params
        if group.shape != "circle" or (p.roles and person.role not in p.roles):
            return None
        if len(members) >= p.size[1] or not members:
            return None
        if p.stage_field and person.value(p.stage_field) != members[0].value(p.stage_field):
            return None
        institution = person.value(p.institution_field) if p.institution_field else None
        if institution and sum(1 for m in members if m.value(p.institution_field)
                               == institution) >= p.max_per_institution:
            return None
        mine = as_set(person.value(p.topics_field)) if p.topics_field else set()
        shared = sum(len(mine & as_set(m.value(p.topics_field))) for m in members) if mine else 0
        return Opening(person.role, "circle", f"a circle with room ({len(members)} of "
                       f"{p.size[1]})" + (f", sharing {shared} topic choices" if shared else ""),
                       float(shared))

    def conflicts(self, groups, pool):
        """Circles outside the size range."""
        low, high = self.params.size
        sizes = [len(g.members) for g in groups if g.shape == "circle"]
        found = []
        if over := [n for n in sizes if n > high]:
            found.append(f"{len(over)} circle(s) have more than {high} members "
                         f"(up to {max(over)})")
        if under := [n for n in sizes if n < low]:
            found.append(f"{len(under)} circle(s) have fewer than {low} members")
        return found

    def explain(self, members: Sequence[Person]) -> tuple[str, ...]:
        """The topics the circle shares and the institutions it mixes, as it is now."""
        return self._circle(0, members).explanation

    def _label(self, name: str) -> str:
        """A field as the form asks it ("Career stage"), never the program's key for it."""
        field = self.program.field(name)
        return field.label if field is not None and field.label else name.replace("_", " ")

    def score(self, members: Sequence[Person]) -> float:
        """The topics the members share, counted as a circle is scored when formed."""
        return self._circle(0, members).score

    def _circle(self, number: int, members: Sequence[Person]) -> ProposedGroup:
        p = self.params
        reasons = []
        if p.topics_field:
            counts = Counter(t for m in members for t in as_set(m.value(p.topics_field)))
            shared = [f"{t} ({n})" for t, n in sorted(counts.items(), key=lambda x: (-x[1], x[0]))
                      if n > 1]
            hidden = self.program.field(p.topics_field).sensitive
            if shared:
                reasons.append("shared topics" + ("" if hidden else ": " + ", ".join(shared)))
        if p.institution_field:
            n = len({m.value(p.institution_field) for m in members})
            reasons.append(f"{n} institutions among {len(members)} members")
        if p.stage_field and not self.program.field(p.stage_field).sensitive:
            reasons.append(f"{self._label(p.stage_field)}: {members[0].value(p.stage_field)}")
        score = sum(n * (n - 1) / 2 for n in Counter(
            t for m in members for t in as_set(m.value(p.topics_field) if p.topics_field
                                                else None)).values())
        return ProposedGroup(tuple(Member(m.id, m.role) for m in members), float(score),
                             tuple(reasons), "circle")
