"""Each shipped program: its rules are shown, and a copied, edited TOML changes behaviour as
edited, without code (what an institution does to adopt a program)."""

from __future__ import annotations

from collections import Counter

import pytest

from mentorkit.storage.models import Group
from tests.conftest import EXAMPLES

PROGRAMS = ["im-residency", "lgbtq-triads", "peer-mentoring", "peer-circles"]


def adopt(run, tmp_path, program: str, edits: list[tuple[str, str]]) -> str:
    """Copy a shipped program under the same key, apply text edits, run it on its example
    data; returns the match output."""
    copy = tmp_path / f"{program}.toml"
    run("programs", "copy", program, copy)
    text = copy.read_text()
    for old, new in edits:
        assert old in text, f"{old!r} not in the copied file"
        text = text.replace(old, new, 1)
    copy.write_text(text)
    run("programs", "validate", copy)
    run("programs", "add", copy)
    run("participants", "import", program, EXAMPLES / f"{program}.csv", expect=1)
    run("eligibility", program)
    return run("match", "run", program).output


def members(group: Group) -> list:
    return [m.participant for m in group.memberships]


@pytest.mark.parametrize("program", PROGRAMS)
def test_every_program_shows_its_goals_and_resources(run, program):
    shown = run("programs", "show", program).output
    assert "SMART goals per mentee" in shown and "Resources:" in shown
    assert "[podcast]" in run("programs", "resources", program).output
    assert "Timely: by which date?" in run("programs", "goals", program).output


def test_residency_capacity_edit_takes_effect(run, tmp_path):
    adopt(run, tmp_path, "im-residency", [("capacity = 2", "capacity = 1")])
    load = Counter(m.participant_id for g in Group.select() for m in g.memberships
                   if m.role == "mentor")
    assert load and max(load.values()) == 1


def test_triads_without_fallback_form_no_pairs(run, tmp_path):
    output = adopt(run, tmp_path, "lgbtq-triads",
                   [('component = "triads"',
                     'component = "triads"\nfallback_to_pairs = false')])
    assert {g.shape for g in Group.select()} == {"triad"}
    assert "Unmatched" in output


def test_peer_mentoring_selection_size_edit_takes_effect(run, tmp_path):
    output = adopt(run, tmp_path, "peer-mentoring",
                   [("select_per_year = 26", "select_per_year = 20")])
    cohorts = [g for g in Group.select() if g.shape == "cohort"]
    assert len(cohorts) <= 20 and "(top 20 selected)" in output


def test_peer_circles_size_and_cap_edits_take_effect(run, tmp_path):
    adopt(run, tmp_path, "peer-circles", [("size = [6, 10]", "size = [4, 5]"),
                                           ("target_size = 8", "target_size = 5"),
                                           ("max_per_institution = 2", "max_per_institution = 1")])
    for group in Group.select():
        people = members(group)
        assert 4 <= len(people) <= 5
        assert max(Counter(p.answers["institution"] for p in people).values()) == 1


@pytest.mark.parametrize("program", PROGRAMS)
def test_every_program_runs_end_to_end_to_cadence_status(run, program):
    run("programs", "add", program)
    run("participants", "import", program, EXAMPLES / f"{program}.csv", expect=1)
    run("eligibility", program)
    if program == "peer-mentoring":
        run("participants", "select", program)
    run("match", "run", program)
    run("match", "accept", program, "--starts-on", "2026-09-01")
    group = Group.select().where(Group.status == "active").order_by(Group.label).first()
    run("meetings", "log", program, group.label, "--when", "2026-09-10", "--kind", "video")
    import json as _json

    rows = _json.loads(run("cadence", "status", program, "--as-of", "2026-12-15",
                           "--json").output)
    assert len(rows) == Group.select().where(Group.status == "active").count()
    assert all(row["findings"] for row in rows)  # every group judged under every rule


def test_a_copy_keeps_the_file_as_written_and_takes_edits(run, tmp_path):
    from tests.conftest import CONFIGS

    copy = tmp_path / "ours.toml"
    run("programs", "copy", "im-residency", copy, "--key", "ours", "--name", "Ours")
    text, original = copy.read_text(), (CONFIGS / "im-residency.toml").read_text()
    comments = [line for line in original.splitlines() if line.lstrip().startswith("#")]
    assert comments and all(line in text for line in comments)
    assert 'key = "ours"' in text and "values = {}" not in text  # no default written out
    assert text.count("shown_to") == original.count("shown_to")
    edited = text.replace('name = "role"\n', 'name = "role"\nvalues = { "1" = "resident" }\n', 1)
    assert edited != text
    copy.write_text(edited)
    run("programs", "validate", copy)
