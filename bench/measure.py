#!/usr/bin/env python3
"""One measurement in its own process, so that its peak memory is its own: ``bench/run.py`` calls this.

    python bench/measure.py TASK 'JSON ARGUMENTS'

prints one JSON object on its last line of stdout: ``{"status": "ok", "seconds": …, "peak_rss_kib": …, …}``, or
``{"status": "unavailable", "reason": "not available yet: …"}`` when the ecmgraph code a task needs does not exist
yet. ``seconds`` times only the operation (not the interpreter's start-up or imports), except for the ``cli`` task,
which times a whole command from the outside.
"""

from __future__ import annotations

import json
import os
import resource
import signal
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import adapters  # noqa: E402  (bench/adapters.py: the only place that knows ecmgraph's API)
from adapters import Unavailable  # noqa: E402


def _peak_rss_kib(children: bool = False) -> int:
    who = resource.RUSAGE_CHILDREN if children else resource.RUSAGE_SELF
    return int(resource.getrusage(who).ru_maxrss)  # KiB on Linux


def rdflib_load(file: str, format: str) -> dict[str, Any]:
    import rdflib

    began = time.perf_counter()
    graph = rdflib.Graph()
    graph.parse(file, format={"nt": "nt", "ttl": "turtle"}[format])
    return {"seconds": time.perf_counter() - began, "triples": len(graph)}


def pyoxigraph_load(file: str, format: str, bulk: bool = False) -> dict[str, Any]:
    import pyoxigraph as ox

    fmt = {"nt": ox.RdfFormat.N_TRIPLES, "ttl": ox.RdfFormat.TURTLE}[format]
    began = time.perf_counter()
    store = ox.Store()
    if bulk:
        store.bulk_load(path=file, format=fmt)
    else:
        store.load(path=file, format=fmt)
    return {"seconds": time.perf_counter() - began, "triples": len(store)}


def ecmgraph_load(file: str) -> dict[str, Any]:
    began = time.perf_counter()
    dataset, note = adapters.load(file)
    seconds = time.perf_counter() - began
    return {"seconds": seconds, "quads": len(dataset.store), "note": note}


def ecmgraph_validate(
    file: str, as_of: str, engine: str, inference: str, findings: str | None = None
) -> dict[str, Any]:
    """Load with ecmgraph, then validate (every rule); time the two apart. Writes the findings to ``findings``."""
    validate = adapters.validator()  # raises Unavailable before anything is loaded
    began = time.perf_counter()
    dataset, note = adapters.load(file)
    loaded = time.perf_counter()
    results = validate(dataset, as_of=as_of, engine=engine, inference=inference)
    done = time.perf_counter()
    if findings:
        Path(findings).write_text(json.dumps(results, indent=0) + "\n", encoding="utf-8")
    return {"seconds": done - loaded, "load_seconds": loaded - began, "results": len(results), "note": note}


def ecmgraph_queries(
    file: str | None, repeat: int, params: dict[str, str], endpoint: str | None = None, texts_out: str | None = None
) -> dict[str, Any]:
    """Every packaged query, ``repeat`` times each after one load (or against ``endpoint``): median seconds and rows.

    With ``texts_out``, also writes each query's text with its parameters bound, for rdflib to run the same.
    """
    queries = adapters.packaged_queries()
    run = adapters.query_runner(endpoint)
    began = time.perf_counter()
    dataset = None if endpoint else adapters.load(file)[0]  # type: ignore[arg-type]
    load_seconds = time.perf_counter() - began
    if texts_out and dataset is not None:
        import pyoxigraph as ox

        Path(texts_out).write_text(json.dumps(adapters.bound_query_texts(dataset, params)), encoding="utf-8")
        # What ecmgraph holds (every named graph: data, ontology, provenance), for rdflib to query the same.
        with open(Path(texts_out).with_suffix(".nq"), "wb") as handle:
            dataset.store.dump(handle, format=ox.RdfFormat.N_QUADS)
    per_query: dict[str, Any] = {}
    for name in queries:
        times, rows = [], None
        try:
            for _ in range(repeat):
                t0 = time.perf_counter()
                rows = run(dataset, name, params)
                times.append(time.perf_counter() - t0)
        except Exception as exc:  # one query failing is a finding to report, not the end of the run
            per_query[name] = {"status": "error", "reason": f"{type(exc).__name__}: {exc}"[:300]}
            continue
        per_query[name] = {"status": "ok", "seconds": statistics.median(times), "runs": times, "rows": rows}
    return {
        "seconds": sum(q.get("seconds", 0.0) for q in per_query.values()),
        "load_seconds": load_seconds,
        "queries": per_query,
    }


def rdflib_queries(repeat: int, texts: str, timeout: float = 120.0) -> dict[str, Any]:
    """The same packaged queries, bound as ecmgraph bound them, on rdflib's SPARQL engine over the same quads.

    ``texts`` is the JSON file the ecmgraph-queries task wrote; beside it, ``.nq``, every quad ecmgraph held (data,
    ontology and provenance graphs), loaded here into an ``rdflib.Dataset`` whose default graph is the union of its
    graphs, as ecmgraph queries it.
    """
    import rdflib

    if not Path(texts).is_file():
        raise Unavailable("the packaged queries did not run on ecmgraph, so there is nothing to compare")
    query_texts: dict[str, str] = json.loads(Path(texts).read_text(encoding="utf-8"))
    began = time.perf_counter()
    graph = rdflib.Dataset(default_union=True)
    graph.parse(str(Path(texts).with_suffix(".nq")), format="nquads")
    load_seconds = time.perf_counter() - began
    per_query: dict[str, Any] = {}

    def stop(signum: int, frame: object) -> None:
        raise TimeoutError

    signal.signal(signal.SIGALRM, stop)
    for name, text in query_texts.items():
        times, rows = [], None
        try:
            for _ in range(repeat):
                t0 = time.perf_counter()
                signal.setitimer(signal.ITIMER_REAL, timeout)  # rdflib is pure Python: the alarm interrupts it
                try:
                    rows = len(list(graph.query(text)))
                finally:
                    signal.setitimer(signal.ITIMER_REAL, 0)
                times.append(time.perf_counter() - t0)
        except TimeoutError:
            per_query[name] = {
                "status": "timeout",
                "reason": f"stopped after {timeout:.0f} s",
                "seconds_lower_bound": timeout,
            }
            continue
        except Exception as exc:
            per_query[name] = {"status": "error", "reason": f"{type(exc).__name__}: {exc}"[:300]}
            continue
        per_query[name] = {"status": "ok", "seconds": statistics.median(times), "runs": times, "rows": rows}
    return {
        "seconds": sum(q.get("seconds", 0.0) for q in per_query.values()),
        "load_seconds": load_seconds,
        "queries": per_query,
    }


def endpoint_validate(endpoint: str, as_of: str, findings: str | None = None) -> dict[str, Any]:
    validate = adapters.remote_validator()
    began = time.perf_counter()
    results = validate(endpoint, as_of=as_of)
    seconds = time.perf_counter() - began
    if findings:
        Path(findings).write_text(json.dumps(results, indent=0) + "\n", encoding="utf-8")
    return {"seconds": seconds, "results": len(results)}


def export_normalised(file: str, out: str) -> dict[str, Any]:
    """What an Oxigraph server must hold to answer as the local store does: the loaded (normalised) dataset, as N-Quads."""
    began = time.perf_counter()
    count = adapters.export_for_server(file, out)
    return {"seconds": time.perf_counter() - began, "quads": count}


def cli(argv: list[str], timeout: float | None = None) -> dict[str, Any]:
    """Run a whole command; its wall time and the peak RSS of the process tree it started."""
    began = time.perf_counter()
    proc = subprocess.run(
        argv, cwd=ROOT, capture_output=True, timeout=timeout, env={**os.environ, "PYTHONPATH": str(ROOT)}
    )
    seconds = time.perf_counter() - began
    result = {"seconds": seconds, "exit_code": proc.returncode, "peak_rss_kib": _peak_rss_kib(children=True)}
    if proc.returncode not in (0, 1):
        result["status"] = "error"
        result["reason"] = (proc.stderr.decode("utf-8", "replace").strip().splitlines() or ["(no message)"])[-1][:300]
    return result


def write_files(site: str, jobs: int) -> dict[str, Any]:
    """The floor under ``publish``'s time: every file of a published site read into memory (not timed), then
    written again into a new folder beside it, the way publish's ``jobs`` worker processes write what they make.
    What is left of publish's time is loading, validating and making the files."""
    root = Path(site)
    files = {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}
    write = adapters.site_writer(str(root.with_name(root.name + "-again")), jobs)
    began = time.perf_counter()
    write(files)
    seconds = time.perf_counter() - began
    return {"seconds": seconds, "files": len(files), "bytes": sum(len(b) for b in files.values()), "jobs": jobs}


TASKS: dict[str, Callable[..., dict[str, Any]]] = {
    "rdflib-load": rdflib_load,
    "pyoxigraph-load": pyoxigraph_load,
    "ecmgraph-load": ecmgraph_load,
    "ecmgraph-validate": ecmgraph_validate,
    "ecmgraph-queries": ecmgraph_queries,
    "rdflib-queries": rdflib_queries,
    "endpoint-validate": endpoint_validate,
    "export-normalised": export_normalised,
    "cli": cli,
    "write-files": write_files,
}


def main() -> int:
    task, arguments = sys.argv[1], json.loads(sys.argv[2]) if len(sys.argv) > 2 else {}
    try:
        result = {"status": "ok", **TASKS[task](**arguments)}
    except Unavailable as exc:
        result = {"status": "unavailable", "reason": f"not available yet: {exc}"}
    except Exception as exc:  # reported, not raised: the runner shows it in its table and goes on
        result = {"status": "error", "reason": f"{type(exc).__name__}: {exc}"[:500]}
    result.setdefault("peak_rss_kib", _peak_rss_kib())
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
