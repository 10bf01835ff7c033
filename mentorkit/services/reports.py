"""A program's report as one self-contained HTML page, for one audience.

A coordinator shares it with a committee: the rules in plain words, who signed up and who is
matched, each group with its score and why it was formed (fallbacks called out), charts of
scores and of the criteria behind them, cadence over the year, and the assessments. Like
every output it is built from one audience's view (:class:`mentorkit.views.audience.Viewer`):

- administrator: everything above; reasons as the administrator may read them;
- group (``--group``): the rules, that group, its cadence;
- participants: the rules, counts, and the groups' members who let all participants see them;
  no score, reason, status or assessment of a group; an assessment's means over the program
  only from ``FEWEST_SHOWN`` responses;
- public: the rules and counts only (the same means, from as many responses).

The page is rendered by Jinja2 with autoescaping (a name with ``<script>`` is text,
:mod:`mentorkit.views.html`) and its charts are static SVG (:mod:`mentorkit.views.charts`): it
opens with no network and runs no script.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Callable
from pathlib import Path

from mentorkit.kernel.concerns import Audience
from mentorkit.kernel.program import Program
from mentorkit.services import assessments, batch, cadence, eligibility, report_rows, written
from mentorkit.services.exports import audit_export, viewer_for
from mentorkit.services.lookup import current_cycle
from mentorkit.services.outcomes import FEWEST_SHOWN, outcomes
from mentorkit.services.pool import matchable_sensitive, matching_view
from mentorkit.services.selection import selects
from mentorkit.services.summary import summarize
from mentorkit.storage.files import check_target, write_private
from mentorkit.views import charts
from mentorkit.views.audience import Viewer
from mentorkit.views.html import render_report

SHOWN_GROUPS = ("proposed", "active", "completed")


Progress = Callable[[str, int], None]  # told each stage and how many people it works on
STAGES = 4  # what build() and write() report to a progress


def build(program: Program, viewer: Viewer, as_of: dt.datetime,
          group: str | None = None, progress: Progress = lambda stage, people: None) -> dict:
    """What the template shows, for ``viewer``'s audience only. The cycle is read once
    (:mod:`mentorkit.services.batch`), whatever its size."""
    audience = viewer.audience
    cycle = current_cycle(program)
    # every participant, read once: their verdicts (the counts, who is left out) and the
    # members of the groups shown
    people = {person.id: person for person, _ in batch.cycle_people(cycle)}
    progress(f"judging {len(people):,} people", len(people))
    verdicts = (eligibility.judged(program, list(people.values()))
                if audience is not Audience.GROUP else [])
    data = {"program": program.config.program, "cycle": program.config.cycle,
            "audience": str(audience), "as_of": as_of.date(), "rules": summarize(
                program, for_members=audience is not Audience.ADMINISTRATOR),
            "closed": cycle.status != "open", "counts": None, "outcomes": None,
            "left_out": [], "groups": [], "charts": {}, "attention": None,
            "has_assessments": bool(program.config.assessments)}
    purged = cycle.status == "purged"
    if audience is not Audience.GROUP:
        late = sum(1 for v in verdicts if v.late_only and v.status == "ineligible")
        data["counts"] = _counts(program, verdicts, late)
        if purged:  # the answers that told a late sign-up apart are erased
            data["counts"]["not eligible"] += data["counts"].pop("late sign-ups")
        data["outcomes"] = outcomes(program, 1 if audience is Audience.ADMINISTRATOR
                                    else FEWEST_SHOWN)
    if audience is Audience.PUBLIC:
        return data
    shown = batch.groups(cycle, SHOWN_GROUPS) if not purged else []  # its members erased
    if group is not None:
        shown = [g for g in shown if g.label == group]
    places = batch.places(shown)
    progress(f"following {len(shown):,} groups", len(people))
    standings = ({s.group.label: s for s in cadence.status(program, as_of, shown, places,
                                                           people)}
                 if audience in (Audience.ADMINISTRATOR, Audience.GROUP) else {})
    results = (assessments.results(program, shown, places)
               if audience is Audience.ADMINISTRATOR else {})
    data["groups"] = report_rows.rows(program, viewer, shown, (places, people), standings,
                                      results)
    if audience is Audience.ADMINISTRATOR and not purged:  # no one to name once purged
        data["left_out"] = _left_out(verdicts, viewer)
        data["attention"] = report_rows.attention(data["groups"], batch.cycle_flags(cycle),
                                                  len(data["left_out"]))
        progress("drawing the charts", len(people))
        data["charts"] = _charts(program, shown, (places, people), as_of, standings)
    return data


def _counts(program: Program, verdicts, late: int) -> dict[str, int]:
    """How many are at each step; ``late``: the not eligible whose only reason is a late
    sign-up, counted apart as the eligibility command lists them. A step the program does
    not have (selection) is not shown."""
    statuses = Counter(v.status for v in verdicts)
    counts = {"signed up": sum(statuses.values()),
              "eligible or further": sum(statuses[s] for s in ("eligible", "selected",
                                                               "matched", "completed")),
              # selected and waiting: who was selected and then matched counts as matched
              "selected, not yet in a group": statuses["selected"],
              "matched": statuses["matched"],
              "completed": statuses["completed"], "not eligible": statuses["ineligible"] - late,
              "late sign-ups": late, "withdrawn": statuses["withdrawn"]}
    if not selects(program):
        del counts["selected, not yet in a group"]
    return counts


def _left_out(verdicts: list[eligibility.Verdict], viewer: Viewer) -> list[dict]:
    """Who is not taking part and why, as the administrator may read the reasons."""
    found = []
    for verdict in verdicts:
        person = verdict.person
        if verdict.status in ("ineligible", "withdrawn") or verdict.reasons:
            reasons = [viewer.reason(r, person) for r in verdict.reasons]
            found.append({"name": person.name, "status": verdict.status,
                          "reasons": reasons or [verdict.status]})
    return found


def _charts(program: Program, groups: list, read: tuple, as_of: dt.datetime,
            standings: dict) -> dict:
    """The charts of what the program has: scores (and the criteria behind them, where its
    matcher scores by criteria) and cadence over the year (where it has cadence rules)."""
    found = {}
    scored = [g for g in groups if g.status != "completed"]
    if scored:
        found["scores"] = charts.score_histogram([g.score for g in scored])
        points = _contributions(program, scored, *read)
        if points:
            found["criteria"] = charts.contributions(points)
    months, counts = _contacts_by_month(program, as_of, standings)
    if months:
        found["cadence"] = charts.contacts_over_time(months, counts)
    return found


def _contributions(program: Program, groups: list, places: dict,
                   people: dict) -> dict[str, float]:
    """Mean points per group of each matching criterion, scored as the matcher scored."""
    scorer = getattr(program.matcher, "scorer", None)
    if scorer is None or not getattr(program.matcher.params, "criteria", None) or not groups:
        return {}  # a matcher without criteria (circles share topics, not points)
    scorer, fields, total = scorer(), matchable_sensitive(program), Counter()
    for group in groups:
        members = [matching_view(program, people[p.participant_id], fields)
                   for p in places[group.id]]
        total.update(scorer.contributions(members))
    return {label: points / len(groups) for label, points in total.items()}


def _contacts_by_month(program: Program, as_of: dt.datetime, standings: dict):
    """The meetings and contacts the groups logged in each month so far, by kind (in the
    program's time zone): whether groups meet, month by month. (Which groups stand where
    now is the report's first section.)"""
    cycle = program.config.cycle
    seen = Counter((c.occurred_at.strftime("%Y-%m"), c.kind) for s in standings.values()
                   for c in s.history.contacts if c.occurred_at <= as_of)
    kinds = sorted({kind for _, kind in seen})
    months, counts = [], {kind: [] for kind in kinds}
    day = cycle.academic_year_start.replace(day=1)
    while day <= min(as_of.date(), cycle.academic_year_end):
        months.append(f"{day:%b %Y}")
        for kind in kinds:
            counts[kind].append(seen[(f"{day:%Y-%m}", kind)])
        day = (day.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    return (months, counts) if seen else ([], {})


def write(program: Program, audience: Audience, as_of: dt.datetime, out: Path,
          group: str | None = None, progress: Progress = lambda stage, people: None) -> Path:
    """The report for ``audience`` (one ``group``'s for a group) as an owner-only HTML file,
    the export recorded in the audit log."""
    check_target(out)  # refused before the report is made and audited
    viewer = viewer_for(program, audience, group, purpose=str(out))
    page = write_private(out, render_report(build(program, viewer, as_of, group, progress)))
    audit_export(program, viewer.audience, 1, str(page))
    written.record(program, [page], "report")
    return page
