"""The errors a user can cause or must act on, as opposed to bugs.

Every module's own error derives from :class:`MentorkitError`, so the command line turns any of
them into one line (``Error: ...``, exit 1) and anything else into a report of its type only.
A name that does not exist is a usage mistake, like a mistyped option (exit 2). Program-file
problems are :class:`mentorkit.config.errors.ConfigError`, from the layer below.
"""

from __future__ import annotations


class MentorkitError(Exception):
    """A mistake a user can fix, or a failure to act on: shown as one line, exit 1."""


class NotFoundError(MentorkitError, LookupError):
    """A program, group, person, note or cycle named that does not exist (exit 2)."""


class UsageMistake(MentorkitError, ValueError):
    """A setting typed on the command line or in the environment that cannot be used as given
    (a URL that does not parse, a port that is not a number): a usage mistake (exit 2). Its
    message names the option or variable, never a password."""
