"""Run SPARQL text on a loaded dataset: the one place that turns engine results and errors into ecmgraph's.

Packaged queries (``queries.py``), the validator's constraint queries (``validation.py``) and ``ecmgraph
sparql`` all run through :func:`run_query`.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

import pyoxigraph as ox

from ecmgraph.errors import QuerySyntaxError
from ecmgraph.store import Dataset
from ecmgraph.tables import Graph, QueryResult, Table

_LOCATION = re.compile(r"^error at (\d+):(\d+): ?(.*)$", re.S)
_UPDATE = re.compile(r"^\s*(?:(?:PREFIX|BASE)\b[^\n]*\n\s*)*(INSERT|DELETE|LOAD|CLEAR|DROP|CREATE|ADD|MOVE|COPY|WITH)\b", re.I)


def syntax_error(exc: SyntaxError, source: str) -> QuerySyntaxError:
    """A pyoxigraph query SyntaxError as a QuerySyntaxError with line and column."""
    text = exc.msg or str(exc)
    match = _LOCATION.match(text)
    line, column, message = (int(match[1]), int(match[2]), match[3]) if match else (None, None, text)
    message = " ".join(message.split())
    hint = "check the query near there (SPARQL 1.1 Query; prefixes ecm:, org:, skos:… are predeclared)"
    if "Prefix not found" in message:
        message, hint = "unknown prefix", "declare it with PREFIX, or use a full <IRI>"
    elif len(message) > 140:  # the parser lists every token it would have accepted: keep the start
        message = message[:140].rsplit(",", 1)[0] + ", …"
    return QuerySyntaxError(f"SPARQL syntax error: {message}", file=source, line=line, column=column, hint=hint)


def values_clause(bindings: Mapping[str, ox.NamedNode | ox.BlankNode | ox.Literal]) -> str:
    """A SPARQL ``VALUES`` block binding each variable to one RDF term, written in N-Triples syntax.

    Terms are serialised by pyoxigraph, which escapes them: a value can never close the block or add syntax,
    so this is binding, not splicing (a literal such as ``y" } ; DROP ALL #`` stays one string literal).
    """
    names = sorted(bindings)
    for name in names:
        if not name.isidentifier():
            raise ValueError(f"not a SPARQL variable name: {name!r}")
        if isinstance(bindings[name], ox.BlankNode):
            raise ValueError("a blank node cannot be bound from outside a query")
    variables = " ".join(f"?{n}" for n in names)
    terms = " ".join(str(bindings[n]) for n in names)
    return f"VALUES ({variables}) {{ ({terms}) }}"


_WHERE_BRACE = re.compile(r"\b(?:WHERE|ASK)\s*\{", re.I)


def bind_values(query: str, bindings: Mapping[str, ox.NamedNode | ox.Literal]) -> str:
    """``query`` with a VALUES block for ``bindings`` as the first thing in its WHERE clause.

    At the start of the WHERE group the values constrain every pattern and FILTER of the query (a trailing
    VALUES would join only after grouping). Raises ValueError if the query has no ``WHERE {``.
    """
    if not bindings:
        return query
    match = _WHERE_BRACE.search(query)
    if match is None:
        raise ValueError("the query has no WHERE { … } to bind values in")
    return f"{query[:match.end()]}\n  {values_clause(bindings)}\n{query[match.end():]}"


def run_query(
    dataset: Dataset,
    text: str,
    *,
    source: str = "<query>",
    prefixes: Mapping[str, str] | None = None,
    bindings: Mapping[str, ox.NamedNode | ox.Literal] | None = None,
) -> QueryResult:
    """Run a SELECT, ASK, CONSTRUCT or DESCRIBE query over the union of the dataset's graphs.

    ``bindings`` gives variables their values through a VALUES block (:func:`bind_values`), the same way on
    every engine (pyoxigraph's own ``substitutions`` only reach projected variables).
    Raises QuerySyntaxError (with line and column in ``source``) for a query that does not parse or an update.
    """
    if _UPDATE.match(text):
        raise QuerySyntaxError(
            "this is a SPARQL update, and ecmgraph only runs queries",
            file=source,
            hint="use SELECT, ASK, CONSTRUCT or DESCRIBE; ecmgraph never modifies what it reads",
        )
    if bindings:
        text = bind_values(text, bindings)
    try:
        result = dataset.store.query(
            text,
            use_default_graph_as_union=True,
            prefixes=dict(prefixes) if prefixes else None,
        )
    except SyntaxError as exc:
        raise syntax_error(exc, source) from exc
    if isinstance(result, ox.QuerySolutions):
        return Table.from_solutions(result)
    if isinstance(result, ox.QueryBoolean):
        return bool(result)
    return Graph(tuple(result))
