"""The ``mentorkit`` command line: one group, noun subcommands, clean errors, exit codes
0 (ok), 1 (failure: bad file, bad data, nothing to do) and 2 (usage).

No Python traceback reaches a user: the core's own errors become ``Error: ...``; a plugin's
failure names the plugin, the hook and the error's type only (its message may quote a
participant's answer); anything else is reported by type, with ``MENTORKIT_DEBUG=1`` to see
the traceback.
"""

from __future__ import annotations

import functools
import os
import warnings

import click

from mentorkit import __version__
from mentorkit.kernel.guard import DEBUG_ENV, PluginError

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


def expected_errors() -> tuple[type[Exception], ...]:
    """The core's own errors: a user's mistake or a failure to act, shown as one line."""
    from mentorkit.config.errors import ConfigError
    from mentorkit.enrollment import ImportFileError
    from mentorkit.files import OutputPathError
    from mentorkit.lifecycle import LifecycleError
    from mentorkit.mail import MailError
    from mentorkit.matchflow import MatchError
    from mentorkit.meetings import MeetingError
    from mentorkit.notes import NoteError
    from mentorkit.pairs import PairRuleError
    from mentorkit.registry_db import NotFoundError
    from mentorkit.retention import RetentionError
    from mentorkit.storage.database import DatabaseError
    from mentorkit.tracking import TrackingError

    return (ConfigError, DatabaseError, NotFoundError, ImportFileError, MatchError,
            MailError,
            PairRuleError, LifecycleError, MeetingError, TrackingError, PluginError,
            NoteError, RetentionError, OutputPathError)


class App:
    """What every command shares: where the database is, opened on first use."""

    def __init__(self, db_target: str | None) -> None:
        self.db_target = db_target
        self._opened = False

    def open_db(self) -> None:
        if not self._opened:
            from mentorkit.storage.database import open_database

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


def _debugging() -> bool:
    return os.environ.get(DEBUG_ENV, "") not in ("", "0")


class MentorkitGroup(click.Group):
    """The top-level group: core commands load on first use; errors become one line."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(set(CORE_COMMANDS) | set(self.commands))

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        if name in CORE_COMMANDS:
            load_core()
        return self.commands.get(name)

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        """The command list, without loading the core's commands to ask their help."""
        rows = [(name, CORE_COMMANDS.get(name) or self.commands[name].get_short_help_str(
            formatter.width - 6 - len(name))) for name in self.list_commands(ctx)]
        with formatter.section("Commands"):
            formatter.write_dl(rows)

    def invoke(self, ctx: click.Context):
        from mentorkit.files import KeyFileWarning
        from mentorkit.registry_db import NotFoundError

        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always", KeyFileWarning)
            try:
                return super().invoke(ctx)
            except CLICK_FLOW:
                raise
            except NotFoundError as error:
                raise UnknownName(str(error)) from error
            except Exception as error:
                if isinstance(error, expected_errors()):
                    if isinstance(error, PluginError) and _debugging():
                        raise  # the plugin's own traceback, for its developer
                    raise click.ClickException(str(error)) from error
                if isinstance(error, UnicodeEncodeError):  # bytes that are not text
                    raise click.UsageError("an argument is not valid text; check the "
                                           "terminal's encoding and retype it") from None
                if isinstance(error, BrokenPipeError):  # `mentorkit ... | head`
                    os.dup2(os.open(os.devnull, os.O_WRONLY), 1)
                    raise click.exceptions.Exit(1) from None  # it may not have finished
                if _debugging():
                    raise
                # the message is not shown: it may quote a participant's answer
                raise click.ClickException(
                    f"mentorkit failed unexpectedly ({type(error).__name__}); set "
                    f"{DEBUG_ENV}=1 to see the traceback, and please report it") from error
            finally:
                for warning in caught:
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
    yield from _leaves(group)


def _contain(command: click.Command, plugin: str) -> None:
    """A plugin command that raises stops with its plugin's name and the error's type."""
    callback = command.callback
    if callback is None:
        return

    @functools.wraps(callback)
    def contained(*args, **kwargs):
        try:
            return callback(*args, **kwargs)
        except CLICK_FLOW:
            raise
        except Exception as error:
            if isinstance(error, expected_errors()) or _debugging():
                raise
            raise PluginError(f"{plugin} command {command.name!r} failed: "
                              f"{type(error).__name__}") from error

    command.callback = contained
    command.contained = True


def _register_plugin_commands() -> None:
    """Each plugin's ``register_commands`` on its own: one that raises is listed by
    ``plugins list`` and leaves no half-added command; the others' commands are contained."""
    from mentorkit.kernel.plugins import PluginFailure
    from mentorkit.kernel.registry import loaded_plugins

    loaded = loaded_plugins()  # a registry of components is not needed to add commands
    for impl in loaded.manager.hook.register_commands.get_hookimpls():
        top = dict(cli.commands)
        try:
            impl.function(cli=cli)
        except Exception as error:
            cli.commands.clear()
            cli.commands.update(top)
            loaded.failures.append(PluginFailure(  # the registry lists it when built
                impl.plugin_name, f"register_commands failed: {type(error).__name__}"))
            continue
        for name, command in cli.commands.items():
            if top.get(name) is not command:
                for _, leaf in _leaves(command):
                    _contain(leaf, impl.plugin_name)


def _leaves(command: click.Command, prefix: tuple[str, ...] = ()):
    """(path below ``command``, command) for each command under it that is not a group."""
    if isinstance(command, click.Group):
        for name, sub in command.commands.items():
            yield from _leaves(sub, (*prefix, name))
    else:
        yield prefix, command


_core_loaded = False


def load_core() -> None:
    """Register the core's commands (once). A command a plugin attached to one of the
    core's groups is contained like the plugin's own."""
    global _core_loaded
    if _core_loaded:
        return
    _core_loaded = True
    from mentorkit.cli import (
        cadence,
        db,
        demo,
        lifecycle,
        matching,
        notify,
        participants,
        plugins,
        privacy,
        programs,
        report,
        tracking,
    )

    for module in (programs, plugins, participants, matching, lifecycle, tracking, cadence,
                   privacy, db, demo, notify, report):
        module.register(cli)
    for name in CORE_COMMANDS:
        for _, leaf in _leaves(cli.commands[name]):
            module = getattr(leaf.callback, "__module__", "") or ""
            if not module.startswith("mentorkit.") and not getattr(leaf, "contained", False):
                _contain(leaf, module.split(".")[0])


_register_plugin_commands()


def main() -> None:
    cli()
