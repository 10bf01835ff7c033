"""Services and views loaded on first use, so that ``--help`` (which needs only the commands
themselves) starts without them: ``programs = lazy("mentorkit.services.programs")`` stands for
the module and imports it when an attribute is first looked up through it.
``tests/test_architecture.py`` reads these names as the imports they are."""

from __future__ import annotations

import importlib
from types import ModuleType
from typing import Any


class Lazy:
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
    return Lazy(name)
