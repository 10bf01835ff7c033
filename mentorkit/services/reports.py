"""A program's report as one self-contained HTML page, for one audience.

A coordinator shares it with a committee: the rules in plain words, who signed up and who is
matched, each group with its score and why it was formed (fallbacks called out), charts of
scores and of the criteria behind them, cadence over the year, and the assessments. Like
every output it is built from one audience's view (:class:`mentorkit.views.audience.Viewer`):

- administrator: everything above; reasons as the administrator may read them;
- group (``--group``): the rules, that group, its cadence;
- participants: the rules, counts, and the groups' members who let all participants see them;
  no score, reason, status or assessment;
- public: the rules and counts only.

The page is rendered by Jinja2 with autoescaping (a name with ``<script>`` is text,
:mod:`mentorkit.views.html`) and its charts are static SVG (:mod:`mentorkit.views.charts`): it
opens with no network and runs no script.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from pathlib import Path

import attrs

from mentorkit.kernel.concerns import Audience
from mentorkit.kernel.program import Program
from mentorkit.kernel.values import Standing
from mentorkit.services import assessments, cadence, eligibility, flags, written
from mentorkit.services.exports import audit_export, viewer_for
from mentorkit.services.lookup import current_cycle, groups, to_person
from mentorkit.services.outcomes import outcomes
from mentorkit.services.pool import matchable_sensitive, matching_view
from mentorkit.services.selection import selects
from mentorkit.services.summary import summarize
from mentorkit.storage.files import check_target, write_private
from mentorkit.storage.models import Group
from mentorkit.views import charts
from mentorkit.views.audience import Viewer
from mentorkit.views.html import render_report

SHOWN_GROUPS = ("proposed", "active", "completed")


@attrs.frozen
class GroupRow:
    label: str
    status: str
    shape: str
    members: list[str]  # "Name (role)" as the audience may see them
    score: float | None = None
    why: list[str] = attrs.field(factory=list)
    fallback: str | None = None
    attention: str | None = None
    standing: str | None = None
    findings: list[str] = attrs.field(factory=list)
    assessments: list[assessments.GroupResult] = attrs.field(factory=list)


def build(program: Program, viewer: Viewer, as_of: dt.datetime,
          group: str | None = None) -> dict:
    """What the template shows, for ``viewer``'s audience only."""
    audience = viewer.audience
    # every participant with their verdict, read once for the counts and who is left out
    verdicts = eligibility.evaluate(program) if audience is not Audience.GROUP else []
    data = {"program": program.config.program, "cycle": program.config.cycle,
            "audience": str(audience), "as_of": as_of.date(), "rules": summarize(program),
            "closed": current_cycle(program).status != "open", "counts": None,
            "outcomes": None, "left_out": [], "groups": [], "charts": {}}
    purged = current_cycle(program).status == "purged"
    if audience is not Audience.GROUP:
        late = sum(1 for v in verdicts if v.late_only and v.participant.status == "ineligible")
        data["counts"] = _counts(program, [v.participant for v in verdicts], late)
        if purged:  # the answers that told a late sign-up apart are erased
            data["counts"]["not eligible"] += data["counts"].pop("late sign-ups")
        data["outcomes"] = outcomes(program)
    shown = [g for g in groups(program, SHOWN_GROUPS) if group is None or g.label == group]
    if audience is Audience.PUBLIC:
        return data
    standings = ({s.group.label: s for s in cadence.status(program, as_of)}
                 if audience in (Audience.ADMINISTRATOR, Audience.GROUP) else {})
    results = assessments.results(program) if audience is Audience.ADMINISTRATOR else {}
    data["groups"] = [_row(viewer, g, standings.get(g.label), results.get(g.label, []))
                      for g in shown]
    if audience is Audience.ADMINISTRATOR and not purged:  # no one to name once purged
        data["left_out"] = _left_out(verdicts, viewer)
        data["charts"] = _charts(program, shown, as_of, results)
    return data


def _counts(program: Program, people, late: int) -> dict[str, int]:
    """How many are at each step; ``late``: the not eligible whose only reason is a late
    sign-up, counted apart as the eligibility command lists them. A step the program does
    not have (selection) is not shown."""
    statuses = Counter(p.status for p in people)
    counts = {"signed up": sum(statuses.values()),
              "eligible or further": sum(statuses[s] for s in ("eligible", "selected",
                                                               "matched", "completed")),
              "selected": statuses["selected"], "matched": statuses["matched"],
              "completed": statuses["completed"], "not eligible": statuses["ineligible"] - late,
              "late sign-ups": late, "withdrawn": statuses["withdrawn"]}
    if not selects(program):
        del counts["selected"]
    return counts


def _row(viewer: Viewer, group: Group, standing, results) -> GroupRow:
    memberships = group.current_memberships()
    persons = [to_person(m.participant) for m in memberships]
    roles = {m.participant_id: m.role for m in memberships}
    members = [f"{p.name} ({roles[p.id]})" if p.role is not None else p.name
               for p in viewer.people(persons)]
    if viewer.audience is Audience.PARTICIPANTS:  # who is in it, nothing more
        return GroupRow(group.label, group.status, group.shape, members)
    return GroupRow(
        group.label, group.status, group.shape, members, group.score, list(group.explanation),
        group.fallback,
        flags.attention(group) if viewer.audience is Audience.ADMINISTRATOR else None,
        str(standing.standing) if standing else None,
        [f"{f.rule}: {f.standing}: {f.message}" for f in standing.findings
         if f.standing != Standing.ON_TRACK] if standing else [], list(results))


def _left_out(verdicts: list[eligibility.Verdict], viewer: Viewer) -> list[dict]:
    """Who is not taking part and why, as the administrator may read the reasons."""
    found = []
    for verdict in verdicts:
        person = verdict.person
        if verdict.participant.status in ("ineligible", "withdrawn") or verdict.reasons:
            reasons = [viewer.reason(r, person) for r in verdict.reasons]
            found.append({"name": person.name, "status": verdict.participant.status,
                          "reasons": reasons or [verdict.participant.status]})
    return found


def _charts(program: Program, groups: list[Group], as_of: dt.datetime, results) -> dict:

    found = {}
    scored = [g for g in groups if g.status != "completed"]
    if scored:
        found["scores"] = charts.score_histogram([g.score for g in scored])
        points = _contributions(program, scored)
        if points:
            found["criteria"] = charts.contributions(points)
    months, counts = _standings_by_month(program, as_of)
    if months:
        found["cadence"] = charts.standings_over_time(months, counts)
    return found


def _contributions(program: Program, groups: list[Group]) -> dict[str, float]:
    """Mean points per group of each matching criterion, scored as the matcher scored."""
    scorer = getattr(program.matcher, "scorer", None)
    if scorer is None or not getattr(program.matcher.params, "criteria", None) or not groups:
        return {}  # a matcher without criteria (circles share topics, not points)
    scorer, fields, total = scorer(), matchable_sensitive(program), Counter()
    for group in groups:
        members = [matching_view(program, to_person(m.participant), fields)
                   for m in group.current_memberships()]
        total.update(scorer.contributions(members))
    return {label: points / len(groups) for label, points in total.items()}


def _standings_by_month(program: Program, as_of: dt.datetime):
    cycle = program.config.cycle
    months, counts = [], {str(s): [] for s in Standing}
    day = cycle.academic_year_start
    while day <= min(as_of.date(), cycle.academic_year_end):
        nxt = (day.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
        moment = dt.datetime.combine(min(nxt - dt.timedelta(days=1), as_of.date()),
                                     dt.time(23, 59), tzinfo=cycle.zone)
        standings = Counter(str(s.standing) for s in cadence.status(program, moment)
                            if s.history.started_on <= moment.date())  # formed by then
        if sum(standings.values()):
            months.append(f"{day:%b %Y}")
            for standing in counts:
                counts[standing].append(standings[standing])
        day = nxt
    return months, counts


def write(program: Program, audience: Audience, as_of: dt.datetime, out: Path,
          group: str | None = None) -> Path:
    """The report for ``audience`` (one ``group``'s for a group) as an owner-only HTML file,
    the export recorded in the audit log."""
    check_target(out)  # refused before the report is made and audited
    viewer = viewer_for(program, audience, group, purpose=str(out))
    page = write_private(out, render_report(build(program, viewer, as_of, group)))
    audit_export(program, viewer.audience, 1, str(page))
    written.record(program, [page], "report")
    return page
