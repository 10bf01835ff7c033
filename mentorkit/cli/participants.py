"""``mentorkit participants``: import sign-ups, list, select, withdraw, activities, export."""

from __future__ import annotations

from pathlib import Path

import click

from mentorkit.cli.lazy import lazy
from mentorkit.cli.output import (
    csv_text,
    done,
    emit,
    progress_bar,
    report_bulk,
    say,
    to_json,
    warn,
)
from mentorkit.cli.params import (
    DAY,
    audience_option,
    check_group_audience,
    cycle_option,
    format_options,
    json_option,
    program_argument,
    show_sensitive_option,
)
from mentorkit.services.surveys import FORMATS
from mentorkit.views.words import plural, possessive

bulk = lazy("mentorkit.services.bulk")
corrections = lazy("mentorkit.services.corrections")
exports = lazy("mentorkit.services.exports")
lifecycle = lazy("mentorkit.services.lifecycle")
selection = lazy("mentorkit.services.selection")
tracking = lazy("mentorkit.services.tracking")
cells = lazy("mentorkit.services.cells")
enrollment = lazy("mentorkit.services.enrollment")
views = lazy("mentorkit.views.audience")

STATUSES = ("applied", "eligible", "ineligible", "selected", "matched", "withdrawn", "completed")


@click.group()
def participants() -> None:
    """Import sign-ups, list and select participants, record withdrawals and activities,
    export rosters for an audience."""


@participants.command("import")
@program_argument
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--dry-run", is_flag=True, help="Check and report; store nothing.")
@format_options
@json_option
@click.pass_context
def import_(ctx: click.Context, program, file: Path, dry_run: bool, fmt: str | None,
            dictionary: Path | None, as_json: bool) -> None:
    """Import PROGRAM's sign-up export FILE, as the survey tool wrote it: Qualtrics, REDCap,
    Google Forms, Microsoft Forms (.xlsx), SurveyMonkey or any CSV (told from the file).
    Bad rows are reported and kept in a rejects file beside FILE; good rows import. A person
    who submitted twice is enrolled from their latest submission. Exit 1 if any row was
    rejected."""
    with progress_bar(file, "Importing") as progress:
        report = enrollment.import_csv(program, file, dry_run=dry_run, progress=progress,
                                       fmt=fmt, dictionary=dictionary)
    if as_json:
        emit([{"stored": not dry_run, "format": report.format, "added": report.added,
               "updated": report.updated, "unchanged": report.unchanged,
               "rejected": report.rejected_rows,
               "errors": [{"line": e.line, "column": e.column or None, "reason": e.reason}
                          for e in report.errors],
               "superseded": [{"line": line, "by": by} for line, by in report.superseded],
               "rejects_file": str(report.rejects_file) if report.rejects_file else None,
               "withheld_columns": list(report.emptied_columns),
               "last_year": report.last_year}], (), as_json=True)
        if report.rejected_rows:
            ctx.exit(1)
        return
    for error in report.errors:
        where = f"line {error.line}" + (f", column {error.column!r}" if error.column else "")
        say(f"{file}: {where}: {error.reason}", err=True)
    for line, by in report.superseded:
        say(f"{file}: line {line}: superseded by line {by} (a later submission of the same "
            "person)", err=True)
    verb = "Would import" if dry_run else "Imported"
    superseded = f", {len(report.superseded)} superseded" if report.superseded else ""
    say(f"{verb} ({report.format} export): {report.added} added, {report.updated} updated, "
        f"{report.unchanged} unchanged, {report.rejected_rows} rejected{superseded}")
    if report.last_year:
        warn(f"{report.last_year} rows signed up a year or more before this cycle's sign-ups "
             f"({program.config.cycle.label}): is {file.name} last year's export?")
    if report.rejects_file:
        say(f"Rejected rows kept in {report.rejects_file} (readable by you only)")
    if report.emptied_columns:
        say(f"Confidential answers withheld there ({', '.join(report.emptied_columns)}): "
            f"type each back in place of {cells.WITHHELD} before importing the fixed file (or set "
            "enrollment.rejects_keep_sensitive = true in the program to keep them)")
    if report.rejected_rows:
        ctx.exit(1)


@participants.command("list")
@program_argument
@cycle_option
@click.option("--status", type=click.Choice(STATUSES), help="Only this status.")
@click.option("--role", help="Only this role.")
@click.option("--unmatched", is_flag=True, help="Only people in no proposed or active group.")
@click.option("--json", "as_json", is_flag=True,
              help="Print JSON for scripts, with each person's answers (sensitive ones only "
                   "with --show-sensitive).")
@show_sensitive_option
def list_participants(program, status: str | None, role: str | None,
                      unmatched: bool, as_json: bool, show_sensitive: bool) -> None:
    """List PROGRAM's participants of the current cycle."""
    if show_sensitive and not as_json:
        raise click.UsageError("--show-sensitive goes with --json (the table shows no answers)")
    viewer = views.Viewer.administrator(program, show_sensitive, "participants list")
    rows = exports.roster(program, viewer, status, role, unmatched, with_answers=as_json)
    emit(rows, ("id", "name", "email", "role", "sides", "status"), as_json)


@participants.command()
@program_argument
@click.option("--dry-run", is_flag=True, help="Show who would be selected; store nothing.")
@json_option
def select(program, dry_run: bool, as_json: bool) -> None:
    """Select among PROGRAM's eligible applicants where the program selects (the top N of
    each year by application and interview score): the chosen become `selected`, and
    matching then uses them. Ties at the cut-off and shortfalls are reported."""
    found = selection.select(program, dry_run)
    if found is None:
        raise click.ClickException(f"{possessive(program.key)} matcher "
                                   f"({program.config.matching.component}) does not select; "
                                   "`mentorkit match run` places everyone eligible")
    result, names = found.result, found.names
    if as_json:
        emit([{"stored": not dry_run,
               "selected": [{"id": i, "name": names[i][0], "role": names[i][1]}
                            for i in result.selected],
               "not_selected": [{"id": i, "name": names[i][0], "why": why}
                                for i, why in sorted(result.not_selected.items())],
               "notes": list(result.notes)}], (), as_json=True)
        return
    say(f"Selected: {len(result.selected)}")
    for person_id in result.selected:
        say(f"  {names[person_id][0]} ({names[person_id][1]})")
    if result.not_selected:
        say(f"Not selected: {len(result.not_selected)}")
        for person_id, why in sorted(result.not_selected.items()):
            say(f"  {names[person_id][0]}: {why}")
    for note in result.notes:
        say(f"Note: {note}")
    if dry_run:
        say("Dry run: nothing stored.")


@participants.command()
@program_argument
@click.argument("person")
@click.argument("field")
@click.argument("value")
@json_option
def correct(program, person: str, field: str, value: str, as_json: bool) -> None:
    """Correct PERSON's (e-mail or id) answer to FIELD (an intake field's name) to VALUE,
    typed as in the sign-up export ("" clears an optional answer). Checked as an import
    checks it; the value is not repeated, and the audit log records the field only. Run
    `mentorkit eligibility` afterwards: a corrected answer may change who is eligible."""
    corrected = corrections.correct(program, person, field, value)
    done(as_json, {"id": corrected.id, "name": corrected.name, "email": corrected.email,
                   "field": field, "corrected": True},
         f"Corrected {field} of {corrected.name} ({corrected.email}) in {program.key}.")


@participants.command()
@program_argument
@click.argument("person")
@click.option("--reason", required=True, help="Why the late sign-up is admitted (kept).")
@json_option
def admit(program, person: str, reason: str, as_json: bool) -> None:
    """Admit PERSON's late sign-up by your decision: the sign-up deadline no longer counts
    against them (every other rule still does), and they are checked again at once."""
    admitted = corrections.admit(program, person, reason)
    done(as_json, {"id": admitted.id, "name": admitted.name, "email": admitted.email,
                   "admitted": True, "status": admitted.status},
         f"{admitted.name} is admitted despite signing up late, and is now {admitted.status}"
         + ("." if admitted.status != "ineligible" else f" for another reason (`mentorkit "
            f"eligibility {program.key}` says which)."))


@participants.command()
@program_argument
@click.argument("person")
@click.option("--reason", default="", help="Optional; none is required.")
@click.option("--on", "on", type=DAY,
              help="The day they withdrew (YYYY-MM-DD), when they told you earlier; "
                   "default: today.")
@json_option
def withdraw(program, person: str, reason: str, on, as_json: bool) -> None:
    """Withdraw PERSON (e-mail or id) from PROGRAM, at any time, with no reason required.

    Their data is kept for the program's records; each of their groups is flagged for
    attention and told the truth again (why it fits now, its relationships)."""
    try:
        flagged = lifecycle.withdraw(program, person, reason, on.date() if on else None)
    except lifecycle.DateError as error:
        raise click.BadParameter(str(error), param_hint="--on") from None
    done(as_json, {"person": person, "withdrawn": True,
                   "groups": [{"group": g.group, "attention": g.attention} for g in flagged]},
         f"{person} has withdrawn from {program.key}.",
         *(f"Group {g.group} needs attention: {g.attention}." for g in flagged),
         *([lifecycle.after_withdrawal(program, selection.selects(program))]
           if flagged else []))


@participants.command()
@program_argument
@click.argument("person", required=False)
@click.argument("activity", required=False)
@click.option("--on", "on", type=DAY, help="When (YYYY-MM-DD).")
@click.option("--file", "file", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="A sign-in sheet or form export: a row per person (an e-mail column), "
                   "with an activity column, or ACTIVITY for every row, and a date column "
                   "if known.")
@click.option("--dry-run", is_flag=True, help="With --file: check and report; store nothing.")
@click.option("--format", "fmt", type=click.Choice(FORMATS),
              help="With --file: the tool that wrote it (default: told from the file).")
@json_option
@click.pass_context
def attend(ctx: click.Context, program, person: str | None, activity: str | None, on,
           file: Path | None, dry_run: bool, fmt: str | None, as_json: bool) -> None:
    """Record that PERSON took part in ACTIVITY (a training session, workshop or survey);
    or, with --file, everyone a sign-in sheet lists (`attend PROGRAM --file FILE [ACTIVITY]`).
    Exit 1 if any row was rejected."""
    if file is None:
        if person is None or activity is None:
            raise click.UsageError("give PERSON and ACTIVITY, or --file FILE")
        if dry_run or fmt:
            raise click.UsageError("--dry-run and --format go with --file")
        tracking.attend(program, person, activity, on.date() if on else None)
        done(as_json, {"person": person, "activity": activity, "recorded": True},
             f"Recorded: {person} took part in {activity!r}.")
        return
    if activity is not None or on is not None:
        raise click.UsageError("with --file, give at most ACTIVITY (the sheet's dates are "
                               "read from its date column)")
    report = bulk.import_attendance(program, file, person, dry_run=dry_run, fmt=fmt)
    report_bulk(ctx, file, report, dry_run, "recorded", "already recorded", as_json)


@participants.command()
@program_argument
@cycle_option
@json_option
@click.option("--missing", is_flag=True, help="Only people missing a required activity.")
def activities(program, as_json: bool, missing: bool) -> None:
    """Who took part in which of PROGRAM's activities, and what each still owes."""
    rows = [r for r in tracking.activity_report(program) if r.missing or not missing]
    emit(rows, ("name", "role", "attended", "missing"), as_json)


@participants.command()
@program_argument
@cycle_option
@audience_option("public", "Who the export is for; it decides what it may hold.")
@show_sensitive_option
@click.option("--format", "fmt", type=click.Choice(["csv", "json"]), default="csv",
              show_default=True)
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path),
              help="Write to this file (readable by you only) instead of printing.")
@click.option("--json", "as_json", is_flag=True,
              help="For scripts: the rows as JSON (as --format json), or with --out what "
                   "was written.")
def export(program, audience, group_label: str | None,
           show_sensitive: bool, fmt: str, out: Path | None, as_json: bool) -> None:
    """Export PROGRAM's participants for an AUDIENCE. public: counts only. participants: the
    people taking part, with what each shared with all participants. group: one group's
    members, with what each shared with the group. administrator: everyone with their status
    (sensitive answers only with --show-sensitive)."""
    check_group_audience(audience, group_label)
    if show_sensitive and str(audience) != "administrator":
        raise click.UsageError("--show-sensitive is for --audience administrator only")
    if out is not None:  # audited only once written
        rows = exports.write_export(program, audience, group_label, show_sensitive, fmt, out)
        if as_json:
            emit([{"file": str(out), "rows": rows, "audience": str(audience),
                   "format": fmt}], (), as_json=True)
            return
        say(f"Wrote {plural(rows, 'row')} for the {audience} audience to {out}.", err=True)
        return
    rows, columns = exports.export_rows(program, audience, group_label, show_sensitive, "stdout")
    json_out = as_json or fmt == "json"
    say((to_json(rows) if json_out else csv_text(rows, columns)).rstrip("\n"))


def register(cli: click.Group) -> None:
    cli.add_command(participants)
