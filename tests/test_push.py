"""ecmgraph push: the data's named graphs into a real Oxigraph server by the Graph Store Protocol, and back."""

from __future__ import annotations

import base64
import datetime as dt
import http.server
import json
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import pyoxigraph as ox
import pytest
import rdflib
from click.testing import Result
from rdflib.compare import isomorphic

import ecmgraph
from ecmgraph.endpoint import Endpoint
from ecmgraph.errors import UnknownName
from ecmgraph.graphstore import chunks, count_remote, graph_store_url, push
from ecmgraph.namespaces import ENTAILED_GRAPH, ONTOLOGY_GRAPH
from ecmgraph.queries import catalogue, get_query
from ecmgraph.results import Graph

FIXTURES = Path(__file__).parent / "fixtures"
#: Sampleton's own graph, as a council writes it: an authority, its DCS post, a tenure (a blank node's worth of
#: dates) and a blank node used by two triples, so that splitting it would show.
SAMPLETON = """@base <https://w3id.org/ecmgraph/id/> .
@prefix ecm: <https://w3id.org/ecmgraph/def#> . @prefix org: <http://www.w3.org/ns/org#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> . @prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix foaf: <http://xmlns.com/foaf/0.1/> . @prefix skos: <http://www.w3.org/2004/02/skos/core#> .
<authority/E06999001> a ecm:UnitaryAuthority ; rdfs:label "Sampleton"@en .
<post/E06999001/dcs> a ecm:DirectorOfChildrensServices ; rdfs:label "DCS, Sampleton"@en ;
    org:postIn <authority/E06999001> .
<tenure/1> a ecm:Tenure ; ecm:post <post/E06999001/dcs> ; ecm:holder _:person ;
    ecm:startDate "2008-09-01"^^xsd:date .
_:person a foaf:Person ; foaf:name "Sam Sample" ; skos:note "named in the 2008 annual report"@en .
"""
GRAPH = "file://{path}"
pytestmark = pytest.mark.slow


@pytest.fixture
def server(oxigraph, request) -> str:
    """A new, empty Oxigraph server of this test's own (its query URL)."""
    return oxigraph.serve(f"# {request.node.nodeid}\n".encode())


@pytest.fixture
def sampleton(tmp_path: Path) -> Path:
    path = tmp_path / "sampleton.ttl"
    path.write_text(SAMPLETON, encoding="utf-8")
    return path


def _read_back(url: str, graph: str) -> rdflib.Graph:
    result = Endpoint(url).query(f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}")
    assert isinstance(result, Graph)
    return rdflib.Graph().parse(data="\n".join(f"{t} ." for t in result.triples), format="nt")


def _local(path: Path) -> rdflib.Graph:
    return rdflib.Graph().parse(path, format="turtle")


def test_a_dry_run_says_what_would_change_and_sends_nothing(
    run: Callable[..., Result], server: str, sampleton: Path
) -> None:
    result = run(["push", str(sampleton), "--endpoint", server, "--dry-run", "--as-of", "2009-06-01"])
    assert result.exit_code == 0, result.stderr
    assert result.stdout == f"<file://{sampleton}>: would create it with 12 triples (dry run: nothing sent)\n"
    assert count_remote(Endpoint(server), f"file://{sampleton}") == 0


def test_a_push_reads_back_as_the_same_graph_blank_nodes_included(
    run: Callable[..., Result], server: str, sampleton: Path
) -> None:
    result = run(["push", str(sampleton), "--endpoint", server, "--as-of", "2009-06-01"])
    assert result.exit_code == 0, result.stderr
    assert result.stdout == (
        f"<file://{sampleton}>: created it with 12 triples, in 1 request; the store now holds 12 triples in it (checked)\n"
    )
    assert isomorphic(_read_back(server, f"file://{sampleton}"), _local(sampleton))


def test_a_store_whose_default_graph_is_not_the_union_is_warned_of(
    run: Callable[..., Result], oxigraph, request, sampleton: Path
) -> None:
    plain = oxigraph.serve(f"# {request.node.nodeid}\n".encode(), union=False)
    result = run(["push", str(sampleton), "--endpoint", plain, "--as-of", "2009-06-01"])
    assert result.exit_code == 0, result.stderr
    assert "the store now holds 12 triples in it (checked)" in result.stdout
    assert result.stderr.count("Warning: ") == 1 and "oxigraph serve --union-default-graph" in result.stderr
    union = oxigraph.serve(f"# {request.node.nodeid} union\n".encode())
    result = run(["push", str(sampleton), "--endpoint", union, "--as-of", "2009-06-01"])
    assert result.exit_code == 0 and "Warning" not in result.stderr, result.stderr


def test_replace_makes_the_server_s_graph_the_local_one_and_adding_keeps_what_was_there(
    run: Callable[..., Result], server: str, sampleton: Path
) -> None:
    graph = f"file://{sampleton}"
    assert run(["push", str(sampleton), "--endpoint", server, "--as-of", "2009-06-01"]).exit_code == 0
    sampleton.write_text(SAMPLETON.replace('"Sam Sample"', '"Sam Sample-Smith"'), encoding="utf-8")
    added = run(["push", str(sampleton), "--endpoint", server, "--as-of", "2009-06-01"])
    # Added: the person again under a new blank node (its three triples, and the tenure's holder line).
    assert added.exit_code == 0 and "added 12 triples to its 12, in 1 request; the store now holds 16" in added.stdout
    replaced = run(["push", str(sampleton), "--endpoint", server, "--replace", "--as-of", "2009-06-01"])
    assert replaced.exit_code == 0 and "replaced its 16 triples by 12" in replaced.stdout
    assert isomorphic(_read_back(server, graph), _local(sampleton))


def test_a_graph_sent_in_parts_keeps_its_blank_nodes_whole(server: str, sampleton: Path) -> None:
    store = ox.Store()
    store.load(path=str(sampleton), format=ox.RdfFormat.TURTLE, to_graph=ox.NamedNode("urn:x:g"))
    triples = sorted((q.triple for q in store), key=str)
    parts = list(chunks(triples, limit=200))
    assert len(parts) > 3
    assert sum(b"_:" in part for part in parts) == 1  # every triple with a blank node in one part
    done = push(Endpoint(server), graph_store_url(server), {"urn:x:g": triples}, replace=True, chunk_bytes=200)
    assert (done[0].requests, done[0].after) == (len(parts), 12)
    assert isomorphic(_read_back(server, "urn:x:g"), _local(sampleton))


def test_data_with_breaches_is_refused_and_nothing_is_sent(run: Callable[..., Result], server: str) -> None:
    breach = FIXTURES / "rules" / "ECM014" / "fail-dcs-post-in-borough-named-district.ttl"
    result = run(["push", str(breach), "--endpoint", server, "--as-of", "2010-01-01"])
    assert result.exit_code == 1
    assert result.stderr.rstrip().splitlines()[-1].startswith("Error: the data has 1 breach of the rules")
    assert count_remote(Endpoint(server), f"file://{breach}") == 0


def test_a_graph_the_data_lacks_is_an_input_error(run: Callable[..., Result], server: str, sampleton: Path) -> None:
    result = run(["push", str(sampleton), "--endpoint", server, "--graph", "urn:x:none", "--as-of", "2009-06-01"])
    assert result.exit_code == 3 and result.stderr.startswith("Error: the data has no graph <urn:x:none> to push")


STAFFORDSHIRE = Path(__file__).resolve().parents[1] / "data" / "seed" / "staffordshire.trig"
#: The header examples that name something of another seed file, which Staffordshire's data alone lacks.
ABOUT_OTHER_SEEDS = {"person-bodies", "post-history"}


def test_staffordshire_pushed_with_its_reference_gives_the_packaged_queries_rows_on_a_fresh_store(
    run: Callable[..., Result], server: str
) -> None:
    day = dt.date(2024, 6, 30)
    result = run(["push", str(STAFFORDSHIRE), "--endpoint", server, "--with-reference", "--as-of", day.isoformat()])
    assert result.exit_code == 0, result.stderr
    pushed = [line.split(">:")[0][1:] for line in result.stdout.splitlines()]
    for needed in (ONTOLOGY_GRAPH, ENTAILED_GRAPH, "https://w3id.org/ecmgraph/data/england.ttl"):
        assert needed in pushed
    local_data = ecmgraph.load(str(STAFFORDSHIRE))
    own = {  # the authorities Staffordshire's file records posts or bodies of
        row[0].value
        for row in ecmgraph.sparql(
            "SELECT DISTINCT ?a WHERE { { ?p org:postIn ?a } UNION { ?b ecm:bodyOf ?a } }",
            data=ecmgraph.load(str(STAFFORDSHIRE), reference=False),
        ).rows
    }
    unanswered = set()
    for name in sorted(catalogue()):
        query = get_query(name)
        try:
            local = ecmgraph.query(query, query.example, today=day, data=local_data)
        except UnknownName:
            unanswered.add(name)
            continue
        remote = ecmgraph.query(query, query.example, endpoint=server, today=day)
        assert remote.columns == local.columns, name
        if name != "compliance-matrix":
            assert remote.rows == local.rows, name
            continue
        # The same cells; the level differs only where a gap of an authority of the reference data alone is
        # reported on the store, where every authority is the data (locally the reference data is background).
        assert [r[:5] for r in remote.rows] == [r[:5] for r in local.rows]
        differ = [mine for theirs, mine in zip(remote.rows, local.rows) if theirs != mine]
        assert differ and all(
            row[0].value not in own and row[4].value == "not recorded" and row[5].value == "" for row in differ
        )
    assert unanswered == ABOUT_OTHER_SEEDS


class _Recorder(http.server.BaseHTTPRequestHandler):
    """A store that records each request's method, path and Authorization header, and counts every graph 0."""

    seen: list[tuple[str, str, str]] = []

    def _record(self) -> None:
        self.rfile.read(int(self.headers.get("Content-Length", "0")))
        self.seen.append((self.command, self.path, self.headers.get("Authorization", "")))

    def do_POST(self) -> None:
        self._record()
        if self.path.startswith("/query"):
            body = json.dumps(
                {"head": {"vars": ["n"]}, "results": {"bindings": [{"n": {"type": "literal", "value": "0"}}]}}
            )
            self.send_response(200)
            self.send_header("Content-Type", "application/sparql-results+json")
            self.end_headers()
            self.wfile.write(body.encode())
        else:
            self.send_response(204)
            self.end_headers()

    do_PUT = do_POST

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def recorder() -> Iterator[str]:
    _Recorder.seen = []
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Recorder)
    threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}/query"
    httpd.shutdown()


def test_the_user_s_password_comes_from_the_environment_and_goes_in_a_basic_header(
    run: Callable[..., Result], recorder: str, sampleton: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ECMGRAPH_PASSWORD", "s3cret")
    result = run(["push", str(sampleton), "--endpoint", recorder, "--user", "me", "--as-of", "2009-06-01"])
    # The recorder keeps nothing, so the count afterwards does not fit: an error, after the request was sent.
    assert result.exit_code == 3 and "the server did not keep what was sent" in result.stderr
    expected = "Basic " + base64.b64encode(b"me:s3cret").decode()
    assert {(method, auth) for method, _, auth in _Recorder.seen} == {("POST", expected)}
    assert any(path.startswith("/store?graph=file") for _, path, _ in _Recorder.seen)
