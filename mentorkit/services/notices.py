"""The warnings the command line listens for before any command is loaded (re-exported from
the kernel, which defines them importing nothing)."""

from mentorkit.kernel.notices import KeyFileWarning

__all__ = ["KeyFileWarning"]
