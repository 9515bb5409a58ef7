"""The house rules of the package's layout: small modules, every vocabulary IRI in one place."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "ecmgraph"
MODULES = sorted(PACKAGE.rglob("*.py"))
#: Hosts of the vocabularies and identifiers ecmgraph uses: their IRIs belong in ecmgraph/namespaces.py.
VOCABULARY_HOSTS = re.compile(
    r"https?://(?:w3id\.org|www\.w3\.org|purl\.org|xmlns\.com|www\.legislation\.gov\.uk|statistics\.data\.gov\.uk|"
    r"rdfs\.org|data\.ordnancesurvey\.co\.uk|reference\.data\.gov\.uk)/"
)
#: Prose for people (the generated queries/README.md), where example IRIs are text, not vocabulary.
PROSE = {PACKAGE / "queries" / "docs.py"}


def _code_strings(path: Path) -> list[tuple[int, str]]:
    """The string constants of a module that are not docstrings, with their line numbers."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    docstrings = {
        id(node.body[0].value)
        for node in ast.walk(tree)
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef))
        and node.body
        and isinstance(node.body[0], ast.Expr)
        and isinstance(node.body[0].value, ast.Constant)
    }
    return [
        (node.lineno, node.value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docstrings
    ]


@pytest.mark.parametrize("path", MODULES, ids=lambda p: str(p.relative_to(PACKAGE)))
def test_no_module_is_over_500_lines(path: Path) -> None:
    assert len(path.read_text(encoding="utf-8").splitlines()) <= 500


@pytest.mark.parametrize(
    "path",
    [m for m in MODULES if m.name != "namespaces.py" and m not in PROSE],
    ids=lambda p: str(p.relative_to(PACKAGE)),
)
def test_vocabulary_iris_are_written_only_in_namespaces(path: Path) -> None:
    found = [(line, text[:80]) for line, text in _code_strings(path) if VOCABULARY_HOSTS.search(text)]
    assert found == [], "write these through ecmgraph.namespaces (ECM, RDF, XSD, the graph names…)"


def test_the_scan_finds_an_iri_written_by_hand(tmp_path: Path) -> None:
    module = tmp_path / "m.py"
    module.write_text(
        '"""Doc with https://w3id.org/ecmgraph/def# is fine."""\nX = "http://www.w3.org/2001/XMLSchema#date"\n'
    )
    assert [line for line, text in _code_strings(module) if VOCABULARY_HOSTS.search(text)] == [2]
