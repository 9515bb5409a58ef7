"""A real Virtuoso Open Source server (Debian's ``virtuoso-opensource``), for the tests that run ecmgraph's queries
on a second SPARQL engine (tests/test_virtuoso.py). Imported by tests/conftest.py for its ``virtuoso`` fixture.

One server per test session, on free loopback ports (HTTP and ISQL), with its database in a temporary folder and
its virtuoso.ini written there from tests/fixtures/virtuoso/virtuoso.ini.template. ``virtuoso.serve(nquads)``
returns the URL of its ``/sparql`` endpoint holding exactly those N-Quads: a different data set replaces the one
loaded before (the graphs cleared, the new file bulk-loaded with ``ld_dir`` and ``rdf_loader_run`` through
``isql-vt``, and its per-graph counts checked). Virtuoso's default graph is the union of all its graphs, as ecmgraph
queries locally. A query can wedge Virtuoso (it stops answering, over HTTP and ISQL alike): ``serve`` checks that
the server answers and restarts it, keeping its data, if it does not.
"""

from __future__ import annotations

import collections
import hashlib
import json
import shutil
import socket
import string
import subprocess
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as ox
import pytest

TEMPLATE = Path(__file__).parent / "fixtures" / "virtuoso" / "virtuoso.ini.template"
#: Where N-Quads without a graph go (ecmgraph's exports put every quad in a named graph; this is a safeguard).
DEFAULT_GRAPH = "urn:ecmgraph:test:default"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class VirtuosoServer:
    """One Virtuoso process for the session; ``serve(nquads)`` gives its endpoint holding those quads."""

    def __init__(self, binary: str, isql: str, root: Path) -> None:
        self.binary, self.isql_binary, self.root = binary, isql, root
        self.http_port, self.isql_port = _free_port(), _free_port()
        self.url = f"http://127.0.0.1:{self.http_port}/sparql"
        self.process: subprocess.Popen[bytes] | None = None
        self.loaded: tuple[str, set[str]] | None = None  # the key of the data set and its graphs
        self.restarts = 0
        (root / "virtuoso.ini").write_text(
            string.Template(TEMPLATE.read_text(encoding="utf-8")).substitute(
                dir=str(root), http_port=self.http_port, isql_port=self.isql_port
            ),
            encoding="utf-8",
        )

    # --- the process ---------------------------------------------------------------------------------------------

    def start(self) -> None:
        """Start virtuoso-t (in the foreground, so that the process is ours to stop) and wait until it answers."""
        log = (self.root / "virtuoso.stdout").open("ab")
        self.process = subprocess.Popen(
            [self.binary, "+configfile", str(self.root / "virtuoso.ini"), "+foreground"],
            cwd=self.root,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        log.close()
        deadline = time.monotonic() + 120
        while not self.answers(timeout=2):
            if self.process.poll() is not None or time.monotonic() > deadline:
                tail = (self.root / "virtuoso.log").read_text(errors="replace")[-2000:]
                self.kill()
                raise RuntimeError(f"virtuoso-t did not start on 127.0.0.1:{self.http_port}:\n{tail}")
            time.sleep(0.2)

    def answers(self, timeout: float = 5) -> bool:
        """Whether ``/sparql`` answers ``ASK {}`` within ``timeout`` seconds."""
        try:
            self.select("ASK {}", timeout=timeout)
        except (urllib.error.URLError, OSError, ValueError):
            return False
        return True

    def kill(self) -> None:
        """Stop our own process, at once."""
        if self.process is not None and self.process.poll() is None:
            self.process.kill()
            self.process.wait(timeout=30)
        self.process = None

    def restart(self) -> None:
        """Kill a server that stopped answering and start it again on the same database (its data is kept)."""
        self.kill()
        self.restarts += 1
        self.start()

    def stop(self) -> None:
        """Shut the server down through ISQL (with a checkpoint), else kill it."""
        if self.process is None or self.process.poll() is not None:
            return
        try:
            subprocess.run(self._isql("-K"), capture_output=True, timeout=10)
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            pass
        self.kill()

    # --- ISQL and SPARQL -----------------------------------------------------------------------------------------

    def _isql(self, *args: str) -> list[str]:
        return [self.isql_binary, f"127.0.0.1:{self.isql_port}", "dba", "dba", *args]

    def sql(self, statements: str, timeout: float = 120) -> str:
        """Run SQL statements through isql-vt; raises RuntimeError on an error Virtuoso reports."""
        done = subprocess.run(
            self._isql(f"exec={statements}"), capture_output=True, text=True, timeout=timeout, check=False
        )
        if done.returncode != 0 or "*** Error" in done.stdout + done.stderr:
            raise RuntimeError(f"isql-vt: {statements}\n{done.stdout}\n{done.stderr}")
        return done.stdout

    def select(self, text: str, timeout: float = 30) -> dict:
        """SPARQL JSON results of ``text`` (as a form-encoded POST, the form Virtuoso answers)."""
        request = urllib.request.Request(
            self.url,
            data=urllib.parse.urlencode({"query": text}).encode("ascii"),
            headers={
                "Content-Type": "application/x-www-form-urlencoded",
                "Accept": "application/sparql-results+json",
            },
        )
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return json.load(response)  # type: ignore[no-any-return]

    def counts(self, graphs: set[str]) -> dict[str, int]:
        """Triples per graph on the server, for ``graphs``."""
        answer = self.select("SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g", timeout=60)
        got = {b["g"]["value"]: int(b["n"]["value"]) for b in answer["results"]["bindings"]}
        return {g: got.get(g, 0) for g in graphs}

    # --- data ----------------------------------------------------------------------------------------------------

    def serve(self, nquads: bytes) -> str:
        """The ``/sparql`` URL of the server holding exactly ``nquads`` (N-Quads), (re)loaded and restarted if need
        be. Raises RuntimeError if the load fails or the server holds other counts than the file."""
        if self.process is None or self.process.poll() is not None or not self.answers():
            self.restart() if self.process is not None else self.start()
        key = hashlib.sha256(nquads).hexdigest()[:16]
        if self.loaded is not None and self.loaded[0] == key:
            return self.url
        want = collections.Counter(
            DEFAULT_GRAPH if isinstance(q.graph_name, ox.DefaultGraph) else q.graph_name.value
            for q in ox.parse(nquads, format=ox.RdfFormat.N_QUADS)
        )
        if self.loaded is not None:
            # One statement (isql-vt refuses a line of more than 50 semicolons): the quads of the old graphs.
            graphs = ", ".join(f"iri_to_id('{g}')" for g in sorted(self.loaded[1]))
            clear = f"DELETE FROM DB.DBA.RDF_QUAD WHERE G IN ({graphs}); checkpoint;"
            try:
                self.sql(clear, timeout=30)
            except subprocess.TimeoutExpired:  # a query still running holds the graphs: stop it with the server
                self.restart()
                self.sql(clear)
            self.loaded = None
        data = self.root / f"{key}.nq"
        data.write_bytes(nquads)
        # ld_dir registers the file, rdf_loader_run loads it; a failed load is only said in the load list.
        self.sql(
            f"DELETE FROM DB.DBA.LOAD_LIST; ld_dir('{self.root}', '{data.name}', '{DEFAULT_GRAPH}');"
            " rdf_loader_run(); checkpoint;"
        )
        state = self.sql("SELECT ll_state, ll_error FROM DB.DBA.LOAD_LIST;")
        got = self.counts(set(want))
        if got != dict(want):
            differing = {g: (want[g], got[g]) for g in want if want[g] != got[g]}
            raise RuntimeError(f"Virtuoso holds other counts than the N-Quads (file, server): {differing}\n{state}")
        self.loaded = (key, set(want))
        return self.url


@pytest.fixture(scope="session")
def virtuoso(tmp_path_factory: pytest.TempPathFactory) -> Iterator[VirtuosoServer]:
    """A real Virtuoso server for the session: ``virtuoso.serve(nquads) -> /sparql URL``. Skips where Virtuoso is
    not installed."""
    binary, isql = shutil.which("virtuoso-t"), shutil.which("isql-vt")
    if binary is None or isql is None:
        pytest.skip("no Virtuoso (virtuoso-t and isql-vt: apt-get install virtuoso-opensource)")
    server = VirtuosoServer(binary, isql, tmp_path_factory.mktemp("virtuoso"))
    try:
        yield server
    finally:
        server.stop()
