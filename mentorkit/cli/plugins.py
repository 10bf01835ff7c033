"""``mentorkit plugins``: what is installed and what each plugin provides."""

from __future__ import annotations

import click

from mentorkit.cli.output import emit, say, warn
from mentorkit.kernel.registry import default_registry


@click.group()
def plugins() -> None:
    """Installed plugins and the components they provide."""


@plugins.command("list")
@click.option("--json", "as_json", is_flag=True, help="Print JSON for scripts.")
@click.option("--all", "show_all", is_flag=True, help="Include the core's built-in components.")
def list_plugins(as_json: bool, show_all: bool) -> None:
    """List plugins, their versions and components, and any that failed to load."""
    registry = default_registry()
    rows = []
    for info in registry.loaded.plugins:
        if info.builtin and not show_all:
            continue
        components = [f"{c.concern}: {c.name}" for c in registry.provided_by(info.name)]
        components += [f"criterion: {c.kind}" for c in registry.criteria.values()
                       if c.plugin == info.name]
        rows.append({"name": info.name, "version": info.version or "(core)",
                     "components": components,
                     "error": None})
    rows += [{"name": f.name, "version": "", "components": [], "error": f.error}
             for f in registry.failures]
    if as_json:
        emit(rows, (), as_json=True)
        return
    if not rows:  # the shipped programs need none: their rules are the core's
        say("No plugins installed; `mentorkit plugins list --all` shows the core's components.")
    for row in rows:
        say(f"{row['name']} {row['version']}".rstrip())
        if row["error"]:
            warn(f"  failed to load: {row['error']}")
        for component in row["components"]:
            say(f"  {component}")


def register(cli: click.Group) -> None:
    cli.add_command(plugins)
