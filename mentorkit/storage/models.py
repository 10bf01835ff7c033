"""The tables. Plain peewee fields only, so the same models run on SQLite and PostgreSQL.

Intake answers and explanations are JSON stored as text rather than a dialect's JSON type:
the core never queries inside them, and text copies byte for byte between databases.
"""

from __future__ import annotations

from mentorkit.storage.base import BaseModel as BaseModel
from mentorkit.storage.base import JSONText as JSONText
from mentorkit.storage.base import SchemaVersion as SchemaVersion
from mentorkit.storage.base import database as database
from mentorkit.storage.base import encode_json as encode_json
from mentorkit.storage.base import now as now
from mentorkit.storage.followups import AssessmentResponse as AssessmentResponse
from mentorkit.storage.followups import Attendance as Attendance
from mentorkit.storage.followups import AuditEntry as AuditEntry
from mentorkit.storage.followups import Meeting as Meeting
from mentorkit.storage.followups import MemberToken as MemberToken
from mentorkit.storage.followups import Note as Note
from mentorkit.storage.followups import PairRule as PairRule
from mentorkit.storage.followups import SentMessage as SentMessage
from mentorkit.storage.followups import WrittenFile as WrittenFile
from mentorkit.storage.portal import PageSession as PageSession
from mentorkit.storage.portal import ParticipantLink as ParticipantLink
from mentorkit.storage.records import Cycle as Cycle
from mentorkit.storage.records import Flag as Flag
from mentorkit.storage.records import Group as Group
from mentorkit.storage.records import Membership as Membership
from mentorkit.storage.records import Participant as Participant
from mentorkit.storage.records import Person as Person
from mentorkit.storage.records import ProgramRecord as ProgramRecord
from mentorkit.storage.records import Relationship as Relationship

# The schema of migration 1; later tables are created by their own migration. A fresh database
# gets the current columns from it, so the tables later columns refer to (people,
# relationships, flags) are made here too, before anything refers to them (PostgreSQL checks).
TABLES: tuple[type[BaseModel], ...] = (
    ProgramRecord, Cycle, Person, Participant, Group, Membership, Relationship, Flag, Meeting,
    Note, AuditEntry,
)
