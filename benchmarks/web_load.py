"""The participants' page under load: 200 members log a meeting at the same moment, against
the real server (`mentorkit serve`, Waitress, in its own process) on SQLite, then PostgreSQL.

    python benchmarks/web_load.py                       # SQLite (a temporary file)
    python benchmarks/web_load.py --pg postgresql://user:pw@localhost/scratch   # and then
                                                        # PostgreSQL: that database is WIPED

For each database it adds peer mentoring, imports its example sign-ups, selects, matches and
accepts (441 members in groups), issues every member's personal link, starts the server on a
free loopback port, and then:

- each of ``--members`` threads opens its member's link, reads their group page (for the
  form's CSRF token), waits at a barrier, and all post a meeting at once;
- the baseline, in the same run: the same number of meetings logged in this process through
  the service `meetings log` uses (no HTTP, one after another), on the same database.

It prints, per database, the posts' latency (median, 95th percentile, worst), the time for
all of them, and whether every write is there (meetings stored = meetings posted). The
target: no write lost, 95th percentile under one second. Traffic goes to 127.0.0.1 only,
every request has a time-out, and the run ends by itself.

Then the same posts against a server started with ``--any-cpu`` (its threads free to move
between CPUs, as before ``serve`` kept them on one): the row says what keeping them on one
CPU is worth on this machine.
"""

from __future__ import annotations

import argparse
import datetime as dt
import http.client
import os
import re
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import tomllib
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

ROOT = Path(__file__).resolve().parent.parent
PROGRAM = "peer-mentoring"
MENTORKIT = [sys.executable, "-m", "mentorkit"]
LINK = re.compile(r"(\S+@\S+)\s+http://127\.0\.0\.1/start/(\S+)")
TIMEOUT_S = 60


def cli(db: str, *args: str) -> str:
    env = {**os.environ, "MENTORKIT_DB": db}
    done = subprocess.run([*MENTORKIT, *args], env=env, capture_output=True, text=True)
    if done.returncode not in (0, 1):  # 1: the example's rejected rows, on purpose
        raise SystemExit(f"mentorkit {' '.join(args)} failed: {done.stderr}")
    return done.stdout


def prepare(db: str) -> dict[str, str]:
    """The program matched and accepted; every member's link token, by e-mail."""
    config = ROOT / "program_configs" / f"{PROGRAM}.toml"
    starts = tomllib.loads(config.read_text())["cycle"]["match_by"]
    for step in (("programs", "add", str(config)),
                 ("participants", "import", PROGRAM,
                  str(copy_export(Path(tempfile.mkdtemp())))),
                 ("eligibility", PROGRAM, "--brief"), ("participants", "select", PROGRAM),
                 ("match", "run", PROGRAM), ("match", "accept", PROGRAM, "--starts-on",
                                             str(starts))):
        cli(db, *step)
    out = cli(db, "participants", "links", PROGRAM, "--base-url", "http://127.0.0.1")
    return dict(LINK.findall(out))


def copy_export(folder: Path) -> Path:
    target = folder / f"{PROGRAM}.csv"
    target.write_bytes((ROOT / "examples" / "data" / f"{PROGRAM}.csv").read_bytes())
    return target


def start_server(db: str, *options: str) -> tuple[subprocess.Popen, int]:
    proc = subprocess.Popen([*MENTORKIT, "--db", db, "serve", "--port", "0", *options],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    line = proc.stdout.readline()
    if not line.startswith("Serving"):
        raise SystemExit(f"the server did not start: {line}{proc.stderr.read()}")
    return proc, int(line.split(" on ")[1].split()[0].rstrip(".;").rsplit(":", 1)[1])


def request(port: int, method: str, path: str, cookie: str = "", body: str = ""):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=TIMEOUT_S)
    headers = {"Cookie": cookie} if cookie else {}
    if body:
        headers["Content-Type"] = "application/x-www-form-urlencoded"
    connection.request(method, path, body=body or None, headers=headers)
    response = connection.getresponse()
    text = response.read().decode()
    connection.close()
    return response, text


class Member(threading.Thread):
    """One member: open the link, find the group and the form's token, then (with all the
    others at once) post a meeting; records the post's latency and status."""

    def __init__(self, port: int, token: str, minute: int, barrier: threading.Barrier):
        super().__init__(daemon=True)
        self.port, self.token, self.minute, self.barrier = port, token, minute, barrier
        self.latency: float | None = None
        self.status = 0

    def run(self) -> None:
        try:
            opened, _ = request(self.port, "GET", f"/start/{self.token}")
            cookie = opened.getheader("Set-Cookie").split(";")[0]
            _, home = request(self.port, "GET", "/", cookie)
            label = re.search(r'href="/groups/([^"]+)"', home).group(1)
            _, group = request(self.port, "GET", f"/groups/{label}", cookie)
            csrf = re.search(r'name="csrf" value="([^"]+)"', group).group(1)
        finally:
            self.barrier.wait(timeout=TIMEOUT_S * 3)
        when = dt.datetime(2026, 10, 20, 8, 0) + dt.timedelta(minutes=self.minute)
        body = f"csrf={csrf}&when={when:%Y-%m-%dT%H:%M}&kind=video"
        began = time.perf_counter()
        response, _ = request(self.port, "POST", f"/groups/{label}/meetings", cookie, body)
        self.latency, self.status = time.perf_counter() - began, response.status


def baseline(db: str, count: int) -> list[float]:
    """The same number of meetings through `meetings log`'s service, in this process."""
    from mentorkit.services import lookup, meetings, programs
    from mentorkit.services.database import open_database

    open_database(db)
    program = programs.load_stored_program(PROGRAM)
    labels = [g.label for g in lookup.groups(program, ["active"])]
    times = []
    for i in range(count):
        when = meetings.parse_when(program, "2026-10-21 08:00") + dt.timedelta(minutes=i)
        began = time.perf_counter()
        meetings.log(program, labels[i % len(labels)], when, "phone")
        times.append(time.perf_counter() - began)
    return times


def stored(db: str, kind: str) -> int:
    from mentorkit.storage.models import Meeting

    return Meeting.select().where(Meeting.kind == kind).count()


def measure(name: str, db: str, members: int, *options: str) -> list[str]:
    tokens = list(prepare(db).values())[:members]
    proc, port = start_server(db, *options)
    try:
        barrier = threading.Barrier(len(tokens))
        threads = [Member(port, token, i, barrier) for i, token in enumerate(tokens)]
        began = time.perf_counter()
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=TIMEOUT_S * 5)
        wall = time.perf_counter() - began
    finally:
        proc.terminate()
        proc.communicate(timeout=30)
    posted = [t for t in threads if t.status == 303]
    latencies = sorted(t.latency for t in posted)
    direct = sorted(baseline(db, len(tokens)))
    saved = stored(db, "video")
    if options:  # the same server with other options: its HTTP row only
        return [row(f"{name} {' '.join(options)}: {len(tokens)} at once, HTTP", latencies,
                    wall, f"{saved}/{len(tokens)}")]
    return [row(f"{name}: {len(tokens)} members at once, HTTP", latencies, wall,
                f"{saved}/{len(tokens)}"),
            row(f"{name}: baseline, the service alone", direct, sum(direct),
                f"{stored(db, 'phone')}/{len(tokens)}")]


def row(label: str, times: list[float], total: float, kept: str) -> str:
    if not times:
        return f"{label:<44} no request succeeded"
    p95 = times[min(len(times) - 1, int(len(times) * 0.95))]
    return (f"{label:<44} {statistics.median(times) * 1000:>8.1f} {p95 * 1000:>8.1f} "
            f"{times[-1] * 1000:>8.1f} {total:>8.2f} {kept:>9}")


def wipe(url: str) -> None:
    import psycopg

    with psycopg.connect(url, autocommit=True) as connection:
        connection.execute("DROP SCHEMA public CASCADE")
        connection.execute("CREATE SCHEMA public")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--members", type=int, default=200)
    parser.add_argument("--pg", metavar="URL", help="also on this PostgreSQL database "
                                                     "(wiped first)")
    args = parser.parse_args()
    rows = []
    for options in ((), ("--any-cpu",)):  # serve's default, then its threads on any CPU
        with tempfile.TemporaryDirectory(prefix="mentorkit-load-") as folder:
            rows += measure("SQLite", str(Path(folder) / "load.db"), args.members, *options)
        if args.pg:
            from mentorkit.storage.database import close_database

            close_database()
            wipe(args.pg)
            rows += measure("PostgreSQL", args.pg, args.members, *options)
    print(f"{'':<44} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8} {'total s':>8} {'stored':>9}")
    for line in rows:
        print(line)
    print("target: every write stored; HTTP p95 under 1000 ms")


if __name__ == "__main__":
    main()
