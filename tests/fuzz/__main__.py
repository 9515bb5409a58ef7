"""``python -m tests.fuzz``: run the fuzzer for a while, print the figures, keep each failing input."""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

from .mutate import Case, Generator
from .runner import WORKER, run


def self_test(jobs: int) -> int:
    """Feed the deliberately bad command line to the runner: each part of the promise must be seen broken."""

    commands = ["fine", "traceback", "printed", "segfault", "connect @TCP@", "scribble", "errors", "hang"]
    cases = [Case(n, c.split()[0], "none", c.split()) for n, c in enumerate(commands)]
    summary = run(cases, jobs=jobs, time_limit=5, worker=[*WORKER, "tests.fuzz.badcli:cli"])
    print(summary.text())
    seen = {o.case.command: o.failures for o in summary.failing}
    expected = {
        "traceback": ["traceback"],
        "printed": ["traceback"],
        "segfault": ["signal"],
        "connect": ["connection"],
        "scribble": ["changed-file"],
        "errors": ["exit-code", "error-lines"],
        "hang": ["timeout"],
    }
    ok = seen == expected
    print("self-test:", "every failure seen" if ok else f"expected {expected}, saw {seen}")
    return 0 if ok else 1


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.fuzz", description=__doc__)
    parser.add_argument("--minutes", type=float, default=None, help="run for this long (default: until --inputs)")
    parser.add_argument("--inputs", type=int, default=None, help="stop after this many inputs")
    parser.add_argument("--seed", type=int, default=None, help="the RNG's seed (default: from the clock, printed)")
    parser.add_argument("--jobs", type=int, default=1, help="worker processes (default 1)")
    parser.add_argument("--time-limit", type=float, default=60.0, help="seconds one input may take (default 60)")
    parser.add_argument(
        "--huge", type=int, default=(16 << 20) + 1, help="largest token a mutation makes, in bytes (default 16 MiB+1)"
    )
    parser.add_argument(
        "--failures",
        type=Path,
        default=Path(tempfile.gettempdir(), "ecmgraph-fuzz-failures"),
        help="folder for failing inputs (default: ecmgraph-fuzz-failures in the temporary folder)",
    )
    parser.add_argument("--self-test", action="store_true", help="check the runner on a deliberately bad command")
    args = parser.parse_args(argv)
    if args.self_test:
        return self_test(args.jobs)
    if args.minutes is None and args.inputs is None:
        parser.error("give --minutes N or --inputs N")
    seed = args.seed if args.seed is not None else int(time.time())
    deadline = None if args.minutes is None else time.monotonic() + args.minutes * 60
    print(f"seed {seed}, {args.jobs} job(s), failing inputs to {args.failures}/", file=sys.stderr, flush=True)
    summary = run(
        Generator(seed, huge=args.huge),
        jobs=args.jobs,
        time_limit=args.time_limit,
        deadline=deadline,
        limit=args.inputs,
        failures_dir=args.failures,
        progress=True,
    )
    print(f"seed: {seed}")
    print(summary.text())
    for outcome in summary.failing[:20]:
        print(
            f"  case {outcome.case.id} ({outcome.case.command}, {outcome.case.mutation}): {', '.join(outcome.failures)}"
        )
    return 1 if summary.failing else 0


if __name__ == "__main__":
    sys.exit(main())
