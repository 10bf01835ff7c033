"""What several command groups share beyond parsing: judging "as of" a moment, and ending a
command that messages participants."""

from __future__ import annotations

from pathlib import Path

from mentorkit.cli.output import say, warn
from mentorkit.services import cadence, mail, smtp


def as_of_moment(program, text: str | None):
    """The moment to judge at (now, or a date or time typed in the program's time zone),
    warning when it lies outside the program's cycle."""
    moment = cadence.as_of(program, text)
    if (why := cadence.outside_cycle(program, moment.date())) is not None:
        warn(why)
    return moment


def deliver(program, letters, kind: str, out: Path | None, send: bool) -> None:
    """Write ``letters`` as .eml files to review, or send them."""
    if not program.config.program.contact:
        warn(f"{program.key} has no program.contact: the messages name no one to write to")
    if send:
        report = smtp.send(program, letters)  # a MailError is a one-line error, exit 1
        say(f"Sent {report.sent} {kind} message(s)"
            + (f"; {report.already_sent} had been sent before and were not sent again"
               if report.already_sent else "") + ".")
        return
    folder = out or Path(f"{program.key}-{kind}-messages")
    paths = mail.write_eml(folder, program, letters)
    say(f"Wrote {len(paths)} {kind} message(s) to {folder} (owner-only .eml files: open them "
        "in a mail program to review). To deliver them, run the same command with --send.")
