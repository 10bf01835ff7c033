"""`mentorkit notify` (introductions, assessment invitations) and `mentorkit assessments`."""

from __future__ import annotations

from pathlib import Path

import click

from mentorkit.cli.output import emit, heading, say, warn
from mentorkit.cli.programs import resolve_program

OUT_HELP = "Folder for the .eml files to review (default: PROGRAM-KIND-messages)."
SEND_HELP = ("Deliver by SMTP (MENTORKIT_SMTP_URL, e.g. smtp://user:password@host:587, "
             "STARTTLS) instead of writing files; a message already sent is never sent again.")


def deliver(loaded, letters, kind: str, out: Path | None, send: bool) -> None:
    """Write ``letters`` as .eml files to review, or send them; the one way every command
    that messages participants ends."""
    from mentorkit import mail

    if not loaded.config.program.contact:
        warn(f"{loaded.key} has no program.contact: the messages name no one to write to")
    if send:
        report = mail.send(loaded, letters)  # a MailError is a one-line error, exit 1
        say(f"Sent {report.sent} {kind} message(s)"
            + (f"; {report.already_sent} had been sent before and were not sent again"
               if report.already_sent else "") + ".")
        return
    folder = out or Path(f"{loaded.key}-{kind}-messages")
    paths = mail.write_eml(folder, loaded, letters)
    say(f"Wrote {len(paths)} {kind} message(s) to {folder} (owner-only .eml files: open them "
        "in a mail program to review). To deliver them, run the same command with --send.")


@click.group()
@click.argument("program")
@click.pass_context
def notify(ctx: click.Context, program: str) -> None:
    """Messages to PROGRAM's participants: written as .eml files to review, or --send.

    \b
    mentorkit notify PROGRAM intro                  introductions after `match accept`
    mentorkit notify PROGRAM assessment mid-year    an assessment's invitation
    """
    ctx.obj.open_db()
    ctx.obj.notify_program = resolve_program(ctx, program)


@notify.command()
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), help=OUT_HELP)
@click.option("--send", is_flag=True, help=SEND_HELP)
@click.pass_context
def intro(ctx: click.Context, out: Path | None, send: bool) -> None:
    """One introduction per member of each active group: who their match is, how to reach
    them, why they were matched, the first event or meeting window, the program's contact."""
    from mentorkit import messages

    loaded = ctx.obj.notify_program
    letters = messages.introductions(loaded)
    if not letters:
        raise click.ClickException(f"{loaded.key} has no active groups: accept a proposal "
                                   f"first (`mentorkit match accept {loaded.key}`)")
    deliver(loaded, letters, "intro", out, send)


@notify.command()
@click.argument("name")
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), help=OUT_HELP)
@click.option("--send", is_flag=True, help=SEND_HELP)
@click.pass_context
def assessment(ctx: click.Context, name: str, out: Path | None, send: bool) -> None:
    """The invitation to assessment NAME (see `mentorkit assessments list PROGRAM`) for
    every member of each active group it asks."""
    from mentorkit import messages

    loaded = ctx.obj.notify_program
    letters = messages.invitations(loaded, name)
    if not letters:
        raise click.ClickException(f"{loaded.key} has no active groups to ask")
    deliver(loaded, letters, name, out, send)


@click.group()
def assessments() -> None:
    """Relationship assessments: what each program asks, and importing responses."""


@assessments.command("list")
@click.argument("program")
@click.option("--json", "as_json", is_flag=True, help="Print JSON for scripts.")
@click.pass_context
def list_assessments(ctx: click.Context, program: str, as_json: bool) -> None:
    """PROGRAM's assessments, their questions, and how many responses are in."""
    from mentorkit.registry_db import program_record
    from mentorkit.storage.models import AssessmentResponse, Participant

    ctx.obj.open_db()
    loaded = resolve_program(ctx, program)
    record = program_record(loaded.key)
    rows = [{"name": a.name, "title": a.title, "opens": str(a.opens or ""),
             "questions": [f"{q.name}: {q.text} ({q.low}-{q.high})" for q in a.questions],
             "responses": AssessmentResponse.select().join(Participant).where(
                 (Participant.program == record)
                 & (AssessmentResponse.assessment == a.name)).count()}
            for a in loaded.config.assessments]
    if not rows and not as_json:
        say(f"{loaded.key} declares no assessments ([[assessments]] in its program file).")
        return
    emit(rows, ("name", "title", "opens", "responses"), as_json)


@assessments.command("import")
@click.argument("program")
@click.argument("name")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.pass_context
def import_responses(ctx: click.Context, program: str, name: str, file: Path) -> None:
    """Import the survey tool's export of responses to assessment NAME: an e-mail column
    and a column per question (its text or name). Bad rows are reported with their line
    while good rows import; a person's new response replaces their earlier one."""
    from mentorkit.assessments import import_responses as run_import

    ctx.obj.open_db()
    loaded = resolve_program(ctx, program)
    report = run_import(loaded, name, file)
    heading(f"{name}: {report.added} responses added, {report.replaced} replaced, "
            f"{report.rejected_rows} rows rejected")
    for error in report.errors:
        say(f"  line {error.line}" + (f", column {error.column!r}" if error.column else "")
            + f": {error.reason}", err=True)
    if report.rejects_file:
        say(f"Rejected rows were written to {report.rejects_file} to fix and import again.")
    if report.errors:
        ctx.exit(1)


def register(cli: click.Group) -> None:
    cli.add_command(notify)
    cli.add_command(assessments)
