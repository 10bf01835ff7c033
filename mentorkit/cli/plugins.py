"""``mentorkit plugins``: what is installed and what each plugin provides."""

from __future__ import annotations

import click

from mentorkit.cli.lazy import lazy
from mentorkit.cli.output import emit, say, warn
from mentorkit.cli.params import json_option

installed = lazy("mentorkit.services.plugins")


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
    if not rows:  # the shipped programs need none: their rules are the core's
        say("No plugins installed; `mentorkit plugins list --all` shows the core's components.")
    for row in rows:
        say(f"{row.name} {row.version}".rstrip())
        if row.error:
            warn(f"  failed to load: {row.error}")
        for component in row.components:
            say(f"  {component}")


def register(cli: click.Group) -> None:
    cli.add_command(plugins)
