"""Finding the shipped program configs and example data, installed or in a checkout."""

from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent.parent  # mentorkit/
_CHECKOUT = _PACKAGE.parent


def shipped_dir(kind: str) -> Path:
    """``program_configs`` or ``examples``: inside the wheel, else beside the package."""
    installed = _PACKAGE / "_shipped" / kind
    if installed.is_dir():
        return installed
    return _CHECKOUT / kind if kind == "program_configs" else _CHECKOUT / "examples" / "data"


def shipped_program(key: str) -> Path | None:
    """The shipped program ``key``, if there is one (a name no key could be, a path or one
    too long for a file name, is none)."""
    if "/" in key or "\\" in key or len(key) > 64:
        return None
    path = shipped_dir("program_configs") / f"{key}.toml"
    try:
        return path if path.is_file() else None
    except (OSError, ValueError):
        return None


def shipped_programs() -> list[Path]:
    return sorted(shipped_dir("program_configs").glob("*.toml"))


def example_export(key: str) -> Path | None:
    path = shipped_dir("examples") / f"{key}.csv"
    return path if path.is_file() else None


def next_year_export(program, text: str) -> str:
    """An example export of ``program`` as next year's sign-up would be: the same people,
    when they signed up a year later (the demo's second year)."""
    field = program.config.field("signed_up_on")
    return a_year_later(text, field.header if field else "",
                        program.config.cycle.academic_year_start.year)


def a_year_later(text: str, column: str, year: int) -> str:
    """``text`` (a CSV export) with ``year`` in ``column`` moved to the year after."""
    import csv
    import io

    rows = list(csv.reader(io.StringIO(text, newline="")))
    if not rows or column not in rows[0]:
        return text
    at = rows[0].index(column)
    for row in rows[1:]:
        if at < len(row):
            row[at] = row[at].replace(str(year), str(year + 1))
    out = io.StringIO(newline="")
    csv.writer(out, lineterminator="\n").writerows(rows)
    return out.getvalue()
