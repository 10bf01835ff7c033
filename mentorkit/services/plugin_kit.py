"""``mentorkit plugins new``: a new plugin package, ready to install, test and check.

The package holds what an institution's plugin needs and nothing else: a ``pyproject.toml``
registering it in the ``mentorkit`` entry-point group, one component of the chosen concern
(typed ``Params``, strict ``problems()``, a plain ``describe()``), a README documenting it
with a program file's TOML, and tests that pass as written (they build a small program around
the component with ``mentorkit.testing``). The templates are the files in
``plugin_templates/``; ``mentorkit plugins check`` passes on what they make.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path
from string import Template

import attrs

from mentorkit.kernel.errors import MentorkitError
from mentorkit.storage.files import OutputPathError, private_folder, write_private

TEMPLATES = Path(__file__).with_name("plugin_templates")
NAME = re.compile(r"^[a-z][a-z0-9]*(?:-[a-z0-9]+)*$")
NAME_LENGTH = 40
# per concern: the component's name after the plugin's, and what it does
COMPONENTS = {
    "eligibility": ("answer-starts-with", "an eligibility rule: an answer must start with a "
                                          "prefix (a staff badge, an employee number)."),
    "matching": ("best-pairs", "a matcher: each mentee with the mentor of best fit, one "
                               "mentee per mentor, on mentorkit's assignment solver."),
    "cadence": ("first-contact", "a cadence rule: a group's first contact within days of "
                                 "its start."),
    "confidentiality": ("administrators-only", "a confidentiality policy: sensitive answers "
                                               "for administrators only, and a group for the "
                                               "fields listed."),
}
CONCERNS = tuple(COMPONENTS)


class PluginKitError(MentorkitError, ValueError):
    """The package cannot be written where asked (the folder exists, it cannot be made)."""


@attrs.frozen
class NewPlugin:
    """What ``plugins new`` wrote: where, under which names, and the files."""

    folder: Path
    name: str  # the entry point's name
    distribution: str
    module: str
    component: str
    concern: str
    files: tuple[str, ...]


def name_problem(name: str) -> str | None:
    """Why ``name`` cannot name a plugin; None when it can."""
    if len(name) > NAME_LENGTH or not NAME.match(name):
        return (f"expected at most {NAME_LENGTH} lowercase letters, digits and single dashes, "
                "starting with a letter, like acme-pods")
    return None


def _names(name: str) -> tuple[str, str]:
    """(distribution, module) for plugin ``name``: mentorkit-NAME, mentorkit_NAME."""
    base = name.removeprefix("mentorkit-")
    return f"mentorkit-{base}", f"mentorkit_{base.replace('-', '_')}"


def files_for(name: str, concern: str, core_version: str) -> dict[str, str]:
    """The package's files (path within it: text) for plugin ``name`` of ``concern``."""
    distribution, module = _names(name)
    suffix, summary = COMPONENTS[concern]
    values = {"name": name, "dist": distribution, "module": module, "concern": concern,
              "component": f"{name}.{suffix}", "summary": summary,
              "core_version": core_version}

    def render(template: str) -> str:
        text = (TEMPLATES / f"{template}.tmpl").read_text(encoding="utf-8")
        return Template(text).substitute(values)

    values["component_doc"] = render(f"{concern}.md").strip()
    values["toml"] = render(f"{concern}.toml").strip()
    return {"pyproject.toml": render("pyproject.toml"),
            "README.md": render("README.md"),
            f"{module}/__init__.py": render(f"{concern}.py"),
            f"tests/test_{module}.py": render(f"test_{concern}.py")}


def new_plugin(name: str, concern: str, parent: Path, core_version: str) -> NewPlugin:
    """Write plugin ``name`` as a new folder in ``parent``; an existing folder is never
    touched, and a package written only in part is removed again."""
    if (problem := name_problem(name)) is not None:
        raise PluginKitError(f"plugin name {name!r}: {problem}")
    folder = parent / name
    if folder.exists() or folder.is_symlink():
        raise PluginKitError(f"{folder} exists already: choose another name or --dir")
    files = files_for(name, concern, core_version)
    private_folder(parent)  # written like every output: owner-only, whatever the umask
    private_folder(folder)
    try:
        for relative, text in files.items():
            private_folder((folder / relative).parent)
            write_private(folder / relative, text)
    except OutputPathError:
        shutil.rmtree(folder, ignore_errors=True)
        raise
    distribution, module = _names(name)
    return NewPlugin(folder, name, distribution, module, f"{name}.{COMPONENTS[concern][0]}",
                     concern, tuple(files))
