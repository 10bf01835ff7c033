"""What the command line reports as one line rather than a traceback.

A user's mistake or a failure to act on is one of the core's own errors (or a program file's
problems); a name that does not exist is a usage mistake. Anything else is a bug, reported by
its type only: its message may quote a participant's answer. ``MENTORKIT_DEBUG=1`` shows the
traceback to a developer.
"""

from __future__ import annotations

from mentorkit.config.errors import ConfigError
from mentorkit.kernel.errors import MentorkitError, NotFoundError, UsageMistake
from mentorkit.kernel.guard import DEBUG_ENV, PluginError, debugging
from mentorkit.storage.files import KeyFileWarning

EXPECTED: tuple[type[Exception], ...] = (MentorkitError, ConfigError)

__all__ = ["DEBUG_ENV", "EXPECTED", "KeyFileWarning", "NotFoundError", "PluginError",
           "UsageMistake", "debugging"]
