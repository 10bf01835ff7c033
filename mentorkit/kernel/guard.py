"""Containing a plugin's failure: one line naming the plugin, the hook and the error's type.

A plugin's eligibility rule, criterion, confidentiality policy, cadence rule, matcher or
command may raise on a participant's data, and the exception's message may quote that data
("'not out' is not a valid ..."). So the core never shows the message, nor a traceback: the
user sees ``<plugin> <hook> failed: <ExceptionType>``, and a developer sets ``MENTORKIT_DEBUG=1``
to get the traceback on their own terminal.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator

from mentorkit.kernel.errors import MentorkitError

DEBUG_ENV = "MENTORKIT_DEBUG"


def debugging() -> bool:
    """Whether a developer asked to see tracebacks (``MENTORKIT_DEBUG=1``)."""
    return os.environ.get(DEBUG_ENV, "") not in ("", "0")


class PluginError(MentorkitError, RuntimeError):
    """A plugin's hook raised; the message holds the plugin, the hook and the type only."""


_owners: dict[type, str] = {}  # per class, for the registry in _owners_of
_owners_of: list[object] = [None]


def owner_of(component: object) -> str:
    """The plugin that provided ``component`` (an instance or class), or its class name.
    Asked once per component and call (a cadence rule per group, a policy per answer), so
    it is looked up once per class in the registry (which does not change once built)."""
    from mentorkit.kernel.registry import default_registry

    registry = default_registry()
    if _owners_of[0] is not registry:
        _owners.clear()
        _owners_of[0] = registry
    cls = component if isinstance(component, type) else type(component)
    found = _owners.get(cls)
    if found is None:
        found = next((info.plugin for info in registry if info.cls is cls),
                     cls.__module__.split(".")[0])
        _owners[cls] = found
    return found


@contextlib.contextmanager
def guarded(owner: str, hook: str) -> Iterator[None]:
    """Run a plugin's code; any exception becomes a :class:`PluginError` without its text."""
    try:
        yield
    except PluginError:
        raise
    except Exception as error:
        raise PluginError(f"{owner} {hook} failed: {type(error).__name__}") from error


def component_hook(component: object, kind: str) -> contextlib.AbstractContextManager[None]:
    """:func:`guarded` for a component: ``example-institution eligibility rule
    'example.staff-badge' failed: KeyError``."""
    name = getattr(component, "name", "") or type(component).__name__
    return guarded(owner_of(component), f"{kind} {name!r}")
