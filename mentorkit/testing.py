"""Helpers for a plugin's tests: mentorkit's command line run against a database of the test's
own, the shipped programs with their example sign-ups, and a small program built from the
core's components, a plugin's, and a stand-in matcher where the program needs one but the test
is not about matching. mentorkit's own plugins (``plugins/*/tests``) and the package
``mentorkit plugins new`` writes test with them:

    @pytest.fixture
    def mentorkit(tmp_path, monkeypatch):
        with CommandLine(tmp_path, monkeypatch) as command_line:
            yield command_line

    def test_my_rule(mentorkit):
        mentorkit("programs", "add", "im-residency")
        verdicts = mentorkit.json("eligibility", "im-residency")

Loaded by tests only: the command line never imports it.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

from click.testing import CliRunner, Result

from mentorkit.cli import cli
from mentorkit.kernel import registry
from mentorkit.kernel.concerns import Matcher
from mentorkit.kernel.hookspecs import hookimpl
from mentorkit.kernel.plugins import load_plugins
from mentorkit.kernel.program import Program, load_program_text
from mentorkit.kernel.values import MatchPool, MatchResult, Member, ProposedGroup
from mentorkit.services.shipped import example_export, shipped_program
from mentorkit.storage.database import close_database


class CommandLine:
    """``mentorkit`` as a coordinator types it, on a fresh SQLite database in ``folder``; the
    installed plugins load as they would (MENTORKIT_LOAD_PLUGINS and _BLOCK_PLUGINS unset),
    and an unexpected error fails the test with its traceback (MENTORKIT_DEBUG=1)."""

    def __init__(self, folder: Path, monkeypatch: Any) -> None:
        self.folder = Path(folder)
        monkeypatch.setenv("MENTORKIT_DB", str(self.folder / "mentorkit.db"))
        monkeypatch.delenv("MENTORKIT_LOAD_PLUGINS", raising=False)
        monkeypatch.delenv("MENTORKIT_BLOCK_PLUGINS", raising=False)
        monkeypatch.setenv("MENTORKIT_DEBUG", "1")
        registry.reset_default_registry()
        self._runner = CliRunner()

    def __call__(self, *args: object, expect: int | None = 0) -> Result:
        """Run ``mentorkit ARGS``; fails unless it exits with ``expect`` (None: any)."""
        result = self._runner.invoke(cli, [str(a) for a in args], catch_exceptions=True)
        if result.exception and not isinstance(result.exception, SystemExit):
            raise result.exception
        if expect is not None and result.exit_code != expect:
            raise AssertionError(f"mentorkit {' '.join(map(str, args))} exited "
                                 f"{result.exit_code}, not {expect}:\n{result.output}")
        return result

    def json(self, *args: object, expect: int | None = 0) -> Any:
        """Run ``mentorkit ARGS --json`` and read what it printed."""
        return json.loads(self(*args, "--json", expect=expect).output)

    def signups(self, key: str) -> Path:
        """A copy of shipped program ``key``'s example sign-ups in the test's folder (an
        import writes its rejects file beside the file it reads)."""
        source = example_export(key)
        if source is None:
            raise LookupError(f"no example sign-ups for {key!r}")
        return Path(shutil.copy(source, self.folder / source.name))

    def close(self) -> None:
        close_database()
        registry.reset_default_registry()

    def __enter__(self) -> CommandLine:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def shipped(key: str) -> Path:
    """The file of shipped program ``key`` (installed or in a checkout)."""
    path = shipped_program(key)
    if path is None:
        raise LookupError(f"no shipped program {key!r}")
    return path


class StandIn(Matcher):
    """Everyone free in one group: a stand-in matcher for a test's program."""

    name = "testing.stand-in"

    def match(self, pool: MatchPool) -> MatchResult:
        members = tuple(Member(p.id, p.role) for p in pool.free())
        return MatchResult((ProposedGroup(members, 0.0, ("everyone",), "group"),)
                           if members else (), {})


class _StandInPlugin:
    @hookimpl
    def register_matchers(self, register):
        register(StandIn)


def program_text(key: str = "test", intake: str = "", tables: str = "",
                 matching: str = f'component = "{StandIn.name}"') -> str:
    """A program file for a test: roles ``mentee`` and ``mentor`` (sides of the same names),
    the intake every program has (name, e-mail, role) and ``intake``'s fields, the
    ``[matching]`` table's body (the stand-in by default), and ``tables`` (TOML: a test's
    ``[[eligibility]]``, ``[[cadence]]`` or ``[confidentiality]``)."""
    return f"""
[program]
key = "{key}"
name = "{key.title()}"

[cycle]
academic_year_start = 2026-07-01
academic_year_end = 2027-06-30
signup_deadline = 2026-07-15

[[roles]]
key = "mentee"
label = "Mentee"
sides = ["mentee"]

[[roles]]
key = "mentor"
label = "Mentor"
sides = ["mentor"]

[[intake]]
name = "name"

[[intake]]
name = "email"
type = "email"

[[intake]]
name = "role"
type = "choice"
choices = ["mentee", "mentor"]
{intake}
[matching]
{matching}

{tables}
"""


def program(text: str, *plugins: object) -> Program:
    """Program ``text`` built from the core's components, those ``plugins`` register (a plugin
    module, say) and the stand-in matcher; its problems raise ``ConfigError``."""
    loaded = load_plugins(extra=[*plugins, _StandInPlugin()], entries=[])
    return load_program_text(text, "test.toml", registry.Registry(loaded))
