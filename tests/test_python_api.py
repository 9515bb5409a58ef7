"""The public Python API: the README's examples run as written, and nothing returned shares state with the input."""

from __future__ import annotations

import dataclasses
import datetime as dt
import doctest
import importlib
import pkgutil
import re
from pathlib import Path

import pytest

import ecmgraph
from ecmgraph import api

README = Path(__file__).resolve().parents[1] / "README.md"


def _readme_examples() -> str:
    """The ``pycon`` blocks of the README's "Python API" section, as one doctest text."""
    text = README.read_text(encoding="utf-8")
    section = text.split("\n## Python API\n", 1)[1].split("\n## ", 1)[0]
    blocks = re.findall(r"```pycon\n(.*?)```", section, re.S)
    assert blocks, "the README's Python API section has no pycon example"
    return "\n".join(blocks)


def test_the_readme_python_examples_run_as_written() -> None:
    parser = doctest.DocTestParser()
    test = parser.get_doctest(_readme_examples(), {}, "README.md (Python API)", str(README), 0)
    runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    runner.run(test)
    result = runner.summarize(verbose=False)
    assert result.attempted > 5 and result.failed == 0


def test_every_public_name_is_the_apis_even_after_every_module_is_imported() -> None:
    for module in pkgutil.walk_packages(ecmgraph.__path__, "ecmgraph."):
        if not module.name.endswith(".__main__"):  # which would run a command
            importlib.import_module(module.name)
    assert sorted(ecmgraph.__all__) == sorted([*api.__all__, "__version__"])
    for name in api.__all__:
        assert getattr(ecmgraph, name) is getattr(api, name)


def test_validate_leaves_the_dataset_as_it_was() -> None:
    data = ecmgraph.load("data/seed/luton.trig")
    before = sorted(map(str, data.store))
    graphs = sorted(map(str, data.store.named_graphs()))
    ecmgraph.validate(data, as_of=dt.date(2009, 6, 1))
    ecmgraph.query("compliance-matrix", {"date": "2009-06-01"}, data=data)
    assert sorted(map(str, data.store)) == before
    assert sorted(map(str, data.store.named_graphs())) == graphs


def test_results_cannot_be_changed_by_the_caller() -> None:
    table = ecmgraph.query("two-tier-area", {"county": "Staffordshire"})
    with pytest.raises(dataclasses.FrozenInstanceError):
        table.rows = ()  # type: ignore[misc]
    assert isinstance(table.rows, tuple) and all(isinstance(row, tuple) for row in table.rows)
    report = ecmgraph.validate(as_of=dt.date(2009, 6, 1), rules=["ECM001"])
    with pytest.raises(dataclasses.FrozenInstanceError):
        report.findings = ()  # type: ignore[misc]
    assert isinstance(report.findings, tuple)
