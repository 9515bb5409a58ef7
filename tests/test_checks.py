"""The project's checks pass: lint and format (ruff), types (mypy, strict on the package) and the architecture's
layers (import-linter's contract in pyproject.toml). They run with the slow tests, so CI runs them."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent


@pytest.mark.slow
@pytest.mark.parametrize(
    "command",
    [["ruff", "check"], ["ruff", "format", "--check"], ["mypy"], ["lint-imports"]],
    ids=["ruff-check", "ruff-format", "mypy", "import-layers"],
)
def test_the_check_passes(command: list[str]) -> None:
    tool = BIN / command[0] if (BIN / command[0]).exists() else shutil.which(command[0])
    assert tool, f"{command[0]} is not installed: pip install -e '.[test]' brings it"
    done = subprocess.run([str(tool), *command[1:]], cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stdout[-4000:] + done.stderr[-2000:]
