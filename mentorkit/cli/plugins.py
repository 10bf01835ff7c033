"""``mentorkit plugins``: what is installed and what each plugin provides; the plugin kit (a
new plugin package, and a plugin checked as CI would)."""

from __future__ import annotations

from pathlib import Path

import click

from mentorkit import __version__
from mentorkit.cli.lazy import lazy
from mentorkit.cli.output import done, emit, say, warn
from mentorkit.cli.params import json_option

installed = lazy("mentorkit.services.plugins")
plugin_check = lazy("mentorkit.services.plugin_check")
plugin_kit = lazy("mentorkit.services.plugin_kit")


@click.group()
def plugins() -> None:
    """Installed plugins and the components they provide."""


@plugins.command("list")
@json_option
@click.option("--all", "show_all", is_flag=True, help="Include the core's built-in components.")
def list_plugins(as_json: bool, show_all: bool) -> None:
    """List plugins, their versions and components, and any that failed to load."""
    rows = installed.listing(include_builtin=show_all)
    if as_json:
        emit(rows, (), as_json=True)
        return
    if not rows:  # none installed, or MENTORKIT_LOAD_PLUGINS / _BLOCK_PLUGINS kept them out
        say("No plugins loaded; `mentorkit plugins list --all` shows the core's components.")
    for row in rows:
        say(f"{row.name} {row.version}".rstrip())
        if row.error:
            warn(f"  failed to load: {row.error}")
        for component in row.components:
            say(f"  {component}")


def _plugin_name(ctx: click.Context, param: click.Parameter, value: str) -> str:
    if (problem := plugin_kit.name_problem(value)) is not None:
        raise click.BadParameter(problem)
    return value


@plugins.command("new")
@click.argument("name", callback=_plugin_name)
@click.option("--concern", type=click.Choice(plugin_kit.CONCERNS), default="eligibility",
              show_default=True, help="The concern of the component it starts with.")
@click.option("--dir", "parent", type=click.Path(file_okay=False, path_type=Path),
              default=Path("."), show_default=True, help="The folder to write the package in.")
@json_option
def new(name: str, concern: str, parent: Path, as_json: bool) -> None:
    """Write a new plugin package NAME: a pyproject.toml with its entry point, one component
    of the chosen concern, its docs (README.md) and a test that passes."""
    made = plugin_kit.new_plugin(name, concern, parent, __version__)
    done(as_json, {"distribution": made.distribution, "folder": str(made.folder),
                   "concern": concern, "component": made.component, "module": made.module,
                   "entry_point": made.name, "files": [str(made.folder / f) for f in made.files]},
         f"Wrote {made.distribution} in {made.folder}: {concern} component "
         f"{made.component!r} (module {made.module}, entry point {made.name})",
         *(f"  {made.folder / file}" for file in made.files),
         f"Next: pip install -e {made.folder} && (cd {made.folder} && python -m pytest) && "
         f"mentorkit plugins check {made.folder}")


@plugins.command("check")
@click.argument("targets", nargs=-1, metavar="[NAME|PATH]...")
@json_option
def check(targets: tuple[str, ...], as_json: bool) -> None:
    """Check plugins as CI would: hook implementations match the specs, each component has
    typed Params, a description, problems() for bad parameters and a test. TARGETS are
    plugin folders or installed plugins' names (default: every installed plugin). Exit 1
    with every finding."""
    results = ([r for target in targets for r in plugin_check.check(target)] if targets
               else plugin_check.check_installed())
    if as_json:
        emit(results, (), as_json=True)
    for result in results if not as_json else ():
        verdict = "ok" if not result.findings else f"{len(result.findings)} finding(s)"
        say(f"{result.plugin} ({result.source}): {verdict}")
        for component in result.components:
            say(f"  {component}")
        for finding in result.findings:
            say(f"  - {finding}")
    if not results:
        say("No plugins installed to check.")
    if any(result.findings for result in results):
        raise click.exceptions.Exit(1)


def register(cli: click.Group) -> None:
    cli.add_command(plugins)
