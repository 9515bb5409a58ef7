"""Shared fixtures: the CLI runner and the paths of the test fixtures."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from ecmgraph.cli import cli

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
