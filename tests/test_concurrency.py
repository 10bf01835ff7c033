"""Two coordinators at once: concurrent imports and meeting logs lose nothing, on SQLite and
on PostgreSQL."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap

from mentorkit.storage.models import Group, Meeting, Participant
from tests.conftest import CONFIGS, EXAMPLES, ROOT

BOTH_DATABASES = True  # every test here also runs on PostgreSQL when configured

WORKER = textwrap.dedent("""
    import sys
    from click.testing import CliRunner
    from mentorkit.cli import cli

    runner = CliRunner()
    for args in [line.split("\\t") for line in sys.stdin.read().splitlines() if line]:
        result = runner.invoke(cli, args)
        if result.exit_code != 0:
            import traceback; traceback.print_exception(result.exception, file=sys.stderr)
            print(" ".join(args), "->", result.output, result.exception, file=sys.stderr)
            sys.exit(1)
""")


def start(db_target, commands: list[list[str]]) -> subprocess.Popen:
    env = {**os.environ, "MENTORKIT_DB": str(db_target)}
    process = subprocess.Popen([sys.executable, "-c", WORKER], cwd=ROOT, env=env, text=True,
                               stdin=subprocess.PIPE, stderr=subprocess.PIPE)
    process.stdin.write("\n".join("\t".join(map(str, c)) for c in commands))
    process.stdin.close()
    return process


def signups(path, prefix: str, count: int):
    lines = ["Full name,E-mail,Role,Sub-specialty interests"]
    lines += [f"{prefix} {i},{prefix.lower()}{i}@x.org,{'resident' if i % 3 else 'faculty'},"
              "cardiology" for i in range(count)]
    path.write_text("\n".join(lines) + "\n")
    return path


def test_concurrent_imports_and_meeting_logs_lose_nothing(run, db_path, tmp_path):
    run("programs", "add", CONFIGS / "im-residency.toml")
    run("participants", "import", "im-residency", EXAMPLES / "im-residency.csv", expect=1)
    run("eligibility", "im-residency")
    run("match", "run", "im-residency")
    run("match", "accept", "im-residency", "--starts-on", "2026-09-01")
    labels = [g.label for g in Group.select().where(Group.status == "active")][:2]
    before = Participant.select().count()
    per_worker = 15
    workers = [
        start(db_path, [["participants", "import", "im-residency",
                         signups(tmp_path / f"{name}.csv", name, 120)]])
        for name in ("North", "South")
    ] + [
        start(db_path, [["meetings", "log", "im-residency", label, "--when",
                         f"2026-09-{day:02d} 1{worker}:00", "--kind", "video"]
                        for day in range(1, per_worker + 1)])
        for worker, label in enumerate(labels)
    ]
    for process in workers:
        assert process.wait(timeout=300) == 0, process.stderr.read()
    assert Participant.select().count() == before + 240
    assert Meeting.select().count() == per_worker * len(labels)
    for label in labels:  # each worker's meetings all landed, on the right group
        group = Group.get(Group.label == label)
        assert Meeting.select().where(Meeting.group == group).count() == per_worker
