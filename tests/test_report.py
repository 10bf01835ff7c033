"""The HTML report, loaded in a real (headless) browser: groups and counts as the database
holds them, no script from data runs, each audience sees only what it may."""

from __future__ import annotations

import datetime as dt
import re
import stat
import struct

import pytest

from mentorkit.storage.models import Group, Participant
from tests.browser import at_width, dump_dom, needs_chromium
from tests.conftest import CONFIGS, EXAMPLES, matched_program

PROGRAMS = ("im-residency", "lgbtq-triads", "peer-mentoring", "peer-circles")
XSS = ('Ada <script>document.body.dataset.pwned="1"</script>',
       'Bo "<img src=x onerror=document.body.dataset.pwned=2>',
       "Cy ' onmouseover='x")


def _hostile_export(tmp_path):
    """The im-residency example with three people whose names are markup."""
    lines = (EXAMPLES / "im-residency.csv").read_text().splitlines()
    header, rows = lines[0], lines[1:7]
    hostile = [row.replace(row.split(",")[0], '"' + name.replace('"', '""') + '"', 1)
               for row, name in zip(rows, XSS, strict=False)]
    export = tmp_path / "hostile.csv"
    export.write_text("\n".join([header, *hostile, *lines[7:]]) + "\n")
    return export


def a_year_so_far(run, program: str) -> dict[str, str]:
    """Matched, a meeting logged for every other group, one member withdrawn: the labels of
    the groups that met, with the day they met."""
    matched_program(run, program, select=program == "peer-mentoring")
    met = {}
    for group in list(Group.select().where(Group.status == "active").order_by(Group.label))[::2]:
        day = max(group.started_on, dt.date(2026, 11, 3)).isoformat()
        run("meetings", "log", program, group.label, "--when", f"{day} 18:00", "--kind", "video")
        met[group.label] = day
    return met


@needs_chromium
@pytest.mark.parametrize("program", PROGRAMS)
def test_the_report_shows_the_groups_and_counts_in_a_browser(run, tmp_path, program):
    met = a_year_so_far(run, program)
    out = tmp_path / "report.html"
    run("report", program, "--out", out, "--as-of", "2027-01-10")
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    dom = dump_dom(out)
    active = {g.label for g in Group.select().where(Group.status == "active")}
    shown = set(re.findall(r'<tr data-group="([^"]+)"', dom))
    assert active and shown == active
    matched = Participant.select().where(Participant.status == "matched").count()
    assert re.search(rf'data-count="matched"><b>{matched}</b>', dom)
    assert 'id="chart-scores"' in dom and 'id="chart-cadence"' in dom  # the charts are drawn
    assert "…" not in dom and "..." not in "".join(re.findall(r"<text[^>]*>([^<]*)<", dom))
    assert "<script" not in dom and "http://" not in dom.split("</head>")[0]
    for label, day in met.items():  # per group: the last meeting, and what is due next
        row = re.search(rf'<tr data-group="{label}".*?</tr>', dom, re.S).group(0)
        assert f'data-last-meeting="{day}"' in row and "data-next-due=" in row


def test_what_needs_attention_comes_first(run, tmp_path):
    a_year_so_far(run, "lgbtq-triads")
    triad = next(g for g in Group.select().where(Group.status == "active")
                 if len(g.current_memberships()) == 3)
    leaving = triad.current_memberships()[0].participant
    run("participants", "withdraw", "lgbtq-triads", leaving.email, "--on", "2026-11-04")
    out = tmp_path / "report.html"
    run("report", "lgbtq-triads", "--out", out, "--as-of", "2027-01-10")
    page = out.read_text()
    assert page.index('id="needs-attention"') < page.index('id="counts"')
    overdue = [line for line in run("cadence", "status", "lgbtq-triads", "--as-of",
                                    "2027-01-10", "--only", "overdue").output.splitlines()
               if line.startswith("lgbtq-triads-")]
    tile = re.search(r'data-attention="overdue"[^>]*><b>(\d+)</b>', page)
    assert int(tile.group(1)) == len(overdue) > 0
    flags = re.search(r'data-attention="open-flags"[^>]*><b>(\d+)</b>.*?</li>', page, re.S)
    assert int(flags.group(1)) == 1 and triad.label in flags.group(0)
    left = re.search(r'data-attention="left-out"[^>]*><b>(\d+)</b>', page)
    assert int(left.group(1)) == page.count("<tr><th scope=\"row\">", page.index("left-out"))
    first = re.findall(r'<tr data-group="([^"]+)"', page)[0]  # overdue or flagged first
    assert first in [line.split(":")[0] for line in overdue] or first == triad.label


@needs_chromium
@pytest.mark.parametrize("width", [1400, 360])
def test_the_report_fits_the_window_at_any_width(run, tmp_path, width):
    """Screenshots at a wide and a phone's width; no element reaches past the window's edge
    (measured by the browser: the report runs no script), and the charts use the width
    they are given."""
    a_year_so_far(run, "im-residency")
    out = tmp_path / "report.html"
    run("report", "im-residency", "--out", out, "--as-of", "2027-01-10")
    png = tmp_path / f"report-{width}.png"
    found = at_width(out, width, 2000, MEASURE, png)
    assert struct.unpack(">II", png.read_bytes()[16:24]) == (width, 2000)
    assert found["over"] == [], f"past the window's edge at {width} px: {found['over']}"
    assert found["scroll"] <= found["client"]  # nothing to scroll sideways
    charts = found["charts"]
    assert len(charts) == 3 and all(w <= found["client"] for w in charts)
    if width > 1000:  # side by side, across the window's width
        assert sum(charts) > 0.8 * width


MEASURE = """(() => {
  const client = document.documentElement.clientWidth, over = [];
  for (const el of document.querySelectorAll("body *")) {
    const box = el.getBoundingClientRect();
    if (box.width && (box.right > client + 1 || box.left < -1))
      over.push(el.tagName + (el.id ? "#" + el.id : "") + " " + Math.round(box.right));
  }
  return {client, over: over.slice(0, 8), scroll: document.documentElement.scrollWidth,
          charts: [...document.querySelectorAll("figure svg")].map(
            svg => svg.getBoundingClientRect().width)};
})()"""


@needs_chromium
def test_names_with_markup_render_as_text_and_run_nothing(run, tmp_path):
    run("programs", "add", CONFIGS / "im-residency.toml")
    run("participants", "import", "im-residency", _hostile_export(tmp_path), expect=None)
    run("eligibility", "im-residency")
    run("match", "run", "im-residency")
    run("match", "accept", "im-residency", "--starts-on", "2026-10-01")
    for audience in ("administrator", "participants"):
        out = tmp_path / f"{audience}.html"
        run("report", "im-residency", "--audience", audience, "--out", out)
        raw = out.read_text()
        assert "<script>document" not in raw and "<img src=x" not in raw
        dom = dump_dom(out)
        assert "pwned" not in dom.split("<body")[1].split(">")[0]  # no handler ran
        if audience == "administrator":
            assert "Ada &lt;script&gt;" in dom  # shown, as text


@pytest.mark.parametrize("audience", ["public", "participants", "group"])
def test_each_audience_sees_only_what_it_may(run, tmp_path, audience):
    matched_program(run, "im-residency")
    groups = list(Group.select().where(Group.status == "active").order_by(Group.label))
    extra = ["--group", groups[0].label] if audience == "group" else []
    out = tmp_path / "report.html"
    run("report", "im-residency", "--audience", audience, "--out", out, *extra)
    page = out.read_text()
    emails = [p.email for p in Participant.select()]
    assert not any(email in page for email in emails)  # no audience but mail sees e-mails
    assert "Not taking part" not in page and "Attention:" not in page
    names_in_first = [m.participant.name for m in groups[0].current_memberships()]
    others = [m.participant.name for g in groups[1:] for m in g.current_memberships()
              if m.participant.name not in names_in_first]
    if audience == "public":
        assert not any(name in page for name in names_in_first + others)
        assert 'data-count="signed up"' in page and "<svg" not in page
    if audience == "participants":
        assert "<th>Score</th>" not in page and "shared sub-specialty:" not in page
    if audience == "group":
        assert all(name in page for name in names_in_first)
        assert not any(name in page for name in others)
        assert 'data-count=' not in page


def test_report_usage_mistakes_exit_2(run, tmp_path):
    matched_program(run, "im-residency")
    out = tmp_path / "r.html"
    assert "--group" in run("report", "im-residency", "--audience", "group", "--out", out,
                            expect=2).output
    assert "did you mean" in run("report", "im-residency", "--audience", "publik",
                                 expect=2).output
    run("report", "im-residency", "--audience", "group", "--group", "nope", expect=2)
    run("report", "nope", expect=2)
    assert not out.exists()


def test_an_assessment_answered_by_few_shows_no_means_outside_the_administrators(run,
                                                                                 tmp_path):
    """One member's answers are not the participants' (or the public's) to read as a mean."""
    from mentorkit.services.outcomes import FEWEST_SHOWN
    from mentorkit.storage.models import Relationship
    from tests.conftest import MID_YEAR, on

    matched_program(run, "lgbtq-triads")
    about = Relationship.select().first()
    responses = tmp_path / "responses.csv"
    responses.write_text(f"Email,relationship,satisfaction\n{about.first.email},"
                         f"R{about.id},1\n")
    with on(MID_YEAR):
        run("assessments", "import", "lgbtq-triads", "mid-year", responses)
        pages = {}
        for audience in ("administrator", "participants", "public"):
            out = tmp_path / f"{audience}.html"
            run("report", "lgbtq-triads", "--audience", audience, "--out", out)
            pages[audience] = out.read_text(encoding="utf-8")
    row = re.compile(r'<tr data-outcome="assessment [^"]*">.*?</tr>', re.S)
    assert "1.0" in row.search(pages["administrator"]).group()
    for audience in ("participants", "public"):
        shown = row.search(pages[audience]).group()
        assert "1 response" in shown and "1.0" not in shown
        assert f"shown from {FEWEST_SHOWN} responses" in shown


def test_the_selected_count_says_it_counts_those_still_waiting_for_a_group(run, tmp_path):
    """After matching, no one selected is still waiting: the count says so in its label,
    rather than reading "0 selected" beside a selection of 54."""
    matched_program(run, "peer-mentoring", select=True)
    waiting = Participant.select().where(Participant.status == "selected").count()
    out = tmp_path / "public.html"
    run("report", "peer-mentoring", "--audience", "public", "--out", out)
    page = out.read_text()
    assert f'data-count="selected, not yet in a group"><b>{waiting}</b>' in page
    assert 'data-count="selected"' not in page


@pytest.mark.parametrize("audience", ["group", "participants", "public"])
def test_a_report_for_members_or_the_public_names_no_key_or_command(run, tmp_path, audience):
    """The rules in a members' or the public's report read as the program's own words: no
    program key, rule component, question key, source file name or command; the
    administrators' report keeps them (they edit the file)."""
    matched_program(run, "peer-mentoring", select=True)
    group = Group.select().where(Group.status == "active").first().label
    out = tmp_path / f"{audience}.html"
    run("report", "peer-mentoring", "--audience", audience,
        *(["--group", group] if audience == "group" else []), "--out", out)
    text = out.read_text(encoding="utf-8")
    for internal in ("[peer-mentoring]", "[field-in]", "[cohorts]", "application_score",
                     "Source document", "`mentorkit", "contacts-per-month:"):
        assert internal not in text, internal
    admin = tmp_path / "admin.html"
    run("report", "peer-mentoring", "--out", admin)
    assert "[field-in]" in admin.read_text(encoding="utf-8")
