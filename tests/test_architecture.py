"""The structure stays as docs/architecture.md draws it: layers whose imports point down, no
import cycles, the command line built on services and views only, and small modules and
functions. Read from the source's own import statements (every one, wherever it stands, also
those inside functions and under TYPE_CHECKING)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from tests.conftest import ROOT

PACKAGE = ROOT / "mentorkit"

# Which layers each layer may import (itself included): arrows only point down.
MAY_IMPORT = {
    "config": {"config"},
    "kernel": {"kernel", "config"},
    "solvers": {"solvers", "kernel", "config"},
    "storage": {"storage", "kernel", "config"},
    "builtin": {"builtin", "solvers", "kernel", "config"},
    "views": {"views", "storage", "kernel", "config"},
    "services": {"services", "views", "storage", "kernel", "config"},
    "cli": {"cli", "services", "views", "mentorkit"},  # the package: its __version__ only
    "web": {"web", "services", "views"},  # the participants' page, beside the command line
}
MAX_MODULE_LINES = 300
MAX_FUNCTION_LINES = 60
# Where the size rules apply: the product and everything shipped or run beside it.
SIZED = ("mentorkit", "benchmarks", "examples", "docs/example_plugin", "docs/pods_plugin",
         "plugins")


def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {module_name(path): path for path in sorted(PACKAGE.rglob("*.py"))}


def imported(path: Path) -> set[str]:
    """The mentorkit modules (or packages) a module imports, resolved to known names."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            # `from a.b import c` imports module a.b.c if there is one, else names from a.b
            names = [f"{node.module}.{alias.name}" if f"{node.module}.{alias.name}" in MODULES
                     else node.module for alias in node.names]
        elif (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
              and node.func.id == "lazy" and node.args
              and isinstance(node.args[0], ast.Constant) and isinstance(node.args[0].value, str)):
            names = [node.args[0].value]  # lazy("mentorkit.x"): an import made on first use
        else:
            continue
        found |= {name for name in names if name.split(".")[0] == "mentorkit"}
    return found


GRAPH = {name: imported(path) for name, path in MODULES.items()}


def layer(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 and parts[1] in MAY_IMPORT else "mentorkit"


def upward(source: str, targets: set[str]) -> list[str]:
    """The imports of ``source`` that run up or across to a layer it may not use."""
    allowed = MAY_IMPORT[layer(source)]
    return sorted(target for target in targets if layer(target) not in allowed
                  or (layer(target) == "mentorkit" and target != "mentorkit"))


def test_the_graph_is_read():
    assert len(GRAPH) > 60
    assert "mentorkit.services.cadence" in GRAPH["mentorkit.cli.cadence"]  # read from lazy()
    assert "mentorkit.services.proposals" in GRAPH["mentorkit.cli.match"]
    assert "mentorkit.kernel.values" in GRAPH["mentorkit.kernel.concerns"]
    assert upward("mentorkit.storage.models", {"mentorkit.services.lookup"}) == [
        "mentorkit.services.lookup"]
    assert upward("mentorkit.cli.match", {"mentorkit.storage.models"}) == [
        "mentorkit.storage.models"]


@pytest.mark.parametrize("source", sorted(m for m in GRAPH if layer(m) != "mentorkit"))
def test_imports_only_point_down(source):
    found = upward(source, GRAPH[source])
    assert found == [], f"{source} ({layer(source)}) imports {found}: arrows point down"


def test_the_command_line_imports_only_services_and_views():
    for source, targets in GRAPH.items():
        if layer(source) == "cli":
            outside = {t for t in targets if layer(t) not in ("cli", "services", "views")}
            assert outside <= {"mentorkit"}, f"{source} imports {sorted(outside)}"


def test_the_web_layer_imports_only_services_and_views_and_nothing_imports_it():
    assert any(layer(source) == "web" for source in GRAPH)
    for source, targets in GRAPH.items():
        if layer(source) == "web":
            outside = {t for t in targets if layer(t) not in ("web", "services", "views")}
            assert not outside, f"{source} imports {sorted(outside)}"
        else:
            assert not {t for t in targets if layer(t) == "web"}, f"{source} imports web"


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in graph.get(node, ()):
            if target not in graph:
                continue
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1 or node in graph.get(node, ()):
                found.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def test_no_import_cycles():
    assert cycles(GRAPH) == []


def test_the_cycle_finder_finds_a_cycle():
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]


def sized_files():
    for top in SIZED:
        yield from sorted((ROOT / top).rglob("*.py")) if (ROOT / top).exists() else ()


def test_no_module_over_300_lines():
    long = {str(path.relative_to(ROOT)): n for path in sized_files()
            if (n := len(path.read_text().splitlines())) > MAX_MODULE_LINES}
    assert long == {}


def test_no_function_over_60_lines():
    long = {}
    for path in sized_files():
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                lines = node.end_lineno - node.lineno + 1
                if lines > MAX_FUNCTION_LINES:
                    long[f"{path.relative_to(ROOT)}:{node.lineno} {node.name}"] = lines
    assert long == {}


PLUGIN_CODE = sorted(path for pattern in ("plugins/*/mentorkit_*/**/*.py",
                                          "docs/*_plugin/mentorkit_*/**/*.py")
                     for path in ROOT.glob(pattern))


def test_plugins_use_the_public_api_and_the_solvers_only():
    """A plugin's package (mentorkit's own, and the examples) imports what `mentorkit`
    exports and the solvers, a library: nothing else of the core, so the core's modules can
    move. (Its tests may use more, `mentorkit.testing` first.)"""
    assert len(PLUGIN_CODE) >= 10
    for path in PLUGIN_CODE:
        other = sorted(name for name in imported(path) if name != "mentorkit"
                       and not name.startswith("mentorkit.solvers"))
        assert other == [], f"{path.relative_to(ROOT)} imports {other}"
