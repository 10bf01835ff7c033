"""``mentorkit eligibility``: who is eligible, and every reason why not."""

from __future__ import annotations

import click

from mentorkit.cli.lazy import lazy
from mentorkit.cli.output import emit, heading, stage_bar
from mentorkit.cli.params import (
    cycle_option,
    json_option,
    program_argument,
    show_sensitive_option,
)

judged = lazy("mentorkit.services.eligibility")
lookup = lazy("mentorkit.services.lookup")
views = lazy("mentorkit.views.audience")


@click.command()
@program_argument
@cycle_option
@json_option
@click.option("--no-update", is_flag=True, help="Report only; do not record statuses.")
@click.option("--brief", is_flag=True, help="Count eligible people instead of listing them.")
@show_sensitive_option
def eligibility(program, as_json: bool, no_update: bool,
                brief: bool, show_sensitive: bool) -> None:
    """Check who is eligible for PROGRAM, with every reason each person is not.

    Records the result as each undecided participant's status (eligible / ineligible).
    Late sign-ups are listed apart. A reason resting on a sensitive answer is shown as such
    unless --show-sensitive is given and the program allows it. With --cycle, a closed
    year's verdicts are shown under that year's rules and nothing is recorded."""
    viewer = views.Viewer.administrator(program, show_sensitive, "eligibility")
    # a closed year's verdicts are read, never recorded: its statuses are the record
    record = not no_update and not lookup.is_closed(program)
    with stage_bar("Eligibility", 1) as progress:
        progress("judging every sign-up", judged.signed_up(program))
        rows = judged.check_all(program, viewer, record=record)
    if as_json:
        emit(rows, (), as_json=True)
        return
    eligible = [r for r in rows if r.eligible]
    late = [r for r in rows if r.late_only]
    other = [r for r in rows if not r.eligible and not r.late_only]
    heading(f"Eligible: {len(eligible)}")
    if not brief:
        emit(eligible, ("id", "name", "role"), False)
    heading(f"\nNot eligible: {len(other)}")
    emit(other, ("id", "name", "role", "reasons"), False)
    heading(f"\nLate sign-ups: {len(late)}")
    emit(late, ("id", "name", "role", "reasons"), False)


def register(cli: click.Group) -> None:
    cli.add_command(eligibility)
