"""The tables. Plain peewee fields only, so the same models run on SQLite and PostgreSQL.

Intake answers and explanations are JSON stored as text rather than a dialect's JSON type:
the core never queries inside them, and text copies byte for byte between databases.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import peewee as pw

database = pw.DatabaseProxy()


# The stored form of a JSON column: keys sorted, dates as text. One encoder, made once (json.dumps
# with options makes one per call, which a 50,000-row import feels).
encode_json = json.JSONEncoder(sort_keys=True, default=str).encode


class JSONText(pw.TextField):
    def db_value(self, value: Any) -> str | None:
        return None if value is None else encode_json(value)

    def python_value(self, value: str | None) -> Any:
        return None if value is None else json.loads(value)


def now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None, microsecond=0)


class BaseModel(pw.Model):
    class Meta:
        database = database
        legacy_table_names = False


class SchemaVersion(BaseModel):
    version = pw.IntegerField()
    description = pw.TextField()
    applied_at = pw.DateTimeField(default=now)


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

    class Meta:
        indexes = ((("program", "label"), True),)


class Participant(BaseModel):
    program = pw.ForeignKeyField(ProgramRecord, backref="participants", on_delete="CASCADE")
    cycle = pw.ForeignKeyField(Cycle, backref="participants", on_delete="CASCADE")
    email = pw.CharField(max_length=320)
    name = pw.TextField()
    role = pw.CharField(max_length=100)
    sides = JSONText(default=list)
    answers = JSONText(default=dict)
    signed_up_on = pw.DateField(null=True)
    status = pw.CharField(max_length=20, default="applied")
    created_at = pw.DateTimeField(default=now)
    updated_at = pw.DateTimeField(default=now)
    # set when ``cycles close`` carried this person into a new cycle with the answers they
    # gave in an earlier one: the id of that first participant row, so purging that cycle
    # erases these copied answers too; cleared when the person signs up again
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
    attention = pw.TextField(null=True)  # why an administrator should look (a withdrawal)
    continues = pw.BooleanField(default=False)  # opted in to continue next cycle
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

    @classmethod
    def current(cls) -> pw.Expression:
        """The memberships in force: not left, not merely proposed."""
        return cls.left_at.is_null() & (cls.pending == False)  # noqa: E712


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
    """One participant's answers to one of the program's relationship assessments (mid-year,
    end of year), about the group they were in when it was imported. Confidential to
    administrators: purged with the cycle."""

    participant = pw.ForeignKeyField(Participant, backref="assessments", on_delete="CASCADE")
    group = pw.ForeignKeyField(Group, null=True, backref="assessments", on_delete="SET NULL")
    assessment = pw.CharField(max_length=100)
    answers = JSONText(default=dict)
    submitted_on = pw.DateField(null=True)
    imported_at = pw.DateTimeField(default=now)

    class Meta:
        table_name = "assessment_response"
        indexes = ((("participant", "assessment"), True),)


class SentMessage(BaseModel):
    """A message handed to the mail server, by its stable Message-ID: a re-run, or a run
    resumed after a failure, never sends it twice. ``status`` is ``sending`` from just before
    it is handed over until the server accepts it (``sent``); one left ``sending`` may or
    may not have been delivered (:mod:`mentorkit.storage.outbox`)."""

    program = pw.ForeignKeyField(ProgramRecord, backref="sent_messages", on_delete="CASCADE")
    message_id = pw.CharField(max_length=200, unique=True)
    kind = pw.CharField(max_length=40)
    participant = pw.ForeignKeyField(Participant, null=True, backref="sent_messages",
                                     on_delete="SET NULL")
    sent_at = pw.DateTimeField(default=now)
    status = pw.CharField(max_length=10, default="sent")

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


TABLES: tuple[type[BaseModel], ...] = (
    ProgramRecord, Cycle, Participant, Group, Membership, Meeting, Note, AuditEntry,
)  # the schema of migration 1; later tables are created by their own migration
