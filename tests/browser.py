"""A real headless Chromium for tests that must see what a browser does with a page.

``.ci/chromium.sh`` installs Debian's Chromium; ``MENTORKIT_CHROMIUM`` names another binary.
:func:`dump_dom` and :func:`screenshot` use its command-line switches; :func:`at_width` drives
it over the DevTools protocol, to lay a page out at any width and measure it there.
Tests that use these helpers are marked ``@needs_chromium`` and skip with a reason without one.
"""

from __future__ import annotations

import base64
import contextlib
import fcntl
import json
import os
import select
import shutil
import signal
import subprocess
import tempfile
import time
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


class DevTools:
    """One headless Chromium driven over the DevTools protocol on a pipe (the browser reads
    commands on its fd 3 and answers on fd 4, each message JSON ending in NUL): for what
    the command-line switches cannot do, such as laying a page out at a phone's width (a
    headless window is at least 500 px wide) and measuring it there."""

    def __init__(self) -> None:
        assert CHROMIUM is not None, "no Chromium (use @needs_chromium)"
        self._profile = tempfile.TemporaryDirectory(prefix="mentorkit-chromium-")
        commands, self._to = os.pipe()
        self._from, answers = os.pipe()
        high = [fcntl.fcntl(fd, fcntl.F_DUPFD, 20) for fd in (commands, answers)]
        for fd in (commands, answers):
            os.close(fd)

        def onto_3_and_4() -> None:  # in the child: the pipe ends where Chromium wants them
            os.dup2(high[0], 3)
            os.dup2(high[1], 4)

        self._proc = subprocess.Popen(
            [CHROMIUM, *FLAGS, f"--user-data-dir={self._profile.name}",
             "--remote-debugging-pipe", "about:blank"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, pass_fds=(3, 4, *high),
            preexec_fn=onto_3_and_4, start_new_session=True)
        for fd in high:
            os.close(fd)
        self._buffer, self._next, self._events = b"", 0, []
        target = self.call("Target.createTarget", url="about:blank")["targetId"]
        self._session = self.call("Target.attachToTarget", targetId=target,
                                  flatten=True)["sessionId"]

    def call(self, method: str, session: bool = False, **params) -> dict:
        """Send one command and wait for its answer (events seen meanwhile are kept)."""
        self._next += 1
        message = {"id": self._next, "method": method, "params": params}
        if session:
            message["sessionId"] = self._session
        os.write(self._to, json.dumps(message).encode() + b"\0")
        while True:
            found = self._read()
            if found.get("id") == self._next:
                assert "error" not in found, f"{method}: {found['error']}"
                return found.get("result", {})
            self._events.append(found)

    def wait_for(self, event: str) -> None:
        while not any(e.get("method") == event for e in self._events):
            self._events.append(self._read())

    def _read(self) -> dict:
        deadline = time.monotonic() + TIMEOUT_S
        while b"\0" not in self._buffer:
            left = max(0.0, deadline - time.monotonic())
            ready, _, _ = select.select([self._from], [], [], left)
            assert ready, f"Chromium did not answer within {TIMEOUT_S} s"
            chunk = os.read(self._from, 1 << 16)
            assert chunk, "Chromium closed the DevTools pipe"
            self._buffer += chunk
        message, self._buffer = self._buffer.split(b"\0", 1)
        return json.loads(message)

    def close(self) -> None:
        with contextlib.suppress(OSError, AssertionError):
            self.call("Browser.close")
        try:
            self._proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(self._proc.pid, signal.SIGKILL)
            self._proc.wait()
        for fd in (self._to, self._from):
            with contextlib.suppress(OSError):
                os.close(fd)
        self._profile.cleanup()


def at_width(page: Path, width: int, height: int, expression: str,
             png: Path | None = None) -> object:
    """Lay ``page`` out in a ``width`` x ``height`` viewport (any width, 360 px too), return
    the value of the JavaScript ``expression`` evaluated there (by the browser, not by the
    page: a page that runs no script of its own is measured all the same), and write a
    screenshot of the viewport to ``png`` if given."""
    browser = DevTools()
    try:
        browser.call("Emulation.setDeviceMetricsOverride", session=True, width=width,
                     height=height, deviceScaleFactor=1, mobile=False)
        browser.call("Page.enable", session=True)
        browser.call("Page.navigate", session=True, url=_url(page))
        browser.wait_for("Page.loadEventFired")
        found = browser.call("Runtime.evaluate", session=True, expression=expression,
                             returnByValue=True)
        assert "exceptionDetails" not in found, found["exceptionDetails"]
        if png is not None:
            shot = browser.call("Page.captureScreenshot", session=True, format="png")
            png.write_bytes(base64.b64decode(shot["data"]))
        return found["result"].get("value")
    finally:
        browser.close()
