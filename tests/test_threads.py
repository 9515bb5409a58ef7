"""ecmgraph.threads: work in a worker thread, kept for the next piece of work, stopped waiting for at a deadline."""

from __future__ import annotations

import os
import threading

import pytest

from ecmgraph import threads
from ecmgraph.errors import QueryTimeout
from ecmgraph.threads import run_guarded


def test_a_thread_is_kept_for_the_next_piece_of_work() -> None:
    first = run_guarded(threading.get_ident)
    assert first != threading.get_ident()
    assert {run_guarded(threading.get_ident) for _ in range(50)} == {first}


def test_what_the_work_raises_is_raised_where_it_was_waited_for() -> None:
    def broken() -> None:
        raise ValueError("no such thing")

    with pytest.raises(ValueError, match="no such thing"):
        run_guarded(broken)
    assert run_guarded(lambda: 42) == 42


def test_work_abandoned_at_its_deadline_runs_on_and_the_next_gets_another_thread() -> None:
    release, ended = threading.Event(), threading.Event()
    held: list[int] = []

    def slow() -> None:
        held.append(threading.get_ident())
        release.wait(30)
        ended.set()

    with pytest.raises(QueryTimeout, match="more than 0.2 s"):
        run_guarded(slow, timeout=0.2)
    assert run_guarded(threading.get_ident) != held[0]  # not waiting behind the abandoned one
    assert not ended.is_set()
    release.set()
    assert ended.wait(5)  # it ran on to its end


def test_the_cpus_counted_are_those_the_process_may_run_on() -> None:
    expected = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    assert threads.usable_cpus() == expected >= 1
