"""The core knows no shipped shape: what is particular to one program (triads, cohorts, circles,
one-to-one pairs, the MD/PhD track, peer mentors) lives in that program's plugin (plugins/).

The rule, exactly: in every Python file under mentorkit/, no code token (a name, an attribute,
an import path, a string literal, an f-string's text) and no file or folder name contains,
ignoring case, any of the words in SHAPE_WORDS (a shipped program's key among them), once the
names of standards that merely contain one are set aside (NOT_SHAPES: the browsers'
`interest-cohort` permission). Comments and docstrings may use them, as examples of what
plugins do. Data files (the catalog of which
first-party plugin provides a component, kernel/first_party.toml) are data, not code. One file
is exempt: config/upgrade.py, which names the rules the plugins of an earlier mentorkit
shipped, so it can rewrite stored programs into the core's (history, not behaviour).
"""

from __future__ import annotations

import ast
import io
import re
import tokenize
from pathlib import Path

import pytest

from tests.conftest import ROOT

CORE = ROOT / "mentorkit"
SHAPE_WORDS = ("triad", "cohort", "circle", "one-to-one", "one_to_one", "onetoone", "md/phd",
               "mdphd", "md-phd", "peer-mentor", "peer_mentor", "peermentor", "im-residency",
               "lgbtq", "peer-circles")
FOUND = re.compile("|".join(re.escape(word) for word in SHAPE_WORDS), re.IGNORECASE)
NOT_SHAPES = re.compile(r"interest-cohort", re.IGNORECASE)  # a Permissions-Policy feature
EXEMPT = {CORE / "config" / "upgrade.py"}


def docstring_lines(tree: ast.AST) -> set[int]:
    """The lines of every module, class and function docstring."""
    lines: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef):
            first = node.body[0] if node.body else None
            if (isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant)
                    and isinstance(first.value.value, str)):
                lines |= set(range(first.lineno, first.end_lineno + 1))
    return lines


def shape_words_in_code(source: str) -> list[tuple[int, str]]:
    """(line, token) for every code token naming a shipped shape."""
    docs = docstring_lines(ast.parse(source))
    found = []
    for token in tokenize.generate_tokens(io.StringIO(source).readline):
        if token.type not in (tokenize.NAME, tokenize.STRING):
            continue  # comments, operators, numbers
        if token.type == tokenize.STRING and token.start[0] in docs:
            continue
        if FOUND.search(NOT_SHAPES.sub("", token.string)):
            found.append((token.start[0], token.string))
    return found


def test_the_rule_finds_names_and_strings_but_not_comments_or_docstrings():
    source = ('"""Forms triads."""\nimport mentorkit.solvers.triads  # a triad\n'
              'def f():\n    """A circle."""\n    return "cohort", one_to_one\n')
    assert shape_words_in_code(source) == [(2, "triads"), (5, '"cohort"'), (5, "one_to_one")]
    assert shape_words_in_code('POLICY = "camera=(), interest-cohort=()"\n') == []


def core_files() -> list[Path]:
    return sorted(path for path in CORE.rglob("*.py") if path not in EXEMPT)


def test_no_file_or_folder_of_the_core_is_named_for_a_shape():
    named = [str(path.relative_to(ROOT)) for path in CORE.rglob("*")
             if FOUND.search(path.name) and "__pycache__" not in path.parts]
    assert named == []


@pytest.mark.parametrize("path", core_files(), ids=lambda p: str(p.relative_to(CORE)))
def test_no_code_of_the_core_names_a_shipped_shape(path):
    found = shape_words_in_code(path.read_text(encoding="utf-8"))
    assert found == [], (f"{path.relative_to(ROOT)} names a shipped shape in code: {found}; "
                         "what is particular to one program belongs in its plugin (plugins/)")
