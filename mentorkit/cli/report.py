"""`mentorkit report`: a program's report as one self-contained HTML page, for one audience."""

from __future__ import annotations

from pathlib import Path

import click

from mentorkit.cli.output import say
from mentorkit.cli.params import WHEN, AudienceChoice
from mentorkit.cli.programs import resolve_program


@click.command()
@click.argument("program")
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path),
              help="The HTML file to write (readable by you only; default: "
                   "PROGRAM-report.html).")
@click.option("--audience", type=AudienceChoice(), default="administrator", show_default=True,
              help="Who the report is for; it decides what it may hold.")
@click.option("--group", "group_label", metavar="LABEL",
              help="With --audience group: the group the report is for (required).")
@click.option("--as-of", type=WHEN, help="Judge cadence as of this date; default: now.")
@click.pass_context
def report(ctx: click.Context, program: str, out: Path | None, audience: str,
           group_label: str | None, as_of: str | None) -> None:
    """Write PROGRAM's report: rules in plain words, counts, groups with their scores and
    reasons (fallbacks called out), charts, cadence over the year, assessments. One
    self-contained page (no network needed, no script), made for one audience:
    administrator (everything), group (one group), participants (who is in which group, for
    those who let all participants see them), public (counts)."""
    from mentorkit import report as reports
    from mentorkit.cli.cadence import as_of_moment
    from mentorkit.cli.privacy import viewer_for
    from mentorkit.exports import audit_export
    from mentorkit.kernel.concerns import Audience

    chosen = Audience(audience)
    if (chosen is Audience.GROUP) != bool(group_label):
        raise click.UsageError("--group LABEL goes with --audience group, and it needs one")
    ctx.obj.open_db()
    loaded = resolve_program(ctx, program)
    target = out or Path(f"{loaded.key}-report.html")
    viewer = viewer_for(loaded, chosen, group_label, False, target)
    moment = as_of_moment(loaded, as_of)
    written = reports.write(loaded, viewer, moment, target, group_label)
    audit_export(loaded, chosen, 1, str(written))
    say(f"Wrote the {chosen} report of {loaded.key} to {written}")


def register(cli: click.Group) -> None:
    cli.add_command(report)
