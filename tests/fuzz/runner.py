"""Runs cases in worker processes and judges each outcome against ecmgraph's promise.

The promise, per input: no Python traceback (nor Rust panic) on standard error without ``--debug``, no death by a
signal, an exit code of the README's table (0 to 3), at most one ``Error:`` line, no connection to the loopback
listeners (an HTTP server and a bare TCP port that the inputs' IRIs point at), no file created, changed or removed
in the case's private folder but the ``-o`` file or the ``--store`` folder asked for, and an end within the time
limit. Each worker slot has listeners of its own, so a connection is put down to the case its worker was running.
"""

from __future__ import annotations

import base64
import collections
import hashlib
import http.server
import json
import os
import selectors
import shlex
import shutil
import signal
import socket
import socketserver
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from .mutate import HTTP, ROOT, TCP, Case
from .worker import TRACEBACK_MARKS

ALLOWED_EXIT_CODES = frozenset({0, 1, 2, 3})
#: Cases a worker runs before it is replaced by a fresh one (bounds what leaks from case to case).
CASES_PER_WORKER = 250
WORKER = [sys.executable, "-m", "tests.fuzz.worker"]
#: An Error: line longer than this is counted (a message quoting a huge token), though it breaks no promise.
LONG_ERROR = 1000
FAILURE_KINDS = ("traceback", "signal", "exit-code", "error-lines", "connection", "changed-file", "timeout")


# --- listeners --------------------------------------------------------------------------------------------------


class Listeners:
    """An HTTP server and a bare TCP listener on loopback that record every connection made to them."""

    def __init__(self) -> None:
        self.seen: list[str] = []
        self._lock = threading.Lock()
        listeners = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def _answer(self) -> None:
                listeners.record(f"http {self.command} {self.path}")
                body = b'{"head": {"vars": []}, "results": {"bindings": []}}'
                self.send_response(200)
                self.send_header("Content-Type", "application/sparql-results+json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            do_GET = do_POST = do_HEAD = do_PUT = _answer

            def log_message(self, format: str, *args: object) -> None:
                pass

        class Server(socketserver.ThreadingMixIn, http.server.HTTPServer):
            daemon_threads = True

        self.http = Server(("127.0.0.1", 0), Handler)
        self.tcp = socket.create_server(("127.0.0.1", 0))
        self.http_port = self.http.server_address[1]
        self.tcp_port = self.tcp.getsockname()[1]
        threading.Thread(target=self.http.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
        threading.Thread(target=self._accept, daemon=True).start()

    def record(self, what: str) -> None:
        with self._lock:
            self.seen.append(what)

    def _accept(self) -> None:
        while True:
            try:
                conn, peer = self.tcp.accept()
            except OSError:
                return
            self.record(f"tcp from {peer[0]}:{peer[1]}")
            conn.close()

    def take(self) -> list[str]:
        """The connections seen since the last call."""
        time.sleep(0.005)  # let a listener thread that has just accepted write it down
        with self._lock:
            seen, self.seen = self.seen, []
        return seen

    def substitute(self, data: bytes) -> bytes:
        return data.replace(HTTP.encode(), str(self.http_port).encode()).replace(
            TCP.encode(), str(self.tcp_port).encode()
        )

    def close(self) -> None:
        self.http.shutdown()
        self.http.server_close()
        self.tcp.close()


# --- workers ----------------------------------------------------------------------------------------------------


class Worker:
    """One worker process (tests/fuzz/worker.py), started again after a crash, a time-out or enough cases."""

    def __init__(self, command: Sequence[str]) -> None:
        self.command = list(command)
        self.process: subprocess.Popen[bytes] | None = None
        self.cases = 0

    def _start(self) -> subprocess.Popen[bytes]:
        env = {k: v for k, v in os.environ.items() if "proxy" not in k.lower()}
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH", "")]))
        env["PYTHONFAULTHANDLER"] = ""
        process = subprocess.Popen(
            self.command,
            cwd=ROOT,
            env=env,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        assert process.stdout is not None
        ready = process.stdout.readline()
        if not ready.startswith(b'{"ready"'):
            raise RuntimeError(f"the fuzz worker did not start: {ready!r}")
        self.cases = 0
        return process

    def run(self, request: dict[str, object], time_limit: float) -> tuple[str, dict[str, object] | int | None]:
        """("ok", answer), ("died", return code) or ("timeout", None)."""
        if self.process is None or self.process.poll() is not None or self.cases >= CASES_PER_WORKER:
            self.stop()
            self.process = self._start()
        process = self.process
        assert process.stdin is not None and process.stdout is not None
        self.cases += 1
        try:
            process.stdin.write(json.dumps(request).encode() + b"\n")
            process.stdin.flush()
        except BrokenPipeError:
            return "died", process.wait()
        with selectors.DefaultSelector() as selector:
            selector.register(process.stdout, selectors.EVENT_READ)
            if not selector.select(time_limit):
                self.stop()
                return "timeout", None
        line = process.stdout.readline()
        if not line:
            code = process.wait()
            self.process = None
            return "died", code
        answer: dict[str, object] = json.loads(line)
        return "ok", answer

    def stop(self) -> None:
        if self.process is not None:
            if self.process.poll() is None:
                os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()
            self.process = None


# --- judging ----------------------------------------------------------------------------------------------------


def snapshot(folder: Path) -> dict[str, str]:
    """Every path under ``folder`` with its kind, mode and content digest."""
    state: dict[str, str] = {}
    for dirpath, dirnames, filenames in os.walk(folder):
        for name in dirnames + filenames:
            path = Path(dirpath, name)
            rel = path.relative_to(folder).as_posix()
            if rel == "fd2.log":
                continue
            st = path.lstat()
            if path.is_symlink():
                state[rel] = f"link {os.readlink(path)}"
            elif path.is_dir():
                state[rel] = f"dir {st.st_mode:o}"
            else:
                digest = hashlib.sha256(path.read_bytes()).hexdigest() if path.is_file() else "special"
                state[rel] = f"file {st.st_mode:o} {digest}"
    return state


def changed_paths(before: dict[str, str], after: dict[str, str], writes: Iterable[str]) -> list[str]:
    """Paths added, removed or changed that the command was not asked to write.

    A write ending in ``/`` is a folder the command owns (``--store``); any other is one file (``-o``); the
    folders above either may be created.
    """
    allowed_files, allowed_folders = set(), []
    for write in writes:
        name = os.path.normpath(write)
        (allowed_folders.append(name) if write.endswith("/") else allowed_files.add(name))
        parent = os.path.dirname(name)
        while parent:
            allowed_files.add(parent)
            parent = os.path.dirname(parent)
    changed = []
    for path in sorted(set(before) | set(after)):
        if before.get(path) == after.get(path) or path in allowed_files:
            continue
        if any(path == folder or path.startswith(folder + "/") for folder in allowed_folders):
            continue
        changed.append(path)
    return changed


@dataclass
class Outcome:
    """What a case did, and the parts of the promise it broke."""

    case: Case
    status: str  # ok, died, timeout
    exit_code: int | None
    stdout: str
    stderr: str
    connections: list[str]
    changed: list[str]
    seconds: float
    traceback: bool = False  # an uncaught exception, or a traceback or panic anywhere in the whole output
    error_lines: int = 0
    longest_error: int = 0
    failures: list[str] = field(default_factory=list)

    @property
    def exit_label(self) -> str:
        if self.status == "timeout":
            return "timeout"
        if self.status == "died":
            return f"signal {-self.exit_code}" if self.exit_code is not None and self.exit_code < 0 else "died"
        return str(self.exit_code)


def judge(outcome: Outcome) -> list[str]:
    """The parts of the promise ``outcome`` broke (names of FAILURE_KINDS)."""
    failures = []
    text = outcome.stderr + outcome.stdout
    if outcome.traceback or any(mark in text for mark in TRACEBACK_MARKS):
        failures.append("traceback")
    if outcome.status == "died":
        failures.append("signal")
    elif outcome.status == "ok" and outcome.exit_code not in ALLOWED_EXIT_CODES:
        failures.append("exit-code")
    if outcome.error_lines > 1:
        failures.append("error-lines")
    if outcome.connections and not outcome.case.allow_connections:
        failures.append("connection")
    if outcome.changed:
        failures.append("changed-file")
    if outcome.status == "timeout":
        failures.append("timeout")
    return failures


# --- running ----------------------------------------------------------------------------------------------------


@dataclass
class Summary:
    """The figures of a run."""

    inputs: int = 0
    seconds: float = 0.0
    by_command: collections.Counter[str] = field(default_factory=collections.Counter)
    by_exit: collections.Counter[str] = field(default_factory=collections.Counter)
    by_failure: collections.Counter[str] = field(default_factory=collections.Counter)
    failing: list[Outcome] = field(default_factory=list)
    connections_allowed: int = 0
    long_errors: int = 0  # Error: lines over LONG_ERROR characters: not a broken promise, but worth a look
    longest_error: int = 0

    def add(self, outcome: Outcome) -> None:
        self.inputs += 1
        self.by_command[outcome.case.command] += 1
        self.by_exit[outcome.exit_label] += 1
        if outcome.connections and outcome.case.allow_connections:
            self.connections_allowed += 1
        self.long_errors += outcome.longest_error > LONG_ERROR
        self.longest_error = max(self.longest_error, outcome.longest_error)
        for failure in outcome.failures:
            self.by_failure[failure] += 1
        if outcome.failures:
            self.failing.append(outcome)

    def text(self) -> str:
        """The summary as the command prints it."""

        def counts(counter: collections.Counter[str]) -> str:
            return ", ".join(f"{k} {v}" for k, v in sorted(counter.items())) or "none"

        lines = [
            f"inputs run: {self.inputs} in {self.seconds:.0f} s ({self.inputs / max(self.seconds, 1e-9):.1f}/s)",
            f"by command: {counts(self.by_command)}",
            f"by exit code: {counts(self.by_exit)}",
            f"tracebacks: {self.by_failure['traceback']}",
            f"signal deaths: {self.by_failure['signal']}",
            f"exit codes outside 0-3: {self.by_failure['exit-code']}",
            f"more than one Error: line: {self.by_failure['error-lines']}",
            f"unexpected connections: {self.by_failure['connection']}"
            f" (and {self.connections_allowed} allowed by --allow-service)",
            f"changed files: {self.by_failure['changed-file']}",
            f"over the time limit: {self.by_failure['timeout']}",
            f"failing inputs: {len(self.failing)}",
            f"Error: lines over {LONG_ERROR:,} characters: {self.long_errors} (longest {self.longest_error:,})",
        ]
        return "\n".join(lines)


def save(outcome: Outcome, folder: Path, files: dict[str, bytes]) -> Path:
    """Write a failing case where it can be run again: its files, what it did, and a script that reruns it."""
    where = folder / f"case-{outcome.case.id:06d}"
    inputs = where / "inputs"
    inputs.mkdir(parents=True, exist_ok=True)
    for name, data in files.items():
        (inputs / name).parent.mkdir(parents=True, exist_ok=True)
        (inputs / name).write_bytes(data)
    record = outcome.case.to_json() | {
        "failures": outcome.failures,
        "exit": outcome.exit_label,
        "stderr": outcome.stderr[-5000:],
        "connections": outcome.connections,
        "changed": outcome.changed,
        "seconds": round(outcome.seconds, 3),
    }
    del record["files"]
    (where / "case.json").write_text(json.dumps(record, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    env = " ".join(f"{k}={shlex.quote(v)}" for k, v in outcome.case.env.items())
    command = " ".join(shlex.quote(a) for a in outcome.case.args)
    (where / "repro.sh").write_text(
        f"#!/bin/sh\n# {', '.join(outcome.failures)}: rerun in a copy of inputs/\nset -e\n"
        f'tmp=$(mktemp -d) && cp -R "$(dirname "$0")/inputs/." "$tmp" && cd "$tmp"\n'
        f'{env + " " if env else ""}ecmgraph {command}\necho "exit $?"\n',
        encoding="utf-8",
    )
    return where


def run(
    cases: Iterable[Case],
    *,
    jobs: int = 1,
    time_limit: float = 30.0,
    deadline: float | None = None,
    limit: int | None = None,
    failures_dir: Path | None = None,
    worker: Sequence[str] = WORKER,
    progress: bool = False,
) -> Summary:
    """Run ``cases`` (at most ``limit``, until ``deadline`` on the monotonic clock) on ``jobs`` workers."""
    summary = Summary()
    lock = threading.Lock()
    source: Iterator[Case] = iter(cases)
    started = time.monotonic()
    base = Path(tempfile.mkdtemp(prefix="ecmgraph-fuzz-"))

    def next_case() -> Case | None:
        with lock:
            if (limit is not None and summary.inputs + taken[0] >= limit) or (
                deadline is not None and time.monotonic() >= deadline
            ):
                return None
            case = next(source, None)
            if case is not None:
                taken[0] += 1
            return case

    def slot(number: int) -> None:
        listeners, process = Listeners(), Worker(worker)
        try:
            while (case := next_case()) is not None:
                outcome, files = run_one(case, base / f"slot{number}", listeners, process, time_limit)
                with lock:
                    taken[0] -= 1
                    summary.add(outcome)
                    if outcome.failures and failures_dir is not None:
                        save(outcome, failures_dir, files)
                    if progress and summary.inputs % 500 == 0:
                        print(f"… {summary.inputs} inputs, {len(summary.failing)} failing", file=sys.stderr, flush=True)
        finally:
            process.stop()
            listeners.close()

    taken = [0]
    threads = [threading.Thread(target=slot, args=(n,)) for n in range(jobs)]
    try:
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    finally:
        shutil.rmtree(base, ignore_errors=True)
    summary.seconds = time.monotonic() - started
    return summary


def run_one(
    case: Case, folder: Path, listeners: Listeners, worker: Worker, time_limit: float
) -> tuple[Outcome, dict[str, bytes]]:
    """Run one case in a fresh ``folder`` on ``worker``, and judge it."""
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    files = {name: listeners.substitute(data) for name, data in case.files.items()}
    for name, data in files.items():
        (folder / name).write_bytes(data)
    args = [
        listeners.substitute(a.encode("utf-8", "surrogateescape")).decode("utf-8", "surrogateescape") for a in case.args
    ]
    env = {"HOME": str(folder), **case.env}
    before = snapshot(folder)
    listeners.take()
    start = time.monotonic()
    status, answer = worker.run({"folder": str(folder), "args": args, "env": env}, time_limit)
    seconds = time.monotonic() - start
    fd2 = (folder / "fd2.log").read_text("utf-8", "replace") if (folder / "fd2.log").exists() else ""
    exit_code: int | None = None
    stdout = stderr = uncaught = ""
    traceback, error_lines, longest_error = False, 0, 0
    if status == "ok":
        assert isinstance(answer, dict)
        exit_code = int(str(answer["exit_code"]))
        stdout, stderr, uncaught = str(answer["stdout"]), str(answer["stderr"]), str(answer["uncaught"])
        traceback = bool(answer["traceback"]) or bool(uncaught)
        error_lines, longest_error = int(str(answer["error_lines"])), int(str(answer["longest_error"]))
    elif status == "died":
        assert isinstance(answer, int)
        exit_code = answer
    outcome = Outcome(
        case=Case(
            case.id, case.command, case.mutation, args, case.files, case.env, case.writes, case.allow_connections
        ),
        status=status,
        exit_code=exit_code,
        stdout=stdout,
        stderr=stderr + fd2 + (("\n" + uncaught) if uncaught else ""),
        connections=listeners.take(),
        changed=changed_paths(before, snapshot(folder), case.writes),
        seconds=seconds,
        traceback=traceback,
        error_lines=error_lines,
        longest_error=longest_error,
    )
    outcome.failures = judge(outcome)
    return outcome, files


def decode_files(data: dict[str, str]) -> dict[str, bytes]:
    """A saved case's files from their base64."""
    return {name: base64.b64decode(text) for name, text in data.items()}
