"""What ecmgraph asks an endpoint for, and how it reads what comes back, where servers differ: a CONSTRUCT or DESCRIBE
query asks for N-Triples first (Virtuoso 7.2.5 answers a graph in whatever format the Accept header puts first, and
as SPARQL JSON results writes a blank node as the IRI ``_:vb…``), and a blank node labelled ``nodeID://b10000`` (as
Virtuoso writes one in SPARQL JSON results) is read as a blank node.
"""

from __future__ import annotations

import http.server
import json
import threading
from collections.abc import Iterator

import pyoxigraph as ox
import pytest

from ecmgraph.endpoint import Endpoint, answers_graph, parse_json_results
from ecmgraph.results import Graph, Table

TENURE = "https://w3id.org/ecmgraph/id/tenure/E07999998/chief-executive/1"
INSIDE = "http://www.w3.org/2006/time#inside"
IN_DATE = "http://www.w3.org/2006/time#inXSDDate"
XSD_DATE = "http://www.w3.org/2001/XMLSchema#date"

#: Virtuoso 7.2.5's answer to a CONSTRUCT when SPARQL JSON results come first in the Accept header.
AS_TABLE = json.dumps(
    {
        "head": {"link": [], "vars": ["s", "p", "o"]},
        "results": {
            "bindings": [
                {
                    "s": {"type": "uri", "value": TENURE},
                    "p": {"type": "uri", "value": INSIDE},
                    "o": {"type": "uri", "value": "_:vb10000"},
                },
                {
                    "s": {"type": "uri", "value": "_:vb10000"},
                    "p": {"type": "uri", "value": IN_DATE},
                    "o": {"type": "literal", "value": "2007-01-24", "datatype": XSD_DATE},
                },
            ]
        },
    }
).encode()
#: Its answer when N-Triples come first.
AS_NTRIPLES = (f'<{TENURE}>\t<{INSIDE}>\t_:b10000 .\n_:b10000\t<{IN_DATE}>\t"2007-01-24"^^<{XSD_DATE}> .\n').encode()


class _LikeVirtuoso(http.server.BaseHTTPRequestHandler):
    """Answers every POST as Virtuoso 7.2.5 answers a CONSTRUCT: in the format the Accept header puts first."""

    accepts: list[str] = []

    def do_POST(self) -> None:
        self.rfile.read(int(self.headers.get("Content-Length", 0)))
        accept = self.headers.get("Accept", "")
        self.accepts.append(accept)
        first = accept.split(",")[0].split(";")[0].strip()
        graph = first in ("application/n-triples", "text/plain")
        self.send_response(200)
        self.send_header("Content-Type", first if graph else "application/sparql-results+json")
        self.end_headers()
        self.wfile.write(AS_NTRIPLES if graph else AS_TABLE)

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture
def like_virtuoso() -> Iterator[tuple[str, list[str]]]:
    accepts: list[str] = []
    handler = type("Handler", (_LikeVirtuoso,), {"accepts": accepts})
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}/sparql", accepts
    server.shutdown()
    server.server_close()


@pytest.mark.parametrize(
    ("query", "graph"),
    [
        ("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }", True),
        ("describe <http://example.org/a>", True),
        (
            "# ecmgraph: portable\nPREFIX ask: <http://example.org/select#>\nBASE <http://example.org/>\nCONSTRUCT {}"
            " WHERE {}",
            True,
        ),
        ("PREFIX c: <http://example.org/CONSTRUCT>\nSELECT ?construct WHERE { ?construct c: 'CONSTRUCT' }", False),
        ("# CONSTRUCT\nASK { ?s ?p ?o }", False),
        ("SELECT * WHERE { { CONSTRUCT } }", False),
    ],
)
def test_a_construct_or_describe_query_is_told_from_its_form(query: str, graph: bool) -> None:
    assert answers_graph(query) is graph


def test_a_construct_asks_for_ntriples_and_reads_the_blank_nodes(like_virtuoso: tuple[str, list[str]]) -> None:
    url, accepts = like_virtuoso
    result = Endpoint(url, 5).query("CONSTRUCT { ?t <http://www.w3.org/2006/time#inside> ?i } WHERE { ?t ?p ?i }")
    assert accepts[0].startswith("application/n-triples")
    assert "sparql-results" not in accepts[0]
    assert isinstance(result, Graph) and len(result.triples) == 2
    first, second = sorted(result.triples, key=lambda t: isinstance(t.subject, ox.BlankNode))
    assert first.subject == ox.NamedNode(TENURE) and isinstance(first.object, ox.BlankNode)
    assert second.subject == first.object  # the same blank node
    assert second.object == ox.Literal("2007-01-24", datatype=ox.NamedNode(XSD_DATE))


def test_a_select_still_asks_for_sparql_json_results_first(like_virtuoso: tuple[str, list[str]]) -> None:
    url, accepts = like_virtuoso
    table = Endpoint(url, 5).query("SELECT ?s ?p ?o WHERE { ?s ?p ?o }")
    assert accepts[0].startswith("application/sparql-results+json")
    assert isinstance(table, Table)  # and its "uri" _:vb10000, Virtuoso's blank node, is read as one
    (tenure, inside, instant), (subject, _, _) = table.rows
    assert tenure == ox.NamedNode(TENURE) and isinstance(instant, ox.BlankNode) and subject == instant


def test_a_blank_node_labelled_as_virtuoso_labels_it_is_read() -> None:
    body = json.dumps(
        {
            "head": {"vars": ["i", "j", "k"]},
            "results": {
                "bindings": [
                    {
                        "i": {"type": "bnode", "value": "nodeID://b10000"},
                        "j": {"type": "bnode", "value": "nodeID://b10000"},
                        "k": {"type": "bnode", "value": "nodeID://b10001"},
                    }
                ]
            },
        }
    ).encode()
    table = parse_json_results(body)
    assert isinstance(table, Table)
    ((i, j, k),) = table.rows
    assert isinstance(i, ox.BlankNode) and i == j and i != k
    assert parse_json_results(body.replace(b"nodeID://b10000", b"b0")).rows[0][0] == ox.BlankNode("b0")  # type: ignore[union-attr]
