"""``ecmgraph validate --endpoint URL``: the same validation, sent to a real Oxigraph server, gives the same report;
and the SPARQL 1.1 Protocol client fails clearly (exit 3) when the endpoint is down, slow or answers garbage.

The server holds what ecmgraph validates locally: the data and the ontology, normalised (``ecmgraph.normalise``),
exported as N-Quads (one named graph per source) and served with ``--union-default-graph``. A server holding the
raw data (or no ontology) is refused, and both ways of preparing one (``ecmgraph infer --profile normalise`` on the
endpoint, its output loaded through the Graph Store Protocol; or the whole data written with ``--include-input``)
then give the local report.
"""

from __future__ import annotations

import http.server
import json
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path

import pyoxigraph as ox
import pytest
from click.testing import Result

from ecmgraph.endpoint import Endpoint, parse_json_results
from ecmgraph.errors import EndpointError
from ecmgraph.namespaces import ONTOLOGY_GRAPH
from ecmgraph.normalise import normalise
from ecmgraph.results import Table
from ecmgraph.store import load_dataset

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
        assert remote.exit_code == local.exit_code == 0, remote.stderr  # gaps only: no breach
        if fmt == "json":
            assert _results(remote) == _results(local) and len(_results(local)) > 1000
            assert json.loads(remote.stdout)["validated"] == url
        else:  # the same report, bar the heading's name of what was validated
            assert remote.stdout.split("\n", 1)[1] == local.stdout.split("\n", 1)[1]


@pytest.mark.slow
def test_breaches_of_every_rule_are_found_on_the_server(run: Run, oxigraph, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    # A synthetic England with violations of every rule injected (bench/generate.py): every kind of finding, remotely.
    out = tmp_path / "bench"
    subprocess.run(
        [sys.executable, str(REPO / "bench" / "generate.py"), "--scale", "0.03", "--out", str(out), "--formats", "nt"],
        check=True,
        capture_output=True,
    )
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
    remote = _results(
        run(
            [
                "validate",
                "--endpoint",
                url,
                "--as-of",
                "2010-01-01",
                "--rule",
                "ECM012",
                "--format",
                "json",
                "--engine",
                "pyshacl",
            ]
        )
    )
    assert remote == local and local


@pytest.mark.slow
def test_inference_is_refused_on_an_endpoint(run: Run, oxigraph) -> None:  # type: ignore[no-untyped-def]
    url = oxigraph.serve(normalised_nquads([str(RULES_DIR / "ECM004" / "pass-dcs-reports-to-chief-executive.ttl")]))
    result = run(["validate", "--endpoint", url, "--inference", "rdfs"])
    assert result.exit_code == 3 and "--inference" in result.stderr


# ------------------------------------------------------------------------------- data that is not normalised


def raw_nquads(paths: list[str], *, with_ontology: bool = True, copy: str = "") -> bytes:
    """The data as loaded, not normalised, as N-Quads; ``copy`` (a comment) gives a server of its own to change."""
    dataset = load_dataset(paths, with_ontology=with_ontology)
    return dataset.store.dump(format=ox.RdfFormat.N_QUADS) + (f"# {copy}\n".encode() if copy else b"")


def post_to_store(query_url: str, body: bytes, media_type: str, target: str) -> None:
    """Add RDF to an Oxigraph server's store (Graph Store Protocol, ``/store?default`` or ``?graph=IRI``)."""
    url = query_url.rsplit("/", 1)[0] + "/store?" + target
    request = urllib.request.Request(url, data=body, method="POST", headers={"Content-Type": media_type})
    with urllib.request.urlopen(request, timeout=60) as response:
        assert response.status in (200, 201, 204)


def _error_line(result: Result) -> str:
    assert result.exit_code == 3 and result.stdout == "", result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: ") and "Traceback" not in result.stderr
    return lines[0]


@pytest.mark.slow
def test_validation_refuses_an_endpoint_whose_data_is_not_normalised(run: Run, oxigraph) -> None:  # type: ignore[no-untyped-def]
    url = oxigraph.serve(raw_nquads([]))
    line = _error_line(run(["validate", "--endpoint", url]))
    assert "lacks links ecmgraph's rules need (sub-properties, inverse properties, post holders, held posts)" in line
    assert f"ecmgraph infer --profile normalise --endpoint {url} --format ntriples -o missing.nt" in line
    assert "curl -X POST -H 'Content-Type: application/n-triples' --data-binary @missing.nt" in line
    assert f"'{url[: -len('query')]}store?default'" in line
    assert "--include-input --format nquads" in line


@pytest.mark.slow
def test_loading_the_links_infer_computes_on_the_endpoint_gives_the_local_report(
    run: Run,
    oxigraph,  # type: ignore[no-untyped-def]
    tmp_path: Path,
) -> None:
    url = oxigraph.serve(raw_nquads([], copy="to be normalised through the Graph Store Protocol"))
    assert run(["validate", "--endpoint", url]).exit_code == 3
    missing = tmp_path / "missing.nt"
    inferred = run(["infer", "--profile", "normalise", "--endpoint", url, "--format", "ntriples", "-o", str(missing)])
    assert inferred.exit_code == 0, inferred.stderr
    dataset = load_dataset()
    expected = normalise(dataset)
    assert f"{expected} triples missing on {url}" in inferred.stderr
    post_to_store(url, missing.read_bytes(), "application/n-triples", "default")
    local = _results(run(["validate", "--as-of", "2009-06-01", "--format", "json"]))
    remote = _results(run(["validate", "--endpoint", url, "--as-of", "2009-06-01", "--format", "json"]))
    assert remote == local and len(local) > 1000
    again = run(["infer", "--profile", "normalise", "--endpoint", url, "--timeout", "30"])
    assert again.exit_code == 0 and again.stdout == "" and "nothing missing" in again.stderr


@pytest.mark.slow
def test_an_endpoint_without_the_ontology_is_refused_until_it_is_loaded(run: Run, oxigraph) -> None:  # type: ignore[no-untyped-def]
    from ecmgraph import resources

    url = oxigraph.serve(raw_nquads([], with_ontology=False, copy="the ontology to be loaded"))
    line = _error_line(run(["validate", "--endpoint", url]))
    assert "lacks ecmgraph's ontology (no <https://w3id.org/ecmgraph/def> a owl:Ontology)" in line
    assert f"--data-binary @{resources.ontology_path()}" in line
    assert "ontology" in _error_line(run(["infer", "--profile", "normalise", "--endpoint", url]))
    post_to_store(url, resources.ontology_path().read_bytes(), "text/turtle", f"graph={ONTOLOGY_GRAPH}")
    line = _error_line(run(["validate", "--endpoint", url]))  # as the hint says: now only the links are missing
    assert "lacks links ecmgraph's rules need (sub-properties, inverse properties" in line


@pytest.mark.slow
def test_data_written_whole_by_infer_gives_the_local_report_on_a_server(run: Run, oxigraph) -> None:  # type: ignore[no-untyped-def]
    folder = str(RULES_DIR / "ECM025")
    written = run(["infer", "--profile", "normalise", "--include-input", "--format", "nquads", folder])
    assert written.exit_code == 0, written.stderr
    url = oxigraph.serve(written.stdout.encode())
    local = _results(run(["validate", folder, "--as-of", "2010-01-01", "--format", "json"]))
    remote = _results(run(["validate", "--endpoint", url, "--as-of", "2010-01-01", "--format", "json"]))
    assert remote == local and local
    graphs = run(["sparql", "--endpoint", url, "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }", "--format", "csv"])
    assert "https://w3id.org/ecmgraph/graph/entailed" in graphs.stdout and ONTOLOGY_GRAPH in graphs.stdout
    assert len(graphs.stdout.splitlines()) - 1 == len(load_dataset([folder]).sources) + 1  # the sources, the links


# ----------------------------------------------------------------------------- failures, without a real server


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class _Handler(http.server.BaseHTTPRequestHandler):
    """Answers every POST as the server's ``behaviour`` says: garbage, an error, or nothing for a long time."""

    behaviour = "html"

    def do_POST(self) -> None:
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

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture
def fake_endpoint() -> Iterator[Callable[[str], str]]:
    servers: list[http.server.HTTPServer] = []

    def start(behaviour: str) -> str:
        handler = type("Handler", (_Handler,), {"behaviour": behaviour})
        server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
        servers.append(server)
        return f"http://127.0.0.1:{server.server_address[1]}/query"

    yield start
    for server in servers:
        server.shutdown()
        server.server_close()


def test_an_endpoint_that_is_down_is_an_input_error(run: Run) -> None:
    result = run(["validate", "--endpoint", f"http://127.0.0.1:{_free_port()}/query"])
    assert result.exit_code == 3 and "cannot reach" in result.stderr and "Traceback" not in result.stderr


@pytest.mark.parametrize(
    ("behaviour", "words"),
    [
        ("html", "not SPARQL results"),
        ("bad-json", "not SPARQL JSON results"),
        ("error", "HTTP 400"),
    ],
)
def test_an_endpoint_that_answers_garbage_is_an_input_error(
    run: Run,
    fake_endpoint,
    behaviour: str,  # type: ignore[no-untyped-def]
    words: str,
) -> None:
    result = run(["validate", "--endpoint", fake_endpoint(behaviour)])
    assert result.exit_code == 3 and words in result.stderr


def test_a_slow_endpoint_times_out(run: Run, fake_endpoint) -> None:  # type: ignore[no-untyped-def]
    result = run(["validate", "--endpoint", fake_endpoint("slow"), "--timeout", "0.5"])
    assert result.exit_code == 3 and "did not answer within 0.5 seconds" in result.stderr


def test_infer_on_a_slow_endpoint_times_out(run: Run, fake_endpoint) -> None:  # type: ignore[no-untyped-def]
    result = run(["infer", "--profile", "normalise", "--endpoint", fake_endpoint("slow"), "--timeout", "0.5"])
    assert result.exit_code == 3 and "did not answer within 0.5 seconds" in result.stderr


def test_only_http_urls_are_endpoints(run: Run) -> None:
    result = run(["validate", "--endpoint", "file:///etc/passwd"])
    assert result.exit_code == 3 and "not an http(s) URL" in result.stderr
    with pytest.raises(EndpointError):
        Endpoint("ftp://example.org/sparql")


def test_sparql_json_results_are_read_into_terms() -> None:
    body = json.dumps(
        {
            "head": {"vars": ["a", "b", "c", "d"]},
            "results": {
                "bindings": [
                    {
                        "a": {"type": "uri", "value": "https://w3id.org/ecmgraph/id/authority/E10000028"},
                        "b": {"type": "literal", "value": "Staffordshire", "xml:lang": "en"},
                        "c": {
                            "type": "literal",
                            "value": "2009-01-01",
                            "datatype": "http://www.w3.org/2001/XMLSchema#date",
                        },
                        "d": {"type": "bnode", "value": "b0"},
                    },
                    {"b": {"type": "literal", "value": "plain"}},
                ]
            },
        }
    ).encode()
    table = parse_json_results(body)
    assert isinstance(table, Table) and table.columns == ("a", "b", "c", "d")
    first, second = table.rows
    assert first[0] == ox.NamedNode("https://w3id.org/ecmgraph/id/authority/E10000028")
    assert first[1] == ox.Literal("Staffordshire", language="en")
    assert first[2] == ox.Literal("2009-01-01", datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#date"))
    assert isinstance(first[3], ox.BlankNode)
    assert second == (None, ox.Literal("plain"), None, None)
    assert parse_json_results(b'{"head": {}, "boolean": true}') is True
