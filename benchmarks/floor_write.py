"""The storage floor of an import: the standard library's sqlite3 inserting the rows a
`participants import` stored (its people and their enrollments), nothing else: no parsing,
no checks, no mentorkit. Run as its own process:

    python benchmarks/floor_write.py IMPORTED_DATABASE EMPTY_DATABASE

IMPORTED_DATABASE is the database a timed import left; EMPTY_DATABASE (made here) gets the
same schema and the same program and cycle rows, then the people and enrollments are inserted
in one transaction with executemany, as the import does. Prints the seconds of the inserts and
the commit: what any import into this schema pays, whatever the code in front of it.
"""

from __future__ import annotations

import sqlite3
import sys
import time

PEOPLE = ("program_id", "key", "email", "name", "consent", "created_at", "updated_at")
ENROLLMENTS = ("program_id", "cycle_id", "person_id", "name", "email", "role", "sides",
               "answers", "signed_up_on", "status", "created_at", "updated_at")


def main(source_path: str, target_path: str) -> None:
    source = sqlite3.connect(source_path)
    schema = [sql for (sql,) in source.execute(
        "SELECT sql FROM sqlite_master WHERE sql IS NOT NULL AND name NOT LIKE 'sqlite_%'")]
    people = source.execute(f"SELECT {', '.join(PEOPLE)} FROM person").fetchall()
    enrollments = source.execute(f"SELECT {', '.join(ENROLLMENTS)} FROM participant").fetchall()
    target = sqlite3.connect(target_path, isolation_level=None)
    target.execute("PRAGMA journal_mode = wal")  # as mentorkit opens it
    target.execute("PRAGMA foreign_keys = 1")
    target.execute("BEGIN")
    for sql in schema:
        target.execute(sql)
    for table in ("program", "cycle"):
        for row in source.execute(f"SELECT * FROM {table}"):
            target.execute(f"INSERT INTO {table} VALUES ({', '.join('?' * len(row))})", row)
    target.execute("COMMIT")
    began = time.perf_counter()
    target.execute("BEGIN")
    target.executemany(f"INSERT INTO person ({', '.join(PEOPLE)}) "
                       f"VALUES ({', '.join('?' * len(PEOPLE))})", people)
    target.executemany(f"INSERT INTO participant ({', '.join(ENROLLMENTS)}) "
                       f"VALUES ({', '.join('?' * len(ENROLLMENTS))})", enrollments)
    target.execute("COMMIT")
    print(f"{time.perf_counter() - began:.4f}")


if __name__ == "__main__":
    main(*sys.argv[1:3])
