"""Matching as an administrator drives it: pins, forbids, stable mode, the other programs."""

from __future__ import annotations

import json

from mentorkit.storage.models import AuditEntry, Group, Membership, Participant
from tests.conftest import CONFIGS, EXAMPLES

BOTH_DATABASES = True  # every test here also runs on PostgreSQL when configured


def pairs_of(run, program: str) -> set[frozenset[str]]:
    """The proposed one-to-one pairs, as e-mail pairs."""
    found = set()
    for group in Group.select().where(Group.status == "proposed"):
        found.add(frozenset(m.participant.email for m in group.memberships))
    return found


def residency(run, tmp_path, config=None):
    run("programs", "add", config or CONFIGS / "im-residency.toml")
    run("participants", "import", "im-residency", EXAMPLES / "im-residency.csv", expect=1)
    run("eligibility", "im-residency")
    run("match", "run", "im-residency")


def test_pinned_and_forbidden_pairs_hold_on_every_rerun(run, tmp_path):
    residency(run, tmp_path)
    before = pairs_of(run, "im-residency")
    resident_a, faculty_a = sorted(sorted(p) for p in before)[0]
    faculty_b = next(p.email for p in Participant.select().where(Participant.role == "faculty")
                     if frozenset({resident_a, p.email}) not in before)
    # the resident is paired with someone else: pin them to another faculty member
    person = {p.email: p for p in Participant.select()}
    resident, faculty = ((resident_a, faculty_a) if person[resident_a].role == "resident"
                         else (faculty_a, resident_a))
    output = run("match", "pin", "im-residency", resident, faculty_b, "--reason", "asked").output
    assert "pinned together" in output
    run("match", "forbid", "im-residency", resident, faculty, "--reason", "supervisor")
    run("match", "run", "im-residency")
    after = pairs_of(run, "im-residency")
    assert frozenset({resident, faculty_b}) in after
    assert frozenset({resident, faculty}) not in after
    explanation = next(g.explanation for g in Group.select() if {m.participant.email for m in
                       g.memberships} == {resident, faculty_b})
    assert "pinned by an administrator" in explanation
    rules = json.loads(run("match", "rules", "im-residency", "--json").output)
    assert {(r["kind"], r["reason"]) for r in rules} == {("pin", "asked"),
                                                          ("forbid", "supervisor")}
    assert {"pair.pin", "pair.forbid"} <= {a.action for a in AuditEntry.select()}
    # a forbidden pair is not pinned over by mistake: it is lifted first, on purpose
    refused = run("match", "pin", "im-residency", faculty, resident, expect=1).output
    assert "forbidden from sharing a group (supervisor)" in refused and "unpin" in refused
    assert len(json.loads(run("match", "rules", "im-residency", "--json").output)) == 2
    run("match", "unpin", "im-residency", resident, faculty)
    assert run("match", "unpin", "im-residency", resident, faculty, expect=1).output.startswith(
        "Error: no pin or forbid rule")


def test_pair_rule_mistakes_are_clean_errors(run, tmp_path):
    residency(run, tmp_path)
    someone = Participant.select().first().email
    assert "no participant 'nobody@x.org'" in run(
        "match", "pin", "im-residency", someone, "nobody@x.org", expect=2).output
    assert "two different participants" in run(
        "match", "forbid", "im-residency", someone, someone, expect=1).output


def test_stable_mode_selected_in_toml_leaves_no_blocking_pair(run, tmp_path):
    config = tmp_path / "stable.toml"
    config.write_text((CONFIGS / "im-residency.toml").read_text().replace(
        "capacity = 2 ", 'mode = "stable"\ncapacity = 2 '))
    residency(run, tmp_path, config)
    assert "Stable matching" in run("programs", "show", "im-residency").output
    groups = list(Group.select().where(Group.status == "proposed"))
    assert groups and all(any("choice" in why for why in g.explanation) for g in groups)
    # brute-force stability check with the program's own scorer
    from mentorkit.services.lookup import to_person
    from mentorkit.services.programs import load_stored_program
    from mentorkit.solvers.matrix import score_matrix

    program = load_stored_program("im-residency")
    scorer = program.matcher.scorer()
    eligible = list(Participant.select().where(Participant.status == "eligible")
                    .order_by(Participant.id))  # the matcher's own order breaks ties
    mentees = [to_person(p) for p in eligible if p.role == "resident"]
    mentors = [to_person(p) for p in eligible if p.role == "faculty"]
    mentee_view = score_matrix(scorer, mentees, mentors, directed=True)
    mentor_view = score_matrix(scorer, mentors, mentees, directed=True)
    partner = {}
    held: dict[int, list[int]] = {}
    for g in groups:
        members = {m.role: m.participant_id for m in g.memberships.order_by(Membership.id)}
        partner[members["mentee"]] = members["mentor"]
        held.setdefault(members["mentor"], []).append(members["mentee"])
    index_e = {p.id: i for i, p in enumerate(mentees)}
    index_r = {p.id: j for j, p in enumerate(mentors)}

    def mentee_prefers(i, j_new, j_old):
        if j_old is None:
            return True
        a, b = mentee_view[i, index_r[j_new]], mentee_view[i, index_r[j_old]]
        return a > b or (a == b and index_r[j_new] < index_r[j_old])

    for mentee in mentees:
        for mentor in mentors:
            if partner.get(mentee.id) == mentor.id:
                continue
            if not mentee_prefers(index_e[mentee.id], mentor.id, partner.get(mentee.id)):
                continue
            current = held.get(mentor.id, [])
            if len(current) < 2:
                raise AssertionError(f"blocking pair: {mentee.name} and {mentor.name}")
            me = (mentor_view[index_r[mentor.id], index_e[mentee.id]], -index_e[mentee.id])
            worst = min((mentor_view[index_r[mentor.id], index_e[h]], -index_e[h])
                        for h in current)
            assert me < worst, f"blocking pair: {mentee.name} and {mentor.name}"


def test_circles_program_end_to_end_keeps_its_rules(run):
    run("programs", "add", CONFIGS / "peer-circles.toml")
    run("participants", "import", "peer-circles", EXAMPLES / "peer-circles.csv", expect=1)
    run("eligibility", "peer-circles")
    output = run("match", "run", "peer-circles").output
    assert "(counting bound)" in output
    for group in Group.select():
        members = [m.participant for m in group.memberships]
        assert 6 <= len(members) <= 10
        assert len({p.answers["career_stage"] for p in members}) == 1
        per_institution = {}
        for p in members:
            per_institution[p.answers["institution"]] = per_institution.get(
                p.answers["institution"], 0) + 1
        assert max(per_institution.values()) <= 2


def test_cohorts_program_end_to_end_keeps_its_rules(run):
    run("programs", "add", CONFIGS / "peer-mentoring.toml")
    run("participants", "import", "peer-mentoring", EXAMPLES / "peer-mentoring.csv", expect=1)
    run("eligibility", "peer-mentoring")
    output = run("match", "run", "peer-mentoring").output
    assert "not selected: ranked" in output and "tie at the year-3 cut-off" in output
    cohorts = [g for g in Group.select() if g.shape == "cohort"]
    selected_years = []
    for group in cohorts:
        members = [(m.role, m.participant) for m in group.memberships]
        peers = [p for role, p in members if role == "peer-mentor"]
        faculty = [p for role, p in members if role == "faculty"]
        students = [p for role, p in members if role == "student"]
        assert sorted(p.answers["year"] for p in peers) == [3, 4] and len(faculty) == 1
        assert 12 <= len(students) <= 15
        assert all(s.answers.get("faculty_mentor") == faculty[0].email for s in students)
        assert all(s.answers["track"] == "MD" for s in students)
        selected_years += [p.answers["year"] for p in peers]
    assert selected_years.count(3) <= 26 and selected_years.count(4) <= 26
    # pairs stay in their faculty mentor's learning community unless the proposal said not
    crossed = [g for g in cohorts if g.fallback]
    for group in cohorts:
        core = [m.participant for m in group.memberships if m.role != "student"]
        same = len({p.answers["learning_community"] for p in core}) == 1
        assert same or group in crossed
    assert f"{len(crossed)} mentor pairs work outside" in output or not crossed
    track = [g for g in Group.select() if g.shape == "track"]
    assert len(track) == 1
    assert {m.participant.answers["track"] for m in track[0].memberships} == {"MD/PhD"}


def test_a_run_before_eligibility_says_who_it_left_out(run):
    """A new year's sign-ups imported, eligibility not yet run: the run says so, rather than
    proposing for no one in silence."""
    run("programs", "add", CONFIGS / "peer-circles.toml")
    run("participants", "import", "peer-circles", EXAMPLES / "peer-circles.csv", expect=1)
    told = run("match", "run", "peer-circles", expect=None).output
    assert "not checked yet" in told and "mentorkit eligibility peer-circles" in told
