"""Ordered schema migrations, so a database made by an older mentorkit upgrades in place.

Each migration runs once, in order, inside a transaction with the row that records it; a
database newer than this code is refused rather than damaged. To change the schema, append a
migration (use ``playhouse.migrate`` for columns) and never edit one that has shipped.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import attrs
import peewee as pw
from playhouse.migrate import SchemaMigrator
from playhouse.migrate import migrate as migrate_columns

from mentorkit.config.upgrade import upgrade_text
from mentorkit.storage.models import (
    TABLES,
    AssessmentResponse,
    Attendance,
    JSONText,
    MemberToken,
    PageSession,
    PairRule,
    ParticipantLink,
    ProgramRecord,
    SchemaVersion,
    SentMessage,
)
from mentorkit.storage.people_migration import people_and_relationships


@attrs.frozen
class Migration:
    version: int
    description: str
    apply: Callable[[pw.Database], None]


def _initial_schema(db: pw.Database) -> None:
    db.create_tables(TABLES)


def _pair_rules(db: pw.Database) -> None:
    db.create_tables([PairRule])


def _group_lifecycle(db: pw.Database) -> None:
    _add_missing(db, "mentoring_group", {"attention": pw.TextField(null=True),
                                         "continues": pw.BooleanField(default=False)})


def _add_missing(db: pw.Database, table: str, columns: dict[str, pw.Field]) -> None:
    """Add the columns a table lacks (a fresh database has them from migration 1)."""
    present = {c.name for c in db.get_columns(table)}
    migrator = SchemaMigrator.from_database(db)
    migrate_columns(*(migrator.add_column(table, name, field)
                      for name, field in columns.items() if name not in present))


def _cadence_columns(db: pw.Database) -> None:
    _add_missing(db, "meeting", {"needs_reply": pw.BooleanField(default=False)})
    _add_missing(db, "mentoring_group", {"started_on": pw.DateField(null=True)})


def _tracking(db: pw.Database) -> None:
    _add_missing(db, "mentoring_group", {"purposes": JSONText(default=list)})
    db.create_tables([Attendance])


def _confidentiality(db: pw.Database) -> None:
    _add_missing(db, "participant", {"answers_from": pw.IntegerField(null=True)})
    db.create_tables([MemberToken])


def _pending_joins(db: pw.Database) -> None:
    _add_missing(db, "membership", {"pending": pw.BooleanField(default=False),
                                    "join": JSONText(null=True)})


def _assessments_and_mail(db: pw.Database) -> None:
    db.create_tables([AssessmentResponse, SentMessage])


def _former_plugin_rules(db: pw.Database) -> None:
    """Stored programs that name a former shipped plugin's eligibility rule now name the
    core's rules that give the same verdicts (:mod:`mentorkit.config.upgrade`)."""
    for record in ProgramRecord.select(ProgramRecord.id, ProgramRecord.config_toml):
        text = upgrade_text(record.config_toml)
        if text is not None:
            ProgramRecord.update(config_toml=text).where(ProgramRecord.id == record.id).execute()


def _messages_being_sent(db: pw.Database) -> None:
    """A message is recorded before it is handed to the server (``sending``), and marked
    ``sent`` once accepted; every message recorded before this was accepted."""
    _add_missing(db, "sent_message", {"status": pw.CharField(max_length=10, default="sent")})


def _participant_links(db: pw.Database) -> None:
    db.create_tables([ParticipantLink, PageSession])


MIGRATIONS: tuple[Migration, ...] = (
    Migration(1, "programs, cycles, participants, groups, meetings, notes, audit log",
              _initial_schema),
    Migration(2, "pinned and forbidden pairs", _pair_rules),
    Migration(3, "groups: attention and continuation", _group_lifecycle),
    Migration(4, "meetings awaiting replies; groups' start dates", _cadence_columns),
    Migration(5, "relationship purposes; activity attendance", _tracking),
    Migration(6, "members' access tokens; answers carried from an earlier cycle",
              _confidentiality),
    Migration(7, "proposed joins of freed people to existing groups", _pending_joins),
    Migration(8, "relationship assessments; messages sent", _assessments_and_mail),
    Migration(9, "stored programs: the former shipped plugins' rules as the core's",
              _former_plugin_rules),
    Migration(10, "people across cycles, relationships, flags, each cycle's program file",
              people_and_relationships),
    Migration(11, "messages being sent, recorded before they are handed to the server",
              _messages_being_sent),
    Migration(12, "participants' personal links and their page's sessions",
              _participant_links),
)


class SchemaTooNewError(RuntimeError):
    pass


def current_version(db: pw.Database) -> int:
    if not db.table_exists(SchemaVersion._meta.table_name):
        return 0
    return SchemaVersion.select(pw.fn.MAX(SchemaVersion.version)).scalar() or 0


def migrate(db: pw.Database, migrations: Sequence[Migration] = MIGRATIONS) -> list[Migration]:
    """Apply every migration newer than the database; return those applied."""
    with db.atomic():
        db.create_tables([SchemaVersion])
    version = current_version(db)
    latest = migrations[-1].version if migrations else 0
    if version > latest:
        raise SchemaTooNewError(
            f"the database is at schema version {version}, newer than this mentorkit "
            f"({latest}); upgrade mentorkit"
        )
    applied = []
    for migration in migrations:
        if migration.version <= version:
            continue
        with db.atomic():
            migration.apply(db)
            SchemaVersion.create(version=migration.version, description=migration.description)
        applied.append(migration)
    return applied
