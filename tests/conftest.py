"""Shared fixtures: the CLI runner and the paths of the test fixtures."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

import importlib.util
import sys
from types import ModuleType

import pytest
from click.testing import CliRunner, Result

from ecmgraph.cli import cli

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = Path(__file__).parent / "fixtures"
SEEDS = Path(__file__).resolve().parents[2] / "shared" / "seeds"


@pytest.fixture
def fixtures() -> Path:
    """The folder of test fixtures."""
    return FIXTURES


@pytest.fixture
def run() -> Callable[..., Result]:
    """Run ``ecmgraph ARGS…`` in-process; stdout and stderr are captured apart."""
    runner = CliRunner()

    def invoke(args: Sequence[str], input: str | bytes | None = None) -> Result:
        return runner.invoke(cli, list(args), input=input, catch_exceptions=False)

    return invoke


def load_script(name: str) -> ModuleType:
    """``scripts/NAME.py`` imported as a module (scripts are not part of the package); skips if absent."""
    script = ROOT / "scripts" / f"{name}.py"
    if not script.is_file():
        pytest.skip("scripts/ is not in this tree (an installed wheel)")
    if name in sys.modules:
        return sys.modules[name]
    spec = importlib.util.spec_from_file_location(name, script)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module  # dataclasses look their module up while the class is built
    spec.loader.exec_module(module)
    return module
