"""Confidentiality commands: private notes and referral, exports by audience, the audit log,
and purging a cycle's personal data."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import click

from mentorkit import notes
from mentorkit.cli.output import active, csv_text, emit, heading, say, write_text
from mentorkit.cli.participants import participants
from mentorkit.cli.programs import resolve_program
from mentorkit.concerns import Audience
from mentorkit.exports import audit_export, participant_rows, public_report
from mentorkit.storage.models import AuditEntry


@click.group("notes")
def notes_group() -> None:
    """Private notes on groups: seen by their author and group; administrators see a note
    only when it is referred."""


@notes_group.command("add")
@click.argument("program")
@click.argument("group")
@click.option("--body", required=True, help="The note.")
@click.option("--author", help="The member writing it (e-mail or id); default: you.")
@click.option("--meeting", "meeting_id", type=int, help="The meeting it is about.")
@click.option("--refer", "scenario", help="Refer it at once under this scenario.")
@click.pass_context
def add_note(ctx: click.Context, program: str, group: str, body: str, author: str | None,
             meeting_id: int | None, scenario: str | None) -> None:
    """Write a private note on GROUP."""
    loaded = resolve_program(ctx, program)
    note = notes.write(loaded, group, body, author, meeting_id, scenario)
    say(f"Note {note.id} saved" + (f" and referred ({scenario})." if scenario else "."))


@notes_group.command("list")
@click.argument("program")
@click.argument("group")
@click.option("--as", "viewer", help="Read as this member (e-mail or id); default: as an "
                                     "administrator, who sees referred notes only.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON for scripts.")
@click.pass_context
def list_notes(ctx: click.Context, program: str, group: str, viewer: str | None,
               as_json: bool) -> None:
    """Show the notes of GROUP this reader may see (the read is audited)."""
    audience = Audience.GROUP if viewer else Audience.ADMINISTRATOR
    loaded = resolve_program(ctx, program, audience)
    shown, hidden = notes.read(loaded, group, viewer)
    rows = [{"id": n.id, "written": n.written, "author": n.author, "referred": n.scenario or "",
             "note": n.body} for n in shown]
    emit(rows, ("id", "written", "author", "referred", "note"), as_json)
    if hidden and not as_json:
        say(f"({hidden} private note(s) not shown: not referred)")


@notes_group.command("refer")
@click.argument("program")
@click.argument("note_id", type=int)
@click.argument("scenario")
@click.pass_context
def refer_note(ctx: click.Context, program: str, note_id: int, scenario: str) -> None:
    """Refer note NOTE_ID to faculty/administrators under one of PROGRAM's scenarios."""
    loaded = resolve_program(ctx, program)
    note = notes.refer(loaded, note_id, scenario)
    say(f"Note {note.id} referred to {loaded.config.privacy.refer_to} ({scenario}); its group "
        f"{note.group.label} is flagged for follow-up.")


@notes_group.command("keygen")
def keygen() -> None:
    """Print a new key for encrypting notes at rest. Keep it outside the database, e.g.
    `export MENTORKIT_NOTES_KEY=...` or a file named by MENTORKIT_NOTES_KEY_FILE."""
    say(notes.new_key())


@participants.command()
@click.argument("program")
@click.option("--audience", type=click.Choice([a.value for a in Audience]), default="public",
              show_default=True, help="Who the export is for; it decides what it may hold.")
@click.option("--format", "fmt", type=click.Choice(["csv", "json"]), default="csv",
              show_default=True)
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path),
              help="Write to this file instead of printing.")
@click.pass_context
def export(ctx: click.Context, program: str, audience: str, fmt: str, out: Path | None) -> None:
    """Export PROGRAM's participants for an AUDIENCE: a public report holds counts only; other
    audiences get each person's row with only the answers they may see."""
    chosen = Audience(audience)
    loaded = resolve_program(ctx, program, chosen)
    if chosen is Audience.PUBLIC:
        rows = public_report(loaded)
        columns = ("role", "status", "count")
    else:
        rows, columns = participant_rows(loaded, active())  # the redactor for `chosen`
    text = (json.dumps(rows, indent=2, default=str) + "\n") if fmt == "json" else csv_text(
        rows, columns)
    audit_export(loaded, chosen, len(rows), str(out or "stdout"))
    if out is None:
        say(text.rstrip("\n"))
        return
    write_text(out, text)
    say(f"Wrote {len(rows)} rows for the {chosen} audience to {out}.", err=True)


@click.command("audit")
@click.option("--program", "program_key", help="Only entries about this program.")
@click.option("--action", help="Only actions starting with this (e.g. note., participant.).")
@click.option("--since", type=click.DateTime(["%Y-%m-%d"]), help="Only from this date.")
@click.option("--limit", type=int, default=200, show_default=True)
@click.option("--json", "as_json", is_flag=True, help="Print JSON for scripts.")
@click.pass_context
def audit_log(ctx: click.Context, program_key: str | None, action: str | None,
              since: dt.datetime | None, limit: int, as_json: bool) -> None:
    """Who did what and when: exports, referrals, status changes, reads of notes."""
    ctx.obj.open_db()
    if program_key:
        resolve_program(ctx, program_key)
    query = AuditEntry.select().order_by(AuditEntry.id.desc())
    if action:
        query = query.where(AuditEntry.action.startswith(action))
    if since:
        query = query.where(AuditEntry.at >= since)
    rows = []
    for entry in query:
        detail = entry.detail or {}
        if program_key and program_key not in (entry.target, detail.get("program")) and not (
                entry.target.startswith(f"{program_key}-")):
            continue
        rows.append({"at": f"{entry.at:%Y-%m-%d %H:%M:%S}", "actor": entry.actor,
                     "action": entry.action, "target": entry.target, "detail": detail})
        if len(rows) >= limit:
            break
    if not as_json:
        heading(f"Audit log: {len(rows)} entries, newest first")
    emit(rows, ("at", "actor", "action", "target"), as_json)


def register(cli: click.Group) -> None:
    cli.add_command(notes_group)
    cli.add_command(audit_log)
