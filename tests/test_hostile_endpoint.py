"""An endpoint is untrusted: whatever it answers (slowly, hugely, deeply nested, a redirect elsewhere), and however
badly its URL or the timeout is typed, ecmgraph ends with exit code 3 and one ``Error:`` line, within its deadline,
sends nothing where nobody asked, and never POSTs an update. Each test stands for a reproducer of issue 18 (06, 07,
10, 11, 12, 16, 17), against real HTTP servers on free loopback ports.
"""

from __future__ import annotations

import http.server
import json
import math
import socket
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

import pytest
from click.testing import CliRunner, Result

from ecmgraph.cli import cli
from ecmgraph.endpoint import DEFAULT_MAX_RESPONSE, Endpoint, response_limit
from ecmgraph.errors import EndpointError

ONE_ROW = json.dumps(
    {"head": {"vars": ["x"]}, "results": {"bindings": [{"x": {"type": "literal", "value": "served"}}]}}
).encode()


@dataclass
class Hostile:
    """A misbehaving SPARQL endpoint: ``url(path)`` for one of its behaviours; ``requests`` lists the (method,
    path, body) it was sent; ``sent`` counts the bytes of the answer to ``/big`` it managed to write."""

    url: Callable[[str], str]
    requests: list[tuple[str, str, str]] = field(default_factory=list)
    sent: list[int] = field(default_factory=list)
    dropped: list[str] = field(default_factory=list)  # the paths whose client went away while they trickled


class Listener:
    """A raw TCP listener on a free loopback port that records every connection it accepts (an FTP target)."""

    def __init__(self) -> None:
        self.socket = socket.socket()
        self.socket.bind(("127.0.0.1", 0))
        self.socket.listen(8)
        self.port = self.socket.getsockname()[1]
        self.connections = 0
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while True:
            try:
                conn, _ = self.socket.accept()
            except OSError:
                return
            self.connections += 1
            conn.close()


@pytest.fixture
def listener() -> Iterator[Listener]:
    tcp = Listener()
    yield tcp
    tcp.socket.close()


@pytest.fixture
def hostile(remote, listener: Listener) -> Iterator[Hostile]:  # type: ignore[no-untyped-def]
    """The misbehaving endpoint; its redirects point at ``remote`` (another origin, conftest's recording server)
    and at ``listener`` (ftp://)."""
    record: list[tuple[str, str, str]] = []
    sent: list[int] = []
    dropped: list[str] = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers.get("Content-Length") or 0)).decode("utf-8", "replace")
            record.append((self.command, self.path, body))
            path, _, query = self.path.partition("?")
            if path == "/sparql":
                self._send(200, "application/sparql-results+json", b'{"head":{},"boolean":true}')
            elif path in ("/trickle", "/trickle-headers"):  # one byte every 0.2 s, for ever (until the client leaves)
                if path == "/trickle":  # of the body
                    self._start(200, "application/sparql-results+json")
                else:  # of a header that never ends
                    self.wfile.write(b"HTTP/1.0 200 OK\r\nContent-Type: application/sparql-results+json\r\nX-Slow: ")
                try:
                    while True:
                        self.wfile.write(b"z")
                        self.wfile.flush()
                        time.sleep(0.2)
                except OSError:
                    dropped.append(path)
                    return
            elif path == "/big":  # a valid answer padded to MiB mebibytes, with no Content-Length
                self._start(200, "application/sparql-results+json")
                count = 0
                try:
                    self.wfile.write(b'{"head": {}, "boolean": true, "pad": "')
                    for _ in range(int(query.removeprefix("mib=") or 64)):
                        self.wfile.write(b" " * 2**20)
                        count += 2**20
                    self.wfile.write(b'"}')
                except OSError:
                    pass
                sent.append(count)
            elif path == "/declared":  # says it will send 300 MiB, sends nothing
                self._start(200, "application/sparql-results+json", {"Content-Length": str(300 * 2**20)})
            elif path == "/deepjson":
                self._send(200, "application/sparql-results+json", b"[" * 200_000 + b"]" * 200_000)
            elif path == "/redirect-other":
                self._send(302, "text/plain", b"moved", {"Location": remote.url + "/sparql"})
            elif path == "/redirect-ftp":
                self._send(302, "text/plain", b"moved", {"Location": f"ftp://127.0.0.1:{listener.port}/moved"})
            elif path == "/redirect-same":
                self._send(307, "text/plain", b"moved", {"Location": "/sparql"})
            else:
                self._send(404, "text/plain", b"no such path")

        do_GET = do_POST

        def _start(self, code: int, content_type: str, extra: dict[str, str] | None = None) -> None:
            self.send_response(code)
            self.send_header("Content-Type", content_type)
            for key, value in (extra or {}).items():
                self.send_header(key, value)
            self.end_headers()

        def _send(self, code: int, content_type: str, body: bytes, extra: dict[str, str] | None = None) -> None:
            self._start(code, content_type, {"Content-Length": str(len(body)), **(extra or {})})
            self.wfile.write(body)

        def log_message(self, format: str, *args: object) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}"
    yield Hostile(lambda path: base + path, record, sent, dropped)
    server.shutdown()
    server.server_close()


def ecmgraph(*args: str, env: dict[str, str] | None = None) -> Result:
    """Run ``ecmgraph ARGS…`` in-process, stdout and stderr apart."""
    return CliRunner().invoke(cli, list(args), env=env, catch_exceptions=False)


def one_error(result: Result, *words: str) -> str:
    """The one ``Error:`` line of a failed command (exit code 3, no traceback), which holds ``words``."""
    lines = result.stderr.splitlines()
    assert result.exit_code == 3, (result.exit_code, result.stderr)
    assert len(lines) == 1 and lines[0].startswith("Error: "), result.stderr
    assert "Traceback" not in result.stderr and "internal error" not in result.stderr
    for word in words:
        assert word in lines[0], lines[0]
    return lines[0]


# ----------------------------------------------------------------------------------------------- 06: the deadline


@pytest.mark.parametrize("path", ["/trickle", "/trickle-headers"])
def test_a_trickling_endpoint_is_given_up_at_the_total_deadline(hostile: Hostile, path: str) -> None:
    start = time.monotonic()
    result = ecmgraph("sparql", "ASK {}", "--endpoint", hostile.url(path), "--timeout", "1")
    assert time.monotonic() - start < 20  # finished, not hung: each byte comes well within any read timeout
    one_error(result, "did not answer within 1 seconds", "--timeout")
    deadline = time.monotonic() + 15
    while not hostile.dropped and time.monotonic() < deadline:
        time.sleep(0.05)
    assert hostile.dropped == [path]  # the connection was closed too, not left to a reader in the background


def test_the_library_endpoint_keeps_the_deadline_of_a_trickling_answer(hostile: Hostile) -> None:
    start = time.monotonic()
    with pytest.raises(EndpointError, match="did not answer within 0.5 seconds"):
        Endpoint(hostile.url("/trickle"), timeout=0.5).query("ASK {}")
    assert time.monotonic() - start < 20


# ------------------------------------------------------------------------------------------ 07: the largest answer


def test_an_answer_over_the_maximum_response_size_is_refused_before_it_is_read_whole(hostile: Hostile) -> None:
    result = ecmgraph("--max-response", "1M", "sparql", "ASK {}", "--endpoint", hostile.url("/big?mib=64"))
    one_error(result, "larger than 1 MiB", "--max-response")
    deadline = time.monotonic() + 20
    while not hostile.sent and time.monotonic() < deadline:  # the server notices the client has gone
        time.sleep(0.05)
    assert hostile.sent and hostile.sent[0] < 32 * 2**20  # the connection was dropped, not drained


def test_the_maximum_response_size_comes_from_the_environment_too(hostile: Hostile) -> None:
    big = ["sparql", "ASK {}", "--endpoint", hostile.url("/big?mib=2")]
    one_error(ecmgraph(*big, env={"ECMGRAPH_MAX_RESPONSE": "1M"}), "larger than 1 MiB")
    allowed = ecmgraph(*big, env={"ECMGRAPH_MAX_RESPONSE": "3M"})
    assert allowed.exit_code == 0 and allowed.stdout.strip() == "true", allowed.stderr


def test_an_answer_declared_larger_than_the_default_limit_is_refused_at_once(hostile: Hostile) -> None:
    assert DEFAULT_MAX_RESPONSE == 256 * 2**20
    result = ecmgraph("sparql", "ASK {}", "--endpoint", hostile.url("/declared"), "--timeout", "10")
    one_error(result, "larger than 256 MiB")  # from the Content-Length, not after waiting for 300 MiB


def test_an_answer_within_the_limit_is_read(hostile: Hostile) -> None:
    with response_limit(100):
        assert Endpoint(hostile.url("/sparql")).query("ASK {}") is True
    with response_limit(10), pytest.raises(EndpointError, match="larger than 10 bytes"):
        Endpoint(hostile.url("/sparql")).query("ASK {}")


@pytest.mark.parametrize("size", ["0", "lots", "1.5G", "-1M"])
def test_a_maximum_response_size_that_is_not_a_size_is_a_usage_error(size: str) -> None:
    result = ecmgraph("--max-response", size, "rules", "ECM001")
    assert result.exit_code == 2 and "is not a size" in result.stderr or "at least one byte" in result.stderr


# ----------------------------------------------------------------------------------------------- 10: the timeout


@pytest.mark.parametrize("seconds", ["nan", "inf", "1e300", "0", "-1", "86401"])
def test_a_timeout_that_is_not_a_sane_number_of_seconds_is_an_input_error(hostile: Hostile, seconds: str) -> None:
    for command in (["sparql", "ASK {}"], ["validate"], ["query", "run", "who-is-accountable"]):
        result = ecmgraph(*command, "--endpoint", hostile.url("/sparql"), "--timeout", seconds)
        one_error(result, f"--timeout {seconds}", "above 0 and at most 86400")
    assert hostile.requests == []


def test_a_timeout_that_is_not_a_number_is_a_usage_error(hostile: Hostile) -> None:
    result = ecmgraph("sparql", "ASK {}", "--endpoint", hostile.url("/sparql"), "--timeout", "soon")
    assert result.exit_code == 2 and "is not a number of seconds" in result.stderr


@pytest.mark.parametrize("seconds", [math.nan, math.inf, 1e300, 0.0, -1.0])
def test_the_library_endpoint_refuses_a_timeout_out_of_range(seconds: float) -> None:
    with pytest.raises(EndpointError, match="not a number of seconds"):
        Endpoint("http://127.0.0.1:7878/query", timeout=seconds)


# ------------------------------------------------------------------------------------------------ 11: bad URLs


@pytest.mark.parametrize(
    ("url", "words"),
    [
        ("http://127.0.0.1:abc/sparql", "Port could not be cast"),
        ("http://127.0.0.1:99999/sparql", "Port out of range"),
        ("http://127.0.0.1:7878/spa rql", "has a space"),
        ("http://127.0.0.1:7878/spa\nrql", "has a space"),
        ("http://127.0.0.1:7878/spa\x1brql", "control"),
        ("http://exämple.org/sparql", "non-ASCII"),
        ("http://[::1/sparql", "Invalid IPv6 URL"),
        ("http:///sparql", "not an http(s) URL"),
    ],
)
def test_an_endpoint_url_that_cannot_be_sent_is_an_input_error_with_a_hint(url: str, words: str) -> None:
    line = one_error(ecmgraph("sparql", "ASK {}", "--endpoint", url), words, "(hint:")
    assert "\n" not in line and "\x1b" not in line


# ------------------------------------------------------------------------------------------ 12: deeply nested JSON


def test_json_nested_200000_deep_from_an_endpoint_is_an_input_error(hostile: Hostile) -> None:
    one_error(ecmgraph("sparql", "ASK {}", "--endpoint", hostile.url("/deepjson")), "nested too deep")


# -------------------------------------------------------------------------------------------------- 16: redirects


def test_a_redirect_to_another_origin_is_refused_and_not_followed(hostile: Hostile, remote) -> None:  # type: ignore[no-untyped-def]
    result = ecmgraph("sparql", "ASK {}", "--endpoint", hostile.url("/redirect-other"))
    one_error(result, "HTTP 302", f"a redirect to {remote.url}/sparql", "does not follow redirects")
    assert remote.requests == []


def test_a_redirect_to_ftp_is_refused_and_nothing_connects_to_it(hostile: Hostile, listener: Listener) -> None:
    one_error(ecmgraph("sparql", "ASK {}", "--endpoint", hostile.url("/redirect-ftp")), "ftp://", "does not follow")
    time.sleep(0.2)  # a connection, had one been opened, would have been accepted by now
    assert listener.connections == 0


def test_a_redirect_on_the_same_origin_is_refused_too_and_names_the_url_to_give(hostile: Hostile) -> None:
    line = one_error(ecmgraph("sparql", "ASK {}", "--endpoint", hostile.url("/redirect-same")), "HTTP 307")
    assert "give that URL" in line and hostile.url("/sparql") in line
    assert [path for _, path, _ in hostile.requests] == ["/redirect-same"]


# ---------------------------------------------------------------------------------------- 17: updates never POSTed


@pytest.mark.parametrize(
    "update",
    [
        "INSERT DATA { <http://e/s> <http://e/p> 1 }",
        "PREFIX e: <http://e/>\nDELETE WHERE { ?s ?p ?o }",
        "PREFIX e: <http://e/> INSERT DATA { e:s e:p 1 }",
        "PREFIX e: <http://e/>\rDELETE WHERE { ?s ?p ?o }",
        "# a comment\nCLEAR ALL",
        "BASE <http://e/> PREFIX e: <x> LOAD <http://e/data.ttl>",
    ],
)
def test_an_update_is_refused_before_anything_is_sent_to_the_endpoint(hostile: Hostile, update: str) -> None:
    result = ecmgraph("sparql", update, "--endpoint", hostile.url("/sparql"))
    assert hostile.requests == []  # not even the LATERAL probe
    one_error(result, "update")
