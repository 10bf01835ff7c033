"""Argument and option types shared by the commands, so a mistyped value is the same usage error
(exit 2) everywhere, with the same words, and PROGRAM means the same thing in every command."""

from __future__ import annotations

import datetime as dt
import difflib
import functools
from pathlib import Path

import click

from mentorkit.cli.lazy import lazy

audience = lazy("mentorkit.views.audience")  # loaded when an audience is read
AUDIENCES = ("administrator", "group", "participants", "public")


class ProgramRef(click.ParamType):
    """PROGRAM: a stored program's key, a shipped program's key, or a program file, resolved
    to the loaded program before the command runs. With ``database``, the database (where the
    program's participants and groups are) is opened too; else only when a key is looked up,
    so a command about a file's rules needs none."""

    name = "PROGRAM"

    def __init__(self, database: bool = True) -> None:
        self.database = database

    def convert(self, value, param, ctx):
        from mentorkit.services import programs

        if not isinstance(value, str):
            return value  # already a program (a command invoked from code)
        if self.database:
            if not ctx.obj.open_existing_db():  # a mistyped --db must not leave a file
                from mentorkit.services.lookup import no_database

                raise no_database(value, ctx.obj.db_target)
            return programs.resolve(value, ctx.obj.open_db)
        return programs.resolve(value, ctx.obj.open_existing_db)


def program_argument(command):
    """PROGRAM, for a command on the program's people and groups: the database is opened."""
    return click.argument("program", type=ProgramRef())(command)


def cycle_option(command):
    """``--cycle LABEL`` for a command that reads: PROGRAM as it was in that cycle (a closed
    year's groups, meetings and results, read with that year's own program file). Default:
    the program's current cycle."""
    @click.option("--cycle", "cycle_label", metavar="LABEL",
                  help="Read this cycle (e.g. 2026-2027, see `mentorkit cycles list`); "
                       "default: the current one.")
    @functools.wraps(command)
    def wrapper(*args, program, cycle_label, **kwargs):
        from mentorkit.services import programs

        if cycle_label:
            try:
                program = programs.in_cycle(program, cycle_label.strip())
            except LookupError as error:  # an unknown cycle is a mistyped option
                raise click.BadParameter(str(error), param_hint="--cycle") from None
        return command(*args, program=program, **kwargs)
    return wrapper


def program_file_argument(command):
    """PROGRAM, for a command on the program's rules only: a file needs no database."""
    return click.argument("program", type=ProgramRef(database=False))(command)


class When(click.ParamType):
    """A date or a date and time, checked here; the program's time zone is applied later
    (``meetings.parse_when``), so the value stays text."""

    name = "DATE[ TIME]"

    def convert(self, value, param, ctx):
        text = str(value).strip()
        try:
            moment = dt.datetime.fromisoformat(text.replace("T", " "))
        except ValueError:
            self.fail(f"{value!r} is not a date or time (YYYY-MM-DD or 'YYYY-MM-DD HH:MM')",
                      param, ctx)
        if not 1900 <= moment.year <= 2200:
            self.fail(f"{value!r} is not a plausible date (years 1900 to 2200)", param, ctx)
        return text


class Day(click.ParamType):
    """A date, YYYY-MM-DD (as a datetime at midnight, as click's own dates are)."""

    name = "YYYY-MM-DD"

    def convert(self, value, param, ctx):
        if isinstance(value, dt.datetime):
            return value
        try:
            return dt.datetime.strptime(str(value).strip(), "%Y-%m-%d")
        except ValueError:
            self.fail(f"{value!r} is not a date (YYYY-MM-DD)", param, ctx)


WHEN = When()
DAY = Day()

# Audiences may be named in the singular or the plural; each has one canonical name.
AUDIENCE_ALIASES = {"administrators": "administrator", "admin": "administrator",
                    "participant": "participants", "groups": "group"}


class AudienceChoice(click.Choice):
    def __init__(self) -> None:
        super().__init__(list(AUDIENCES))

    def convert(self, value, param, ctx):
        text = str(value).strip().lower()
        text = AUDIENCE_ALIASES.get(text, text)
        if text in self.choices:
            return audience.Audience(text)
        close = difflib.get_close_matches(text, list(self.choices), n=1)
        self.fail(f"{value!r} is not an audience" + (f"; did you mean {close[0]!r}?" if close
                                                      else "") + " (" + ", ".join(self.choices)
                  + ")", param, ctx)


def audience_option(default: str, help_text: str):
    """``--audience`` and ``--group LABEL`` (required with the group audience, only there)."""
    def decorate(command):
        command = click.option("--group", "group_label", metavar="LABEL",
                               help="With --audience group: the group it is for "
                                    "(required).")(command)
        return click.option("--audience", type=AudienceChoice(), default=default,
                            show_default=True, help=help_text)(command)
    return decorate


def check_group_audience(chosen, group_label: str | None) -> None:
    if (str(chosen) == "group") != bool(group_label):
        raise click.UsageError("--group LABEL goes with --audience group, and it needs one")


def show_sensitive_option(command):
    """``--show-sensitive``: an administrator asks to see sensitive answers, where the
    program's confidentiality policy allows it; the request is written to the audit log."""
    return click.option(
        "--show-sensitive", is_flag=True,
        help="Include sensitive answers where the program lets administrators see them "
             "(the request is audited).")(command)


def json_option(command):
    return click.option("--json", "as_json", is_flag=True,
                        help="Print JSON for scripts.")(command)


def format_options(command):
    """``--format`` (the survey tool that wrote the file, when it cannot be told from it) and
    ``--dictionary`` (a REDCap project's data dictionary)."""
    from mentorkit.services.surveys import FORMATS

    command = click.option(
        "--dictionary", type=click.Path(exists=True, dir_okay=False, path_type=Path),
        help="A REDCap export's data dictionary (CSV): columns known by their field labels, "
             "codes read as their options' labels.")(command)
    return click.option("--format", "fmt", type=click.Choice(FORMATS),
                        help="The tool that wrote the file (default: told from the file)."
                        )(command)
