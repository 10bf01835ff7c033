"""How release-0.1.0.db was made: mentorkit 0.1.0 (commit f98058a) run as a coordinator would,
so the upgrade test reads a database that release really wrote, not one this code imagines.

Run with the release's own command on PATH (a checkout of f98058a installed in a venv):
    python make.py /path/to/release/bin/mentorkit OUT.db
It touches what the release stored for a program over a year and into the next: people
carried into a new cycle with their answers, a continued triad, attention flags, a pair rule,
meetings, a note, assessment responses of a mentor with several mentees, a second sign-up.
"""

import csv
import json
import subprocess
import sys
from pathlib import Path

MENTORKIT, OUT = sys.argv[1], Path(sys.argv[2]).resolve()
HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[2]
WORK = OUT.parent / "release-work"
WORK.mkdir(exist_ok=True)


def run(*args, ok=(0,)):
    result = subprocess.run([MENTORKIT, "--db", str(OUT), *map(str, args)], capture_output=True,
                            text=True, cwd=WORK)
    if result.returncode not in ok:
        raise SystemExit(f"{args}: {result.returncode}\n{result.stdout}\n{result.stderr}")
    return result.stdout


def export(program):
    target = WORK / f"{program}.csv"
    target.write_bytes((ROOT / "examples" / "data" / f"{program}.csv").read_bytes())
    return target


# im-residency: a year with capacity 3, meetings, a note, mid-year responses, a withdrawal, a
# change of match, a forbidden pair; then closed.
program = "im-residency"
config = (ROOT / "program_configs" / f"{program}.toml").read_text()
(WORK / "im3.toml").write_text(config.replace("capacity = 2", "capacity = 3"))
run("programs", "add", WORK / "im3.toml")
run("participants", "import", program, export(program), ok=(0, 1))
run("eligibility", program)
run("match", "run", program)
run("match", "accept", program, "--starts-on", "2026-08-01")
groups = json.loads(run("match", "show", program, "--json"))
run("meetings", "log", program, groups[0]["group"], "--when", "2026-09-02 17:30",
    "--kind", "video")
run("notes", "add", program, groups[0]["group"], "--body",
    "Marker note: resident asked for a quiet room")
with (WORK / "mid.csv").open("w", newline="") as handle:
    writer = csv.writer(handle)
    writer.writerow(["Email", "satisfaction", "frequency", "goals", "recommend"])
    for group in groups[:6]:
        for member in group["members"]:
            writer.writerow([member["email"], 4, 3, 4, 5])
run("assessments", "import", program, "mid-year", WORK / "mid.csv", ok=(0, 1))
run("participants", "withdraw", program, groups[1]["members"][1]["email"])
run("match", "change", program, groups[2]["members"][1]["email"], "--reason", "Marker reason")
run("cycles", "close", program, "--yes")

# lgbtq-triads: a year, a continued triad, a withdrawal, closed, the next year's sign-ups
program = "lgbtq-triads"
run("programs", "add", program)
run("participants", "import", program, export(program), ok=(0, 1))
run("eligibility", program)
run("match", "run", program)
run("match", "accept", program, "--starts-on", "2026-10-20")
groups = json.loads(run("match", "show", program, "--json"))
run("match", "continue", program, groups[0]["group"])
run("match", "forbid", program, groups[3]["members"][0]["email"],
    groups[4]["members"][0]["email"], "--reason", "Marker forbid")
run("participants", "withdraw", program, groups[1]["members"][0]["email"])
run("cycles", "close", program, "--yes")
run("participants", "import", program, export(program), ok=(0, 1))
run("eligibility", program)
print(f"wrote {OUT}")
