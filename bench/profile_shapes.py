"""Time each SHACL constraint query of ecmgraph's engine on one data file, to find the slow shapes.

    .venv/bin/python bench/profile_shapes.py bench/out/scale-1/england-synthetic.nt [--as-of 2026-01-01]
        [--top N] [--shape SUBSTR] [--show]

Loads FILE as ``ecmgraph validate`` does (``load_dataset``, then ``prepare``), dates the packaged shapes, and runs
every constraint query through ``validation_engine`` once, printing for each its seconds, rows and how much it raised the
process's peak RSS (``getrusage``: a rise shows only when a query needs more memory than any before it), slowest
first, with load, prepare and total lines. ``--shape`` keeps the constraints whose shape IRI contains SUBSTR;
``--show`` prints each kept query's text as ecmgraph runs it.
"""

from __future__ import annotations

import argparse
import datetime as dt
import resource
import sys
import time
from dataclasses import dataclass


def _peak_mib() -> float:
    """Peak resident set size of this process so far, in MiB (Linux reports KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


@dataclass(frozen=True)
class Timing:
    """One constraint query's run."""

    name: str
    seconds: float
    rows: int
    rss_rise: float


def _short(shape: str) -> str:
    return shape.rsplit("#", 1)[-1]


def main(argv: list[str] | None = None) -> int:
    """Run the profile; return the exit code."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("file")
    parser.add_argument("--as-of", default="2026-01-01", type=dt.date.fromisoformat)
    parser.add_argument("--top", type=int, default=0, help="print only the N slowest constraints (default: all)")
    parser.add_argument("--shape", default="", help="keep constraints whose shape IRI contains this text")
    parser.add_argument("--show", action="store_true", help="print each kept constraint's query")
    args = parser.parse_args(argv)

    from ecmgraph.store import load_dataset
    from ecmgraph.validation import Catalogue, dated_shapes, load_shapes, prepare, shape_constraints, validation_engine

    start = time.perf_counter()
    dataset = load_dataset([args.file])
    loaded = time.perf_counter()
    dataset = prepare(dataset)
    prepared = time.perf_counter()
    shapes = load_shapes()
    catalogue = Catalogue.from_graph(shapes)
    constraints = shape_constraints(dated_shapes(shapes, catalogue, args.as_of, catalogue.select()))
    constraints = [c for c in constraints if args.shape in c.shape]
    runner = validation_engine(dataset)
    before_queries = _peak_mib()
    print(f"load      {loaded - start:8.2f} s   peak RSS {before_queries:7.0f} MiB after load + prepare")
    print(f"prepare   {prepared - loaded:8.2f} s   ({len(dataset.store):,} quads; union default graph: {runner.union})")

    timings: list[Timing] = []
    names: dict[str, int] = {}
    for constraint in constraints:
        name = _short(constraint.shape)
        if constraint.component.endswith("SPARQLConstraintComponent") is False:
            name += " (" + constraint.component.rsplit("#", 1)[-1].removesuffix("ConstraintComponent") + ")"
        names[name] = names.get(name, 0) + 1
        if names[name] > 1:
            name += f" #{names[name]}"
        if args.show:
            print(f"\n--- {name}\n{constraint.query}\n")
        peak = _peak_mib()
        began = time.perf_counter()
        rows = len(runner.select(constraint.query).rows)
        timings.append(Timing(name, time.perf_counter() - began, rows, _peak_mib() - peak))

    total = sum(t.seconds for t in timings)
    shown = sorted(timings, key=lambda t: -t.seconds)
    if args.top:
        shown = shown[: args.top]
    print(f"\n{'constraint':45} {'seconds':>8} {'rows':>7} {'RSS rise MiB':>13}")
    for t in shown:
        print(f"{t.name:45} {t.seconds:8.3f} {t.rows:7d} {t.rss_rise:13.0f}")
    print(
        f"\nqueries   {total:8.2f} s   ({len(timings)} constraints)   peak RSS {_peak_mib():7.0f} MiB "
        f"(rise {_peak_mib() - before_queries:.0f} MiB)"
    )
    print(
        f"total     {time.perf_counter() - start:8.2f} s   (load {loaded - start:.2f} s + prepare "
        f"{prepared - loaded:.2f} s + queries {total:.2f} s)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
