"""Meetings, contacts and training attendance collected by a form ("I met my mentee on..."),
imported from its export in any format the sign-ups come in (``surveys``).

Each row names the group by its label, or the person by e-mail (for a meeting: the person's
one active group). A bad row is rejected with its line and a reason that quotes no cell, and
kept in a rejects file to fix; the good rows are stored in one transaction, checked and
stored exactly as ``meetings log`` and ``participants attend`` do, so cadence follows them.
A meeting already logged (same group, moment and kind) is not logged again.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from pathlib import Path

import attrs

from mentorkit.kernel.errors import MentorkitError, NotFoundError
from mentorkit.kernel.program import Program
from mentorkit.services import meetings, written
from mentorkit.services.addresses import normalized_email
from mentorkit.services.cells import timestamp
from mentorkit.services.lookup import active_memberships, find_participant, open_cycle
from mentorkit.services.sheets import ImportFileError, RowError
from mentorkit.services.surveys.model import Sheet
from mentorkit.services.surveys.read import TITLES, read_sheet
from mentorkit.services.surveys.rejects import write_rejects
from mentorkit.services.tracking import check_attendance, record_attendance
from mentorkit.storage import audit
from mentorkit.storage.models import Membership, database
from mentorkit.views.words import possessive

# The headers each column goes by (case and spacing aside)
GROUP = ("group", "group label", "mentoring group")  # and the shapes the matcher forms
PERSON = ("email", "e-mail", "email address", "e-mail address", "your email",
          "your e-mail", "your email address", "your e-mail address")
WHEN = ("when", "date", "meeting date", "date of meeting", "date of contact",
        "when did you meet", "when did you meet?", "attended on", "date attended")
TIME = ("time", "meeting time", "start time")
KIND = ("kind", "type", "type of contact", "how did you meet", "how did you meet?",
        "meeting type", "format")
DURATION = ("duration", "minutes", "duration (minutes)", "length (minutes)")
ACTIVITY = ("activity", "session", "training", "event", "which session")
# A form's words for each kind of contact
KIND_WORDS = {"in person": "in-person", "in-person": "in-person", "face to face": "in-person",
              "face-to-face": "in-person", "video": "video", "video call": "video",
              "zoom": "video", "teams": "video", "phone": "phone", "phone call": "phone",
              "call": "phone", "text": "text", "text message": "text", "sms": "text",
              "email": "email", "e-mail": "email"}
SPLIT = re.compile(r"\s*[;,]\s*")


@attrs.define
class BulkReport:
    added: int = 0
    already: int = 0  # logged before (an export imported again)
    errors: list[RowError] = attrs.field(factory=list)
    rejected_rows: int = 0
    rejects_file: Path | None = None
    format: str = "CSV"


class RowProblem(MentorkitError, ValueError):
    """Why one row cannot be used, in words that quote none of its cells."""


def _columns(sheet: Sheet, needed: dict[str, tuple[str, ...]]) -> dict[str, int]:
    return {key: index for key, names in needed.items()
            if (index := sheet.find(*names)) is not None}


def _run(program: Program, path: Path, dry_run: bool, fmt: str | None, action: str,
         columns: dict[str, tuple[str, ...]], required: list[tuple[str, ...]],
         each: Callable[[dict[str, str]], bool]) -> BulkReport:
    """Read the export, hand each row's named cells to ``each`` (True: stored, False: there
    already), collect the rejected rows; one transaction, rolled back on a dry run."""
    open_cycle(program)
    sheet = read_sheet(path, fmt)
    found = _columns(sheet, columns)
    for one_of in required:
        if not any(key in found for key in one_of):
            wanted = " or ".join(repr(columns[key][0]) for key in one_of)
            raise ImportFileError(f"{path}: no column {wanted} (read as {TITLES[sheet.format]}"
                                  f"; the file has: {', '.join(sheet.headers[:20])})")
    report, rejected = BulkReport(format=TITLES[sheet.format]), []
    with database.atomic() as transaction:
        for line, raw in sheet.rows:
            cells = sheet.cells(raw)
            named = {key: cells[i].strip() if i < len(cells) else "" for key, i in found.items()}
            try:
                stored = each(named)
            except (RowProblem, meetings.MeetingError, MentorkitError) as error:
                rejected.append((line, raw, [RowError(line, "", str(error))]))
                continue
            report.added += stored
            report.already += not stored
        if dry_run:
            transaction.rollback()
        else:
            audit.record(action, program.key, file=str(path), added=report.added,
                         rejected=len(rejected))
    report.errors = [error for _, _, errors in rejected for error in errors]
    report.rejected_rows = len(rejected)
    if rejected and not dry_run:
        report.rejects_file = write_rejects(sheet, rejected, set())
        written.record(program, [report.rejects_file], "rejects")
    return report


def _person(program: Program, text: str):
    try:
        return find_participant(program, normalized_email(text))
    except ValueError as error:
        raise RowProblem(f"the e-mail {error}") from None
    except NotFoundError:
        raise RowProblem(f"no participant of {possessive(program.key)} current cycle has this "
                         "e-mail") from None


def _when(program: Program, day: str, time: str = "") -> dt.datetime:
    try:
        moment = timestamp(f"{day} {time}".strip() if time else day)
    except ValueError:
        raise RowProblem("the date is not a date (YYYY-MM-DD or MM/DD/YYYY, a time may "
                         "follow)") from None
    if not 1900 <= moment.year <= 2200:
        raise RowProblem("the date is not a plausible date (years 1900 to 2200)")
    return moment.replace(tzinfo=program.config.cycle.zone)


def import_meetings(program: Program, path: Path, *, dry_run: bool = False,
                    fmt: str | None = None) -> BulkReport:
    """Log the meetings and contacts of a form's export: a row per meeting, naming the group
    (or the person reporting it, by e-mail), the date (and time), the kind."""
    columns = {"group": (*GROUP, *program.matcher.shapes), "person": PERSON, "when": WHEN,
               "time": TIME, "kind": KIND, "duration": DURATION}

    def each(row: dict[str, str]) -> bool:
        planned = _meeting(program, row)
        if meetings.logged_before(planned):
            return False
        meetings.store(program, planned)
        return True

    return _run(program, path, dry_run, fmt, "meetings.import", columns,
                [("when",), ("group", "person")], each)


def _meeting(program: Program, row: dict[str, str]) -> meetings.Planned:
    if not row.get("when"):
        raise RowProblem("no date given")
    when = _when(program, row["when"], row.get("time", ""))
    kind = KIND_WORDS.get(" ".join(row.get("kind", "").casefold().split()),
                          row.get("kind", "").casefold() or "in-person")
    if kind not in meetings.KINDS:
        raise RowProblem(f"the kind is not one of {', '.join(meetings.KINDS)}")
    attendees = []
    label = row.get("group", "")
    if row.get("person"):
        person = _person(program, row["person"])
        attendees.append(str(person.id))
        if not label:
            places = active_memberships(person)
            if len(places) != 1:
                raise RowProblem(f"the person is in {len(places) or 'no'} active groups: "
                                 "name the group in a group column")
            label = places[0].group.label
    duration = row.get("duration", "")
    if duration and not duration.isdigit():
        raise RowProblem("the duration is not a whole number of minutes")
    try:
        planned = meetings.plan(program, label, when, kind, (),
                                int(duration) if duration else None)
    except NotFoundError:  # the cell is not quoted: it may hold anything
        raise RowProblem(f"no group with this label in {possessive(program.key)} current "
                         f"cycle (see `mentorkit match show {program.key}`)") from None
    day = when.astimezone(program.config.cycle.zone).date()
    members = {m.participant_id for m in planned.group.memberships.where(~Membership.pending)
               if meetings.member_on(m, day)}
    if not set(map(int, attendees)) <= members:
        raise RowProblem(f"the person was not a member of group {label} that day")
    return attrs.evolve(planned, attendees=[int(a) for a in attendees])


def import_attendance(program: Program, path: Path, activity: str | None = None, *,
                      dry_run: bool = False, fmt: str | None = None) -> BulkReport:
    """Record who attended which activity from a sign-in sheet or form: a row per person,
    by e-mail, with the activity (or ``activity`` for every row) and the date if known."""
    known = [a.name for a in program.config.tracking.activities]
    if activity is not None and activity not in known:
        raise ImportFileError(f"no activity {activity!r} in {program.key}; activities: "
                              f"{', '.join(known) or 'none (add [[tracking.activities]])'}")
    columns = {"person": PERSON, "activity": ACTIVITY, "when": WHEN}
    required = [("person",)] + ([] if activity else [("activity",)])

    def each(row: dict[str, str]) -> bool:
        person = _person(program, row.get("person", ""))
        name = row.get("activity") or activity or ""
        if name not in known:
            raise RowProblem(f"the activity is not one of {possessive(program.key)}: "
                             f"{', '.join(known)}")
        check_attendance(program, person, name)
        on = _when(program, row["when"]).date() if row.get("when") else None
        record_attendance(program, person, name, on)
        return True

    return _run(program, path, dry_run, fmt, "activities.import", columns, required, each)
