"""Serving the participants' page with Waitress: a production WSGI server in pure Python
(no compiler, runs wherever mentorkit runs), with a pool of threads that suits a synchronous
application on SQLite or PostgreSQL. It stops cleanly on SIGINT and SIGTERM: it stops
accepting, lets the requests under way finish, and closes the database."""

from __future__ import annotations

import logging
import os
import signal
import threading
from collections.abc import Callable
from http.cookies import CookieError, SimpleCookie

from mentorkit.services import links, serving
from mentorkit.web.app import MAX_BODY, Settings, create_app
from mentorkit.web.pages import shown_path
from mentorkit.web.security import COOKIE

log = logging.getLogger("mentorkit.web")

THREADS = 8


def make_server(settings: Settings, host: str, port: int):
    """A Waitress server bound to ``host``:``port`` (0: any free port), not yet running.

    Waitress reads a request's whole body before the application sees it: its own limit is
    the application's (it refuses a body of ``max_request_body_size`` bytes or more), so a
    request announcing a larger body is answered 413 at once, its body never read."""
    from waitress.server import create_server

    app = create_app(settings)
    server = create_server(app, host=host, port=port, threads=THREADS, ident="mentorkit",
                         trusted_proxy=None, clear_untrusted_proxy_headers=False,
                         expose_tracebacks=False, connection_limit=1000, backlog=2048,
                         max_request_body_size=MAX_BODY + 1)
    server.channel_class = _channel()
    return server


def _channel():
    """Waitress's connection handler, whose refusal of a body too large (decided before
    the application sees the request) is audited as the application's refusals are."""
    from waitress.channel import HTTPChannel
    from waitress.task import ErrorTask

    class AuditedErrorTask(ErrorTask):
        def execute(self):
            if self.request.error.code == 413:
                _audit_too_large(self.channel.addr, self.request.path or "",
                                 self.request.headers.get("COOKIE", ""))
            super().execute()

    return type("AuditedChannel", (HTTPChannel,), {"error_task_class": AuditedErrorTask})


def _audit_too_large(addr, path: str, cookies: str = "") -> None:
    """As the member where the request's session cookie proves one (a member's own form
    grown too large), else as the client's address, as the application's refusals are."""
    try:
        serving.begin_request()
        visit = links.visit(_session_id(cookies))
        if visit is not None:
            serving.refused(visit, "too long to send", shown_path(path))
        else:
            links.refused("too long to send", str(addr[0]) if addr else "unknown",
                          path=shown_path(path))
    except Exception as error:  # the refusal is answered even if the log cannot be written
        log.error("could not audit a refused request: %s", type(error).__name__)
        serving.end_request(failed=True)


def _session_id(cookies: str) -> str | None:
    """The page's session id in a Cookie header, if it holds one that parses."""
    jar = SimpleCookie()
    try:
        jar.load(cookies)
    except CookieError:
        return None
    return jar[COOKIE].value if COOKIE in jar else None


def keep_to_one_cpu() -> int | None:
    """Keep every thread of this process, and those it starts from now on, on one CPU
    (Linux); the CPU, or None where there is no choice to make or the system cannot.

    Python runs one thread at a time (the GIL); when the server's threads hand it to each
    other across CPUs, each hand-over costs the caches of both, and 200 members posting at
    once cost the server twice the CPU time they do on one CPU (benchmarks/web_load.py). The
    CPU chosen is the one the process last ran on (where the system found room a moment
    ago): two servers started together on one machine may well land on the same one, which
    is why ``serve --any-cpu`` exists."""
    if not hasattr(os, "sched_setaffinity"):
        return None
    allowed = os.sched_getaffinity(0)
    if len(allowed) < 2:
        return None
    cpu = _running_on()
    cpu = cpu if cpu in allowed else min(allowed)
    try:
        os.sched_setaffinity(0, {cpu})  # this thread, and the threads it starts
        for thread in os.listdir("/proc/self/task"):  # and any started before (a plugin's)
            os.sched_setaffinity(int(thread), {cpu})
    except OSError:
        return cpu if os.sched_getaffinity(0) == {cpu} else None
    return cpu


def _running_on() -> int | None:
    """The CPU this process last ran on (field 39 of /proc/self/stat), if the system says."""
    try:
        with open("/proc/self/stat", encoding="ascii") as stat:
            return int(stat.read().rsplit(")", 1)[1].split()[36])
    except (OSError, ValueError, IndexError):
        return None


def bound_address(server) -> tuple[str, int]:
    host, port = server.effective_host, server.effective_port
    return str(host), int(port)


def run(server, on_stop: Callable[[], None] = lambda: None) -> None:
    """Serve until SIGINT or SIGTERM (in the main thread), then close everything."""
    stopping = threading.Event()

    def stop(_signum, _frame) -> None:
        stopping.set()
        raise KeyboardInterrupt

    previous = {sig: signal.signal(sig, stop) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        server.run()
    except KeyboardInterrupt:
        pass
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
        server.close()
        serving.end_request()
        on_stop()
