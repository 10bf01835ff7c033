"""The problems of a program file, each with its key path, as the loader reports them.

An administrator editing TOML needs every mistake at once, each with the key path as it appears
in the file, and never a traceback: the rest of the code deals in :class:`ConfigProblem` lists.
Turning cattrs' error tree into them is the converter's (:mod:`mentorkit.config.converter`).
"""

from __future__ import annotations

import attrs


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
