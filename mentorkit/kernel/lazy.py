"""Modules loaded on first use, so the command line starts without the numeric stack.

``mentorkit --help`` and every command that matches no one must not wait for numpy, scipy
and OR-Tools (about half a second): a plugin's components are loaded with the registry, and
their solvers only when a matcher runs. ``np = lazy("numpy")`` stands for the module and
imports it on the first attribute looked up through it. (The standard library's
``LazyLoader`` loads as soon as anything inspects the module object, as pluggy does with
every attribute of a plugin module it registers.)
"""

from __future__ import annotations

import importlib
from types import ModuleType
from typing import Any


class LazyModule:
    __slots__ = ("_module", "_name")

    def __init__(self, name: str) -> None:
        self._name = name
        self._module: ModuleType | None = None

    def __getattr__(self, attribute: str) -> Any:  # only for what the proxy itself lacks
        if self._module is None:
            self._module = importlib.import_module(self._name)
        return getattr(self._module, attribute)

    def __repr__(self) -> str:
        return f"<lazy module {self._name!r}>"


def lazy(name: str) -> Any:
    return LazyModule(name)
