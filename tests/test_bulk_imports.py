"""Meetings, contacts and training attendance imported from a form's export (``meetings
import``, ``participants attend --file``): rows by group label or by e-mail, bad rows kept
by line with a reason that quotes no cell, good rows in one transaction, and cadence fed
exactly as ``meetings log`` feeds it."""

from __future__ import annotations

import csv
import json

from mentorkit.storage.models import Attendance, Group, Meeting, Participant
from tests.conftest import matched_program

BOTH_DATABASES = True


def groups_and_members():
    found = {}
    for group in Group.select().where(Group.status == "active").order_by(Group.label):
        found[group.label] = [m.participant for m in group.memberships]
    return found


def write(path, rows, encoding="utf-8"):
    with path.open("w", encoding=encoding, newline="") as handle:
        csv.writer(handle).writerows(rows)
    return path


def test_a_forms_meetings_import_feeds_cadence_as_meetings_log_does(run, tmp_path):
    matched_program(run, "lgbtq-triads")
    (first, members), (second, _) = list(groups_and_members().items())[:2]
    form = write(tmp_path / "met.csv", [
        ["Timestamp", "Email Address", "Group", "When did you meet?", "Time",
         "How did you meet?", "Duration (minutes)"],
        ["11/2/2026 10:00:00", members[0].email, "", "10/25/2026", "17:30", "In person", "60"],
        ["11/2/2026 10:05:00", "", second, "2026-11-01", "", "Zoom", ""],
        ["11/3/2026 09:00:00", "", "no-such-group", "2026-11-01", "", "In person", ""],
        ["11/3/2026 09:01:00", "nobody@upenn.example", "", "2026-11-01", "", "", ""],
        ["11/3/2026 09:02:00", "", first, "2099-01-01", "", "In person", ""],
        ["11/3/2026 09:03:00", "", first, "someday", "", "Carrier pigeon", ""],
    ])
    output = run("meetings", "import", "lgbtq-triads", form, expect=1).output
    assert "line 4: no group with this label" in output and "no-such-group" not in output
    assert ("line 5: no participant of lgbtq-triads' current cycle has this e-mail"
            in output) and "nobody@" not in output
    assert "line 6: 2099-01-01 00:00 is in the future" in output
    assert "line 7: the date is not a date" in output and "someday" not in output
    assert "Logged (Google Forms export): 2; logged before: 0; rejected: 4" in output
    by_import = json.loads(run("cadence", "status", "lgbtq-triads", "--as-of", "2026-11-30",
                               "--json").output)
    logged = Meeting.select().order_by(Meeting.occurred_at)
    assert [(m.group.label, m.kind, m.duration_minutes) for m in logged] == [
        (first, "in-person", 60), (second, "video", None)]
    assert logged[0].attendees == [members[0].id]  # the person who reported it
    again = run("meetings", "import", "lgbtq-triads", form, expect=1).output
    assert "Logged (Google Forms export): 0; logged before: 2" in again
    Meeting.delete().execute()
    run("meetings", "log", "lgbtq-triads", first, "--when", "2026-10-25 17:30",
        "--kind", "in-person", "--duration", "60", "--attendee", members[0].email)
    run("meetings", "log", "lgbtq-triads", second, "--when", "2026-11-01", "--kind", "video")
    by_hand = json.loads(run("cadence", "status", "lgbtq-triads", "--as-of", "2026-11-30",
                             "--json").output)
    assert by_import == by_hand


def test_a_meetings_import_is_all_or_nothing_and_a_dry_run_stores_nothing(run, tmp_path):
    matched_program(run, "lgbtq-triads")
    label = next(iter(groups_and_members()))
    form = write(tmp_path / "met.csv", [["Group", "Date"], [label, "2026-10-25"],
                                        [label, "2026-11-02"]])
    run("meetings", "import", "lgbtq-triads", form, "--dry-run")
    assert Meeting.select().count() == 0
    missing = write(tmp_path / "nodate.csv", [["Group", "Kind"], [label, "video"]])
    output = run("meetings", "import", "lgbtq-triads", missing, expect=1).output
    assert "no column 'when'" in output and Meeting.select().count() == 0


def test_a_sign_in_sheet_records_attendance(run, tmp_path):
    matched_program(run, "peer-mentoring", select=True)
    mentors = list(Participant.select().where(Participant.role == "peer-mentor").limit(3))
    student = Participant.get(Participant.role == "student")
    sheet = write(tmp_path / "signin.csv", [
        ["Email", "Date attended"], [mentors[0].email, "2026-08-10"],
        [mentors[1].email.upper(), "08/10/2026"], [student.email, "2026-08-10"],
        ["not an address", "2026-08-10"]], encoding="cp1252")
    output = run("participants", "attend", "peer-mentoring", "--file", sheet,
                 "Faculty-led peer mentor training", expect=1).output
    assert "line 4: 'Faculty-led peer mentor training' is for peer-mentor, not student" \
        in output
    assert "line 5: the e-mail is not an e-mail address" in output
    assert "Recorded (CSV export): 2; already recorded: 0; rejected: 2" in output
    attended = {(a.participant.email, a.activity, str(a.attended_on))
                for a in Attendance.select()}
    assert attended == {(m.email, "Faculty-led peer mentor training", "2026-08-10")
                        for m in mentors[:2]}
    rejects = (tmp_path / "signin.rejects.csv").read_bytes()
    assert student.email.encode() in rejects  # the row kept to fix, in its own encoding
    form = write(tmp_path / "survey.csv", [["E-mail", "Activity"],
                                           [mentors[2].email, "Mid-year program survey"],
                                           [mentors[2].email, "Yoga"]])
    output = run("participants", "attend", "peer-mentoring", "--file", form, expect=1).output
    assert "line 3: the activity is not one of peer-mentoring's" in output
    report = json.loads(run("participants", "activities", "peer-mentoring", "--json").output)
    assert any("Mid-year program survey" in row["attended"] for row in report)


def test_attend_needs_a_person_and_activity_or_a_file(run, tmp_path):
    matched_program(run, "peer-mentoring", select=True)
    output = run("participants", "attend", "peer-mentoring", expect=2).output
    assert "give PERSON and ACTIVITY, or --file FILE" in output
