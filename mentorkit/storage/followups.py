"""What happens around a program's groups: meetings, notes, activities, pair rules, members'
tokens, assessment responses, messages sent, and the audit log."""

from __future__ import annotations

import peewee as pw

from mentorkit.storage.base import BaseModel, DateField, DateTimeField, JSONText, now
from mentorkit.storage.records import Cycle, Group, Participant, ProgramRecord, Relationship


class Meeting(BaseModel):
    """A meeting or contact (a text, a call, an e-mail) of one group."""

    group = pw.ForeignKeyField(Group, backref="meetings", on_delete="CASCADE")
    occurred_at = DateTimeField()
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
    created_at = DateTimeField(default=now)


class Note(BaseModel):
    """A private note on a group or a meeting; seen by its author and group unless referred."""

    group = pw.ForeignKeyField(Group, backref="notes", on_delete="CASCADE")
    meeting = pw.ForeignKeyField(Meeting, null=True, backref="notes", on_delete="CASCADE")
    author = pw.TextField()
    body = pw.TextField()
    referred = pw.BooleanField(default=False)
    scenario = pw.TextField(null=True)
    created_at = DateTimeField(default=now)


class Attendance(BaseModel):
    """A participant took part in one of the program's activities (training, a survey)."""

    participant = pw.ForeignKeyField(Participant, backref="attendance", on_delete="CASCADE")
    activity = pw.TextField()
    attended_on = DateField(null=True)
    recorded_by = pw.TextField(default="")
    created_at = DateTimeField(default=now)

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
    created_at = DateTimeField(default=now)

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
    issued_at = DateTimeField(default=now)

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
    submitted_on = DateField(null=True)
    imported_at = DateTimeField(default=now)

    class Meta:
        table_name = "assessment_response"
        indexes = ((("participant", "assessment", "relationship"), True),)


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
    sent_at = DateTimeField(default=now)
    status = pw.CharField(max_length=10, default="sent")

    class Meta:
        table_name = "sent_message"


class AuditEntry(BaseModel):
    at = DateTimeField(default=now)
    actor = pw.TextField()
    action = pw.CharField(max_length=60)
    target = pw.TextField(default="")
    detail = JSONText(default=dict)

    class Meta:
        table_name = "audit_log"


class WrittenFile(BaseModel):
    """A file mentorkit wrote with a cycle's personal data in it (a rejects file, an export, a
    report, a letter, a token): purging the cycle erases it too, where it still is."""

    program = pw.ForeignKeyField(ProgramRecord, backref="+", on_delete="CASCADE")
    cycle = pw.ForeignKeyField(Cycle, null=True, backref="+", on_delete="SET NULL")
    path = pw.TextField()
    kind = pw.CharField(max_length=40)
    written_at = pw.DateTimeField(default=now)

    class Meta:
        table_name = "written_file"
