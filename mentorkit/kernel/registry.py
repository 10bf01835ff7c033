"""The registry of components every loaded plugin provides, per concern.

Each plugin's ``register_*`` hook is called on its own, so the registry knows which plugin
provided which component (for ``plugins list`` and for error messages), and a plugin that
registers something invalid is reported by name instead of breaking the others.
"""

from __future__ import annotations

from collections.abc import Iterator

import attrs

from mentorkit.config.criteria import BUILTIN_KINDS
from mentorkit.kernel.concerns import BASES, Component, Concern
from mentorkit.kernel.plugins import LoadedPlugins, PluginFailure, load_plugins
from mentorkit.kernel.values import CriterionFunction

HOOK_FOR_CONCERN = {
    Concern.ELIGIBILITY: "register_eligibility_rules",
    Concern.MATCHING: "register_matchers",
    Concern.CADENCE: "register_cadence_rules",
    Concern.CONFIDENTIALITY: "register_confidentiality_policies",
}


@attrs.frozen
class ComponentInfo:
    concern: Concern
    name: str
    cls: type[Component]
    plugin: str


@attrs.frozen
class CriterionInfo:
    kind: str
    function: CriterionFunction
    plugin: str


class UnknownComponentError(LookupError):
    def __init__(self, concern: Concern, name: str, known: list[str], failures: list[str],
                 provided: str = ""):
        self.concern, self.name, self.known, self.failures = concern, name, known, failures
        message = f"unknown {concern} component {name!r}; known: {', '.join(known) or 'none'}"
        if provided:  # one of mentorkit's own plugins provides it: say which, and why not here
            message += f"; {provided}"
        if failures:
            message += f" (plugins that failed to load: {'; '.join(failures)})"
        super().__init__(message)


def _invalid_reason(concern: Concern, cls: object) -> str | None:
    base = BASES[concern]
    if not (isinstance(cls, type) and issubclass(cls, base)):
        return f"{cls!r} is not a subclass of {base.__module__}.{base.__qualname__}"
    if not cls.name:
        return f"{cls.__qualname__} has no name"
    if not attrs.has(cls.Params):
        return f"{cls.__qualname__}.Params is not an attrs class"
    return None


class Registry:
    def __init__(self, loaded: LoadedPlugins) -> None:
        self.loaded = loaded
        self._failures: list[PluginFailure] = []  # registering components went wrong
        self._by_concern: dict[Concern, dict[str, ComponentInfo]] = {c: {} for c in Concern}
        for concern, hook_name in HOOK_FOR_CONCERN.items():
            for impl in getattr(loaded.manager.hook, hook_name).get_hookimpls():
                self._collect(concern, impl.plugin_name, impl.function)
        self.criteria: dict[str, CriterionInfo] = {}
        for impl in loaded.manager.hook.register_criteria.get_hookimpls():
            self._collect_criteria(impl.plugin_name, impl.function)

    def _collect_criteria(self, plugin: str, hook_function) -> None:
        found: list[tuple[str, object]] = []
        try:
            hook_function(register=lambda kind, function: found.append((kind, function)))
        except Exception as error:
            self._failures.append(PluginFailure(plugin, f"{type(error).__name__}: {error}"))
            return
        for kind, function in found:
            reason = None
            if not callable(function):
                reason = f"criterion {kind!r}: {function!r} is not callable"
            elif kind in BUILTIN_KINDS or kind in self.criteria:
                owner = self.criteria[kind].plugin if kind in self.criteria else "mentorkit"
                reason = f"criterion {kind!r} is already provided by {owner}"
            if reason:
                self._failures.append(PluginFailure(plugin, reason))
            else:
                self.criteria[kind] = CriterionInfo(kind, function, plugin)

    def _collect(self, concern: Concern, plugin: str, hook_function) -> None:
        found: list[object] = []
        try:
            hook_function(register=found.append)
        except Exception as error:
            self._failures.append(PluginFailure(plugin, f"{type(error).__name__}: {error}"))
            return
        table = self._by_concern[concern]
        for cls in found:
            reason = _invalid_reason(concern, cls)
            if reason is None and cls.name in table:
                reason = f"{concern} component {cls.name!r} is already provided by "
                reason += table[cls.name].plugin
            if reason is not None:
                self._failures.append(PluginFailure(plugin, reason))
                continue
            table[cls.name] = ComponentInfo(concern, cls.name, cls, plugin)

    @property
    def failures(self) -> list[PluginFailure]:
        """Plugins that failed to load or to add commands, then to register components."""
        return [*self.loaded.failures, *self._failures]

    def get(self, concern: Concern, name: str) -> ComponentInfo:
        try:
            return self._by_concern[concern][name]
        except KeyError:
            from mentorkit.kernel.catalog import why_missing  # read only for this message

            failures = [f"{f.name}: {f.error}" for f in self.failures]
            provided = why_missing(concern.value, name, {f.name for f in self.failures})
            raise UnknownComponentError(
                concern, name, sorted(self._by_concern[concern]), failures, provided
            ) from None

    def __iter__(self) -> Iterator[ComponentInfo]:
        for concern in Concern:
            yield from sorted(self._by_concern[concern].values(), key=lambda info: info.name)

    def provided_by(self, plugin: str) -> list[ComponentInfo]:
        return [info for info in self if info.plugin == plugin]


_default: Registry | None = None
_loaded: LoadedPlugins | None = None


def loaded_plugins() -> LoadedPlugins:
    """The installed plugins, loaded once per process (the command line needs only these
    to add plugins' commands; the registry of their components is built when first used)."""
    global _loaded
    if _loaded is None:
        _loaded = _default.loaded if _default is not None else load_plugins()
    return _loaded


def default_registry() -> Registry:
    """The registry of the installed plugins, built once per process."""
    global _default
    if _default is None:
        _default = Registry(loaded_plugins())
    return _default


def reset_default_registry() -> None:
    global _default, _loaded
    _default = _loaded = None
