"""``mentorkit notify``: introductions, "your group changed" letters and assessment
invitations, as .eml files to review or sent by mail."""

from __future__ import annotations

from pathlib import Path

import click

from mentorkit.cli.common import deliver, resend_option
from mentorkit.cli.output import say
from mentorkit.cli.params import ProgramRef
from mentorkit.services import assessments, invitations, links, messages

OUT_HELP = "Folder for the .eml files to review (default: PROGRAM-KIND-messages)."
SEND_HELP = ("Deliver by SMTP (MENTORKIT_SMTP_URL, e.g. smtp://user:password@host:587, "
             "STARTTLS) instead of writing files; a message already sent is never sent again.")


@click.group()
@click.argument("program", type=ProgramRef())
@click.pass_context
def notify(ctx: click.Context, program) -> None:
    """Messages to PROGRAM's participants: written as .eml files to review, or --send.

    \b
    mentorkit notify PROGRAM intro                  introductions after `match accept`,
                                                    and "your group changed" letters
    mentorkit notify PROGRAM assessment mid-year    an assessment's invitations
    """
    ctx.obj.notify_program = program


def _send_or_write(program, letters, kind: str, out: Path | None, send: bool,
                   resend: bool, base_url: str | None = None) -> None:
    """Only what was never sent: a re-run proposes no second welcome (a message whose
    delivery an earlier run could not confirm is the sender's to decide: --send says)."""
    if resend and not send:
        raise click.UsageError("--resend-uncertain goes with --send")
    pending, sent_before = messages.unsent(program, letters)
    if not pending:
        say(f"Nothing new: all {sent_before} {kind} message(s) were sent before.")
        return
    if sent_before:
        say(f"{sent_before} {kind} message(s) were sent before and are left out.")
    if base_url:  # each welcome about to go gets its member's new personal link
        pending = links.with_links(program, pending, base_url)
    deliver(program, pending, kind, out, send, resend)


@notify.command()
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), help=OUT_HELP)
@click.option("--send", is_flag=True, help=SEND_HELP)
@resend_option
@click.option("--base-url", envvar="MENTORKIT_BASE_URL", metavar="URL",
              help="The participants' page's public address (`mentorkit serve`): each "
                   "welcome then carries its member's new personal link [env: "
                   "MENTORKIT_BASE_URL].")
@click.pass_context
def intro(ctx: click.Context, out: Path | None, send: bool, resend: bool,
          base_url: str | None) -> None:
    """One welcome per member of each active group (who their match is, how to reach them,
    why they were matched, the first event or meeting window, the program's contact), and
    one "your group changed" letter to each member of a group someone left or joined. Each
    is sent once: a member is never welcomed twice to the same group."""
    program = ctx.obj.notify_program
    if base_url and not base_url.startswith(("http://", "https://")):
        raise click.UsageError("--base-url must be the page's full address, e.g. "
                               "https://mentoring.example.edu")
    letters = messages.introductions(program, base_url)
    if not letters:
        raise click.ClickException(f"{program.key} has no active groups: accept a proposal "
                                   f"first (`mentorkit match accept {program.key}`)")
    _send_or_write(program, letters, "intro", out, send, resend, base_url)


@notify.command()
@click.argument("name")
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), help=OUT_HELP)
@click.option("--send", is_flag=True, help=SEND_HELP + " Not before the assessment opens.")
@resend_option
@click.pass_context
def assessment(ctx: click.Context, name: str, out: Path | None, send: bool,
               resend: bool) -> None:
    """The invitations to assessment NAME (see `mentorkit assessments list PROGRAM`): one
    per member it asks and relationship of theirs (a mentor of three is asked about each),
    with the relationship's code for the survey to bring back."""
    program = ctx.obj.notify_program
    chosen = assessments.assessment_of(program, name)
    if send:
        invitations.opens_check(program, chosen)
    letters = invitations.invitations(program, chosen)
    if not letters:
        raise click.ClickException(f"{program.key} has no active groups to ask")
    _send_or_write(program, letters, name, out, send, resend)


def register(cli: click.Group) -> None:
    cli.add_command(notify)
