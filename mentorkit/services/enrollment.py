"""Enrolling people from a sign-up export, as the survey tool wrote it (``surveys``).

Bad rows never stop good ones: each is reported with its line, column and reason and copied to a
rejects file beside the input, and the whole import is one transaction. The rejects file is
owner-only, and its sensitive cells are withheld unless the program keeps them
(``enrollment.rejects_keep_sensitive``); a reason never quotes an answer. A person who signed
up twice is enrolled once, from their latest submission (``resubmissions``).
"""

from __future__ import annotations

import shlex
from collections.abc import Callable
from pathlib import Path

from mentorkit.kernel.program import Program
from mentorkit.services import written
from mentorkit.services.cells import RowParser, match_columns
from mentorkit.services.enrollment_batch import Batch, ImportReport
from mentorkit.services.lookup import open_cycle, program_record
from mentorkit.services.resubmissions import SUPERSEDED, Latest, stamp_column
from mentorkit.services.sheets import ImportFileError, RowError
from mentorkit.services.surveys.read import TITLES, read_sheet
from mentorkit.services.surveys.rejects import write_rejects
from mentorkit.storage import audit
from mentorkit.storage.models import database


def missing_columns(program: Program, sheet, columns: dict[str, int],
                    fmt: str | None = None, dictionary: Path | None = None) -> ImportFileError:
    """The error for an export without a required field's column: the file's columns listed
    (a header checked not to be data), at most 20, each cut short, and the command that
    proposes a mapping, to copy as it is (the file as given, its format and dictionary)."""
    missing = [f.header for f in program.config.intake if f.required and f.name not in columns]
    names = [h if len(h) <= 50 else h[:47] + "..." for h in sheet.headers[:20]]
    more = f" and {len(sheet.headers) - 20} more" if len(sheet.headers) > 20 else ""
    if sheet.format == "redcap" and not any(c.aliases for c in sheet.columns):
        more += ("; a REDCap export's columns are known by their field labels through the "
                 "project's data dictionary: give it with --dictionary FILE")
    return ImportFileError(
        f"{sheet.path}: missing the required column{'' if len(missing) == 1 else 's'} "
        f"{', '.join(missing)} (read as "
        f"{TITLES[sheet.format]}; the file has: {', '.join(names) or 'no header'}{more}); "
        f"`{map_command(program, sheet.path, fmt, dictionary)}` proposes a mapping")


def map_command(program: Program, path: Path, fmt: str | None,
                dictionary: Path | None) -> str:
    """``mentorkit programs map`` for this export, as the import was given it."""
    words = ["mentorkit", "programs", "map", program.key, str(path)]
    words += ["--format", fmt] if fmt else []
    words += ["--dictionary", str(dictionary)] if dictionary else []
    return shlex.join(words)


def import_csv(program: Program, path: Path, *, dry_run: bool = False,
               progress: Callable[[int], None] | None = None, fmt: str | None = None,
               dictionary: Path | None = None) -> ImportReport:
    """Import a sign-up export. ``progress`` (for a progress bar) is told the line reached,
    every thousand rows and at the end; ``fmt`` forces a format, ``dictionary`` is a REDCap
    data dictionary."""
    cycle = open_cycle(program)  # a closed cycle's records no longer change
    sheet = read_sheet(path, fmt, dictionary)
    columns = match_columns(program, sheet)
    if any(f.required and f.name not in columns for f in program.config.intake):
        raise missing_columns(program, sheet, columns, fmt, dictionary)
    report = ImportReport(format=TITLES[sheet.format])
    rejected: list[tuple[int, list[str], list[RowError]]] = []
    stamp = stamp_column(program, sheet, columns)
    with database.atomic() as transaction:
        batch = Batch(program, program_record(program.key), cycle, report)
        latest = Latest(batch.match_on)
        parser = RowParser(program, columns, sheet)
        email_column = sheet.headers[columns["email"]]
        gather, refuse, parse, offer = sheet.gather, sheet.refuse, parser.parse, latest.offer
        by_email = batch.by_email
        for number, (line, raw) in enumerate(sheet.rows, start=1):
            if progress is not None and number % 1000 == 0:
                progress(line)
            row = raw if gather is None else gather(raw)
            answers, errors = parse(line, row)
            if refuse is not None and (why := refuse(raw)) is not None:
                errors.insert(0, RowError(line, "", why))
            if not errors and not by_email and (clash := batch.email_taken(answers)):
                errors = [RowError(line, email_column, clash)]
            if not errors:
                email = answers["email"]
                verdict = offer(line, email if by_email else batch.key_of_answers(answers),
                                email, row[stamp] if stamp is not None and stamp < len(row)
                                else "")
                if verdict is SUPERSEDED:
                    continue
                if verdict is not None:
                    errors = [verdict]
            if errors:
                rejected.append((line, raw, errors))
                continue
            batch.add(answers)
        batch.finish()
        report.superseded = sorted(latest.superseded)
        if progress is not None:
            progress(-1)  # done
        if dry_run:
            transaction.rollback()
        else:
            audit.record("participants.import", program.key, file=str(path),
                         added=report.added, updated=report.updated, rejected=len(rejected),
                         superseded=len(report.superseded))
    rejected.sort(key=lambda item: item[0])
    report.errors = [error for _, _, errors in rejected for error in errors]
    report.rejected_rows = len(rejected)
    if rejected and not dry_run:
        _keep_rejected(program, sheet, columns, rejected, report)
    return report


def _keep_rejected(program: Program, sheet, columns: dict[str, int], rejected,
                   report: ImportReport) -> None:
    """The rejects file, its confidential cells withheld unless the program keeps them."""
    keep = program.config.enrollment.rejects_keep_sensitive
    sensitive = [] if keep else [sheet.columns[columns[f.name]] for f in program.config.intake
                                 if f.sensitive and f.name in columns]
    report.rejects_file = write_rejects(sheet, rejected, {i for c in sensitive for i in c.sources})
    written.record(program, [report.rejects_file], "rejects")
    report.emptied_columns = [c.name for c in sensitive]
