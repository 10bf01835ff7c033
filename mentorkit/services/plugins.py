"""What is installed: the plugins, the components each provides, those that failed, and the
commands plugins add to the command line (each plugin's hook called on its own)."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator

import attrs

ENTRY_POINT_GROUP = "mentorkit"  # as kernel.plugins names it (not imported: see command_hooks)


@attrs.frozen
class PluginRow:
    name: str
    version: str
    components: tuple[str, ...]
    error: str | None = None


def listing(include_builtin: bool = False) -> list[PluginRow]:
    """Every loaded plugin with its version and components, then every failure."""
    from mentorkit.kernel.registry import default_registry

    registry = default_registry()
    rows = []
    for info in registry.loaded.plugins:
        if info.builtin and not include_builtin:
            continue
        components = [f"{c.concern}: {c.name}" for c in registry.provided_by(info.name)]
        components += [f"criterion: {c.kind}" for c in registry.criteria.values()
                       if c.plugin == info.name]
        rows.append(PluginRow(info.name, info.version or "(core)", tuple(components)))
    rows += [PluginRow(f.name, "", (), f.error) for f in registry.failures]
    return rows


def command_hooks() -> Iterator[tuple[str, Callable[..., object]]]:
    """(plugin, its ``register_commands`` implementation) for every loaded plugin: the
    command line calls each on its own, so one that raises stops no other. Where no plugin
    is installed and none is loaded yet, there is none to ask, and the plugins (the core's
    components among them) are not loaded just for that: ``--help`` stays quick."""
    if "mentorkit.kernel.registry" not in sys.modules and not _installed():
        return
    from mentorkit.kernel.registry import loaded_plugins

    for impl in loaded_plugins().manager.hook.register_commands.get_hookimpls():
        yield impl.plugin_name, impl.function


def _installed() -> bool:
    """Whether any package declares a mentorkit plugin (an entry point)."""
    from importlib.metadata import entry_points

    return bool(entry_points(group=ENTRY_POINT_GROUP))


def report_failure(plugin: str, error: str) -> None:
    """A plugin's hook failed outside a command: ``plugins list`` shows it."""
    from mentorkit.kernel.plugins import PluginFailure
    from mentorkit.kernel.registry import loaded_plugins

    loaded_plugins().failures.append(PluginFailure(plugin, error))
