"""A small SPARQL 1.1 Protocol client: the same queries ecmgraph runs locally, sent to a remote endpoint.

Queries go by HTTP POST with the query as the body (``application/sparql-query``), asking for SPARQL JSON results
(SELECT, ASK) or N-Triples (CONSTRUCT, DESCRIBE). Results come back as the same :class:`ecmgraph.results.Table`,
``bool`` or :class:`ecmgraph.results.Graph` as local queries, built from pyoxigraph terms, so one renderer serves
both. Only ``http`` and ``https`` URLs are accepted; every failure (server down, too slow, an HTTP error, an
answer that is not SPARQL results) is an :class:`ecmgraph.errors.EndpointError`, exit code 3.

The endpoint must answer queries over the union of its graphs, as ecmgraph does locally (for an Oxigraph server:
``oxigraph serve --union-default-graph``).
"""

from __future__ import annotations

import functools
import json
import socket
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass

import pyoxigraph as ox

from ecmgraph.errors import EndpointError
from ecmgraph.namespaces import XSD
from ecmgraph.results import Graph, QueryResult, Table, Term

DEFAULT_TIMEOUT = 60.0
_ACCEPT = "application/sparql-results+json, application/n-triples;q=0.9, text/plain;q=0.1"
_GRAPH_TYPES = {
    "application/n-triples": ox.RdfFormat.N_TRIPLES,
    "text/plain": ox.RdfFormat.N_TRIPLES,
    "text/turtle": ox.RdfFormat.TURTLE,
    "application/n-quads": ox.RdfFormat.N_QUADS,
}
_XSD_STRING = str(XSD.string)


@dataclass(frozen=True)
class Endpoint:
    """A SPARQL 1.1 query endpoint: its URL and how long to wait for each answer (seconds)."""

    url: str
    timeout: float = DEFAULT_TIMEOUT

    def __post_init__(self) -> None:
        parts = urllib.parse.urlsplit(self.url)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise EndpointError(
                f"not an http(s) URL: {self.url!r}",
                hint="give the endpoint's query URL, e.g. http://localhost:7878/query",
            )

    def query(self, text: str) -> QueryResult:
        """Run a SELECT, ASK, CONSTRUCT or DESCRIBE query; raise EndpointError if the endpoint fails."""
        body, content_type = self._post(text)
        if content_type in ("application/sparql-results+json", "application/json"):
            return parse_json_results(body, self.url)
        if content_type in _GRAPH_TYPES:
            try:
                return Graph(tuple(q.triple for q in ox.parse(body, format=_GRAPH_TYPES[content_type])))
            except SyntaxError as exc:
                raise EndpointError(f"{self.url} sent RDF that does not parse: {exc}") from exc
        raise EndpointError(
            f"{self.url} answered with {content_type or 'no content type'}, not SPARQL results",
            hint="check that the URL is the endpoint's query URL (Oxigraph: …/query)",
        )

    def select(self, text: str) -> Table:
        """Run a SELECT query; raise EndpointError if the answer is not a table."""
        result = self.query(text)
        if not isinstance(result, Table):
            raise EndpointError(f"{self.url} did not answer a SELECT query with a table of results")
        return result

    def _post(self, text: str) -> tuple[bytes, str]:
        request = urllib.request.Request(
            self.url,
            data=text.encode("utf-8"),
            headers={"Content-Type": "application/sparql-query; charset=utf-8", "Accept": _ACCEPT},
            method="POST",
        )
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:
                body = response.read()
                content_type = response.headers.get_content_type()
        except urllib.error.HTTPError as exc:
            detail = " ".join(exc.read(500).decode("utf-8", "replace").split())
            raise EndpointError(
                f"{self.url} answered HTTP {exc.code} {exc.reason}" + (f": {detail}" if detail else ""),
                hint="check the query and that the URL is the endpoint's query URL",
            ) from exc
        except TimeoutError as exc:
            raise EndpointError(
                f"{self.url} did not answer within {self.timeout:g} seconds",
                hint="try again, or give a longer --timeout",
            ) from exc
        except urllib.error.URLError as exc:
            reason = exc.reason if not isinstance(exc.reason, socket.timeout) else "timed out"
            raise EndpointError(
                f"cannot reach {self.url}: {reason}", hint="check the URL and that the server is running"
            ) from exc
        except OSError as exc:
            raise EndpointError(
                f"cannot reach {self.url}: {exc}", hint="check the URL and that the server is running"
            ) from exc
        return body, content_type


@functools.lru_cache(maxsize=32)
def understands_lateral(url: str, timeout: float = DEFAULT_TIMEOUT) -> bool:
    """Whether the endpoint at ``url`` parses ``LATERAL`` (SPARQL SEP-0006; Oxigraph does), asked once per URL with a
    one-line ASK. An endpoint that refuses it, or fails, is taken not to: the query itself then reports any error."""
    try:
        return Endpoint(url, timeout).query("ASK { LATERAL { } }") is True
    except EndpointError:
        return False


def parse_json_results(body: bytes, source: str = "the endpoint") -> Table | bool:
    """SPARQL 1.1 Query Results JSON as a Table (SELECT) or a bool (ASK); raise EndpointError if malformed."""
    try:
        data = json.loads(body)
        if "boolean" in data:
            return bool(data["boolean"])
        columns = tuple(data["head"]["vars"])
        rows = tuple(
            tuple(_term(binding[c]) if c in binding else None for c in columns)
            for binding in data["results"]["bindings"]
        )
    except (ValueError, KeyError, TypeError, AttributeError) as exc:
        raise EndpointError(
            f"{source} sent something that is not SPARQL JSON results ({exc})",
            hint="check that the URL is a SPARQL endpoint's query URL",
        ) from exc
    return Table(columns, rows)


def _term(value: dict[str, str]) -> Term:
    kind = value["type"]
    text = value["value"]
    if kind == "uri":
        return ox.NamedNode(text)
    if kind == "bnode":
        return ox.BlankNode(text)
    if kind in ("literal", "typed-literal"):
        if "xml:lang" in value:
            return ox.Literal(text, language=value["xml:lang"])
        datatype = value.get("datatype")
        if datatype and datatype != _XSD_STRING:
            return ox.Literal(text, datatype=ox.NamedNode(datatype))
        return ox.Literal(text)
    raise ValueError(f"unknown term type {kind!r}")
