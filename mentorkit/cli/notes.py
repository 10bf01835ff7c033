"""``mentorkit notes``: private notes on groups, members' tokens, referral, the notes key."""

from __future__ import annotations

import os
from pathlib import Path

import click

from mentorkit.cli.lazy import lazy
from mentorkit.cli.output import done, emit, say
from mentorkit.cli.params import cycle_option, json_option, program_argument
from mentorkit.views.words import plural

notes_service = lazy("mentorkit.services.notes")
sealing = lazy("mentorkit.services.sealing")
tokens_service = lazy("mentorkit.services.tokens")


@click.group("notes")
def notes() -> None:
    """Private notes on groups: seen by the group's members (who prove it with a token);
    administrators see a note only when it is referred."""


TOKEN_ENV = "MENTORKIT_MEMBER_TOKEN"
TOKEN_ON_COMMAND_LINE = (
    "a token typed on the command line can be read by other users of this machine (in `ps`), "
    "so it may have been seen: have a new one issued (`mentorkit notes tokens`) and give it in "
    f"{TOKEN_ENV} or on standard input (you are asked for it when --as is given)")


def member_options(action: str):
    """``--as EMAIL``: act as a group member, proved by their token, which is read from
    MENTORKIT_MEMBER_TOKEN or standard input (asked for, unseen, at a terminal); never from
    the command line, where other local users could read it. ``--token`` is refused."""
    def decorate(command):
        command = click.option("--token", "token_on_command_line", hidden=True,
                               help="Refused: see --as.")(command)
        return click.option("--as", "member", metavar="EMAIL",
                            help=f"{action} The member's token is read from {TOKEN_ENV}, "
                                 "or standard input.")(command)
    return decorate


def member_token(member: str | None, token_on_command_line: str | None) -> str | None:
    """The token proving ``member``, from the environment or standard input."""
    if token_on_command_line is not None:
        raise click.UsageError(TOKEN_ON_COMMAND_LINE)
    if not member:
        return None
    token = os.environ.get(TOKEN_ENV, "").strip()
    if not token:
        stdin = click.get_text_stream("stdin")
        if stdin.isatty():
            token = click.prompt(f"Token of {member}", hide_input=True, default="",
                                 show_default=False, err=True)
        else:
            token = stdin.readline()
    if not token.strip():
        raise click.UsageError(f"--as needs the member's token, in {TOKEN_ENV} or on standard "
                               "input: the command line's user is an administrator unless the "
                               "token proves otherwise")
    return token.strip()


@notes.command("add")
@program_argument
@click.argument("group")
@click.option("--body", required=True, help="The note.")
@member_options("Write as this group member; default: as the administrator you are.")
@click.option("--meeting", "meeting_id", type=int, help="The meeting it is about.")
@click.option("--refer", "scenario", help="Refer it at once under this scenario.")
@json_option
def add_note(program, group: str, body: str, member: str | None,
             token_on_command_line: str | None, meeting_id: int | None,
             scenario: str | None, as_json: bool) -> None:
    """Write a private note on GROUP."""
    notes_service.before_asking(program, group, scenario=scenario)
    token = member_token(member, token_on_command_line)
    note = notes_service.write(program, group, body, member, meeting_id, scenario, token)
    done(as_json, {"note": note, "group": group, "referred": scenario},
         f"Note {note} saved" + (f" and referred ({scenario})." if scenario else "."))


@notes.command("list")
@program_argument
@cycle_option
@click.argument("group")
@member_options("Read as this group member; default: as an administrator, who sees "
                "referred notes only.")
@json_option
def list_notes(program, group: str, member: str | None,
               token_on_command_line: str | None, as_json: bool) -> None:
    """Show the notes of GROUP this reader may see (the read is audited)."""
    notes_service.before_asking(program, group)
    token = member_token(member, token_on_command_line)
    shown, hidden = notes_service.read(program, group, member, token)
    rows = [{"id": n.id, "written": n.written, "author": n.author, "referred": n.scenario or "",
             "note": n.body} for n in shown]
    emit(rows, ("id", "written", "author", "referred", "note"), as_json)
    if hidden and not as_json:
        say(f"({plural(hidden, 'private note')} not shown: not referred)", err=True)


@notes.command("tokens")
@program_argument
@click.argument("group", required=False)
@click.option("--out", type=click.Path(file_okay=False, path_type=Path),
              help="Write one owner-only file per member into this folder, to hand over; "
                   "default: print them.")
@json_option
def tokens(program, group: str | None, out: Path | None, as_json: bool) -> None:
    """Issue each current member of GROUP (default: of every active group) a new token that
    lets them read and write their group's notes. A member's earlier token stops working.
    Only a digest is stored; the issue is audited. With --out, every letter is written and
    every token replaced, or (if one letter cannot be written) nothing is."""
    columns = ("group", "email", "token")
    if out is None:  # printed before the new digests are committed: a closed pipe keeps all
        tokens_service.issue_tokens(program, group, lambda issued: emit(
            [{"group": i.group, "email": i.email, "token": i.token} for i in issued],
            columns, as_json))
        return
    issued = tokens_service.issue_token_letters(program, group, out)
    emit([{"group": i.group, "email": i.email,
           "file": tokens_service.token_letter(program, i)[0]} for i in issued],
         ("group", "email", "file"), as_json)
    if not as_json:
        say(f"Wrote {plural(len(issued), 'token letter')} to {out}.")


@notes.command("refer")
@program_argument
@click.argument("note_id", type=int)
@click.argument("scenario")
@member_options("Refer as this group member. Without it, only a note you wrote yourself "
                "can be referred.")
@json_option
def refer_note(program, note_id: int, scenario: str,
               member: str | None, token_on_command_line: str | None, as_json: bool) -> None:
    """Refer note NOTE_ID to faculty/administrators under one of PROGRAM's scenarios: a
    member of its group refers what they read; the referral lets administrators read it."""
    notes_service.before_asking(program, note_id=note_id, scenario=scenario)
    token = member_token(member, token_on_command_line)
    group = notes_service.refer(program, note_id, scenario, member, token)
    done(as_json, {"note": note_id, "scenario": scenario, "group": group},
         f"Note {note_id} referred to {program.config.privacy.refer_to} ({scenario}); its "
         f"group {group} is flagged for follow-up.")


@notes.command("keygen")
@json_option
def keygen(as_json: bool) -> None:
    """Print a new key for encrypting notes at rest. Keep it outside the database, e.g.
    `export MENTORKIT_NOTES_KEY=...` or a file only you can read, named by
    MENTORKIT_NOTES_KEY_FILE."""
    key = sealing.new_key()
    done(as_json, {"key": key}, key)


@notes.command("encrypt")
@program_argument
@json_option
def encrypt(program, as_json: bool) -> None:
    """Encrypt PROGRAM's notes with the key in MENTORKIT_NOTES_KEY: the notes written in
    plain text before a key was set and, to rotate keys, the notes encrypted with the key in
    MENTORKIT_NOTES_OLD_KEY (or MENTORKIT_NOTES_OLD_KEY_FILE). All or nothing: a note that
    opens with neither key leaves every note as it was."""
    found = sealing.encrypt_notes(program)
    done(as_json, {"encrypted": found.encrypted, "rotated": found.rotated, "kept": found.kept},
         f"{program.key}: {plural(found.encrypted, 'note')} in plain text encrypted, "
         f"{found.rotated} moved from the old key to the new one, {found.kept} already "
         "encrypted with this key.")


def register(cli: click.Group) -> None:
    cli.add_command(notes)
