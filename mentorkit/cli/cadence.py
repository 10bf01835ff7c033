"""``mentorkit meetings`` and ``mentorkit cadence``: log contacts, see who is on track,
remind, and export calendars."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import attrs
import click

from mentorkit import assessments, calendars, meetings
from mentorkit.cli.output import emit, heading, out_folder, say, warn, write_file
from mentorkit.cli.params import WHEN
from mentorkit.cli.programs import resolve_program
from mentorkit.kernel.values import Standing
from mentorkit.storage.models import Meeting


@click.group("meetings")
def meetings_group() -> None:
    """Log a group's meetings and contacts (calls, texts, e-mails), and list them."""


@meetings_group.command("log")
@click.argument("program")
@click.argument("group")
@click.option("--when", type=WHEN,
              help="YYYY-MM-DD or 'YYYY-MM-DD HH:MM' in the program's time zone, or ISO 8601 "
                   "with an offset. Default: now.")
@click.option("--kind", type=click.Choice(meetings.KINDS), default="in-person",
              show_default=True)
@click.option("--attendee", "attendees", multiple=True,
              help="A member who took part (e-mail or id); repeat. Not every member must.")
@click.option("--duration", type=click.IntRange(0, 24 * 60), help="Minutes (0 to a day).")
@click.option("--note", default="", help="A private note (seen by its author and the group).")
@click.option("--reply-to", type=int, help="The id of the message this contact answers.")
@click.option("--awaiting-reply", is_flag=True,
              help="This message awaits an answer (reply times are measured from it).")
@click.pass_context
def log_meeting(ctx: click.Context, program: str, group: str, when: str | None, kind: str,
                attendees: tuple[str, ...], duration: int | None, note: str,
                reply_to: int | None, awaiting_reply: bool) -> None:
    """Record a meeting or contact of GROUP in PROGRAM."""
    ctx.obj.open_db()
    loaded = resolve_program(ctx, program)
    moment = (meetings.parse_when(loaded, when) if when
              else dt.datetime.now(loaded.config.cycle.zone))
    meeting = meetings.log(loaded, group, moment, kind, attendees, duration, note, reply_to,
                           awaiting_reply)
    say(f"Logged {kind} #{meeting.id} for {group} on "
        f"{moment.astimezone(loaded.config.cycle.zone):%Y-%m-%d %H:%M %Z}.")


@meetings_group.command("list")
@click.argument("program")
@click.argument("group")
@click.option("--json", "as_json", is_flag=True, help="Print JSON for scripts.")
@click.pass_context
def list_meetings(ctx: click.Context, program: str, group: str, as_json: bool) -> None:
    """List GROUP's logged meetings and contacts (notes are not shown here)."""
    ctx.obj.open_db()
    loaded = resolve_program(ctx, program)
    found = meetings.find_group(loaded, group)
    zone = loaded.config.cycle.zone
    rows = [{"id": m.id,
             "when": f"{m.occurred_at.replace(tzinfo=dt.UTC).astimezone(zone):%Y-%m-%d %H:%M}",
             "kind": m.kind, "attendees": len(m.attendees), "reply_to": m.in_reply_to_id,
             "awaiting_reply": m.needs_reply}
            for m in Meeting.select().where(Meeting.group == found).order_by(Meeting.occurred_at)]
    emit(rows, ("id", "when", "kind", "attendees", "reply_to", "awaiting_reply"), as_json)


@click.group()
def cadence() -> None:
    """Who is on track with the program's cadence; reminders; calendars."""


def as_of_moment(loaded, text: str | None) -> dt.datetime:
    if not text:
        moment = dt.datetime.now(loaded.config.cycle.zone)
    else:
        moment = meetings.parse_when(loaded, text)
        if len(text.strip()) <= 10:  # a bare date: judge at the end of that day
            moment = moment.replace(hour=23, minute=59, second=59)
    warn_if_outside_cycle(loaded, moment.date())
    return moment


def warn_if_outside_cycle(loaded, day: dt.date) -> None:
    """Judging a cycle after it ended (or before it began) finds every group overdue (or
    nothing): say so, rather than let a stale program file mislead."""
    cycle = loaded.config.cycle
    if day > cycle.academic_year_end:
        warn(f"{loaded.key}'s cycle {cycle.label} ended on {cycle.academic_year_end}; close it "
             f"(`mentorkit cycles close {loaded.key}`) or update the program file's dates")
    elif day < cycle.academic_year_start:
        warn(f"{loaded.key}'s cycle {cycle.label} starts on {cycle.academic_year_start}")


@cadence.command()
@click.argument("program")
@click.option("--as-of", type=WHEN, help="Judge as of this date (YYYY-MM-DD); default: now.")
@click.option("--only", type=click.Choice([str(s) for s in Standing]),
              help="Only groups that stand so (e.g. overdue).")
@click.option("--json", "as_json", is_flag=True, help="Print JSON for scripts.")
@click.pass_context
def status(ctx: click.Context, program: str, as_of: str | None, only: str | None,
           as_json: bool) -> None:
    """Each active group: on track, due soon or overdue, with the rule and by how much."""
    ctx.obj.open_db()
    loaded = resolve_program(ctx, program)
    moment = as_of_moment(loaded, as_of)
    standings = meetings.status(loaded, moment)
    shown = [s for s in standings if only is None or str(s.standing) == only]
    assessed = assessments.results(loaded)  # the administrator's view: no one is named
    rows = [{"group": s.group.label, "standing": str(s.standing),
             "findings": [{"rule": f.rule, "standing": str(f.standing), "message": f.message,
                           "due_by": str(f.due_by) if f.due_by else None}
                          for f in s.findings],
             "assessments": [attrs.asdict(r) for r in assessed.get(s.group.label, [])]}
            for s in shown]
    if as_json:
        emit(rows, (), as_json=True)
        return
    counts = {standing: sum(1 for s in standings if s.standing == standing)
              for standing in Standing}
    heading(f"{loaded.key} as of {moment:%Y-%m-%d}: {len(standings)} groups; "
            + ", ".join(f"{n} {standing}" for standing, n in counts.items())
            + (f"; showing the {len(shown)} {only}" if only else ""))
    flagged = sum(1 for s in standings if any(r.flags for r in assessed.get(s.group.label, [])))
    if flagged:
        say(f"{flagged} group(s) flagged by their members' assessments: look at them first.")
    for s in shown:
        say(f"{s.group.label}: {s.standing}")
        for f in s.findings:
            if f.standing != Standing.ON_TRACK:
                say(f"  {f.rule}: {f.standing}: {f.message}")
        for result in assessed.get(s.group.label, []):
            means = ", ".join(f"{q} {v:g}" for q, v in result.means.items())
            say(f"  assessment {result.assessment}: {result.answered} of {result.asked} "
                f"answered; {means}")
            for flag in result.flags:
                say(f"  FLAGGED {result.assessment}: {flag}")


@cadence.command()
@click.argument("program")
@click.option("--as-of", type=WHEN, help="Judge as of this date (YYYY-MM-DD); default: now.")
@click.option("--out", type=click.Path(file_okay=False, path_type=Path),
              help="Write one .eml file per recipient into this folder instead of printing.")
@click.option("--send", is_flag=True, help="Deliver them by SMTP (MENTORKIT_SMTP_URL); a "
                                           "reminder already sent that day is not sent again.")
@click.pass_context
def remind(ctx: click.Context, program: str, as_of: str | None, out: Path | None,
           send: bool) -> None:
    """Reminder messages for every member of each group due soon or overdue."""
    from mentorkit.cli.notify import deliver
    from mentorkit.messages import reminder_letters

    ctx.obj.open_db()
    loaded = resolve_program(ctx, program)
    moment = as_of_moment(loaded, as_of)
    messages = calendars.reminders(loaded, meetings.status(loaded, moment))
    if not messages:
        if out is not None:
            out_folder(out)  # there, empty: a script that lists it finds nothing due
        say("No group is due soon or overdue.")
        return
    if out is not None or send:  # one file per person, group and day: a re-run replaces it
        deliver(loaded, reminder_letters(messages, moment.date()), "reminder", out, send)
        return
    if not loaded.config.program.contact:
        warn(f"{loaded.key} has no program.contact: the reminders name no one to write to")
    for message in messages:
        say(f"To: {message.recipient}\nSubject: {message.subject}\n\n{message.text}\n"
            + "-" * 60)


@cadence.command()
@click.argument("program")
@click.argument("group", required=False)
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path),
              help="The .ics file to write (default: PROGRAM[-GROUP].ics).")
@click.pass_context
def calendar(ctx: click.Context, program: str, group: str | None, out: Path | None) -> None:
    """Write an iCalendar (.ics) file: the program's dates and events, and for GROUP its
    suggested meeting windows."""
    ctx.obj.open_db()
    loaded = resolve_program(ctx, program)
    found = meetings.find_group(loaded, group) if group else None
    target = out or Path(f"{loaded.key}{'-' + group if group else ''}.ics")
    write_file(target, calendars.program_calendar(loaded, found))
    say(f"Wrote {target}; import it into any calendar app.")


def register(cli: click.Group) -> None:
    cli.add_command(meetings_group)
    cli.add_command(cadence)
