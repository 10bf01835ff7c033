"""Migration 10: people across cycles, relationships, flags, and each cycle's own program file.

mentorkit 0.1.0 stored a row per person and cycle with nothing tying a person's years
together but an e-mail, one attention text per group that each new event overwrote, and only
the open cycle's program file. This brings such a database over:

- a :class:`Person` per program and key (the e-mail, or the ``enrollment.match_on`` answer),
  linked from each of their enrollments, named as they last signed up;
- every group's attention text as an open :class:`Flag`;
- every cycle's program file: the program's current file moved by whole years;
- a group ``cycles close`` continued, linked to the group it continues; a forbidden pair it
  carried, linked to the cycle it came from.

Relationships are not guessed here: which pairs a group holds is the program's matcher's to
say, and the services record them as they next touch a group
(``services.relationships.sync``).
"""

from __future__ import annotations

import re
import tomllib

import peewee as pw
from playhouse.migrate import SchemaMigrator
from playhouse.migrate import migrate as migrate_columns

from mentorkit.config.years import shift_years, start_year
from mentorkit.storage.models import (
    Cycle,
    Flag,
    Group,
    PairRule,
    Participant,
    Person,
    ProgramRecord,
    Relationship,
    WrittenFile,
    now,
)

CONTINUED = re.compile(r"^continued from (\S+)$")


def _columns(db: pw.Database) -> None:
    """The new columns, those a table lacks (a fresh database has them all)."""
    migrator = SchemaMigrator.from_database(db)
    wanted = {
        "participant": {"person_id": pw.ForeignKeyField(Person, null=True, field=Person.id,
                                                        on_delete="SET NULL"),
                        "admitted": pw.TextField(null=True)},
        "cycle": {"config_toml": pw.TextField(null=True)},
        "mentoring_group": {"continued_from_id": pw.ForeignKeyField(
            Group, null=True, field=Group.id, on_delete="SET NULL")},
        "membership": {"ended_why": pw.TextField(null=True)},
        "meeting": {"relationship_id": pw.ForeignKeyField(
            Relationship, null=True, field=Relationship.id, on_delete="SET NULL")},
        "pair_rule": {"carried_from_id": pw.ForeignKeyField(
            Cycle, null=True, field=Cycle.id, on_delete="SET NULL")},
        "assessment_response": {"relationship_id": pw.ForeignKeyField(
            Relationship, null=True, field=Relationship.id, on_delete="SET NULL")},
    }
    for table, columns in wanted.items():
        present = {c.name for c in db.get_columns(table)}
        missing = [migrator.add_column(table, name, field)
                   for name, field in columns.items() if name not in present]
        if missing:
            migrate_columns(*missing)
    indexes = {i.name for i in db.get_indexes("assessment_response")}
    old = "assessment_response_participant_id_assessment"
    if old in indexes:  # a response is now about one relationship: one per relationship
        migrate_columns(migrator.drop_index("assessment_response", old),
                        migrator.add_index("assessment_response",
                                           ("participant_id", "assessment", "relationship_id"),
                                           unique=True))


def _match_on(text: str) -> str:
    try:
        return str(tomllib.loads(text).get("enrollment", {}).get("match_on", "email"))
    except tomllib.TOMLDecodeError:
        return "email"


def _people(record: ProgramRecord) -> None:
    match_on = _match_on(record.config_toml)
    rows = (Participant.select(Participant, Cycle).join(Cycle)
            .where(Participant.program == record).order_by(Cycle.starts_on, Participant.id))
    found = {person.key: person for person in Person.select().where(Person.program == record)}
    for row in rows:
        if row.person_id is not None:  # already linked (the migration is run again)
            continue
        key = row.email if match_on == "email" else str(row.answers.get(match_on) or row.email)
        person = found.get(key)
        if person is None:
            person = found[key] = Person.create(program=record, key=key, email=row.email,
                                                name=row.name)
        elif (person.name, person.email) != (row.name, row.email):  # as they last signed up
            person.name, person.email, person.updated_at = row.name, row.email, now()
            person.save()
        Participant.update(person=person).where(Participant.id == row.id).execute()


def _cycle_files(record: ProgramRecord) -> None:
    current = start_year(record.config_toml)
    for cycle in Cycle.select().where(Cycle.program == record):
        if cycle.config_toml is None and current is not None:
            cycle.config_toml = shift_years(record.config_toml,
                                            cycle.starts_on.year - current)
            cycle.save()


def _flags_and_lineage(record: ProgramRecord) -> None:
    cycles = {c.label: c for c in Cycle.select().where(Cycle.program == record)}
    for group in Group.select().where(Group.program == record):
        if group.attention:
            Flag.create(group=group, text=group.attention, raised_at=group.created_at)
        earlier = next((m.group(1) for line in group.explanation or []
                        if (m := CONTINUED.match(str(line)))), None)
        if earlier in cycles:
            source = Group.get_or_none((Group.cycle == cycles[earlier])
                                       & (Group.label == group.label))
            if source is not None:
                group.continued_from = source
                group.save()
    _carried_rules(record)


def _carried_rules(record: ProgramRecord) -> None:
    """A forbidden pair in a later cycle that an earlier one had too was carried from it."""
    first_seen: dict[tuple[str, str], Cycle] = {}
    rules = (PairRule.select(PairRule, Cycle).join(Cycle).where(
        (Cycle.program == record) & (PairRule.kind == "forbid")).order_by(Cycle.starts_on))
    for rule in rules:
        pair = tuple(sorted((rule.first.email, rule.second.email)))
        origin = first_seen.setdefault(pair, rule.cycle)
        if origin.id != rule.cycle.id:
            PairRule.update(carried_from=origin).where(PairRule.id == rule.id).execute()


def people_and_relationships(db: pw.Database) -> None:
    db.create_tables([Person, Relationship, Flag, WrittenFile])
    _columns(db)
    for record in ProgramRecord.select():
        _people(record)
        _cycle_files(record)
        _flags_and_lineage(record)
    Group.update(attention=None).where(Group.attention.is_null(False)).execute()
