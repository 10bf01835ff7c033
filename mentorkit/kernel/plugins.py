"""Loading plugins: the built-in components, then every ``mentorkit`` entry point.

Two environment variables narrow what loads, which is how an administrator rules out a broken
or unwanted plugin without uninstalling it:

* ``MENTORKIT_LOAD_PLUGINS``: comma-separated entry-point names; only these load (empty: none).
* ``MENTORKIT_BLOCK_PLUGINS``: comma-separated entry-point names that never load.

A plugin that fails to import is remembered with its error instead of stopping the program, so
commands that do not need it still work, and the error is shown where it matters.
"""

from __future__ import annotations

import importlib
import os
from collections.abc import Iterable
from importlib.metadata import EntryPoint, entry_points

import attrs
import pluggy

from mentorkit.kernel import hookspecs

ENTRY_POINT_GROUP = "mentorkit"
LOAD_ENV = "MENTORKIT_LOAD_PLUGINS"
BLOCK_ENV = "MENTORKIT_BLOCK_PLUGINS"

# Core components every program can use; registered like any plugin, but always present.
# What is particular to one program's shape (its matcher, and the rules only it has) comes
# from plugins, mentorkit's own among them (plugins/), through the entry points below.
DEFAULT_PLUGINS = (
    "mentorkit.builtin.eligibility.deadline",
    "mentorkit.builtin.eligibility.values",
    "mentorkit.builtin.eligibility.answers",
    "mentorkit.builtin.cadence.periodic",
    "mentorkit.builtin.confidentiality",
)


@attrs.frozen
class PluginInfo:
    name: str
    version: str | None
    module: str
    builtin: bool = False


@attrs.frozen
class PluginFailure:
    name: str
    error: str


@attrs.define
class LoadedPlugins:
    manager: pluggy.PluginManager
    plugins: list[PluginInfo]
    failures: list[PluginFailure]


def names_from_env(var: str) -> set[str] | None:
    """The entry-point names ``var`` lists; None when it is not set."""
    value = os.environ.get(var)
    if value is None:
        return None
    return {name.strip() for name in value.split(",") if name.strip()}


def _wanted(entry: EntryPoint, load_only: set[str] | None, blocked: set[str]) -> bool:
    if entry.name in blocked:
        return False
    return load_only is None or entry.name in load_only


def new_manager() -> pluggy.PluginManager:
    manager = pluggy.PluginManager(ENTRY_POINT_GROUP)
    manager.add_hookspecs(hookspecs)
    return manager


def load_plugins(
    extra: Iterable[object] = (), entries: Iterable[EntryPoint] | None = None
) -> LoadedPlugins:
    """Build a plugin manager with the defaults, the wanted entry points and ``extra`` objects.

    :param extra: plugin objects (modules or instances) registered after the entry points;
        tests and embedding applications use this.
    :param entries: entry points to consider; defaults to the installed ``mentorkit`` group.
    """
    manager = new_manager()
    plugins: list[PluginInfo] = []
    failures: list[PluginFailure] = []
    for module_name in DEFAULT_PLUGINS:
        manager.register(importlib.import_module(module_name), name=module_name)
        plugins.append(PluginInfo(module_name, None, module_name, builtin=True))

    load_only = names_from_env(LOAD_ENV)
    blocked = names_from_env(BLOCK_ENV) or set()
    if entries is None:
        entries = entry_points(group=ENTRY_POINT_GROUP)
    for entry in sorted(entries, key=lambda e: e.name):
        if not _wanted(entry, load_only, blocked) or manager.has_plugin(entry.name):
            continue
        try:
            plugin = entry.load()
            manager.register(plugin, name=entry.name)
            # A misspelt hook name (``register_matcher``) fails here, loudly, naming the plugin.
            manager.check_pending()
        except Exception as error:  # a broken plugin must not take the CLI down with it
            if manager.has_plugin(entry.name):
                manager.unregister(name=entry.name)
            failures.append(PluginFailure(entry.name, f"{type(error).__name__}: {error}"))
            continue
        version = entry.dist.version if entry.dist is not None else None
        plugins.append(PluginInfo(entry.name, version, entry.value))

    for plugin in extra:
        name = manager.register(plugin)
        module = getattr(plugin, "__name__", type(plugin).__name__)
        plugins.append(PluginInfo(name or module, None, module))
    manager.check_pending()  # extra plugins come from code, so their mistakes raise
    return LoadedPlugins(manager, plugins, failures)
