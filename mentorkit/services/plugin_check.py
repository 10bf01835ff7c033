"""``mentorkit plugins check``: a plugin checked as CI would check it, every finding at once.

A plugin is named by its folder (the one holding its ``pyproject.toml``) or, when installed, by
its entry point's name. For each entry point it registers in the ``mentorkit`` group:

* its module imports, and its hook implementations match the specs (a misspelt hook or an
  argument no spec has: pluggy's ``check_pending``; a ``register_*`` function not marked
  with ``@hookimpl``, which pluggy would silently ignore);
* it registers something, and each component is valid for the registry (the right base
  class, a name no one else uses);
* each component has typed parameters (an attrs ``Params`` class whose keys all have a
  type), a description (a docstring, and ``describe()`` of its own when it has parameters),
  ``problems()`` for bad parameters when it has parameters, and the method its concern needs;
* its tests (``tests/`` beside the ``pyproject.toml``) name each component (its name or its
  class) and each criterion kind.
"""

from __future__ import annotations

import importlib
import sys
import tomllib
from collections.abc import Iterator
from importlib.metadata import EntryPoint, entry_points
from pathlib import Path

import attrs
import pluggy

from mentorkit.kernel.concerns import BASES, Component, Concern
from mentorkit.kernel.plugins import (
    DEFAULT_PLUGINS,
    ENTRY_POINT_GROUP,
    LoadedPlugins,
    new_manager,
)
from mentorkit.kernel.registry import ComponentInfo, Registry

# what each concern's component must implement itself
REQUIRED = {Concern.ELIGIBILITY: "check", Concern.MATCHING: "match",
            Concern.CADENCE: "evaluate", Concern.CONFIDENTIALITY: "may_see"}


@attrs.frozen
class PluginCheck:
    """One entry point checked: what it provides and everything found wrong with it."""

    plugin: str
    source: str  # the folder, or where the installed module is
    components: tuple[str, ...]
    findings: tuple[str, ...]


def _project(folder: Path) -> tuple[dict[str, str], list[str]]:
    """The ``mentorkit`` entry points a folder's pyproject.toml declares, and findings."""
    pyproject = folder / "pyproject.toml"
    try:
        data = tomllib.loads(pyproject.read_text(encoding="utf-8"))
    except OSError:
        return {}, [f"{folder} has no readable pyproject.toml"]
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as error:
        return {}, [f"{pyproject} is not valid TOML: {error}"]
    entries = data.get("project", {}).get("entry-points", {}).get(ENTRY_POINT_GROUP, {})
    if not entries:
        return {}, [f"{pyproject} registers no entry point in the {ENTRY_POINT_GROUP!r} group "
                    "([project.entry-points.mentorkit])"]
    return dict(entries), []


def _package_modules(top: str) -> dict[str, object]:
    return {name: module for name, module in sys.modules.items()
            if name == top or name.startswith(f"{top}.")}


def _load(entry: EntryPoint, folder: Path | None) -> tuple[object | None, list[str]]:
    """The entry point's plugin object, imported from ``folder`` when given: the folder's
    code is checked even where an installed copy of the package is imported already (the
    command line loads installed plugins as it starts); that copy is put back after."""
    added = [str(p) for p in (folder, folder / "src") if p.is_dir()] if folder else []
    top = entry.value.split(":")[0].split(".")[0]
    earlier = _package_modules(top)
    where = getattr(earlier.get(top), "__file__", None) or ""
    elsewhere = bool(folder and earlier) and not Path(where).resolve().is_relative_to(
        folder.resolve())
    for name in earlier if elsewhere else ():
        del sys.modules[name]
    sys.path[:0] = added
    try:
        return entry.load(), []
    except Exception as error:  # the plugin's own import failed: a finding, not a crash
        return None, [f"{entry.name}: cannot import {entry.value}: {type(error).__name__}: "
                      f"{error}"]
    finally:
        for path in added:
            sys.path.remove(path)
        if elsewhere:
            for name in _package_modules(top):
                del sys.modules[name]
            sys.modules.update(earlier)


def _hook_findings(manager: pluggy.PluginManager, plugin: object,
                   name: str) -> tuple[bool, list[str]]:
    """Register the plugin beside the core's components: whether it registered, and what
    pluggy refuses (an argument no spec has; then a hook no spec names)."""
    try:
        manager.register(plugin, name=name)
    except pluggy.PluginValidationError as error:
        return False, [f"hook implementations do not match the specs: {error}"]
    findings = []
    try:
        manager.check_pending()
    except pluggy.PluginValidationError as error:
        findings.append(f"hook implementations do not match the specs: {error}")
    findings += [f"{attribute} is not marked with @hookimpl: mentorkit never calls it"
                 for attribute in dir(plugin) if attribute.startswith("register_")
                 and callable(getattr(plugin, attribute, None))
                 and manager.parse_hookimpl_opts(plugin, attribute) is None]
    return True, findings


def _defines(cls: type, method: str, below: type) -> bool:
    """Whether a class between ``cls`` and the concern's base ``below`` defines ``method``
    (a helper base such as ScoredMatcher or ConsentByAudience counts)."""
    for klass in cls.__mro__:
        if klass is below or klass is Component:
            return False
        if method in vars(klass):
            return True
    return False


def component_findings(info: ComponentInfo, tests: str) -> Iterator[str]:
    """What component ``info`` lacks of what every component has (see the module's
    docstring); ``tests`` is the text of the plugin's tests."""
    cls, base = info.cls, BASES[info.concern]
    label = f"{info.concern} component {info.name!r} ({cls.__qualname__})"
    fields = attrs.fields(cls.Params)
    untyped = [field.name for field in fields if field.type is None]
    if untyped:
        yield f"{label}: Params keys without a type: {', '.join(untyped)}"
    if not (cls.__doc__ or "").strip():
        yield f"{label}: no docstring (its one line in `plugins list`)"
    if fields and not _defines(cls, "describe", base):
        yield f"{label}: no describe() of its own: say its rule and parameters in plain words"
    if fields and not _defines(cls, "problems", base):
        yield f"{label}: no problems(): report bad parameters with their key paths"
    if not _defines(cls, REQUIRED[info.concern], base):
        yield f"{label}: does not implement {REQUIRED[info.concern]}()"
    if info.name not in tests and cls.__name__ not in tests:
        yield f"{label}: no test names it (tests/ mention neither {info.name!r} nor " \
              f"{cls.__name__})"


def _tests_text(folder: Path | None) -> tuple[str, list[str]]:
    if folder is None:
        return "", ["its source folder (with its tests) was not found: check the folder "
                    "instead (mentorkit plugins check PATH)"]
    files = sorted(p for d in ("tests", "test") for p in (folder / d).rglob("*.py"))
    if not files:
        return "", [f"no tests: {folder / 'tests'} holds no test module"]
    return "\n".join(p.read_text(encoding="utf-8", errors="replace") for p in files), []


def check_entry(entry: EntryPoint, folder: Path | None) -> PluginCheck:
    """Check one entry point, imported from ``folder`` (or as installed)."""
    plugin, findings = _load(entry, folder)
    source = str(folder) if folder else entry.value
    if plugin is None:
        return PluginCheck(entry.name, source, (), tuple(findings))
    manager = new_manager()
    for module in DEFAULT_PLUGINS:
        manager.register(importlib.import_module(module), name=module)
    registered, found = _hook_findings(manager, plugin, entry.name)
    findings += found
    if not registered:
        return PluginCheck(entry.name, source, (), tuple(findings))
    registry = Registry(LoadedPlugins(manager, [], []))
    findings += [f"{f.name}: {f.error}" for f in registry.failures]
    provided = registry.provided_by(entry.name)
    kinds = [c.kind for c in registry.criteria.values() if c.plugin == entry.name]
    commands = manager.hook.register_commands.get_hookimpls()
    if not (provided or kinds or any(i.plugin_name == entry.name for i in commands)):
        findings.append("registers no component, criterion or command")
    tests, missing = _tests_text(folder)
    findings += missing
    for info in provided if not missing else ():
        findings += component_findings(info, tests)
    findings += [f"criterion {kind!r}: no test names it" for kind in kinds
                 if not missing and kind not in tests]
    return PluginCheck(entry.name, source,
                       tuple([f"{c.concern}: {c.name}" for c in provided]
                             + [f"criterion: {k}" for k in kinds]), tuple(findings))


def source_folder(module_file: str | None, name: str) -> Path | None:
    """The folder of an installed plugin's project (its pyproject.toml names entry point
    ``name``), found upwards from its module: an editable install's checkout."""
    if not module_file:
        return None
    for folder in Path(module_file).resolve().parents:
        if (folder / "pyproject.toml").is_file():
            entries, _ = _project(folder)
            return folder if name in entries else None
    return None


def check(target: str) -> list[PluginCheck]:
    """Check the plugin in folder ``target``, or the installed plugin named ``target``."""
    folder = Path(target)
    if folder.is_dir():
        entries, findings = _project(folder)
        if findings:
            return [PluginCheck(target, str(folder), (), tuple(findings))]
        return [check_entry(EntryPoint(name, value, ENTRY_POINT_GROUP), folder)
                for name, value in sorted(entries.items())]
    return [check_installed_plugin(target)]


def check_installed_plugin(name: str) -> PluginCheck:
    """Check the installed plugin whose entry point is ``name``, with the tests of its
    source folder (an editable install's checkout)."""
    installed = [e for e in entry_points(group=ENTRY_POINT_GROUP) if e.name == name]
    if not installed:
        return PluginCheck(name, "", (), (f"{name} is neither a folder nor an installed "
                                          "plugin (`mentorkit plugins list`)",))
    entry = installed[0]
    module = sys.modules.get(entry.value.split(":")[0]) or _import_quietly(entry)
    return check_entry(entry, source_folder(getattr(module, "__file__", None), entry.name))


def _import_quietly(entry: EntryPoint):
    try:
        return importlib.import_module(entry.value.split(":")[0])
    except Exception:  # check_entry reports the import's failure
        return None


def check_installed() -> list[PluginCheck]:
    """Every installed plugin (the entry points of the ``mentorkit`` group)."""
    names = sorted({e.name for e in entry_points(group=ENTRY_POINT_GROUP)})
    return [check_installed_plugin(name) for name in names]
