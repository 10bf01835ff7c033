"""A year of a large im-residency program, as the scale benchmark reads it.

The data has the shape programs really produce: answers drawn from a few choices (two
sub-specialties of seven, one research area of three), so scores take few distinct values and
tie often; two residents per faculty member, each pair a group (6,000 people: 4,000 groups);
and a year of meetings as groups keep them: most meet about monthly, some every other month,
some lapse in the spring, a few never meet; texts and e-mails that await a reply and get one
days later. Mid-year answers come from most relationships (a few unhappy ones), a handful of
people withdraw and a handful ask for a change of match (the flags a coordinator sees).

Everything up to the proposal goes through mentorkit's own services (import, eligibility,
matching), so the rows are those a coordinator's commands write; the year of meetings and
answers is inserted in bulk, as it would have accumulated.
"""

from __future__ import annotations

import datetime as dt
import random
import shutil
from pathlib import Path

from benchmarks.signups import write_signups

PROGRAM = "im-residency"
STARTS_ON = dt.date(2026, 7, 15)
AS_OF = "2027-06-15"  # the year's end: every meeting in, every rule has something to judge
YEAR_END = dt.date(2027, 6, 10)
SUBSPECIALTIES = ["cardiology", "gastroenterology", "nephrology", "oncology", "geriatrics",
                  "hospital medicine", "primary care"]
RESEARCH = ["clinical trials", "medical education", "quality improvement"]
PURPOSES = ["academic support", "professional development", "personal growth & well-being"]
KINDS = (("in-person", 40), ("video", 35), ("phone", 10), ("text", 10), ("email", 5))


def _interests(rng: random.Random, resident: bool) -> list[str]:
    """Few distinct answers: two sub-specialties of seven, one research area of three, one or
    two purposes (residents only)."""
    return [";".join(rng.sample(SUBSPECIALTIES, 2)), rng.choice(RESEARCH),
            ";".join(rng.sample(PURPOSES, rng.randint(1, 2))) if resident else ""]


def proposed(folder: Path, people: int, seed: int = 7) -> Path:
    """A database of ``people`` im-residency sign-ups, imported, checked and matched, with the
    proposal stored and not yet accepted."""
    from mentorkit.kernel.program import load_program
    from mentorkit.services import eligibility, proposals
    from mentorkit.services.enrollment import import_csv
    from mentorkit.services.programs import store_program
    from mentorkit.services.shipped import shipped_program
    from mentorkit.storage.database import close_database, open_database

    export, database = folder / "signups.csv", folder / f"proposed-{people}.db"
    write_signups(export, people, seed, _interests)
    open_database(database)
    program = load_program(shipped_program(PROGRAM))
    store_program(program)
    import_csv(program, export)
    eligibility.apply(program, eligibility.evaluate(program))
    proposals.store_proposal(program, proposals.propose(program))
    close_database()
    return database


def a_year(proposed_db: Path, folder: Path, seed: int = 11) -> Path:
    """A copy of ``proposed_db`` whose proposal was accepted and which then lived a year."""
    from mentorkit.kernel.program import load_program
    from mentorkit.services import acceptance
    from mentorkit.services.shipped import shipped_program
    from mentorkit.storage.database import close_database, open_database

    database = folder / proposed_db.name.replace("proposed", "year")
    shutil.copy(proposed_db, database)
    open_database(database)
    program = load_program(shipped_program(PROGRAM))
    acceptance.accept(program, STARTS_ON)
    rng = random.Random(seed)
    _meetings(rng)
    _answers(rng)
    _changes(program, rng)
    close_database()
    return database


def _meetings(rng: random.Random) -> None:
    """A year of meetings per active group, in bulk."""
    from mentorkit.storage.models import Group, Meeting, Membership, database

    members: dict[int, list[int]] = {}
    for group_id, participant in (Membership.select(Membership.group, Membership.participant)
                                  .tuples()):
        members.setdefault(group_id, []).append(participant)
    rows = []
    for (group_id,) in Group.select(Group.id).where(Group.status == "active").tuples():
        rows += _group_year(rng, group_id, members.get(group_id, []))
    with database.atomic():
        for start in range(0, len(rows), 2000):
            Meeting.insert_many(rows[start:start + 2000]).execute()


def _group_year(rng: random.Random, group_id: int, members: list[int]) -> list[dict]:
    habit = rng.choices(("monthly", "bimonthly", "lapses", "never"), (70, 15, 10, 5))[0]
    if habit == "never":
        return []
    gap, last = {"monthly": 30, "bimonthly": 60, "lapses": 30}[habit], YEAR_END
    if habit == "lapses":
        last = STARTS_ON + dt.timedelta(days=rng.randint(90, 240))
    rows, day = [], STARTS_ON + dt.timedelta(days=rng.randint(3, 25))
    kinds, weights = zip(*KINDS, strict=True)
    while day <= last:
        kind = rng.choices(kinds, weights)[0]
        moment = dt.datetime.combine(day, dt.time(rng.choice((8, 12, 17, 19)), 0))
        rows.append({"group": group_id, "occurred_at": moment, "kind": kind,
                     "attendees": members if rng.random() < 0.9 else members[:1],
                     "duration_minutes": rng.choice((None, 30, 45, 60)),
                     "needs_reply": kind in ("text", "email"), "logged_by": "bench"})
        day += dt.timedelta(days=max(7, int(rng.gauss(gap, 8))))
    return rows


def _answers(rng: random.Random) -> None:
    """Mid-year answers from about 60% of the relationships' members, a few of them low."""
    from mentorkit.storage.models import AssessmentResponse, Relationship, database

    rows = []
    for relationship, group, first, second in (Relationship.select(
            Relationship.id, Relationship.group, Relationship.first, Relationship.second)
            .tuples()):
        for person in (first, second):
            if person is not None and rng.random() < 0.6:
                rows.append({"participant": person, "group": group,
                             "relationship": relationship, "assessment": "mid-year",
                             "answers": {"satisfaction": rng.choices((1, 2, 3, 4, 5),
                                                                     (2, 4, 14, 40, 40))[0],
                                         "meetings": rng.randint(2, 5),
                                         "goals": rng.randint(1, 5)},
                             "submitted_on": dt.date(2027, 1, rng.randint(16, 31))})
    with database.atomic():
        for start in range(0, len(rows), 2000):
            AssessmentResponse.insert_many(rows[start:start + 2000]).execute()


def _changes(program, rng: random.Random) -> None:
    """About 1% withdraw and 0.5% ask for a change of match, on days already past."""
    from mentorkit.services import lifecycle
    from mentorkit.storage.models import Membership, Participant

    placed = [email for (email,) in Participant.select(Participant.email)
              .join(Membership, on=Membership.participant == Participant.id)
              .where(Membership.left_at.is_null()).distinct().tuples()]
    rng.shuffle(placed)
    withdrawing = placed[:max(1, len(placed) // 100)]
    changing = placed[len(withdrawing):len(withdrawing) + max(1, len(placed) // 200)]
    on = dt.date(2026, 11, 2)
    for email in withdrawing:
        lifecycle.withdraw(program, email, on=on)
    for email in changing:
        try:
            lifecycle.request_change(program, email, on=on)
        except lifecycle.LifecycleError:  # a mentor of two: name one relationship
            other = _a_partner(email)
            if other:
                lifecycle.request_change(program, email, with_ref=other, on=on)


def _a_partner(email: str) -> str | None:
    from mentorkit.storage.models import Group, Membership, Participant

    mine = (Membership.select(Membership.group).join(Participant)
            .where((Participant.email == email) & Membership.left_at.is_null()))
    other = (Participant.select(Participant.email).join(Membership).join(Group)
             .where(Group.id.in_(mine) & (Group.status == "active")
                    & (Participant.email != email)).first())
    return other.email if other else None
