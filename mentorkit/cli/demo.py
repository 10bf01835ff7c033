"""``mentorkit demo``: the whole flow on the bundled example data, in a fresh database."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import click

from mentorkit.cli import cadence, lifecycle, matching, notify, participants, programs, report
from mentorkit.cli.output import heading, out_folder, say, write_file
from mentorkit.kernel.program import load_program
from mentorkit.shipped import example_export, shipped_programs
from mentorkit.storage.models import Group, Membership

DEFAULT_DIR = "mentorkit-demo"
MARKER = ".mentorkit-demo"  # only a folder the demo made is ever emptied by it


def _fresh(folder: Path) -> None:
    if folder.exists():
        if not (folder / MARKER).exists():
            raise click.ClickException(f"{folder} exists and was not made by the demo; "
                                       "choose another --dir")
        shutil.rmtree(folder)
    folder.parent.mkdir(parents=True, exist_ok=True)
    out_folder(folder)  # it will hold a database and sign-ups: owner-only
    write_file(folder / MARKER, "")


def _step(ctx: click.Context, title: str, command: click.Command, **kwargs) -> None:
    heading(f"\n$ mentorkit {title}")
    # A rejected row exits 1 for scripts, and a re-run may form nothing; in the demo both are
    # part of the story, so they are shown and the year goes on.
    from mentorkit.cli import expected_errors  # the package imports this module

    try:
        ctx.invoke(command, **kwargs)
    except click.exceptions.Exit:
        pass
    except click.ClickException as error:
        say(f"Error: {error.format_message()}")
    except expected_errors() as error:
        say(f"Error: {error}")


def _members(key: str, index: int) -> list[str]:
    """E-mails of the current members of the program's ``index``-th active group."""
    groups = Group.select().where((Group.status == "active")
                                  & Group.label.startswith(f"{key}-")).order_by(Group.label)
    chosen = list(groups)[index] if groups.count() > index else None
    return [m.participant.email for m in chosen.current_memberships()] if chosen else []


def _proposed(key: str) -> bool:
    """Whether the last run stored anything to accept (new groups or joins)."""
    return (Group.select().where((Group.status == "proposed")
                                 & Group.label.startswith(f"{key}-")).exists()
            or Membership.select().join(Group).where(
                Membership.pending & Group.label.startswith(f"{key}-")).exists())


def _year(ctx: click.Context, folder: Path, config: Path, export: Path) -> None:
    """One program's year, as a coordinator runs it."""
    key = config.stem
    cycle = load_program(config).config.cycle
    starts = cycle.match_by or cycle.academic_year_start
    heading(f"\n=== {key} ===")
    _step(ctx, f"programs add {config.name}", programs.add, file=str(config))
    _step(ctx, f"participants import {key} {export.name}", participants.import_,
          program=key, file=export, dry_run=False)
    _step(ctx, f"eligibility {key} --brief", participants.eligibility, program=key,
          as_json=False, no_update=False, brief=True)
    if key == "peer-mentoring":
        _step(ctx, f"participants select {key}", lifecycle.select, program=key)
    _step(ctx, f"match run {key}", matching.run, program=key)
    _step(ctx, f"match accept {key} --starts-on {starts}", matching.accept, program=key,
          starts_on=dt.datetime.combine(starts, dt.time()))
    ctx.obj.notify_program = load_program(config)
    _step(ctx, f"notify {key} intro --out intro-{key}", notify.intro,
          out=folder / f"intro-{key}", send=False)
    first = Group.select().where((Group.status == "active")
                                 & Group.label.startswith(f"{key}-")).order_by(Group.label)
    label = first[0].label if first.count() else None
    if label:
        for days, kind in ((10, "in-person"), (30, "video")):
            when = f"{starts + dt.timedelta(days=days)} 17:30"
            _step(ctx, f"meetings log {key} {label} --when '{when}' --kind {kind}",
                  cadence.log_meeting, program=key, group=label, when=when, kind=kind)
    as_of = starts + dt.timedelta(days=45)
    _step(ctx, f"cadence status {key} --as-of {as_of} --only overdue", cadence.status,
          program=key, as_of=str(as_of), only="overdue")
    leaving, changing = _members(key, 1)[-1:], _members(key, 2)[-1:]
    for person in leaving:
        _step(ctx, f"participants withdraw {key} {person}", lifecycle.withdraw, program=key,
              person=person)
    for person in changing:
        _step(ctx, f"match change {key} {person}", lifecycle.change, program=key,
              person=person)
        _step(ctx, f"match run {key}", matching.run, program=key)
        if _proposed(key):
            _step(ctx, f"match accept {key} --starts-on {as_of}", matching.accept,
                  program=key, starts_on=dt.datetime.combine(as_of, dt.time()))
    reminders = folder / f"reminders-{key}"
    _step(ctx, f"cadence remind {key} --as-of {as_of} --out {reminders.name}", cadence.remind,
          program=key, as_of=str(as_of), out=reminders)
    report_file = folder / f"{key}-report.html"
    _step(ctx, f"report {key} --as-of {as_of} --out {report_file.name}", report.report,
          program=key, out=report_file, audience="administrator", group_label=None,
          as_of=str(as_of))
    if cycle.continuation and label:
        _step(ctx, f"match continue {key} {label}", lifecycle.continue_, program=key,
              group=label)
    _step(ctx, f"cycles close {key} --yes", lifecycle.close, program=key)


@click.command()
@click.option("--dir", "folder", default=DEFAULT_DIR, show_default=True,
              type=click.Path(file_okay=False, path_type=Path),
              help="Folder for the demo's database and copies of the example sign-ups; "
                   "made afresh on every run.")
@click.pass_context
def demo(ctx: click.Context, folder: Path) -> None:
    """Create a fresh database, load each shipped program that has example sign-ups, and run
    its year: add the program, import sign-ups, check eligibility, select, propose and
    accept groups, log meetings, see who is overdue, a withdrawal and a change of match
    re-placed, reminders, continuation, and closing the cycle."""
    _fresh(folder)
    db_path = folder / "demo.db"
    ctx.obj.db_target = str(db_path)
    ran = 0
    for config in shipped_programs():
        shipped_export = example_export(config.stem)
        if shipped_export is None:
            continue
        export = write_file(folder / shipped_export.name,  # rejects are written beside it
                            shipped_export.read_bytes())
        ran += 1
        _year(ctx, folder, config, export)
    if not ran:
        raise click.ClickException("no shipped program has example data; is mentorkit "
                                   "installed completely?")
    heading(f"\nDone. Explore with: mentorkit --db {db_path} cycles list <key>, "
            f"match show <key>, audit --program <key>; reminders and introductions (.eml) "
            f"are in {folder}")
    for report_file in sorted(folder.glob("*-report.html")):
        say(f"Report: {report_file}")


def register(cli: click.Group) -> None:
    cli.add_command(demo)
