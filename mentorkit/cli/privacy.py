"""Confidentiality commands: private notes and referral, exports by audience, the audit log,
and purging a cycle's personal data."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import click

from mentorkit import notes
from mentorkit.cli.output import csv_text, emit, heading, out_folder, say, to_json, write_file
from mentorkit.cli.params import DAY, AudienceChoice
from mentorkit.cli.participants import participants, show_sensitive_option
from mentorkit.cli.programs import resolve_program
from mentorkit.exports import audit_export, participant_rows, public_report
from mentorkit.kernel.concerns import Audience
from mentorkit.meetings import find_group
from mentorkit.storage.models import AuditEntry
from mentorkit.views import Viewer


@click.group("notes")
def notes_group() -> None:
    """Private notes on groups: seen by the group's members (who prove it with a token);
    administrators see a note only when it is referred."""


TOKEN_HELP = ("The member's token from `mentorkit notes tokens` [env: MENTORKIT_MEMBER_TOKEN]; "
              "required with --as.")


def _token_needed(token: str | None, member: str | None) -> None:
    if member and not token:
        raise click.UsageError("--as needs the member's --token (or MENTORKIT_MEMBER_TOKEN): "
                               "the CLI user is an administrator unless the token proves "
                               "otherwise")


@notes_group.command("add")
@click.argument("program")
@click.argument("group")
@click.option("--body", required=True, help="The note.")
@click.option("--as", "member", metavar="EMAIL",
              help="Write as this group member (needs their --token); default: as the "
                   "administrator.")
@click.option("--token", envvar="MENTORKIT_MEMBER_TOKEN", help=TOKEN_HELP)
@click.option("--meeting", "meeting_id", type=int, help="The meeting it is about.")
@click.option("--refer", "scenario", help="Refer it at once under this scenario.")
@click.pass_context
def add_note(ctx: click.Context, program: str, group: str, body: str, member: str | None,
             token: str | None, meeting_id: int | None, scenario: str | None) -> None:
    """Write a private note on GROUP."""
    _token_needed(token, member)
    loaded = resolve_program(ctx, program)
    note = notes.write(loaded, group, body, member, meeting_id, scenario, token)
    say(f"Note {note.id} saved" + (f" and referred ({scenario})." if scenario else "."))


@notes_group.command("list")
@click.argument("program")
@click.argument("group")
@click.option("--as", "member", metavar="EMAIL",
              help="Read as this group member, proved by their --token; default: as an "
                   "administrator, who sees referred notes only.")
@click.option("--token", envvar="MENTORKIT_MEMBER_TOKEN", help=TOKEN_HELP)
@click.option("--json", "as_json", is_flag=True, help="Print JSON for scripts.")
@click.pass_context
def list_notes(ctx: click.Context, program: str, group: str, member: str | None,
               token: str | None, as_json: bool) -> None:
    """Show the notes of GROUP this reader may see (the read is audited)."""
    _token_needed(token, member)
    loaded = resolve_program(ctx, program)
    shown, hidden = notes.read(loaded, group, member, token)
    rows = [{"id": n.id, "written": n.written, "author": n.author, "referred": n.scenario or "",
             "note": n.body} for n in shown]
    emit(rows, ("id", "written", "author", "referred", "note"), as_json)
    if hidden and not as_json:
        say(f"({hidden} private note(s) not shown: not referred)")


@notes_group.command("tokens")
@click.argument("program")
@click.argument("group", required=False)
@click.option("--out", type=click.Path(file_okay=False, path_type=Path),
              help="Write one owner-only file per member into this folder, to hand over; "
                   "default: print them.")
@click.pass_context
def tokens(ctx: click.Context, program: str, group: str | None, out: Path | None) -> None:
    """Issue each current member of GROUP (default: of every active group) a new token that
    lets them read and write their group's notes. A member's earlier token stops working.
    Only a digest is stored; the issue is audited."""
    loaded = resolve_program(ctx, program)
    folder = out_folder(out) if out is not None else None  # before any token is replaced
    issued = notes.issue_tokens(loaded, group)
    if folder is None:
        emit([{"group": i.group, "email": i.email, "token": i.token} for i in issued],
             ("group", "email", "token"), False)
        return
    for item in issued:
        write_file(folder / f"{item.group}-{item.email}.txt",
                   f"To: {item.email}\n\nDear {item.name},\n\nYour token for the private notes "
                   f"of {item.group} in {loaded.config.program.name}: {item.token}\n"
                   "Keep it to yourself: it lets whoever holds it read your group's notes.\n")
    say(f"Wrote {len(issued)} token(s) to {folder}.")


@notes_group.command("refer")
@click.argument("program")
@click.argument("note_id", type=int)
@click.argument("scenario")
@click.option("--as", "member", metavar="EMAIL",
              help="Refer as this group member (needs their --token). Without it, only a "
                   "note you wrote yourself can be referred.")
@click.option("--token", envvar="MENTORKIT_MEMBER_TOKEN", help=TOKEN_HELP)
@click.pass_context
def refer_note(ctx: click.Context, program: str, note_id: int, scenario: str,
               member: str | None, token: str | None) -> None:
    """Refer note NOTE_ID to faculty/administrators under one of PROGRAM's scenarios: a
    member of its group refers what they read; the referral lets administrators read it."""
    _token_needed(token, member)
    loaded = resolve_program(ctx, program)
    note = notes.refer(loaded, note_id, scenario, member, token)
    say(f"Note {note.id} referred to {loaded.config.privacy.refer_to} ({scenario}); its group "
        f"{note.group.label} is flagged for follow-up.")


@notes_group.command("keygen")
def keygen() -> None:
    """Print a new key for encrypting notes at rest. Keep it outside the database, e.g.
    `export MENTORKIT_NOTES_KEY=...` or a file only you can read, named by
    MENTORKIT_NOTES_KEY_FILE."""
    say(notes.new_key())


@participants.command()
@click.argument("program")
@click.option("--audience", type=AudienceChoice(), default="public",
              show_default=True, help="Who the export is for; it decides what it may hold.")
@click.option("--group", "group_label", metavar="LABEL",
              help="With --audience group: the group the export is for (required).")
@show_sensitive_option
@click.option("--format", "fmt", type=click.Choice(["csv", "json"]), default="csv",
              show_default=True)
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path),
              help="Write to this file (readable by you only) instead of printing.")
@click.pass_context
def export(ctx: click.Context, program: str, audience: str, group_label: str | None,
           show_sensitive: bool, fmt: str, out: Path | None) -> None:
    """Export PROGRAM's participants for an AUDIENCE. public: counts only. participants: the
    people taking part, with what each shared with all participants. group: one group's
    members, with what each shared with the group. administrator: everyone with their status
    (sensitive answers only with --show-sensitive)."""
    chosen = Audience(audience)
    if (chosen is Audience.GROUP) != bool(group_label):
        raise click.UsageError("--group LABEL goes with --audience group, and it needs one")
    if show_sensitive and chosen is not Audience.ADMINISTRATOR:
        raise click.UsageError("--show-sensitive is for --audience administrator only")
    loaded = resolve_program(ctx, program)
    ctx.obj.open_db()
    if chosen is Audience.PUBLIC:
        rows, columns = public_report(loaded), ("role", "status", "count")
    else:
        viewer = viewer_for(loaded, chosen, group_label, show_sensitive, out)
        rows, columns = participant_rows(loaded, viewer)
    text = to_json(rows) if fmt == "json" else csv_text(rows, columns)
    audit_export(loaded, chosen, len(rows), str(out or "stdout"))
    if out is None:
        say(text.rstrip("\n"))
        return
    write_file(out, text)
    say(f"Wrote {len(rows)} rows for the {chosen} audience to {out}.", err=True)


def viewer_for(program, audience: Audience, group_label: str | None, show_sensitive: bool,
            out: Path | None) -> Viewer:
    if audience is Audience.ADMINISTRATOR:
        return Viewer.administrator(program, show_sensitive,
                                    f"participants export to {out or 'stdout'}")
    if audience is Audience.GROUP:
        group = find_group(program, group_label)
        members = [m.participant_id for m in group.current_memberships()]
        return Viewer(program, audience, members=members)
    return Viewer(program, audience)


@click.command("audit")
@click.option("--program", "program_key", help="Only entries about this program.")
@click.option("--action", help="Only actions starting with this (e.g. note., participant.).")
@click.option("--since", type=DAY, help="Only from this date.")
@click.option("--limit", type=click.IntRange(min=1), default=200, show_default=True)
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
