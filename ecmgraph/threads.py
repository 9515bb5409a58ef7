"""Work run in a worker thread with a large stack, waited for so that Ctrl-C and a time limit stop the wait.

pyoxigraph's parsers recurse, and release the interpreter lock while they parse and evaluate: in a thread of its
own, with room to recurse, a parse or a query leaves the main thread free to take Ctrl-C and to give up at a
deadline. The threads are kept for the next piece of work once theirs ends.
"""

from __future__ import annotations

import os
import queue
import threading
import time
import traceback
from collections.abc import Callable
from contextvars import Context, copy_context
from typing import TypeVar

from ecmgraph.errors import QueryTimeout

T = TypeVar("T")

#: The worker thread's stack: pyoxigraph's parsers recurse, and 8 MiB (the usual main-thread stack) overflows at a
#: few thousand levels; 256 MiB holds tens of thousands, well past the nesting limits of :mod:`ecmgraph.limits` (the
#: pages are only reserved).
STACK_BYTES = 256 * 1024 * 1024
_STACK_LOCK = threading.Lock()
#: How often the main thread looks up from waiting, to take Ctrl-C and check the time.
_POLL_SECONDS = 0.1


def usable_cpus() -> int:
    """The CPUs this process may run on (its affinity, where the system says; else every CPU): how many worker
    processes publish and serve start by default."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def run_guarded(func: Callable[[], T], *, timeout: float | None = None, what: str = "the query") -> T:
    """``func()`` run in a worker thread with a large stack, waited for so that Ctrl-C (KeyboardInterrupt) and
    ``timeout`` (seconds) stop the wait within a fraction of a second.

    pyoxigraph releases the interpreter lock while it parses and evaluates, so the main thread stays free. A
    query abandoned on a timeout or Ctrl-C runs on in its (daemon) thread until it ends or the process does.
    The threads are kept for the next query once theirs ends (starting one costs more than a small query).
    Raises QueryTimeout, KeyboardInterrupt, or whatever ``func`` raised.
    """
    job = _Job(func, copy_context())
    _idle_worker().give(job)
    deadline = None if timeout is None else time.monotonic() + timeout
    while not job.done.is_set():
        left = _POLL_SECONDS if deadline is None else min(_POLL_SECONDS, deadline - time.monotonic())
        if left <= 0:
            raise QueryTimeout(
                f"{what} ran for more than {timeout:g} s, the time limit",
                hint="give a longer --timeout, or narrow the query",
            )
        job.done.wait(left)
    ok, value = job.outcome
    if not ok:
        assert isinstance(value, BaseException)
        raise value
    return value  # type: ignore[return-value]


class _Job:
    """A function to run in a worker thread, in a copy of the caller's context, and what came of it."""

    def __init__(self, func: Callable[[], object], context: Context) -> None:
        self.func, self.context = func, context
        self.done = threading.Event()
        self.outcome: tuple[bool, object] = (False, None)

    def run(self) -> None:
        try:
            self.outcome = (True, self.context.run(self.func))
        except BaseException as exc:  # handed to the waiting thread, which raises it
            # pyoxigraph's iterators must be dropped in the thread that made them: free the frames' locals here.
            traceback.clear_frames(exc.__traceback__)
            self.outcome = (False, exc)
        finally:
            self.func = self.context = None  # type: ignore[assignment]


class _Worker:
    """A daemon thread with a large stack that runs the jobs it is given, one at a time, and is idle between."""

    def __init__(self) -> None:
        self._jobs: queue.SimpleQueue[_Job] = queue.SimpleQueue()
        with _STACK_LOCK:
            previous = threading.stack_size(STACK_BYTES)
            try:
                thread = threading.Thread(target=self._loop, name="ecmgraph-worker", daemon=True)
                thread.start()
            except RuntimeError:  # no room for the stack (a small ulimit -v): the usual one, and the depth limits
                threading.stack_size(previous)
                thread = threading.Thread(target=self._loop, name="ecmgraph-worker", daemon=True)
                thread.start()
            finally:
                threading.stack_size(previous)

    def give(self, job: _Job) -> None:
        self._jobs.put(job)

    def _loop(self) -> None:
        while True:
            job = self._jobs.get()
            job.run()
            with _IDLE_LOCK:
                _IDLE.append(self)  # before the caller hears, so that its next query finds this thread idle
            job.done.set()
            del job


#: Workers waiting for a job (those of an abandoned query come back once it ends).
_IDLE: list[_Worker] = []
_IDLE_LOCK = threading.Lock()


def _idle_worker() -> _Worker:
    with _IDLE_LOCK:
        if _IDLE:
            return _IDLE.pop()
    return _Worker()


def _forget_workers() -> None:  # a forked child has none of its parent's threads
    global _IDLE_LOCK
    _IDLE_LOCK = threading.Lock()
    _IDLE.clear()


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_forget_workers)
