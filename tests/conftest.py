from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from mentorkit.cli import cli
from mentorkit.storage.database import close_database

ROOT = Path(__file__).resolve().parent.parent
CONFIGS = ROOT / "program_configs"
EXAMPLES = ROOT / "examples" / "data"


@pytest.fixture
def db_path(tmp_path, monkeypatch) -> Path:
    """Each test gets its own database, chosen the way a user would (MENTORKIT_DB)."""
    path = tmp_path / "test.db"
    monkeypatch.setenv("MENTORKIT_DB", str(path))
    monkeypatch.delenv("MENTORKIT_LOAD_PLUGINS", raising=False)
    monkeypatch.delenv("MENTORKIT_BLOCK_PLUGINS", raising=False)
    yield path
    close_database()


@pytest.fixture
def run(db_path):
    """Invoke the CLI; returns click's Result. Fails the test on an unexpected traceback."""
    runner = CliRunner()

    def invoke(*args: str, expect: int | None = 0):
        result = runner.invoke(cli, [str(a) for a in args], catch_exceptions=True)
        if result.exception and not isinstance(result.exception, SystemExit):
            raise result.exception
        if expect is not None:
            assert result.exit_code == expect, result.output
        return result

    return invoke
