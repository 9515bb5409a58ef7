"""Push named graphs to a triple store by the SPARQL 1.1 Graph Store HTTP Protocol, and read them back.

:func:`plan` says what a push would do to each graph (how many triples here, how many there now, and whether the
graph is replaced or added to); :func:`push` does it and then counts each graph on the server again:

- with ``replace``, the graph is PUT (its first part) and the rest POSTed, so the server's graph ends up being the
  local one exactly; without it, every part is POSTed, adding the local triples to what the graph holds;
- a graph is sent in parts of about :data:`CHUNK_BYTES` of N-Triples, so that no request is larger than a server
  takes; every triple with a blank node goes in the first part, since a server gives the blank nodes of each
  request new identities, and two parts would make one blank node two;
- afterwards the graph is counted through the query endpoint: for a replaced graph the count must be the local
  one, for an added-to graph at least the local one and at most the sum; anything else is an error.

Requests go through :class:`ecmgraph.endpoint.Endpoint`: the same deadline, size limit and no-redirect rule as
every query, and HTTP Basic authentication where a user is given.
"""

from __future__ import annotations

import base64
import urllib.parse
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

import pyoxigraph as ox

from ecmgraph.endpoint import Endpoint, check_url
from ecmgraph.errors import EndpointError, InputError
from ecmgraph.results import term_value
from ecmgraph.words import counted

#: The largest part of a graph sent in one request, in bytes of N-Triples (a part may be larger where the triples
#: with blank nodes alone are: they are never split).
CHUNK_BYTES = 8 * 2**20
_NTRIPLES = "application/n-triples"


@dataclass(frozen=True)
class GraphPlan:
    """What a push does to one graph: its IRI, its triples here and on the server now, and replace or add."""

    graph: str
    local: int
    remote: int
    replace: bool

    def describe(self, *, done: bool) -> str:
        """What the push does to the graph, as a phrase: "would create it with 5 triples", "replaced its …"."""
        if not self.remote:
            return f"{'created' if done else 'would create'} it with {counted(self.local, 'triple')}"
        if self.replace:
            return f"{'replaced' if done else 'would replace'} its {counted(self.remote, 'triple')} by {self.local:,}"
        return f"{'added' if done else 'would add'} {counted(self.local, 'triple')} to its {self.remote:,}"


@dataclass(frozen=True)
class PushedGraph:
    """A graph pushed: its plan, the requests it took, the server's count afterwards, and whether a query of the
    server's default graph finds a triple of it (None: each of its triples has a blank node, which no query can
    name). A server whose default graph is not the union of its graphs answers the packaged queries with nothing."""

    plan: GraphPlan
    requests: int
    after: int
    in_default_graph: bool | None = None


def graph_store_url(query_url: str, store: str | None = None) -> str:
    """The Graph Store Protocol URL: ``store`` if given, else the query URL with its last ``/query`` (or
    ``/sparql``) replaced by ``/store``, as Oxigraph serves them. Raises InputError where it cannot be told."""
    if store is not None:
        check_url(store)
        return store
    parts = urllib.parse.urlsplit(query_url)
    for tail in ("/query", "/sparql"):
        if parts.path.endswith(tail):
            return urllib.parse.urlunsplit(parts._replace(path=parts.path[: -len(tail)] + "/store", query=""))
    raise InputError(
        f"cannot tell the Graph Store Protocol URL of {query_url}",
        hint="give it with --graph-store URL (Oxigraph: …/store)",
    )


def basic_authorization(user: str, password: str) -> str:
    """The value of an HTTP Basic ``Authorization`` header."""
    return "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode("ascii")


def graphs_of(store: ox.Store, graphs: Sequence[str]) -> dict[str, list[ox.Triple]]:
    """The triples of each named graph of ``graphs`` in ``store``, sorted (a graph the store lacks is empty)."""
    out: dict[str, list[ox.Triple]] = {}
    for iri in graphs:
        quads = store.quads_for_pattern(None, None, None, ox.NamedNode(iri))
        out[iri] = sorted((q.triple for q in quads), key=str)
    return out


def count_remote(endpoint: Endpoint, graph: str) -> int:
    """How many triples the server's named graph ``graph`` holds, asked through its query endpoint."""
    table = endpoint.select(f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}")
    value = table.rows[0][0] if table.rows else None
    if value is None:
        return 0
    try:
        return int(term_value(value))
    except ValueError as exc:
        raise EndpointError(f"{endpoint.url} counted the graph <{graph}> as {term_value(value)!r}") from exc


def plan(endpoint: Endpoint, local: dict[str, list[ox.Triple]], *, replace: bool) -> list[GraphPlan]:
    """What pushing each graph of ``local`` would do, from the server's counts now. Changes nothing."""
    return [GraphPlan(g, len(triples), count_remote(endpoint, g), replace) for g, triples in local.items()]


def chunks(triples: Sequence[ox.Triple], limit: int = CHUNK_BYTES) -> Iterator[bytes]:
    """N-Triples parts of ``triples``, each about ``limit`` bytes at most; every triple with a blank node in the
    first part (a server gives each request's blank nodes new identities), however large that makes it."""
    part = [_line(t) for t in triples if _has_blank(t)]
    size = sum(map(len, part))
    for triple in triples:
        if _has_blank(triple):
            continue
        line = _line(triple)
        if part and size + len(line) > limit:
            yield b"".join(part)
            part, size = [], 0
        part.append(line)
        size += len(line)
    if part or not triples:
        yield b"".join(part)


def push(
    endpoint: Endpoint,
    store_url: str,
    local: dict[str, list[ox.Triple]],
    *,
    replace: bool,
    chunk_bytes: int = CHUNK_BYTES,
) -> list[PushedGraph]:
    """Send each graph of ``local`` to the server's Graph Store ``store_url``, then count it there again.

    Raises EndpointError for a request the server refuses, and for a count afterwards that does not fit what was
    sent (some triples did not arrive)."""
    pushed = []
    for graph_plan in plan(endpoint, local, replace=replace):
        target = f"{store_url}?{urllib.parse.urlencode({'graph': graph_plan.graph})}"
        requests = 0
        for i, body in enumerate(chunks(local[graph_plan.graph], chunk_bytes)):
            method = "PUT" if replace and i == 0 else "POST"
            endpoint.send(method, target, body, {"Content-Type": _NTRIPLES})
            requests += 1
        after = count_remote(endpoint, graph_plan.graph)
        expected = (
            range(graph_plan.local, graph_plan.local + 1)
            if replace
            else range(max(graph_plan.local, graph_plan.remote), graph_plan.local + graph_plan.remote + 1)
        )
        if after not in expected:
            raise EndpointError(
                f"after the push the graph <{graph_plan.graph}> holds {after:,} triples on {endpoint.url}, "
                f"not {_expected_text(expected)}: the server did not keep what was sent",
                hint="check the server's log, and push again with --replace",
            )
        pushed.append(PushedGraph(graph_plan, requests, after, in_default_graph(endpoint, local[graph_plan.graph])))
    return pushed


def in_default_graph(endpoint: Endpoint, triples: Sequence[ox.Triple]) -> bool | None:
    """Whether the server's default graph holds the first of ``triples`` without a blank node (None if none is)."""
    sample = next((t for t in triples if not _has_blank(t)), None)
    if sample is None:
        return None
    found = endpoint.query(f"ASK {{ {sample.subject} {sample.predicate} {sample.object} }}")
    return found is True


def _expected_text(expected: range) -> str:
    low, high = expected.start, expected.stop - 1
    return f"{low:,}" if low == high else f"{low:,} to {high:,}"


def _has_blank(triple: ox.Triple) -> bool:
    return isinstance(triple.subject, ox.BlankNode) or isinstance(triple.object, ox.BlankNode)


def _line(triple: ox.Triple) -> bytes:
    return f"{triple} .\n".encode()
