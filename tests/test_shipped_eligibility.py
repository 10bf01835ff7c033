"""Each shipped program's eligibility, now written in TOML with the core's rules only, agrees
on its example sign-ups with an oracle written here from ../shared/spec/programs.md and the
program's dates, independently of the rules' code.

The example export is copied first (an import writes its rejects file beside the input), and a
few rows are added so every rule is broken at least once, on its own and together.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import tomllib
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.conftest import CONFIGS, EXAMPLES


def _date(text: str, pattern: str) -> dt.date | None:
    return dt.datetime.strptime(text.strip(), pattern).date() if text.strip() else None


def _late(text: str, pattern: str, deadline: dt.date) -> list[str]:
    signed = _date(text, pattern)
    return ["deadline"] if signed is not None and signed > deadline else []


def _whole(text: str) -> int | None:
    text = text.strip()
    return int(text) if text.lstrip("-").isdigit() else None


def im_residency(row: dict[str, str]) -> list[str]:
    """Internal-medicine residents, PGY-1 to PGY-3, are mentees; faculty are mentors."""
    failed = []
    if row["Role"] == "resident":
        if row["Residency program"].strip() != "Internal Medicine":
            failed.append("residency_program")
        if _whole(row["PGY"]) not in (1, 2, 3):
            failed.append("pgy")
    return failed + _late(row["Submitted"], "%m/%d/%Y", dt.date(2026, 7, 15))


LGBTQ_INSTITUTIONS = {"Perelman School of Medicine (PSOM)", "Penn Medicine", "UPHS", "CHOP"}


def lgbtq_triads(row: dict[str, str]) -> list[str]:
    """Students, trainees and faculty of the four institutions who identify as LGBTQ."""
    failed = []
    if row["Affiliation"].strip() not in LGBTQ_INSTITUTIONS:
        failed.append("affiliation")
    if row["I identify as LGBTQ"].strip().lower() != "yes":
        failed.append("identifies_lgbtq")  # the reason itself is confidential: only its field
    return failed + _late(row["RecordedDate"], "%Y-%m-%d %H:%M:%S", dt.date(2026, 10, 10))


def peer_mentoring(row: dict[str, str]) -> list[str]:
    """Peer mentors entering the 3rd or 4th year; students of the cohorts in their 1st or
    2nd; faculty mentors whatever their year."""
    years = {"peer-mentor": (3, 4), "student": (1, 2)}.get(row["Role"])
    failed = ["year"] if years and _whole(row["Year entering"]) not in years else []
    return failed + _late(row["Submitted"], "%Y-%m-%d", dt.date(2026, 5, 15))


CIRCLE_STAGES = {"trainee", "early career", "mid career", "senior"}


def peer_circles(row: dict[str, str]) -> list[str]:
    """Peers of any institution at a served career stage, with at least one topic."""
    failed = []
    if row["Career stage"].strip() not in CIRCLE_STAGES:
        failed.append("career_stage")
    if not row["Home institution"].strip():
        failed.append("institution")
    if not [t for t in row["Topics I want to discuss"].split(";") if t.strip()]:
        failed.append("topics")
    return failed + _late(row["Submitted"], "%Y-%m-%d", dt.date(2026, 9, 20))


# Rows added to each export: every rule broken alone and together, and people a rule for
# other roles must leave alone.
EXTRA: dict[str, list[dict[str, str]]] = {
    "im-residency": [
        {"Full name": "Pat Four", "Role": "resident", "Submitted": "07/02/2026",
         "Residency program": "Internal Medicine", "PGY": "4"},
        {"Full name": "Pat Zero", "Role": "resident", "Submitted": "07/02/2026",
         "Residency program": "Internal Medicine", "PGY": "0"},
        {"Full name": "Pat Blank", "Role": "resident", "Submitted": "07/02/2026",
         "Residency program": "Internal Medicine", "PGY": ""},
        {"Full name": "Pat Everything", "Role": "resident", "Submitted": "07/30/2026",
         "Residency program": "Surgery", "PGY": "5"},
        {"Full name": "Fay Surgeon", "Role": "faculty", "Submitted": "07/02/2026",
         "Residency program": "Surgery", "PGY": "9"},
    ],
    "lgbtq-triads": [
        {"Name": "Lee Other", "Current position": "faculty", "RecordedDate":
         "2026-10-12 10:00:00", "Affiliation": "Other", "I identify as LGBTQ": "No"},
        {"Name": "Lee Chop", "Current position": "trainee", "RecordedDate":
         "2026-10-10 23:30:00", "Affiliation": "CHOP", "I identify as LGBTQ": "Yes"},
    ],
    "peer-mentoring": [
        {"Full name": "Mo Second", "Role": "peer-mentor", "Submitted": "2026-05-01",
         "Year entering": "2"},
        {"Full name": "Mo Blank", "Role": "peer-mentor", "Submitted": "2026-05-01",
         "Year entering": ""},
        {"Full name": "Stu Third", "Role": "student", "Submitted": "2026-05-01",
         "Year entering": "3"},
        {"Full name": "Stu Late", "Role": "student", "Submitted": "2026-06-01",
         "Year entering": "1"},
        {"Full name": "Fac Fourth", "Role": "faculty", "Submitted": "2026-05-01",
         "Year entering": "4"},
    ],
    "peer-circles": [
        {"Full name": "Cy Quiet", "Role": "peer", "Submitted": "2026-09-02",
         "Home institution": "Reno Medical Center", "Career stage": "senior",
         "Topics I want to discuss": ""},
        {"Full name": "Cy Late", "Role": "peer", "Submitted": "2026-09-29",
         "Home institution": "Reno Medical Center", "Career stage": "trainee",
         "Topics I want to discuss": ""},
    ],
}

# program -> its oracle, the export's e-mail column, and the rules someone imported breaks
# (peer circles' institution and career stage are required answers, and every stage the
# intake offers is served: a row without them is rejected at import, before eligibility)
PROGRAMS: dict[str, tuple[Callable[[dict[str, str]], list[str]], str, set[str]]] = {
    "im-residency": (im_residency, "E-mail", {"residency_program", "pgy", "deadline"}),
    "lgbtq-triads": (lgbtq_triads, "Email", {"affiliation", "identifies_lgbtq", "deadline"}),
    "peer-mentoring": (peer_mentoring, "E-mail", {"year", "deadline"}),
    "peer-circles": (peer_circles, "E-mail", {"topics", "deadline"}),
}


def export_with_extra_rows(tmp_path: Path, key: str, email: str) -> list[dict[str, str]]:
    with (EXAMPLES / f"{key}.csv").open(newline="", encoding="utf-8") as handle:
        reader = csv.DictReader(handle)
        headers, rows = list(reader.fieldnames or []), list(reader)
    for i, extra in enumerate(EXTRA[key]):
        rows.append({**dict.fromkeys(headers, ""), email: f"extra{i}@oracle.example", **extra})
    with (tmp_path / f"{key}.csv").open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=headers)
        writer.writeheader()
        writer.writerows(rows)
    return rows


@pytest.mark.parametrize("key", sorted(PROGRAMS))
def test_eligibility_on_the_example_data_agrees_with_the_spec(run, tmp_path, key):
    oracle, email, broken = PROGRAMS[key]
    rows = export_with_extra_rows(tmp_path, key, email)
    run("programs", "add", CONFIGS / f"{key}.toml")
    run("participants", "import", key, tmp_path / f"{key}.csv", expect=1)  # it has bad rows
    verdicts = json.loads(run("eligibility", key, "--json").output)
    emails = {row["id"]: row["email"]
              for row in json.loads(run("participants", "list", key, "--json").output)}
    by_email = {emails[verdict["id"]]: verdict for verdict in verdicts}

    labels = {f["name"]: f.get("label", f["name"]) for f in tomllib.loads(
        (CONFIGS / f"{key}.toml").read_text())["intake"]}
    judged, failures = 0, set()
    for row in rows:
        verdict = by_email.get(row[email].strip().lower())
        if verdict is None:
            continue  # a row the import rejected, kept in the rejects file
        failed = oracle(row)
        assert verdict["eligible"] == (not failed), (row, verdict)
        assert verdict["late"] == ("deadline" in failed), (row, verdict)
        assert len(verdict["reasons"]) == len(failed), (row, verdict)
        for word in failed:  # each reason names its field (the deadline's: the deadline), by
            # its key or, on a confidential answer, by its question
            named = (word, labels.get(word, word))
            assert any(w in reason for w in named for reason in verdict["reasons"]), (
                word, verdict)
            failures.add(word)
        judged += 1
    assert judged == len(verdicts)
    with (tmp_path / f"{key}.rejects.csv").open(newline="", encoding="utf-8") as handle:
        assert judged + len(list(csv.DictReader(handle))) == len(rows)
    assert failures == broken  # every rule that can be was broken by someone imported
    assert any(verdict["eligible"] for verdict in verdicts)
