"""Worker processes that answer queries, so that a query can be stopped: pyoxigraph has no time limit of its own.

The workers are forked from the server once the data is loaded, each with the loaded store in its (copy-on-write)
memory, and take one task at a time through a pipe. A task that outlives its deadline, or whose client goes away,
is stopped by killing its worker, which is replaced by a new fork: an answer is whole or an error, never cut.
Waiting tasks queue for a free worker, up to a limit past which the server is busy.
"""

from __future__ import annotations

import asyncio
import contextlib
import ctypes
import multiprocessing
import os
import signal
import sys
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from multiprocessing.connection import Connection
from typing import Any

from ecmgraph.errors import EcmgraphError

#: A task's function, run in a worker: given the state the workers were forked with and the task's arguments.
Task = Callable[..., Any]


class ServeError(Exception):
    """A request that is answered with an HTTP error status and a one-line message."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


@dataclass
class _Worker:
    process: multiprocessing.process.BaseProcess
    conn: Connection


class WorkerPool:
    """``size`` forked workers running the ``tasks`` on ``state``, each task stopped after ``timeout`` seconds
    (its wait for a worker included); at most ``max_waiting`` tasks wait for a worker at once."""

    def __init__(
        self,
        state: object,
        tasks: Mapping[str, Task],
        *,
        size: int,
        timeout: float,
        max_waiting: int,
        on_start: Callable[[object], None] | None = None,
    ) -> None:
        self.state = state
        self.tasks = dict(tasks)
        self.size = size
        self.timeout = timeout
        self.max_waiting = max_waiting
        self.on_start = on_start
        self._context = multiprocessing.get_context("fork")
        self._workers: list[_Worker] = []
        self._idle: asyncio.Queue[_Worker] | None = None
        self._waiting = 0
        self.replaced = 0  # workers killed and replaced (a deadline passed, or a client went away)

    def start(self) -> None:
        """Fork the workers (call it in the event loop that will use the pool)."""
        self._idle = asyncio.Queue()
        for _ in range(self.size):
            self._idle.put_nowait(self._fork())

    def close(self) -> None:
        """Kill every worker."""
        for worker in self._workers:
            _kill(worker)
        self._workers.clear()

    @property
    def pids(self) -> list[int]:
        """The workers' process ids."""
        return [w.process.pid for w in self._workers if w.process.pid is not None]

    async def run(self, task: str, **arguments: Any) -> Any:
        """The result of ``task`` run in a worker. Raises ServeError: 503 when too many tasks wait, 504 when the
        deadline passes (the worker is killed and replaced), the task's own error status otherwise; and
        CancelledError, after killing the worker, when the caller is cancelled (its client went away)."""
        if self._idle is None:
            raise RuntimeError("the pool is not started")
        loop = asyncio.get_running_loop()
        deadline = loop.time() + self.timeout
        if self._waiting >= self.max_waiting:
            waiting = f"{self._waiting} {'query is' if self._waiting == 1 else 'queries are'} waiting"
            raise ServeError(503, f"the server is busy: {waiting}; try again shortly")
        self._waiting += 1
        try:
            worker = await asyncio.wait_for(self._idle.get(), self.timeout)
        except TimeoutError:
            raise ServeError(504, self._late("waited for a free worker for")) from None
        finally:
            self._waiting -= 1
        healthy = False
        try:
            try:
                worker.conn.send((task, arguments))
            except OSError:
                raise ServeError(500, "the worker for the query had stopped; it was replaced: try again") from None
            reply = await self._receive(worker, deadline - loop.time())
            healthy = True
        finally:
            if healthy:
                self._idle.put_nowait(worker)
            else:  # stopped mid-task (deadline, client gone) or dead: a fresh fork takes its place
                self._replace(worker)
        if reply[0] == "ok":
            return reply[1]
        raise ServeError(reply[1], reply[2])

    def _late(self, what: str) -> str:
        return (
            f"the query {what} more than {self.timeout:g} s, the time limit of this server (--timeout), and was stopped"
        )

    async def _receive(self, worker: _Worker, seconds: float) -> tuple[Any, ...]:
        loop = asyncio.get_running_loop()
        ready: asyncio.Future[None] = loop.create_future()
        fd = worker.conn.fileno()

        def wake() -> None:
            if not ready.done():
                ready.set_result(None)

        loop.add_reader(fd, wake)
        try:
            await asyncio.wait_for(ready, max(seconds, 0.001))
        except TimeoutError:
            raise ServeError(504, self._late("ran for")) from None
        finally:
            loop.remove_reader(fd)
        try:
            reply: tuple[Any, ...] = worker.conn.recv()
        except (EOFError, OSError):
            raise ServeError(500, "the worker answering the query stopped; it was replaced") from None
        return reply

    def _replace(self, worker: _Worker) -> None:
        _kill(worker)
        self._workers.remove(worker)
        self.replaced += 1
        assert self._idle is not None
        self._idle.put_nowait(self._fork())

    def _fork(self) -> _Worker:
        ours, theirs = self._context.Pipe()
        others = [w.conn.fileno() for w in self._workers] + [ours.fileno()]
        process = self._context.Process(
            target=_serve_tasks,
            args=(theirs, self.tasks, self.state, others, self.on_start),
            name="ecmgraph-serve-worker",
            daemon=True,
        )
        process.start()
        theirs.close()
        worker = _Worker(process, ours)
        self._workers.append(worker)
        return worker


def _kill(worker: _Worker) -> None:
    with contextlib.suppress(OSError, ValueError):
        worker.process.kill()
        worker.process.join(5)
    with contextlib.suppress(OSError):
        worker.conn.close()


def _serve_tasks(
    conn: Connection,
    tasks: Mapping[str, Task],
    state: object,
    close_fds: list[int],
    on_start: Callable[[object], None] | None,
) -> None:
    """A worker's life: one task at a time, until its server closes the pipe or dies."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C reaches the whole process group: the server stops us
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    with contextlib.suppress(ValueError):
        signal.set_wakeup_fd(-1)
    _die_with_parent()
    for fd in close_fds:  # the server's ends of the other workers' pipes, so that their end-of-file is seen
        with contextlib.suppress(OSError):
            os.close(fd)
    if on_start is not None:
        on_start(state)
    while True:
        try:
            task, arguments = conn.recv()
        except (EOFError, OSError, KeyboardInterrupt):
            os._exit(0)
        try:
            reply: tuple[Any, ...] = ("ok", tasks[task](state, **arguments))
        except ServeError as exc:
            reply = ("error", exc.status, exc.message)
        except EcmgraphError as exc:
            reply = ("error", 400, exc.one_line())
        except Exception as exc:  # a bug: said in one line; the worker goes on
            reply = ("error", 500, " ".join(f"internal error: {type(exc).__name__}: {exc}".split()))
        try:
            conn.send(reply)
        except (OSError, ValueError):
            os._exit(0)


def _die_with_parent() -> None:
    """Ask Linux to kill this worker when the server dies, however it dies (no-op elsewhere)."""
    if sys.platform.startswith("linux"):
        with contextlib.suppress(OSError, AttributeError):
            pr_set_pdeathsig = 1
            ctypes.CDLL(None, use_errno=True).prctl(pr_set_pdeathsig, signal.SIGKILL)
