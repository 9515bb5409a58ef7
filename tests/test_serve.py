"""``ecmgraph serve`` over HTTP: a real server (tests/serving.py) on six county councils, httpx against it.

The SPARQL 1.1 Protocol (every results format, content negotiation, GET and POST), what is refused (updates,
LOAD, SERVICE, bad syntax, requests too large, answers too long), the time limit (the worker killed and replaced),
a client that goes away, the site's 303s and documents, the query page and the name lookup. The packaged data's
forms are checked in the slow tests at the end.
"""

from __future__ import annotations

import csv
import io
import json
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pyoxigraph as ox
import pytest
from serving import Server

import ecmgraph

FIXTURE = Path(__file__).parent / "fixtures" / "serve" / "six-counties.ttl"
ID = "https://w3id.org/ecmgraph/id/"
NAMES = ["Alphashire", "Betashire", "Deltashire", "Epsilonshire", "Gammashire", "Zetashire"]
COUNTIES = "SELECT ?a ?name WHERE { ?a a ecm:CountyCouncil ; rdfs:label ?name } ORDER BY ?name"
#: Ten VALUES of ten values each: 10^10 rows to count, which no time limit of a test lets end.
FOREVER = (
    "SELECT (COUNT(*) AS ?n) WHERE { "
    + " ".join(f"VALUES ?v{i} {{ {' '.join(str(k) for k in range(10))} }}" for i in range(10))
    + " }"
)
TIMEOUT = 2


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    log = tmp_path_factory.mktemp("serve") / "serve.log"
    running = Server(
        [
            str(FIXTURE),
            "--no-reference",
            "--timeout",
            str(TIMEOUT),
            "--max-rows",
            "5",
            "--max-request",
            "4K",
            "--workers",
            "1",
            "--as-of",
            "2009-06-01",
        ],
        log,
    )
    yield running
    assert running.stop() == 0, running.log.read_text()


@pytest.fixture(scope="module")
def client(server: Server) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=server.url, timeout=30) as c:
        yield c


def limited(query: str) -> str:
    return query + " LIMIT 5"


def test_select_json_is_the_w3c_format_with_exact_rows(client: httpx.Client) -> None:
    answer = client.get(
        "/sparql", params={"query": limited(COUNTIES)}, headers={"Accept": "application/sparql-results+json"}
    )
    assert answer.status_code == 200
    assert answer.headers["content-type"] == "application/sparql-results+json; charset=utf-8"
    body = answer.json()
    assert body["head"]["vars"] == ["a", "name"]
    rows = [(b["a"]["value"], b["name"]["value"]) for b in body["results"]["bindings"]]
    assert rows == [(f"{ID}authority/E1000000{n}", name) for n, name in zip((1, 2, 4, 5, 3), NAMES)]
    assert body["results"]["bindings"][0]["a"]["type"] == "uri"
    assert body["results"]["bindings"][0]["name"] == {"type": "literal", "value": "Alphashire"}


@pytest.mark.parametrize(
    ("accept", "fmt", "media"),
    [
        ("application/sparql-results+xml", None, "application/sparql-results+xml"),
        ("text/csv", None, "text/csv"),
        ("text/tab-separated-values", None, "text/tab-separated-values"),
        (None, "csv", "text/csv"),
        (None, "tsv", "text/tab-separated-values"),
        (None, "xml", "application/sparql-results+xml"),
        ("text/csv;q=0.5, application/sparql-results+xml;q=0.9", None, "application/sparql-results+xml"),
        ("*/*", None, "application/sparql-results+json"),
        (None, None, "application/sparql-results+json"),
    ],
)
def test_select_formats_by_accept_and_format(
    client: httpx.Client, accept: str | None, fmt: str | None, media: str
) -> None:
    params = {"query": limited(COUNTIES)} | ({"format": fmt} if fmt else {})
    answer = client.get("/sparql", params=params, headers={"Accept": accept} if accept else {})
    assert answer.status_code == 200, answer.text
    assert answer.headers["content-type"].split(";")[0] == media
    assert "Accept" in answer.headers["vary"]
    if media == "text/csv":  # lossy: pyoxigraph does not read it back
        assert [row[1] for row in csv.reader(io.StringIO(answer.text))] == ["name", *NAMES[:5]]
        return
    parsed = ox.parse_query_results(answer.content, format=ox.QueryResultsFormat.from_media_type(media))
    assert [s["name"].value for s in parsed] == NAMES[:5]


def test_csv_and_tsv_are_exact(client: httpx.Client) -> None:
    query = 'SELECT ?a ?name WHERE { ?a rdfs:label ?name FILTER(?name = "Alphashire") }'
    csv_text = client.get("/sparql", params={"query": query, "format": "csv"}).text
    assert list(csv.reader(io.StringIO(csv_text))) == [["a", "name"], [f"{ID}authority/E10000001", "Alphashire"]]
    assert csv_text.endswith("\r\n")
    tsv = client.get("/sparql", params={"query": query, "format": "tsv"}).text
    assert tsv == f'?a\t?name\n<{ID}authority/E10000001>\t"Alphashire"\n'


def test_ask_in_each_format(client: httpx.Client) -> None:
    ask = 'ASK { ?a rdfs:label "Zetashire" }'
    assert client.get("/sparql", params={"query": ask}).json() == {"head": {}, "boolean": True}
    xml = client.get("/sparql", params={"query": ask, "format": "xml"}).text
    assert "<boolean>true</boolean>" in xml
    assert (
        client.get("/sparql", params={"query": "ASK { ?a rdfs:label 'Omegashire' }", "format": "csv"}).text == "false\n"
    )


@pytest.mark.parametrize(
    ("accept", "rdf"),
    [
        ("text/turtle", ox.RdfFormat.TURTLE),
        ("application/n-triples", ox.RdfFormat.N_TRIPLES),
        ("application/rdf+xml", ox.RdfFormat.RDF_XML),
        ("application/ld+json", ox.RdfFormat.JSON_LD),
        (None, ox.RdfFormat.TURTLE),
    ],
)
def test_construct_and_describe_as_rdf(client: httpx.Client, accept: str | None, rdf: ox.RdfFormat) -> None:
    query = (
        "CONSTRUCT { ?a rdfs:label ?n } "
        "WHERE { ?a a ecm:CountyCouncil ; rdfs:label ?n FILTER(?n IN ('Alphashire', 'Betashire')) }"
    )
    answer = client.get("/sparql", params={"query": query}, headers={"Accept": accept} if accept else {})
    assert answer.status_code == 200, answer.text
    assert answer.headers["content-type"].split(";")[0] == rdf.media_type
    got = {(t.subject.value, t.object.value) for t in ox.parse(answer.content, format=rdf)}
    assert got == {(f"{ID}authority/E10000001", "Alphashire"), (f"{ID}authority/E10000002", "Betashire")}
    described = client.get("/sparql", params={"query": f"DESCRIBE <{ID}authority/E10000006>", "format": "ntriples"})
    assert f'<{ID}authority/E10000006> <http://www.w3.org/2000/01/rdf-schema#label> "Zetashire" .' in described.text


def test_a_format_the_answer_cannot_have_is_406(client: httpx.Client) -> None:
    answer = client.get("/sparql", params={"query": limited(COUNTIES), "format": "turtle"})
    assert answer.status_code == 406
    assert "format=turtle is not a format of this answer" in answer.text
    assert (
        client.get("/sparql", params={"query": limited(COUNTIES)}, headers={"Accept": "image/png"}).status_code == 406
    )


def test_post_as_form_and_as_sparql_query(client: httpx.Client) -> None:
    form = client.post("/sparql", data={"query": limited(COUNTIES)}, headers={"Accept": "text/csv"})
    assert form.status_code == 200
    assert form.text.splitlines()[1] == f"{ID}authority/E10000001,Alphashire"
    direct = client.post(
        "/sparql", content=limited(COUNTIES).encode(), headers={"Content-Type": "application/sparql-query"}
    )
    assert [b["name"]["value"] for b in direct.json()["results"]["bindings"]] == NAMES[:5]
    other = client.post("/sparql", content=b"x", headers={"Content-Type": "text/plain"})
    assert other.status_code == 415


@pytest.mark.parametrize(
    "request_kwargs",
    [
        {"data": {"update": "DROP ALL"}},
        {"data": {"query": "DROP ALL"}},
        {"data": {"query": "INSERT DATA { <http://x/a> <http://x/b> <http://x/c> }"}},
        {"data": {"query": "PREFIX x: <http://x/>\nDELETE WHERE { ?s ?p ?o }"}},
        {"data": {"query": "LOAD <http://example.org/data.ttl>"}},
        {"content": b"CLEAR DEFAULT", "headers": {"Content-Type": "application/sparql-update"}},
    ],
)
def test_updates_and_load_are_refused_and_change_nothing(client: httpx.Client, request_kwargs: dict) -> None:
    count = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
    before = client.get("/sparql", params={"query": count}).json()
    answer = client.post("/sparql", **request_kwargs)
    assert answer.status_code == 403
    assert "update" in answer.text and "nothing can change its data" in answer.text
    assert answer.headers["content-type"].startswith("text/plain")
    assert client.get("/sparql", params={"query": count}).json() == before


def test_service_is_refused(client: httpx.Client) -> None:
    answer = client.get(
        "/sparql", params={"query": "SELECT * WHERE { SERVICE <http://example.org/sparql> { ?s ?p ?o } }"}
    )
    assert answer.status_code == 403
    assert (
        answer.text
        == "query:1:18: the query has a SERVICE clause, and this server never sends queries to other services\n"
    )


def test_a_bad_query_is_400_with_the_parsers_message(client: httpx.Client) -> None:
    answer = client.get("/sparql", params={"query": "SELECT * WHERE { ?s ?p }"})
    assert answer.status_code == 400
    assert answer.text.startswith("query:1:")
    assert "SPARQL syntax error" in answer.text
    unknown = client.get("/sparql", params={"query": "SELECT * WHERE { ?s nope:x ?o }"})
    assert unknown.status_code == 400 and "SPARQL syntax error: unknown prefix" in unknown.text
    assert client.get("/sparql", params={"query": "   "}).status_code == 400
    two = client.get("/sparql", params=[("query", "ASK {}"), ("query", "ASK {}")])
    assert two.status_code == 400


def test_an_answer_over_the_row_limit_is_refused_whole(client: httpx.Client) -> None:
    answer = client.get("/sparql", params={"query": COUNTIES})  # six rows, the limit five
    assert answer.status_code == 400
    assert answer.text == (
        "the answer has more than 5 rows, the limit of this server (--max-rows), so none is sent: add a LIMIT, "
        "or narrow the query\n"
    )
    graph = client.get("/sparql", params={"query": "CONSTRUCT WHERE { ?s ?p ?o }"})
    assert graph.status_code == 400 and "more than 5 triples" in graph.text


def test_a_request_over_the_size_limit_is_413(client: httpx.Client) -> None:
    big = "SELECT * WHERE { ?s ?p ?o } #" + "x" * 5000
    answer = client.post("/sparql", data={"query": big})
    assert answer.status_code == 413
    assert "larger than 4,096 bytes" in answer.text
    assert client.post("/sparql", data={"query": limited(COUNTIES)}).status_code == 200


def test_a_query_that_runs_for_ever_is_stopped_and_the_next_one_works(client: httpx.Client) -> None:
    start = time.monotonic()
    answer = client.get("/sparql", params={"query": FOREVER})
    took = time.monotonic() - start
    assert answer.status_code == 504
    assert answer.text == (
        f"the query ran for more than {TIMEOUT} s, the time limit of this server (--timeout), and was stopped\n"
    )
    assert TIMEOUT - 0.5 < took < TIMEOUT + 3
    after = client.get("/sparql", params={"query": 'ASK { ?a rdfs:label "Alphashire" }'})
    assert after.json()["boolean"] is True


def test_a_client_that_goes_away_stops_its_query(server: Server, client: httpx.Client) -> None:
    with pytest.raises(httpx.ReadTimeout), httpx.Client(base_url=server.url, timeout=0.3) as impatient:
        impatient.get("/sparql", params={"query": FOREVER})
    start = time.monotonic()
    after = client.get("/sparql", params={"query": 'ASK { ?a rdfs:label "Betashire" }'})
    # One worker: had the abandoned query run on, this one would have waited for its deadline (and got 504).
    assert after.status_code == 200 and after.json()["boolean"] is True
    assert time.monotonic() - start < TIMEOUT - 0.5


@pytest.mark.slow
def test_an_idle_connection_is_kept_longer_than_a_client_keeps_it(server: Server) -> None:
    import http.client
    import urllib.parse

    where = urllib.parse.urlsplit(server.url)
    connection = http.client.HTTPConnection(where.hostname, where.port, timeout=10)
    try:
        connection.request("GET", "/.well-known/void")
        first = connection.getresponse()
        assert first.status == 200 and first.read()
        time.sleep(6)  # past httpx's 5 s keep-alive expiry (uvicorn's own default closed it at 5 s)
        connection.request("GET", "/.well-known/void")  # the same connection: closed by then, this would fail
        second = connection.getresponse()
        assert second.status == 200 and second.read()
    finally:
        connection.close()


def test_the_service_description(client: httpx.Client) -> None:
    answer = client.get("/sparql")
    assert answer.status_code == 200
    assert answer.headers["content-type"].startswith("text/turtle")
    graph = [q.triple for q in ox.parse(answer.content, format=ox.RdfFormat.TURTLE)]
    sd = "http://www.w3.org/ns/sparql-service-description#"
    endpoint = ox.NamedNode(str(client.base_url.join("/sparql")))
    rdf_type = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
    assert ox.Triple(endpoint, rdf_type, ox.NamedNode(sd + "Service")) in graph
    formats = {t.object.value for t in graph if t.predicate.value == sd + "resultFormat"}
    assert "http://www.w3.org/ns/formats/SPARQL_Results_JSON" in formats


@pytest.mark.parametrize(
    ("accept", "target"),
    [
        (None, "doc/authority/E10000001.html"),
        ("text/html", "doc/authority/E10000001.html"),
        ("text/turtle", "doc/authority/E10000001.ttl"),
        ("application/ld+json", "doc/authority/E10000001.jsonld"),
        ("application/n-triples", "doc/authority/E10000001.nt"),
    ],
)
def test_an_id_answers_303_to_its_document(client: httpx.Client, accept: str | None, target: str) -> None:
    answer = client.get("/id/authority/E10000001", headers={"Accept": accept} if accept else {})
    assert answer.status_code == 303
    assert answer.headers["location"] == "../../" + target
    assert answer.headers["vary"] == "Accept"
    followed = client.get(
        "/id/authority/E10000001", headers={"Accept": accept} if accept else {}, follow_redirects=True
    )
    assert followed.status_code == 200
    assert str(followed.url).endswith(target)


def test_the_sites_files_with_their_media_types(client: httpx.Client) -> None:
    expected = {
        "/": "text/html",
        "/doc/authority/E10000001.html": "text/html",
        "/doc/authority/E10000001.ttl": "text/turtle",
        "/doc/authority/E10000001.jsonld": "application/ld+json",
        "/doc/authority/E10000001.nt": "application/n-triples",
        "/.well-known/void": "text/turtle",
        "/compliance.html": "text/html",
        "/checks.html": "text/html",
        "/queries/index.html": "text/html",
        "/queries/who-is-accountable.html": "text/html",
        "/style.css": "text/css",
    }
    for path, media in expected.items():
        answer = client.get(path)
        assert answer.status_code == 200, path
        assert answer.headers["content-type"].split(";")[0] == media, path
    page = client.get("/doc/authority/E10000001.html").text
    assert "<h1>Alphashire</h1>" in page
    turtle = ox.parse(client.get("/doc/authority/E10000001.ttl").content, format=ox.RdfFormat.TURTLE)
    assert ox.Literal("Alphashire") in {t.object for t in turtle}
    assert client.get("/doc/authority/E99999999.html").status_code == 404
    assert client.get("/.htaccess").status_code == 404


def test_pages_are_sent_with_a_strict_script_policy(client: httpx.Client) -> None:
    page = client.get("/query")
    assert page.status_code == 200
    assert "script-src 'self'" in page.headers["content-security-policy"]
    assert "<script>" not in page.text
    for asset in ("assets/yasgui.min.js", "assets/yasgui.min.css", "assets/editor.js", "assets/forms.js"):
        assert f'"{asset}"' in page.text or asset.endswith("forms.js")
        assert client.get(f"/{asset}").status_code == 200
    assert 'href="query/who-is-accountable"' in page.text


def test_the_lookup_suggests_names_as_ecmgraph_lookup_finds_them(client: httpx.Client) -> None:
    answer = client.get("/lookup", params={"q": "alphashire", "kind": "authority"})
    assert answer.status_code == 200
    body = answer.json()
    assert body["status"] == "resolved"
    assert body["names"] == [
        {
            "label": "Alphashire",
            "kind": "county council",
            "authority": "",
            "iri": f"{ID}authority/E10000001",
            "page": "doc/authority/E10000001.html",
        }
    ]
    assert client.get("/lookup", params={"q": " "}).status_code == 400


def test_a_form_names_what_it_cannot_find(client: httpx.Client) -> None:
    answer = client.get("/query/scrutiny-bodies", params={"authority": "Omegashire", "run": "1"})
    assert answer.status_code == 400
    assert "Omegashire" in answer.text and 'class="error"' in answer.text
    assert client.get("/query/no-such-query").status_code == 404


def test_bad_options_are_one_line_errors(run, tmp_path: Path) -> None:
    missing = run(["serve", str(tmp_path / "missing.ttl"), "--port", "0"])
    assert missing.exit_code == 3
    assert missing.stderr.startswith("Error: ") and len(missing.stderr.strip().splitlines()) == 1
    assert run(["serve", "--port", "70000"]).exit_code == 2
    assert run(["serve", "--timeout", "0"]).exit_code == 3
    base = run(["serve", "--base-url", "ftp://x/"])
    assert base.exit_code == 3 and "--base-url" in base.stderr


def test_a_port_in_use_is_an_input_error(run, server: Server) -> None:
    port = server.url.rsplit(":", 1)[1].strip("/")
    answer = run(["serve", str(FIXTURE), "--no-reference", "--port", port])
    assert answer.exit_code == 3
    assert answer.stderr.startswith(f"Error: cannot listen on 127.0.0.1:{port}: ")
    assert "--port 0" in answer.stderr


def test_another_address_is_warned_about(run, tmp_path: Path) -> None:
    answer = run(["serve", str(tmp_path / "missing.ttl"), "--host", "0.0.0.0", "--port", "0"])
    assert answer.stderr.splitlines()[0].startswith("Warning: serving on 0.0.0.0, reachable from other machines")


def children_of(pid: int) -> list[int]:
    """The ids of the processes whose parent is ``pid``, read from /proc/*/stat (every Linux kernel has it)."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue  # the process ended while we looked
        if int(fields[1]) == pid:
            found.append(int(stat.parent.name))
    return found


def test_each_request_is_logged_and_sigterm_stops_the_server_and_its_workers(tmp_path: Path) -> None:
    running = Server([str(FIXTURE), "--no-reference", "--workers", "2"], tmp_path / "serve.log")
    deadline = time.monotonic() + 30  # "Serving …" is said once the socket listens; the workers fork just after
    while len(workers := children_of(running.process.pid)) < 2 and time.monotonic() < deadline:
        time.sleep(0.05)
    assert len(workers) == 2
    with httpx.Client(base_url=running.url, timeout=30) as c:
        assert c.get("/sparql", params={"query": "ASK {}"}).status_code == 200
        assert c.get("/nothing-here").status_code == 404
    assert running.stop() == 0
    log = running.log.read_text()
    assert '"GET /sparql?query=ASK+%7B%7D HTTP/1.1" 200' in log
    assert '"GET /nothing-here HTTP/1.1" 404' in log
    assert log.rstrip().endswith("ecmgraph serve stopped.") and "Traceback" not in log
    for pid in workers:  # reaped: no process of that id is left
        assert not (Path("/proc") / str(pid)).exists() or "ecmgraph" not in (
            Path("/proc") / str(pid) / "cmdline"
        ).read_text(errors="replace")


# --- the packaged data --------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def packaged(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    log = tmp_path_factory.mktemp("serve-packaged") / "serve.log"
    running = Server(["--as-of", "2009-06-01"], log)
    yield running.url
    assert running.stop() == 0


@pytest.mark.slow
def test_a_packaged_query_from_its_form_and_from_sparql(packaged: str) -> None:
    values = {"authority": "Staffordshire", "topic": "safeguarding", "date": "2009-06-01"}
    expected = ecmgraph.query("who-is-accountable", values)
    with httpx.Client(base_url=packaged, timeout=30) as client:
        page = client.get("/query/who-is-accountable", params={**values, "run": "1"})
        assert page.status_code == 200
        assert page.text.count("<tr>") == len(expected.rows) + 1
        assert f"<caption>{len(expected.rows)} rows</caption>" in page.text
        link = page.text.split('id="sparql-link" href="', 1)[1].split('"', 1)[0].replace("&amp;", "&")
        assert link.startswith("../sparql?query=")
        answer = client.get("/query/" + link, headers={"Accept": "application/sparql-results+json"})
        body = answer.json()
        assert body["head"]["vars"] == list(expected.columns)
        got = [tuple(b.get(c, {}).get("value") for c in expected.columns) for b in body["results"]["bindings"]]
        want = [tuple(None if t is None else t.value for t in row) for row in expected.rows]
        assert got == want


@pytest.mark.slow
def test_the_compliance_matrix_form_reads_the_validation(packaged: str) -> None:
    with httpx.Client(base_url=packaged, timeout=30) as client:
        page = client.get("/query/compliance-matrix", params={"authority": "Luton", "date": "2009-06-01", "run": "1"})
        assert page.status_code == 200, page.text
        assert "<caption>27 rows</caption>" in page.text
        assert 'id="sparql-link"' not in page.text  # it reads a validation report, not the data alone
        assert json.loads(client.get("/lookup", params={"q": "Rochford DC"}).text)["names"][0]["label"].startswith(
            "Rochford"
        )
