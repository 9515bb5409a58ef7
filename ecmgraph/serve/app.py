"""The ASGI application of ``ecmgraph serve`` (Starlette): the SPARQL 1.1 Protocol at ``/sparql``, the query page
and forms at ``/query``, name suggestions at ``/lookup``, and the site's files everywhere else.

Every query runs in a worker process (:mod:`ecmgraph.serve.workers`); this process only reads requests, serves
files already made and hands back the workers' answers. A client that goes away stops its query.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qsl

import pyoxigraph as ox
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, RedirectResponse, Response
from starlette.routing import Route
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from ecmgraph.namespaces import FORMATS, ONTOLOGY_GRAPH, RDF, SD
from ecmgraph.queries import catalogue
from ecmgraph.serve import formats, forms
from ecmgraph.serve.site import LiveSite
from ecmgraph.serve.tasks import READ_ONLY, Answer
from ecmgraph.serve.workers import ServeError, WorkerPool

#: Sent with every response: scripts and everything else from this server only.
SECURITY_HEADERS = {
    "content-security-policy": "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'self'; frame-ancestors 'none'",
    "x-content-type-options": "nosniff",
    "referrer-policy": "same-origin",
}
_SD = str(SD)
_FORMATS_NS = str(FORMATS)
_SD_FORMATS = ("SPARQL_Results_JSON", "SPARQL_Results_XML", "SPARQL_Results_CSV", "SPARQL_Results_TSV")
_SD_RDF = ("Turtle", "N-Triples", "RDF_XML", "JSON-LD")


@dataclass(frozen=True)
class Settings:
    """What the application is given: the site, the workers, its address and its limits."""

    site: LiveSite
    pool: WorkerPool
    base_url: str
    max_request: int
    max_rows: int
    timeout: float
    graphs: tuple[str, ...] = ()


def create_app(settings: Settings) -> Starlette:
    """The application; the workers are forked when it starts and killed when it stops."""
    editor = forms.editor_page(settings.site.pages, settings.max_rows, settings.timeout)

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        settings.pool.start()
        try:
            yield
        finally:
            settings.pool.close()

    async def sparql(request: Request) -> Response:
        return await _sparql(settings, request)

    async def query_page(request: Request) -> Response:
        return Response(editor, media_type="text/html; charset=utf-8")

    async def form(request: Request) -> Response:
        return await _form(settings, request)

    async def lookup(request: Request) -> Response:
        text = request.query_params.get("q", "")
        kind = request.query_params.get("kind") or None
        try:
            found = await _in_worker(settings, request, "lookup", text=text, kind=kind, page="lookup")
        except ServeError as exc:
            return JSONResponse({"error": exc.message}, status_code=exc.status)
        return JSONResponse(found)

    async def site_file(request: Request) -> Response:
        path = request.url.path.lstrip("/")
        found = settings.site.lookup(path, request.headers.get("accept"))
        if found is None:
            return PlainTextResponse(
                f"Not found: /{path} (hint: the index lists the authorities; /query asks the data)\n", 404
            )
        status, what = found
        if isinstance(what, str):
            return RedirectResponse(what, status_code=status, headers={"vary": "Accept"})
        return Response(what.body, media_type=what.media_type)

    routes = [
        Route("/sparql", sparql, methods=["GET", "POST"]),
        Route("/query", query_page, methods=["GET"]),
        Route("/query/{name}", form, methods=["GET"]),
        Route("/lookup", lookup, methods=["GET"]),
        Route("/{path:path}", site_file, methods=["GET"]),
    ]
    app = Starlette(routes=routes, lifespan=lifespan)
    return _Guard(app, settings.max_request)  # type: ignore[return-value]


class _Guard:
    """Security headers on every response, and a request body over ``max_request`` bytes refused (413)."""

    def __init__(self, app: ASGIApp, max_request: int) -> None:
        self.app = app
        self.max_request = max_request

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                headers += [(k.encode(), v.encode()) for k, v in SECURITY_HEADERS.items()]
                message = {**message, "headers": headers}
            await send(message)

        length = dict(scope.get("headers", [])).get(b"content-length")
        if length is not None and (not length.isdigit() or int(length) > self.max_request):
            await _too_large(self.max_request)(scope, receive, with_headers)
            return
        await self.app(scope, receive, with_headers)


def _too_large(limit: int) -> Response:
    return PlainTextResponse(
        f"The request is larger than {limit:,} bytes, the limit of this server (--max-request)\n", 413
    )


async def _body(request: Request, limit: int) -> bytes:
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise ServeError(
                413, f"the request is larger than {limit:,} bytes, the limit of this server (--max-request)"
            )
        chunks.append(chunk)
    return b"".join(chunks)


async def _in_worker(settings: Settings, request: Request, task: str, **arguments: Any) -> Any:
    """``task`` run in a worker; stopped (its worker killed) if the client goes away first."""
    work = asyncio.ensure_future(settings.pool.run(task, **arguments))
    gone = asyncio.ensure_future(_disconnected(request.receive))
    try:
        await asyncio.wait({work, gone}, return_when=asyncio.FIRST_COMPLETED)
    finally:
        if not work.done():
            work.cancel()
            with contextlib.suppress(asyncio.CancelledError, ServeError):
                await work
        gone.cancel()
    if work.cancelled():
        raise ServeError(499, "the client went away; its query was stopped")
    return work.result()


async def _disconnected(receive: Callable[[], Awaitable[Message]]) -> None:
    while (await receive())["type"] != "http.disconnect":
        pass


async def _sparql(settings: Settings, request: Request) -> Response:
    params: dict[str, list[str]] = {}
    for key, value in request.query_params.multi_items():
        params.setdefault(key, []).append(value)
    try:
        query = await _query_of(settings, request, params)
        if query is None:
            return _service_description(settings, request.headers.get("accept"))
        answer = await _in_worker(
            settings,
            request,
            "sparql",
            query=query,
            accept=request.headers.get("accept"),
            requested=next(iter(params.get("format") or params.get("output") or []), None),
            default_graphs=params.get("default-graph-uri", []),
            named_graphs=params.get("named-graph-uri", []),
        )
    except ServeError as exc:
        return PlainTextResponse(f"{exc.message}\n", exc.status)
    assert isinstance(answer, Answer)
    return Response(answer.body, answer.status, media_type=answer.content_type, headers={"vary": "Accept"})


async def _query_of(settings: Settings, request: Request, params: dict[str, list[str]]) -> str | None:
    """The query a request sends (adding a POSTed form's fields to ``params``), or None when it sends none.
    Raises ServeError for an update, or a request the protocol does not allow."""
    if request.method == "POST":
        media = request.headers.get("content-type", "").split(";")[0].strip().lower()
        body = await _body(request, settings.max_request)
        if media == "application/sparql-update":
            raise ServeError(403, f"this is a SPARQL update: {READ_ONLY}")
        if media == "application/sparql-query":
            if "query" in params:
                raise ServeError(400, "give the query once: in the body or as ?query=, not both")
            return _text(body)
        if media == "application/x-www-form-urlencoded":
            for key, value in parse_qsl(_text(body), keep_blank_values=True):
                params.setdefault(key, []).append(value)
        else:
            raise ServeError(
                415,
                f"a POST to /sparql is application/sparql-query or a form (application/x-www-form-urlencoded), "
                f"not {media or 'without a Content-Type'}",
            )
    if "update" in params:
        raise ServeError(403, f"this is a SPARQL update: {READ_ONLY}")
    queries = params.get("query", [])
    if len(queries) > 1:
        raise ServeError(400, "the request gives more than one query: give one")
    if not queries and request.method == "POST":
        raise ServeError(400, "the request gives no query: send it as the form's query field or the body")
    return queries[0] if queries else None


def _text(body: bytes) -> str:
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ServeError(400, f"the request is not UTF-8 text (byte {exc.start + 1})") from None


def _service_description(settings: Settings, accept: str | None) -> Response:
    """The SPARQL service description of the endpoint, as RDF by content negotiation (Turtle by default)."""
    sd = ox.NamedNode
    endpoint = sd(settings.base_url + "sparql")
    rdf_type = sd(str(RDF.type))
    dataset = ox.BlankNode("dataset")
    triples = [
        ox.Triple(endpoint, rdf_type, sd(_SD + "Service")),
        ox.Triple(endpoint, sd(_SD + "endpoint"), endpoint),
        ox.Triple(endpoint, sd(_SD + "supportedLanguage"), sd(_SD + "SPARQL11Query")),
        ox.Triple(endpoint, sd(_SD + "feature"), sd(_SD + "UnionDefaultGraph")),
        ox.Triple(endpoint, sd(_SD + "defaultDataset"), dataset),
        ox.Triple(dataset, rdf_type, sd(_SD + "Dataset")),
    ]
    triples += [ox.Triple(endpoint, sd(_SD + "resultFormat"), sd(_FORMATS_NS + f)) for f in (*_SD_FORMATS, *_SD_RDF)]
    graphs = sorted(set(settings.graphs) | {ONTOLOGY_GRAPH})
    for i, graph in enumerate(graphs):
        named = ox.BlankNode(f"g{i}")
        triples += [ox.Triple(dataset, sd(_SD + "namedGraph"), named), ox.Triple(named, sd(_SD + "name"), sd(graph))]
    try:
        fmt = formats.choose("graph", accept if accept and "html" not in accept else None, None)
    except formats.NotAcceptable:
        fmt = formats.FORMATS[4]
    return Response(formats.write_graph(triples, fmt), media_type=formats.content_type(fmt))


async def _form(settings: Settings, request: Request) -> Response:
    name = request.path_params["name"]
    query = catalogue().get(name)  # only the packaged queries, never a path
    if query is None:
        return PlainTextResponse(f"Not found: no packaged query {name!r} (hint: /query lists them)\n", 404)
    params = dict(request.query_params)
    values = forms.given_values(query, params)
    answer, error, status = None, "", 200
    if params.get("run"):
        try:
            answer = await _in_worker(
                settings, request, "packaged", name=query.name, values=values, page=forms.form_page(query.name)
            )
        except ServeError as exc:
            error, status = exc.message, exc.status
    elif not values:
        values = {k: str(v) for k, v in query.example.items()}
    body = forms.answer_page(settings.site.pages, query, values, answer=answer, error=error)
    return Response(body, status, media_type="text/html; charset=utf-8")
