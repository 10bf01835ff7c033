"""Peer circles: 6 to 10 peers at one career stage, at most 2 from one institution per circle,
institutions spread over as many circles as the counting bound allows, shared topics."""

from __future__ import annotations

from collections import Counter

from mentorkit import CurrentGroup, MatchPool, Member, Person
from mentorkit.kernel.program import load_program
from mentorkit.testing import shipped


def test_the_shipped_program_keeps_sizes_stages_and_the_institution_cap(mentorkit):
    mentorkit("programs", "add", "peer-circles")
    mentorkit("participants", "import", "peer-circles", mentorkit.signups("peer-circles"),
              expect=1)
    mentorkit("eligibility", "peer-circles")
    [proposal] = mentorkit.json("match", "run", "peer-circles")
    people = {p["id"]: p["answers"] for p in mentorkit.json("participants", "list",
                                                            "peer-circles")}
    circles = proposal["groups"]
    assert circles and all(g["shape"] == "circle" for g in circles)
    for circle in circles:
        answers = [people[m["id"]] for m in circle["members"]]
        assert 6 <= len(answers) <= 10
        assert len({a["career_stage"] for a in answers}) == 1
        assert max(Counter(a["institution"] for a in answers).values()) <= 2
    spread = next(n for n in proposal["notes"] if "institution spread" in n)
    found, bound = spread.split("spread ")[1].split(" (")[0].split(" of at most ")
    assert found == bound  # the counting bound is met


def peer(pid: int, institution: str, stage: str = "trainee") -> Person:
    return Person(pid, f"P{pid}", f"p{pid}@x.org", "peer", frozenset(),
                  {"institution": institution, "career_stage": stage, "topics": ["burnout"]})


def test_a_newcomer_joins_a_circle_with_room_at_their_stage_under_the_cap():
    matcher = load_program(shipped("peer-circles")).matcher
    members = [peer(i, "A" if i < 3 else f"I{i}") for i in range(1, 8)]
    circle = CurrentGroup("c-001", "circle", tuple(Member(p.id, "peer") for p in members))
    assert matcher.opening(circle, members, peer(20, "B")) is not None
    assert matcher.opening(circle, members, peer(21, "A")) is None  # A has 2 there already
    assert matcher.opening(circle, members, peer(22, "B", "senior")) is None  # another stage


def test_a_circle_larger_than_the_largest_size_is_a_conflict():
    matcher = load_program(shipped("peer-circles")).matcher
    big = CurrentGroup("c-001", "circle", tuple(Member(i, "peer") for i in range(12)))
    assert matcher.conflicts([big], MatchPool([])) == [
        "1 circle(s) have more than 10 members (up to 12)"]
