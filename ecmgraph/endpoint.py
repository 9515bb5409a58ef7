"""A small SPARQL 1.1 Protocol client: the same queries ecmgraph runs locally, sent to a remote endpoint.

Queries go by HTTP POST as an HTML form (``application/x-www-form-urlencoded``, ``query=…``: the form every SPARQL
1.1 server takes; Virtuoso never answers a direct ``application/sparql-query`` POST), asking for SPARQL JSON results
(SELECT, ASK) or, for a CONSTRUCT or DESCRIBE query, N-Triples first (Virtuoso answers a graph in whatever format
the Accept header puts first, SPARQL JSON results included, and there writes a blank node as an IRI ``_:vb…``).
Results come back as the same :class:`ecmgraph.results.Table`, ``bool`` or :class:`ecmgraph.results.Graph` as local
queries, built from pyoxigraph terms, so one renderer serves both. Every failure (server down, too slow, an HTTP
error, an answer that is not SPARQL results) is an :class:`ecmgraph.errors.EndpointError`, exit code 3.

An endpoint is untrusted input, so each request is bounded and goes nowhere else:

- only ``http`` and ``https`` URLs, checked whole before anything is sent (a port, no space or control character);
- the timeout is a **total deadline** for the request, from connecting to the last byte of the answer, not a limit
  on each read (a server that trickles one byte at a time cannot hold ecmgraph longer);
- the answer is read up to a **maximum size** (:data:`DEFAULT_MAX_RESPONSE`, or :func:`response_limit`), and one
  that is larger is an error, never read whole into memory;
- **redirects are never followed**, to another origin, another scheme or the same origin: a POST redirected
  elsewhere would send the query where nobody asked (or lose it). The error names where the server points, so
  that the user can give that URL instead.

The endpoint must answer queries over the union of its graphs, as ecmgraph does locally (for an Oxigraph server:
``oxigraph serve --union-default-graph``).
"""

from __future__ import annotations

import contextlib
import contextvars
import functools
import http.client
import json
import re
import socket
import threading
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from email.message import Message
from typing import Any

import pyoxigraph as ox

from ecmgraph.errors import EndpointError
from ecmgraph.namespaces import XSD
from ecmgraph.results import Graph, QueryResult, Table, Term
from ecmgraph.sparql_text import code_mask, unescape_codepoints

DEFAULT_TIMEOUT = 60.0
#: The longest timeout accepted, in seconds (a day): anything longer is a typing mistake, not a wait.
MAX_TIMEOUT = 86400.0
#: The largest answer read from an endpoint by default, in bytes (256 MiB).
DEFAULT_MAX_RESPONSE = 256 * 2**20
_MAX_RESPONSE: contextvars.ContextVar[int] = contextvars.ContextVar("max_response", default=DEFAULT_MAX_RESPONSE)
_CHUNK = 1 << 16
_ACCEPT = "application/sparql-results+json, application/n-triples;q=0.9, text/plain;q=0.1"
#: What a CONSTRUCT or DESCRIBE query asks for: RDF only, so that no server answers it as a table of ?s ?p ?o.
_GRAPH_ACCEPT = "application/n-triples, text/plain;q=0.9, text/turtle;q=0.8, application/n-quads;q=0.7"
#: A query whose answer is a graph: CONSTRUCT or DESCRIBE after its prologue (in the text code_mask leaves).
_GRAPH_FORM = re.compile(r"^\s*(?:(?:PREFIX\s*[^\s:]*:|BASE)\s*)*(?:CONSTRUCT|DESCRIBE)\b", re.I)
_GRAPH_TYPES = {
    "application/n-triples": ox.RdfFormat.N_TRIPLES,
    "text/plain": ox.RdfFormat.N_TRIPLES,
    "text/turtle": ox.RdfFormat.TURTLE,
    "application/n-quads": ox.RdfFormat.N_QUADS,
}
_XSD_STRING = str(XSD.string)
_XSD_BOOLEAN = str(XSD.boolean)
#: The canonical form of each xsd:boolean an endpoint may write otherwise.
_BOOLEAN = {"1": "true", "0": "false"}


def check_timeout(seconds: float, what: str = "timeout") -> float:
    """``seconds`` if it is a finite number of seconds above 0 and at most :data:`MAX_TIMEOUT`; raise
    EndpointError otherwise (``nan``, ``inf`` and ``1e300`` are refused here, not deep in the socket layer)."""
    if isinstance(seconds, bool) or not isinstance(seconds, int | float) or not 0 < seconds <= MAX_TIMEOUT:
        # NaN fails every comparison, so it is refused too
        raise EndpointError(
            f"{what} {seconds!r} is not a number of seconds above 0 and at most {MAX_TIMEOUT:g}",
            hint=f"give the seconds to wait, e.g. {DEFAULT_TIMEOUT:g}",
        )
    return float(seconds)


def check_url(url: str) -> urllib.parse.SplitResult:
    """The parts of ``url`` if it is an http(s) URL that can be sent as it is; raise EndpointError otherwise."""
    hint = "give the endpoint's query URL, e.g. http://localhost:7878/query"
    if not url.isascii() or any(ch.isspace() or not ch.isprintable() for ch in url):
        raise EndpointError(
            f"not a usable URL: {url!r} has a space, a control or a non-ASCII character",
            hint="percent-encode it (a space is %20), and give a host name in its ASCII form; " + hint,
        )
    try:
        parts = urllib.parse.urlsplit(url)
        parts.port  # noqa: B018  # urlsplit checks the port only when asked for it
    except ValueError as exc:
        raise EndpointError(f"not a usable URL: {url!r} ({exc})", hint=hint) from exc
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise EndpointError(f"not an http(s) URL: {url!r}", hint=hint)
    return parts


@contextmanager
def response_limit(max_bytes: int) -> Iterator[None]:
    """Read answers of at most ``max_bytes`` bytes from endpoints within this block (the command line's
    ``--max-response``); raises ValueError for a size below 1."""
    if max_bytes < 1:
        raise ValueError(f"not a response size: {max_bytes}")
    token = _MAX_RESPONSE.set(max_bytes)
    try:
        yield
    finally:
        _MAX_RESPONSE.reset(token)


def human_size(size: int) -> str:
    """``268435456`` as ``256 MiB``: a byte count as people read it."""
    for unit, scale in (("GiB", 2**30), ("MiB", 2**20), ("KiB", 2**10)):
        if size >= scale:
            return f"{size / scale:.4g} {unit}"
    return f"{size} bytes"


@dataclass(frozen=True)
class Endpoint:
    """A SPARQL 1.1 query endpoint: its URL, the deadline of each request (seconds) and the largest answer read
    (bytes; None: :func:`response_limit`'s, else :data:`DEFAULT_MAX_RESPONSE`).

    Raises EndpointError for a URL that is not http(s) or cannot be sent as it is, or a timeout out of range."""

    url: str
    timeout: float = DEFAULT_TIMEOUT
    max_bytes: int | None = None
    #: An ``Authorization`` header sent with every request (HTTP Basic, say); never shown.
    authorization: str | None = field(default=None, repr=False)

    def __post_init__(self) -> None:
        check_url(self.url)
        check_timeout(self.timeout)

    def query(self, text: str) -> QueryResult:
        """Run a SELECT, ASK, CONSTRUCT or DESCRIBE query; raise EndpointError if the endpoint fails.

        ``text`` is sent as it is: :class:`ecmgraph.engines.RemoteEngine`, through which ecmgraph runs every
        query, refuses updates before calling this; code that calls it directly must do so itself."""
        body, content_type = self._post(text, _GRAPH_ACCEPT if answers_graph(text) else _ACCEPT)
        if content_type in ("application/sparql-results+json", "application/json"):
            return parse_json_results(body, self.url)
        if content_type in _GRAPH_TYPES:
            try:
                return Graph(tuple(q.triple for q in ox.parse(body, format=_GRAPH_TYPES[content_type])))
            except (SyntaxError, ValueError) as exc:
                raise EndpointError(f"{self.url} sent RDF that does not parse: {_printable(str(exc))}") from exc
        raise EndpointError(
            f"{self.url} answered with {_printable(content_type) or 'no content type'}, not SPARQL results",
            hint="check that the URL is the endpoint's query URL (Oxigraph: …/query)",
        )

    def select(self, text: str) -> Table:
        """Run a SELECT query; raise EndpointError if the answer is not a table."""
        result = self.query(text)
        if not isinstance(result, Table):
            raise EndpointError(f"{self.url} did not answer a SELECT query with a table of results")
        return result

    def _post(self, text: str, accept: str = _ACCEPT) -> tuple[bytes, str]:
        """The body and content type of the answer to ``text`` (asked for as ``accept``), within the deadline and
        the size limit.

        The request runs in a worker thread that the caller waits for until the deadline, however the server
        sends (or does not send) its answer; past the deadline its connection is shut down, so the worker ends
        too instead of reading on in the background."""
        try:
            data = urllib.parse.urlencode({"query": text}, encoding="utf-8").encode("ascii")
        except UnicodeEncodeError as exc:
            raise EndpointError("the query is not valid Unicode text", hint="check the query's encoding") from exc
        return self.send("POST", self.url, data, {"Content-Type": "application/x-www-form-urlencoded"}, accept)

    def send(
        self, method: str, url: str, data: bytes | None, headers: dict[str, str], accept: str = _ACCEPT
    ) -> tuple[bytes, str]:
        """One HTTP request to ``url`` (this endpoint's, or another of the same server's, such as its Graph Store
        Protocol URL), under the same deadline, size limit and no-redirect rule as every query: the body and
        content type of the answer. Raises EndpointError."""
        check_url(url)
        if self.authorization is not None:
            headers = {**headers, "Authorization": self.authorization}
        limit = self.max_bytes if self.max_bytes is not None else _MAX_RESPONSE.get()
        outcome: list[tuple[bytes, str] | BaseException] = []
        done, stop = threading.Event(), threading.Event()
        sockets: list[socket.socket] = []  # the request's connections, shut down at the deadline

        def exchange() -> None:
            try:
                outcome.append(self._exchange(method, url, data, {**headers, "Accept": accept}, limit, stop, sockets))
            except BaseException as exc:  # handed to the waiting thread, which raises it
                outcome.append(exc)
            finally:
                done.set()

        worker = threading.Thread(target=exchange, name=f"ecmgraph request to {url}", daemon=True)
        worker.start()
        try:
            finished = done.wait(self.timeout)
        finally:
            stop.set()  # past the deadline, or interrupted (Ctrl-C): the worker gives up at its next read,
            if not done.is_set():  # which shutting its connection down makes come at once
                for connection in list(sockets):
                    with contextlib.suppress(OSError):
                        connection.shutdown(socket.SHUT_RDWR)
        if not finished:
            raise self._too_slow()
        result = outcome[0]
        if isinstance(result, BaseException):
            raise result
        return result

    def _exchange(
        self,
        method: str,
        url: str,
        data: bytes | None,
        headers: dict[str, str],
        limit: int,
        stop: threading.Event,
        sockets: list[socket.socket],
    ) -> tuple[bytes, str]:
        request = urllib.request.Request(url, data=data, headers=headers, method=method)
        opener = urllib.request.build_opener(_NoRedirects, _HTTPHandler(sockets), _HTTPSHandler(sockets))
        try:
            with opener.open(request, timeout=self.timeout) as response:
                content_type = response.headers.get_content_type()
                declared = response.headers.get("Content-Length", "")
                if declared.isdigit() and int(declared) > limit:
                    raise self._too_big(limit)
                chunks: list[bytes] = []
                size = 0
                while chunk := response.read1(_CHUNK):  # what has come, never waiting for a whole buffer
                    if stop.is_set():
                        raise self._too_slow()
                    size += len(chunk)
                    if size > limit:
                        raise self._too_big(limit)
                    chunks.append(chunk)
        except urllib.error.HTTPError as exc:
            raise self._http_error(exc, url) from exc
        except TimeoutError as exc:
            raise self._too_slow() from exc
        except urllib.error.URLError as exc:
            reason = exc.reason if not isinstance(exc.reason, socket.timeout) else "timed out"
            raise EndpointError(
                f"cannot reach {url}: {_printable(str(reason))}",
                hint="check the URL and that the server is running",
            ) from exc
        except (OSError, ValueError, UnicodeError) as exc:  # http.client's own errors are OSError or ValueError
            raise EndpointError(
                f"cannot reach {url}: {_printable(str(exc) or type(exc).__name__)}",
                hint="check the URL and that the server is running",
            ) from exc
        return b"".join(chunks), content_type

    def _http_error(self, exc: urllib.error.HTTPError, url: str) -> EndpointError:
        status = f"HTTP {exc.code} {_printable(str(exc.reason))}"
        if 300 <= exc.code < 400:
            location = _printable((exc.headers or Message()).get("Location", ""))
            target = urllib.parse.urljoin(url, location) if location else "nowhere"
            return EndpointError(
                f"{url} answered {status}, a redirect to {target}: ecmgraph does not follow redirects",
                hint=f"if {target} is the endpoint, give that URL"
                if target.startswith(("http://", "https://"))
                else "give the endpoint's own query URL",
            )
        try:
            detail = _printable(exc.read(500).decode("utf-8", "replace"))
        except (OSError, ValueError):
            detail = ""
        return EndpointError(
            f"{url} answered {status}" + (f": {detail}" if detail else ""),
            hint="check the query and that the URL is the endpoint's query URL",
        )

    def _too_slow(self) -> EndpointError:
        return EndpointError(
            f"{self.url} did not answer within {self.timeout:g} seconds",
            hint="the timeout bounds the whole answer; try again, or give a longer --timeout",
        )

    def _too_big(self, limit: int) -> EndpointError:
        return EndpointError(
            f"{self.url} sent an answer larger than {human_size(limit)}, the maximum response size",
            hint="ask for less (LIMIT, or a narrower query), or allow more with 'ecmgraph --max-response SIZE'",
        )


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    """Follows no redirect: the 3xx answer reaches the caller as an HTTPError, with its Location."""

    def redirect_request(self, *args: object, **kwargs: object) -> None:
        return None


class _TrackedConnection(http.client.HTTPConnection):
    """An HTTP connection that adds its socket to ``sockets`` once connected, for the deadline to shut down."""

    def __init__(self, *args: Any, sockets: list[socket.socket], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.sockets = sockets

    def connect(self) -> None:
        super().connect()
        self.sockets.append(self.sock)


class _HTTPSConnection(_TrackedConnection, http.client.HTTPSConnection):
    """The same for HTTPS: its (TLS) socket, once connected."""


class _HTTPHandler(urllib.request.HTTPHandler):
    def __init__(self, sockets: list[socket.socket]) -> None:
        super().__init__()
        self.sockets = sockets

    def http_open(self, req: urllib.request.Request) -> http.client.HTTPResponse:
        return self.do_open(functools.partial(_TrackedConnection, sockets=self.sockets), req)


class _HTTPSHandler(urllib.request.HTTPSHandler):
    def __init__(self, sockets: list[socket.socket]) -> None:
        super().__init__()
        self.sockets = sockets

    def https_open(self, req: urllib.request.Request) -> http.client.HTTPResponse:
        return self.do_open(functools.partial(_HTTPSConnection, sockets=self.sockets), req)  # the default TLS context


def _printable(text: str, limit: int = 300) -> str:
    """Text from a server made safe for a terminal: one line, no control characters, at most ``limit`` long."""
    clean = " ".join("".join(ch if ch.isprintable() else " " for ch in text).split())
    return clean if len(clean) <= limit else clean[: limit - 1] + "…"


@functools.lru_cache(maxsize=32)
def understands_lateral(url: str, timeout: float = DEFAULT_TIMEOUT) -> bool:
    """Whether the endpoint at ``url`` parses ``LATERAL`` (SPARQL SEP-0006; Oxigraph does), asked once per URL with a
    one-line ASK. An endpoint that refuses it, or fails, is taken not to: the query itself then reports any error."""
    try:
        return Endpoint(url, timeout).query("ASK { LATERAL { } }") is True
    except EndpointError:
        return False


def answers_graph(text: str) -> bool:
    """Whether the query ``text`` is a CONSTRUCT or DESCRIBE query, whose answer is RDF (not SPARQL results)."""
    return _GRAPH_FORM.match(code_mask(unescape_codepoints(text))) is not None


def parse_json_results(body: bytes, source: str = "the endpoint") -> Table | bool:
    """SPARQL 1.1 Query Results JSON as a Table (SELECT) or a bool (ASK); raise EndpointError if malformed
    (nested too deep for Python's JSON reader included)."""
    try:
        data = json.loads(body)
        if "boolean" in data:
            return bool(data["boolean"])
        columns = tuple(data["head"]["vars"])
        if not all(isinstance(c, str) for c in columns):
            raise ValueError("head.vars is not a list of names")
        rows = tuple(
            tuple(_term(binding[c]) if c in binding else None for c in columns)
            for binding in data["results"]["bindings"]
        )
    except RecursionError as exc:
        raise EndpointError(
            f"{source} sent JSON nested too deep to be SPARQL JSON results",
            hint="check that the URL is a SPARQL endpoint's query URL",
        ) from exc
    except (ValueError, KeyError, TypeError, AttributeError) as exc:
        raise EndpointError(
            f"{source} sent something that is not SPARQL JSON results ({_printable(str(exc), 120)})",
            hint="check that the URL is a SPARQL endpoint's query URL",
        ) from exc
    return Table(columns, rows)


def _term(value: dict[str, str]) -> Term:
    kind = value["type"]
    text = value["value"]
    if kind == "uri":
        # Virtuoso 7.2.5, asked for a CONSTRUCT's triples as SPARQL JSON results, writes a blank node as a "uri"
        # ``_:vb10000``: never an IRI (a scheme starts with a letter).
        return _blank_node(text[2:]) if text.startswith("_:") else ox.NamedNode(text)
    if kind == "bnode":
        return _blank_node(text)
    if kind in ("literal", "typed-literal"):
        if "xml:lang" in value:
            return ox.Literal(text, language=value["xml:lang"])
        datatype = value.get("datatype")
        if datatype == _XSD_BOOLEAN and text in _BOOLEAN:
            # Virtuoso 7.2.5 writes an xsd:boolean as 1 or 0: the same value as true or false, the canonical form
            # every other engine writes (and ecmgraph's queries and reports compare).
            text = _BOOLEAN[text]
        if datatype and datatype != _XSD_STRING:
            return ox.Literal(text, datatype=ox.NamedNode(datatype))
        return ox.Literal(text)
    raise ValueError(f"unknown term type {kind!r}")


def _blank_node(label: str) -> ox.BlankNode:
    """The blank node an endpoint labels ``label``: that label where it is one (``b0``), else one made of its
    characters' hex codes (Virtuoso 7.2.5 labels them ``nodeID://b10000``), the same for the same label."""
    try:
        return ox.BlankNode(label)
    except ValueError:
        return ox.BlankNode("x" + label.encode("utf-8").hex())
