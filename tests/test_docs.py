"""The docs name tests that exist: a promise pointing at a renamed or deleted test holds nothing."""

from __future__ import annotations

import ast
import functools
import re
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
DOCS = sorted((REPO / "docs").glob("*.md"))
NAMED_TEST = re.compile(r"\b(tests/[\w/]+\.py)::(\w+)")


@functools.cache  # reliability.md names some files dozens of times: parse each once (test_fuzz.py took 2 s)
def defined_tests(path: Path) -> set[str]:
    """The names of the test functions a file defines, at module level or in a class."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return {node.name for node in ast.walk(tree)
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and node.name.startswith("test")}


@pytest.mark.parametrize("doc", DOCS, ids=lambda path: path.name)
def test_every_test_a_doc_names_exists(doc):
    named = NAMED_TEST.findall(doc.read_text(encoding="utf-8"))
    missing = [f"{file}::{name}" for file, name in named
               if not (REPO / file).is_file() or name not in defined_tests(REPO / file)]
    assert not missing, f"{doc.name} names tests that do not exist: {', '.join(missing)}"


def test_the_reliability_page_names_its_tests():
    named = NAMED_TEST.findall((REPO / "docs" / "reliability.md").read_text(encoding="utf-8"))
    assert len(named) > 100  # the check above is not passing for want of names to check
