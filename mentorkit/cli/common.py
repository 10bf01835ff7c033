"""What several command groups share beyond parsing: judging "as of" a moment, and ending a
command that messages participants."""

from __future__ import annotations

from pathlib import Path

import click

from mentorkit.cli.lazy import lazy
from mentorkit.cli.output import done, warn
from mentorkit.views.words import plural

cadence = lazy("mentorkit.services.cadence")
mail = lazy("mentorkit.services.mail")
smtp = lazy("mentorkit.services.smtp")


def as_of_moment(program, text: str | None):
    """The moment to judge at (now, or a date or time typed in the program's time zone),
    warning when it lies outside the program's cycle."""
    moment = cadence.as_of(program, text)
    if (why := cadence.outside_cycle(program, moment.date())) is not None:
        warn(why)
    return moment


RESEND_HELP = ("With --send: send again the messages an earlier run left uncertain (the "
               "connection was lost before the server confirmed them); they may arrive twice.")


def resend_option(command):
    """``--resend-uncertain``, beside ``--send``."""
    return click.option("--resend-uncertain", "resend", is_flag=True, help=RESEND_HELP)(command)


def deliver(program, letters, kind: str, out: Path | None, send: bool,
            resend: bool = False, as_json: bool = False, before: int = 0) -> None:
    """Write ``letters`` as .eml files to review, or send them (``before``: how many were
    sent by an earlier run, left out)."""
    if resend and not send:
        raise click.UsageError("--resend-uncertain goes with --send")
    if not program.config.program.contact:
        warn(f"{program.key} has no program.contact: the messages name no one to write to")
    if send:
        report = smtp.send(program, letters, resend_uncertain=resend)  # MailError: one line
        done(as_json, {"kind": kind, "sent": report.sent,
                       "sent_before": report.already_sent + before,
                       "uncertain": [{"recipient": u.recipient, "kind": u.kind}
                                     for u in report.uncertain],
                       "resent": report.resent},
             f"Sent {plural(report.sent, kind + ' message')}"
             + (f"; {plural(report.already_sent, 'message')} had been sent before and "
                f"{'was' if report.already_sent == 1 else 'were'} not sent again"
                if report.already_sent else "") + ".")
        _say_uncertain(report)
        return
    folder = out or Path(f"{program.key}-{kind}-messages")
    paths = mail.write_eml(folder, program, letters)
    done(as_json, {"kind": kind, "folder": str(folder), "written": len(paths),
                   "sent_before": before, "files": [p.name for p in paths]},
         f"Wrote {plural(len(paths), kind + ' message')} to {folder} (owner-only .eml files: "
         "open them in a mail program to review). To deliver them, run the same command "
         "with --send.")


def _say_uncertain(report) -> None:
    """The messages whose delivery no one can vouch for: the administrator decides."""
    if not report.uncertain:
        return
    listed = "; ".join(f"{u.recipient} ({u.kind})" for u in report.uncertain)
    if report.resent:
        warn(f"sent again {plural(len(report.uncertain), 'message')} that may have been delivered "
             f"before, so they may arrive twice: {listed}")
    else:
        warn(f"{plural(len(report.uncertain), 'message')} may or may not have been delivered (the "
             "connection to the mail server was lost before it confirmed them) and were not "
             f"sent again: {listed}. If they did not arrive, run the same command with "
             "--resend-uncertain.")
