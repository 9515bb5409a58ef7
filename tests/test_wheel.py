"""A new user's path: build the wheel, install it in a fresh virtual environment, run ecmgraph elsewhere."""

from __future__ import annotations

import subprocess
import sys
import venv
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

# Both tests use one built wheel: with pytest-xdist, run them on one worker so that it is built once.
pytestmark = pytest.mark.xdist_group("wheel")


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The bin/ folder of a fresh virtual environment with the freshly built wheel installed."""
    work = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [sys.executable, "-m", "build", "--wheel", "--no-isolation", "--outdir", str(work / "dist"), str(ROOT)],
        check=True,
        capture_output=True,
    )
    (wheel,) = (work / "dist").glob("ecmgraph-*.whl")
    env_dir = work / "env"
    venv.EnvBuilder(with_pip=True).create(env_dir)
    bin_dir = env_dir / "bin"
    subprocess.run([str(bin_dir / "python"), "-m", "pip", "install", "-q", str(wheel)], check=True, capture_output=True)
    return bin_dir


def ecmgraph(bin_dir: Path, *args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(bin_dir / "ecmgraph"), *args], cwd=cwd, capture_output=True, text=True)


@pytest.mark.slow
def test_the_installed_wheel_carries_the_assets(installed: Path, tmp_path: Path) -> None:
    out = subprocess.run(
        [
            str(installed / "python"),
            "-c",
            "from ecmgraph import resources as r; print(r.ontology_path()); print(r.data_dir())",
        ],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    assert all("site-packages/ecmgraph/assets/" in line for line in out)
    assert Path(out[0]).is_file()
    licences = subprocess.run(
        [
            str(installed / "python"),
            "-c",
            "from importlib.metadata import distribution as d; m = d('ecmgraph'); print(m.metadata['License-Expression']);"
            " print(*(f for f in m.files if f.parent.name == 'licenses' and f.locate().is_file()))",
        ],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.splitlines()
    assert licences[0] == "MIT AND CC-BY-4.0 AND OGL-UK-3.0"
    assert sorted(Path(f).name for f in licences[1].split()) == ["LICENSE", "LICENSE-DATA.md"]


@pytest.mark.slow
def test_the_installed_command_works_from_another_folder(installed: Path, tmp_path: Path) -> None:
    stats = ecmgraph(installed, "stats", cwd=tmp_path)
    assert stats.returncode == 0, stats.stderr
    assert "children's services authorities on" in stats.stdout
    query = ecmgraph(
        installed, "sparql", "SELECT (COUNT(*) AS ?n) WHERE { ?s a owl:Class }", "--format", "csv", cwd=tmp_path
    )
    assert query.returncode == 0, query.stderr
    assert int(query.stdout.splitlines()[1]) > 20
    inferred = ecmgraph(installed, "infer", "--profile", "rdfs", "-o", "inferred.ttl", cwd=tmp_path)
    assert inferred.returncode == 0, inferred.stderr
    assert (tmp_path / "inferred.ttl").stat().st_size > 0
    explained = ecmgraph(installed, "validate", "--explain", "1", cwd=tmp_path)  # the examples ship in the wheel
    assert explained.returncode == 0, explained.stderr
    assert "ECM001 Violation breach: Exampleton:" in explained.stdout
    assert explained.stdout.endswith("No finding for ECM001: the graph conforms to the rule.\n")
    missing = ecmgraph(installed, "stats", "nope.ttl", cwd=tmp_path)
    assert missing.returncode == 3
    assert missing.stderr.startswith("Error: nope.ttl")
