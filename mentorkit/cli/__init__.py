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
from mentorkit.cli.output import warn
from mentorkit.components import default_registry
from mentorkit.config.errors import ConfigError
from mentorkit.enrollment import ImportFileError
from mentorkit.files import OutputPathError
from mentorkit.guard import DEBUG_ENV, PluginError
from mentorkit.lifecycle import LifecycleError
from mentorkit.matchflow import MatchError
from mentorkit.meetings import MeetingError
from mentorkit.notes import KeyFileWarning, NoteError
from mentorkit.pairs import PairRuleError
from mentorkit.plugins import PluginFailure
from mentorkit.registry_db import NotFoundError
from mentorkit.retention import RetentionError
from mentorkit.storage.database import ENV_VAR, DatabaseError, open_database
from mentorkit.tracking import TrackingError

EXPECTED_ERRORS = (ConfigError, DatabaseError, NotFoundError, ImportFileError, MatchError,
                   PairRuleError, LifecycleError, MeetingError, TrackingError, PluginError,
                   NoteError, RetentionError, OutputPathError)


class App:
    """What every command shares: where the database is, opened on first use."""

    def __init__(self, db_target: str | None) -> None:
        self.db_target = db_target
        self._opened = False

    def open_db(self) -> None:
        if not self._opened:
            open_database(self.db_target)
            self._opened = True

    @property
    def opened(self) -> bool:
        return self._opened


class UnknownName(click.ClickException):
    """A program, group, person, note or cycle named on the command line that does not
    exist: a usage mistake, like a mistyped option (exit 2)."""

    exit_code = 2


def _debugging() -> bool:
    return os.environ.get(DEBUG_ENV, "") not in ("", "0")


class MentorkitGroup(click.Group):
    def invoke(self, ctx: click.Context):
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always", KeyFileWarning)
            try:
                return super().invoke(ctx)
            except NotFoundError as error:
                raise UnknownName(str(error)) from error
            except EXPECTED_ERRORS as error:
                if isinstance(error, PluginError) and _debugging():
                    raise  # the plugin's own traceback, for its developer
                raise click.ClickException(str(error)) from error
            except (click.exceptions.ClickException, click.exceptions.Exit,
                    click.exceptions.Abort):
                raise
            except UnicodeEncodeError:  # bytes that are not text (a mistyped argument)
                raise click.UsageError("an argument is not valid text; check the terminal's "
                                       "encoding and retype it") from None
            except BrokenPipeError:  # `mentorkit ... | head`: the reader stopped reading
                os.dup2(os.open(os.devnull, os.O_WRONLY), 1)
                raise click.exceptions.Exit(1) from None  # it may not have finished
            except Exception as error:
                if _debugging():
                    raise
                # the message is not shown: it may quote a participant's answer
                raise click.ClickException(
                    f"mentorkit failed unexpectedly ({type(error).__name__}); set "
                    f"{DEBUG_ENV}=1 to see the traceback, and please report it") from error
            finally:
                for warning in caught:
                    if issubclass(warning.category, KeyFileWarning):
                        warn(str(warning.message))


@click.group(cls=MentorkitGroup)
@click.version_option(__version__, prog_name="mentorkit")
@click.option("--db", "db_target", envvar=ENV_VAR, metavar="PATH|URL",
              help="SQLite file or database URL [env: MENTORKIT_DB; default: ./mentorkit.db].")
@click.pass_context
def cli(ctx: click.Context, db_target: str | None) -> None:
    """Run mentoring programs defined in TOML: enroll, check eligibility, match, follow up."""
    ctx.obj = App(db_target)


def leaf_commands(group: click.Group, prefix: tuple[str, ...] = ()):
    """(path, command) for every command under ``group`` that is not itself a group."""
    for name, command in group.commands.items():
        if isinstance(command, click.Group):
            yield from leaf_commands(command, (*prefix, name))
        else:
            yield (*prefix, name), command


def _contain(command: click.Command, plugin: str) -> None:
    """A plugin command that raises stops with its plugin's name and the error's type."""
    callback = command.callback
    if callback is None:
        return

    @functools.wraps(callback)
    def contained(*args, **kwargs):
        try:
            return callback(*args, **kwargs)
        except (click.exceptions.ClickException, click.exceptions.Exit,
                click.exceptions.Abort, *EXPECTED_ERRORS):
            raise
        except Exception as error:
            if _debugging():
                raise
            raise PluginError(f"{plugin} command {command.name!r} failed: "
                              f"{type(error).__name__}") from error

    command.callback = contained


def _register_plugin_commands() -> None:
    """Each plugin's ``register_commands`` on its own: one that raises is listed by
    ``plugins list`` and leaves no half-added command; the others' commands are contained."""
    registry = default_registry()
    for impl in registry.loaded.manager.hook.register_commands.get_hookimpls():
        before = dict(leaf_commands(cli))
        top = dict(cli.commands)
        try:
            impl.function(cli=cli)
        except Exception as error:
            cli.commands.clear()
            cli.commands.update(top)
            registry.failures.append(PluginFailure(
                impl.plugin_name, f"register_commands failed: {type(error).__name__}"))
            continue
        for path, command in leaf_commands(cli):
            if before.get(path) is not command:
                _contain(command, impl.plugin_name)


def _register_commands() -> None:
    from mentorkit.cli import (
        cadence,
        db,
        demo,
        lifecycle,
        matching,
        participants,
        plugins,
        privacy,
        programs,
        tracking,
    )

    for module in (programs, plugins, participants, matching, lifecycle, tracking, cadence,
                   privacy, db, demo):
        module.register(cli)
    _register_plugin_commands()


_register_commands()


def main() -> None:
    cli()
