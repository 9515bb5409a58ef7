"""The ``ecmgraph`` command line: thin click commands over the public API (:mod:`ecmgraph.api`).

:mod:`~ecmgraph.cli.base` holds the group, the shared options and the error handling; the commands live in
one module per concern (``data``: stats, sparql, infer, load; ``validate``: validate, rules; ``query``: query;
``names``: lookup, list; ``init``, ``diagram``, ``publish``, ``push``, ``serve``: one command each).
Each command parses its options, calls one library function and renders the result.
"""

from __future__ import annotations

from ecmgraph.cli import data, diagram, init, names, publish, push, query, serve, validate
from ecmgraph.cli.base import cli

__all__ = ["cli", "data", "diagram", "init", "main", "names", "publish", "push", "query", "serve", "validate"]


def main() -> None:
    """Entry point of the ``ecmgraph`` console script."""
    cli(prog_name="ecmgraph")
