"""A whole year of each shipped program, as its coordinator runs it, every step checked:
sign-up with late and duplicate rows, eligibility, selection, match, accept, meetings over
the terms, a withdrawal and a change of match mid-year (re-placed where a group can take
them, every other group untouched), reminders, continuation, closing the cycle, the next
cycle with years moved on, and purging the first cycle."""

from __future__ import annotations

import csv
import datetime as dt
import json

import pytest

from mentorkit.services.flags import attention
from mentorkit.storage.models import AuditEntry, Cycle, Group, Meeting, Participant
from tests.conftest import CONFIGS, EXAMPLES

BOTH_DATABASES = True

PROGRAMS = ["im-residency", "lgbtq-triads", "peer-mentoring", "peer-circles"]
FIRST = "2026-2027"
# (the intake column a person's year is in, by how much it moves at year end) where it does
YEARS = {"im-residency": "pgy", "peer-mentoring": "year"}


def signups(tmp_path, program: str):
    """The example export with one person signing up twice (a new name on the repeat) and
    one sign-up after the deadline: the file a survey tool produces in real life."""
    source = EXAMPLES / f"{program}.csv"
    rows = list(csv.DictReader(source.open(encoding="utf-8")))
    headers = list(rows[0])
    name, email = headers[0], headers[1]
    first = next(r for r in rows if "@" in r[email] and r[name])
    repeat = dict(first, **{name: first[name] + " (again)"})
    dated = next(h for h in headers if h in ("Submitted", "RecordedDate", "Signed up"))
    late = dict(first, **{name: "Lena Late", email: f"late@{first[email].split('@')[1]}",
                          dated: "2026-11-01"})
    target = tmp_path / f"{program}-signups.csv"
    with target.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=headers)
        writer.writeheader()
        writer.writerows([*rows, repeat, late])
    return target, first[email].lower()


def active(program: str) -> dict[str, frozenset[int]]:
    return {g.label: frozenset(m.participant_id for m in g.current_memberships())
            for g in Group.select().join(Cycle).where(
                (Group.status == "active") & (Cycle.label == FIRST)
                & Group.label.startswith(program))}


def cycle_config(program: str):
    from mentorkit.kernel.program import load_program

    return load_program(CONFIGS / f"{program}.toml").config.cycle


@pytest.mark.parametrize("program", PROGRAMS)
def test_a_coordinators_year(run, tmp_path, program):
    cycle = cycle_config(program)
    run("programs", "add", program)

    # sign-up: the repeated person is enrolled once, the superseded row reported by its line;
    # good rows import
    export, twice = signups(tmp_path, program)
    imported = run("participants", "import", program, export, expect=1).output
    assert "superseded by line" in imported
    assert Participant.select().where(Participant.email == twice).count() == 1

    # eligibility: the late sign-up is listed apart, not dropped
    verdicts = json.loads(run("eligibility", program, "--json").output)
    late = next(v for v in verdicts if v["name"] == "Lena Late")
    assert late["late"] and not late["eligible"]
    assert Participant.get(Participant.name == "Lena Late").status == "ineligible"

    # selection where the program selects
    if program == "peer-mentoring":
        chosen = json.loads(run("participants", "select", program, "--json").output)[0]
        assert len(chosen["selected"]) == 54  # 26 a year, 2 MD/PhD
    else:
        run("participants", "select", program, expect=1)

    # match and accept, starting on the match-by date
    proposal = json.loads(run("match", "run", program, "--json").output)[0]
    assert proposal["groups"] and proposal["stored"]
    placed = {m["id"] for g in proposal["groups"] for m in g["members"]}
    assert late["id"] not in placed
    run("match", "accept", program, "--starts-on", cycle.match_by)
    groups = active(program)
    assert len(groups) == len(proposal["groups"])
    assert {p.status for p in Participant.select().where(Participant.id.in_(list(placed)))} \
        == {"matched"}

    # meetings over the first term, for all but the last group
    labels = sorted(groups)
    first_term = cycle.terms[0] if cycle.terms else None
    day = cycle.match_by + dt.timedelta(days=10)
    for label in labels[:-1]:
        run("meetings", "log", program, label, "--when", f"{day} 17:30", "--kind", "in-person")
        run("meetings", "log", program, label, "--when", f"{day + dt.timedelta(days=20)} 09:00",
            "--kind", "video")
    assert Meeting.select().count() == 2 * (len(labels) - 1)
    as_of = day + dt.timedelta(days=40)
    status = json.loads(run("cadence", "status", program, "--as-of", as_of, "--json").output)
    standing = {row["group"]: row["standing"] for row in status}
    assert set(standing) == set(groups)
    assert standing[labels[-1]] != "on track" or first_term is None  # it never met

    # a withdrawal mid-year: the group is flagged, nobody else moves
    leaver_group = labels[0]
    leaver = next(iter(groups[leaver_group]))
    before = active(program)
    run("participants", "withdraw", program, Participant.get_by_id(leaver).email)
    assert Participant.get_by_id(leaver).status == "withdrawn"
    flagged = Group.get(Group.label == leaver_group)
    assert "withdrew" in (attention(flagged) or "")
    after = active(program)
    assert {k: v for k, v in after.items() if k != leaver_group} == {
        k: v for k, v in before.items() if k != leaver_group}

    # a change of match mid-year: the requester is re-placed if a group can take them, and
    # only the groups concerned change
    changer_group = labels[1]
    changer = sorted(groups[changer_group])[-1]
    run("match", "change", program, Participant.get_by_id(changer).email)
    before = active(program)
    rerun = run("match", "run", program, "--json", expect=None)
    if rerun.exit_code == 0:
        again = json.loads(rerun.output)[0]
        run("match", "accept", program, "--starts-on", as_of)
        touched = {j["group"] for j in again["joins"]}
        after = active(program)
        unchanged = {k: v for k, v in before.items() if k not in touched}
        assert {k: after[k] for k in unchanged} == unchanged  # others untouched
        for join in again["joins"]:  # each join is a free person into an existing group
            assert join["member"]["id"] in after[join["group"]]
    else:
        assert "nothing formed" in rerun.output  # and it says why
    person = Participant.get_by_id(changer)
    assert person.status in ("matched", "eligible", "selected")

    # reminders: one file per member of each group due, stable names, a re-run replaces
    out = tmp_path / "reminders"
    run("cadence", "remind", program, "--as-of", as_of, "--out", out)
    files = sorted(p.name for p in out.iterdir())
    run("cadence", "remind", program, "--as-of", as_of, "--out", out)
    assert sorted(p.name for p in out.iterdir()) == files
    for name in files:
        text = (out / name).read_text()
        assert "\nTo: " in text and "\nSubject: " in text and "\nMessage-ID: <" in text

    # continuation where the program offers it
    keep = labels[2]
    if cycle.continuation:
        run("match", "continue", program, keep)
    else:
        assert "does not offer continuation" in run("match", "continue", program, keep,
                                                    expect=1).output

    # year end: groups complete, the next cycle opens, years move on
    years = YEARS.get(program)
    before_years = {p.email: p.answers.get(years) for p in Participant.select()
                    if years and p.status == "matched"}
    run("cycles", "close", program, "--yes")
    assert not active(program)
    nxt = Cycle.get(Cycle.label == "2027-2028")
    carried = {p.email: p for p in Participant.select().where(Participant.cycle == nxt)}
    assert carried
    if cycle.continuation:
        assert Group.select().where((Group.cycle == nxt) & (Group.label == keep)).exists()
    for email, year in before_years.items():
        if isinstance(year, int) and email in carried:
            assert carried[email].answers[years] == year + 1
    earlier = {p.email: p.person_id for p in Participant.select().join(Cycle)
               .where(Cycle.label == FIRST)}
    assert all(p.person_id and p.person_id == earlier[p.email] for p in carried.values())

    # the next cycle's sign-ups import into the new cycle; eligibility decides again
    run("participants", "import", program, export, expect=1)
    assert Participant.select().where(Participant.cycle == nxt).count() >= len(carried)
    run("eligibility", program)

    # purge the first cycle: personal data goes, counts stay, the open cycle keeps its own
    output = run("cycles", "purge", program, FIRST, "--now", "--yes").output
    assert "participants anonymised" in output
    old = Participant.select().join(Cycle).where(Cycle.label == FIRST)
    assert all(p.answers == {} and p.email.startswith("purged-") for p in old)
    assert AuditEntry.select().where(AuditEntry.action == "cycle.purge").exists()
