"""Programs stored in the database: added from a file, rebuilt from their stored TOML."""

from __future__ import annotations

import difflib

from mentorkit import audit
from mentorkit.kernel.program import Program, load_program_text
from mentorkit.kernel.registry import Registry
from mentorkit.storage.models import Cycle, ProgramRecord, now


class NotFoundError(LookupError):
    pass


def store_program(program: Program) -> tuple[ProgramRecord, bool]:
    """Add or update ``program``; returns the record and whether it was new."""
    record = ProgramRecord.get_or_none(ProgramRecord.key == program.key)
    created = record is None
    if created:
        record = ProgramRecord(key=program.key)
    record.name = program.config.program.name
    record.config_toml = program.text
    record.source_path = program.source
    record.updated_at = now()
    record.save()
    cycle = program.config.cycle
    Cycle.get_or_create(program=record, label=cycle.label,
                        defaults={"starts_on": cycle.academic_year_start,
                                  "ends_on": cycle.academic_year_end})
    audit.record("program.add" if created else "program.update", program.key,
                 source=program.source)
    return record, created


def program_record(key: str) -> ProgramRecord:
    record = ProgramRecord.get_or_none(ProgramRecord.key == key)
    if record is None:
        raise NotFoundError(unknown_program(key))
    return record


def unknown_program(key: str) -> str:
    """Why ``key`` names no program, with the nearest stored or shipped key."""
    from mentorkit.shipped import shipped_programs

    stored = [r.key for r in ProgramRecord.select(ProgramRecord.key).order_by(ProgramRecord.key)]
    shipped = [p.stem for p in shipped_programs()]
    close = difflib.get_close_matches(key, [*stored, *shipped], n=1)
    return (f"no program {key!r} in this database or shipped with mentorkit"
            + (f"; did you mean {close[0]!r}?" if close else "")
            + f" (in this database: {', '.join(stored) or 'none'}; shipped: "
            f"{', '.join(shipped)}; add one with `mentorkit programs add FILE`)")


def load_stored_program(key: str, registry: Registry | None = None) -> Program:
    record = program_record(key)
    return load_program_text(record.config_toml, f"program {key} (stored)", registry)


def current_cycle(program: Program) -> Cycle:
    record = program_record(program.key)
    return Cycle.get((Cycle.program == record) & (Cycle.label == program.config.cycle.label))
