"""Program files written for an earlier mentorkit, brought up to date.

Until now the four shipped programs each named an eligibility rule of their own plugin
(``im-residency.eligibility``, ``lgbtq-triads.eligibility``, ``peer-mentoring.year-for-role``,
``peer-circles.eligibility``). Those rules re-wrote the core's generic ones, and the plugins
are gone: a program file that names one is rewritten here, table for table, into the core
rules that give the same verdicts, keeping the file's other tables, comments and layout. The
database applies it to every stored program when it is opened (a migration), so a coordinator's
programs keep working; a file on disk gets a message that says what to write instead.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

Table = dict[str, Any]


def _im_residency(old: Table) -> list[Table]:
    residents = [old.get("resident_role", "resident")]
    return [{"component": "field-in", "field": old.get("residency_field", "residency_program"),
             "allowed": [old.get("residency", "Internal Medicine")], "roles": residents},
            {"component": "number-between", "field": old.get("pgy_field", "pgy"), "min": 1,
             "max": old.get("max_pgy", 3), "roles": residents}]


def _lgbtq_triads(old: Table) -> list[Table]:
    return [{"component": "field-in", "field": old.get("affiliation_field", "affiliation"),
             "allowed": list(old.get("institutions", []))},
            {"component": "answered-yes", "field": old.get("identity_field", "identifies_lgbtq"),
             "reason": "did not self-identify as LGBTQ"}]


def _peer_mentoring(old: Table) -> list[Table]:
    return [{"component": "field-in", "field": old.get("year_field", "year"),
             "allowed": list(years), "roles": [role]}
            for role, years in dict(old.get("years", {})).items()]


def _peer_circles(old: Table) -> list[Table]:
    return [{"component": "field-in", "field": old.get("stage_field", "career_stage"),
             "allowed": list(old.get("stages", []))},
            {"component": "answered", "fields": [old.get("institution_field", "institution"),
                                                 old.get("topics_field", "topics")]}]


FORMER: dict[str, tuple[str, Callable[[Table], list[Table]]]] = {
    "im-residency.eligibility": ("field-in and number-between", _im_residency),
    "lgbtq-triads.eligibility": ("field-in and answered-yes", _lgbtq_triads),
    "peer-mentoring.year-for-role": ("one field-in per role", _peer_mentoring),
    "peer-circles.eligibility": ("field-in and answered", _peer_circles),
}


def former_hint(component: str) -> str:
    """What to write instead of a former plugin's rule, for an error message; '' if none."""
    if component not in FORMER:
        return ""
    return (f"; {component!r} was a shipped plugin's rule, now the core's "
            f"{FORMER[component][0]} (see the shipped program_configs)")


def upgrade_text(text: str) -> str | None:
    """The program file with every former plugin rule replaced by the core's; None when it
    names none (or is not TOML: the loader reports that)."""
    import tomlkit  # only an old file needs it

    try:
        document = tomlkit.parse(text)
    except Exception:
        return None
    rules = document.get("eligibility")
    if not isinstance(rules, list) or not any(
            isinstance(t, dict) and t.get("component") in FORMER for t in rules):
        return None
    tables = tomlkit.aot()
    for table in rules:
        replacement = FORMER.get(table.get("component")) if isinstance(table, dict) else None
        for new in replacement[1](dict(table.unwrap())) if replacement else [table]:
            tables.append(new if replacement is None else tomlkit.item(new))
    document["eligibility"] = tables
    return tomlkit.dumps(document)
