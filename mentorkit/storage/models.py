"""The tables. Plain peewee fields only, so the same models run on SQLite and PostgreSQL.

Intake answers and explanations are JSON stored as text rather than a dialect's JSON type:
the core never queries inside them, and text copies byte for byte between databases.
"""

from __future__ import annotations

import peewee as pw

from mentorkit.storage.base import BaseModel as BaseModel
from mentorkit.storage.base import JSONText as JSONText
from mentorkit.storage.base import SchemaVersion as SchemaVersion
from mentorkit.storage.base import database as database
from mentorkit.storage.base import encode_json as encode_json
from mentorkit.storage.base import now as now


class ProgramRecord(BaseModel):
    key = pw.CharField(unique=True, max_length=100)
    name = pw.TextField()
    config_toml = pw.TextField()  # the file as given: the program can be rebuilt from it
    source_path = pw.TextField(default="")
    created_at = pw.DateTimeField(default=now)
    updated_at = pw.DateTimeField(default=now)

    class Meta:
        table_name = "program"


class Cycle(BaseModel):
    program = pw.ForeignKeyField(ProgramRecord, backref="cycles", on_delete="CASCADE")
    label = pw.CharField(max_length=40)  # e.g. 2026-2027
    starts_on = pw.DateField()
    ends_on = pw.DateField()
    status = pw.CharField(max_length=20, default="open")  # open, closed, purged
    # the program file as it was for this cycle: a closed year is read with its own dates,
    # terms and assessments (the program's own record holds the open cycle's)
    config_toml = pw.TextField(null=True)

    class Meta:
        indexes = ((("program", "label"), True),)


class Person(BaseModel):
    """One human being in one program, the same across its cycles: who they are and whom
    they trust. What they answered belongs to their enrollment in one cycle
    (:class:`Participant`); ``key`` is what identifies them across sign-ups (their e-mail, or
    the program's ``enrollment.match_on`` answer)."""

    program = pw.ForeignKeyField(ProgramRecord, backref="people", on_delete="CASCADE")
    key = pw.CharField(max_length=320)
    email = pw.CharField(max_length=320)
    name = pw.TextField()
    # answers that are the person's own rather than one cycle's (whom they let see their
    # sensitive answers: the confidentiality policy's ``person_fields``), applied to every
    # enrollment of theirs when they change
    consent = JSONText(default=dict)
    created_at = pw.DateTimeField(default=now)
    updated_at = pw.DateTimeField(default=now)

    class Meta:
        indexes = ((("program", "key"), True),)


class Participant(BaseModel):
    """A person's enrollment in one cycle: what they answered at sign-up, their role and
    status that year. ``name`` and ``email`` are those the person had then."""

    program = pw.ForeignKeyField(ProgramRecord, backref="participants", on_delete="CASCADE")
    cycle = pw.ForeignKeyField(Cycle, backref="participants", on_delete="CASCADE")
    # who they are across cycles; None once their cycle is purged (the tie is erased too)
    person = pw.ForeignKeyField(Person, null=True, backref="enrollments", on_delete="SET NULL")
    email = pw.CharField(max_length=320)
    name = pw.TextField()
    role = pw.CharField(max_length=100)
    sides = JSONText(default=list)
    answers = JSONText(default=dict)
    signed_up_on = pw.DateField(null=True)
    status = pw.CharField(max_length=20, default="applied")
    created_at = pw.DateTimeField(default=now)
    updated_at = pw.DateTimeField(default=now)
    # set by mentorkit 0.1.0 when ``cycles close`` carried someone into a new cycle; no longer
    # read: carried answers belong to the new enrollment, which a purge of the old leaves be
    answers_from = pw.IntegerField(null=True)

    class Meta:
        indexes = ((("cycle", "email"), True),)


class Group(BaseModel):
    program = pw.ForeignKeyField(ProgramRecord, backref="groups", on_delete="CASCADE")
    cycle = pw.ForeignKeyField(Cycle, backref="groups", on_delete="CASCADE")
    label = pw.CharField(max_length=100)
    shape = pw.CharField(max_length=40, default="")
    # proposed, active, completed, dissolved (ended early by a change request)
    status = pw.CharField(max_length=20, default="proposed")
    score = pw.FloatField(default=0.0)
    explanation = JSONText(default=list)
    fallback = pw.TextField(null=True)
    created_at = pw.DateTimeField(default=now)
    attention = pw.TextField(null=True)  # mentorkit 0.1.0's one flag; now in the flag table
    continues = pw.BooleanField(default=False)  # opted in to continue next cycle
    # the group of the earlier cycle this one continues, with the same members
    continued_from = pw.ForeignKeyField("self", null=True, backref="continued_by",
                                        on_delete="SET NULL")
    started_on = pw.DateField(null=True)  # when it was accepted (cadence counts from here)
    purposes = JSONText(default=list)  # what the relationship serves (tracking.purposes)

    class Meta:
        table_name = "mentoring_group"  # GROUP is a reserved word in SQL

    def current_memberships(self) -> list[Membership]:
        """Who is in the group now (not those who left, not proposed joins), in join order."""
        return list(self.memberships.where(Membership.current()).order_by(Membership.id))


class Membership(BaseModel):
    group = pw.ForeignKeyField(Group, backref="memberships", on_delete="CASCADE")
    participant = pw.ForeignKeyField(Participant, backref="memberships", on_delete="CASCADE")
    role = pw.CharField(max_length=100)
    joined_at = pw.DateTimeField(default=now)
    left_at = pw.DateTimeField(null=True)
    # proposed to join an active group (the repair step); real once the proposal is accepted
    pending = pw.BooleanField(default=False)
    join = JSONText(null=True)  # a proposed join's reason and the group's shape after it
    # why the membership ended: withdrew, change requested, group dissolved, cycle closed
    ended_why = pw.TextField(null=True)

    @classmethod
    def current(cls) -> pw.Expression:
        """The memberships in force: not left, not merely proposed."""
        return cls.left_at.is_null() & (cls.pending == False)  # noqa: E712


class Relationship(BaseModel):
    """A mentoring relationship within a group, the thing assessments, change requests,
    meetings and messages are about: each mentor-mentee pair where the program's matcher
    forms pairs or triads (``first`` the mentor, ``second`` the mentee), the group as a whole
    where it forms cohorts or circles (both empty). Kept in step with the group's members by
    ``services.relationships.sync``; ended, never deleted."""

    group = pw.ForeignKeyField(Group, backref="relationships", on_delete="CASCADE")
    first = pw.ForeignKeyField(Participant, null=True, backref="+", on_delete="CASCADE")
    second = pw.ForeignKeyField(Participant, null=True, backref="+", on_delete="CASCADE")
    started_on = pw.DateField(null=True)
    ended_on = pw.DateField(null=True)
    ended_why = pw.TextField(null=True)

    @classmethod
    def current(cls) -> pw.Expression:
        return cls.ended_on.is_null()


class Flag(BaseModel):
    """Why an administrator should look at a group (a withdrawal, a change request, a
    referred note). Flags accumulate until someone resolves them."""

    group = pw.ForeignKeyField(Group, backref="flags", on_delete="CASCADE")
    text = pw.TextField()
    about = pw.ForeignKeyField(Participant, null=True, backref="+", on_delete="SET NULL")
    raised_at = pw.DateTimeField(default=now)
    resolved_at = pw.DateTimeField(null=True)
    resolved_by = pw.TextField(default="")
    resolution = pw.TextField(default="")

    @classmethod
    def open(cls) -> pw.Expression:
        return cls.resolved_at.is_null()


class Meeting(BaseModel):
    """A meeting or contact (a text, a call, an e-mail) of one group."""

    group = pw.ForeignKeyField(Group, backref="meetings", on_delete="CASCADE")
    occurred_at = pw.DateTimeField()
    kind = pw.CharField(max_length=20)  # in-person, video, phone, text, email
    attendees = JSONText(default=list)  # participant ids
    duration_minutes = pw.IntegerField(null=True)
    in_reply_to = pw.ForeignKeyField("self", null=True, backref="replies", on_delete="SET NULL")
    needs_reply = pw.BooleanField(default=False)  # a message awaiting an answer
    logged_by = pw.TextField(default="")
    # the relationship it served, where the group holds several (a triad's mentor and mentee
    # meeting on their own); None: the group as a whole
    relationship = pw.ForeignKeyField(Relationship, null=True, backref="meetings",
                                      on_delete="SET NULL")
    created_at = pw.DateTimeField(default=now)


class Note(BaseModel):
    """A private note on a group or a meeting; seen by its author and group unless referred."""

    group = pw.ForeignKeyField(Group, backref="notes", on_delete="CASCADE")
    meeting = pw.ForeignKeyField(Meeting, null=True, backref="notes", on_delete="CASCADE")
    author = pw.TextField()
    body = pw.TextField()
    referred = pw.BooleanField(default=False)
    scenario = pw.TextField(null=True)
    created_at = pw.DateTimeField(default=now)


class Attendance(BaseModel):
    """A participant took part in one of the program's activities (training, a survey)."""

    participant = pw.ForeignKeyField(Participant, backref="attendance", on_delete="CASCADE")
    activity = pw.TextField()
    attended_on = pw.DateField(null=True)
    recorded_by = pw.TextField(default="")
    created_at = pw.DateTimeField(default=now)

    class Meta:
        indexes = ((("participant", "activity"), True),)


class PairRule(BaseModel):
    """An administrator's decision about two participants: keep them together (pin) or never
    put them together (forbid). Matching honours it on every re-run of the cycle."""

    cycle = pw.ForeignKeyField(Cycle, backref="pair_rules", on_delete="CASCADE")
    first = pw.ForeignKeyField(Participant, on_delete="CASCADE")
    second = pw.ForeignKeyField(Participant, on_delete="CASCADE")
    kind = pw.CharField(max_length=10)  # pin, forbid
    reason = pw.TextField(default="")
    # a forbidden pair carried from an earlier cycle: its reason was typed then, and is
    # erased when that cycle is purged
    carried_from = pw.ForeignKeyField(Cycle, null=True, backref="+", on_delete="SET NULL")
    created_by = pw.TextField(default="")
    created_at = pw.DateTimeField(default=now)

    class Meta:
        table_name = "pair_rule"
        indexes = ((("cycle", "first", "second"), True),)


class MemberToken(BaseModel):
    """A group member's proof of membership, for reading their group's notes: only a digest
    of the token is stored, so the database alone cannot be used to read as a member."""

    participant = pw.ForeignKeyField(Participant, unique=True, backref="tokens",
                                     on_delete="CASCADE")
    digest = pw.CharField(max_length=64)
    issued_by = pw.TextField(default="")
    issued_at = pw.DateTimeField(default=now)

    class Meta:
        table_name = "member_token"


class AssessmentResponse(BaseModel):
    """One participant's answers to one of the program's assessments (mid-year, end of year)
    about one of their relationships. Confidential to administrators: purged with the
    cycle."""

    participant = pw.ForeignKeyField(Participant, backref="assessments", on_delete="CASCADE")
    group = pw.ForeignKeyField(Group, null=True, backref="assessments", on_delete="SET NULL")
    relationship = pw.ForeignKeyField(Relationship, null=True, backref="assessments",
                                      on_delete="SET NULL")
    assessment = pw.CharField(max_length=100)
    answers = JSONText(default=dict)
    submitted_on = pw.DateField(null=True)
    imported_at = pw.DateTimeField(default=now)

    class Meta:
        table_name = "assessment_response"
        indexes = ((("participant", "assessment", "relationship"), True),)


class SentMessage(BaseModel):
    """A message delivered by SMTP, by its stable Message-ID: a re-run, or a run resumed
    after a failure, never sends it twice."""

    program = pw.ForeignKeyField(ProgramRecord, backref="sent_messages", on_delete="CASCADE")
    message_id = pw.CharField(max_length=200, unique=True)
    kind = pw.CharField(max_length=40)
    participant = pw.ForeignKeyField(Participant, null=True, backref="sent_messages",
                                     on_delete="SET NULL")
    sent_at = pw.DateTimeField(default=now)

    class Meta:
        table_name = "sent_message"


class AuditEntry(BaseModel):
    at = pw.DateTimeField(default=now)
    actor = pw.TextField()
    action = pw.CharField(max_length=60)
    target = pw.TextField(default="")
    detail = JSONText(default=dict)

    class Meta:
        table_name = "audit_log"


# The schema of migration 1; later tables are created by their own migration. A fresh database
# gets the current columns from it, so the tables later columns refer to (people,
# relationships, flags) are made here too, before anything refers to them (PostgreSQL checks).
TABLES: tuple[type[BaseModel], ...] = (
    ProgramRecord, Cycle, Person, Participant, Group, Membership, Relationship, Flag, Meeting,
    Note, AuditEntry,
)
