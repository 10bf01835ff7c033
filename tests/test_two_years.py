"""Two years of every shipped program, as a new coordinator runs them (issue 21).

Year one: sign-up, eligibility, selection, matching, introductions by mail, a withdrawal and
a change of match, flags, continuation, closing; the closed year read back with --cycle; a
purge of it before anyone signs up again; year two: the same people sign up again, matching
keeps earlier groups apart and continued groups as they were; finally the first year is
purged and the second is untouched. Each step asserts one of the issue's observations, named
in a comment ("obs. N").
"""

from __future__ import annotations

import csv
import json
import shutil
import tomllib

import pytest

from mentorkit.services.flags import attention
from mentorkit.storage.models import Cycle, Flag, Group, Membership, Participant, Relationship
from tests.conftest import CONFIGS, EXAMPLES, MID_YEAR, YEAR_END, on, on_postgres
from tests.test_mail import Collector, authenticate, certificate, server_context, smtp, start

__all__ = ["Collector", "authenticate", "certificate", "server_context", "smtp", "start"]

BOTH_DATABASES = True
PROGRAMS = ["im-residency", "lgbtq-triads", "peer-mentoring", "peer-circles"]
FIRST, SECOND = "2026-2027", "2027-2028"


def dates(program: str) -> dict:
    return tomllib.loads((CONFIGS / f"{program}.toml").read_text())["cycle"]


def export(tmp_path, program: str):
    target = tmp_path / f"{program}-signups.csv"
    shutil.copy(EXAMPLES / f"{program}.csv", target)
    return target


def year_one(run, tmp_path, program: str, signups=None) -> None:
    run("programs", "add", program)
    run("participants", "import", program, signups or export(tmp_path, program), expect=None)
    run("eligibility", program)
    if program == "peer-mentoring":
        run("participants", "select", program)
    run("match", "run", program)
    run("match", "accept", program, "--starts-on", dates(program)["match_by"])


def groups_of(label: str, statuses=("active",)) -> dict[str, Group]:
    return {g.label: g for g in Group.select().join(Cycle).where(
        (Cycle.label == label) & Group.status.in_(list(statuses)))}


def members(group: Group) -> list[Participant]:
    return [m.participant for m in group.current_memberships()]


def people_of(group: Group) -> frozenset[int]:
    """The group's current members by who they are across cycles."""
    return frozenset(p.person_id for p in members(group))


def largest(label: str) -> Group:
    """The cycle's active group with the most members (the lowest label among equals)."""
    return max(sorted(groups_of(label).values(), key=lambda g: g.label),
               key=lambda g: len(g.current_memberships()))


def earlier_pairs(label: str) -> set[frozenset[int]]:
    pairs = set()
    for group in groups_of(label, ("active", "completed")).values():
        ids = sorted(people_of(group))
        pairs |= {frozenset((a, b)) for n, a in enumerate(ids) for b in ids[n + 1:]}
    return pairs


@pytest.mark.parametrize("program", PROGRAMS)
def test_two_years_of_a_program(run, tmp_path, program, smtp, monkeypatch, db_path):
    handler, url = smtp
    monkeypatch.setenv("MENTORKIT_SMTP_URL", url)
    year_one(run, tmp_path, program)
    first_groups = {label: people_of(g) for label, g in groups_of(FIRST).items()}
    assert first_groups

    # one welcome to each person, naming every group they are in, once
    welcomed = run("notify", program, "intro", "--send").output
    people_now = len({m.participant_id for g in groups_of(FIRST).values()
                      for m in g.current_memberships()})
    assert f"Sent {people_now} intro" in welcomed

    # obs. 4 and 5: a member of the largest group withdraws (dated), another asks to change
    group = largest(FIRST)
    leaver, changer, *rest = members(group)
    day = dates(program)["match_by"]
    withdrawn_on = f"{day.year}-{day.month:02d}-{min(day.day + 5, 28):02d}"
    run("participants", "withdraw", program, leaver.email, "--on", withdrawn_on)
    flags = [f.text for f in Flag.select().where(Flag.group == group)]
    assert any(f"withdrew on {withdrawn_on}" in text for text in flags)
    if len(rest) >= 2:  # the group holds on with three or more
        run("match", "change", program, changer.email, "--group", group.label)
        texts = [f.text for f in Flag.select().where((Flag.group == group) & Flag.open())]
        assert len(texts) >= 2 and any("withdrew" in t for t in texts) and any(
            "asked to change" in t for t in texts)  # the second flag did not hide the first
        group = Group.get_by_id(group.id)
        assert leaver.name not in " ".join(group.explanation)  # the why is asked anew
        assert changer.name not in " ".join(group.explanation)
        assert all(r.first_id not in (leaver.id, changer.id) and r.second_id not in (
            leaver.id, changer.id) for r in group.relationships.where(Relationship.current()))
        before = len(handler.received)
        told = run("notify", program, "intro", "--send").output
        letters = handler.received[before:]
        assert "Sent" in told and letters
        assert all("has changed" in m["Subject"] for _, m, _ in letters)  # never a 2nd welcome
        told_to = [m["To"].addresses[0].addr_spec for _, m, _ in letters]
        # the remaining members, not the leavers; each once, told of both changes
        assert sorted(told_to) == sorted(p.email for p in rest)
        for _, message, _ in letters:
            body = message.get_body().get_content()
            assert f"{leaver.name} (" in body and f"{changer.name} (" in body, body
        assert "Nothing new" in run("notify", program, "intro", "--send").output
    elif not rest:  # a pair ends with a withdrawal: the one left is told, once
        before = len(handler.received)
        run("notify", program, "intro", "--send")
        letters = handler.received[before:]
        assert [(m["To"].addresses[0].addr_spec, "has ended" in m["Subject"])
                for _, m, _ in letters] == [(changer.email, True)]
        assert "Nothing new" in run("notify", program, "intro", "--send").output
    else:  # a triad goes on as a pair: both are told, and not welcomed again
        before = len(handler.received)
        run("notify", program, "intro", "--send")
        letters = handler.received[before:]
        assert sorted((m["To"].addresses[0].addr_spec, "has changed" in m["Subject"])
                      for _, m, _ in letters) == sorted(
            [(changer.email, True), (rest[0].email, True)])

    # obs. 6: close, then read the closed year
    if dates(program).get("continuation"):
        kept = next(label for label, g in groups_of(FIRST).items()
                    if len(g.current_memberships()) >= 3 and label != group.label)
        run("match", "continue", program, kept)
    met_label = next(iter(groups_of(FIRST)))
    run("meetings", "log", program, met_label, "--when", f"{day} 18:00")
    run("cycles", "close", program, "--yes")
    shown = json.loads(run("match", "show", program, "--cycle", FIRST, "--json").output)
    assert {row["group"] for row in shown if row["status"] == "completed"} >= set(
        groups_of(FIRST, ("completed",)))
    status = json.loads(run("cadence", "status", program, "--cycle", FIRST, "--json").output)
    assert {row["group"] for row in status} == set(groups_of(FIRST, ("completed",)))
    met = run("meetings", "list", program, met_label, "--cycle", FIRST).output
    assert "in-person" in met
    report = tmp_path / "year-end.html"
    run("report", program, "--cycle", FIRST, "--out", report)
    assert "The year&#39;s outcomes" in report.read_text() or "The year's outcomes" in \
        report.read_text()

    # a one-year program carries only its continuing groups: no one else is matched (and so
    # disclosed) again without signing up again
    if dates(program).get("carry") == "continuing":
        assert {p.person_id for p in Participant.select().join(Cycle).where(
            Cycle.label == SECOND)} == set(first_groups[kept])

    # obs. 5: a continued group keeps its members, not last year's flags or notes
    if dates(program).get("continuation"):
        carried = Group.get((Group.label == kept) & (Group.status == "active"))
        assert carried.continued_from.label == kept
        assert attention(carried) is None
        assert people_of(carried) == first_groups[kept]

    # obs. 1: purging the closed year before anyone signs up again erases that year only
    carried_people = {p.id: (p.answers, p.status) for p in Participant.select().join(Cycle)
                      .where(Cycle.label == SECOND)}
    assert carried_people
    verdicts = json.loads(run("eligibility", program, "--json", "--no-update").output)
    plan = run("cycles", "purge", program, FIRST, "--now", input="n\n", expect=1).output
    assert "erases:" in plan and "participants" in plan and "nothing was erased" in plan
    run("cycles", "purge", program, FIRST, "--now", "--yes")
    assert {p.id: (p.answers, p.status) for p in Participant.select().join(Cycle)
            .where(Cycle.label == SECOND)} == carried_people
    assert json.loads(run("eligibility", program, "--json", "--no-update").output) == verdicts


@pytest.mark.parametrize("program", PROGRAMS)
def test_next_year_keeps_earlier_groups_apart_and_continued_ones_whole(run, tmp_path, program):
    year_one(run, tmp_path, program)
    continued = None
    if dates(program).get("continuation"):
        continued = largest(FIRST).label
        run("match", "continue", program, continued)
    run("cycles", "close", program, "--yes")
    before = earlier_pairs(FIRST)
    # the second sign-up: the same people again (a new year's export)
    run("participants", "import", program, export(tmp_path, program), expect=None)
    run("eligibility", program)
    if program == "peer-mentoring":
        run("participants", "select", program)
    proposal = json.loads(run("match", "run", program, "--json").output)[0]
    run("match", "accept", program, "--starts-on", dates(program)["match_by"].replace(
        year=dates(program)["match_by"].year + 1))
    again = earlier_pairs(SECOND) & before
    new_groups = {label: people_of(g) for label, g in groups_of(SECOND).items()
                  if label != continued}
    old_groups = {people_of(g) for g in groups_of(FIRST, ("completed",)).values()}
    # obs. 7: no group of two or three is formed again as it was
    assert not [ids for ids in new_groups.values() if len(ids) <= 3 and ids in old_groups]
    if program == "peer-circles":  # history allowed, 311 of 395 pairs met again (4 in 5)
        assert len(again) < len(before) / 3
    if any("were together in" in " ".join(g["why"]) for g in proposal["groups"]):
        assert any("earlier groups:" in note for note in proposal["notes"])
    if continued:  # obs. 7: a continued group gains no one from the first match
        group = Group.get((Group.label == continued) & (Group.status == "active"))
        assert not group.memberships.where(Membership.pending).exists()
        assert people_of(group) == people_of(Group.get_by_id(group.continued_from_id))
    # who was together before is the administrators' to read, never the new group's, and
    # goes with the purged year
    told = [g for g in groups_of(SECOND).values()
            if any(f"in {FIRST} too" in line for line in g.explanation)]
    if program == "peer-circles":  # a senior circle of 9 has only 9 seniors to hold it
        assert told
    out = tmp_path / "year-two"
    out.mkdir()
    run("notify", program, "intro", "--out", out / "intro")
    letters = " ".join(f.read_text(encoding="utf-8") for f in (out / "intro").glob("*.eml"))
    assert "were together in" not in letters and "matching.history" not in letters
    for group in told[:1]:
        run("report", program, "--audience", "group", "--group", group.label, "--out",
            out / "group.html")
        assert "were together in" not in (out / "group.html").read_text(encoding="utf-8")
    run("cycles", "purge", program, FIRST, "--now", "--yes")
    assert not [g.label for g in Group.select() if any(
        f"in {FIRST} too" in line for line in g.explanation)]
    assert f"in {FIRST} too" not in run("match", "show", program, "--json").output


def test_a_mentor_of_three_is_asked_about_each_relationship(run, tmp_path):
    """obs. 2 and 3: assessments and changes name one relationship."""
    config = tmp_path / "im3.toml"
    config.write_text((CONFIGS / "im-residency.toml").read_text().replace(
        "capacity = 2", "capacity = 3"))
    run("programs", "add", config)
    run("participants", "import", "im-residency", export(tmp_path, "im-residency"), expect=1)
    run("eligibility", "im-residency")
    run("match", "run", "im-residency")
    run("match", "accept", "im-residency", "--starts-on", "2026-08-01")
    places: dict[int, list[Group]] = {}
    for group in groups_of(FIRST).values():
        for m in group.current_memberships():
            if m.role == "mentor":
                places.setdefault(m.participant_id, []).append(group)
    mentor_id, mine = max(places.items(), key=lambda item: len(item[1]))
    assert len(mine) == 3
    mentor = Participant.get_by_id(mentor_id)
    out = tmp_path / "invite"
    said = run("notify", "im-residency", "assessment", "mid-year", "--out", out).output
    files = list(out.glob("*.eml"))
    assert f"Wrote {len(files)} mid-year" in said  # as many files as letters
    relationships = Relationship.select().where(Relationship.current())
    assert len(files) == 2 * relationships.count()  # one per person and relationship
    theirs = [f.read_text() for f in files if f"-{mentor.id}.eml" in f.name]
    mentees = {p.name for g in mine for p in members(g) if p.id != mentor.id}
    assert len(theirs) == 3 and {n for n in mentees for text in theirs if n in text} == mentees
    # a response must say which relationship it is about
    codes = {g.id: f"R{Relationship.get(Relationship.group == g).id}" for g in mine}
    answers = tmp_path / "responses.csv"
    answers.write_text(f"E-mail,relationship,satisfaction\n{mentor.email},,4\n"
                       f"{mentor.email},{codes[mine[1].id]},1\n")
    with on(MID_YEAR):
        output = run("assessments", "import", "im-residency", "mid-year", answers,
                     expect=1).output
    assert "line 2" in output and "has 3 relationships" in output
    status = json.loads(run("cadence", "status", "im-residency", "--as-of", "2027-01-20",
                            "--json").output)
    flagged = {row["group"] for row in status if any(r["flags"] for r in row["assessments"])}
    assert flagged == {mine[1].label}  # filed against the relationship it is about
    # obs. 3: a change names one relationship; the others stay
    refused = run("match", "change", "im-residency", mentor.email, expect=2).output
    assert "name the one to change with --with" in refused
    mentee = next(p for p in members(mine[0]) if p.id != mentor.id)
    run("match", "change", "im-residency", mentor.email, "--with", mentee.email)
    assert Group.get_by_id(mine[0].id).status == "dissolved"
    assert {Group.get_by_id(g.id).status for g in mine[1:]} == {"active"}


def test_selection_refills_only_vacancies_and_a_student_is_placed_again(run, tmp_path):
    """obs. 8: peer mentoring's selection and cohorts over the year."""
    year_one(run, tmp_path, "peer-mentoring")

    def chosen_per_year() -> dict[int, int]:
        counts: dict[int, int] = {}
        for p in Participant.select().where(Participant.role == "peer-mentor"):
            if p.status in ("selected", "matched") and p.answers.get("track") != "MD/PhD":
                counts[p.answers["year"]] = counts.get(p.answers["year"], 0) + 1
        return counts

    assert chosen_per_year() == {3: 26, 4: 26}
    peer = (Participant.select().join(Membership).join(Group)
            .where((Participant.role == "peer-mentor") & (Group.shape == "cohort"))
            .order_by(Participant.id).first())
    run("participants", "withdraw", "peer-mentoring", peer.email)
    again = json.loads(run("participants", "select", "peer-mentoring", "--json").output)[0]
    assert chosen_per_year() == {3: 26, 4: 26}  # the vacancy, and only it, is filled
    assert not Participant.select().join(Membership).where(
        Membership.current() & (Participant.status == "selected")).exists()  # matched stay
    track = [p.id for p in Participant.select() if p.answers.get("track") == "MD/PhD"
             and p.role == "peer-mentor"]
    assert set(track) <= {row["id"] for row in again["selected"]}  # MD/PhD are listed
    for note in again["notes"]:
        if "tie at the" in note:
            assert "broken by" in note
    student = (Participant.select().join(Membership).join(Group)
               .where((Participant.role == "student") & (Group.shape == "cohort"))
               .order_by(Participant.id).first())
    run("match", "change", "peer-mentoring", student.email)
    proposal = json.loads(run("match", "run", "peer-mentoring", "--json").output)[0]
    assert any(join["member"]["id"] == student.id for join in proposal["joins"])


def test_a_changed_program_file_that_breaks_the_cycle_is_refused(run, tmp_path):
    """obs. 9"""
    year_one(run, tmp_path, "peer-circles")
    changed = tmp_path / "circles.toml"
    text = (CONFIGS / "peer-circles.toml").read_text()
    changed.write_text(text.replace("size = [6, 10]", "size = [3, 5]").replace(
        "target_size = 8", "target_size = 4"))
    refused = run("programs", "add", changed, expect=1).output
    assert "would break" in refused and "more than 5 members" in refused
    assert "--force" in refused
    assert load_size() == [6, 10]  # nothing stored
    forced = run("programs", "add", changed, "--force")
    assert "stored anyway" in forced.stderr and load_size() == [3, 5]


def load_size():
    from mentorkit.services.programs import load_stored_program

    return load_stored_program("peer-circles").matcher.params.size


def test_corrections_a_late_admission_and_cadence_over_the_year(run, tmp_path):
    """obs. 10"""
    source = export(tmp_path, "im-residency")
    rows = list(csv.DictReader(source.open(encoding="utf-8")))
    fit = next(r for r in rows if r["Residency program"] == "Internal Medicine")
    late = dict(fit, **{"Full name": "Lena Late", "E-mail": "lena.late@example-hospital.org",
                        "Submitted": "08/20/2026"})
    with source.open("a", encoding="utf-8", newline="") as handle:
        csv.DictWriter(handle, fieldnames=list(rows[0])).writerow(late)
    year_one(run, tmp_path, "im-residency", source)
    lena = Participant.get(Participant.email == "lena.late@example-hospital.org")
    assert lena.status == "ineligible"
    said = run("participants", "admit", "im-residency", lena.email, "--reason",
               "paper form in time").output
    assert Participant.get_by_id(lena.id).status == "eligible" and "now eligible" in said
    # a match run straight after takes her: the admission was checked at once
    proposal = json.loads(run("match", "run", "im-residency", "--json").output)[0]
    placed = {m["name"] for g in proposal["groups"] for m in g["members"]}
    assert "Lena Late" in placed or "Lena Late" in json.dumps(proposal["unmatched"])
    said = run("participants", "correct", "im-residency", lena.email, "pgy", "2").output
    assert Participant.get_by_id(lena.id).answers["pgy"] == 2 and " 2" not in said
    bad = run("participants", "correct", "im-residency", lena.email, "pgy", "two",
              expect=1).output
    assert "not a whole number" in bad and "two" not in bad
    # every missed quarter, and what is due next by when
    quiet = next(iter(groups_of(FIRST).values()))
    rows = json.loads(run("cadence", "status", "im-residency", "--as-of", "2026-12-20",
                          "--json").output)
    finding = next(f for row in rows if row["group"] == quiet.label for f in row["findings"]
                   if f["rule"] == "meetings-per-term")
    assert "Quarter 1" in finding["message"] and "by 2026-12-31 (Quarter 2)" in \
        finding["message"]


def test_the_demo_runs_two_years_without_an_error(run, tmp_path, db_path):
    if on_postgres(db_path):
        pytest.skip("the demo makes its own SQLite database")
    output = run("demo", "--dir", tmp_path / "demo").output
    assert "Error" not in output
    for program in PROGRAMS:  # each program's second year ran, and its first was purged
        assert f"$ mentorkit match accept {program} --starts-on 2027-" in output
        assert f"$ mentorkit cycles purge {program} {FIRST} --now --yes" in output
    assert output.count(f"Purged cycle {FIRST}") == len(PROGRAMS)


def test_a_meeting_names_the_relationship_it_served(run, tmp_path):
    """Meetings attach to a relationship: a pair's own, or the two of a triad who met."""
    year_one(run, tmp_path, "lgbtq-triads")
    triad = next(g for g in groups_of(FIRST).values() if len(g.current_memberships()) == 3)
    a, b, c = members(triad)
    run("meetings", "log", "lgbtq-triads", triad.label, "--when", "2026-10-25 18:00",
        "--attendee", a.email, "--attendee", b.email)
    run("meetings", "log", "lgbtq-triads", triad.label, "--when", "2026-10-26 18:00")
    # no one is credited with a meeting of a group they had left (or not yet joined)
    run("participants", "withdraw", "lgbtq-triads", c.email, "--on", "2026-11-01")
    refused = run("meetings", "log", "lgbtq-triads", triad.label, "--when", "2026-11-05 18:00",
                  "--attendee", c.email, expect=1).output
    assert "was not a member of group" in refused and "to 2026-11-01" in refused
    from mentorkit.storage.models import Meeting

    first, whole = Meeting.select().where(Meeting.group == triad).order_by(Meeting.id)[:2]
    assert {first.relationship.first_id, first.relationship.second_id} == {a.id, b.id}
    assert whole.relationship is None  # the group as a whole


def test_a_forbidden_pair_holds_next_year_for_whoever_comes_back(run, tmp_path):
    """A mentor left without a mentee is not carried into the next year; when they sign up
    again, the pair forbidden last year is still forbidden."""
    year_one(run, tmp_path, "im-residency")
    idle = next(p for p in Participant.select().where(
        (Participant.role == "faculty") & (Participant.status == "eligible")))
    resident = next(p for p in Participant.select().where(
        (Participant.role == "resident") & (Participant.status == "matched")))
    run("match", "forbid", "im-residency", idle.email, resident.email, "--reason", "supervises")
    run("cycles", "close", "im-residency", "--yes")
    assert json.loads(run("match", "rules", "im-residency", "--json").output) == []
    run("participants", "import", "im-residency", export(tmp_path, "im-residency"), expect=None)
    rules = json.loads(run("match", "rules", "im-residency", "--json").output)
    assert [(r["kind"], {r["first"], r["second"]}, r["reason"]) for r in rules] == [
        ("forbid", {idle.email, resident.email}, "supervises")]
    run("eligibility", "im-residency")
    proposal = json.loads(run("match", "run", "im-residency", "--json").output)[0]
    pairs = [{m["id"] for m in g["members"]} for g in proposal["groups"]]
    again = {p.email: p.id for p in Participant.select().join(Cycle).where(
        Cycle.label == SECOND)}
    assert {again[idle.email], again[resident.email]} not in pairs


def test_responses_about_an_ended_relationship_or_a_closed_year_are_taken(run, tmp_path):
    year_one(run, tmp_path, "im-residency")
    pair = next(iter(groups_of(FIRST).values()))
    _, mentee = (m.participant for m in sorted(
        pair.current_memberships(), key=lambda m: m.role != "mentor"))
    code = f"R{Relationship.get(Relationship.group == pair).id}"
    run("match", "change", "im-residency", mentee.email)  # the relationship ends
    answers = tmp_path / "mid.csv"
    answers.write_text(f"Email,relationship,satisfaction\n{mentee.email},{code},2\n")
    with on(MID_YEAR):
        run("assessments", "import", "im-residency", "mid-year", answers)
    other = next(g for g in groups_of(FIRST).values() if g.id != pair.id)
    late = other.current_memberships()[0].participant
    run("cycles", "close", "im-residency", "--yes")
    answers.write_text(f"Email,satisfaction\n{late.email},5\n")
    with on(YEAR_END):  # a closed year's late responses, once its end-of-year opened
        run("assessments", "import", "im-residency", "end-of-year", answers, "--cycle", FIRST)
    listed = json.loads(run("assessments", "list", "im-residency", "--cycle", FIRST,
                            "--json").output)
    assert {row["name"]: row["responses"] for row in listed} == {"mid-year": 1,
                                                                 "end-of-year": 1}
