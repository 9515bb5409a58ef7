"""``ecmgraph validate --endpoint URL``: the same validation, sent to a real Oxigraph server, gives the same report;
and the SPARQL 1.1 Protocol client fails clearly (exit 3) when the endpoint is down, slow or answers garbage.

The server holds what ecmgraph validates locally: the data and the ontology, normalised (``ecmgraph.normalise``),
exported as N-Quads (one named graph per source) and served with ``--union-default-graph``.
"""

from __future__ import annotations

import http.server
import json
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pyoxigraph as ox
import pytest
from click.testing import Result

from ecmgraph.endpoint import Endpoint, parse_json_results
from ecmgraph.errors import EndpointError
from ecmgraph.normalise import normalise
from ecmgraph.store import load_dataset
from ecmgraph.tables import Table

REPO = Path(__file__).resolve().parents[1]
RULES_DIR = Path(__file__).parent / "fixtures" / "rules"
Run = Callable[..., Result]


def normalised_nquads(paths: list[str]) -> bytes:
    """The data (none = the packaged data) with the ontology, normalised, as N-Quads: what the server holds."""
    dataset = load_dataset(paths)
    normalise(dataset)
    return dataset.store.dump(format=ox.RdfFormat.N_QUADS)


def _results(result: Result) -> list[dict[str, object]]:
    assert result.exit_code in (0, 1), result.stderr
    return json.loads(result.stdout)["results"]  # type: ignore[no-any-return]


@pytest.mark.slow
def test_validation_on_an_oxigraph_server_gives_the_local_report(run: Run, oxigraph) -> None:  # type: ignore[no-untyped-def]
    url = oxigraph.serve(normalised_nquads([]))
    for fmt in ("json", "text"):
        local = run(["validate", "--as-of", "2009-06-01", "--format", fmt])
        remote = run(["validate", "--endpoint", url, "--as-of", "2009-06-01", "--format", fmt])
        assert remote.exit_code == local.exit_code == 1, remote.stderr
        if fmt == "json":
            assert _results(remote) == _results(local) and len(_results(local)) > 1000
            assert json.loads(remote.stdout)["validated"] == url
        else:  # the same report, bar the heading's name of what was validated
            assert remote.stdout.split("\n", 1)[1] == local.stdout.split("\n", 1)[1]


@pytest.mark.slow
def test_breaches_of_every_rule_are_found_on_the_server(run: Run, oxigraph, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    # A synthetic England with violations of every rule injected (bench/generate.py): every kind of finding, remotely.
    out = tmp_path / "bench"
    subprocess.run([sys.executable, str(REPO / "bench" / "generate.py"), "--scale", "0.03", "--out", str(out),
                    "--formats", "nt"], check=True, capture_output=True)
    data = str(out / "england-synthetic.nt")
    url = oxigraph.serve(normalised_nquads([data]))
    local = _results(run(["validate", data, "--as-of", "2026-01-01", "--format", "json"]))
    remote = _results(run(["validate", "--endpoint", url, "--as-of", "2026-01-01", "--format", "json"]))
    assert remote == local
    assert {r["rule"] for r in local} == {f"ECM{n:03d}" for n in range(1, 28)}


@pytest.mark.slow
def test_pyshacl_on_the_server_data_agrees(run: Run, oxigraph) -> None:  # type: ignore[no-untyped-def]
    folder = str(RULES_DIR / "ECM012")
    url = oxigraph.serve(normalised_nquads([folder]))
    local = _results(run(["validate", folder, "--as-of", "2010-01-01", "--rule", "ECM012", "--format", "json"]))
    remote = _results(run(["validate", "--endpoint", url, "--as-of", "2010-01-01", "--rule", "ECM012",
                           "--format", "json", "--engine", "pyshacl"]))
    assert remote == local and local


@pytest.mark.slow
def test_inference_is_refused_on_an_endpoint(run: Run, oxigraph) -> None:  # type: ignore[no-untyped-def]
    url = oxigraph.serve(normalised_nquads([str(RULES_DIR / "ECM004" / "pass-dcs-reports-to-chief-executive.ttl")]))
    result = run(["validate", "--endpoint", url, "--inference", "rdfs"])
    assert result.exit_code == 3 and "--inference" in result.stderr


# ----------------------------------------------------------------------------- failures, without a real server


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class _Handler(http.server.BaseHTTPRequestHandler):
    """Answers every POST as the server's ``behaviour`` says: garbage, an error, or nothing for a long time."""

    behaviour = "html"

    def do_POST(self) -> None:  # noqa: N802
        self.rfile.read(int(self.headers.get("Content-Length", 0)))
        if self.behaviour == "slow":
            time.sleep(3)
        if self.behaviour == "error":
            self.send_response(400)
            self.send_header("Content-Type", "text/plain")
            self.end_headers()
            self.wfile.write(b"Parser error at line 1: unexpected token")
            return
        if self.behaviour == "bad-json":
            self.send_response(200)
            self.send_header("Content-Type", "application/sparql-results+json")
            self.end_headers()
            self.wfile.write(b'{"head": {"vars": ["x"]}, "results": ')
            return
        self.send_response(200)
        self.send_header("Content-Type", "text/html")
        self.end_headers()
        self.wfile.write(b"<html><body>Welcome</body></html>")

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        pass


@pytest.fixture
def fake_endpoint() -> Iterator[Callable[[str], str]]:
    servers: list[http.server.HTTPServer] = []

    def start(behaviour: str) -> str:
        handler = type("Handler", (_Handler,), {"behaviour": behaviour})
        server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        servers.append(server)
        return f"http://127.0.0.1:{server.server_address[1]}/query"

    yield start
    for server in servers:
        server.shutdown()
        server.server_close()


def test_an_endpoint_that_is_down_is_an_input_error(run: Run) -> None:
    result = run(["validate", "--endpoint", f"http://127.0.0.1:{_free_port()}/query"])
    assert result.exit_code == 3 and "cannot reach" in result.stderr and "Traceback" not in result.stderr


@pytest.mark.parametrize(("behaviour", "words"), [
    ("html", "not SPARQL results"),
    ("bad-json", "not SPARQL JSON results"),
    ("error", "HTTP 400"),
])
def test_an_endpoint_that_answers_garbage_is_an_input_error(run: Run, fake_endpoint, behaviour: str,  # type: ignore[no-untyped-def]
                                                             words: str) -> None:
    result = run(["validate", "--endpoint", fake_endpoint(behaviour)])
    assert result.exit_code == 3 and words in result.stderr


def test_a_slow_endpoint_times_out(run: Run, fake_endpoint) -> None:  # type: ignore[no-untyped-def]
    result = run(["validate", "--endpoint", fake_endpoint("slow"), "--timeout", "0.5"])
    assert result.exit_code == 3 and "did not answer within 0.5 seconds" in result.stderr


def test_only_http_urls_are_endpoints(run: Run) -> None:
    result = run(["validate", "--endpoint", "file:///etc/passwd"])
    assert result.exit_code == 3 and "not an http(s) URL" in result.stderr
    with pytest.raises(EndpointError):
        Endpoint("ftp://example.org/sparql")


def test_sparql_json_results_are_read_into_terms() -> None:
    body = json.dumps({"head": {"vars": ["a", "b", "c", "d"]}, "results": {"bindings": [
        {"a": {"type": "uri", "value": "https://w3id.org/ecmgraph/id/authority/E10000028"},
         "b": {"type": "literal", "value": "Staffordshire", "xml:lang": "en"},
         "c": {"type": "literal", "value": "2009-01-01", "datatype": "http://www.w3.org/2001/XMLSchema#date"},
         "d": {"type": "bnode", "value": "b0"}},
        {"b": {"type": "literal", "value": "plain"}},
    ]}}).encode()
    table = parse_json_results(body)
    assert isinstance(table, Table) and table.columns == ("a", "b", "c", "d")
    first, second = table.rows
    assert first[0] == ox.NamedNode("https://w3id.org/ecmgraph/id/authority/E10000028")
    assert first[1] == ox.Literal("Staffordshire", language="en")
    assert first[2] == ox.Literal("2009-01-01", datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#date"))
    assert isinstance(first[3], ox.BlankNode)
    assert second == (None, ox.Literal("plain"), None, None)
    assert parse_json_results(b'{"head": {}, "boolean": true}') is True
