"""The cattrs converter for program files: strict types, components found by name, and its
nested validation errors as ``key.path: expected ...`` problems.

TOML already types its values, so a string where a number belongs is a mistake to report,
not to coerce: ``group_size = "3"`` is rejected rather than silently read as 3.
"""

from __future__ import annotations

import datetime as dt
import typing
from collections.abc import Callable, Iterator
from typing import Any, Literal

import attrs
import cattrs
from cattrs.cols import is_sequence, list_structure_factory
from cattrs.errors import (
    AttributeValidationNote,
    BaseValidationError,
    ClassValidationError,
    ForbiddenExtraKeysError,
    IterableValidationNote,
)

from mentorkit.config.errors import ConfigProblem, WrongValue, join_path
from mentorkit.config.models import ComponentChoice
from mentorkit.config.upgrade import former_hint

# (concern, component name) -> the component's ``Params`` class; raises LookupError (with a
# message naming what is known) for a component no loaded plugin provides.
ParamsLookup = Callable[[str, str], type]


def _strict(expected: str, check):
    def hook(value: Any, _type: Any) -> Any:
        if not check(value):
            raise WrongValue(expected, value)
        return value

    return hook


def _structure_float(value: Any, _type: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise WrongValue("a number", value)
    return float(value)


def _structure_date(value: Any, _type: Any) -> dt.date:
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            pass
    raise WrongValue("a date (YYYY-MM-DD)", value)


def _literal_factory(literal: Any, _converter: cattrs.Converter):
    allowed = typing.get_args(literal)
    expected = "one of " + ", ".join(f'"{a}"' if isinstance(a, str) else str(a) for a in allowed)

    def hook(value: Any, _type: Any) -> Any:
        if value not in allowed or isinstance(value, bool) != isinstance(allowed[0], bool):
            raise WrongValue(expected, value)
        return value

    return hook


def _strict_list_factory(list_type: Any, converter: cattrs.Converter):
    structure_items = list_structure_factory(list_type, converter)

    def hook(value: Any, _type: Any) -> Any:
        if not isinstance(value, list):
            raise WrongValue("an array", value)
        return structure_items(value, _type)

    return hook


def make_converter(params_for: ParamsLookup) -> cattrs.Converter:
    converter = cattrs.Converter(forbid_extra_keys=True, detailed_validation=True)
    converter.register_structure_hook(str, _strict("a string", lambda v: isinstance(v, str)))
    converter.register_structure_hook(
        int, _strict("an integer", lambda v: isinstance(v, int) and not isinstance(v, bool))
    )
    converter.register_structure_hook(bool, _strict("true or false", lambda v: isinstance(v, bool)))
    converter.register_structure_hook(float, _structure_float)
    converter.register_structure_hook(dt.date, _structure_date)
    converter.register_structure_hook_factory(
        lambda t: typing.get_origin(t) is Literal, _literal_factory
    )
    converter.register_structure_hook_factory(is_sequence, _strict_list_factory)

    def structure_choice(value: Any, cls: type[ComponentChoice]) -> ComponentChoice:
        if not isinstance(value, dict):
            raise WrongValue("a table with a `component` key", value)
        name = value.get("component")
        if not isinstance(name, str):
            error = KeyError("component") if name is None else WrongValue("a string", name)
            raise ClassValidationError("bad component", [with_path(error, "component")], cls)
        try:
            params = params_for(cls.concern, name)
        except LookupError as error:
            known = LookupError(f"{error}{former_hint(name)}")  # a rule since moved to the core
            errors = [with_path(known, "component")]
            raise ClassValidationError("bad component", errors, cls) from None
        own = {key: value[key] for key in cls.core_keys if key in value}
        rest = {key: item for key, item in value.items()
                if key != "component" and key not in own}
        settings = {}
        for key, item in own.items():  # the core's keys in a component's table
            try:
                settings[key] = converter.structure(item, typing.get_type_hints(cls)[key])
            except Exception as error:  # a wrong value: reported with its key path
                raise ClassValidationError("bad setting", [with_path(error, key)],
                                           cls) from None
        return cls(component=name, params=converter.structure(rest, params), **settings)

    converter.register_structure_hook_func(
        lambda t: isinstance(t, type) and issubclass(t, ComponentChoice), structure_choice
    )
    return converter


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
