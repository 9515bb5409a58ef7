"""serve's worker pool and socket on their own: real forked workers running small tasks, so that the limits can
be reached on purpose. Too many waiting is 503, a deadline passed is 504 with the worker replaced, a caller that
goes away kills its worker, a task's error comes back as its status and one line; and no connection waits for
ACKs."""

from __future__ import annotations

import asyncio
import socket
import time
from collections.abc import Awaitable, Callable
from typing import Any

import pytest

from ecmgraph.errors import InputError
from ecmgraph.serve.server import bind
from ecmgraph.serve.workers import ServeError, WorkerPool


def _sleep(state: object, seconds: float) -> str:
    time.sleep(seconds)
    return f"slept {seconds}"


def _echo(state: object, text: str) -> str:
    return f"{state}: {text}"


def _bad_input(state: object) -> None:
    raise InputError("no such authority: Nowhereshire", hint="try ecmgraph lookup")


def _bug(state: object) -> None:
    raise KeyError("a\nkey")


TASKS = {"sleep": _sleep, "echo": _echo, "bad_input": _bad_input, "bug": _bug}


def in_pool(size: int, timeout: float, max_waiting: int) -> Callable[..., Any]:
    """Run the decorated coroutine with a started pool, closed afterwards."""

    def wrap(body: Callable[[WorkerPool], Awaitable[None]]) -> Callable[[], None]:
        def run() -> None:
            async def main() -> None:
                pool = WorkerPool("the state", TASKS, size=size, timeout=timeout, max_waiting=max_waiting)
                pool.start()
                try:
                    await body(pool)
                finally:
                    pool.close()

            asyncio.run(main())

        return run

    return wrap


def test_a_task_runs_in_a_worker_with_the_state_it_was_forked_with() -> None:
    @in_pool(size=1, timeout=10, max_waiting=4)
    async def body(pool: WorkerPool) -> None:
        assert await pool.run("echo", text="hello") == "the state: hello"

    body()


def test_more_waiting_than_the_limit_is_503_and_the_others_are_answered() -> None:
    @in_pool(size=1, timeout=10, max_waiting=1)
    async def body(pool: WorkerPool) -> None:
        busy = asyncio.ensure_future(pool.run("sleep", seconds=1.0))
        await asyncio.sleep(0.2)  # the worker is taken
        waiting = asyncio.ensure_future(pool.run("echo", text="second"))
        await asyncio.sleep(0.05)  # the second waits for it
        with pytest.raises(ServeError) as refused:
            await pool.run("echo", text="third")
        assert refused.value.status == 503
        assert refused.value.message == "the server is busy: 1 query is waiting; try again shortly"
        assert await busy == "slept 1.0"
        assert await waiting == "the state: second"

    body()


def test_a_task_past_its_deadline_is_504_its_worker_replaced_and_the_next_task_works() -> None:
    @in_pool(size=1, timeout=0.5, max_waiting=4)
    async def body(pool: WorkerPool) -> None:
        before = pool.pids
        with pytest.raises(ServeError) as late:
            await pool.run("sleep", seconds=30)
        assert late.value.status == 504
        assert "more than 0.5 s, the time limit of this server (--timeout)" in late.value.message
        assert pool.replaced == 1
        assert pool.pids != before and len(pool.pids) == 1
        assert await pool.run("echo", text="after") == "the state: after"

    body()


def test_a_caller_that_goes_away_kills_its_worker() -> None:
    @in_pool(size=1, timeout=30, max_waiting=4)
    async def body(pool: WorkerPool) -> None:
        before = pool.pids
        call = asyncio.ensure_future(pool.run("sleep", seconds=30))
        await asyncio.sleep(0.2)
        call.cancel()
        with pytest.raises(asyncio.CancelledError):
            await call
        assert pool.replaced == 1 and pool.pids != before
        assert await pool.run("echo", text="after") == "the state: after"

    body()


def test_a_tasks_errors_come_back_as_a_status_and_one_line() -> None:
    @in_pool(size=1, timeout=10, max_waiting=4)
    async def body(pool: WorkerPool) -> None:
        with pytest.raises(ServeError) as bad:
            await pool.run("bad_input")
        assert bad.value.status == 400
        assert bad.value.message.startswith("no such authority: Nowhereshire")
        with pytest.raises(ServeError) as bug:
            await pool.run("bug")
        assert (bug.value.status, bug.value.message) == (500, "internal error: KeyError: 'a\\nkey'")
        assert pool.replaced == 0, "an error is an answer: the worker goes on"
        assert await pool.run("echo", text="after") == "the state: after"

    body()


def test_the_servers_connections_send_without_waiting_for_acks() -> None:
    """Nagle's algorithm off on what the listening socket accepts: with it on, each answer on a kept-alive
    connection waited about 40 ms for the client's delayed ACK (uvicorn writes the head and the body apart)."""
    listener = bind("127.0.0.1", 0)
    with listener, socket.create_connection(listener.getsockname()[:2]) as client:
        accepted, _ = listener.accept()
        with accepted:
            assert accepted.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY) != 0
    assert client.fileno() == -1
