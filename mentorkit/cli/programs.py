"""``mentorkit programs``: check, store, list, show and copy program files, and map a survey
export onto a program's intake."""

from __future__ import annotations

from pathlib import Path

import click

from mentorkit.cli.lazy import lazy
from mentorkit.cli.mapping_text import attrs_dict, map_lines
from mentorkit.cli.output import done, emit, say, warn
from mentorkit.cli.params import ProgramRef, format_options, json_option, program_file_argument
from mentorkit.views.words import plural

programs_service = lazy("mentorkit.services.programs")
errors = lazy("mentorkit.services.errors")
summary = lazy("mentorkit.services.summary")

RESOURCE_KINDS = ("article", "blog", "book", "journal", "podcast", "website", "wellness",
                  "local")


@click.group()
def programs() -> None:
    """Program files: validate, add to the database, list, show, copy."""


@programs.command()
@click.argument("files", nargs=-1, required=True,
                type=click.Path(exists=True, dir_okay=False))
@json_option
def validate(files: tuple[str, ...], as_json: bool) -> None:
    """Check program FILES; print every problem with its key path (all of a file's at
    once), and warn of what is valid but still a shipped program's placeholder."""
    rows = []
    for file in files:
        try:
            program = programs_service.load_program(file)
        except errors.ConfigError as error:
            rows.append({"file": file, "ok": False, "key": None, "warnings": [],
                         "problems": [{"path": p.path, "message": p.message}
                                      for p in error.problems]})
            if not as_json:
                say(str(error), err=True)
            continue
        cautions = programs_service.cautions(program)
        rows.append({"file": file, "ok": True, "key": program.key, "warnings": cautions,
                     "problems": []})
        if not as_json:
            for caution in cautions:
                warn(f"{file}: {caution}")
            say(f"{file}: ok ({program.key})")
    if as_json:
        emit(rows, (), as_json=True)
    failed = sum(1 for row in rows if not row["ok"])
    if failed:
        raise click.ClickException(f"{failed} of {plural(len(files), 'file')} "
                                   f"{'has' if failed == 1 else 'have'} problems")


@programs.command()
@click.argument("file", metavar="FILE|KEY")
@click.option("--force", is_flag=True,
              help="Store a changed file even though it breaks the running cycle (a role "
                   "its people have, a choice they answered, a size its groups have).")
@json_option
@click.pass_context
def add(ctx: click.Context, file: str, force: bool, as_json: bool) -> None:
    """Store the program in FILE in the database (or update it, matched on its key). FILE may
    also be the key of a shipped program (see `programs list --shipped`). A changed file that
    would break the cycle running now is refused, with everything it would break."""
    program, created, broken = programs_service.add(file, ctx.obj.open_db, force)
    for problem in broken:
        warn(f"stored anyway (--force): {problem}")
    cautions = programs_service.cautions(program)
    for caution in cautions:
        warn(caution)
    done(as_json, {"key": program.key, "name": program.config.program.name,
                   "created": created, "forced": list(broken), "warnings": cautions},
         f"{'Added' if created else 'Updated'} program {program.key}: "
         f"{program.config.program.name}")


@programs.command("list")
@json_option
@click.option("--shipped", is_flag=True, help="List the programs shipped with mentorkit instead.")
@click.pass_context
def list_programs(ctx: click.Context, as_json: bool, shipped: bool) -> None:
    """List the programs in the database."""
    if shipped:
        emit([{"key": key, "file": str(path)} for key, path in programs_service.shipped()],
             ("key", "file"), as_json)
        return
    ctx.obj.open_db()
    emit(programs_service.stored(), ("key", "name", "participants", "updated"), as_json)


@programs.command()
@program_file_argument
@click.option("--json", "as_json", is_flag=True,
              help="Print JSON for scripts: the summary's lines and the program's settings.")
def show(program, as_json: bool) -> None:
    """Summarise every rule of PROGRAM (a stored key, a shipped key, or a TOML file)."""
    if as_json:
        emit([{"key": program.key, "name": program.config.program.name,
               "rules": summary.summarize(program), "config": programs_service.settings(program)}],
             (), as_json=True)
        return
    for line in summary.summarize(program):
        say(line)


@programs.command()
@program_file_argument
@click.option("--kind", type=click.Choice(RESOURCE_KINDS), help="Only resources of this kind.")
@json_option
def resources(program, kind: str | None, as_json: bool) -> None:
    """List PROGRAM's resources for participants: articles, books, podcasts, websites,
    wellness resources."""
    rows = [{"kind": r.kind, "title": r.title, "url": r.url, "note": r.note}
            for r in program.config.resources if kind is None or r.kind == kind]
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
@program_file_argument
@json_option
def goals(program, as_json: bool) -> None:
    """Print PROGRAM's goal template, which each mentee fills in when a group forms."""
    template = program.config.goals
    if as_json:
        emit([{"title": template.title, "count": template.count, "review": template.review,
               "prompts": list(template.prompts)}], (), as_json=True)
        return
    say(f"{template.title}: set {template.count}, reviewed {template.review}.")
    for number in range(1, template.count + 1):
        say(f"\nGoal {number}")
        for prompt in template.prompts:
            say(f"  {prompt}\n    ____________________________________________")


@programs.command()
@click.argument("source", type=ProgramRef(database=False))
@click.argument("dest", type=click.Path(dir_okay=False, writable=True, path_type=Path))
@click.option("--key", help="Key of the new program (lowercase, digits, dashes).")
@click.option("--name", help="Name of the new program.")
@click.option("--force", is_flag=True, help="Overwrite DEST if it exists.")
@json_option
def copy(source, dest: Path, key: str | None, name: str | None, force: bool,
         as_json: bool) -> None:
    """Write a new program file DEST from SOURCE (a shipped key, stored key or file),
    for an institution to edit; comments and layout are kept."""
    if key is not None and not programs_service.valid_key(key):
        raise click.BadParameter("use lowercase letters, digits and dashes", param_hint="--key")
    if dest.exists() and not force:
        raise click.ClickException(f"{dest} exists; use --force to overwrite")
    copied = programs_service.copy(source, dest, key, name)
    done(as_json, {"file": str(dest), "key": copied.key, "name": copied.config.program.name},
         f"Wrote {dest} (program {copied.key}); edit it (its contact, its dates), then "
         f"`mentorkit programs validate {dest}`")


@programs.command("map")
@program_file_argument
@click.argument("export", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@format_options
@click.option("--write", "dest", type=click.Path(dir_okay=False, path_type=Path),
              help="Add the mapping to this program file (comments kept; started from "
                   "PROGRAM's own file if it does not exist).")
@json_option
@click.pass_context
def map_(ctx: click.Context, program, export: Path, fmt: str | None, dictionary: Path | None,
         dest: Path | None, as_json: bool) -> None:
    """Propose how the survey export EXPORT feeds PROGRAM's intake: which column feeds each
    field, which answers map to which options, and those that map to none. Exit 1 while the
    mapping is incomplete (a required field without a column, an answer without an option)."""
    from mentorkit.services import mapping, mapping_file

    found = mapping.propose(program, export, fmt, dictionary)
    if as_json:
        emit([attrs_dict(found)], (), as_json=True)
    else:
        for line in map_lines(found):
            say(line)
    if dest is not None:
        changes = mapping_file.write_mapping(program, found, dest)
        say(f"Wrote {plural(len(changes), 'change')} to {dest}"
            + "".join(f"\n  {c}" for c in changes))
        say(f"Check it: mentorkit participants import {program.key} {export} --dry-run "
            f"(after `mentorkit programs add {dest}`)")
    elif not as_json:
        say(f"To write it: mentorkit programs map {program.key} {export} --write FILE")
    if not found.complete:
        ctx.exit(1)


def register(cli: click.Group) -> None:
    cli.add_command(programs)
