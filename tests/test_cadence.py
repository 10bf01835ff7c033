"""Cadence rules on each side of every boundary, and the cadence commands end to end."""

from __future__ import annotations

import datetime as dt
import email
import email.policy
import json
import re
import zoneinfo

import icalendar
import pytest

from mentorkit.kernel.program import load_program_text
from mentorkit.kernel.values import Contact, GroupHistory, Person, Standing
from mentorkit.storage.models import AuditEntry, Group, Meeting, Membership, Note
from tests.conftest import CONFIGS, EXAMPLES, matched_program

NY = zoneinfo.ZoneInfo("America/New_York")


def rule(program: str, name: str):
    loaded = load_program_text((CONFIGS / f"{program}.toml").read_text(), "t")
    return next(r for r in loaded.cadence if r.name == name)


def at(text: str, zone=NY) -> dt.datetime:
    return dt.datetime.fromisoformat(text).replace(tzinfo=zone)


def group(started: str, *contacts: Contact, members=()) -> GroupHistory:
    return GroupHistory("g-001", dt.date.fromisoformat(started), tuple(members), contacts)


def meeting(when: str, kind: str = "in-person", **extra) -> Contact:
    return Contact(occurred_at=at(when), kind=kind, **extra)


def standing(found) -> Standing:
    return found.standing


# meetings-per-term: LGBTQ triads, 2 in-person per semester (Fall ends 2026-12-21)
@pytest.mark.parametrize("meetings,as_of,expected", [
    (["2026-10-25"], "2026-12-21 23:00", Standing.DUE_SOON),  # last day of term: still due
    (["2026-10-25"], "2026-12-22 00:30", Standing.OVERDUE),  # the term has ended
    (["2026-10-25", "2026-12-21 18:00"], "2026-12-22 09:00", Standing.ON_TRACK),
    (["2026-10-25", "2026-12-22 10:00"], "2026-12-22 11:00", Standing.OVERDUE),  # too late
    (["2026-10-25", "2026-11-15"], "2026-11-30", Standing.ON_TRACK),
    ([], "2026-11-01", Standing.ON_TRACK),  # 50 days left, 2 due, 21 days each: not yet
    ([], "2026-11-30", Standing.DUE_SOON),  # 21 days left for 2 meetings
])
def test_meetings_per_term(meetings, as_of, expected):
    history = group("2026-10-20", *(meeting(m) for m in meetings))
    assert standing(rule("lgbtq-triads", "meetings-per-term").evaluate(history, at(as_of))) \
        == expected


def test_meetings_per_term_counts_only_its_kinds_and_reads_dates_in_the_program_zone():
    per_term = rule("lgbtq-triads", "meetings-per-term")
    video = group("2026-10-20", meeting("2026-10-25"), meeting("2026-11-15", "video"))
    assert standing(per_term.evaluate(video, at("2026-12-22 09:00"))) == Standing.OVERDUE
    # 03:00 UTC on the 22nd is 22:00 on the 21st in New York: inside the Fall term
    late_evening = Contact(dt.datetime(2026, 12, 22, 3, 0, tzinfo=dt.UTC), "in-person")
    both = group("2026-10-20", meeting("2026-10-25"), late_evening)
    assert standing(per_term.evaluate(both, at("2026-12-22 09:00"))) == Standing.ON_TRACK


# max-days-between: residency, 92 days, due soon 14 days ahead (program zone: UTC)
@pytest.mark.parametrize("as_of,expected", [
    ("2026-10-17", Standing.ON_TRACK), ("2026-10-18", Standing.DUE_SOON),
    ("2026-11-01", Standing.DUE_SOON), ("2026-11-02", Standing.OVERDUE),
])
def test_max_days_between(as_of, expected):
    utc = dt.UTC
    history = group("2026-07-20", Contact(at("2026-08-01 10:00", utc), "video"))
    found = rule("im-residency", "max-days-between").evaluate(history, at(as_of + " 12:00", utc))
    assert found.standing == expected and found.due_by == dt.date(2026, 11, 1)


# contacts-per-month: peer mentoring, from the first whole month of the group
@pytest.mark.parametrize("contacts,as_of,expected", [
    ([], "2026-08-31 12:00", Standing.ON_TRACK),  # started mid-August: owes from September
    ([], "2026-09-22 12:00", Standing.ON_TRACK),
    ([], "2026-09-23 12:00", Standing.DUE_SOON),  # 7 days to the end of September
    ([], "2026-10-01 09:00", Standing.OVERDUE),
    (["2026-09-30 23:30"], "2026-10-01 09:00", Standing.ON_TRACK),  # New York evening
    (["2026-09-10"], "2026-11-02 09:00", Standing.OVERDUE),  # October had none
])
def test_contacts_per_month(contacts, as_of, expected):
    history = group("2026-08-15", *(meeting(c, "text") for c in contacts))
    assert standing(rule("peer-mentoring", "contacts-per-month").evaluate(history, at(as_of))) \
        == expected


# reply-within: texts and calls in 24 hours, e-mails in 48
@pytest.mark.parametrize("kind,reply_after,as_of_after,expected", [
    ("text", None, 24.0, Standing.DUE_SOON),  # exactly at the limit: not late yet
    ("text", None, 24.02, Standing.OVERDUE),
    ("text", 23.0, 30.0, Standing.ON_TRACK),
    ("text", 25.0, 30.0, Standing.OVERDUE),  # answered, but late (and recently)
    ("text", 25.0, 24 * 40, Standing.ON_TRACK),  # a late answer long ago is history
    ("email", 47.0, 50.0, Standing.ON_TRACK),
    ("email", None, 47.0, Standing.DUE_SOON),
    ("email", None, 48.5, Standing.OVERDUE),
])
def test_reply_within(kind, reply_after, as_of_after, expected):
    sent = at("2026-09-10 09:00")
    contacts = [Contact(sent, kind, id=1, needs_reply=True)]
    if reply_after is not None:
        contacts.append(Contact(sent + dt.timedelta(hours=reply_after), kind, id=2,
                                in_reply_to=1))
    history = group("2026-08-15", *contacts)
    found = rule("peer-mentoring", "reply-within").evaluate(
        history, sent + dt.timedelta(hours=as_of_after))
    assert found.standing == expected, found.message
    if expected == Standing.OVERDUE and reply_after is not None:  # answered late: reported
        assert found.missed and not found.next_due  # as a shortfall, not as a thing to do
    elif expected == Standing.OVERDUE:  # still waiting: the answer is what is due next
        assert found.next_due.startswith(f"an answer to the {kind} waiting since")


def person(pid: int, attends: bool) -> Person:
    return Person(pid, f"P{pid}", f"p{pid}@x.org", "student", frozenset(),
                  {"attends_networking_event": attends})


# first-meeting: LGBTQ networking event on 2026-10-20, 14 days to meet separately
@pytest.mark.parametrize("attends,meetings,as_of,expected", [
    ([True, True, True], [], "2026-11-20", Standing.ON_TRACK),
    ([True, False, True], [], "2026-11-03 20:00", Standing.DUE_SOON),
    ([True, False, True], [], "2026-11-04 08:00", Standing.OVERDUE),
    ([True, False, True], ["2026-10-27"], "2026-11-20", Standing.ON_TRACK),
])
def test_first_meeting(attends, meetings, as_of, expected):
    members = [person(i, a) for i, a in enumerate(attends)]
    history = group("2026-10-14", *(meeting(m) for m in meetings), members=members)
    assert standing(rule("lgbtq-triads", "first-meeting").evaluate(history, at(as_of))) \
        == expected


def active_triads(run):
    run("programs", "add", CONFIGS / "lgbtq-triads.toml")
    run("participants", "import", "lgbtq-triads", EXAMPLES / "lgbtq-triads.csv", expect=1)
    run("eligibility", "lgbtq-triads")
    run("match", "run", "lgbtq-triads")
    run("match", "accept", "lgbtq-triads")
    groups = list(Group.select().where(Group.status == "active").order_by(Group.label))
    for g in groups:  # as if accepted on the match-by date
        g.started_on = dt.date(2026, 10, 14)
        g.save()
        Membership.update(joined_at=dt.datetime(2026, 10, 14)).where(
            Membership.group == g).execute()
    return groups


def test_cadence_status_flags_exactly_the_groups_that_break_a_rule(run, tmp_path):
    groups = active_triads(run)
    good, lapsed = groups[0], groups[1]
    member = next(iter(good.memberships)).participant.email
    for day in ("2026-10-25 18:00", "2026-11-20 18:00"):
        run("meetings", "log", "lgbtq-triads", good.label, "--when", day, "--attendee", member,
            "--note", "talked about residency applications")
    run("meetings", "log", "lgbtq-triads", lapsed.label, "--when", "2026-10-25 18:00")
    run("meetings", "log", "lgbtq-triads", lapsed.label, "--when", "2026-11-02", "--kind",
        "video")  # video does not count for the in-person rule
    rows = json.loads(run("cadence", "status", "lgbtq-triads", "--as-of", "2026-12-22",
                          "--json").output)
    by_group = {row["group"]: row for row in rows}
    per_term = {g: next(f for f in row["findings"] if f["rule"] == "meetings-per-term")
                for g, row in by_group.items()}
    assert per_term[good.label]["standing"] == "on track"
    assert per_term[lapsed.label]["standing"] == "overdue"
    assert "1 of 2 meetings held" in per_term[lapsed.label]["message"]
    assert all(per_term[g.label]["standing"] == "overdue" for g in groups[2:])
    text = run("cadence", "status", "lgbtq-triads", "--as-of", "2026-12-22").output
    assert f"{len(groups)} groups; 1 on track, 0 due soon, {len(groups) - 1} overdue" in text
    assert Note.select().count() == 2 and Note.get().body == "talked about residency applications"
    assert AuditEntry.select().where(AuditEntry.action == "meeting.log").count() == 4


def test_reminders_go_to_every_member_of_groups_that_are_due(run, tmp_path):
    groups = active_triads(run)
    for day in ("2026-10-25", "2026-11-20"):
        run("meetings", "log", "lgbtq-triads", groups[0].label, "--when", day)
    out = tmp_path / "reminders"
    output = run("cadence", "remind", "lgbtq-triads", "--as-of", "2026-11-30", "--out",
                 out).output
    files = sorted(out.glob("*.eml"))
    assert files and f"Wrote {len(files)} reminder messages" in output
    assert not any(f"-{groups[0].label}-" in f.name for f in files)  # on track
    due = next(g for g in groups[1:] if g.shape == "triad")
    letters = [email.message_from_bytes(f.read_bytes(), policy=email.policy.default)
               for f in files if f.name.startswith(f"reminder-2026-11-30-{due.label}-")]
    mine = [f"To: {m['To'].addresses[0].addr_spec}\nSubject: {m['Subject']}\n\n"
            f"{m.get_content()}" for m in letters]
    emails = {m.participant.email for m in due.memberships}
    assert {text.splitlines()[0].removeprefix("To: ") for text in mine} == emails
    assert all(text.splitlines()[1] in (
        f"Subject: LGBTQ Mentoring Program: your group {due.label} is {standing}"
        for standing in ("due soon", "overdue")) for text in mine)
    assert "What is due next:\n- 2 more meetings by 2026-12-21 (Fall semester)" in mine[0]
    assert "(by 2026-12-21)" not in mine[0]
    assert "Questions: write to lgbthlth@pennmedicine.upenn.edu." in mine[0]
    for member in due.memberships:  # each reminder speaks to its reader, not of them
        text = next(t for t in mine if t.startswith(f"To: {member.participant.email}"))
        assert f"({member.participant.name} " not in text and (
            f"{member.participant.name} could not" not in text)
    run("cadence", "remind", "lgbtq-triads", "--as-of", "2026-11-30", "--out", out)
    assert sorted(out.glob("*.eml")) == files  # a re-run replaces, never adds
    for member in due.memberships:  # names and dates only, never a participant's answers
        answers = member.participant.answers
        for field in ("pronouns", "outness"):
            pattern = re.compile(rf"\b{re.escape(answers[field])}\b")
            assert not any(pattern.search(text) for text in mine), answers[field]


def test_a_mentor_of_several_residents_gets_one_reminder_naming_each_pair(run, tmp_path):
    matched_program(run, "im-residency")
    mentors = {}
    for group in Group.select().where(Group.status == "active").order_by(Group.label):
        for place in group.current_memberships():
            mentors.setdefault(place.participant.email, []).append(group.label)
    several = {email: labels for email, labels in mentors.items() if len(labels) > 1}
    assert several
    as_of = "2026-12-15"  # nobody met: every pair has its purposes due (30 days in)
    out = tmp_path / "reminders"
    run("cadence", "remind", "im-residency", "--as-of", as_of, "--out", out)
    letters = [email.message_from_bytes(f.read_bytes(), policy=email.policy.default)
               for f in sorted(out.glob("*.eml"))]
    readers = [m["To"].addresses[0].addr_spec for m in letters]
    assert sorted(readers) == sorted(mentors)  # one letter per person, whoever they are
    for message in letters:
        reader = message["To"].addresses[0].addr_spec
        body = message.get_content()
        labels = mentors[reader]
        assert all(f"Your group {label} (with " in body or len(labels) == 1 for label in labels)
        assert all(label in " ".join(message["Subject"].split()) for label in labels)
        assert message["Subject"].endswith(("due soon", "overdue"))
        if len(labels) > 1:
            assert f"a reminder about {len(labels)} of your mentoring groups" in body
            assert body.count("What is due next:") == len(labels)
    shown = json.loads(run("cadence", "remind", "im-residency", "--as-of", as_of,
                           "--json").output)
    assert {row["to"]: row["groups"] for row in shown} == mentors


def test_calendar_files_parse_back_with_the_library(run, tmp_path):
    groups = active_triads(run)
    target = tmp_path / "g.ics"
    run("cadence", "calendar", "lgbtq-triads", groups[0].label, "--out", target)
    parsed = icalendar.Calendar.from_ical(target.read_bytes())
    events = {str(e.get("summary")): e for e in parsed.walk("VEVENT")}
    networking = events["LGBTQ Mentoring Program: Fall Networking Event"]
    assert networking.decoded("dtstart") == dt.date(2026, 10, 20)
    windows = [e for title, e in events.items() if title.startswith(groups[0].label)]
    assert windows and any("meeting 1 of 2" in str(e.get("summary")) for e in windows)
    assert len({str(e.get("uid")) for e in parsed.walk("VEVENT")}) == len(
        list(parsed.walk("VEVENT")))
    whole = tmp_path / "all.ics"
    run("cadence", "calendar", "lgbtq-triads", "--out", whole)
    assert "Sign-up deadline" in whole.read_text()


def test_meeting_mistakes_are_clean_errors(run):
    groups = active_triads(run)
    label = groups[0].label
    assert "not a date" in run("meetings", "log", "lgbtq-triads", label, "--when", "soon",
                               expect=2).output  # a mistyped option: a usage error
    assert "not a date" in run("cadence", "status", "lgbtq-triads", "--as-of", "soon",
                               expect=2).output
    assert "Invalid value" in run("match", "accept", "lgbtq-triads", "--starts-on", "soon",
                                  expect=2).output
    assert "no group 'nope'" in run("meetings", "log", "lgbtq-triads", "nope", expect=2).output
    outsider = next(p for p in Group.select() if p.label != label).memberships[0].participant
    assert "is not a member" in run("meetings", "log", "lgbtq-triads", label, "--attendee",
                                    outsider.email, expect=1).output
    assert "no contact 999" in run("meetings", "log", "lgbtq-triads", label, "--reply-to",
                                   "999", expect=1).output
    assert Meeting.select().count() == 0
    # a reply only to a message that waits for one, and never as an absence notice
    run("meetings", "log", "lgbtq-triads", label, "--kind", "text", "--when", "2026-11-01")
    assert "waits for no answer" in run("meetings", "log", "lgbtq-triads", label, "--kind",
                                        "text", "--reply-to", "1", expect=1).output
    run("meetings", "log", "lgbtq-triads", label, "--kind", "text", "--when", "2026-11-02",
        "--awaiting-reply")
    assert "answers no message" in run("meetings", "log", "lgbtq-triads", label, "--kind",
                                       "absence-notice", "--reply-to", "2", expect=1).output
    assert Meeting.select().count() == 2


def test_a_reminder_also_names_what_comes_up_though_not_yet_due(run):
    """December's contact is due soon; the semester's meeting, 25 days away, is not yet
    "due soon" under its rule, but a member who only sends a text would miss it."""
    matched_program(run, "peer-mentoring", select=True)
    rows = json.loads(run("cadence", "remind", "peer-mentoring", "--as-of", "2026-12-06",
                          "--json").output)
    assert rows
    for row in rows:
        due, _, coming = row["text"].partition("Also coming up:\n")
        assert "- 1 contact by 2026-12-31 (December)" in due
        assert coming.startswith("- 1 more meeting by 2026-12-31 (Fall semester)")
