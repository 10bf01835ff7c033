"""Programs: stored in the database from a file, rebuilt from their stored TOML, resolved from
what a coordinator types (a stored key, a shipped key, or a file), listed, and copied into a
new file for an institution to edit."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import attrs

from mentorkit.config.checks import KEY_PATTERN
from mentorkit.config.years import shift_years
from mentorkit.kernel.errors import MentorkitError, NotFoundError
from mentorkit.kernel.program import Program, load_program, load_program_text
from mentorkit.kernel.registry import Registry
from mentorkit.services.lookup import ClosedCycleError, program_record, unknown_program
from mentorkit.services.shipped import shipped_program, shipped_programs
from mentorkit.storage import audit
from mentorkit.storage.files import write_private
from mentorkit.storage.models import Cycle, Participant, ProgramRecord, database, now
from mentorkit.views.words import possessive


def store_program(program: Program) -> tuple[ProgramRecord, bool]:
    """Add or update ``program``; returns the record and whether it was new. A file for a
    cycle that is closed is refused: storing it would send every later change to that year."""
    record = ProgramRecord.get_or_none(ProgramRecord.key == program.key)
    created = record is None
    label = program.config.cycle.label
    if not created and (done := Cycle.get_or_none((Cycle.program == record)
                                                  & (Cycle.label == label))) is not None \
            and done.status != "open":
        raise ClosedCycleError(
            f"{possessive(program.key)} cycle {label} is {done.status}, and {program.source} "
            f"is its file: to change the program, edit the file of its open cycle (`mentorkit "
            f"programs copy {program.key} FILE` writes it)")
    if created:
        record = ProgramRecord(key=program.key)
    record.name = program.config.program.name
    record.config_toml = program.text
    record.source_path = program.source
    record.updated_at = now()
    record.save()
    cycle = program.config.cycle
    row, _ = Cycle.get_or_create(program=record, label=cycle.label,
                                 defaults={"starts_on": cycle.academic_year_start,
                                           "ends_on": cycle.academic_year_end})
    row.config_toml = program.text  # the year is read with its own file once it is closed
    row.save()
    audit.record("program.add" if created else "program.update", program.key,
                 source=program.source)
    return record, created


def load_stored_program(key: str, registry: Registry | None = None) -> Program:
    record = program_record(key)
    return load_program_text(record.config_toml, f"program {key} (stored)", registry)


def in_cycle(program: Program, label: str | None) -> Program:
    """``program`` as it was in its cycle ``label`` (its own file: that year's dates, terms
    and assessments), for reading a closed year; the program itself for its own cycle or
    when ``label`` is None. An unknown label names the program's cycles."""
    if label is None or label == program.config.cycle.label:
        return program
    record = program_record(program.key)
    cycle = Cycle.get_or_none((Cycle.program == record) & (Cycle.label == label))
    if cycle is None:
        known = [c.label for c in Cycle.select(Cycle.label).where(Cycle.program == record)
                 .order_by(Cycle.starts_on)]
        raise NotFoundError(f"{program.key} has no cycle {label!r} (its cycles: "
                            f"{', '.join(known) or 'none'})")
    text = cycle.config_toml or shift_years(record.config_toml, cycle.starts_on.year
                                            - program.config.cycle.academic_year_start.year)
    return load_program_text(text, f"program {program.key}, cycle {label} (stored)")


def names_a_file(key_or_path: str) -> bool:
    """Whether what the coordinator typed is a program file rather than a key: a ``.toml``
    name, or a file whose name could not be a key (``./ours``). A folder named like a key
    (``notes tokens KEY --out KEY``) is not a program."""
    path = Path(key_or_path)
    try:
        return path.suffix == ".toml" or (path.is_file() and not valid_key(key_or_path))
    except (OSError, ValueError):  # a name too long to be a file's, a NUL: not a file
        return False


def _load_file(key_or_path: str) -> Program:
    """The program in a file; a file that does not exist is a name mistyped (exit 2)."""
    if not Path(key_or_path).exists():
        raise NotFoundError(f"there is no program file {key_or_path}")
    return load_program(key_or_path)


def resolve(key_or_path: str, open_database: Callable[[], object] = lambda: True) -> Program:
    """A program file (a path), else a stored program by key, else a shipped one by key.
    ``open_database`` is called before the database is first needed (a file needs none); it
    may answer False: there is no database (nothing stored), and none is made."""
    if names_a_file(key_or_path):
        return _load_file(key_or_path)
    if open_database() is False:
        if shipped := shipped_program(key_or_path):
            return load_program(shipped)
        raise NotFoundError(unknown_program(key_or_path, stored=False))
    if ProgramRecord.get_or_none(ProgramRecord.key == key_or_path) is None:
        if shipped := shipped_program(key_or_path):
            return load_program(shipped)
        raise NotFoundError(unknown_program(key_or_path))
    return load_stored_program(key_or_path)


class ProgramChangeError(MentorkitError):
    """A changed program file that would break the running cycle (stored only on purpose)."""


def add(key_or_path: str, open_database: Callable[[], object],
        force: bool = False) -> tuple[Program, bool, list[str]]:
    """Store the program in a file (or a shipped program, by key); whether it was new, and
    what it breaks in its running cycle (refused unless ``force``)."""
    shipped = None if names_a_file(key_or_path) else shipped_program(key_or_path)
    if shipped is None and not names_a_file(key_or_path):
        open_database()
        raise NotFoundError(unknown_program(key_or_path))
    program = load_program(shipped) if shipped else _load_file(key_or_path)
    open_database()
    from mentorkit.services.config_changes import breaks  # reads the cycle's people

    broken = breaks(program)
    if broken and not force:
        raise ProgramChangeError(
            f"{program.source} would break {possessive(program.key)} running cycle "
            f"{program.config.cycle.label}:\n  " + "\n  ".join(broken)
            + "\nFix the file, or store it anyway with `mentorkit programs add --force`")
    with database.atomic():
        created = store_program(program)[1]
        if broken:
            audit.record("program.forced", program.key, problems=len(broken))
    return program, created, broken


# domains that reach no one (RFC 2606): a shipped program's placeholder, not yet replaced
PLACEHOLDER_DOMAINS = ("example.edu", "example.org", "example.com", "example.net")


def cautions(program: Program) -> list[str]:
    """What in a valid program file is still a placeholder copied from a shipped program
    (its contact), to replace before any message goes out."""
    contact = program.config.program.contact
    domain = contact.rpartition("@")[2].strip(" >").lower()
    if contact and (domain in PLACEHOLDER_DOMAINS or domain.endswith(".example")
                    or any(domain.endswith("." + d) for d in PLACEHOLDER_DOMAINS)):
        return [f"program.contact {contact} is at an example domain, a placeholder (as in "
                "the shipped programs) that reaches no one: set your program office's address "
                "before sending messages"]
    return []


def valid_key(key: str) -> bool:
    """Whether ``key`` can name a program: lowercase letters, digits and dashes."""
    return bool(KEY_PATTERN.match(key))


@attrs.frozen
class ProgramRow:
    key: str
    name: str
    participants: int
    updated: object


def stored() -> list[ProgramRow]:
    return [ProgramRow(r.key, r.name,
                       Participant.select().where(Participant.program == r).count(),
                       r.updated_at)
            for r in ProgramRecord.select().order_by(ProgramRecord.key)]


def shipped() -> list[tuple[str, Path]]:
    """The programs that come with mentorkit: (key, file)."""
    return [(path.stem, path) for path in shipped_programs()]


def settings(program: Program) -> dict:
    """The program's settings as its file states them (for ``programs show --json``)."""
    import tomllib

    return tomllib.loads(program.text)


def renamed_copy(text: str, key: str | None, name: str | None) -> str:
    """The program file as its author wrote it (comments, order, only the keys they set),
    with a new key and name: tomlkit edits TOML in place, keeping all of it."""
    import tomlkit  # only copying needs it

    document = tomlkit.parse(text)
    if key:
        document["program"]["key"] = key
    if name:
        document["program"]["name"] = name
    return tomlkit.dumps(document)


def copy(source: Program, dest: Path, key: str | None, name: str | None) -> Program:
    """Write a new program file ``dest`` from ``source`` with a new key and name; it must
    load back, so a broken file is never written."""
    text = renamed_copy(source.text, key, name)
    copied = load_program_text(text, str(dest))
    write_private(dest, text)
    return copied
