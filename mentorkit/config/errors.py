"""Turning cattrs' nested validation errors into ``key.path: expected ...`` lines.

An administrator editing TOML needs every mistake at once, each with the key path as it appears
in the file, and never a traceback; this module is the only place that knows cattrs' error
tree, so the rest of the code deals in :class:`ConfigProblem` lists.
"""

from __future__ import annotations

from collections.abc import Iterator

import attrs
from cattrs.errors import (
    AttributeValidationNote,
    BaseValidationError,
    ForbiddenExtraKeysError,
    IterableValidationNote,
)


@attrs.frozen
class ConfigProblem:
    path: str
    message: str

    def __str__(self) -> str:
        return f"{self.path}: {self.message}" if self.path else self.message


class ConfigError(Exception):
    """Every problem found in one program file; ``str()`` gives one line per problem."""

    def __init__(self, source: str, problems: list[ConfigProblem]) -> None:
        self.source = source
        self.problems = problems
        super().__init__("\n".join(f"{source}: {problem}" for problem in problems))


class WrongValue(ValueError):
    """A value of the wrong type or outside its allowed set; says what was expected."""

    def __init__(self, expected: str, value: object) -> None:
        self.expected, self.value = expected, value
        super().__init__(f"expected {expected}, got {describe_value(value)}")


def describe_value(value: object) -> str:
    if isinstance(value, str):
        return f'"{value}"'
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dict):
        return "a table"
    if isinstance(value, list):
        return "an array"
    return str(value)


def join_path(path: str, segment: str | int) -> str:
    if isinstance(segment, int):
        return f"{path}[{segment}]"
    return f"{path}.{segment}" if path else segment


def with_path(error: Exception, name: str) -> Exception:
    """Attach a key name to ``error`` the way cattrs does, for errors raised by our hooks."""
    error.__notes__ = [*getattr(error, "__notes__", []), AttributeValidationNote(name, name, str)]
    return error


def flatten(error: BaseException, path: str = "") -> Iterator[ConfigProblem]:
    """Every leaf error under ``error``, with its key path."""
    if isinstance(error, BaseValidationError):
        handled: set[int] = set()
        for sub_error, note in error.group_exceptions()[0]:
            handled.add(id(sub_error))
            if isinstance(note, IterableValidationNote):
                yield from flatten(sub_error, join_path(path, note.index))
            else:
                yield from flatten(sub_error, join_path(path, note.name))
        for sub_error in error.exceptions:
            if id(sub_error) not in handled:
                yield from flatten(sub_error, path)
    elif isinstance(error, ForbiddenExtraKeysError):
        allowed = ", ".join(field.name for field in attrs.fields(error.cl))
        for key in sorted(error.extra_fields):
            yield ConfigProblem(
                join_path(path, key), f"unknown key; expected one of: {allowed or '(none)'}"
            )
    elif isinstance(error, KeyError):
        yield ConfigProblem(path, "required key is missing")
    elif isinstance(error, (WrongValue, LookupError)):
        yield ConfigProblem(path, str(error.args[0]) if error.args else str(error))
    else:
        yield ConfigProblem(path, f"{error}")
