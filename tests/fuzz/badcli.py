"""A deliberately bad command line, to show that the fuzz runner sees each way of breaking the promise.

``python -m tests.fuzz.worker tests.fuzz.badcli:cli`` serves it in place of ecmgraph's; tests/test_fuzz.py and
``python -m tests.fuzz --self-test`` feed it one case per command.
"""

from __future__ import annotations

import ctypes
import socket
import sys
import time
from pathlib import Path

import click


@click.group()
def cli() -> None:
    """Each command breaks one part of the promise."""


@cli.command()
def fine() -> None:
    """Keeps the promise."""
    click.echo("ok")


@cli.command()
def traceback() -> None:
    """Raises an exception nobody catches."""
    raise RuntimeError("a bug")


@cli.command()
def printed() -> None:
    """Prints a traceback itself, as a library's logging might, and exits 0."""
    click.echo('Traceback (most recent call last):\n  File "x.py", line 1\nValueError: x', err=True)


@cli.command()
def segfault() -> None:
    """Dies of SIGSEGV, as a parser's stack overflow does."""
    ctypes.string_at(0)


@cli.command()
@click.argument("port", type=int)
def connect(port: int) -> None:
    """Connects to PORT on loopback."""
    with socket.create_connection(("127.0.0.1", port), timeout=5):
        pass


@cli.command()
def scribble() -> None:
    """Writes a file nobody asked for."""
    Path("scribbled.txt").write_text("x")


@cli.command()
def errors() -> None:
    """Two Error: lines and an exit code outside the table."""
    click.echo("Error: one\nError: two", err=True)
    sys.exit(5)


@cli.command()
def hang() -> None:
    """Never ends."""
    time.sleep(3600)
