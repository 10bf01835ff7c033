"""``mentorkit report``: a program's report as one self-contained HTML page, for one audience."""

from __future__ import annotations

from pathlib import Path

import click

from mentorkit.cli.common import as_of_moment
from mentorkit.cli.lazy import lazy
from mentorkit.cli.output import done, stage_bar
from mentorkit.cli.params import (
    WHEN,
    audience_option,
    check_group_audience,
    cycle_option,
    json_option,
    program_argument,
)

reports = lazy("mentorkit.services.reports")


@click.command()
@program_argument
@cycle_option
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path),
              help="The HTML file to write (readable by you only; default: "
                   "PROGRAM-report.html).")
@audience_option("administrator", "Who the report is for; it decides what it may hold.")
@click.option("--as-of", type=WHEN, help="Judge cadence as of this date; default: now.")
@json_option
def report(program, out: Path | None, audience,
           group_label: str | None, as_of: str | None, as_json: bool) -> None:
    """Write PROGRAM's report: rules in plain words, counts, groups with their scores and
    reasons (fallbacks called out), charts, cadence over the year, assessments. One
    self-contained page (no network needed, no script), made for one audience:
    administrator (everything), group (one group), participants (who is in which group, for
    those who let all participants see them), public (counts)."""
    check_group_audience(audience, group_label)
    target = out or Path(f"{program.key}-report.html")
    with stage_bar("Writing the report", reports.STAGES) as progress:
        written = reports.write(program, audience, as_of_moment(program, as_of), target,
                                group_label, progress)
    done(as_json, {"file": str(written), "audience": str(audience), "group": group_label},
         f"Wrote the {audience} report of {program.key} to {written}")


def register(cli: click.Group) -> None:
    cli.add_command(report)
