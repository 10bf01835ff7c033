"""A program: its checked configuration and the components built from it.

Here the program file meets the plugins: the file is read with each component's ``Params``
looked up in the registry, then every component is built and asked for its own problems (a
field or role it needs). All problems, the file's and the components', are reported at once.
"""

from __future__ import annotations

from pathlib import Path

import attrs

from mentorkit.config.errors import ConfigError, ConfigProblem
from mentorkit.config.loader import read_config
from mentorkit.config.models import ProgramConfig
from mentorkit.kernel.concerns import (
    CadenceRule,
    Component,
    Concern,
    ConfidentialityPolicy,
    EligibilityRule,
    Matcher,
)
from mentorkit.kernel.guard import debugging
from mentorkit.kernel.registry import Registry, default_registry


@attrs.frozen
class Program:
    """A checked program: its configuration and the components built from it."""

    config: ProgramConfig
    eligibility: tuple[EligibilityRule, ...]
    matcher: Matcher
    cadence: tuple[CadenceRule, ...]
    confidentiality: ConfidentialityPolicy
    text: str  # the TOML as given, kept so the database can rebuild the program
    source: str

    @property
    def key(self) -> str:
        return self.config.key


def params_lookup(registry: Registry):
    """The ``Params`` class of a component, by concern and name, for the file reader."""
    return lambda concern, name: registry.get(Concern(concern), name).cls.Params


def _build(config: ProgramConfig, registry: Registry) -> tuple[dict[str, Component], list]:
    built: dict[str, Component] = {}
    problems: list[ConfigProblem] = []
    for path, choice in config.choices():
        info = registry.get(Concern(choice.concern), choice.component)
        try:
            component = info.cls(choice.params, config)
            found = list(component.problems())
        except Exception as error:  # a plugin's bug: its name and the error's type, as always
            if debugging():
                raise
            problems.append(ConfigProblem(path, f"component {choice.component!r} ({info.plugin})"
                                                f" failed: {type(error).__name__}"))
            continue
        built[path] = component
        problems += [ConfigProblem(f"{path}.{p.path}" if p.path else path, p.message)
                     for p in found]
    return built, problems


def load_program_text(text: str, source: str, registry: Registry | None = None) -> Program:
    registry = registry or default_registry()
    config, problems = read_config(text, source, params_lookup(registry))
    built, component_problems = _build(config, registry)
    # a value the file reader refused (-2, nan) is not reported again by its component
    said = {problem.path for problem in problems}
    problems += [p for p in component_problems if p.path not in said]
    if problems:
        raise ConfigError(source, problems)
    return Program(
        config=config,
        eligibility=tuple(built[f"eligibility[{i}]"] for i in range(len(config.eligibility))),
        matcher=built["matching"],
        cadence=tuple(built[f"cadence[{i}]"] for i in range(len(config.cadence))),
        confidentiality=built["confidentiality"],
        text=text,
        source=source,
    )


def load_program(path: str | Path, registry: Registry | None = None) -> Program:
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise ConfigError(str(path), [ConfigProblem("", f"cannot read file: {error}")]) from None
    return load_program_text(text, str(path), registry)
