"""Which of mentorkit's own plugins provides a component, read from ``first_party.toml`` (data
beside this module): when a program names a component no loaded plugin provides, the error
says which plugin does, and why it is not loaded (blocked, left out, failed, not installed).
Read only then, so start-up never parses it."""

from __future__ import annotations

import functools
import tomllib
from pathlib import Path

import attrs

from mentorkit.kernel.plugins import BLOCK_ENV, LOAD_ENV, names_from_env

CATALOG = Path(__file__).with_name("first_party.toml")


@attrs.frozen
class FirstParty:
    """One of mentorkit's own plugins: its entry point, distribution, folder in the
    repository, and the components it registers per concern."""

    entry_point: str
    distribution: str
    folder: str
    components: dict[str, tuple[str, ...]]


@functools.cache
def first_party() -> tuple[FirstParty, ...]:
    data = tomllib.loads(CATALOG.read_text(encoding="utf-8"))
    return tuple(FirstParty(name, table["distribution"], table["folder"],
                            {concern: tuple(names) for concern, names in table.items()
                             if isinstance(names, list)})
                 for name, table in data.items())


def provider(concern: str, name: str) -> FirstParty | None:
    """The first-party plugin that registers ``name`` for ``concern``, if one does."""
    return next((p for p in first_party() if name in p.components.get(concern, ())), None)


def why_missing(concern: str, name: str, failed: set[str]) -> str:
    """Which plugin provides component ``name`` and why it is not loaded, as the end of an
    error message; empty when no first-party plugin provides it."""
    found = provider(concern, name)
    if found is None:
        return ""
    what = f"{name!r} is provided by the plugin {found.entry_point} ({found.distribution})"
    load_only = names_from_env(LOAD_ENV)
    if found.entry_point in (names_from_env(BLOCK_ENV) or set()):
        return f"{what}, which {BLOCK_ENV} blocks"
    if load_only is not None and found.entry_point not in load_only:
        return f"{what}, which {LOAD_ENV} leaves out"
    if found.entry_point in failed:
        return f"{what}, which failed to load"
    return (f"{what}, which is not installed: pip install {found.distribution} (from a "
            f"checkout of mentorkit: pip install -e {found.folder})")
