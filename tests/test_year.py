"""A coordinator's year on every group shape: freed people are placed again without touching
other groups; empty runs say why and keep the proposal; pins already kept are not reported."""

from __future__ import annotations

import csv
import json

from mentorkit.services.flags import attention
from mentorkit.storage.models import Cycle, Group, Membership, Participant
from tests.conftest import CONFIGS, EXAMPLES, matched_program

BOTH_DATABASES = True


def snapshot(program: str, *, skip: set[str] = frozenset()) -> dict[str, set[int]]:
    """Current members of every active group but ``skip``."""
    return {g.label: {m.participant_id for m in g.current_memberships()}
            for g in Group.select().where(Group.status == "active")
            if g.label.startswith(program) and g.label not in skip}


def group_of(email: str) -> Group:
    person = Participant.get(Participant.email == email)
    return next(m.group for m in Membership.select().where(
        (Membership.participant == person) & Membership.current()))


def members_by_role(label: str) -> dict[str, list[Participant]]:
    found: dict[str, list[Participant]] = {}
    for m in Group.get(Group.label == label).current_memberships():
        found.setdefault(m.role, []).append(m.participant)
    return found


def triads(run):
    matched_program(run, "lgbtq-triads")
    return [g for g in Group.select().where(Group.status == "active").order_by(Group.label)
            if g.shape == "triad"]


def test_a_freed_trainee_joins_a_triad_missing_a_trainee_and_nothing_else_moves(run):
    first, second = triads(run)[:2]
    gap = members_by_role(first.label)["trainee"][0]
    moved = members_by_role(second.label)["trainee"][0]
    run("participants", "withdraw", "lgbtq-triads", gap.email)  # first now lacks a trainee
    run("match", "change", "lgbtq-triads", moved.email)
    before = snapshot("lgbtq-triads", skip={first.label, second.label})
    output = run("match", "run", "lgbtq-triads").output
    assert f"joins {first.label}: " in output
    run("match", "accept", "lgbtq-triads")
    placed = {p.email for p in (members_by_role(first.label)["trainee"])}
    assert placed and placed != {gap.email}
    assert group_of(moved.email).label != second.label  # never back into the group they left
    assert snapshot("lgbtq-triads", skip={first.label, second.label}) == before
    assert attention(Group.get(Group.label == first.label)) is None  # the gap is filled


def test_a_freed_faculty_completes_a_fallback_pair(run):
    first = triads(run)[0]
    faculty = members_by_role(first.label)["faculty"][0]
    needy = [g for g in Group.select().where(Group.status == "active")
             if g.shape == "pair" and "faculty" not in members_by_role(g.label)]
    assert needy
    before = snapshot("lgbtq-triads", skip={first.label, *(g.label for g in needy)})
    run("match", "change", "lgbtq-triads", faculty.email)
    run("match", "run", "lgbtq-triads")
    run("match", "accept", "lgbtq-triads")
    joined = group_of(faculty.email)
    assert joined.label in {g.label for g in needy}
    assert joined.shape == "triad" and joined.fallback is None
    assert joined.explanation and not any("placed to fill" in why for why in joined.explanation)
    assert snapshot("lgbtq-triads", skip={first.label, *(g.label for g in needy)}) == before


def test_freed_and_late_peers_join_circles_with_room(run, tmp_path):
    matched_program(run, "peer-circles")
    circle = Group.select().where((Group.status == "active")
                                  & (Group.shape == "circle")).order_by(Group.label).first()
    leaving = circle.current_memberships()[0].participant
    run("match", "change", "peer-circles", leaving.email)
    before = snapshot("peer-circles")
    output = run("match", "run", "peer-circles").output
    run("match", "accept", "peer-circles")
    new_circle = group_of(leaving.email)
    assert new_circle.label != circle.label and "a circle with room" in output
    stage = leaving.answers["career_stage"]
    members = [m.participant for m in new_circle.current_memberships()]
    assert {m.answers["career_stage"] for m in members} == {stage}
    assert len(members) <= 10
    after = snapshot("peer-circles")
    changed = {label for label in before if before[label] != after[label]}
    assert changed <= {circle.label, new_circle.label}


def peer_mentoring(run):
    """Peer mentoring as its coordinator runs it: selection first, then matching."""
    matched_program(run, "peer-mentoring", select=True)


def test_a_late_student_joins_their_faculty_mentors_cohort_with_room(run, tmp_path):
    peer_mentoring(run)
    rows = list(csv.DictReader((EXAMPLES / "peer-mentoring.csv").open(encoding="utf-8")))
    room = {}
    for group in Group.select().where((Group.status == "active") & (Group.shape == "cohort")):
        members = group.current_memberships()
        faculty = next(m.participant.email for m in members if m.role == "faculty")
        room[faculty] = 15 - sum(1 for m in members if m.role == "student")
    template = next(r for r in rows if r["Role"] == "student" and r["Degree track"] == "MD"
                    and room.get(r["Faculty Mentor e-mail"], 0) > 0)
    late = dict(template, **{"Full name": "Late Student", "E-mail": "late@umassmed.example"})
    export = tmp_path / "late.csv"
    with export.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerow(late)
    run("participants", "import", "peer-mentoring", export)
    run("eligibility", "peer-mentoring")
    before = snapshot("peer-mentoring")
    run("match", "run", "peer-mentoring")
    run("match", "accept", "peer-mentoring")
    cohort = group_of("late@umassmed.example")
    assert cohort.shape == "cohort"
    assert template["Faculty Mentor e-mail"] in {m.participant.email
                                                 for m in cohort.current_memberships()}
    students = [m for m in cohort.current_memberships() if m.role == "student"]
    assert len(students) <= 15
    after = snapshot("peer-mentoring")
    assert {label for label in before if before[label] != after[label]} == {cohort.label}


def test_a_freed_selected_peer_mentor_stays_selected(run):
    peer_mentoring(run)
    peer = (Participant.select().join(Membership).join(Group)
            .where((Participant.role == "peer-mentor") & (Participant.status == "matched")
                   & (Group.shape == "cohort")).order_by(Participant.id).first())
    run("match", "change", "peer-mentoring", peer.email)
    assert Participant.get_by_id(peer.id).status == "selected"


def test_a_run_that_forms_nothing_says_why_and_keeps_the_proposal(run, tmp_path):
    run("programs", "add", CONFIGS / "im-residency.toml")
    run("participants", "import", "im-residency", EXAMPLES / "im-residency.csv", expect=1)
    early = run("match", "run", "im-residency", expect=1).output
    assert "run `mentorkit eligibility im-residency` first" in early
    assert "Stored as a proposal" not in early
    run("eligibility", "im-residency")
    run("match", "run", "im-residency")
    proposed = Group.select().where(Group.status == "proposed").count()
    assert proposed
    run("match", "accept", "im-residency")
    again = run("match", "run", "im-residency", expect=None)
    if Group.select().where(Group.status == "proposed").count() == 0:
        assert again.exit_code == 1 and "nothing formed" in again.output
        assert "Stored as a proposal" not in again.output
        accept = run("match", "accept", "im-residency", expect=1).output
        assert "no proposal to accept" in accept


def test_an_empty_run_does_not_replace_an_earlier_proposal(run):
    run("programs", "add", CONFIGS / "lgbtq-triads.toml")
    run("participants", "import", "lgbtq-triads", EXAMPLES / "lgbtq-triads.csv", expect=1)
    run("eligibility", "lgbtq-triads")
    run("match", "run", "lgbtq-triads")
    proposed = {g.label for g in Group.select().where(Group.status == "proposed")}
    Participant.update(status="applied").execute()  # as if eligibility had not run
    output = run("match", "run", "lgbtq-triads", expect=1).output
    assert "nothing formed" in output and "earlier proposal is kept" in output
    assert {g.label for g in Group.select().where(Group.status == "proposed")} == proposed


def test_a_pin_kept_by_an_active_group_is_not_reported_broken(run):
    first = triads(run)[0]
    student = members_by_role(first.label)["student"][0]
    trainee = members_by_role(first.label)["trainee"][0]
    run("match", "pin", "lgbtq-triads", student.email, trainee.email)
    output = run("match", "run", "lgbtq-triads", expect=None).output
    assert "could not be kept together" not in output


def test_meetings_before_the_group_started_or_in_the_future_are_refused(run):
    import datetime as dt

    from mentorkit.storage.models import Meeting

    matched_program(run, "im-residency")
    groups = list(Group.select().where(Group.status == "active").order_by(Group.label))
    for g in groups:
        g.started_on = dt.date(2026, 9, 1)
        g.save()
    early = run("meetings", "log", "im-residency", groups[0].label, "--when", "2026-08-20",
                expect=1).output
    assert "before group" in early and "started (2026-09-01)" in early
    later = (dt.date.today() + dt.timedelta(days=3)).isoformat()
    future = run("meetings", "log", "im-residency", groups[0].label, "--when", later,
                 expect=1).output
    assert "in the future" in future and Meeting.select().count() == 0
    # a meeting an older version let through before the start does not count either
    Meeting.create(group=groups[0], occurred_at=dt.datetime(2026, 8, 20, 12), kind="video")
    rows = {row["group"]: row["standing"] for row in json.loads(run(
        "cadence", "status", "im-residency", "--as-of", "2026-11-20", "--json").output)}
    assert rows[groups[0].label] == rows[groups[1].label]


def test_judging_after_the_cycle_ended_warns(run):
    matched_program(run, "im-residency")
    result = run("cadence", "status", "im-residency", "--as-of", "2027-08-01")
    assert "cycle 2026-2027 ended on 2027-06-30" in result.stderr
    assert "ended" not in run("cadence", "status", "im-residency", "--as-of",
                              "2026-11-01").stderr


def test_closing_a_cycle_keeps_shapes_and_flags_true_and_moves_years_on(run):
    first = triads(run)[0]
    leaver = members_by_role(first.label)["trainee"][0]
    run("participants", "withdraw", "lgbtq-triads", leaver.email)
    run("match", "continue", "lgbtq-triads", first.label)
    closing = run("cycles", "close", "lgbtq-triads", "--yes")
    assert "runs until 2027-06-30" in closing.stderr  # closed early: said so
    carried = Group.select().where((Group.label == first.label)
                                   & (Group.status == "active")).get()
    assert carried.shape == "pair" and len(carried.current_memberships()) == 2
    assert carried.continued_from_id == first.id
    assert attention(carried) is None  # last year's flag stays with last year's group
    assert "withdrew" in attention(Group.get_by_id(first.id))


def test_year_fields_advance_and_the_last_year_finishes(run):
    matched_program(run, "im-residency")
    before = {p.email: p.answers.get("pgy") for p in Participant.select()
              if p.status == "matched" and p.role == "resident"}
    output = run("cycles", "close", "im-residency", "--yes").output
    after = {p.email: p.answers.get("pgy") for p in Participant.select()
             if p.cycle.label == "2027-2028"}
    assert before and any(pgy == 3 for pgy in before.values())
    for email, pgy in before.items():
        if pgy == 3:
            assert email not in after  # finished the residency
        else:
            assert after[email] == pgy + 1
    finished = sum(1 for pgy in before.values() if pgy == 3)
    assert f"{finished} have finished" in output
    assert "pgy goes up by 1; past 3" in run("programs", "show", "im-residency").output


def test_usage_mistakes_are_exit_2_everywhere_with_suggestions(run, tmp_path):
    matched_program(run, "im-residency")
    missing = tmp_path / "nope.toml"
    assert run("programs", "validate", missing, expect=2).exit_code == 2
    assert run("participants", "import", "im-residency", tmp_path / "nope.csv",
               expect=2).exit_code == 2
    typo = run("participants", "export", "im-residency", "--audience", "participnts",
               expect=2).output
    assert "did you mean 'participants'?" in typo
    for alias in ("administrators", "participant"):  # singular or plural, both understood
        run("participants", "export", "im-residency", "--audience", alias)
    unknown = run("eligibility", "im-residncy", expect=2).output
    assert "did you mean 'im-residency'?" in unknown


def test_json_for_match_run_select_and_programs_show_and_status_only(run):
    run("programs", "add", CONFIGS / "peer-mentoring.toml")
    run("participants", "import", "peer-mentoring", EXAMPLES / "peer-mentoring.csv", expect=1)
    run("eligibility", "peer-mentoring")
    selection = json.loads(run("participants", "select", "peer-mentoring", "--json").output)[0]
    assert len(selection["selected"]) == 54 and selection["stored"]  # 26 a year, 2 MD/PhD
    proposal = json.loads(run("match", "run", "peer-mentoring", "--json").output)[0]
    assert proposal["stored"] and proposal["groups"]
    assert all(m["role"] for g in proposal["groups"] for m in g["members"])
    shown = json.loads(run("programs", "show", "peer-mentoring", "--json").output)[0]
    assert shown["config"]["matching"]["select_per_year"] == 26 and shown["rules"]
    run("match", "accept", "peer-mentoring", "--starts-on", "2026-09-01")
    rows = json.loads(run("cadence", "status", "peer-mentoring", "--as-of", "2026-11-20",
                          "--only", "overdue", "--json").output)
    assert rows and {row["standing"] for row in rows} == {"overdue"}


def test_an_out_folder_that_does_not_exist_is_a_clear_error(run, tmp_path):
    matched_program(run, "im-residency")
    label = Group.select().where(Group.status == "active").first().label
    for args in (("participants", "export", "im-residency", "--out"),
                 ("cadence", "calendar", "im-residency", label, "--out"),
                 ("cadence", "remind", "im-residency", "--out")):
        output = run(*args, tmp_path / "no" / "such" / "x", expect=1).output
        assert "there is no folder" in output and "Traceback" not in output
    assert not (tmp_path / "no").exists()


# --- found by a coordinator's walk of the year -----------------------------------------------

def test_purge_keeps_the_answers_of_people_who_signed_up_again(run):
    matched_program(run, "peer-circles")
    run("cycles", "close", "peer-circles", "--yes")
    again = run("participants", "import", "peer-circles", EXAMPLES / "peer-circles.csv",
                expect=1)
    assert "unchanged" in again.output and "last year's export" in again.stderr
    run("cycles", "purge", "peer-circles", "2026-2027", "--now", "--yes")
    live = list(Participant.select().join(Cycle).where(Cycle.label == "2027-2028"))
    assert live and all(p.answers for p in live)  # they gave their answers again


def test_a_proposal_that_went_out_of_date_is_not_accepted(run):
    run("programs", "add", CONFIGS / "im-residency.toml")
    run("participants", "import", "im-residency", EXAMPLES / "im-residency.csv", expect=1)
    run("eligibility", "im-residency")
    run("match", "run", "im-residency")
    proposed = Group.select().where(Group.status == "proposed").first()
    leaver = proposed.memberships[0].participant
    run("participants", "withdraw", "im-residency", leaver.email)
    refused = run("match", "accept", "im-residency", "--starts-on", "2026-07-31",
                  expect=1).output
    assert "out of date" in refused and leaver.name in refused
    assert Participant.get_by_id(leaver.id).status == "withdrawn"
    run("match", "run", "im-residency")
    a, b = [m.participant for m in Group.select().where(
        Group.status == "proposed").first().memberships]
    run("match", "forbid", "im-residency", a.email, b.email)
    assert "forbidden" in run("match", "accept", "im-residency", "--starts-on", "2026-07-31",
                              expect=1).output


def test_groups_cannot_start_outside_their_cycle(run):
    run("programs", "add", CONFIGS / "im-residency.toml")
    run("participants", "import", "im-residency", EXAMPLES / "im-residency.csv", expect=1)
    run("eligibility", "im-residency")
    run("match", "run", "im-residency")
    output = run("match", "accept", "im-residency", "--starts-on", "2099-01-01",
                 expect=2).output
    assert "outside the cycle" in output
    assert not Group.select().where(Group.status == "active").exists()


def test_a_mentor_who_prefers_a_pair_is_not_made_part_of_a_triad(run):
    matched_program(run, "lgbtq-triads")
    pair = next(g for g in Group.select().where(Group.status == "active")
                if g.fallback == "mentor prefers a pair")
    student = members_by_role(pair.label)["student"][0]
    mentor = members_by_role(pair.label)["faculty"][0]
    run("match", "change", "lgbtq-triads", student.email)
    run("match", "run", "lgbtq-triads", expect=None)
    joins = Membership.select().where(Membership.pending)
    assert all(not (j.participant_id == mentor.id and j.group.shape != "pair") for j in joins)
    for join in joins:
        group_members = {m.participant_id for m in join.group.current_memberships()}
        assert mentor.id not in group_members or join.group.shape == "pair"


def test_forbidden_pairs_outlive_the_year_and_pins_over_them_are_refused(run):
    matched_program(run, "im-residency")
    group = Group.select().where(Group.status == "active").first()
    mentee, mentor = [m.participant for m in group.current_memberships()]
    run("match", "forbid", "im-residency", mentee.email, mentor.email, "--reason", "supervisor")
    refused = run("match", "pin", "im-residency", mentee.email, mentor.email, expect=1).output
    assert "forbidden from sharing a group (supervisor)" in refused
    run("cycles", "close", "im-residency", "--yes")
    rules = json.loads(run("match", "rules", "im-residency", "--json").output)
    if mentee.answers.get("pgy") != 3:  # both carried: the decision stands next year
        assert [(r["kind"], r["reason"]) for r in rules] == [("forbid", "supervisor")]


def test_a_person_in_a_continuing_group_is_not_also_returned_to_the_pool(run, tmp_path):
    config = tmp_path / "im.toml"
    config.write_text((CONFIGS / "im-residency.toml").read_text().replace(
        "[cycle]\n", "[cycle]\ncontinuation = true\n", 1))
    run("programs", "add", config)
    run("participants", "import", "im-residency", EXAMPLES / "im-residency.csv", expect=1)
    run("eligibility", "im-residency")
    run("match", "run", "im-residency")
    run("match", "accept", "im-residency", "--starts-on", "2026-07-31")
    mentor = next(p for p in Participant.select().order_by(Participant.id) if len(
        [m for m in p.memberships if m.group.status == "active"]) == 2 and any(
        o.participant.answers.get("pgy") != 3 for m in p.memberships
        for o in m.group.current_memberships() if o.participant_id != p.id))  # one continues
    groups = [m.group for m in mentor.memberships if m.group.status == "active"]
    for group in groups:
        run("match", "continue", "im-residency", group.label)
    finishing = next((m.participant for g in groups for m in g.current_memberships()
                      if m.participant.answers.get("pgy") == 3), None)
    run("cycles", "close", "im-residency", "--yes")
    carried = Participant.get((Participant.email == mentor.email)
                              & (Participant.cycle != mentor.cycle))
    assert carried.status == "matched"  # in a continuing group: not back in the pool
    assert finishing is None or not Participant.select().where(
        (Participant.email == finishing.email) & (Participant.cycle != mentor.cycle)).exists()


def test_closing_a_cycle_whose_dates_are_written_as_strings(run, tmp_path):
    config = tmp_path / "im.toml"
    text = (CONFIGS / "im-residency.toml").read_text()
    config.write_text(text.replace("academic_year_start = 2026-07-01",
                                   'academic_year_start = "2026-07-01"'))
    run("programs", "add", config)
    run("cycles", "close", "im-residency", "--yes")
    assert Cycle.select().where(Cycle.label == "2027-2028").exists()


def test_an_email_taken_by_another_person_rejects_only_its_row(run, tmp_path):
    config = tmp_path / "im.toml"
    config.write_text((CONFIGS / "im-residency.toml").read_text().replace(
        "[privacy]", '[enrollment]\nmatch_on = "name"\n\n[privacy]', 1))
    run("programs", "add", config)
    first = tmp_path / "a.csv"
    first.write_text("Full name,E-mail,Role\nAda Lovelace,ada@x.org,resident\n")
    run("participants", "import", "im-residency", first)
    second = tmp_path / "b.csv"
    second.write_text("Full name,E-mail,Role\nAda King,ada@x.org,resident\n"
                      "Bob Good,bob@x.org,resident\n")
    output = run("participants", "import", "im-residency", second, expect=1).output
    assert "already another participant's" in output
    assert {p.name for p in Participant.select()} == {"Ada Lovelace", "Bob Good"}
