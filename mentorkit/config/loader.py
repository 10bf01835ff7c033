"""Reading a program file into a :class:`ProgramConfig`: parse, structure, cross-check.

Every stage collects all it finds before giving up, so an administrator fixes a file in one
pass: TOML syntax (with line and column), then types and unknown keys (with key paths), then
rules that span keys. A component's parameters are structured into the component's own
``Params`` class, which the caller looks up (``params_for``): the file layer knows no plugin.
Building the components and their own checks is the kernel's
(:mod:`mentorkit.kernel.program`).
"""

from __future__ import annotations

import copy
import datetime as dt
import math
import re
import tomllib
from collections.abc import Iterator
from typing import Any

from cattrs.errors import BaseValidationError

from mentorkit.config.checks import cross_checks
from mentorkit.config.converter import ParamsLookup, flatten, make_converter
from mentorkit.config.errors import ConfigError, ConfigProblem
from mentorkit.config.models import ProgramConfig

DEFAULT_CONFIDENTIALITY = {"component": "consent-by-audience"}
LARGEST = 1_000_000  # no count, weight or period of a mentoring program comes near it
FIRST_YEAR, LAST_YEAR = 1900, 2200  # the years a program's dates may fall in
# Keys that count or measure something, in any table (a plugin's component's too): never
# negative. By name, or by how the name ends or begins (cohort_size, grace_days,
# select_per_year, max_per_institution), so a component's own counts need no list here.
COUNTS = frozenset({"capacity", "candidates", "count", "days", "hours", "passes",
                    "preference_length", "by", "last", "size"})
COUNT_NAME = re.compile(r"(_size|_days|_hours|_years)$|^(max|min)_|_per_")


def _too_deep(source: str) -> ConfigError:
    return ConfigError(source, [ConfigProblem("", "nested too deeply to be a program file")])


def parse_toml(text: str, source: str) -> dict[str, Any]:
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise ConfigError(source, [ConfigProblem("", f"TOML syntax error: {error}")]) from None
    except RecursionError:
        raise _too_deep(source) from None


def number_problems(value: Any, path: str = "", key: str = "") -> Iterator[ConfigProblem]:
    """nan, infinity, absurd magnitudes anywhere, and negative counts, with key paths: a
    typo of 1e20 or -26 must not pass as a capacity or a number to select."""
    if isinstance(value, dict):
        for name, item in value.items():
            yield from number_problems(item, f"{path}.{name}" if path else name, name)
    elif isinstance(value, list):
        for i, item in enumerate(value):
            yield from number_problems(item, f"{path}[{i}]", key)
    elif isinstance(value, bool):
        return
    elif isinstance(value, float) and not math.isfinite(value):
        yield ConfigProblem(path, f"expected a finite number, not {value}")
    elif isinstance(value, int | float) and abs(value) > LARGEST:
        yield ConfigProblem(path, f"expected a number between -{LARGEST:,} and {LARGEST:,}, "
                                  f"not {value:g}")
    elif isinstance(value, int | float) and value < 0 and (key in COUNTS
                                                           or COUNT_NAME.search(key)):
        yield ConfigProblem(path, f"expected 0 or more, not {value:g}")


def date_problems(value: Any, path: str = "") -> Iterator[ConfigProblem]:
    """Dates outside the years a program can run in (1900 to 2200), with key paths: a typo
    of 9999 must not reach a calendar or a year's close."""
    if isinstance(value, dict):
        for name, item in value.items():
            yield from date_problems(item, f"{path}.{name}" if path else name)
    elif isinstance(value, list):
        for i, item in enumerate(value):
            yield from date_problems(item, f"{path}[{i}]")
    elif isinstance(value, dt.date) and not FIRST_YEAR <= value.year <= LAST_YEAR:
        yield ConfigProblem(path, f"expected a date from {FIRST_YEAR} to {LAST_YEAR}, not "
                                  f"{value.isoformat()}")


def read_config(text: str, source: str,
                params_for: ParamsLookup) -> tuple[ProgramConfig, list[ConfigProblem]]:
    """The program file as a :class:`ProgramConfig`, with every problem found past
    structuring (numbers out of range, rules that span keys). A file that cannot be
    structured at all raises :class:`ConfigError` with all it found."""
    data = parse_toml(text, source)
    data.setdefault("confidentiality", DEFAULT_CONFIDENTIALITY)
    # reported with every other problem, in one pass
    numbers = list(number_problems(data)) + list(date_problems(data))
    converter = make_converter(params_for)
    try:
        config = converter.structure(data, ProgramConfig)
    except BaseValidationError as error:
        structuring = list(flatten(error))
        config = _without(converter, data, structuring)
        numbered = {problem.path for problem in numbers}  # nan: said once, not twice
        found = [p for p in structuring if p.path not in numbered]
        if config is None:
            raise ConfigError(source, numbers + found) from None
        # every problem at once: those of the rest of the file, read without the values
        # that could not be read (the components' own are the kernel's, next)
        return config, numbers + found + [p for p in cross_checks(config)
                                          if not _under(p.path, structuring)]
    except RecursionError:
        raise _too_deep(source) from None
    return config, numbers + list(cross_checks(config))


def _segments(path: str) -> list[str | int]:
    """``cycle.terms[0].name`` -> ["cycle", "terms", 0, "name"]."""
    found: list[str | int] = []
    for part in path.split("."):
        name, *indexes = part.split("[")
        if name:
            found.append(name)
        found += [int(index.rstrip("]")) for index in indexes if index.rstrip("]").isdigit()]
    return found


def _under(path: str, problems: list[ConfigProblem]) -> bool:
    return any(path == p.path or path.startswith(p.path + ".") or path.startswith(p.path + "[")
               for p in problems if p.path)


def _without(converter, data: dict, problems: list[ConfigProblem],
             passes: int = 6) -> ProgramConfig | None:
    """The file structured without the keys whose values could not be read (a misspelt key,
    a word where a number goes), so the rest of it can be checked too; None where a key
    that must be there could not be read."""
    data, removed = copy.deepcopy(data), list(problems)
    for _ in range(passes):
        for problem in removed:
            segments = _segments(problem.path)
            if not segments or not isinstance(segments[-1], str):
                return None  # a whole entry of a list: what would be left is not the file
            *parents, last = segments
            holder: Any = data
            for segment in parents:
                try:
                    holder = holder[segment]
                except (KeyError, IndexError, TypeError):
                    holder = None
                    break
            if isinstance(holder, dict):
                holder.pop(last, None)
        try:
            return converter.structure(data, ProgramConfig)
        except BaseValidationError as error:
            more = list(flatten(error))
            if any(p.message == "required key is missing" for p in more):
                return None
            removed = more
        except (RecursionError, TypeError, ValueError):
            return None
    return None
