"""The benchmark at a tiny scale, so that it never rots: the generator and the runner, end to end.

The full benchmark (bench/README.md) takes minutes to hours; this runs it on about 60,000 triples with one
repetition, and checks what it writes rather than how fast anything is.
"""

from __future__ import annotations

import importlib.util
import json
import subprocess
import sys
from pathlib import Path

import pyoxigraph as ox
import pytest

ROOT = Path(__file__).resolve().parents[1]
BENCH = ROOT / "bench"
RULES = [f"ECM{n:03d}" for n in range(1, 28)]


def _generate(out: Path, scale: str, *extra: str) -> dict:
    subprocess.run([sys.executable, str(BENCH / "generate.py"), "--scale", scale, "--out", str(out), *extra],
                   check=True, capture_output=True, cwd=ROOT)
    return json.loads((out / "manifest.json").read_text(encoding="utf-8"))


def test_generator_is_deterministic_and_injects_every_rule(tmp_path: Path) -> None:
    first = _generate(tmp_path / "a", "0.01")
    second = _generate(tmp_path / "b", "0.01")
    for name in ("england-synthetic.nt", "england-synthetic.ttl", "manifest.json"):
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes(), name
    assert first == second
    assert sorted(first["by_rule"]) == RULES
    assert all(first["by_rule"][rule]["injected"] >= 1 for rule in RULES)
    assert {e["rule"] for e in first["expected"]} == set(RULES)
    assert all(e["severity"] in ("Violation", "Warning", "Info") and e["kind"] in ("breach", "gap")
               for e in first["expected"])
    assert first["as_of"] == "2026-01-01"


def test_generator_turtle_and_ntriples_hold_the_same_graph(tmp_path: Path) -> None:
    manifest = _generate(tmp_path, "0.02")
    nt = set(ox.parse(path=str(tmp_path / "england-synthetic.nt"), format=ox.RdfFormat.N_TRIPLES))
    ttl = set(ox.parse(path=str(tmp_path / "england-synthetic.ttl"), format=ox.RdfFormat.TURTLE))
    assert nt == ttl
    assert len(nt) == manifest["triples"]
    # Every injected focus node is in the data, apart from a rule's own absent things (a missing LSCB, say).
    subjects = {str(t.subject)[1:-1] for t in nt} | {str(t.object)[1:-1] for t in nt}
    assert all(e["focus"] in subjects or e["focus"].startswith("https://w3id.org/ecmgraph/def#")
               for e in manifest["expected"])


def test_fractional_scales_grow_with_the_scale(tmp_path: Path) -> None:
    small = _generate(tmp_path / "s", "0.05", "--formats", "nt")
    large = _generate(tmp_path / "l", "0.2", "--formats", "nt")
    assert small["units"] < large["units"]
    assert small["triples"] < large["triples"]


def test_runner_smoke(tmp_path: Path) -> None:
    report = tmp_path / "bench.json"
    plot = tmp_path / "bench.png"
    proc = subprocess.run(
        [sys.executable, str(BENCH / "run.py"), "--scale", "0.01", "--repeat", "1", "--json", str(report),
         "--plot", str(plot), "--data-dir", str(tmp_path / "data"), "--timeout", "10"],
        capture_output=True, text=True, cwd=ROOT, timeout=300,
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    result = json.loads(report.read_text(encoding="utf-8"))
    assert {"schema_version", "machine", "settings", "runs", "startup", "goals"} <= set(result)
    assert result["settings"]["repeat"] == 1
    (run,) = result["runs"]
    assert run["scale"] == 0.01 and run["triples"] > 10_000
    m = run["measurements"]
    for name in ("load.rdflib.nt", "load.pyoxigraph.nt", "load.ecmgraph.nt", "load.rdflib.ttl", "load.pyoxigraph.ttl"):
        assert m[name]["status"] == "ok", (name, m[name])
        assert m[name]["seconds"] > 0 and m[name]["peak_rss_mib"] > 0
    for name in ("validate.ecmgraph", "validate.pyshacl", "validate.pyshacl_owlrl", "validate.cli",
                 "query.ecmgraph", "query.rdflib", "endpoint.validate", "endpoint.query"):
        # "timeout": the time limit (10 s here) is a measurement; "skipped": nothing to compare it with
        assert m[name]["status"] in ("ok", "unavailable", "timeout", "skipped"), (name, m[name])
        if m[name]["status"] == "unavailable":
            assert m[name]["reason"].startswith("not available yet: ")
    assert result["startup"]["startup.help"]["status"] == "ok"
    goal_ids = {g["id"] for g in result["goals"]}
    assert {"validate-after-load", "validate-end-to-end", "vs-pyshacl", "vs-pyshacl-owlrl", "query-latency",
            "query-vs-rdflib", "memory", "endpoint-validate", "endpoint-query", "startup-help", "startup-query-run",
            "linear"} <= goal_ids
    assert all({"goal", "limit", "measured", "met"} <= set(g) for g in result["goals"])
    injected = run["checks"]["injected_violations"]
    if importlib.util.find_spec("ecmgraph.validation") is not None and m["validate.ecmgraph"]["status"] == "ok":
        assert injected["status"] == "passed", injected
        assert run["checks"]["engines_agree"]["validate.pyshacl"]["status"] in ("agree", "skipped"), run["checks"]
    else:
        assert injected["status"] == "skipped"
    if importlib.util.find_spec("matplotlib") is not None:
        assert plot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


@pytest.mark.parametrize("scale", ["0", "-1", "x"])
def test_generator_refuses_a_bad_scale(tmp_path: Path, scale: str) -> None:
    proc = subprocess.run([sys.executable, str(BENCH / "generate.py"), "--scale", scale, "--out", str(tmp_path)],
                          capture_output=True, text=True, cwd=ROOT)
    assert proc.returncode != 0
