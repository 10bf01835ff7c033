"""The commands plugins add, each plugin's ``register_commands`` called on its own: one that
raises (even ``SystemExit``) adds nothing, stops no other, and is listed by ``plugins list``;
a command a plugin adds (or attaches to a core group) that raises names the plugin and the
error's type only, like every plugin hook."""

from __future__ import annotations

import functools
from collections.abc import Iterator

import click

from mentorkit.cli.errors import CLICK_FLOW


def leaves(command: click.Command,
           prefix: tuple[str, ...] = ()) -> Iterator[tuple[tuple[str, ...], click.Command]]:
    """(path below ``command``, command) for each command under it that is not a group."""
    if isinstance(command, click.Group):
        for name, sub in command.commands.items():
            yield from leaves(sub, (*prefix, name))
    else:
        yield prefix, command


def contain(command: click.Command, plugin: str) -> None:
    """A plugin's command that raises stops with its plugin's name and the error's type."""
    callback = command.callback
    if callback is None:
        return

    @functools.wraps(callback)
    def contained(*args, **kwargs):
        from mentorkit.services.errors import EXPECTED, PluginError, debugging

        try:
            return callback(*args, **kwargs)
        except CLICK_FLOW:
            raise
        except Exception as error:
            if isinstance(error, EXPECTED) or debugging():
                raise
            raise PluginError(f"{plugin} command {command.name!r} failed: "
                              f"{type(error).__name__}") from error

    command.callback = contained
    command.contained = True


def register(group: click.Group) -> None:
    """Call every loaded plugin's ``register_commands`` with ``group``, each on its own."""
    from mentorkit.services import plugins

    for plugin, hook in plugins.command_hooks():
        before = dict(group.commands)
        try:
            hook(cli=group)
        except (Exception, SystemExit) as error:  # a plugin may not end the program
            group.commands.clear()
            group.commands.update(before)
            plugins.report_failure(plugin, f"register_commands failed: {type(error).__name__}")
            continue
        for name, command in group.commands.items():
            if before.get(name) is not command:
                for _, leaf in leaves(command):
                    contain(leaf, plugin)


def contain_foreign(group: click.Group, names) -> None:
    """Commands a plugin attached to one of the core's groups are contained like its own."""
    for name in names:
        for _, leaf in leaves(group.commands[name]):
            module = getattr(leaf.callback, "__module__", "") or ""
            if not module.startswith("mentorkit.") and not getattr(leaf, "contained", False):
                contain(leaf, module.split(".")[0])
