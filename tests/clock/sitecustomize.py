"""The tests' clock in the processes they start (a `mentorkit` command, `mentorkit serve`):
with MENTORKIT_TEST_NOW set (tests/conftest.py sets it), the process starts on that moment
and its clock runs on from there, as the test process's own does. Test-only: this folder is
put on PYTHONPATH by the test session, never by mentorkit. A Python without time-machine (a
fresh virtual environment a test builds) runs on the real clock."""

import os

if os.environ.get("MENTORKIT_TEST_NOW"):
    try:
        import datetime

        import time_machine
    except ImportError:
        pass
    else:
        time_machine.travel(datetime.datetime.fromisoformat(os.environ["MENTORKIT_TEST_NOW"]),
                            tick=True).start()
