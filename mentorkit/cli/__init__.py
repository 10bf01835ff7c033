"""The ``mentorkit`` command line: one group, noun subcommands, clean errors, exit codes
0 (ok), 1 (failure: bad file, bad data, nothing to do) and 2 (usage)."""

from __future__ import annotations

import click

from mentorkit import __version__
from mentorkit.cli.output import activate
from mentorkit.components import default_registry
from mentorkit.config.errors import ConfigError
from mentorkit.enrollment import ImportFileError
from mentorkit.lifecycle import LifecycleError
from mentorkit.matchflow import MatchError
from mentorkit.meetings import MeetingError
from mentorkit.notes import NoteError
from mentorkit.pairs import PairRuleError
from mentorkit.redaction import RedactionError
from mentorkit.registry_db import NotFoundError
from mentorkit.retention import RetentionError
from mentorkit.storage.database import ENV_VAR, DatabaseError, open_database
from mentorkit.tracking import TrackingError

EXPECTED_ERRORS = (ConfigError, DatabaseError, NotFoundError, ImportFileError, MatchError,
                   PairRuleError, LifecycleError, MeetingError, TrackingError,
                   RedactionError, NoteError, RetentionError)


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


class MentorkitGroup(click.Group):
    def invoke(self, ctx: click.Context):
        activate(None)  # each command activates the redactor for its own program
        try:
            return super().invoke(ctx)
        except EXPECTED_ERRORS as error:
            raise click.ClickException(str(error)) from error


@click.group(cls=MentorkitGroup)
@click.version_option(__version__, prog_name="mentorkit")
@click.option("--db", "db_target", envvar=ENV_VAR, metavar="PATH|URL",
              help="SQLite file or database URL [env: MENTORKIT_DB; default: ./mentorkit.db].")
@click.pass_context
def cli(ctx: click.Context, db_target: str | None) -> None:
    """Run mentoring programs defined in TOML: enroll, check eligibility, match, follow up."""
    ctx.obj = App(db_target)


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
    default_registry().loaded.manager.hook.register_commands(cli=cli)


_register_commands()


def main() -> None:
    cli()
