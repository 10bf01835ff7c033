"""The ``mentorkit`` command line: one group, noun subcommands, clean errors, exit codes
0 (ok), 1 (failure: bad file, bad data, nothing to do) and 2 (usage).

Each command group is one module here, thin: it parses, calls one service, and renders what
the service returns (rows built from a view made for one audience). No Python traceback
reaches a user: the core's own errors become ``Error: ...``; a plugin's failure names the
plugin, the hook and the error's type only (its message may quote a participant's answer);
anything else is reported by type, with ``MENTORKIT_DEBUG=1`` to see the traceback.
"""

from __future__ import annotations

import importlib
import os
import warnings

import click

from mentorkit import __version__
from mentorkit.cli import plugin_commands
from mentorkit.cli.errors import CLICK_FLOW, one_line

# The core's commands, loaded on first use: `mentorkit --help` lists them from here, so it
# starts without the database layer, the solvers or the calendar library. A test checks
# this table against the commands themselves.
CORE_COMMANDS = {
    "assessments": "Relationship assessments: list, import responses.",
    "audit": "Who did what and when.",
    "cadence": "Who is on track; reminders; calendars.",
    "cycles": "A program's cycles: list, close, purge.",
    "db": "Copy programs between SQLite and PostgreSQL.",
    "demo": "Each shipped program's year, on example data.",
    "eligibility": "Who is eligible, and every reason why not.",
    "match": "Propose groups, review them, accept them.",
    "notify": "Introductions and assessment invitations by mail.",
    "meetings": "Log a group's meetings and contacts; list them.",
    "notes": "Private notes on groups, tokens, referral.",
    "participants": "Import, select, list, export, withdraw.",
    "plugins": "Installed plugins and their components.",
    "programs": "Program files: validate, add, show, copy.",
    "report": "A program's report as one HTML page, for one audience.",
    "serve": "The participants' own page: a small web server.",
}


class App:
    """What every command shares: where the database is, opened on first use."""

    def __init__(self, db_target: str | None) -> None:
        self.db_target = db_target
        self._opened = False

    def open_db(self) -> None:
        if not self._opened:
            from mentorkit.services.database import open_database

            open_database(self.db_target)
            self._opened = True

    def open_existing_db(self) -> bool:
        """Open the database if there is one (a SQLite file that exists, or a server):
        what reads a program's rules by key must not leave an empty database behind.
        Returns whether a database is open."""
        from mentorkit.services.startup import DEFAULT_DB, is_server

        target = self.db_target or DEFAULT_DB
        if not self._opened and not is_server(target) and not target.lower().startswith(
                "sqlite://") and not os.path.exists(target):
            return False
        self.open_db()
        return True


class MentorkitGroup(click.Group):
    """The top-level group: core commands load on first use, plugins' commands are added on
    first use too, and errors become one line."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        add_plugin_commands()
        return sorted(set(CORE_COMMANDS) | set(self.commands))

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        if name in CORE_COMMANDS:
            load_command(name, ctx.params.get("db_target"))
        add_plugin_commands()
        return self.commands.get(name)

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        """The command list, without loading the core's commands to ask their help."""
        rows = [(name, CORE_COMMANDS.get(name) or self.commands[name].get_short_help_str(
            formatter.width - 6 - len(name))) for name in self.list_commands(ctx)]
        with formatter.section("Commands"):
            formatter.write_dl(rows)

    def invoke(self, ctx: click.Context):
        from mentorkit.services.notices import KeyFileWarning

        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always", KeyFileWarning)
            try:
                return super().invoke(ctx)
            except CLICK_FLOW:
                raise
            except Exception as error:
                raise one_line(error) from error
            finally:
                for warning in caught:  # a key file others can read: said on stderr
                    if issubclass(warning.category, KeyFileWarning):
                        from mentorkit.cli.output import warn

                        warn(str(warning.message))


@click.group(cls=MentorkitGroup)
@click.version_option(__version__, prog_name="mentorkit")
@click.option("--db", "db_target", envvar="MENTORKIT_DB", metavar="PATH|URL",
              help="SQLite file or database URL [env: MENTORKIT_DB; default: ./mentorkit.db].")
@click.pass_context
def cli(ctx: click.Context, db_target: str | None) -> None:
    """Run mentoring programs defined in TOML: enroll, check eligibility, match, follow up."""
    ctx.obj = App(db_target)


def leaf_commands(group: click.Group):
    """(path, command) for every command under ``group`` that is not itself a group."""
    if group is cli:
        load_core()
        add_plugin_commands()
    yield from plugin_commands.leaves(group)


_plugins_added = False


def add_plugin_commands() -> None:
    """The installed plugins' commands, added once, when the command line first needs its
    list of commands (not at import)."""
    global _plugins_added
    if not _plugins_added:
        _plugins_added = True
        plugin_commands.register(cli)


# Where a command is declared: its module here, by name; the web layer's `serve` beside the
# command line (so the command line imports no web code, and Flask loads only when it runs);
# `participants links` in a module of its own, added to its group.
MODULES = {"serve": ("mentorkit.web.command",),
           "participants": ("mentorkit.cli.participants", "mentorkit.cli.links")}


def load_command(name: str, db_target: str | None = None) -> None:
    """Register the core's command ``name`` (once): only its own modules are imported, so a
    command loads only the libraries it uses. A command that works on a SQLite database
    (all but ``db``, which copies to and from servers) imports the database layer without
    the PostgreSQL driver."""
    if name in cli.commands and name in _loaded:
        return
    if name != "db":
        from mentorkit.services.startup import without_postgres_driver

        without_postgres_driver(db_target)
    for module in MODULES.get(name, (f"mentorkit.cli.{name}",)):
        importlib.import_module(module).register(cli)
    _loaded.add(name)
    plugin_commands.contain_foreign(cli, [name])


_loaded: set[str] = set()


def load_core() -> None:
    """Register every one of the core's commands (for a walk over all of them)."""
    for name in CORE_COMMANDS:
        load_command(name)


def main() -> None:
    cli()
