"""A program's people and groups over its cycles: programs, cycles, people and their yearly
enrollments, groups, memberships, relationships and flags."""

from __future__ import annotations

import peewee as pw

from mentorkit.storage.base import BaseModel, DateField, DateTimeField, JSONText, now


class ProgramRecord(BaseModel):
    key = pw.CharField(unique=True, max_length=100)
    name = pw.TextField()
    config_toml = pw.TextField()  # the file as given: the program can be rebuilt from it
    source_path = pw.TextField(default="")
    created_at = DateTimeField(default=now)
    updated_at = DateTimeField(default=now)

    class Meta:
        table_name = "program"


class Cycle(BaseModel):
    program = pw.ForeignKeyField(ProgramRecord, backref="cycles", on_delete="CASCADE")
    label = pw.CharField(max_length=40)  # e.g. 2026-2027
    starts_on = DateField()
    ends_on = DateField()
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
    created_at = DateTimeField(default=now)
    updated_at = DateTimeField(default=now)

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
    signed_up_on = DateField(null=True)
    status = pw.CharField(max_length=20, default="applied")
    created_at = DateTimeField(default=now)
    updated_at = DateTimeField(default=now)
    answers_from = pw.IntegerField(null=True)  # 0.1.0's carried answers' origin; unread now
    # a late sign-up admitted by the coordinator's decision: why (the deadline no longer counts)
    admitted = pw.TextField(null=True)

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
    created_at = DateTimeField(default=now)
    attention = pw.TextField(null=True)  # 0.1.0's one flag; now in the flag table
    continues = pw.BooleanField(default=False)  # opted in to continue next cycle
    # the group of the earlier cycle this one continues, with the same members
    continued_from = pw.ForeignKeyField("self", null=True, backref="continued_by",
                                        on_delete="SET NULL")
    started_on = DateField(null=True)  # when it was accepted (cadence counts from here)
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
    joined_at = DateTimeField(default=now)
    left_at = DateTimeField(null=True)
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
    started_on = DateField(null=True)
    ended_on = DateField(null=True)
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
    raised_at = DateTimeField(default=now)
    resolved_at = DateTimeField(null=True)
    resolved_by = pw.TextField(default="")
    resolution = pw.TextField(default="")

    @classmethod
    def open(cls) -> pw.Expression:
        return cls.resolved_at.is_null()
