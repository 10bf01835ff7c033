"""A participant's year: withdraw, change of match (re-matching only the affected), continue,
and closing a cycle."""

from __future__ import annotations

import json

from mentorkit.services.flags import attention
from mentorkit.storage.models import AuditEntry, Cycle, Group, Membership, Participant
from tests.conftest import CONFIGS, EXAMPLES, matched_program

BOTH_DATABASES = True  # every test here also runs on PostgreSQL when configured


def active_groups() -> dict[str, frozenset[int]]:
    return {g.label: frozenset(m.participant_id for m in g.memberships if m.left_at is None)
            for g in Group.select().where(Group.status == "active")}


def test_withdrawal_keeps_the_data_and_flags_the_group(run):
    matched_program(run, "im-residency")
    membership = Membership.select().where(Membership.role == "mentee").first()
    person = membership.participant
    output = run("participants", "withdraw", "im-residency", person.email).output
    assert "needs attention" in output
    person = Participant.get_by_id(person.id)
    assert person.status == "withdrawn" and person.answers  # kept, not deleted
    group = Group.get_by_id(membership.group_id)
    # a pair left with one person ends, and frees them to be matched again
    assert "withdrew" in attention(group) and group.status == "dissolved"
    partner = next(m.participant for m in group.memberships if m.participant_id != person.id)
    assert Participant.get_by_id(partner.id).status == "eligible"
    assert "free to be matched again" in attention(group)
    shown = json.loads(run("match", "show", "im-residency", "--json").output)
    assert any(row["attention"] and any(m["left"] for m in row["members"]) for row in shown)
    statuses = [e.detail for e in AuditEntry.select().where(AuditEntry.action ==
                                                            "participant.status")]
    assert any({"old": "matched", "new": "withdrawn", "program": "im-residency",
                "reason": ""}.items() <= detail.items() and detail.get("on") for detail in statuses)
    again = run("participants", "withdraw", "im-residency", person.email, expect=1).output
    assert "already withdrawn" in again


def test_a_change_request_rematches_only_the_people_it_frees(run):
    matched_program(run, "im-residency")
    before = active_groups()
    label = sorted(before)[0]
    mentee = next(m.participant for m in Group.get(Group.label == label).memberships
                  if m.role == "mentee")
    mentor = next(m.participant for m in Group.get(Group.label == label).memberships
                  if m.role == "mentor")
    output = run("match", "change", "im-residency", mentee.email, "--reason", "fit").output
    assert "Freed for re-matching" in output
    assert Group.get(Group.label == label).status == "dissolved"
    proposal = run("match", "run", "im-residency").output
    assert "already in active groups, which stay as they are" in proposal
    run("match", "accept", "im-residency")
    after = active_groups()
    unchanged = {k: v for k, v in before.items() if k != label}
    assert all(after[k] == v for k, v in unchanged.items())  # every other group as it was
    new = [v for k, v in after.items() if k not in before]
    assert any(mentee.id in v for v in new)  # the requester has a new match
    assert not any(v == frozenset({mentee.id, mentor.id}) for v in new)  # not the old one
    load: dict[int, int] = {}
    for group in Group.select().where(Group.status == "active"):
        for m in group.memberships:
            if m.role == "mentor" and m.left_at is None:
                load[m.participant_id] = load.get(m.participant_id, 0) + 1
    assert max(load.values()) <= 2  # capacity still holds across old and new groups


def test_closing_a_cycle_carries_continuing_groups_only_where_the_program_says(run):
    matched_program(run, "lgbtq-triads")
    groups = list(Group.select().where(Group.status == "active").order_by(Group.label))
    keep = groups[0]
    kept_emails = {m.participant.email for m in keep.memberships}
    run("match", "continue", "lgbtq-triads", keep.label)
    output = run("cycles", "close", "lgbtq-triads", "--yes").output
    assert f"{len(groups)} groups completed, 1 continues into 2027-2028" in output
    old, new = Cycle.select().order_by(Cycle.starts_on)
    assert old.status == "closed" and new.label == "2027-2028"
    assert {g.status for g in Group.select().where(Group.cycle == old)} == {"completed"}
    carried = Group.get((Group.cycle == new) & (Group.label == keep.label))
    assert carried.status == "active"
    assert {m.participant.email for m in carried.memberships} == kept_emails
    assert all(m.participant.cycle_id == new.id for m in carried.memberships)
    newcomers = Participant.select().where(Participant.cycle == new)
    # lgbtq-triads carries only its continuing groups (cycle.carry = "continuing"): anyone
    # else is matched again, and so disclosed to a new group, only by signing up again
    assert {p.email for p in newcomers} == kept_emails
    assert {p.status for p in Participant.select().where(
        (Participant.cycle == old) & Participant.email.in_(kept_emails))} == {"completed"}
    listed = json.loads(run("cycles", "list", "lgbtq-triads", "--json").output)
    assert [c["status"] for c in listed] == ["closed", "open"]
    # the next cycle runs as usual: sign-ups, eligibility under the shifted dates, matching
    assert "2027-10-10" in run("programs", "show", "lgbtq-triads").output
    run("participants", "import", "lgbtq-triads", EXAMPLES / "lgbtq-triads.csv", expect=1)
    run("eligibility", "lgbtq-triads")
    run("match", "run", "lgbtq-triads")
    # a label names one group in the program's history (audits, notes, letters): the new
    # year's groups never take the label of one of last year's, only a continuation does
    last_year = {g.label for g in Group.select().where(Group.cycle == old)}
    proposed = {g.label for g in Group.select().where((Group.cycle == new)
                                                      & (Group.status == "proposed"))}
    assert proposed and not proposed & last_year


def test_continuation_is_refused_where_the_program_does_not_offer_it(run):
    matched_program(run, "im-residency")
    label = Group.select().first().label
    output = run("match", "continue", "im-residency", label, expect=1).output
    assert "does not offer continuation" in output


def test_selection_marks_the_top_applicants_and_matching_uses_them(run):
    run("programs", "add", CONFIGS / "peer-mentoring.toml")
    run("participants", "import", "peer-mentoring", EXAMPLES / "peer-mentoring.csv", expect=1)
    run("eligibility", "peer-mentoring")
    dry = run("participants", "select", "peer-mentoring", "--dry-run").output
    assert "Selected: 54" in dry and Participant.select().where(
        Participant.status == "selected").count() == 0  # 26 a year, and the MD/PhD track's 2
    assert "2 MD/PhD peer-mentors are selected by their track" in dry
    output = run("participants", "select", "peer-mentoring").output
    assert "tie at the year-3 cut-off" in output and "ranked 27 of 31" in output
    selected = {p.id for p in Participant.select().where(Participant.status == "selected")}
    assert len(selected) == 54
    run("match", "run", "peer-mentoring")
    run("match", "accept", "peer-mentoring")
    peers = {m.participant_id for m in Membership.select().join(Group).where(
        (Membership.role == "peer-mentor") & (Group.shape == "cohort"))}
    assert peers <= selected  # only the selected lead cohorts
    assert all(Participant.get_by_id(i).status == "matched" for i in peers)
    changes = {(e.detail["old"], e.detail["new"]) for e in AuditEntry.select().where(
        AuditEntry.action == "participant.status")}
    assert {("eligible", "selected"), ("selected", "matched")} <= changes


def test_select_on_a_program_that_does_not_select_is_a_clean_error(run):
    run("programs", "add", CONFIGS / "im-residency.toml")
    output = run("participants", "select", "im-residency", expect=1).output
    assert "does not select" in output


def test_the_unmatched_list_shows_who_a_change_of_match_freed(run):
    matched_program(run, "lgbtq-triads")
    triad = Group.select().where((Group.status == "active") & (Group.shape == "triad")).first()
    leaving = triad.current_memberships()[0].participant
    run("match", "change", "lgbtq-triads", leaving.email)
    listed = json.loads(run("participants", "list", "lgbtq-triads", "--unmatched",
                            "--json").output)
    ids = {row["id"] for row in listed}
    assert leaving.id in ids  # left a group: in none now
    assert not ids & {m.participant_id for g in Group.select().where(Group.status == "active")
                      for m in g.current_memberships()}


def test_a_closed_cycle_is_kept_for_the_record_and_no_longer_changes(run, tmp_path):
    matched_program(run, "im-residency")
    person = Participant.select().where(Participant.status == "matched").first()
    run("cycles", "close", "im-residency", "--yes")
    old_file = CONFIGS / "im-residency.toml"  # the closed year's file
    refused = run("programs", "add", old_file, expect=1).output
    assert "cycle 2026-2027 is closed" in refused and "programs copy" in refused
    withdrawn = run("participants", "withdraw", old_file, person.email, expect=1).output
    assert "is closed" in withdrawn and "open cycle is 2027-2028" in withdrawn
    run("participants", "import", old_file, EXAMPLES / "im-residency.csv", expect=1)
    assert Participant.get_by_id(person.id).status == "completed"  # untouched
    program = Participant.get_by_id(person.id).program
    assert [c.label for c in Cycle.select().where(Cycle.program == program)
            .order_by(Cycle.starts_on)] == ["2026-2027", "2027-2028"]
    run("match", "show", old_file)  # reading the closed year is fine
    shown = run("cycles", "list", "im-residency").output
    assert "closed" in shown and "open" in shown


def test_a_group_that_loses_a_member_is_scored_for_the_members_it_has(run):
    """The score shown and reported is the group's as it is now: a circle whose member
    left is scored on the topics the others share, not the departed member's too."""
    from collections import Counter

    matched_program(run, "peer-circles")

    def shared_topic_pairs(people) -> float:  # the circle's score, counted independently
        counts = Counter(t for person in people for t in person.answers.get("topics") or [])
        return float(sum(n * (n - 1) / 2 for n in counts.values()))

    circles = [g for g in Group.select().where(Group.status == "active")
               if len(g.current_memberships()) > 3]
    circle = max(circles, key=lambda g: g.score)
    members = [m.participant for m in circle.current_memberships()]
    assert circle.score == shared_topic_pairs(members)  # as formed
    leaver = max(members, key=lambda p: len(p.answers.get("topics") or []))
    run("participants", "withdraw", "peer-circles", leaver.email)
    circle = Group.get_by_id(circle.id)
    staying = [m.participant for m in circle.current_memberships()]
    assert leaver.id not in {p.id for p in staying}
    assert circle.score == shared_topic_pairs(staying) < shared_topic_pairs(members)
    shown = json.loads(run("match", "show", "peer-circles", "--json").output)
    assert next(row for row in shown if row["group"] == circle.label)["score"] == circle.score


def test_a_withdrawn_peer_mentor_is_replaced_by_the_steps_the_withdrawal_names(run):
    """In a program that selects, the place a peer mentor leaves is filled by selecting
    again, then matching: the withdrawal says both, in that order."""
    matched_program(run, "peer-mentoring", select=True)
    place = next(m for m in Membership.select().where(Membership.role == "peer-mentor")
                 if m.participant.answers.get("track") == "MD")  # MD/PhD: a track of its own
    label = place.group.label
    output = run("participants", "withdraw", "peer-mentoring", place.participant.email).output
    said = " ".join(output.split())
    assert said.index("`mentorkit participants select peer-mentoring`") < said.index(
        "`mentorkit match run peer-mentoring`")
    run("participants", "select", "peer-mentoring")
    proposal = " ".join(run("match", "run", "peer-mentoring").output.split())
    assert f"joins {label}" in proposal
