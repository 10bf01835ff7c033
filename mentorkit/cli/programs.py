"""``mentorkit programs``: check, store, list, show and copy program files."""

from __future__ import annotations

from pathlib import Path

import click

from mentorkit.cli.output import emit, say, write_file
from mentorkit.config.checks import KEY_PATTERN
from mentorkit.config.errors import ConfigError
from mentorkit.kernel.program import Program, load_program, load_program_text
from mentorkit.registry_db import (
    NotFoundError,
    load_stored_program,
    store_program,
    unknown_program,
)
from mentorkit.shipped import shipped_program, shipped_programs
from mentorkit.storage.models import Participant, ProgramRecord
from mentorkit.summary import summarize


def resolve_program(ctx: click.Context, key_or_path: str) -> Program:
    """A stored program by key, or a program file (a path, or a shipped program's key)."""
    path = Path(key_or_path)
    if path.suffix == ".toml" or path.exists():
        return load_program(path)
    ctx.obj.open_db()
    if ProgramRecord.get_or_none(ProgramRecord.key == key_or_path) is None:
        if shipped := shipped_program(key_or_path):
            return load_program(shipped)
        raise NotFoundError(unknown_program(key_or_path))
    return load_stored_program(key_or_path)


@click.group()
def programs() -> None:
    """Program files: validate, add to the database, list, show, copy."""


@programs.command()
@click.argument("files", nargs=-1, required=True,
                type=click.Path(exists=True, dir_okay=False))
def validate(files: tuple[str, ...]) -> None:
    """Check program FILES; print every problem with its key path."""
    failed = 0
    for file in files:
        try:
            program = load_program(file)
        except ConfigError as error:
            failed += 1
            say(str(error), err=True)
            continue
        say(f"{file}: ok ({program.key})")
    if failed:
        raise click.ClickException(f"{failed} of {len(files)} file(s) have problems")


@programs.command()
@click.argument("file", type=click.Path(dir_okay=False))
@click.pass_context
def add(ctx: click.Context, file: str) -> None:
    """Store the program in FILE in the database (or update it, matched on its key). FILE may
    also be the key of a shipped program (see `programs list --shipped`)."""
    shipped = shipped_program(file) if not Path(file).exists() else None
    if shipped is None and not Path(file).exists() and Path(file).suffix != ".toml":
        ctx.obj.open_db()
        raise NotFoundError(unknown_program(file))
    program = load_program(shipped or file)
    ctx.obj.open_db()
    _, created = store_program(program)
    say(f"{'Added' if created else 'Updated'} program {program.key}: "
        f"{program.config.program.name}")


@programs.command("list")
@click.option("--json", "as_json", is_flag=True, help="Print JSON for scripts.")
@click.option("--shipped", is_flag=True, help="List the programs shipped with mentorkit instead.")
@click.pass_context
def list_programs(ctx: click.Context, as_json: bool, shipped: bool) -> None:
    """List the programs in the database."""
    if shipped:
        rows = [{"key": p.stem, "file": str(p)} for p in shipped_programs()]
        emit(rows, ("key", "file"), as_json)
        return
    ctx.obj.open_db()
    rows = [{"key": r.key, "name": r.name,
             "participants": Participant.select().where(Participant.program == r).count(),
             "updated": r.updated_at}
            for r in ProgramRecord.select().order_by(ProgramRecord.key)]
    emit(rows, ("key", "name", "participants", "updated"), as_json)


@programs.command()
@click.argument("program")
@click.option("--json", "as_json", is_flag=True,
              help="Print JSON for scripts: the summary's lines and the program's settings.")
@click.pass_context
def show(ctx: click.Context, program: str, as_json: bool) -> None:
    """Summarise every rule of PROGRAM (a stored key, a shipped key, or a TOML file)."""
    loaded = resolve_program(ctx, program)
    if as_json:
        import tomllib

        emit([{"key": loaded.key, "name": loaded.config.program.name,
               "rules": summarize(loaded), "config": tomllib.loads(loaded.text)}], (),
             as_json=True)
        return
    for line in summarize(loaded):
        say(line)


@programs.command()
@click.argument("program")
@click.option("--kind", type=click.Choice(["article", "blog", "book", "journal", "podcast",
                                           "website", "wellness", "local"]),
              help="Only resources of this kind.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON for scripts.")
@click.pass_context
def resources(ctx: click.Context, program: str, kind: str | None, as_json: bool) -> None:
    """List PROGRAM's resources for participants: articles, books, podcasts, websites,
    wellness resources."""
    config = resolve_program(ctx, program).config
    rows = [{"kind": r.kind, "title": r.title, "url": r.url, "note": r.note}
            for r in config.resources if kind is None or r.kind == kind]
    if as_json:
        emit(rows, (), as_json=True)
        return
    if not rows:
        say("(no resources listed; add [[resources]] tables to the program file)")
    for row in rows:
        say(f"[{row['kind']}] {row['title']}" + (f"  <{row['url']}>" if row["url"] else ""))
        if row["note"]:
            say(f"    {row['note']}")


@programs.command()
@click.argument("program")
@click.pass_context
def goals(ctx: click.Context, program: str) -> None:
    """Print PROGRAM's goal template, which each mentee fills in when a group forms."""
    template = resolve_program(ctx, program).config.goals
    say(f"{template.title}: set {template.count}, reviewed {template.review}.")
    for number in range(1, template.count + 1):
        say(f"\nGoal {number}")
        for prompt in template.prompts:
            say(f"  {prompt}\n    ____________________________________________")


@programs.command()
@click.argument("source")
@click.argument("dest", type=click.Path(dir_okay=False, writable=True))
@click.option("--key", help="Key of the new program (lowercase, digits, dashes).")
@click.option("--name", help="Name of the new program.")
@click.option("--force", is_flag=True, help="Overwrite DEST if it exists.")
@click.pass_context
def copy(ctx: click.Context, source: str, dest: str, key: str | None, name: str | None,
         force: bool) -> None:
    """Write a new program file DEST from SOURCE (a shipped key, stored key or file),
    for an institution to edit."""
    if key is not None and not KEY_PATTERN.match(key):
        raise click.BadParameter("use lowercase letters, digits and dashes", param_hint="--key")
    target = Path(dest)
    if target.exists() and not force:
        raise click.ClickException(f"{dest} exists; use --force to overwrite")
    text = renamed_copy(resolve_program(ctx, source).text, key, name)
    info = load_program_text(text, dest).config.program  # it must load back: never a broken file
    write_file(target, text)
    say(f"Wrote {dest} (program {info.key}); edit it, then "
        f"`mentorkit programs validate {dest}`")


def renamed_copy(text: str, key: str | None, name: str | None) -> str:
    """The program file as its author wrote it (comments, order, only the keys they set),
    with a new key and name: tomlkit edits TOML in place, where tomli-w could only write a
    fresh file from the parsed values."""
    import tomlkit  # only this command needs it

    document = tomlkit.parse(text)
    if key:
        document["program"]["key"] = key
    if name:
        document["program"]["name"] = name
    return tomlkit.dumps(document)


def register(cli: click.Group) -> None:
    cli.add_command(programs)
