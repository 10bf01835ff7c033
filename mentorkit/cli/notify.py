"""``mentorkit notify``: introductions, "your group changed" letters and assessment
invitations, as .eml files to review or sent by mail."""

from __future__ import annotations

from pathlib import Path

import click

from mentorkit.cli.common import deliver, resend_option
from mentorkit.cli.lazy import lazy
from mentorkit.cli.output import done, say, stage_bar, warn
from mentorkit.cli.params import ProgramRef, json_option
from mentorkit.views.words import plural, possessive

assessments = lazy("mentorkit.services.assessments")
invitations = lazy("mentorkit.services.invitations")
links = lazy("mentorkit.services.links")
messages = lazy("mentorkit.services.messages")
opening = lazy("mentorkit.services.opening")

OUT_HELP = "Folder for the .eml files to review (default: PROGRAM-KIND-messages)."
SEND_HELP = ("Deliver by SMTP (MENTORKIT_SMTP_URL, e.g. smtp://user:password@host:587, "
             "STARTTLS) instead of writing files; a message already sent is never sent again.")


@click.group()
@click.argument("program", metavar="PROGRAM")
@click.pass_context
def notify(ctx: click.Context, program: str) -> None:
    """Messages to PROGRAM's participants: written as .eml files to review, or --send.

    \b
    mentorkit notify PROGRAM intro                  introductions after `match accept`,
                                                    and "your group changed" letters
    mentorkit notify PROGRAM assessment mid-year    an assessment's invitations
    """
    ctx.obj.notify_program = program  # read when a message command runs, after its own
    # options (so `notify ANYTHING intro --help` answers, and opens no database)


def _program(ctx: click.Context):
    """The group's PROGRAM, resolved as every command resolves its PROGRAM."""
    return ProgramRef().convert(ctx.obj.notify_program, None, ctx)


def _send_or_write(program, letters, kind: str, out: Path | None, send: bool,
                   resend: bool, as_json: bool = False, base_url: str | None = None) -> None:
    """Only what was never sent: a re-run proposes no second welcome (a message whose
    delivery an earlier run could not confirm is the sender's to decide: --send says)."""
    if resend and not send:
        raise click.UsageError("--resend-uncertain goes with --send")
    pending, sent_before = messages.unsent(program, letters)
    if not pending:
        done(as_json, {"kind": kind, "written": 0, "sent": 0, "sent_before": sent_before},
             f"Nothing new: all {plural(sent_before, kind + ' message')} "
             f"{'was' if sent_before == 1 else 'were'} sent before.")
        return
    if sent_before and not as_json:
        say(f"{plural(sent_before, kind + ' message')} {'was' if sent_before == 1 else 'were'} "
            "sent before and " + ("is" if sent_before == 1 else "are") + " left out.")
    if base_url:  # each welcome about to go gets its member's new personal link
        pending = links.with_links(program, pending, base_url)
    deliver(program, pending, kind, out, send, resend, as_json, sent_before)


@notify.command()
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), help=OUT_HELP)
@click.option("--send", is_flag=True, help=SEND_HELP)
@resend_option
@click.option("--base-url", envvar="MENTORKIT_BASE_URL", metavar="URL",
              help="The participants' page's public address (`mentorkit serve`): each "
                   "welcome then carries its member's new personal link [env: "
                   "MENTORKIT_BASE_URL].")
@json_option
@click.pass_context
def intro(ctx: click.Context, out: Path | None, send: bool, resend: bool,
          base_url: str | None, as_json: bool) -> None:
    """One letter to each person in an active group, welcoming them to every group they are
    new to (who is in it and how to reach them, why they were matched, when to meet first,
    the goals and resources, the calendar attached), and one "your group changed" letter to
    each member of a group someone left or joined. A person is welcomed once to each
    group."""
    if resend and not send:
        raise click.UsageError("--resend-uncertain goes with --send")
    if base_url and not base_url.startswith(("http://", "https://")):
        raise click.UsageError("--base-url must be the page's full address, e.g. "
                               "https://mentoring.example.edu")
    program = _program(ctx)
    with stage_bar("Introductions", 2) as progress:
        found = messages.introductions(program, progress, base_url)
        if not found.letters and not found.welcomed:
            raise click.ClickException(f"{program.key} has no active groups: accept a "
                                       f"proposal first (`mentorkit match accept "
                                       f"{program.key}`)")
        if not found.letters:
            done(as_json, {"kind": "intro", "written": 0, "sent": 0,
                           "welcomed": found.welcomed},
                 f"Nothing new: everyone in {possessive(program.key)} active groups was "
                 f"welcomed before ({plural(found.welcomed, 'welcome')} sent).")
            return
        progress("sending" if send else "writing the files", len(found.letters))
        _send_or_write(program, found.letters, "intro", out, send, resend, as_json,
                       base_url)


@notify.command()
@click.argument("name")
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), help=OUT_HELP)
@click.option("--send", is_flag=True, help=SEND_HELP + " Not before the assessment opens.")
@resend_option
@json_option
@click.pass_context
def assessment(ctx: click.Context, name: str, out: Path | None, send: bool,
               resend: bool, as_json: bool) -> None:
    """The invitations to assessment NAME (see `mentorkit assessments list PROGRAM`): one
    per member it asks and relationship of theirs (a mentor of three is asked about each),
    with the relationship's code for the survey to bring back."""
    program = _program(ctx)
    chosen = assessments.assessment_of(program, name)
    if send:
        opening.opens_check(program, chosen)
    else:
        try:
            opening.opens_check(program, chosen)
        except opening.NotOpenYet as early:  # to review now, to send from that day
            warn(str(early))
    letters = invitations.invitations(program, chosen)
    if not letters:
        raise click.ClickException(f"{program.key} has no active groups to ask")
    _send_or_write(program, letters, name, out, send, resend, as_json)


def register(cli: click.Group) -> None:
    cli.add_command(notify)
