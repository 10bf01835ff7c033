"""``mentorkit demo``: the whole flow on the bundled example data, in a fresh database."""

from __future__ import annotations

import contextlib
import datetime as dt
import shutil
from pathlib import Path

import click

from mentorkit.cli import cadence, matching, participants, programs
from mentorkit.cli.output import heading, out_folder, write_file
from mentorkit.config.loader import load_program
from mentorkit.shipped import example_export, shipped_programs

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
    # A rejected row exits 1 for scripts; in the demo it is part of the story.
    with contextlib.suppress(click.exceptions.Exit):
        ctx.invoke(command, **kwargs)


@click.command()
@click.option("--dir", "folder", default=DEFAULT_DIR, show_default=True,
              type=click.Path(file_okay=False, path_type=Path),
              help="Folder for the demo's database and copies of the example sign-ups; "
                   "made afresh on every run.")
@click.pass_context
def demo(ctx: click.Context, folder: Path) -> None:
    """Create a fresh database, load each shipped program that has example sign-ups, and run
    the flow: add the program, import sign-ups, check eligibility, propose and accept groups,
    and see where each group stands on the program's cadence."""
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
        key = config.stem
        heading(f"\n=== {key} ===")
        _step(ctx, f"programs add {config.name}", programs.add, file=str(config))
        _step(ctx, f"participants import {key} {export.name}", participants.import_,
              program=key, file=export, dry_run=False)
        _step(ctx, f"eligibility {key}", participants.eligibility, program=key, as_json=False,
              no_update=False, brief=True)
        _step(ctx, f"match run {key}", matching.run, program=key, dry_run=False, seed=0)
        cycle = load_program(config).config.cycle
        starts = cycle.match_by or cycle.academic_year_start
        _step(ctx, f"match accept {key} --starts-on {starts}", matching.accept, program=key,
              starts_on=dt.datetime.combine(starts, dt.time()))
        as_of = starts + dt.timedelta(days=45)  # six weeks in, before anyone logged a meeting
        _step(ctx, f"cadence status {key} --as-of {as_of}", cadence.status, program=key,
              as_of=str(as_of), as_json=False)
    if not ran:
        raise click.ClickException("no shipped program has example data; is mentorkit "
                                   "installed completely?")
    heading(f"\nDone. Explore with: mentorkit --db {db_path} programs show <key>, "
            f"match show <key>, participants list <key>")


def register(cli: click.Group) -> None:
    cli.add_command(demo)
