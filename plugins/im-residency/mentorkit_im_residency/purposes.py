"""The purposes a relationship serves (``purposes-recorded``): the residency program tracks, per
relationship, whether it serves academic support, professional development or personal growth
and well-being. A group starts with the purposes its members chose at sign-up (the program's
``tracking.purposes_field``); one that has none recorded soon after it starts is due, then
overdue, until the coordinator records them (``mentorkit match purposes``)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

import attrs

from mentorkit import CadenceFinding, CadenceRule, GroupHistory, Problem, Standing


@attrs.frozen
class PurposesParams:
    within_days: int = 30  # days from a group's start by which its purposes are recorded


class PurposesRecorded(CadenceRule):
    """Each relationship records the purposes it serves, soon after it starts."""

    name = "purposes-recorded"
    Params = PurposesParams

    def problems(self) -> Iterable[Problem]:
        yield from self.below_one("within_days")
        if not self.program.tracking.purposes:
            yield Problem("", "the program lists no purposes to record: add tracking.purposes")

    def describe(self) -> list[str]:
        """Read by members too (letters, their page): the purposes and when, in their words;
        no field key, no command (the coordinator's ``mentorkit match purposes`` is in the
        module's docstring and ``--help``)."""
        tracking = self.program.tracking
        start = ("; it starts with those its members chose when they signed up"
                 if tracking.purposes_field else "")
        return [f"Each relationship tells the program which purposes it serves ("
                f"{', '.join(tracking.purposes)}) within {self.params.within_days} days of "
                f"starting{start}."]

    def evaluate(self, group: GroupHistory, as_of: dt.datetime) -> CadenceFinding:
        if group.purposes:
            return CadenceFinding(self.name, Standing.ON_TRACK,
                                  f"serves: {', '.join(group.purposes)}")
        due = group.started_on + dt.timedelta(days=self.params.within_days)
        today = self.local_date(as_of)
        ask = f"tell the program which purposes your relationship serves (by {due})"
        if today > due:
            return CadenceFinding(self.name, Standing.OVERDUE,
                                  f"no purpose recorded yet; {(today - due).days} days overdue",
                                  due, next_due=ask)
        return CadenceFinding(self.name, Standing.DUE_SOON,
                              f"its purposes are to be recorded by {due}", due, next_due=ask)
