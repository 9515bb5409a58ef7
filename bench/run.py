#!/usr/bin/env python3
"""Benchmark ecmgraph against rdflib, pyoxigraph and pySHACL on a synthetic England, side by side in one run.

    python bench/run.py --scale S [--repeat N] [--json FILE] [--plot FILE]
    python bench/run.py --combine FILE.json... [--json FILE] [--plot FILE]

``--scale`` takes one scale or a comma list (``0.1,1,10``: the plot and the linearity goal need two or more).
``--combine`` measures nothing: it joins the runs of earlier JSON files (runs of different scales, taken side by
side, say, each on its own core), works the goals out again over all of them, and prints, writes and plots them
as one run would. For
each scale the runner generates the data (``bench/generate.py``), then measures each part below, every engine in its
own process (so that peak RSS is that engine's), ``--repeat`` times, and reports the median:

- load: rdflib parse, pyoxigraph load (and bulk load), ``ecmgraph.store.load_dataset``; N-Triples and Turtle;
- validate (every rule): ecmgraph's engine after load, ``--engine pyshacl`` without inference and with OWL-RL
  (stopped at ``--timeout`` seconds, reported as "> 600 s"), ``ecmgraph validate FILE`` end to end; the engines'
  findings must agree, and every injected violation of the manifest must be found;
- every packaged query after load: ecmgraph vs rdflib's SPARQL engine on the same data;
- a real Oxigraph server holding the same data: validation and every packaged query over SPARQL 1.1 Protocol;
- start-up: ``ecmgraph --help`` and one ``ecmgraph query run`` on the packaged data.

A part whose ecmgraph code does not exist yet is shown as "not available yet: <why>" and recorded so in the JSON.
The JSON holds every figure, and each goal with its measured value. Exit status 0 unless the run itself broke (a
missed goal or a failed check is a result, not an error) or ``--check`` is given and a check failed.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import json
import os
import platform
import resource
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Callable
from pathlib import Path
from typing import Any

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
sys.path.insert(0, str(BENCH))

import adapters  # noqa: E402
import generate  # noqa: E402

SCHEMA_VERSION = 1
DEFAULT_TIMEOUT = 600.0
MIB = 1024 * 1024


# --- running one measurement -------------------------------------------------------------------------------------


def _limit_memory(gib: float) -> Callable[[], None]:
    def apply() -> None:
        limit = int(gib * 1024 * MIB)
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))

    return apply


class Runner:
    """Runs bench/measure.py tasks in fresh processes and keeps the settings they share."""

    def __init__(self, repeat: int, timeout: float, memory_gib: float, verbose: bool = True) -> None:
        self.repeat, self.timeout, self.memory_gib, self.verbose = repeat, timeout, memory_gib, verbose
        self.stopped: set[str] = set()  # labels stopped at the time limit, at a smaller scale of this run

    def once(self, task: str, arguments: dict[str, Any], timeout: float | None = None) -> dict[str, Any]:
        timeout = timeout or self.timeout
        argv = [sys.executable, str(BENCH / "measure.py"), task, json.dumps(arguments)]
        began = time.perf_counter()
        # Its own session (process group), so that a timeout stops the command it may have started too.
        proc = subprocess.Popen(
            argv,
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            start_new_session=True,
            preexec_fn=_limit_memory(self.memory_gib),
            env={**os.environ, "PYTHONPATH": str(ROOT)},
        )
        try:
            stdout, stderr = proc.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.communicate()
            return {
                "status": "timeout",
                "reason": f"stopped after {timeout:.0f} s",
                "seconds": None,
                "wall_seconds": time.perf_counter() - began,
            }
        lines = stdout.decode("utf-8", "replace").strip().splitlines()
        try:
            result = json.loads(lines[-1])
        except (IndexError, json.JSONDecodeError):
            err = stderr.decode("utf-8", "replace").strip().splitlines()
            reason = err[-1] if err else f"exit code {proc.returncode}"
            if "MemoryError" in reason or proc.returncode in (-9, 137):
                reason = f"out of memory (limit {self.memory_gib:g} GiB): {reason}"
            return {"status": "error", "reason": reason[:500], "seconds": None}
        result["wall_seconds"] = time.perf_counter() - began
        return result

    def measure(
        self,
        label: str,
        task: str,
        arguments: dict[str, Any],
        *,
        repeat: int | None = None,
        timeout: float | None = None,
    ) -> dict[str, Any]:
        """``repeat`` runs of one task: the median seconds, every run, the peak RSS of the largest run.

        A task stopped at the time limit is not run again at a larger scale (scales run smallest first): on more
        data it can only take longer, so it is reported as over the limit at once.
        """
        if label in self.stopped:
            entry = {
                "status": "timeout",
                "reason": "stopped at the time limit at a smaller scale",
                "seconds": None,
                "seconds_lower_bound": timeout or self.timeout,
            }
            if self.verbose:
                print(f"  {label:<46} {_show_seconds(entry):>12}  {'-':>8} MiB  {entry['reason']}", file=sys.stderr)
            return entry
        runs: list[dict[str, Any]] = []
        for _ in range(repeat or self.repeat):
            result = self.once(task, arguments, timeout)
            runs.append(result)
            if result["status"] != "ok":
                break  # a timeout, an error or missing code will not change on the next try
        last = runs[-1]
        if last["status"] != "ok":
            entry = {"status": last["status"], "reason": last.get("reason", ""), "seconds": None}
            if last["status"] == "timeout":
                entry["seconds_lower_bound"] = timeout or self.timeout
                self.stopped.add(label)
        else:
            seconds = [r["seconds"] for r in runs]
            entry = {"status": "ok", "seconds": statistics.median(seconds), "runs": seconds}
            for key, value in last.items():
                if key not in ("status", "seconds", "peak_rss_kib", "wall_seconds", "queries"):
                    entry[key] = value
            if "queries" in last:
                entry["queries"] = last["queries"]
        rss = [r["peak_rss_kib"] for r in runs if r.get("peak_rss_kib")]
        if rss and last["status"] in ("ok", "timeout"):
            entry["peak_rss_mib"] = round(max(rss) / 1024, 1)
        if self.verbose:
            print(
                f"  {label:<46} {_show_seconds(entry):>12}  {entry.get('peak_rss_mib', '-'):>8} MiB  "
                f"{entry.get('reason', '')}",
                file=sys.stderr,
            )
        return entry


def _show_seconds(entry: dict[str, Any]) -> str:
    if entry.get("status") == "timeout":
        return f"> {entry.get('seconds_lower_bound', DEFAULT_TIMEOUT):.0f} s"
    if entry.get("seconds") is None:
        return "-"
    s = entry["seconds"]
    return f"{s * 1000:.1f} ms" if s < 1 else f"{s:.2f} s"


# --- the parts -----------------------------------------------------------------------------------------------------


def ecmgraph_argv(*args: str) -> list[str]:
    """How to run the ecmgraph command: the installed script if there is one beside this Python, else ``-m``."""
    script = Path(sys.executable).parent / "ecmgraph"
    return [str(script), *args] if script.exists() else [sys.executable, "-m", "ecmgraph", *args]


def measure_load(r: Runner, files: dict[str, Path]) -> dict[str, Any]:
    m: dict[str, Any] = {}
    for fmt, path in sorted(files.items()):
        name = {"nt": "N-Triples", "ttl": "Turtle"}[fmt]
        m[f"load.rdflib.{fmt}"] = r.measure(
            f"load rdflib parse ({name})", "rdflib-load", {"file": str(path), "format": fmt}
        )
        m[f"load.pyoxigraph.{fmt}"] = r.measure(
            f"load pyoxigraph Store.load ({name})", "pyoxigraph-load", {"file": str(path), "format": fmt}
        )
        m[f"load.pyoxigraph_bulk.{fmt}"] = r.measure(
            f"load pyoxigraph bulk_load ({name})", "pyoxigraph-load", {"file": str(path), "format": fmt, "bulk": True}
        )
        m[f"load.ecmgraph.{fmt}"] = r.measure(
            f"load ecmgraph load_dataset ({name})", "ecmgraph-load", {"file": str(path)}
        )
    return m


def measure_validate(r: Runner, nt: Path, as_of: str, work: Path) -> dict[str, Any]:
    m: dict[str, Any] = {}
    common = {"file": str(nt), "as_of": as_of}
    m["validate.ecmgraph"] = r.measure(
        "validate ecmgraph engine (after load)",
        "ecmgraph-validate",
        {**common, "engine": "ecmgraph", "inference": "none", "findings": str(work / "findings-ecmgraph.json")},
    )
    first = m["validate.ecmgraph"]
    if first["status"] != "ok":
        # Nothing to compare with: the reference engines would only spend the time limit again.
        reason = (
            first["reason"]
            if first["status"] == "unavailable"
            else f"not run: the ecmgraph engine did not finish ({first['status']}: {first.get('reason', '')})"
        )
        for name in ("validate.pyshacl", "validate.pyshacl_owlrl", "validate.cli"):
            m[name] = {
                "status": "unavailable" if first["status"] == "unavailable" else "skipped",
                "reason": reason,
                "seconds": None,
            }
            if r.verbose:
                print(f"  {name:<46} {'-':>12}  {'-':>8} MiB  {reason}", file=sys.stderr)
        return m
    m["validate.pyshacl"] = r.measure(
        "validate --engine pyshacl (no inference)",
        "ecmgraph-validate",
        {**common, "engine": "pyshacl", "inference": "none", "findings": str(work / "findings-pyshacl.json")},
    )
    m["validate.pyshacl_owlrl"] = r.measure(
        "validate --engine pyshacl --inference owlrl",
        "ecmgraph-validate",
        {**common, "engine": "pyshacl", "inference": "owlrl", "findings": str(work / "findings-pyshacl-owlrl.json")},
    )
    argv = ecmgraph_argv("validate", str(nt), "--as-of", as_of, "--format", "json", "-o", str(work / "report.json"))
    m["validate.cli"] = r.measure("ecmgraph validate FILE (end to end)", "cli", {"argv": argv})
    return m


def read_findings(path: Path) -> list[dict[str, str]] | None:
    return json.loads(path.read_text(encoding="utf-8")) if path.is_file() else None


def check_injected(manifest: dict[str, Any], findings: list[dict[str, str]] | None, engine: str) -> dict[str, Any]:
    """Every injected finding reported, and nothing reported that was not injected (or allowed)."""
    if findings is None:
        return {"status": "skipped", "reason": f"not available yet: no findings from the {engine} engine"}
    expected = {(e["focus"], e["rule"], e["severity"]) for e in manifest["expected"]}
    allowed = {(a["focus"], a["rule"]) for a in manifest["allowed"]}
    found = {(f["focus"], f["rule"], f["severity"]) for f in findings}
    missing = sorted(expected - found)
    unexpected = sorted(f for f in found - expected if (f[0], f[1]) not in allowed)
    kinds = {(e["focus"], e["rule"], e["severity"]): e["kind"] for e in manifest["expected"]}
    kind_mismatches = sorted(
        {
            (f["focus"], f["rule"], f["severity"], f["kind"])
            for f in findings
            if kinds.get((f["focus"], f["rule"], f["severity"])) not in (None, f["kind"]) and f["kind"]
        }
    )
    return {
        "status": "passed" if not missing and not unexpected else "failed",
        "engine": engine,
        "expected": len(expected),
        "found": len(found),
        "missing": [list(x) for x in missing],
        "unexpected": [list(x) for x in unexpected],
        "kind_mismatches": [list(x) for x in kind_mismatches],
    }


def compare_findings(
    a: list[dict[str, str]] | None, b: list[dict[str, str]] | None, names: tuple[str, str]
) -> dict[str, Any]:
    if a is None or b is None:
        missing = names[0] if a is None else names[1]
        return {
            "status": "skipped",
            "reason": f"no findings from {missing} to compare (it did not finish, or is not there)",
        }
    sa = {(f["focus"], f["rule"], f["severity"]) for f in a}
    sb = {(f["focus"], f["rule"], f["severity"]) for f in b}
    return {
        "status": "agree" if sa == sb else "differ",
        "engines": list(names),
        "count": [len(sa), len(sb)],
        f"only_{names[0]}": sorted(list(x) for x in sa - sb)[:50],
        f"only_{names[1]}": sorted(list(x) for x in sb - sa)[:50],
    }


def needing_validation() -> list[str]:
    """The packaged queries that read a validation report (none if ecmgraph's queries are not there yet)."""
    try:
        return sorted(adapters.queries_needing_validation())
    except adapters.Unavailable:
        return []


def _needing_validation_of(run: dict[str, Any]) -> list[str]:
    """The queries a run recorded as reading a validation report; for a run recorded before it said so, the
    catalogue's (read only then)."""
    recorded = run.get("queries_needing_validation")
    return recorded if recorded is not None else needing_validation()


def rdflib_side(m: dict[str, Any], needing: list[str]) -> dict[str, Any]:
    """rdflib's figure for each packaged query. A query that reads a validation report has no text of its own to
    run there: its rdflib side is a pySHACL validation first (``validate.pyshacl``), so that is its figure (a lower
    bound: the query on the report comes on top), or the reason pySHACL gave none."""
    theirs = dict(((m.get("query.rdflib") or {}).get("queries")) or {})
    pyshacl = m.get("validate.pyshacl") or {}
    why = "needs a validation report first: on rdflib that is pySHACL's validation (validate.pyshacl)"
    for name in needing:
        if pyshacl.get("status") == "timeout":
            theirs[name] = {"status": "timeout", "seconds_lower_bound": pyshacl["seconds_lower_bound"], "reason": why}
        elif pyshacl.get("status") == "ok":  # shown as a stopped run is, "> N s": the query comes on top of it
            theirs[name] = {"status": "timeout", "seconds_lower_bound": pyshacl["seconds"], "reason": why}
        else:
            theirs[name] = {
                "status": "not-comparable",
                "reason": f"{why}, which gave no figure: {pyshacl.get('reason') or pyshacl.get('status', 'not run')}",
            }
    return theirs


def query_rows_check(m: dict[str, Any], needing: list[str]) -> dict[str, Any] | None:
    """Every packaged query both engines answered gives the same number of rows on both (a query rdflib could not
    finish, or that needs a validation report, is listed as not compared)."""
    ours = (m.get("query.ecmgraph") or {}).get("queries") or {}
    theirs = (m.get("query.rdflib") or {}).get("queries") or {}
    if not ours or not theirs:
        return None
    compared = [
        n
        for n in sorted(ours)
        if n not in needing and ours[n].get("status") == "ok" and theirs.get(n, {}).get("status") == "ok"
    ]
    differ = {n: [ours[n]["rows"], theirs[n]["rows"]] for n in compared if ours[n]["rows"] != theirs[n]["rows"]}
    return {
        "status": "passed" if not differ else "failed",
        "compared": len(compared),
        "differ": differ,
        "not_compared": {
            n: (theirs.get(n, {}).get("reason") or ("needs a validation report" if n in needing else "not run"))
            for n in sorted(ours)
            if n not in compared
        },
    }


def measure_queries(r: Runner, nt: Path, samples: dict[str, str], work: Path) -> dict[str, Any]:
    """Each packaged query ``repeat`` times after one load, on ecmgraph, then on rdflib with the same bound
    text (one process per engine; the median per query)."""
    m: dict[str, Any] = {}
    texts = work / "bound-queries.json"
    # A query task runs every query several times: it gets three times the time limit, each rdflib query a quarter.
    m["query.ecmgraph"] = r.measure(
        "queries ecmgraph (each, after load)",
        "ecmgraph-queries",
        {"file": str(nt), "repeat": r.repeat, "params": samples, "texts_out": str(texts)},
        repeat=1,
        timeout=3 * r.timeout,
    )
    if m["query.ecmgraph"]["status"] == "unavailable":
        m["query.rdflib"] = {"status": "unavailable", "reason": m["query.ecmgraph"]["reason"], "seconds": None}
    else:
        m["query.rdflib"] = r.measure(
            "queries rdflib SPARQL (each, after parse)",
            "rdflib-queries",
            {"repeat": r.repeat, "texts": str(texts), "timeout": min(120.0, r.timeout / 4)},
            repeat=1,
            timeout=3 * r.timeout,
        )
    return m


def oxigraph_binary() -> str | None:
    beside = Path(sys.executable).parent / "oxigraph"
    return str(beside) if beside.exists() else shutil.which("oxigraph")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class OxigraphServer:
    """A real Oxigraph server on a free loopback port, holding one N-Quads file, for the length of a ``with``."""

    def __init__(self, nquads: Path, work: Path) -> None:
        self.nquads, self.location = nquads, work / "oxigraph-store"
        self.proc: subprocess.Popen[bytes] | None = None
        self.url = ""

    def __enter__(self) -> OxigraphServer:
        binary = oxigraph_binary()
        if binary is None:
            raise RuntimeError("no oxigraph server (pip install oxigraph)")
        shutil.rmtree(self.location, ignore_errors=True)
        subprocess.run(
            [binary, "load", "--location", str(self.location), "--file", str(self.nquads)],
            check=True,
            capture_output=True,
        )
        port = _free_port()
        self.proc = subprocess.Popen(
            [binary, "serve", "--location", str(self.location), "--bind", f"127.0.0.1:{port}", "--union-default-graph"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        self.url = f"http://127.0.0.1:{port}/query"
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                request = urllib.request.Request(
                    self.url, data=b"query=ASK%7B%7D", headers={"Content-Type": "application/x-www-form-urlencoded"}
                )
                with urllib.request.urlopen(request, timeout=2):
                    return self
            except OSError:
                time.sleep(0.2)
        self.__exit__()
        raise RuntimeError("the Oxigraph server did not answer within 60 s")

    def peak_rss_mib(self) -> float | None:
        """The server's peak resident memory so far (VmHWM), in MiB."""
        try:
            status = Path(f"/proc/{self.proc.pid}/status").read_text()  # type: ignore[union-attr]
        except OSError:
            return None
        kib = next((int(line.split()[1]) for line in status.splitlines() if line.startswith("VmHWM:")), None)
        return round(kib / 1024, 1) if kib else None

    def __exit__(self, *exc: object) -> None:
        if self.proc is not None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        shutil.rmtree(self.location, ignore_errors=True)


def measure_endpoint(
    r: Runner, nt: Path, as_of: str, samples: dict[str, str], work: Path, validate_ok: bool, queries_ok: bool
) -> dict[str, Any]:
    m: dict[str, Any] = {}
    names = ("endpoint.validate", "endpoint.query")
    if not validate_ok and not queries_ok:
        for name in names:
            m[name] = {
                "status": "unavailable",
                "seconds": None,
                "reason": "not available yet: neither the validator nor the packaged queries run in-process",
            }
        return m
    nquads = work / "server.nq"
    export = r.once("export-normalised", {"file": str(nt), "out": str(nquads)})
    if export["status"] != "ok":
        for name in names:
            m[name] = {
                "status": export["status"],
                "reason": f"export for the server: {export.get('reason')}",
                "seconds": None,
            }
        return m
    try:
        with OxigraphServer(nquads, work) as server:
            print(f"  (Oxigraph server at {server.url}, {export['quads']:,} quads)", file=sys.stderr)
            if validate_ok:
                m["endpoint.validate"] = r.measure(
                    "validate --endpoint (Oxigraph server)",
                    "endpoint-validate",
                    {"endpoint": server.url, "as_of": as_of, "findings": str(work / "findings-endpoint.json")},
                )
                argv = ecmgraph_argv(
                    "validate",
                    "--endpoint",
                    server.url,
                    "--as-of",
                    as_of,
                    "--format",
                    "json",
                    "-o",
                    str(work / "report-endpoint.json"),
                )
                m["endpoint.validate_cli"] = r.measure(
                    "ecmgraph validate --endpoint URL (end to end)", "cli", {"argv": argv}
                )
            else:
                m["endpoint.validate"] = {
                    "status": "unavailable",
                    "seconds": None,
                    "reason": "not available yet: the validator does not run in-process",
                }
            if queries_ok:
                m["endpoint.query"] = r.measure(
                    "queries --endpoint (Oxigraph server)",
                    "ecmgraph-queries",
                    {"file": None, "endpoint": server.url, "repeat": r.repeat, "params": samples},
                    repeat=1,
                    timeout=3 * r.timeout,
                )
            else:
                m["endpoint.query"] = {
                    "status": "unavailable",
                    "seconds": None,
                    "reason": "not available yet: the packaged queries do not run in-process",
                }
            server_rss = server.peak_rss_mib()
            for name in names:
                if m[name].get("status") == "ok":
                    m[name]["server_peak_rss_mib"] = server_rss
    except (RuntimeError, subprocess.CalledProcessError) as exc:
        for name in names:
            m.setdefault(name, {"status": "error", "reason": str(exc)[:300], "seconds": None})
    finally:
        nquads.unlink(missing_ok=True)
    return m


def measure_startup(r: Runner) -> dict[str, Any]:
    m: dict[str, Any] = {}
    m["startup.help"] = r.measure("ecmgraph --help", "cli", {"argv": ecmgraph_argv("--help")}, repeat=max(5, r.repeat))
    queries_dir = ROOT / "queries"
    names = sorted(p.stem for p in queries_dir.glob("*.rq"))
    if not names:
        m["startup.query_run"] = {
            "status": "unavailable",
            "reason": "not available yet: no packaged query in queries/",
            "seconds": None,
        }
    else:
        name = "statutory-post-holders" if "statutory-post-holders" in names else names[0]
        m["startup.query_run"] = r.measure(
            f"ecmgraph query run {name} (packaged data)",
            "cli",
            {"argv": ecmgraph_argv("query", "run", name)},
            repeat=max(5, r.repeat),
        )
        m["startup.query_run"]["query"] = name
    return m


# --- goals ---------------------------------------------------------------------------------------------------------


def _seconds(m: dict[str, Any], name: str) -> float | None:
    entry = m.get(name) or {}
    return entry.get("seconds") if entry.get("status") == "ok" else None


def _goal(
    gid: str,
    description: str,
    goal: str,
    limit: float,
    op: str,
    measured: float | None,
    *,
    scale: float | None,
    reason: str = "",
    extra: dict[str, Any] | None = None,
) -> dict[str, Any]:
    met = None if measured is None else (measured <= limit if op == "<=" else measured >= limit)
    entry = {
        "id": gid,
        "description": description,
        "goal": goal,
        "limit": limit,
        "comparison": op,
        "measured": None if measured is None else round(measured, 4),
        "met": met,
        "scale": scale,
        "status": "measured" if measured is not None else "not measured",
    }
    if measured is None:
        entry["reason"] = reason or "not available yet"
    if extra:
        entry.update(extra)
    return entry


def _why(m: dict[str, Any], *names: str) -> str:
    for name in names:
        entry = m.get(name) or {}
        if entry.get("status") != "ok":
            return f"{name}: {entry.get('reason') or entry.get('status', 'not run')}"
    return ""


def measure_publish(r: Runner, nt: Path, as_of: str, work: Path) -> dict[str, Any]:
    """``ecmgraph publish FILE`` end to end (the whole site, breaches allowed: the data holds injected ones), beside
    ``ecmgraph validate FILE`` end to end (measured by the validate part, or here if that part is not run)."""
    m: dict[str, Any] = {}
    argv = ecmgraph_argv(
        "publish",
        str(nt),
        "-o",
        str(work / "site"),
        "--base-url",
        "https://example.org/ecm/",
        "--as-of",
        as_of,
        "--allow-breaches",
    )
    m["publish.cli"] = r.measure("ecmgraph publish FILE (end to end)", "cli", {"argv": argv})
    if m["publish.cli"].get("status") == "ok" and (work / "site").is_dir():
        jobs = adapters.usable_cpus()
        m["publish.floor"] = r.measure(
            "the site's files written again (the floor)",
            "write-files",
            {"site": str(work / "site"), "jobs": jobs},
            repeat=1,
        )
    return m


def goals_for(run: dict[str, Any]) -> list[dict[str, Any]]:
    m, scale, triples = run["measurements"], run["scale"], run["triples"]
    goals = []
    ox_load = _seconds(m, "load.pyoxigraph.nt")
    val = _seconds(m, "validate.ecmgraph")
    goals.append(
        _goal(
            "validate-after-load",
            "validate (default engine, all rules) after load / bare pyoxigraph load",
            "<= 1x",
            1.0,
            "<=",
            val / ox_load if val is not None and ox_load else None,
            scale=scale,
            reason=_why(m, "validate.ecmgraph", "load.pyoxigraph.nt"),
        )
    )
    cli = _seconds(m, "validate.cli")
    goals.append(
        _goal(
            "validate-end-to-end",
            "`ecmgraph validate FILE` end to end / bare pyoxigraph load",
            "<= 3x",
            3.0,
            "<=",
            cli / ox_load if cli is not None and ox_load else None,
            scale=scale,
            reason=_why(m, "validate.cli", "load.pyoxigraph.nt"),
        )
    )
    published = _seconds(m, "publish.cli")
    if "publish.cli" in m:
        goals.append(
            _goal(
                "publish-vs-validate",
                "`ecmgraph publish FILE` end to end / `ecmgraph validate FILE` end to end",
                "<= 3x",
                3.0,
                "<=",
                published / cli if published is not None and cli else None,
                scale=scale,
                reason=_why(m, "publish.cli", "validate.cli"),
            )
        )
    agree = run["checks"].get("engines_agree", {})
    for gid, name, limit in (
        ("vs-pyshacl", "validate.pyshacl", 50.0),
        ("vs-pyshacl-owlrl", "validate.pyshacl_owlrl", 500.0),
    ):
        other = m.get(name, {})
        if other.get("status") == "timeout" and val is not None:
            # A lower bound: met if even it reaches the ratio, or if pySHACL was given the goal's 600 s.
            stopped = other["seconds_lower_bound"]
            measured = stopped / val
            by_limit = stopped >= DEFAULT_TIMEOUT
            extra = {
                "note": f"pySHACL stopped at {stopped:.0f} s: the ratio is a lower bound"
                + ("; goal met by the time limit" if by_limit else "")
            }
            g = _goal(
                gid,
                f"{name} / validate.ecmgraph (same findings)",
                f">= {limit:g}x or pySHACL > 600 s",
                limit,
                ">=",
                measured,
                scale=scale,
                extra=extra,
            )
            g["met"] = True if by_limit or measured >= limit else None
        else:
            o = _seconds(m, name)
            same = agree.get(name, {}).get("status")
            g = _goal(
                gid,
                f"{name} / validate.ecmgraph (same findings)",
                f">= {limit:g}x" + (" or pySHACL > 600 s" if "owlrl" in gid else ""),
                limit,
                ">=",
                o / val if o is not None and val else None,
                scale=scale,
                reason=_why(m, "validate.ecmgraph", name),
                extra={"same_findings": same},
            )
            if g["met"] is not None and same not in (None, "agree"):
                g["met"] = False
        goals.append(g)
    q = m.get("query.ecmgraph") or {}
    per = q.get("queries") or {}
    if q.get("status") == "ok" and per:
        worst = max((v.get("seconds") or float("inf")) for v in per.values())
        goals.append(
            _goal(
                "query-latency",
                "slowest packaged query after load (median)",
                "<= 0.05 s",
                0.05,
                "<=",
                worst,
                scale=scale,
                extra={"per_query_seconds": {k: v.get("seconds") for k, v in per.items()}},
            )
        )
        rper = rdflib_side(m, _needing_validation_of(run))
        ratios = {
            k: ((rper[k].get("seconds") or rper[k].get("seconds_lower_bound")) / v["seconds"])
            for k, v in per.items()
            if v.get("seconds") and (rper.get(k, {}).get("seconds") or rper.get(k, {}).get("seconds_lower_bound"))
        }
        goals.append(
            _goal(
                "query-vs-rdflib",
                "rdflib / ecmgraph, the least favourable packaged query",
                ">= 10x",
                10.0,
                ">=",
                min(ratios.values()) if ratios else None,
                scale=scale,
                reason=_why(m, "query.rdflib") or "no query ran on both engines",
                extra={"per_query_ratio": {k: round(v, 2) for k, v in ratios.items()}},
            )
        )
    else:
        why = _why(m, "query.ecmgraph")
        goals.append(
            _goal(
                "query-latency",
                "slowest packaged query after load (median)",
                "<= 0.05 s",
                0.05,
                "<=",
                None,
                scale=scale,
                reason=why,
            )
        )
        goals.append(
            _goal(
                "query-vs-rdflib",
                "rdflib / ecmgraph, the least favourable packaged query",
                ">= 10x",
                10.0,
                ">=",
                None,
                scale=scale,
                reason=why,
            )
        )
    # Memory: every ecmgraph process, per million triples (never less than one million: an interpreter alone
    # takes tens of MiB, which says nothing about the engine at a tiny scale).
    ecm_names = [n for n in m if n.startswith(("load.ecmgraph", "validate.ecmgraph", "validate.cli", "query.ecmgraph"))]
    peaks = {n: m[n]["peak_rss_mib"] for n in ecm_names if m[n].get("peak_rss_mib") and m[n].get("status") == "ok"}
    per_million = max(1.0, triples / 1e6)
    worst_name = max(peaks, key=peaks.get) if peaks else None
    goals.append(
        _goal(
            "memory",
            "peak RSS of the largest ecmgraph process, GiB per million triples (min. 1 million)",
            "<= 1 GiB per million triples",
            1.0,
            "<=",
            peaks[worst_name] / 1024 / per_million if worst_name else None,
            scale=scale,
            extra={"process": worst_name, "peak_rss_mib": peaks.get(worst_name) if worst_name else None},
        )
    )
    ep = _seconds(m, "endpoint.validate")
    goals.append(
        _goal(
            "endpoint-validate",
            "validate --endpoint (Oxigraph server) / in-process validate",
            "<= 3x",
            3.0,
            "<=",
            ep / val if ep is not None and val else None,
            scale=scale,
            reason=_why(m, "endpoint.validate", "validate.ecmgraph"),
        )
    )
    eq = (m.get("endpoint.query") or {}).get("queries") or {}
    ratios = {
        k: eq[k]["seconds"] / v["seconds"] for k, v in per.items() if v.get("seconds") and eq.get(k, {}).get("seconds")
    }
    goals.append(
        _goal(
            "endpoint-query",
            "query run --endpoint / in-process, the least favourable packaged query",
            "<= 3x",
            3.0,
            "<=",
            max(ratios.values()) if ratios else None,
            scale=scale,
            reason=_why(m, "endpoint.query", "query.ecmgraph"),
            extra={"per_query_ratio": {k: round(v, 2) for k, v in ratios.items()}} if ratios else None,
        )
    )
    return goals


def global_goals(runs: list[dict[str, Any]], startup: dict[str, Any]) -> list[dict[str, Any]]:
    goals = []
    h = _seconds(startup, "startup.help")
    goals.append(
        _goal(
            "startup-help",
            "`ecmgraph --help`, end to end",
            "<= 0.3 s",
            0.3,
            "<=",
            h,
            scale=None,
            reason=_why(startup, "startup.help"),
        )
    )
    qr = _seconds(startup, "startup.query_run")
    goals.append(
        _goal(
            "startup-query-run",
            "`ecmgraph query run` on the packaged data, end to end",
            "<= 1.5 s",
            1.5,
            "<=",
            qr,
            scale=None,
            reason=_why(startup, "startup.query_run"),
        )
    )
    by_scale = {run["scale"]: run for run in runs}
    if 1.0 in by_scale and 10.0 in by_scale:
        small, large = by_scale[1.0]["measurements"], by_scale[10.0]["measurements"]
        ratios = {
            n: small_s and _seconds(large, n) / small_s
            for n in small
            if n.startswith(("load.ecmgraph", "load.pyoxigraph.", "validate.ecmgraph", "validate.cli"))
            and (small_s := _seconds(small, n))
            and _seconds(large, n)
        }
        small_q = (small.get("query.ecmgraph") or {}).get("queries") or {}
        large_q = (large.get("query.ecmgraph") or {}).get("queries") or {}
        ratios.update(
            {
                f"query.ecmgraph.{n}": large_q[n]["seconds"] / q["seconds"]
                for n, q in small_q.items()
                if q.get("seconds") and (large_q.get(n) or {}).get("seconds")
            }
        )
        goals.append(
            _goal(
                "linear",
                "time at scale 10 / time at scale 1, the least linear of ecmgraph's parts",
                "<= 12x",
                12.0,
                "<=",
                max(ratios.values()) if ratios else None,
                scale=None,
                extra={"per_part": {k: round(v, 2) for k, v in ratios.items()}},
            )
        )
    else:
        goals.append(
            _goal(
                "linear",
                "time at scale 10 / time at scale 1, the least linear of ecmgraph's parts",
                "<= 12x",
                12.0,
                "<=",
                None,
                scale=None,
                reason="not measured in this run: needs --scale 1,10",
            )
        )
    return goals


# --- report --------------------------------------------------------------------------------------------------------

#: (measurement, label, the measurement it is compared with)
TABLE_ROWS = (
    ("load.rdflib.nt", "load N-Triples: rdflib parse", "load.pyoxigraph.nt"),
    ("load.pyoxigraph.nt", "load N-Triples: pyoxigraph Store.load", "load.pyoxigraph.nt"),
    ("load.pyoxigraph_bulk.nt", "load N-Triples: pyoxigraph bulk_load", "load.pyoxigraph.nt"),
    ("load.ecmgraph.nt", "load N-Triples: ecmgraph load_dataset", "load.pyoxigraph.nt"),
    ("load.rdflib.ttl", "load Turtle: rdflib parse", "load.pyoxigraph.ttl"),
    ("load.pyoxigraph.ttl", "load Turtle: pyoxigraph Store.load", "load.pyoxigraph.ttl"),
    ("load.pyoxigraph_bulk.ttl", "load Turtle: pyoxigraph bulk_load", "load.pyoxigraph.ttl"),
    ("load.ecmgraph.ttl", "load Turtle: ecmgraph load_dataset", "load.pyoxigraph.ttl"),
    ("validate.ecmgraph", "validate: ecmgraph engine, after load", "load.pyoxigraph.nt"),
    ("validate.cli", "validate: `ecmgraph validate FILE` end to end", "load.pyoxigraph.nt"),
    ("validate.pyshacl", "validate: --engine pyshacl", "validate.ecmgraph"),
    ("validate.pyshacl_owlrl", "validate: --engine pyshacl --inference owlrl", "validate.ecmgraph"),
    ("publish.cli", "publish: `ecmgraph publish FILE` end to end, the whole site", "validate.cli"),
    ("publish.floor", "publish's floor: the site's files written again from memory", "validate.cli"),
    ("query.ecmgraph", "queries: ecmgraph, sum of medians", "query.ecmgraph"),
    ("query.rdflib", "queries: rdflib SPARQL, sum of medians", "query.ecmgraph"),
    ("endpoint.validate", "validate --endpoint (Oxigraph server)", "validate.ecmgraph"),
    ("endpoint.validate_cli", "`ecmgraph validate --endpoint URL` end to end", "validate.cli"),
    ("endpoint.query", "queries --endpoint, sum of medians", "query.ecmgraph"),
)


def _ratio(m: dict[str, Any], name: str, base: str) -> str:
    s, b = m.get(name, {}), _seconds(m, base)
    if not b:
        return ""
    if s.get("status") == "timeout":
        return f"> {s['seconds_lower_bound'] / b:,.0f}x {base}"
    if s.get("seconds") is None:
        return ""
    return f"{s['seconds'] / b:,.2f}x {base}" if name != base else "1x"


def print_tables(result: dict[str, Any]) -> None:
    out = sys.stdout
    for run in result["runs"]:
        m = run["measurements"]
        print(
            f"\n## scale {run['scale']:g}: {run['triples']:,} triples ({run['units']} authorities), "
            f"median of {run.get('repeat', result['settings']['repeat'])}",
            file=out,
        )
        print(f"\n| {'part':<48} | {'seconds':>12} | {'ratio':<32} | {'peak RSS':>10} |", file=out)
        print(f"|{'-' * 50}|{'-' * 14}:|{'-' * 34}|{'-' * 11}:|", file=out)
        for name, label, base in TABLE_ROWS:
            entry = m.get(name)
            if entry is None:
                continue
            if entry.get("status") in ("unavailable", "error", "skipped"):
                print(f"| {label:<48} | {'-':>12} | {entry.get('reason', '')[:32]:<32} | {'':>10} |", file=out)
                continue
            rss = f"{entry['peak_rss_mib']:,.0f} MiB" if entry.get("peak_rss_mib") else ""
            print(f"| {label:<48} | {_show_seconds(entry):>12} | {_ratio(m, name, base):<32} | {rss:>10} |", file=out)
        ours = (m.get("query.ecmgraph") or {}).get("queries") or {}
        if ours:
            theirs = rdflib_side(m, _needing_validation_of(run))
            remote = (m.get("endpoint.query") or {}).get("queries") or {}
            print(
                f"\n| {'packaged query':<24} | {'ecmgraph':>10} | {'rdflib':>10} | {'rdflib/ecm':>10} | "
                f"{'endpoint':>10} | rows (ecmgraph/rdflib) |",
                file=out,
            )
            print(f"|{'-' * 26}|{'-' * 11}:|{'-' * 11}:|{'-' * 11}:|{'-' * 11}:|{'-' * 24}|", file=out)
            for name in sorted(ours):
                a, b, c = ours[name], theirs.get(name, {}), remote.get(name, {})
                ratio = ""
                if a.get("seconds") and (b.get("seconds") or b.get("seconds_lower_bound")):
                    ratio = (
                        "> " if b.get("status") == "timeout" else ""
                    ) + f"{(b.get('seconds') or b['seconds_lower_bound']) / a['seconds']:,.1f}x"
                print(
                    f"| {name:<24} | {_show_seconds(a) if a.get('status') == 'ok' else a.get('status'):>10} | "
                    f"{_show_seconds(b) if b else '':>10} | {ratio:>10} | {_show_seconds(c) if c else '':>10} | "
                    f"{a.get('rows', '')}/{b.get('rows', b.get('status', ''))} |",
                    file=out,
                )
            print(file=out)
        skipped = [(n, e["reason"]) for n, e in m.items() if e.get("status") in ("unavailable", "error")]
        for name, reason in skipped:
            print(f"- {name}: {reason}", file=out)
        for check, value in run["checks"].items():
            if check == "engines_agree":
                for other, v in value.items():
                    print(f"- check engines agree (ecmgraph vs {other}): {v['status']} {v.get('reason', '')}", file=out)
            elif check == "query_rows_agree":
                differ = ", ".join(f"{n} {a}/{b}" for n, (a, b) in value.get("differ", {}).items())
                print(
                    f"- check {check}: {value['status']}: {value.get('compared')} queries compared"
                    + (f"; rows differ: {differ}" if differ else "")
                    + (
                        f"; not compared: {', '.join(value.get('not_compared', {}))}"
                        if value.get("not_compared")
                        else ""
                    ),
                    file=out,
                )
            else:
                detail = (
                    f"{value.get('expected')} expected, {len(value.get('missing', []))} missing, "
                    f"{len(value.get('unexpected', []))} unexpected"
                    if value["status"] in ("passed", "failed")
                    else value.get("reason", "")
                )
                print(f"- check {check}: {value['status']}: {detail}", file=out)
    print("\n## startup\n", file=out)
    for name, entry in result["startup"].items():
        print(f"- {name}: {_show_seconds(entry)} {entry.get('reason', '')}", file=out)
    print("\n## goals\n", file=out)
    print(f"| {'goal':<20} | {'scale':>5} | {'target':<30} | {'measured':>10} | met |", file=out)
    print(f"|{'-' * 22}|{'-' * 6}:|{'-' * 32}|{'-' * 11}:|-----|", file=out)
    for g in result["goals"]:
        measured = "-" if g["measured"] is None else f"{g['measured']:,.3f}"
        met = {True: "yes", False: "NO", None: "-"}[g["met"]]
        scale = "" if g["scale"] is None else f"{g['scale']:g}"
        print(
            f"| {g['id']:<20} | {scale:>5} | {g['goal']:<30} | {measured:>10} | {met:<3} |"
            + (f" {g['reason'][:90]}" if g.get("reason") else ""),
            file=out,
        )


def _plot_point(entry: dict[str, Any]) -> tuple[float, bool] | None:
    """(seconds, is a lower bound) of one measurement for the plot, or None where there is nothing to draw: it did
    not run, failed, or is a sum over queries some of which did not finish (a sum of the rest would go down)."""
    if entry.get("status") == "timeout":
        return entry["seconds_lower_bound"], True
    if entry.get("status") != "ok" or not entry.get("seconds"):
        return None
    if any(q.get("status") != "ok" for q in (entry.get("queries") or {}).values()):
        return None
    return entry["seconds"], False


def plot(result: dict[str, Any], path: Path) -> None:
    """Time against graph size, one line per engine and part (log-log); a measurement stopped at the time limit is
    an upward triangle at the limit (a lower bound), not joined to the line."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    series: dict[str, list[tuple[int, float, bool]]] = {}
    for run in result["runs"]:
        for name, label, _ in TABLE_ROWS:
            point = _plot_point(run["measurements"].get(name, {}))
            if point:
                series.setdefault(label, []).append((run["triples"], *point))
    fig, ax = plt.subplots(figsize=(13, 7))
    colours = plt.get_cmap("tab20").colors
    for i, (label, points) in enumerate(sorted(series.items())):
        points.sort()
        colour = colours[i % len(colours)]
        measured = [(x, y) for x, y, bound in points if not bound]
        bounds = [(x, y) for x, y, bound in points if bound]
        style = (
            "--"
            if label.startswith(
                ("load N-Triples: rdflib", "load Turtle: rdflib", "validate: --engine", "queries: rdflib")
            )
            else "-"
        )
        if measured:
            ax.plot(*zip(*measured), style, marker="o", color=colour, label=label)
        if bounds:
            ax.plot(
                *zip(*bounds),
                linestyle="none",
                marker="^",
                markersize=9,
                color=colour,
                label=f"{label}: stopped (lower bound)",
            )
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlabel("triples")
    ax.set_ylabel("seconds (median)")
    machine = result["machine"]
    ax.set_title(
        f"ecmgraph bench: time against graph size ({machine['cpus']} CPUs, {machine['memory_gib']} GiB, "
        f"Python {machine['python']})\na sum over queries is left out where one of them did not finish",
        fontsize=10,
    )
    ax.grid(True, which="both", alpha=0.3)
    ax.legend(fontsize=8, loc="upper left", bbox_to_anchor=(1.01, 1.0), borderaxespad=0)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)


def machine_info() -> dict[str, Any]:
    def version(module: str) -> str | None:
        try:
            from importlib.metadata import version as v

            return v(module)
        except Exception:
            return None

    cpu = ""
    with contextlib.suppress(OSError):
        cpu = next(
            (
                line.split(":", 1)[1].strip()
                for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")
            ),
            "",
        )
    try:
        import psutil

        memory = round(psutil.virtual_memory().total / 1024**3, 1)
    except ModuleNotFoundError:  # psutil is a bench extra; /proc tells the same on Linux
        kib = next(
            int(line.split()[1])
            for line in Path("/proc/meminfo").read_text().splitlines()
            if line.startswith("MemTotal")
        )
        memory = round(kib / 1024 / 1024, 1)
    commit = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True
    ).stdout.strip()
    dirty = subprocess.run(
        ["git", "status", "--porcelain", "--", "ecmgraph", "shapes", "queries", "ontology", "data"],
        cwd=ROOT,
        capture_output=True,
        text=True,
    ).stdout.strip()
    if commit and dirty:
        commit += " (with uncommitted changes to ecmgraph/assets)"
    return {
        "cpus": os.cpu_count(),
        "cpu_model": cpu,
        "memory_gib": memory,
        "platform": platform.platform(),
        "python": platform.python_version(),
        "versions": {
            name: version(name)
            for name in ("rdflib", "pyoxigraph", "oxigraph", "pyshacl", "owlrl", "ecmgraph", "matplotlib", "psutil")
        },
        "ecmgraph_commit": commit,
    }


# --- main ----------------------------------------------------------------------------------------------------------


def run_scale(r: Runner, scale: float, args: argparse.Namespace, parts: set[str]) -> dict[str, Any]:
    data_dir = args.data_dir / f"scale-{generate.scale_name(scale)}"
    print(f"scale {scale:g}: generating into {data_dir}", file=sys.stderr)
    began = time.perf_counter()
    manifest = generate.generate(scale, data_dir, seed=args.seed, as_of=args.as_of, formats=("nt", "ttl"), quiet=True)
    generate_seconds = time.perf_counter() - began
    print(f"  {manifest['triples']:,} triples in {generate_seconds:.1f} s", file=sys.stderr)
    files = {fmt: data_dir / name for fmt, name in manifest["files"].items()}
    as_of = manifest["as_of"]
    work = Path(tempfile.mkdtemp(prefix="ecmgraph-bench-"))
    m: dict[str, Any] = {}
    checks: dict[str, Any] = {}
    needing = needing_validation()
    try:
        if "load" in parts:
            m.update(measure_load(r, files))
        if "validate" in parts:
            m.update(measure_validate(r, files["nt"], as_of, work))
            ours = read_findings(work / "findings-ecmgraph.json")
            checks["injected_violations"] = check_injected(manifest, ours, "ecmgraph")
            checks["engines_agree"] = {
                "validate.pyshacl": compare_findings(
                    ours, read_findings(work / "findings-pyshacl.json"), ("ecmgraph", "pyshacl")
                ),
                "validate.pyshacl_owlrl": compare_findings(
                    ours, read_findings(work / "findings-pyshacl-owlrl.json"), ("ecmgraph", "pyshacl_owlrl")
                ),
            }
        if "publish" in parts:
            if "validate.cli" not in m:
                argv = ecmgraph_argv("validate", str(files["nt"]), "--as-of", as_of, "--format", "json")
                m["validate.cli"] = r.measure("ecmgraph validate FILE (end to end)", "cli", {"argv": argv})
            m.update(measure_publish(r, files["nt"], as_of, work))
        if "query" in parts:
            m.update(measure_queries(r, files["nt"], manifest["samples"], work))
            rows_agree = query_rows_check(m, needing)
            if rows_agree:
                checks["query_rows_agree"] = rows_agree
        if "endpoint" in parts:
            m.update(
                measure_endpoint(
                    r,
                    files["nt"],
                    as_of,
                    manifest["samples"],
                    work,
                    validate_ok=(m.get("validate.ecmgraph") or {}).get("status") == "ok",
                    queries_ok=(m.get("query.ecmgraph") or {}).get("status") == "ok",
                )
            )
            if (m.get("endpoint.validate") or {}).get("status") == "ok":
                checks["engines_agree"]["endpoint.validate"] = compare_findings(
                    read_findings(work / "findings-ecmgraph.json"),
                    read_findings(work / "findings-endpoint.json"),
                    ("ecmgraph", "endpoint"),
                )
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return {
        "scale": scale,
        "repeat": args.repeat,
        "triples": manifest["triples"],
        "units": manifest["units"],
        "authorities_existing_on_as_of": manifest["authorities_existing_on_as_of"],
        "injected_findings": len(manifest["expected"]),
        "data": {"dir": str(data_dir), "files": manifest["files"], "sha256": manifest["sha256"]},
        "generate_seconds": round(generate_seconds, 3),
        "measurements": m,
        "checks": checks,
        "queries_needing_validation": needing,
    }


PARTS = ("load", "validate", "publish", "query", "endpoint", "startup")


def summarise(
    runs: list[dict[str, Any]],
    startup: dict[str, Any],
    settings: dict[str, Any],
    started: float,
    *,
    partial: bool = False,
) -> dict[str, Any]:
    """The figures of a run and its goals, as the JSON holds them (``partial`` while larger scales are to come)."""
    goals = [g for run in runs for g in goals_for(run)] + (global_goals(runs, startup) if startup else [])
    result = {
        "schema_version": SCHEMA_VERSION,
        "generated_by": "bench/run.py",
        "machine": machine_info(),
        "settings": settings,
        "runs": runs,
        "startup": startup,
        "goals": goals,
        "total_seconds": round(time.perf_counter() - started, 1),
    }
    if partial:
        result["partial"] = True
    return result


def write_json(path: Path, result: dict[str, Any]) -> None:
    """Write the figures whole: to a temporary file beside ``path``, then renamed over it."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(path.name + ".tmp")
    temporary.write_text(json.dumps(result, indent=1) + "\n", encoding="utf-8")
    temporary.replace(path)


def combine(paths: list[Path]) -> dict[str, Any]:
    """The runs of earlier JSON files as one result: their runs by scale (a scale measured twice is an error), the
    first file's start-up figures and machine, and the goals worked out again over all the runs."""
    results = []
    for path in paths:
        try:
            result = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise SystemExit(f"Error: {path}: cannot read the figures: {exc}") from None
        if result.get("schema_version") != SCHEMA_VERSION or "runs" not in result:
            raise SystemExit(f"Error: {path}: not a bench/run.py JSON file of schema version {SCHEMA_VERSION}")
        results.append(result)
    runs: list[dict[str, Any]] = []
    for path, result in zip(paths, results):
        for run in result["runs"]:
            if any(r["scale"] == run["scale"] for r in runs):
                raise SystemExit(
                    f"Error: {path}: scale {run['scale']:g} is in two of the files; combine one run of each scale"
                )
            run = {
                **run,
                "repeat": run.get("repeat", result["settings"]["repeat"]),
                "ecmgraph_commit": result["machine"].get("ecmgraph_commit"),
            }
            run["queries_needing_validation"] = _needing_validation_of(run)
            rows_agree = query_rows_check(run["measurements"], run["queries_needing_validation"])
            if rows_agree:
                run["checks"] = {**run["checks"], "query_rows_agree": rows_agree}
            runs.append(run)
    runs.sort(key=lambda r: r["scale"])
    startup = next((r["startup"] for r in results if r.get("startup")), {})
    settings = {
        **results[0]["settings"],
        "scales": [r["scale"] for r in runs],
        "repeat": min(r["repeat"] for r in runs),
        "combined_from": [
            {
                "file": str(p),
                "settings": r["settings"],
                "machine": r["machine"],
                "total_seconds": r.get("total_seconds"),
            }
            for p, r in zip(paths, results)
        ],
    }
    goals = [g for run in runs for g in goals_for(run)] + (global_goals(runs, startup) if startup else [])
    return {
        "schema_version": SCHEMA_VERSION,
        "generated_by": "bench/run.py --combine",
        "machine": results[0]["machine"],
        "settings": settings,
        "runs": runs,
        "startup": startup,
        "goals": goals,
        "total_seconds": round(sum(r.get("total_seconds") or 0 for r in results), 1),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    source = parser.add_mutually_exclusive_group(required=True)
    source.add_argument("--scale", help="a scale, or a comma list of scales (1 = about a million triples)")
    source.add_argument(
        "--combine",
        type=Path,
        nargs="+",
        metavar="JSON",
        help="measure nothing: join the runs of these earlier --json files and report them as one",
    )
    parser.add_argument(
        "--repeat", type=int, default=3, help="repetitions of each measurement; the median is kept (default 3)"
    )
    parser.add_argument("--json", type=Path, help="write every figure and the goals to FILE")
    parser.add_argument("--plot", type=Path, help="draw time against graph size to FILE (PNG)")
    parser.add_argument(
        "--data-dir", type=Path, default=BENCH / "out", help="where generated data goes (default bench/out)"
    )
    parser.add_argument("--as-of", type=dt.date.fromisoformat, default=generate.DEFAULT_AS_OF)
    parser.add_argument("--seed", type=int, default=generate.DEFAULT_SEED)
    parser.add_argument(
        "--timeout", type=float, default=DEFAULT_TIMEOUT, help="stop any one measurement after this (s)"
    )
    parser.add_argument("--memory-limit", type=float, default=20.0, help="address-space limit of each process (GiB)")
    parser.add_argument("--parts", default=",".join(PARTS), help=f"comma list of {', '.join(PARTS)} (default: all)")
    parser.add_argument(
        "--check", action="store_true", help="exit 1 if a check (injected violations, engines agree) failed"
    )
    args = parser.parse_args(argv)
    if args.combine:
        result = combine(args.combine)
        print_tables(result)
        return write_outputs(result, args)
    try:
        scales = sorted({float(s) for s in args.scale.split(",") if s.strip()})
    except ValueError:
        parser.error("--scale takes numbers, e.g. 1 or 0.1,1,10")
    if not scales or any(s <= 0 for s in scales):
        parser.error("--scale must be positive")
    if args.repeat < 1:
        parser.error("--repeat must be at least 1")
    parts = {p.strip() for p in args.parts.split(",") if p.strip()}
    if parts - set(PARTS):
        parser.error(f"unknown part(s): {', '.join(sorted(parts - set(PARTS)))}")
    r = Runner(args.repeat, args.timeout, args.memory_limit)
    started = time.perf_counter()
    print("startup", file=sys.stderr)
    startup = measure_startup(r) if "startup" in parts else {}
    settings = {
        "scales": scales,
        "repeat": args.repeat,
        "as_of": args.as_of.isoformat(),
        "seed": args.seed,
        "timeout_seconds": args.timeout,
        "memory_limit_gib": args.memory_limit,
        "parts": sorted(parts),
    }
    runs: list[dict[str, Any]] = []
    for scale in scales:
        runs.append(run_scale(r, scale, args, parts))
        if args.json and scale != scales[-1]:  # a long run keeps what it has measured if it is stopped later
            write_json(args.json, summarise(runs, startup, settings, started, partial=True))
    result = summarise(runs, startup, settings, started)
    print_tables(result)
    return write_outputs(result, args)


def write_outputs(result: dict[str, Any], args: argparse.Namespace) -> int:
    """Write ``--json`` and ``--plot``; the exit status (1 if ``--check`` is given and a check failed)."""
    runs = result["runs"]
    if args.json:
        write_json(args.json, result)
    if args.plot:
        try:
            import matplotlib  # noqa: F401
        except ModuleNotFoundError:
            print("plot skipped: matplotlib is not installed (pip install -e '.[bench]')", file=sys.stderr)
        else:
            args.plot.parent.mkdir(parents=True, exist_ok=True)
            plot(result, args.plot)
    if args.check:
        failed = [
            c for run in runs for c in run["checks"].values() if isinstance(c, dict) and c.get("status") == "failed"
        ]
        failed += [
            v for run in runs for v in run["checks"].get("engines_agree", {}).values() if v.get("status") == "differ"
        ]
        return 1 if failed else 0
    return 0


if __name__ == "__main__":
    sys.exit(main())
