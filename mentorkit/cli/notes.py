"""``mentorkit notes``: private notes on groups, members' tokens, referral, the notes key."""

from __future__ import annotations

from pathlib import Path

import click

from mentorkit.cli.output import emit, out_folder, say, write_file
from mentorkit.cli.params import cycle_option, json_option, program_argument
from mentorkit.services import notes as notes_service
from mentorkit.services import sealing
from mentorkit.services import tokens as tokens_service


@click.group("notes")
def notes() -> None:
    """Private notes on groups: seen by the group's members (who prove it with a token);
    administrators see a note only when it is referred."""


TOKEN_HELP = ("The member's token from `mentorkit notes tokens` [env: MENTORKIT_MEMBER_TOKEN]; "
              "required with --as.")


def member_options(action: str):
    """``--as EMAIL`` and ``--token``: act as a group member, proved by their token."""
    def decorate(command):
        command = click.option("--token", envvar="MENTORKIT_MEMBER_TOKEN",
                               help=TOKEN_HELP)(command)
        return click.option("--as", "member", metavar="EMAIL", help=action)(command)
    return decorate


def _token_needed(token: str | None, member: str | None) -> None:
    if member and not token:
        raise click.UsageError("--as needs the member's --token (or MENTORKIT_MEMBER_TOKEN): "
                               "the CLI user is an administrator unless the token proves "
                               "otherwise")


@notes.command("add")
@program_argument
@click.argument("group")
@click.option("--body", required=True, help="The note.")
@member_options("Write as this group member (needs their --token); default: as the "
                "administrator.")
@click.option("--meeting", "meeting_id", type=int, help="The meeting it is about.")
@click.option("--refer", "scenario", help="Refer it at once under this scenario.")
def add_note(program, group: str, body: str, member: str | None,
             token: str | None, meeting_id: int | None, scenario: str | None) -> None:
    """Write a private note on GROUP."""
    _token_needed(token, member)
    note = notes_service.write(program, group, body, member, meeting_id, scenario, token)
    say(f"Note {note} saved" + (f" and referred ({scenario})." if scenario else "."))


@notes.command("list")
@program_argument
@cycle_option
@click.argument("group")
@member_options("Read as this group member, proved by their --token; default: as an "
                "administrator, who sees referred notes only.")
@json_option
def list_notes(program, group: str, member: str | None,
               token: str | None, as_json: bool) -> None:
    """Show the notes of GROUP this reader may see (the read is audited)."""
    _token_needed(token, member)
    shown, hidden = notes_service.read(program, group, member, token)
    rows = [{"id": n.id, "written": n.written, "author": n.author, "referred": n.scenario or "",
             "note": n.body} for n in shown]
    emit(rows, ("id", "written", "author", "referred", "note"), as_json)
    if hidden and not as_json:
        say(f"({hidden} private note(s) not shown: not referred)")


@notes.command("tokens")
@program_argument
@click.argument("group", required=False)
@click.option("--out", type=click.Path(file_okay=False, path_type=Path),
              help="Write one owner-only file per member into this folder, to hand over; "
                   "default: print them.")
def tokens(program, group: str | None, out: Path | None) -> None:
    """Issue each current member of GROUP (default: of every active group) a new token that
    lets them read and write their group's notes. A member's earlier token stops working.
    Only a digest is stored; the issue is audited."""
    folder = out_folder(out) if out is not None else None  # before any token is replaced
    issued = tokens_service.issue_tokens(program, group)
    if folder is None:
        emit([{"group": i.group, "email": i.email, "token": i.token} for i in issued],
             ("group", "email", "token"), False)
        return
    for item in issued:
        name, text = tokens_service.token_letter(program, item)
        write_file(folder / name, text)
    say(f"Wrote {len(issued)} token(s) to {folder}.")


@notes.command("refer")
@program_argument
@click.argument("note_id", type=int)
@click.argument("scenario")
@member_options("Refer as this group member (needs their --token). Without it, only a "
                "note you wrote yourself can be referred.")
def refer_note(program, note_id: int, scenario: str,
               member: str | None, token: str | None) -> None:
    """Refer note NOTE_ID to faculty/administrators under one of PROGRAM's scenarios: a
    member of its group refers what they read; the referral lets administrators read it."""
    _token_needed(token, member)
    group = notes_service.refer(program, note_id, scenario, member, token)
    say(f"Note {note_id} referred to {program.config.privacy.refer_to} ({scenario}); its group "
        f"{group} is flagged for follow-up.")


@notes.command("keygen")
def keygen() -> None:
    """Print a new key for encrypting notes at rest. Keep it outside the database, e.g.
    `export MENTORKIT_NOTES_KEY=...` or a file only you can read, named by
    MENTORKIT_NOTES_KEY_FILE."""
    say(sealing.new_key())


def register(cli: click.Group) -> None:
    cli.add_command(notes)
