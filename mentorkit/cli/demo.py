"""``mentorkit demo``: the whole flow on the bundled example data, in a fresh database.

Each step is shown as the command line a coordinator would type, and that very command line
is run, so the demo is also a walk through the commands as they are."""

from __future__ import annotations

import datetime as dt
import shlex
import shutil
from pathlib import Path

import click

from mentorkit.cli.lazy import lazy
from mentorkit.cli.output import heading, out_folder, say, warn, write_file

groups = lazy("mentorkit.services.groups")
programs = lazy("mentorkit.services.programs")
selection = lazy("mentorkit.services.selection")
shipped = lazy("mentorkit.services.shipped")
errors = lazy("mentorkit.services.errors")

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


class Year:
    """One program's year, as a coordinator runs it, each step a command line."""

    def __init__(self, ctx: click.Context, folder: Path, config: Path, export: Path) -> None:
        self.ctx, self.folder, self.config, self.export = ctx, folder, config, export
        self.key = config.stem
        self.program = programs.load_program(config)  # the file the year's first step adds
        cycle = self.program.config.cycle
        self.cycle = cycle
        self.starts = cycle.match_by or cycle.academic_year_start
        self.as_of = self.starts + dt.timedelta(days=45)
        self.base_url: str | None = None  # demo --base-url: links to the participants' page

    def step(self, line: str) -> None:
        """Show ``mentorkit LINE`` and run it. A rejected row exits 1 for scripts, and a
        re-run may form nothing; in the demo both are part of the story: the year goes on."""
        heading(f"\n$ mentorkit {line}")
        args = ["--db", self.ctx.obj.db_target, *shlex.split(line)]
        try:
            self.ctx.find_root().command.main(args, prog_name="mentorkit",
                                              standalone_mode=False)
        except click.ClickException as error:
            say(f"Error: {error.format_message()}")

    def last_member(self, index: int) -> list[str]:
        """The last member of the program's ``index``-th active group, if there is one."""
        labels = groups.active_labels(self.program)
        return groups.member_emails(self.program, labels[index])[-1:] \
            if len(labels) > index else []

    def run(self) -> None:
        key, folder = self.key, self.folder
        heading(f"\n=== {key} ===")
        self.step(f"programs add {shlex.quote(str(self.config))}")
        self.step(f"participants import {key} {shlex.quote(str(self.export))}")
        self.step(f"eligibility {key} --brief")
        if selection.selects(self.program):
            self.step(f"participants select {key}")  # where the program selects first
        self.step(f"match run {key}")
        self.step(f"match accept {key} --starts-on {self.starts}")
        self.step(f"notify {key} intro --out {shlex.quote(str(folder / f'intro-{key}'))}")
        self._meetings()
        self.step(f"cadence status {key} --as-of {self.as_of} --only overdue")
        self._changes()
        self.step(f"cadence remind {key} --as-of {self.as_of} --out "
                  f"{shlex.quote(str(folder / f'reminders-{key}'))}")
        self.step(f"report {key} --as-of {self.as_of} --out "
                  f"{shlex.quote(str(folder / f'{key}-report.html'))}")
        if self.base_url:  # the participants' page: the year left under way, links to open
            self.step(f"participants links {key} --base-url {shlex.quote(self.base_url)} "
                      f"--out {shlex.quote(str(folder / f'links-{key}'))}")
            return
        labels = groups.active_labels(self.program)
        if self.cycle.continuation and labels:
            self.step(f"match continue {key} {labels[0]}")
        self.step(f"cycles close {key} --yes")
        self._second_year()

    def _second_year(self) -> None:
        """The closed year's report; the next year's sign-ups (the same people a year on),
        matched apart from last year's groups; then last year purged."""
        key, folder, first = self.key, self.folder, self.cycle.label
        self.step(f"report {key} --cycle {first} --out "
                  f"{shlex.quote(str(folder / f'{key}-{first}-report.html'))}")
        following = write_file(folder / f"{key}-next-year.csv", shipped.next_year_export(
            self.program, self.export.read_text(encoding="utf-8-sig")))
        self.step(f"participants import {key} {shlex.quote(str(following))}")
        self.step(f"eligibility {key} --brief")
        if selection.selects(self.program):
            self.step(f"participants select {key}")
        self.step(f"match run {key}")
        starts = self.starts.replace(year=self.starts.year + 1)
        self.step(f"match accept {key} --starts-on {starts}")
        self.step(f"notify {key} intro --out "
                  f"{shlex.quote(str(folder / f'intro-{key}-next-year'))}")
        self.step(f"cycles purge {key} {first} --now --yes")  # its letters and report too
        self.step(f"report {key} --out {shlex.quote(str(folder / f'{key}-report.html'))}")

    def _meetings(self) -> None:
        labels = groups.active_labels(self.program)
        for days, kind in ((10, "in-person"), (30, "video")) if labels else ():
            when = f"{self.starts + dt.timedelta(days=days)} 17:30"
            self.step(f"meetings log {self.key} {labels[0]} --when '{when}' --kind {kind}")

    def _changes(self) -> None:
        """A withdrawal, and a change of match re-placed."""
        leaving, changing = self.last_member(1), self.last_member(2)
        for person in leaving:
            self.step(f"participants withdraw {self.key} {person}")
        for person in changing:
            self.step(f"match change {self.key} {person}")
            self.step(f"match run {self.key}")
            if groups.has_proposal(self.program):
                self.step(f"match accept {self.key} --starts-on {self.as_of}")


@click.command()
@click.option("--dir", "folder", default=DEFAULT_DIR, show_default=True,
              type=click.Path(file_okay=False, path_type=Path),
              help="Folder for the demo's database and copies of the example sign-ups; "
                   "made afresh on every run.")
@click.option("--base-url", metavar="URL",
              help="Leave each year under way and write each member's personal link to the "
                   "participants' page (`mentorkit serve`, at this address) into "
                   "DIR/links-PROGRAM/.")
@click.pass_context
def demo(ctx: click.Context, folder: Path, base_url: str | None) -> None:
    """Create a fresh database, load each shipped program that has example sign-ups, and run
    two years of it: add the program, import sign-ups, check eligibility, select, propose and
    accept groups, log meetings, see who is overdue, a withdrawal and a change of match
    re-placed, reminders, continuation, closing the cycle and its year-end report; then the
    next year's sign-ups matched apart from last year's groups, and last year purged."""
    _fresh(folder)
    db_path = folder / "demo.db"
    ctx.obj.db_target = str(db_path)
    ran = 0
    for config in shipped.shipped_programs():
        shipped_export = shipped.example_export(config.stem)
        if shipped_export is None:
            continue
        export = write_file(folder / shipped_export.name,  # rejects are written beside it
                            shipped_export.read_bytes())
        try:
            year = Year(ctx, folder, config, export)
        except errors.ConfigError as error:  # its plugin blocked or not installed: others run
            warn(f"skipping {config.stem}: {str(error).splitlines()[0]}")
            continue
        ran += 1
        year.base_url = base_url
        year.run()
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
