"""``mentorkit assessments``: what each program asks its groups, and importing responses."""

from __future__ import annotations

from pathlib import Path

import click

from mentorkit.cli.lazy import lazy
from mentorkit.cli.output import emit, heading, say
from mentorkit.cli.params import cycle_option, json_option, program_argument
from mentorkit.views.words import plural

assessments_service = lazy("mentorkit.services.assessments")


@click.group()
def assessments() -> None:
    """Relationship assessments: what each program asks, and importing responses."""


@assessments.command("list")
@program_argument
@cycle_option
@json_option
def list_assessments(program, as_json: bool) -> None:
    """PROGRAM's assessments, their questions, and how many responses are in."""
    rows = assessments_service.listing(program)
    if not rows and not as_json:
        say(f"{program.key} declares no assessments ([[assessments]] in its program file).")
        return
    emit(rows, ("name", "title", "opens", "responses"), as_json)


@assessments.command("import")
@program_argument
@cycle_option
@click.argument("name")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@json_option
@click.pass_context
def import_responses(ctx: click.Context, program, name: str, file: Path,
                     as_json: bool) -> None:
    """Import the survey tool's export of responses to assessment NAME: an e-mail column,
    a column per question (its text or name), and a 'relationship' column with the code
    each invitation gave (needed for someone in several relationships). Bad rows are
    reported with their line while good rows import; a new response about a relationship
    replaces the earlier one. A response about a relationship that has ended since is
    taken; --cycle takes a closed year's late responses (an end-of-year survey)."""
    report = assessments_service.import_responses(program, name, file)
    if as_json:
        emit([{"assessment": name, "added": report.added, "replaced": report.replaced,
               "rejected": report.rejected_rows,
               "errors": [{"line": e.line, "column": e.column or None, "reason": e.reason}
                          for e in report.errors],
               "rejects_file": str(report.rejects_file) if report.rejects_file else None}],
             (), as_json=True)
        if report.errors:
            ctx.exit(1)
        return
    heading(f"{name}: {plural(report.added, 'response')} added, {report.replaced} replaced, "
            f"{plural(report.rejected_rows, 'row')} rejected")
    for error in report.errors:
        say(f"  line {error.line}" + (f", column {error.column!r}" if error.column else "")
            + f": {error.reason}", err=True)
    if report.rejects_file:
        say(f"Rejected rows were written to {report.rejects_file} to fix and import again.")
    if report.errors:
        ctx.exit(1)


def register(cli: click.Group) -> None:
    cli.add_command(assessments)
