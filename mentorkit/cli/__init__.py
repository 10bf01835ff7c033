"""The ``mentorkit`` command line: one group, noun subcommands, clean errors, exit codes
0 (ok), 1 (failure: bad file, bad data, nothing to do) and 2 (usage).

Each command group is one module here, thin: it parses, calls one service, and renders what
the service returns (rows built from a view made for one audience). No Python traceback
reaches a user: the core's own errors become ``Error: ...``; a plugin's failure names the
plugin, the hook and the error's type only (its message may quote a participant's answer);
anything else is reported by type, with ``MENTORKIT_DEBUG=1`` to see the traceback.
"""

from __future__ import annotations

import functools
import importlib
import os
import warnings

import click

from mentorkit import __version__

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

    @property
    def opened(self) -> bool:
        return self._opened


class UnknownName(click.ClickException):
    """A program, group, person, note or cycle named on the command line that does not
    exist: a usage mistake, like a mistyped option (exit 2)."""

    exit_code = 2


# How click itself ends a command (an error it prints, an exit code, ^C): passed through.
CLICK_FLOW = (click.exceptions.ClickException, click.exceptions.Exit, click.exceptions.Abort)


class MentorkitGroup(click.Group):
    """The top-level group: core commands load on first use, plugins' commands are added on
    first use too, and errors become one line."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        add_plugin_commands()
        return sorted(set(CORE_COMMANDS) | set(self.commands))

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        if name in CORE_COMMANDS:
            load_core()
        add_plugin_commands()
        return self.commands.get(name)

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        """The command list, without loading the core's commands to ask their help."""
        rows = [(name, CORE_COMMANDS.get(name) or self.commands[name].get_short_help_str(
            formatter.width - 6 - len(name))) for name in self.list_commands(ctx)]
        with formatter.section("Commands"):
            formatter.write_dl(rows)

    def invoke(self, ctx: click.Context):
        from mentorkit.services.errors import KeyFileWarning

        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always", KeyFileWarning)
            try:
                return super().invoke(ctx)
            except CLICK_FLOW:
                raise
            except Exception as error:
                raise _one_line(error) from error
            finally:
                for warning in caught:  # a key file others can read: said on stderr
                    if issubclass(warning.category, KeyFileWarning):
                        from mentorkit.cli.output import warn

                        warn(str(warning.message))


def _one_line(error: Exception) -> click.ClickException:
    """The error as the user sees it: a core error in its own words (a name that does not
    exist is a usage mistake), else its type only, since its message may quote a
    participant's answer. With MENTORKIT_DEBUG=1 a plugin's failure or a bug is raised."""
    from mentorkit.services.errors import EXPECTED, NotFoundError, PluginError, debugging

    if isinstance(error, NotFoundError):
        return UnknownName(str(error))
    if isinstance(error, EXPECTED):
        if isinstance(error, PluginError) and debugging():
            raise error  # the plugin's own traceback, for its developer
        return click.ClickException(str(error))
    if isinstance(error, UnicodeEncodeError):  # bytes that are not text
        return click.UsageError("an argument is not valid text; check the terminal's "
                                "encoding and retype it")
    if isinstance(error, BrokenPipeError):  # `mentorkit ... | head`
        os.dup2(os.open(os.devnull, os.O_WRONLY), 1)
        raise click.exceptions.Exit(1)  # it may not have finished
    if debugging():
        raise error
    return click.ClickException(
        f"mentorkit failed unexpectedly ({type(error).__name__}); set MENTORKIT_DEBUG=1 to "
        "see the traceback, and please report it")


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
    yield from _leaves(group)


def _leaves(command: click.Command, prefix: tuple[str, ...] = ()):
    """(path below ``command``, command) for each command under it that is not a group."""
    if isinstance(command, click.Group):
        for name, sub in command.commands.items():
            yield from _leaves(sub, (*prefix, name))
    else:
        yield prefix, command


def _contain(command: click.Command, plugin: str) -> None:
    """A plugin command that raises stops with its plugin's name and the error's type."""
    callback = command.callback
    if callback is None:
        return

    @functools.wraps(callback)
    def contained(*args, **kwargs):
        from mentorkit.services.errors import EXPECTED, PluginError, debugging

        try:
            return callback(*args, **kwargs)
        except CLICK_FLOW:
            raise
        except Exception as error:
            if isinstance(error, EXPECTED) or debugging():
                raise
            raise PluginError(f"{plugin} command {command.name!r} failed: "
                              f"{type(error).__name__}") from error

    command.callback = contained
    command.contained = True


_plugins_added = False


def add_plugin_commands() -> None:
    """The installed plugins' commands, added once, when the command line first needs its
    list of commands (not at import)."""
    global _plugins_added
    if not _plugins_added:
        _plugins_added = True
        _register_plugin_commands()


def _register_plugin_commands() -> None:
    """Each plugin's ``register_commands`` on its own: one that raises (even ``SystemExit``)
    is listed by ``plugins list`` and leaves no half-added command; the others' commands are
    contained like every plugin hook."""
    from mentorkit.services import plugins

    for plugin, hook in plugins.command_hooks():
        top = dict(cli.commands)
        try:
            hook(cli=cli)
        except (Exception, SystemExit) as error:  # a plugin may not end the program
            cli.commands.clear()
            cli.commands.update(top)
            plugins.report_failure(plugin, f"register_commands failed: {type(error).__name__}")
            continue
        for name, command in cli.commands.items():
            if top.get(name) is not command:
                for _, leaf in _leaves(command):
                    _contain(leaf, plugin)


_core_loaded = False
CORE_MODULES = ("programs", "plugins", "participants", "eligibility", "match", "meetings",
                "cadence", "notes", "audit", "cycles", "db", "demo", "notify", "assessments",
                "report")


def load_core() -> None:
    """Register the core's commands (once). A command a plugin attached to one of the
    core's groups is contained like the plugin's own."""
    global _core_loaded
    if _core_loaded:
        return
    _core_loaded = True
    for name in CORE_MODULES:
        importlib.import_module(f"mentorkit.cli.{name}").register(cli)
    for name in CORE_COMMANDS:
        for _, leaf in _leaves(cli.commands[name]):
            module = getattr(leaf.callback, "__module__", "") or ""
            if not module.startswith("mentorkit.") and not getattr(leaf, "contained", False):
                _contain(leaf, module.split(".")[0])


def main() -> None:
    cli()
