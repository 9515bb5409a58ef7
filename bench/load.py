"""Load test of ``ecmgraph serve`` (issue 17), with the Oxigraph server as the anchor: a small asyncio client.

``--clients`` clients (default 50) send requests back to back for ``--seconds`` (default 60) on the packaged data:

- ``serve-mixed``: ecmgraph serve, the packaged queries (their examples, bound as ``ecmgraph query run`` binds
  them, POSTed to /sparql) and page requests (index, authority pages, forms, a 303), in turn;
- ``serve-queries``: ecmgraph serve, the packaged queries only;
- ``oxigraph-queries``: ``oxigraph serve --union-default-graph`` on the same data, the same queries.

Each run reports requests, errors (any status but 200/303, or no answer), throughput and p50/p99/max latency,
by kind of request; the goal is no errors and p99 under 1 s. The result is written as JSON (``-o``).

    python bench/load.py -o bench/results/2026-12-05-serve-load.json
    python bench/load.py --seconds 3 --clients 5 --runs serve-mixed      # a smoke run
"""

from __future__ import annotations

import argparse
import asyncio
import json
import re
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import httpx

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from run import OxigraphServer, machine_info  # noqa: E402

import ecmgraph  # noqa: E402
from ecmgraph.engines import engine_for  # noqa: E402
from ecmgraph.namespaces import PREFIXES  # noqa: E402
from ecmgraph.queries import bound_text, catalogue  # noqa: E402
from ecmgraph.sparql_text import declare_prefixes  # noqa: E402

RUNS = ("serve-mixed", "serve-queries", "oxigraph-queries")
JSON_RESULTS = "application/sparql-results+json"


def workload(data: ecmgraph.Dataset) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """The queries (name, SPARQL with prefixes written out) and the pages (kind, path) the clients ask for."""
    engine = engine_for(data)
    queries = []
    for name, query in sorted(catalogue().items()):
        if query.requires:  # reads a validation report: not a query of the data alone
            continue
        text = bound_text(query, {k: str(v) for k, v in query.example.items()}, engine)
        queries.append((name, declare_prefixes(text, PREFIXES)))
    pages = [
        ("page", "/"),
        ("page", "/doc/authority/E10000028.html"),
        ("page", "/doc/authority/E10000015.html"),
        ("page", "/compliance.html"),
        ("page", "/queries/who-is-accountable.html"),
        ("page", "/query"),
        ("page", "/doc/authority/E10000028.ttl"),
        ("redirect", "/id/authority/E10000028"),
        ("form", "/query/who-is-accountable?authority=Staffordshire&topic=safeguarding&run=1"),
        ("lookup", "/lookup?q=Staffordshire&kind=authority"),
    ]
    return queries, pages


async def _client(
    http: httpx.AsyncClient,
    jobs: list[tuple[str, str, str]],
    start: int,
    deadline: float,
    out: list[tuple[str, float, bool]],
    query_path: str,
) -> None:
    i = start
    while time.monotonic() < deadline:
        kind, method, target = jobs[i % len(jobs)]
        i += 1
        began = time.monotonic()
        try:
            if method == "POST":
                answer = await http.post(query_path, data={"query": target}, headers={"Accept": JSON_RESULTS})
                ok = answer.status_code == 200 and b'"results"' in answer.content
            else:
                answer = await http.get(target.lstrip("/"))
                ok = answer.status_code in (200, 303)
        except httpx.HTTPError:
            ok = False
        out.append((kind, time.monotonic() - began, ok))


def _percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


def _summary(samples: list[tuple[str, float, bool]], seconds: float) -> dict[str, Any]:
    latencies = [s[1] for s in samples]
    out: dict[str, Any] = {
        "requests": len(samples),
        "errors": sum(1 for s in samples if not s[2]),
        "throughput_per_s": round(len(samples) / seconds, 1),
        "p50_ms": round(_percentile(latencies, 50) * 1000, 1) if latencies else None,
        "p99_ms": round(_percentile(latencies, 99) * 1000, 1) if latencies else None,
        "max_ms": round(max(latencies) * 1000, 1) if latencies else None,
    }
    return out


async def drive(
    url: str, jobs: list[tuple[str, str, str]], clients: int, seconds: float, query_path: str = "sparql"
) -> dict[str, Any]:
    """``clients`` clients on ``url`` for ``seconds``: the summary, overall and by kind of request."""
    samples: list[tuple[str, float, bool]] = []
    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)
    async with httpx.AsyncClient(base_url=url, timeout=30, limits=limits) as http:
        began = time.monotonic()
        deadline = began + seconds
        await asyncio.gather(*(_client(http, jobs, k * 7, deadline, samples, query_path) for k in range(clients)))
        took = time.monotonic() - began
    result = _summary(samples, took)
    result["by_kind"] = {k: _summary([s for s in samples if s[0] == k], took) for k in sorted({s[0] for s in samples})}
    result["goal_met"] = result["errors"] == 0 and (result["p99_ms"] or 0) < 1000
    return result


class EcmgraphServe:
    """``ecmgraph serve`` on the packaged data, on a free loopback port, for the length of a ``with``."""

    def __enter__(self) -> EcmgraphServe:
        self.log = tempfile.NamedTemporaryFile(prefix="ecmgraph-serve-", suffix=".log")
        ecmgraph_bin = Path(sys.executable).with_name("ecmgraph")
        self.proc = subprocess.Popen(
            [str(ecmgraph_bin), "serve", "--port", "0", "--no-access-log"], stdout=subprocess.DEVNULL, stderr=self.log
        )
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            found = re.search(r"Serving .* at (http://\S+/) ", Path(self.log.name).read_text())
            if found:
                self.url = found[1]
                return self
            time.sleep(0.1)
        self.__exit__()
        raise RuntimeError("ecmgraph serve did not start: " + Path(self.log.name).read_text())

    def __exit__(self, *exc: object) -> None:
        self.proc.send_signal(signal.SIGTERM)
        self.proc.wait(15)
        self.log.close()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--runs", nargs="+", choices=RUNS, default=list(RUNS))
    parser.add_argument("-o", "--output", type=Path)
    args = parser.parse_args(argv)
    data = ecmgraph.load()
    queries, pages = workload(data)
    query_jobs = [("query", "POST", text) for _, text in queries]
    page_jobs = [(kind, "GET", path) for kind, path in pages]
    mixed = [job for pair in zip(query_jobs, page_jobs * 2) for job in pair]
    results: dict[str, Any] = {}
    for run in args.runs:
        if run.startswith("serve"):
            with EcmgraphServe() as server:
                jobs = mixed if run == "serve-mixed" else query_jobs
                results[run] = asyncio.run(drive(server.url, jobs, args.clients, args.seconds))
        else:
            with tempfile.TemporaryDirectory() as work:
                nquads = Path(work) / "data.nq"
                data.store.dump(str(nquads), format=ecmgraph_rdf_format())
                with OxigraphServer(nquads, Path(work)) as oxigraph:
                    base = oxigraph.url.rsplit("/", 1)[0] + "/"
                    jobs = [("query", "POST", text) for _, text in queries]
                    results[run] = asyncio.run(drive(base, jobs, args.clients, args.seconds, "query"))
        print(f"{run}: {json.dumps({k: v for k, v in results[run].items() if k != 'by_kind'})}", file=sys.stderr)
    report = {
        "schema_version": 1,
        "generated_by": "bench/load.py",
        "machine": machine_info(),
        "settings": {
            "clients": args.clients,
            "seconds": args.seconds,
            "queries": [n for n, _ in queries],
            "pages": [p for _, p in pages],
        },
        "goal": "0 errors and p99 under 1 s, 50 clients for 60 s on the packaged data",
        "runs": results,
    }
    text = json.dumps(report, indent=1) + "\n"
    if args.output:
        args.output.write_text(text)
    else:
        sys.stdout.write(text)
    return 0


def ecmgraph_rdf_format() -> Any:
    import pyoxigraph as ox

    return ox.RdfFormat.N_QUADS


if __name__ == "__main__":
    raise SystemExit(main())
