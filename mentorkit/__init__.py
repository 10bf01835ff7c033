"""mentorkit: run mentoring programs defined in TOML, with behaviour from plugins."""

from mentorkit.kernel.hookspecs import hookimpl

__version__ = "0.1.0"

__all__ = ["__version__", "hookimpl"]
