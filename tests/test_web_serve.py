"""`mentorkit serve` as a coordinator runs it: one command, serving at once, stopping cleanly
on SIGINT and SIGTERM; and the web stack loaded by `serve` only."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request

import pytest

from tests.portal import matched


def test_serve_check_binds_and_says_where(run):
    out = run("serve", "--port", "0", "--check").output
    assert out.startswith("Serving the participants' page on http://127.0.0.1:")
    bad = run("serve", "--base-url", "example.edu", "--check", expect=2).output
    assert "full address" in bad


def test_other_commands_do_not_load_the_web_stack(run, db_path):
    probe = ("import sys, io, contextlib\nfrom mentorkit.cli import cli\n"
             "with contextlib.redirect_stdout(io.StringIO()):\n"
             "    try: cli(['programs', 'list'])\n    except SystemExit: pass\n"
             "print([m for m in ('flask', 'waitress', 'werkzeug', 'mentorkit.web.app') "
             "if m in sys.modules])")
    shown = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                           check=True, env={**os.environ, "MENTORKIT_DB": str(db_path)})
    assert shown.stdout.split() == ["[]"], shown.stderr


def _started(db_path, port_file, *options):
    proc = subprocess.Popen([sys.executable, "-m", "mentorkit", "--db", str(db_path), "serve",
                             "--port", "0", *options], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True,
                            env={**os.environ, "MENTORKIT_DEBUG": ""})
    line = proc.stdout.readline()
    assert line.startswith("Serving"), line + proc.stderr.read()
    address = line.split(" on ")[1].split()[0].rstrip(".;")
    proc.said = line
    return proc, address


@pytest.mark.skipif(not hasattr(os, "sched_getaffinity") or len(os.sched_getaffinity(0)) < 2,
                    reason="one CPU, or a system without CPU affinity: nothing to choose")
def test_serve_keeps_its_threads_on_one_cpu_unless_told(tmp_path, db_path):
    """Every thread of the server (Waitress's workers too) runs on the one CPU it names, so
    the GIL is not handed between CPUs; --any-cpu leaves them where the system puts them."""
    for options, one in ((), True), (("--any-cpu",), False):
        proc, address = _started(db_path, tmp_path / "port", *options)
        try:
            with urllib.request.urlopen(f"{address}/static/page.css", timeout=10):
                pass  # serving: its worker threads exist
            threads = os.listdir(f"/proc/{proc.pid}/task")
            assert len(threads) > 2
            cpus = {frozenset(os.sched_getaffinity(int(t))) for t in threads}
        finally:
            proc.send_signal(signal.SIGTERM)
            proc.communicate(timeout=20)
        if one:
            assert len(cpus) == 1 and len(next(iter(cpus))) == 1, cpus
            assert f"its threads on CPU {next(iter(next(iter(cpus))))}." in proc.said
        else:
            assert cpus == {frozenset(os.sched_getaffinity(0))}
            assert "CPU" not in proc.said


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT], ids=["SIGTERM", "SIGINT"])
def test_serve_answers_and_stops_cleanly(run, tmp_path, db_path, sig):
    matched(run, tmp_path)
    proc, address = _started(db_path, tmp_path / "port")
    try:
        with pytest.raises(urllib.error.HTTPError) as refused:
            urllib.request.urlopen(f"{address}/start/not-a-link", timeout=10)
        assert refused.value.code == 404
        assert "default-src 'none'" in refused.value.headers["Content-Security-Policy"]
        with urllib.request.urlopen(f"{address}/static/page.css", timeout=10) as css:
            assert css.status == 200
    finally:
        proc.send_signal(sig)
        began = time.monotonic()
        out, err = proc.communicate(timeout=20)
    assert proc.returncode == 0, err
    assert time.monotonic() - began < 10
    assert "Stopped." in out and "Traceback" not in err


def test_a_body_too_large_is_refused_before_it_is_read(run, tmp_path, db_path):
    """The server refuses what the page would refuse (over 64 KiB) from the Content-Length
    alone: a client announcing 300 MB is answered 413 without sending a byte of it."""
    import socket

    proc, address = _started(db_path, tmp_path / "port")
    host, port = address.removeprefix("http://").rsplit(":", 1)
    try:
        with socket.create_connection((host, int(port)), timeout=10) as conn:
            conn.sendall(b"POST /privacy HTTP/1.1\r\nHost: page.test\r\n"
                         b"Content-Type: application/x-www-form-urlencoded\r\n"
                         b"Content-Length: 300000000\r\n\r\n")
            answer = conn.recv(4096).decode("latin-1")
        assert answer.startswith("HTTP/1.1 413"), answer
        with socket.create_connection((host, int(port)), timeout=10) as conn:  # the limit is
            conn.sendall(b"POST /privacy HTTP/1.1\r\nHost: page.test\r\n"  # the page's own
                         b"Content-Length: 65536\r\n\r\n" + b"x" * 65536)
            assert not conn.recv(4096).decode("latin-1").startswith("HTTP/1.1 413")
    finally:
        proc.send_signal(signal.SIGTERM)
        proc.communicate(timeout=20)
    logged = json.loads(run("audit", "--action", "link.refused", "--json").output)
    assert [(e["detail"]["why"], e["detail"]["path"]) for e in logged][-1:] == [
        ("too long to send", "/privacy")]  # the first, newest last


def test_a_members_body_too_large_is_logged_as_theirs(run, tmp_path, db_path):
    """The server's own 413 reads the session cookie: a member's form grown too large is
    logged as a refusal of that member's page, not as an anonymous link failure."""
    import http.client

    from tests.portal import PROGRAM, issue_links

    matched(run, tmp_path)
    email, token = next(iter(issue_links(run).items()))
    proc, address = _started(db_path, tmp_path / "port")
    host, port = address.removeprefix("http://").rsplit(":", 1)
    try:
        opened = http.client.HTTPConnection(host, int(port), timeout=10)
        opened.request("GET", f"/start/{token}")
        cookie = opened.getresponse().getheader("Set-Cookie").split(";")[0]
        opened.close()
        big = http.client.HTTPConnection(host, int(port), timeout=10)
        big.putrequest("POST", "/groups/x/meetings")
        big.putheader("Cookie", cookie)
        big.putheader("Content-Length", "300000000")
        big.endheaders()
        assert big.getresponse().status == 413
        big.close()
    finally:
        proc.send_signal(signal.SIGTERM)
        proc.communicate(timeout=20)
    logged = json.loads(run("audit", "--action", "page.refused", "--json").output)
    assert [(e["actor"], e["target"], e["detail"]["why"], e["detail"]["path"])
            for e in logged] == [(email, PROGRAM, "too long to send", "/groups/…")]
