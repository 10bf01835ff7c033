"""How a command's failure reaches the user: one line and an exit code, never a traceback.

A core error is shown in its own words (exit 1); a name that does not exist is a usage
mistake, like a mistyped option (exit 2); anything else is a bug, shown by its type only,
since its message may quote a participant's answer. ``MENTORKIT_DEBUG=1`` raises a plugin's
failure or a bug, for its developer.
"""

from __future__ import annotations

import os

import click


class UnknownName(click.ClickException):
    """A program, group, person, note or cycle named on the command line that does not
    exist, or a setting that cannot be used as given (a URL that does not parse): a usage
    mistake, like a mistyped option (exit 2)."""

    exit_code = 2


# How click itself ends a command (an error it prints, an exit code, ^C): passed through.
CLICK_FLOW = (click.exceptions.ClickException, click.exceptions.Exit, click.exceptions.Abort)


def one_line(error: Exception) -> click.ClickException:
    """The error as the user sees it (see the module's docstring)."""
    from mentorkit.services.errors import (
        EXPECTED,
        NotFoundError,
        PluginError,
        UsageMistake,
        debugging,
    )

    if isinstance(error, NotFoundError | UsageMistake):
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
