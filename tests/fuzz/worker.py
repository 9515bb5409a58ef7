"""A worker process: runs cases one after another, in-process with click's CliRunner, as the runner asks.

It serves ``ecmgraph.cli:cli``, or the click command its argument names (``module:attribute``). It reads one
JSON request a line on standard input (``{"folder", "args", "env"}``) and answers one JSON line on
the standard output it was started with. The command's own standard output and error are CliRunner's; what is
written to file descriptor 2 below Python (a Rust panic, a C library's message) goes to ``fd2.log`` in the case's
folder, which the runner reads, and which it reads too when the worker dies of a signal. A crash kills only this
process: the runner records it against the case and starts another worker.
"""

from __future__ import annotations

import json
import os
import sys
import traceback

#: What a Python traceback or a Rust panic prints.
TRACEBACK_MARKS = ("Traceback (most recent call last)", "panicked at")


def _clip(text: str, keep: int = 8000) -> str:
    return (
        text if len(text) <= 2 * keep else f"{text[:keep]}\n[… {len(text) - 2 * keep:,} characters …]\n{text[-keep:]}"
    )


def _traceback_of(exc: BaseException | None) -> str:
    if exc is None or isinstance(exc, SystemExit):
        return ""
    return "".join(traceback.format_exception(exc))


def serve() -> None:
    """Answer the runner's requests until its pipe closes."""
    answers = os.fdopen(os.dup(1), "w", encoding="utf-8")
    devnull = os.open(os.devnull, os.O_RDWR)
    os.dup2(devnull, 1)  # nothing below Python may write into the answers
    import importlib

    from click.testing import CliRunner

    module, _, name = (sys.argv[1] if len(sys.argv) > 1 else "ecmgraph.cli:cli").partition(":")
    cli = getattr(importlib.import_module(module), name)

    requests = sys.stdin
    answers.write(json.dumps({"ready": os.getpid()}) + "\n")
    answers.flush()
    for line in requests:
        request = json.loads(line)
        folder = request["folder"]
        os.chdir(folder)
        log = os.open(os.path.join(folder, "fd2.log"), os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
        saved = os.dup(2)
        os.dup2(log, 2)
        try:
            runner = CliRunner()
            result = runner.invoke(cli, request["args"], env=request["env"], catch_exceptions=True)
            stdout, stderr = result.stdout, result.stderr
            answer = {
                "exit_code": result.exit_code,
                "stdout": _clip(stdout),
                "stderr": _clip(stderr),
                "uncaught": _clip(_traceback_of(result.exception)),
                # judged on the whole text, which is clipped above to keep the answers small
                "traceback": any(mark in stdout + stderr for mark in TRACEBACK_MARKS),
                "error_lines": sum(1 for row in stderr.splitlines() if row.startswith("Error:")),
                "longest_error": max((len(row) for row in stderr.splitlines() if row.startswith("Error:")), default=0),
            }
        finally:
            os.dup2(saved, 2)
            os.close(saved)
            os.close(log)
            os.chdir("/")
        answers.write(json.dumps(answer) + "\n")
        answers.flush()


if __name__ == "__main__":
    serve()
