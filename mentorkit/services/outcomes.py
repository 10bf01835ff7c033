"""What a cycle came to: meetings held, groups completed, people who finished or withdrew,
how the assessments went. The year-end report's first section (a closed cycle's report is
the year-end report), counts only: it names no one, so every audience but one group's may
read it."""

from __future__ import annotations

from collections import Counter

import peewee as pw

from mentorkit.kernel.program import Program
from mentorkit.services.lookup import current_cycle
from mentorkit.storage.models import AssessmentResponse, Group, Meeting, Participant

# Outside the administrators' report, an assessment's means are shown from this many
# responses: from one, the mean is that member's answers, read by every participant; from
# two in a pair, each member reads the other's.
FEWEST_SHOWN = 5


def outcomes(program: Program, fewest: int = FEWEST_SHOWN) -> dict[str, object]:
    """The cycle's outcomes: plain counts and means, in the order a committee reads them;
    an assessment's means only from ``fewest`` responses (1: the administrators')."""
    cycle = current_cycle(program)
    count = pw.fn.COUNT(pw.SQL("*"))
    groups = Counter(dict(Group.select(Group.status, count).where(
        (Group.cycle == cycle) & (Group.status != "proposed")).group_by(Group.status).tuples()))
    people = Counter(dict(Participant.select(Participant.status, count).where(
        Participant.cycle == cycle).group_by(Participant.status).tuples()))
    kinds = Counter(dict(Meeting.select(Meeting.kind, count).join(Group).where(
        (Group.cycle == cycle) & (Group.status != "proposed")).group_by(Meeting.kind)
        .tuples()))
    held = {"year": "closed" if cycle.status != "open" else "so far",
            "groups formed": sum(groups.values()),
            "groups completed": groups["completed"],
            "groups ended early": groups["dissolved"],
            "people who completed": people["completed"],
            "people who withdrew": people["withdrawn"],
            "meetings and contacts logged": sum(kinds.values())}
    held.update({f"  {kind}": n for kind, n in sorted(kinds.items())})
    held["assessments"] = _assessments(program, cycle, fewest)
    return held


def _assessments(program: Program, cycle, fewest: int) -> list[dict[str, object]]:
    """Per assessment: how many answered, and each question's mean (none from fewer than
    ``fewest`` responses: ``withheld`` says why)."""
    found = []
    for assessment in program.config.assessments:
        answers = [answers for (answers,) in AssessmentResponse.select(
            AssessmentResponse.answers).join(Participant).where(
            (Participant.cycle == cycle) & (AssessmentResponse.assessment == assessment.name))
            .tuples()]
        if not answers:
            continue
        means: dict[str, float] = {}
        if len(answers) < fewest:
            found.append({"name": assessment.title, "responses": len(answers), "means": means,
                          "withheld": f"means are shown from {fewest} responses, so that no "
                                      "one's answers can be told"})
            continue
        for question in assessment.questions:
            values = [a[question.name] for a in answers if question.name in a]
            if values:
                means[question.text] = round(sum(values) / len(values), 2)
        found.append({"name": assessment.title, "responses": len(answers), "means": means,
                      "withheld": ""})
    return found
