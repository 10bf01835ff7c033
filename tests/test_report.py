"""The HTML report, loaded in a real (headless) browser: groups and counts as the database
holds them, no script from data runs, each audience sees only what it may."""

from __future__ import annotations

import re
import stat

import pytest

from mentorkit.storage.models import Group, Participant
from tests.browser import dump_dom, needs_chromium
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


@needs_chromium
@pytest.mark.parametrize("program", PROGRAMS)
def test_the_report_shows_the_groups_and_counts_in_a_browser(run, tmp_path, program):
    matched_program(run, program, select=program == "peer-mentoring")
    out = tmp_path / "report.html"
    run("report", program, "--out", out, "--as-of", "2027-01-10")
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    dom = dump_dom(out)
    active = {g.label for g in Group.select().where(Group.status == "active")}
    shown = set(re.findall(r'<tr data-group="([^"]+)"', dom))
    assert active and shown == active
    matched = Participant.select().where(Participant.status == "matched").count()
    assert re.search(rf'data-count="matched"><b>{matched}</b>', dom)
    assert dom.count("<svg") >= 2  # the charts are drawn
    assert "<script" not in dom and "http://" not in dom.split("</head>")[0]


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
