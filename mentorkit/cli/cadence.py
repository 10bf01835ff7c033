"""``mentorkit cadence``: who is on track, reminders, calendars."""

from __future__ import annotations

from pathlib import Path

import click

from mentorkit.cli.common import as_of_moment, deliver, resend_option
from mentorkit.cli.lazy import lazy
from mentorkit.cli.output import (
    done,
    emit,
    heading,
    out_folder,
    say,
    stage_bar,
    warn,
    write_file,
)
from mentorkit.cli.params import WHEN, cycle_option, json_option, program_argument
from mentorkit.views.words import plural

cadence_service = lazy("mentorkit.services.cadence")
STANDINGS = ("on track", "due soon", "overdue")  # as services.cadence names them (a test checks)
calendars = lazy("mentorkit.services.calendars")
reminders = lazy("mentorkit.services.reminders")


@click.group()
def cadence() -> None:
    """Who is on track with the program's cadence; reminders; calendars."""


@cadence.command()
@program_argument
@cycle_option
@click.option("--as-of", type=WHEN, help="Judge as of this date (YYYY-MM-DD); default: now.")
@click.option("--only", type=click.Choice(STANDINGS),
              help="Only groups that stand so (e.g. overdue).")
@json_option
def status(program, as_of: str | None, only: str | None,
           as_json: bool) -> None:
    """Each active group: on track, due soon or overdue, with the rule and by how much."""
    moment = as_of_moment(program, as_of)
    rows = cadence_service.report(program, moment)  # the administrator's view: no one named
    shown = [r for r in rows if only is None or r.standing == only]
    if as_json:
        emit(shown, (), as_json=True)
        return
    counts = ", ".join(f"{sum(1 for r in rows if r.standing == standing)} {standing}"
                       for standing in STANDINGS)
    heading(f"{program.key} as of {moment:%Y-%m-%d}: {len(rows)} groups; {counts}"
            + (f"; showing the {len(shown)} {only}" if only else ""))
    flagged = sum(1 for r in rows if any(result.flags for result in r.assessments))
    if flagged:
        say(f"{plural(flagged, 'group')} flagged by their members' assessments: look at "
            f"{'it' if flagged == 1 else 'them'} first.")
    for row in shown:
        say(f"{row.group}: {row.standing}")
        for finding in row.findings:
            if finding.standing != "on track":
                say(f"  {finding.rule}: {finding.standing}: {finding.message}")
        for result in row.assessments:
            means = ", ".join(f"{q} {v:g}" for q, v in result.means.items())
            say(f"  assessment {result.assessment}: {result.answered} of {result.asked} "
                f"answered; {means}")
            for flag in result.flags:
                say(f"  FLAGGED {result.assessment}: {flag}")


@cadence.command()
@program_argument
@click.option("--as-of", type=WHEN, help="Judge as of this date (YYYY-MM-DD); default: now.")
@click.option("--out", type=click.Path(file_okay=False, path_type=Path),
              help="Write one .eml file per recipient into this folder instead of printing.")
@click.option("--send", is_flag=True, help="Deliver them by SMTP (MENTORKIT_SMTP_URL); a "
                                           "reminder already sent that day is not sent again.")
@resend_option
@json_option
def remind(program, as_of: str | None, out: Path | None,
           send: bool, resend: bool, as_json: bool) -> None:
    """Reminder messages for every member of each group due soon or overdue: what is due
    next and by when. A member of several such groups gets one message naming each."""
    if resend and not send:
        raise click.UsageError("--resend-uncertain goes with --send")
    moment = as_of_moment(program, as_of)
    with stage_bar("Reminders", 2) as progress:
        standings = cadence_service.status(program, moment)
        people = sum(len(s.history.members) for s in standings)
        progress(f"judging {len(standings):,} groups", people)
        found = reminders.reminders(program, standings)
        if not found:
            if out is not None:
                out_folder(out)  # there, empty: a script that lists it finds nothing due
            done(as_json, {"kind": "reminder", "written": 0, "sent": 0},
                 "No group is due soon or overdue.")
            return
        if out is not None or send:  # one file per person, group and day: a re-run replaces
            progress("sending" if send else "writing the files", people)
            deliver(program, reminders.reminder_letters(found, moment.date()), "reminder",
                    out, send, resend, as_json)
            return
    if not program.config.program.contact:
        warn(f"{program.key} has no program.contact: the reminders name no one to write to")
    if as_json:
        emit([{"to": m.recipient, "name": m.name, "group": m.group, "groups": list(m.groups),
               "subject": m.subject, "text": m.text} for m in found], (), as_json=True)
        return
    for message in found:
        say(f"To: {message.recipient}\nSubject: {message.subject}\n\n{message.text}\n"
            + "-" * 60)


@cadence.command()
@program_argument
@cycle_option
@click.argument("group", required=False)
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path),
              help="The .ics file to write (default: GROUP.ics, or PROGRAM.ics).")
@json_option
def calendar(program, group: str | None, out: Path | None, as_json: bool) -> None:
    """Write an iCalendar (.ics) file: the program's dates and events, and for GROUP its
    suggested meeting windows."""
    target = out or Path(f"{group if group else program.key}.ics")  # labels start with the key
    write_file(target, calendars.program_calendar(program, group))
    done(as_json, {"file": str(target), "group": group},
         f"Wrote {target}; import it into any calendar app.")


def register(cli: click.Group) -> None:
    cli.add_command(cadence)
