"""A real headless Chromium for tests that must see what a browser does with a page.

``.ci/chromium.sh`` installs Debian's Chromium; ``MENTORKIT_CHROMIUM`` names another binary.
Tests that use these helpers are marked ``@needs_chromium`` and skip with a reason without one.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import tempfile
from pathlib import Path

import pytest

CHROMIUM: str | None = os.environ.get("MENTORKIT_CHROMIUM") or next(
    (found for name in ("chromium", "chromium-browser", "google-chrome")
     if (found := shutil.which(name))),
    None,
)

needs_chromium = pytest.mark.skipif(
    CHROMIUM is None,
    reason="no Chromium: .ci/chromium.sh installs Debian's (or set MENTORKIT_CHROMIUM)",
)

TIMEOUT_S = 60

# Headless, no sandbox (tests may run as root), and none of the browser's own network traffic:
# without the background-networking flags its connections are refused many at a time here.
FLAGS = (
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
)


def _stderr(err: str) -> str:
    """Chromium's stderr without the D-Bus complaints of a machine with no bus, last lines only."""
    lines = [line for line in err.splitlines() if "dbus" not in line]
    return "\n".join(lines[-40:])


def _url(page: Path) -> str:
    # Chromium shows an error page (and exits 0) for a missing file: fail clearly instead.
    assert page.is_file(), f"no page to open: {page}"
    return page.resolve().as_uri()


def _run(args: list[str]) -> str:
    """Run Chromium with FLAGS, ``args`` and a fresh profile; its stdout, or AssertionError."""
    assert CHROMIUM is not None, "no Chromium (use @needs_chromium)"
    with tempfile.TemporaryDirectory(prefix="mentorkit-chromium-") as profile:
        command = [CHROMIUM, *FLAGS, f"--user-data-dir={profile}", *args]
        # Its own session, so a timeout can end the renderer and helper processes too.
        proc = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                text=True, start_new_session=True)
        try:
            out, err = proc.communicate(timeout=TIMEOUT_S)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            out, err = proc.communicate()
            raise AssertionError(
                f"Chromium timed out after {TIMEOUT_S} s: {' '.join(command)}\n{_stderr(err)}"
            ) from None
    if proc.returncode != 0:
        raise AssertionError(
            f"Chromium exited with {proc.returncode}: {' '.join(command)}\n{_stderr(err)}"
        )
    return out


def dump_dom(page: Path, wait_ms: int = 2000) -> str:
    """The serialized DOM of ``page`` after its scripts (given ``wait_ms`` virtual time) ran.

    ``wait_ms <= 0`` dumps at load without a budget (``--virtual-time-budget=0`` never returns).
    """
    budget = [f"--virtual-time-budget={wait_ms}"] if wait_ms > 0 else []
    return _run([*budget, "--dump-dom", _url(page)])


def screenshot(page: Path, png: Path, width: int = 1200, height: int = 1600) -> Path:
    """A PNG screenshot of ``page`` in a ``width`` x ``height`` window, written to ``png``."""
    png = png.resolve()
    _run([f"--screenshot={png}", f"--window-size={width},{height}", "--hide-scrollbars",
          _url(page)])
    assert png.is_file() and png.stat().st_size > 0, f"Chromium wrote no screenshot to {png}"
    return png
