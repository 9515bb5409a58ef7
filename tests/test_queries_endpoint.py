"""--endpoint: the packaged queries on a real Oxigraph server give the same rows as on the local store.

The server (tests/conftest.py, ``oxigraph``) holds what ecmgraph loads locally, exported as N-Quads: the fixture's
or the packaged data, with the ontology. compliance-matrix validates on the endpoint, which must hold the links
ecmgraph's rules need (ecmgraph.normalise; validation refuses an endpoint without them): its server holds the
normalised export.
"""

from __future__ import annotations

import datetime as dt
import http.server
import socket
import threading
import urllib.parse
from pathlib import Path

import pyoxigraph as ox
import pytest
import yaml

import ecmgraph
from ecmgraph.errors import EcmgraphError, EndpointError, QuerySyntaxError
from ecmgraph.queries import catalogue, get_query, load_query_file
from ecmgraph.store import load_dataset

pytestmark = pytest.mark.slow

HERE = Path(__file__).parent / "fixtures" / "queries"
DATA = str(HERE / "exampleshire.trig")
CASES: dict[str, dict] = yaml.safe_load((HERE / "cases.yaml").read_text(encoding="utf-8"))
TODAY = dt.date(2024, 6, 30)


def _export(paths: list[str], *, normalised: bool = False) -> bytes:
    dataset = load_dataset(paths)
    if normalised:
        from ecmgraph.normalise import normalise

        normalise(dataset)
    return dataset.store.dump(format=ox.RdfFormat.N_QUADS)


@pytest.fixture(scope="module")
def fixture_server(oxigraph) -> str:
    return oxigraph.serve(_export([DATA]))


@pytest.fixture(scope="module")
def fixture_server_normalised(oxigraph) -> str:
    return oxigraph.serve(_export([DATA], normalised=True))


@pytest.fixture(scope="module")
def packaged_server(oxigraph) -> str:
    return oxigraph.serve(_export([]))


def _params(case: str) -> dict[str, str]:
    return {k: str(v) for k, v in CASES[case]["params"].items()}


@pytest.mark.parametrize("case", sorted(c for c in CASES if CASES[c]["query"] != "compliance-matrix"))
def test_every_case_gives_the_same_rows_on_the_endpoint(fixture_server, case: str) -> None:
    query = CASES[case]["query"]
    local = ecmgraph.query(query, _params(case), today=TODAY, data=load_dataset([DATA]))
    remote = ecmgraph.query(query, _params(case), endpoint=fixture_server, today=TODAY)
    assert remote.columns == local.columns
    assert remote.rows == local.rows


@pytest.mark.parametrize("case", sorted(c for c in CASES if CASES[c]["query"] == "compliance-matrix"))
def test_the_compliance_matrix_is_the_same_on_the_endpoint(fixture_server_normalised, case: str) -> None:
    local = ecmgraph.query("compliance-matrix", _params(case), today=TODAY, data=load_dataset([DATA]))
    remote = ecmgraph.query("compliance-matrix", _params(case), endpoint=fixture_server_normalised, today=TODAY)
    assert remote.rows == local.rows and local.rows


@pytest.mark.parametrize("name", sorted(n for n in catalogue() if n != "compliance-matrix"))
def test_every_header_example_gives_the_same_rows_on_the_packaged_data(packaged_server, name: str) -> None:
    query = get_query(name)
    local = ecmgraph.query(query, query.example, today=TODAY, data=load_dataset())
    remote = ecmgraph.query(query, query.example, endpoint=packaged_server, today=TODAY)
    assert remote.rows == local.rows


def test_labels_are_looked_up_on_the_endpoint(packaged_server) -> None:
    answers = {
        ecmgraph.query(
            "who-is-accountable", {"authority": authority, "topic": topic}, endpoint=packaged_server, today=TODAY
        ).rows
        for authority, topic in [
            ("Staffordshire", "Safeguarding"),
            ("E10000028", "safeguarding"),
            ("staffordshire", "child protection"),
            ("https://w3id.org/ecmgraph/id/authority/E10000028", "https://w3id.org/ecmgraph/id/topic/safeguarding"),
        ]
    }
    assert len(answers) == 1 and answers.pop()


def _count(url: str) -> int:
    from ecmgraph.endpoint import Endpoint

    table = Endpoint(url).select("SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }")
    return int(table.rows[0][0].value)  # type: ignore[union-attr]


INJECTIONS = [
    'x" } ; DROP ALL #',
    "x' } DELETE WHERE { ?s ?p ?o } #",
    '"""\n} INSERT DATA { <urn:a> <urn:b> <urn:c> } #',
    "http://example.org/a>}DROP",
    'Exampleshire" } UNION { ?s ?p ?o } #',
]


def test_injection_is_inert_on_the_endpoint(fixture_server) -> None:
    before = _count(fixture_server)
    custom = load_query_file(HERE / "custom" / "label-search.rq")
    assert ecmgraph.query(custom, {"label": "Exampleshire"}, endpoint=fixture_server).rows
    for attack in INJECTIONS:
        assert ecmgraph.query(custom, {"label": attack}, endpoint=fixture_server).rows == ()
        for name in ("who-is-accountable", "relevant-partners", "post-history", "fact-sources"):
            query = get_query(name)
            for p in query.parameters:
                values = {**query.example, p.name: attack}
                try:
                    rows = ecmgraph.query(query, values, endpoint=fixture_server, today=TODAY).rows
                except QuerySyntaxError:
                    pytest.fail(f"{name}: {p.name}={attack!r} reached the query text")
                except EcmgraphError as exc:
                    assert exc.exit_code == 3 and not isinstance(exc, EndpointError), exc
                else:
                    assert rows == ()
    assert _count(fixture_server) == before


# --- an endpoint that fails ----------------------------------------------------------------------------------


class _Garbage(http.server.BaseHTTPRequestHandler):
    def do_POST(self) -> None:
        self.rfile.read(int(self.headers.get("Content-Length", 0)))
        body = b"<html><body>Not a SPARQL endpoint</body></html>"
        self.send_response(200)
        self.send_header("Content-Type", "text/html")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


def test_an_endpoint_that_answers_garbage_is_exit_3(run) -> None:
    server = http.server.HTTPServer(("127.0.0.1", 0), _Garbage)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        url = f"http://127.0.0.1:{server.server_address[1]}/query"
        result = run(["query", "run", "vacant-posts", "--endpoint", url])
        assert result.exit_code == 3
        assert "not SPARQL results" in result.stderr or "text/html" in result.stderr
    finally:
        server.shutdown()


def test_an_endpoint_that_does_not_answer_in_time_is_exit_3(run) -> None:
    with socket.socket() as silent:  # accepts connections and never answers
        silent.bind(("127.0.0.1", 0))
        silent.listen()
        url = f"http://127.0.0.1:{silent.getsockname()[1]}/query"
        result = run(["query", "run", "vacant-posts", "--endpoint", url, "--timeout", "1"])
    assert result.exit_code == 3
    assert "did not answer within 1 seconds" in result.stderr


def test_query_run_and_sparql_on_the_endpoint_from_the_command_line(run, packaged_server) -> None:
    local = run(["query", "run", "two-tier-area", "-p", "county", "Staffordshire", "--format", "csv"])
    remote = run(
        [
            "query",
            "run",
            "two-tier-area",
            "-p",
            "county",
            "Staffordshire",
            "--format",
            "csv",
            "--endpoint",
            packaged_server,
        ]
    )
    assert remote.exit_code == 0 and remote.stdout == local.stdout
    text = "SELECT ?n WHERE { ecmid:authority/E10000028 rdfs:label ?n }"
    assert (
        run(["sparql", text, "--endpoint", packaged_server, "--format", "csv"]).stdout
        == run(["sparql", text, "--format", "csv"]).stdout
    )


def test_the_oxigraph_server_is_sent_the_lateral_hints_as_lateral(fixture_server) -> None:
    from ecmgraph.endpoint import understands_lateral

    assert understands_lateral(fixture_server) is True


class _RdflibEndpoint(http.server.BaseHTTPRequestHandler):
    """A SPARQL endpoint on rdflib's engine, which has no LATERAL: what it was asked is kept in ``asked``."""

    dataset = None
    asked: list[str] = []

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers["Content-Length"])).decode("ascii")
        assert self.headers["Content-Type"] == "application/x-www-form-urlencoded"  # as every SPARQL server takes
        text = urllib.parse.parse_qs(body)["query"][0]
        type(self).asked.append(text)
        try:
            body = self.dataset.query(text).serialize(format="json")
            self.send_response(200)
            self.send_header("Content-Type", "application/sparql-results+json")
        except Exception as exc:  # what a server says of a query it cannot parse
            body = str(exc).encode("utf-8")
            self.send_response(400)
            self.send_header("Content-Type", "text/plain")
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


@pytest.mark.filterwarnings("ignore::DeprecationWarning")  # rdflib 7.6 warns about itself on every quad
def test_an_endpoint_without_lateral_is_sent_the_plain_optional_and_gives_the_same_rows() -> None:
    import rdflib

    from ecmgraph.endpoint import understands_lateral

    _RdflibEndpoint.dataset = rdflib.Dataset(default_union=True)
    _RdflibEndpoint.dataset.parse(data=_export([DATA]), format="nquads")
    server = http.server.HTTPServer(("127.0.0.1", 0), _RdflibEndpoint)
    threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
    try:
        url = f"http://127.0.0.1:{server.server_address[1]}/query"
        assert understands_lateral(url) is False
        query = get_query("accountability-chain")
        values = {"authority": "Exampleshire", "post": "https://w3id.org/ecmgraph/id/post/E10999999/dcs"}
        remote = ecmgraph.query(query, values, endpoint=url, today=TODAY)
        local = ecmgraph.query(query, values, today=TODAY, data=load_dataset([DATA]))
        assert remote.rows == local.rows and local.rows
        sent = [text for text in _RdflibEndpoint.asked if "accountableTo" in text]
        assert sent and not any("LATERAL" in text for text in sent)
    finally:
        server.shutdown()
