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
    subprocess.run(
        [sys.executable, str(BENCH / "generate.py"), "--scale", scale, "--out", str(out), *extra],
        check=True,
        capture_output=True,
        cwd=ROOT,
    )
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
    assert all(
        e["severity"] in ("Violation", "Warning", "Info") and e["kind"] in ("breach", "gap") for e in first["expected"]
    )
    assert first["as_of"] == "2026-01-01"


def test_generator_turtle_and_ntriples_hold_the_same_graph(tmp_path: Path) -> None:
    manifest = _generate(tmp_path, "0.02")
    nt = set(ox.parse(path=str(tmp_path / "england-synthetic.nt"), format=ox.RdfFormat.N_TRIPLES))
    ttl = set(ox.parse(path=str(tmp_path / "england-synthetic.ttl"), format=ox.RdfFormat.TURTLE))
    assert nt == ttl
    assert len(nt) == manifest["triples"]
    # Every injected focus node is in the data, apart from a rule's own absent things (a missing LSCB, say).
    subjects = {str(t.subject)[1:-1] for t in nt} | {str(t.object)[1:-1] for t in nt}
    assert all(
        e["focus"] in subjects or e["focus"].startswith("https://w3id.org/ecmgraph/def#") for e in manifest["expected"]
    )


def test_fractional_scales_grow_with_the_scale(tmp_path: Path) -> None:
    small = _generate(tmp_path / "s", "0.05", "--formats", "nt")
    large = _generate(tmp_path / "l", "0.2", "--formats", "nt")
    assert small["units"] < large["units"]
    assert small["triples"] < large["triples"]


@pytest.mark.slow
def test_the_runner_measures_every_part_and_its_checks_pass_at_a_tiny_scale(tmp_path: Path) -> None:
    report = tmp_path / "bench.json"
    plot = tmp_path / "bench.png"
    proc = subprocess.run(
        [
            sys.executable,
            str(BENCH / "run.py"),
            "--scale",
            "0.01",
            "--repeat",
            "1",
            "--json",
            str(report),
            "--plot",
            str(plot),
            "--data-dir",
            str(tmp_path / "data"),
            "--timeout",
            "10",
        ],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=300,
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
    # ecmgraph's own parts run to the end (an Oxigraph server comes with the test extra); its peers may be stopped
    # at the time limit (10 s here), which is a measurement too
    for name in ("validate.ecmgraph", "validate.cli", "query.ecmgraph", "endpoint.validate", "endpoint.query"):
        assert m[name]["status"] == "ok", (name, m[name])
    for name in ("validate.pyshacl", "validate.pyshacl_owlrl", "query.rdflib"):
        assert m[name]["status"] in ("ok", "timeout"), (name, m[name])
    assert result["startup"]["startup.help"]["status"] == "ok"
    goal_ids = {g["id"] for g in result["goals"]}
    assert {
        "validate-after-load",
        "validate-end-to-end",
        "vs-pyshacl",
        "vs-pyshacl-owlrl",
        "query-latency",
        "query-vs-rdflib",
        "memory",
        "endpoint-validate",
        "endpoint-query",
        "startup-help",
        "startup-query-run",
        "linear",
    } <= goal_ids
    assert all({"goal", "limit", "measured", "met"} <= set(g) for g in result["goals"])
    checks = run["checks"]
    assert checks["injected_violations"]["status"] == "passed", checks["injected_violations"]
    assert checks["injected_violations"]["found"] >= checks["injected_violations"]["expected"] > 0
    # pySHACL's findings are compared when it finished; the server's always
    agree = checks["engines_agree"]
    for name in ("validate.pyshacl", "validate.pyshacl_owlrl"):
        assert agree[name]["status"] == ("agree" if m[name]["status"] == "ok" else "skipped"), (name, agree[name])
    assert agree["endpoint.validate"]["status"] == "agree", agree["endpoint.validate"]
    rows = checks["query_rows_agree"]
    assert rows["status"] == "passed", rows
    assert rows["not_compared"]["compliance-matrix"] == "needs a validation report"
    assert rows["compared"] + len(rows["not_compared"]) == len(m["query.ecmgraph"]["queries"]) >= 18
    assert rows["compared"] >= 1
    if importlib.util.find_spec("matplotlib") is not None:
        assert plot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


@pytest.mark.slow
def test_publish_is_measured_with_its_floor_the_same_files_written_again(tmp_path: Path) -> None:
    report = tmp_path / "bench.json"
    argv = [sys.executable, str(BENCH / "run.py"), "--scale", "0.01", "--repeat", "1", "--parts", "publish"]
    argv += ["--json", str(report), "--data-dir", str(tmp_path / "data"), "--timeout", "240"]
    proc = subprocess.run(argv, capture_output=True, text=True, cwd=ROOT, timeout=600)
    assert proc.returncode == 0, proc.stderr[-2000:]
    m = json.loads(report.read_text(encoding="utf-8"))["runs"][0]["measurements"]
    assert m["publish.cli"]["status"] == "ok" and m["validate.cli"]["status"] == "ok", m
    floor = m["publish.floor"]
    assert floor["status"] == "ok" and floor["seconds"] > 0, floor
    assert floor["files"] > 1_000 and floor["bytes"] > floor["files"]  # the packaged ontology's pages and more
    assert "publish's floor" in proc.stdout


@pytest.mark.parametrize("scale", ["0", "-1", "x"])
def test_generator_refuses_a_bad_scale(tmp_path: Path, scale: str) -> None:
    proc = subprocess.run(
        [sys.executable, str(BENCH / "generate.py"), "--scale", scale, "--out", str(tmp_path)],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    assert proc.returncode != 0


def _figures(scale: float, repeat: int, load: float, query: float) -> dict:
    """A run's JSON as bench/run.py writes it, cut down to what --combine reads (figures made up for the test)."""

    def ok(seconds: float) -> dict:
        return {"status": "ok", "seconds": seconds, "peak_rss_mib": 400.0 * scale}

    return {
        "schema_version": 1,
        "machine": {"cpus": 2, "memory_gib": 23.0, "python": "3.11", "ecmgraph_commit": "abc1234"},
        "settings": {"scales": [scale], "repeat": repeat},
        "startup": {"startup.help": ok(0.1)},
        "total_seconds": 60,
        "runs": [
            {
                "scale": scale,
                "triples": int(1_000_000 * scale),
                "units": 173,
                "checks": {},
                "measurements": {
                    "load.pyoxigraph.nt": ok(load),
                    "load.ecmgraph.nt": ok(load),
                    "validate.ecmgraph": ok(load / 2),
                    "query.ecmgraph": {**ok(query), "queries": {"vacant-posts": ok(query)}},
                },
            }
        ],
    }


def test_combine_joins_runs_of_two_scales_and_works_out_the_linearity_goal(tmp_path: Path) -> None:
    one, ten = tmp_path / "scale1.json", tmp_path / "scale10.json"
    one.write_text(json.dumps(_figures(1.0, 3, load=4.0, query=0.01)), encoding="utf-8")
    ten.write_text(json.dumps(_figures(10.0, 1, load=44.0, query=0.13)), encoding="utf-8")
    out = tmp_path / "both.json"
    proc = subprocess.run(
        [sys.executable, str(BENCH / "run.py"), "--combine", str(ten), str(one), "--json", str(out)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
    )
    assert proc.returncode == 0, proc.stderr
    result = json.loads(out.read_text(encoding="utf-8"))
    assert [(r["scale"], r["repeat"]) for r in result["runs"]] == [(1.0, 3), (10.0, 1)]
    (linear,) = [g for g in result["goals"] if g["id"] == "linear"]
    assert linear["per_part"] == {
        "load.pyoxigraph.nt": 11.0,
        "load.ecmgraph.nt": 11.0,
        "validate.ecmgraph": 11.0,
        "query.ecmgraph.vacant-posts": 13.0,
    }
    assert linear["measured"] == 13.0 and linear["met"] is False
    assert [f["file"] for f in result["settings"]["combined_from"]] == [str(ten), str(one)]
    assert "median of 3" in proc.stdout and "median of 1" in proc.stdout


def test_combine_refuses_two_runs_of_one_scale(tmp_path: Path) -> None:
    a, b = tmp_path / "a.json", tmp_path / "b.json"
    for path in (a, b):
        path.write_text(json.dumps(_figures(1.0, 3, load=4.0, query=0.01)), encoding="utf-8")
    proc = subprocess.run(
        [sys.executable, str(BENCH / "run.py"), "--combine", str(a), str(b)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
    )
    assert proc.returncode == 1
    assert proc.stderr.startswith("Error: ") and "scale 1 is in two of the files" in proc.stderr


def test_a_query_that_reads_a_validation_report_is_compared_with_pyshacl_not_with_its_bare_text(tmp_path: Path) -> None:
    figures = _figures(1.0, 3, load=4.0, query=0.01)
    m = figures["runs"][0]["measurements"]
    m["query.ecmgraph"]["queries"]["compliance-matrix"] = {"status": "ok", "seconds": 2.0, "rows": 297}
    m["query.ecmgraph"]["queries"]["vacant-posts"]["rows"] = 12
    # rdflib ran the matrix's text without a report (as runs before this change did): no rows, and quickly
    m["query.rdflib"] = {
        "status": "ok",
        "seconds": 0.6,
        "queries": {
            "vacant-posts": {"status": "ok", "seconds": 0.3, "rows": 12},
            "compliance-matrix": {"status": "ok", "seconds": 0.5, "rows": 0},
        },
    }
    m["validate.pyshacl"] = {"status": "timeout", "seconds_lower_bound": 600.0}
    path, out = tmp_path / "scale1.json", tmp_path / "out.json"
    path.write_text(json.dumps(figures), encoding="utf-8")
    proc = subprocess.run(
        [sys.executable, str(BENCH / "run.py"), "--combine", str(path), "--json", str(out)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
    )
    assert proc.returncode == 0, proc.stderr
    result = json.loads(out.read_text(encoding="utf-8"))
    rows = result["runs"][0]["checks"]["query_rows_agree"]
    assert rows["status"] == "passed" and rows["compared"] == 1 and list(rows["not_compared"]) == ["compliance-matrix"]
    (versus,) = [g for g in result["goals"] if g["id"] == "query-vs-rdflib"]
    assert versus["per_query_ratio"] == {"compliance-matrix": 300.0, "vacant-posts": 30.0}
    assert versus["measured"] == 30.0 and versus["met"] is True
    assert "| compliance-matrix        |     2.00 s |    > 600 s |" in proc.stdout


def test_the_plot_draws_a_stopped_run_as_a_lower_bound_and_leaves_out_an_incomplete_sum() -> None:
    spec = importlib.util.spec_from_file_location("bench_run", BENCH / "run.py")
    run = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(run)
    assert run._plot_point({"status": "timeout", "seconds_lower_bound": 600.0}) == (600.0, True)
    assert run._plot_point({"status": "ok", "seconds": 2.5, "queries": {"a": {"status": "ok"}}}) == (2.5, False)
    assert (
        run._plot_point(
            {"status": "ok", "seconds": 33.0, "queries": {"a": {"status": "ok"}, "b": {"status": "timeout"}}}
        )
        is None
    )
    assert run._plot_point({"status": "error", "reason": "MemoryError"}) is None


@pytest.mark.parametrize(("stopped", "met"), [(600.0, True), (10.0, None), (300.0, True)])
def test_pyshacl_stopped_early_meets_the_goal_only_by_the_600_s_limit_or_the_ratio(
    tmp_path: Path, stopped: float, met: bool | None
) -> None:
    figures = _figures(1.0, 3, load=4.0, query=0.01)  # ecmgraph validates in 2 s: 300 s is 150x, 10 s is 5x
    figures["runs"][0]["measurements"]["validate.pyshacl"] = {"status": "timeout", "seconds_lower_bound": stopped}
    path, out = tmp_path / "scale1.json", tmp_path / "out.json"
    path.write_text(json.dumps(figures), encoding="utf-8")
    proc = subprocess.run(
        [sys.executable, str(BENCH / "run.py"), "--combine", str(path), "--json", str(out)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
    )
    assert proc.returncode == 0, proc.stderr
    (goal,) = [g for g in json.loads(out.read_text(encoding="utf-8"))["goals"] if g["id"] == "vs-pyshacl"]
    assert goal["met"] is met and goal["measured"] == stopped / 2.0
