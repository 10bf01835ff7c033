"""The floor of a command: the standard library's sqlite3 reading the rows that command needs,
nothing else (no mentorkit, no peewee). Run as its own process, as the command is:

    python benchmarks/floor_read.py DATABASE COMMAND

COMMAND is a key of QUERIES. Each query's rows are fetched whole; nothing is computed from
them. What each command needs is written out below, table by table, so the floor can be read
and argued with: the program and its cycle, then the command's own rows.
"""

from __future__ import annotations

import sqlite3
import sys

PROGRAM = "im-residency"
LABEL = "2026-2027"

# the current cycle's groups of these statuses, and their current memberships with the
# participants' rows (a letter, a cadence rule or a report reads the members' answers)
MEMBERS = """SELECT m.*, p.* FROM membership m JOIN mentoring_group g ON g.id = m.group_id
JOIN participant p ON p.id = m.participant_id WHERE g.cycle_id = ? AND g.status IN ({})
AND m.left_at IS NULL AND m.pending = 0"""
GROUPS = "SELECT * FROM mentoring_group WHERE cycle_id = ? AND status IN ({}) ORDER BY label"
MEETINGS = """SELECT e.* FROM meeting e JOIN mentoring_group g ON g.id = e.group_id
WHERE g.cycle_id = ? AND g.status IN ({}) ORDER BY e.occurred_at"""
RESPONSES = """SELECT r.* FROM assessment_response r JOIN mentoring_group g ON g.id = r.group_id
WHERE g.cycle_id = ? AND g.status IN ({})"""
OPEN_FLAGS = """SELECT f.* FROM flag f JOIN mentoring_group g ON g.id = f.group_id
WHERE g.cycle_id = ? AND f.resolved_at IS NULL"""
PEOPLE = "SELECT * FROM participant WHERE cycle_id = ? ORDER BY name, id"


def _in(query: str, *statuses: str) -> str:
    return query.format(", ".join(f"'{s}'" for s in statuses))


QUERIES = {
    "participants list --json": [PEOPLE],
    "match show --json": [
        _in(GROUPS, "proposed", "active", "completed", "dissolved"),
        """SELECT m.*, p.name, p.email FROM membership m JOIN mentoring_group g
        ON g.id = m.group_id JOIN participant p ON p.id = m.participant_id
        WHERE g.cycle_id = ?""",
        OPEN_FLAGS],
    "cadence status": [_in(GROUPS, "active"), _in(MEMBERS, "active"), _in(MEETINGS, "active"),
                       _in(RESPONSES, "active", "completed")],
    "cadence remind": [_in(GROUPS, "active"), _in(MEMBERS, "active"), _in(MEETINGS, "active")],
    # the letters ask each cadence rule for a group's first window, of its history as the
    # rule sees it: its members and its meetings
    "notify intro": [_in(GROUPS, "active"), _in(MEMBERS, "active"), _in(MEETINGS, "active"),
                     """SELECT message_id FROM sent_message s JOIN program p
                     ON p.id = s.program_id WHERE s.kind = 'intro' AND p.id IN
                     (SELECT program_id FROM cycle WHERE id = ?)"""],
    "report": [PEOPLE, _in(GROUPS, "proposed", "active", "completed"),
               _in(MEMBERS, "proposed", "active", "completed"), _in(MEETINGS, "active"),
               _in(RESPONSES, "active", "completed"), OPEN_FLAGS],
    "match accept": [_in(GROUPS, "proposed", "active"), _in(MEMBERS, "proposed"),
                     """SELECT m.* FROM membership m JOIN mentoring_group g ON g.id = m.group_id
                     WHERE g.cycle_id = ? AND m.pending = 1""",
                     "SELECT * FROM pair_rule WHERE cycle_id = ?"],
}


def read(database: str, command: str) -> int:
    """Read the rows ``command`` needs; returns how many rows were read."""
    connection = sqlite3.connect(database)
    rows = 0
    program = connection.execute("SELECT * FROM program WHERE key = ?", (PROGRAM,)).fetchone()[0]
    cycle = connection.execute("SELECT * FROM cycle WHERE program_id = ? AND label = ?",
                               (program, LABEL)).fetchone()
    for query in QUERIES[command]:
        rows += len(connection.execute(query, (cycle[0],)).fetchall())
    connection.close()
    return rows


if __name__ == "__main__":
    print(read(sys.argv[1], sys.argv[2]))
