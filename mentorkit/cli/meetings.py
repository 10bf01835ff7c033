"""``mentorkit meetings``: log a group's meetings and contacts (one, or a form's export of
many), and list them."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import click

from mentorkit.cli.lazy import lazy
from mentorkit.cli.output import done, emit, report_bulk
from mentorkit.cli.params import WHEN, cycle_option, format_options, json_option, program_argument

bulk = lazy("mentorkit.services.bulk")
meetings_service = lazy("mentorkit.services.meetings")
# the kinds of contact, as services.meetings names them (a test checks)
KINDS = ("in-person", "video", "phone", "text", "email", "absence-notice")


@click.group("meetings")
def meetings() -> None:
    """Log a group's meetings and contacts (calls, texts, e-mails), and list them."""


@meetings.command("log")
@program_argument
@click.argument("group")
@click.option("--when", type=WHEN,
              help="YYYY-MM-DD or 'YYYY-MM-DD HH:MM' in the program's time zone, or ISO 8601 "
                   "with an offset. Default: now.")
@click.option("--kind", type=click.Choice(KINDS), default="in-person",
              show_default=True)
@click.option("--attendee", "attendees", multiple=True,
              help="A member who took part (e-mail or id); repeat. Not every member must.")
@click.option("--duration", type=click.IntRange(0, 24 * 60), help="Minutes (0 to a day).")
@click.option("--note", default="", help="A private note (seen by its author and the group).")
@click.option("--reply-to", type=int, metavar="NUMBER",
              help="The number (in `meetings list`) of the message this contact answers.")
@click.option("--awaiting-reply", is_flag=True,
              help="This message awaits an answer (reply times are measured from it).")
@json_option
def log_meeting(program, group: str, when: str | None, kind: str,
                attendees: tuple[str, ...], duration: int | None, note: str,
                reply_to: int | None, awaiting_reply: bool, as_json: bool) -> None:
    """Record a meeting or contact of GROUP in PROGRAM; contacts are numbered within their
    group (a reply names the number of the message it answers)."""
    zone = program.config.cycle.zone
    moment = meetings_service.parse_when(program, when) if when else dt.datetime.now(zone)
    logged = meetings_service.log(program, group, moment, kind, attendees, duration, note,
                                  reply_to, awaiting_reply)
    number = meetings_service.number_of(logged)
    shown = f"{moment.astimezone(zone):%Y-%m-%d %H:%M %Z}"
    done(as_json, {"group": group, "number": number, "kind": kind, "when": shown},
         f"Logged {kind} contact {number} of {group}, on {shown}.")


@meetings.command("list")
@program_argument
@cycle_option
@click.argument("group")
@json_option
def list_meetings(program, group: str, as_json: bool) -> None:
    """List GROUP's logged meetings and contacts (notes are not shown here)."""
    emit(meetings_service.listing(program, group),
         ("number", "when", "kind", "attendees", "reply_to", "awaiting_reply"), as_json)


@meetings.command("import")
@program_argument
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--dry-run", is_flag=True, help="Check and report; store nothing.")
@format_options
@json_option
@click.pass_context
def import_meetings(ctx: click.Context, program, file: Path, dry_run: bool, fmt: str | None,
                    dictionary: Path | None, as_json: bool) -> None:
    """Log the meetings and contacts in FILE, a form's export (any format `participants
    import` reads): a row per meeting with a date (and time) column, the group's label or the
    reporting person's e-mail, and optionally its kind (in person, video, phone, text, email)
    and duration in minutes. Bad rows are reported and kept in a rejects file; good rows are
    logged as `meetings log` logs them. Exit 1 if any row was rejected."""
    if dictionary is not None:
        raise click.UsageError("--dictionary is for sign-up exports (participants import)")
    report = bulk.import_meetings(program, file, dry_run=dry_run, fmt=fmt)
    report_bulk(ctx, file, report, dry_run, "logged", "logged before", as_json)


def register(cli: click.Group) -> None:
    cli.add_command(meetings)
