"""Shared fixtures: the CLI runner and the paths of the test fixtures."""

from __future__ import annotations

import importlib.util
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from types import ModuleType

import pytest
from click.testing import CliRunner, Result

from ecmgraph.cli import cli

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = Path(__file__).parent / "fixtures"
SEEDS = Path(__file__).resolve().parents[2] / "shared" / "seeds"


@pytest.fixture
def fixtures() -> Path:
    """The folder of test fixtures."""
    return FIXTURES


@pytest.fixture
def run() -> Callable[..., Result]:
    """Run ``ecmgraph ARGS…`` in-process; stdout and stderr are captured apart."""
    runner = CliRunner()

    def invoke(args: Sequence[str], input: str | bytes | None = None) -> Result:
        return runner.invoke(cli, list(args), input=input, catch_exceptions=False)

    return invoke


def load_script(name: str) -> ModuleType:
    """``scripts/NAME.py`` imported as a module (scripts are not part of the package); skips if absent."""
    script = ROOT / "scripts" / f"{name}.py"
    if not script.is_file():
        pytest.skip("scripts/ is not in this tree (an installed wheel)")
    if name in sys.modules:
        return sys.modules[name]
    spec = importlib.util.spec_from_file_location(name, script)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module  # dataclasses look their module up while the class is built
    spec.loader.exec_module(module)
    return module


# ---------------------------------------------------------------------------------------------------------------
# A real Oxigraph server (SPARQL 1.1 Protocol, `oxigraph serve`), for the tests of --endpoint. Shared: each call of
# `oxigraph.serve(nquads)` starts a server on a free loopback port holding those N-Quads (the same bytes twice
# give the same server), queried over the union of its graphs as ecmgraph's own store is. Marked slow by its users.
# ---------------------------------------------------------------------------------------------------------------

import hashlib  # noqa: E402
import shutil  # noqa: E402
import socket  # noqa: E402
import subprocess  # noqa: E402
import time  # noqa: E402
import urllib.error  # noqa: E402
import urllib.request  # noqa: E402


class OxigraphServers:
    """Oxigraph servers started for the test session, one per distinct data set, stopped at its end."""

    def __init__(self, binary: str, root: Path) -> None:
        self.binary, self.root = binary, root
        self.urls: dict[str, str] = {}
        self.processes: list[subprocess.Popen[bytes]] = []

    def serve(self, nquads: bytes, *, union: bool = True) -> str:
        """The query URL of a server holding ``nquads`` (N-Quads), started if need be; its default graph the union
        of its graphs unless ``union`` is false (a server as Oxigraph starts by default)."""
        key = hashlib.sha256(nquads).hexdigest()[:16] + ("" if union else "-plain")
        if key in self.urls:
            return self.urls[key]
        location = self.root / key
        data = self.root / f"{key}.nq"
        data.write_bytes(nquads)
        subprocess.run(
            [self.binary, "load", "--location", str(location), "--file", str(data)], check=True, capture_output=True
        )
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            port = s.getsockname()[1]
        process = subprocess.Popen(
            [self.binary, "serve", "--location", str(location), "--bind", f"127.0.0.1:{port}"]
            + (["--union-default-graph"] if union else []),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        self.processes.append(process)
        url = f"http://127.0.0.1:{port}/query"
        deadline = time.monotonic() + 60
        while True:
            try:
                request = urllib.request.Request(
                    url, data=b"ASK {}", method="POST", headers={"Content-Type": "application/sparql-query"}
                )
                with urllib.request.urlopen(request, timeout=2):
                    break
            except (urllib.error.URLError, OSError):
                if process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"oxigraph serve did not start on port {port}") from None
                time.sleep(0.1)
        self.urls[key] = url
        return url

    def stop(self) -> None:
        """Stop every server this session started (each by its own process)."""
        for process in self.processes:
            process.terminate()
        for process in self.processes:
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()


@pytest.fixture(scope="session")
def oxigraph(tmp_path_factory: pytest.TempPathFactory):
    """Start real Oxigraph servers: ``oxigraph.serve(nquads) -> query URL``. Skips if there is no server binary."""
    beside = Path(sys.executable).parent / "oxigraph"
    binary = str(beside) if beside.exists() else shutil.which("oxigraph")
    if binary is None:
        pytest.skip("no Oxigraph server (pip install oxigraph)")
    servers = OxigraphServers(binary, tmp_path_factory.mktemp("oxigraph"))
    yield servers
    servers.stop()


# ---------------------------------------------------------------------------------------------------------------
# A loopback web server that records every request, for the tests that show ecmgraph never goes to the network:
# their data points at it (owl:imports, a remote JSON-LD context, an RDF/XML DTD and external entity), so a fetch
# by any library, Python or native, reaches it and is seen; and it answers each with a document that would parse.
# ---------------------------------------------------------------------------------------------------------------

import http.server  # noqa: E402
import threading  # noqa: E402
from collections.abc import Iterator  # noqa: E402


class RemoteDocuments:
    """A web server on a free loopback port: ``url`` to point data at, ``requests`` the paths it was asked for."""

    #: What the server answers for each path; anything else is 404 (and still recorded).
    DOCUMENTS = {
        "/context.jsonld": ("application/ld+json", b'{"@context": {"name": "http://schema.org/name"}}'),
        "/other-ontology.ttl": ("text/turtle", b"<http://example.org/fetched> a <http://example.org/Fetched> .\n"),
        "/rdf.dtd": ("application/xml-dtd", b'<!ENTITY fetched "FETCHED">\n'),
        "/secret.txt": ("text/plain", b"FETCHED"),
    }

    def __init__(self) -> None:
        self.requests: list[str] = []
        documents, requests = self.DOCUMENTS, self.requests

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                requests.append(self.path)
                content_type, body = documents.get(self.path, ("text/plain", b""))
                self.send_response(200 if self.path in documents else 404)
                self.send_header("Content-Type", content_type)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            do_POST = do_GET

            def log_message(self, format: str, *args: object) -> None:
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}"
        self.thread = threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
        self.thread.start()

    def point_at_me(self, text: str) -> str:
        """``text`` with every ``http://example.invalid`` replaced by this server's URL."""
        return text.replace("http://example.invalid", self.url)

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def remote() -> Iterator[RemoteDocuments]:
    """A loopback server that data can refer to (``remote.point_at_me(text)``); ``remote.requests`` lists what it
    was asked for, which a test that shows ecmgraph does not fetch expects to be empty."""
    server = RemoteDocuments()
    yield server
    server.stop()


@pytest.fixture
def no_network(monkeypatch: pytest.MonkeyPatch) -> list[tuple[object, ...]]:
    """Python's sockets refuse to connect (and record the attempt): a fetch through Python fails loudly, even if the
    code that tried catches the error."""
    attempts: list[tuple[object, ...]] = []

    def refuse(*args: object, **kwargs: object) -> None:
        attempts.append(args)
        raise OSError("ecmgraph tried to use the network")

    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket.socket, "connect_ex", refuse)
    return attempts


# A real Virtuoso Open Source server, for the tests of the queries on another engine (tests/test_virtuoso.py).
from virtuoso import virtuoso  # noqa: E402, F401
