"""``mentorkit notify``: introductions and assessment invitations, as .eml files to review or
sent by mail."""

from __future__ import annotations

from pathlib import Path

import click

from mentorkit.cli.common import deliver, resend_option
from mentorkit.cli.params import ProgramRef
from mentorkit.services import messages

OUT_HELP = "Folder for the .eml files to review (default: PROGRAM-KIND-messages)."
SEND_HELP = ("Deliver by SMTP (MENTORKIT_SMTP_URL, e.g. smtp://user:password@host:587, "
             "STARTTLS) instead of writing files; a message already sent is never sent again.")


@click.group()
@click.argument("program", type=ProgramRef())
@click.pass_context
def notify(ctx: click.Context, program) -> None:
    """Messages to PROGRAM's participants: written as .eml files to review, or --send.

    \b
    mentorkit notify PROGRAM intro                  introductions after `match accept`
    mentorkit notify PROGRAM assessment mid-year    an assessment's invitation
    """
    ctx.obj.notify_program = program


@notify.command()
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), help=OUT_HELP)
@click.option("--send", is_flag=True, help=SEND_HELP)
@resend_option
@click.pass_context
def intro(ctx: click.Context, out: Path | None, send: bool, resend: bool) -> None:
    """One introduction per member of each active group: who their match is, how to reach
    them, why they were matched, the first event or meeting window, the program's contact."""
    program = ctx.obj.notify_program
    letters = messages.introductions(program)
    if not letters:
        raise click.ClickException(f"{program.key} has no active groups: accept a proposal "
                                   f"first (`mentorkit match accept {program.key}`)")
    deliver(program, letters, "intro", out, send, resend)


@notify.command()
@click.argument("name")
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), help=OUT_HELP)
@click.option("--send", is_flag=True, help=SEND_HELP)
@resend_option
@click.pass_context
def assessment(ctx: click.Context, name: str, out: Path | None, send: bool,
               resend: bool) -> None:
    """The invitation to assessment NAME (see `mentorkit assessments list PROGRAM`) for
    every member of each active group it asks."""
    program = ctx.obj.notify_program
    letters = messages.invitations(program, name)
    if not letters:
        raise click.ClickException(f"{program.key} has no active groups to ask")
    deliver(program, letters, name, out, send, resend)


def register(cli: click.Group) -> None:
    cli.add_command(notify)
