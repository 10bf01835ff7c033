"""Each test runs mentorkit's command line against a database of its own
(``mentorkit.testing``), with the installed plugins loaded as a coordinator's would be."""

from __future__ import annotations

import pytest

from mentorkit.testing import CommandLine


@pytest.fixture
def mentorkit(tmp_path, monkeypatch):
    with CommandLine(tmp_path, monkeypatch) as command_line:
        yield command_line
