"""Warnings the command line turns into a line on stderr: defined apart, importing nothing, so
that the CLI can listen for them before any command (or its libraries) is loaded."""


class KeyFileWarning(UserWarning):
    """A key file (the notes key) can be read by other users of the machine."""
