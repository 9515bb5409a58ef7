"""Hostile queries and option values (issue 18): over a limit, not UTF-8, reaching the network, running for ever,
or an update in disguise, each is refused with one error line (exit code 3), never a crash or a request.

Inputs that once crashed the process, and Ctrl-C, run in a child process so a regression fails the test only.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as ox
import pytest

from ecmgraph import limits
from ecmgraph.engines import LocalEngine, RemoteEngine
from ecmgraph.errors import InputError, LimitExceeded, OneLineWarnings, QuerySyntaxError, QueryTimeout
from ecmgraph.sparql_text import is_update, refuse_updates, run_query
from ecmgraph.store import Dataset

#: Three copies of 200 triples joined with each other: 8 million rows to count, seconds of work.
CARTESIAN = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"


def small_dataset(n: int = 3) -> Dataset:
    store = ox.Store()
    store.extend(
        ox.Quad(ox.NamedNode(f"http://e/{i}"), ox.NamedNode("http://e/p"), ox.Literal(str(i))) for i in range(n)
    )
    return Dataset(store=store)


def _default_sigint() -> None:
    signal.signal(signal.SIGINT, signal.SIG_DFL)  # pytest may run as a background job, which ignores SIGINT


def ecmgraph_process(*args: str, cwd: Path) -> subprocess.Popen[str]:
    """``ecmgraph ARGS…`` started in a child process that takes Ctrl-C (SIGINT) as a terminal's foreground job does."""
    return subprocess.Popen(
        [sys.executable, "-m", "ecmgraph", *args],
        cwd=cwd,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "COLUMNS": "120"},
        preexec_fn=_default_sigint,
    )


def test_sparql_with_50000_nested_braces_is_an_input_error_not_a_crash(tmp_path: Path) -> None:
    n = 50000
    (tmp_path / "braces.rq").write_text("SELECT * WHERE\n" + "{ " * n + "?s ?p ?o" + " }" * n)
    (tmp_path / "parens.rq").write_text("SELECT * WHERE { ?s ?p ?o FILTER(" + "(" * n + "1" + ")" * n + ") }")
    for name, line in (("braces.rq", 2), ("parens.rq", 1)):
        child = ecmgraph_process("sparql", "-f", name, "--no-reference", "-", cwd=tmp_path)
        out, err = child.communicate(input="", timeout=120)
        assert child.returncode == 3, err
        assert err.count("Error:") == 1 and "Traceback" not in err
        assert f"{name}:{line}:" in err and "more than 1,000 deep" in err


def test_a_long_chain_of_operators_is_refused_before_the_parser_sees_it() -> None:
    text = "SELECT * WHERE { BIND(" + "+".join(["1"] * 30000) + " AS ?x) }"
    with pytest.raises(LimitExceeded, match="operators"):
        run_query(small_dataset(), text)


def test_a_query_over_the_length_limit_is_refused() -> None:
    with limits.using(limits.Limits(max_query_chars=50)), pytest.raises(LimitExceeded, match="characters long"):
        run_query(small_dataset(), "SELECT * WHERE { ?s ?p ?o } # " + "x" * 60)


def test_braces_inside_strings_comments_and_iris_do_not_count_as_nesting() -> None:
    braces = "{" * 1500
    text = f'SELECT ?s WHERE {{ ?s ?p ?o FILTER(?o != "{braces}") }} # {braces}'
    assert len(run_query(small_dataset(), text).rows) == 3  # type: ignore[union-attr]


def test_a_query_file_that_is_not_utf8_is_an_input_error(tmp_path: Path, run) -> None:
    (tmp_path / "bad.rq").write_bytes(b'SELECT * WHERE {\n ?s ?p "\xff" }')
    result = run(["sparql", "-f", str(tmp_path / "bad.rq"), "--no-reference", str(tmp_path / "bad.rq")])
    assert result.exit_code == 3
    assert "bad.rq:2: the query is not UTF-8 text" in result.stderr


def test_query_text_with_a_lone_surrogate_is_an_input_error() -> None:
    with pytest.raises(InputError, match="not UTF-8") as caught:
        run_query(small_dataset(), 'SELECT * WHERE { ?s ?p "\udcff" }')
    assert type(caught.value) is InputError and caught.value.exit_code == 3


def test_a_query_file_with_a_byte_order_mark_runs(tmp_path: Path, run) -> None:
    (tmp_path / "bom.rq").write_bytes(limits.UTF8_BOM + b"ASK { }")
    data = tmp_path / "d.ttl"
    data.write_text("<http://e/s> <http://e/p> 1 .\n")
    result = run(["sparql", "-f", str(tmp_path / "bom.rq"), "--no-reference", str(data), "--format", "csv"])
    assert result.exit_code == 0, result.stderr


def test_a_local_query_stops_at_its_timeout() -> None:
    engine = LocalEngine(small_dataset(200), timeout=0.2)
    with pytest.raises(QueryTimeout) as caught:
        engine.query(CARTESIAN, source="slow.rq")
    assert caught.value.exit_code == 3 and caught.value.file == "slow.rq"
    assert "more than 0.2 s" in caught.value.message


def test_a_local_query_within_its_timeout_answers() -> None:
    assert LocalEngine(small_dataset(), timeout=60).ask("ASK { ?s ?p ?o }")


def test_ctrl_c_stops_a_local_query(tmp_path: Path) -> None:
    data = tmp_path / "d.nt"
    data.write_text("".join(f'<http://e/{i}> <http://e/p> "{i}" .\n' for i in range(400)))
    child = ecmgraph_process("sparql", CARTESIAN, "--no-reference", str(data), cwd=tmp_path)
    try:
        tasks = Path(f"/proc/{child.pid}/task")
        while child.poll() is None and tasks.is_dir() and len(list(tasks.iterdir())) < 2:
            time.sleep(0.1)  # until the worker thread is there: imports done, loading or counting
        time.sleep(1)  # counting 64 million rows takes a minute or more
        assert child.poll() is None
        child.send_signal(signal.SIGINT)
        out, err = child.communicate(timeout=90)  # within a second in practice; generous for a loaded machine
        assert child.returncode == 130 and "Traceback" not in err and out == ""
        assert err == "Error: interrupted (Ctrl-C): nothing was written\n"
    finally:
        child.kill()
        child.communicate()


def test_a_local_timeout_is_given_with_timeout(tmp_path: Path, run) -> None:
    data = tmp_path / "d.nt"
    data.write_text("".join(f'<http://e/{i}> <http://e/p> "{i}" .\n' for i in range(200)))
    result = run(["sparql", CARTESIAN, "--no-reference", str(data), "--timeout", "0.2"])
    assert result.exit_code == 3
    assert result.stderr.startswith("Error: <query>: the query ran for more than 0.2 s")


@pytest.fixture
def listener() -> Iterator[tuple[str, list[bytes]]]:
    """A loopback TCP listener that records what each connection sends (then hangs up): its URL and the record."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen()
    server.settimeout(0.2)
    received: list[bytes] = []
    stop = threading.Event()

    def serve() -> None:
        while not stop.is_set():
            try:
                conn, _ = server.accept()
            except OSError:
                continue
            with conn:
                conn.settimeout(1)
                try:
                    received.append(conn.recv(65536))
                except OSError:
                    received.append(b"")

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.getsockname()[1]}/sparql", received
    stop.set()
    thread.join(2)
    server.close()


@pytest.mark.parametrize(
    "clause",
    ["SERVICE <{url}>", "service SILENT <{url}>", "\\u0053ERVICE <{url}>", "ſERVICE <{url}>", "SERVİCE <{url}>"],
)
def test_service_in_a_local_query_is_refused_and_sends_nothing(clause: str, listener) -> None:
    url, received = listener
    text = "SELECT * WHERE { " + clause.format(url=url) + " { ?s ?p ?o } }"
    with pytest.raises(InputError, match="SERVICE clause") as caught:
        run_query(small_dataset(), text)
    assert caught.value.exit_code == 3 and (caught.value.line, caught.value.column) == (1, 18)
    assert received == []


def test_service_as_a_name_is_not_a_service_clause() -> None:
    text = 'PREFIX ex: <http://e/> SELECT ?SERVICE WHERE { ?SERVICE ex:SERVICE "SERVICE" } # SERVICE'
    assert run_query(small_dataset(), text).rows == ()  # type: ignore[union-attr]


def test_allow_service_lets_a_local_query_reach_its_service(listener) -> None:
    url, received = listener
    with limits.using(limits.Limits(allow_service=True)), pytest.raises(OSError):
        run_query(small_dataset(), f"SELECT * WHERE {{ SERVICE <{url}> {{ ?s ?p ?o }} }}")
    assert len(received) == 1 and b"?s" in received[0]  # the pattern went to the service, as asked


@pytest.mark.parametrize(
    "text",
    [
        "PREFIX e: <http://e/> INSERT DATA { e:s e:p 1 }",
        "PREFIX e: <http://e/>\rDELETE WHERE { ?s ?p ?o }",
        "# a comment\nBASE <http://e/> PREFIX e: <x> LOAD <http://e/data>",
        "\\u0049NSERT DATA { <http://e/s> <http://e/p> 1 }",
        "PREFIX e: <http://e/> CLEAR ALL ; INSERT DATA { e:s e:p 1 }",
    ],
)
def test_updates_are_refused_however_they_are_written(text: str) -> None:
    assert is_update(text)
    with pytest.raises(QuerySyntaxError, match="SPARQL update"):
        refuse_updates(text, "<query>")


@pytest.mark.parametrize(
    "text", ["PREFIX e: <http://e/> INSERT DATA { e:s e:p 1 }", "PREFIX e: <http://e/>\rDELETE WHERE { ?s ?p ?o }"]
)
def test_an_update_is_never_sent_to_an_endpoint(text: str, listener) -> None:
    url, received = listener
    with pytest.raises(QuerySyntaxError, match="SPARQL update"):
        RemoteEngine(url, timeout=5).query(text)
    assert received == []


@pytest.mark.parametrize(
    "text",
    [
        "PREFIX e: <http://e/> SELECT * WHERE { ?s e:insert ?o }",
        'SELECT * WHERE { ?s ?p "INSERT DATA { }" }',
        "# DELETE WHERE { ?s ?p ?o }\nASK { }",
    ],
)
def test_queries_that_mention_update_keywords_are_not_updates(text: str) -> None:
    assert not is_update(text)
    refuse_updates(text, "<query>")


def test_an_empty_query_is_refused() -> None:
    with pytest.raises(QuerySyntaxError, match="empty"):
        refuse_updates("  # nothing\n", "<query>")


@pytest.mark.parametrize("value", ["20090331", "2009-W14-2"])
def test_as_of_in_another_iso_form_is_an_input_error_naming_the_date(value: str, run) -> None:
    result = run(["stats", "--as-of", value, "--no-reference", str(Path(__file__).parent / "fixtures" / "load")])
    assert result.exit_code == 3
    assert result.stderr.count("Error:") == 1 and "YYYY-MM-DD" in result.stderr
    assert "(hint: --as-of 2009-03-31)" in result.stderr


@pytest.mark.parametrize("value", ["2009-3-31", "31/03/2009", "٢٠٠٩-٠٣-٣١"])
def test_as_of_that_is_no_date_is_a_usage_error(value: str, run) -> None:
    result = run(["stats", "--as-of", value, "--no-reference", str(Path(__file__).parent / "fixtures" / "load")])
    assert result.exit_code == 2 and "YYYY-MM-DD" in result.stderr


def test_parse_date_takes_the_one_form() -> None:
    assert limits.parse_date("2009-03-31") == dt.date(2009, 3, 31)
    for text in ("20090331", "2009-W14-2", " 2009-03-31"):
        with pytest.raises(ValueError):
            limits.parse_date(text)


def test_rdflib_warnings_are_one_line_without_a_traceback(capsys: pytest.CaptureFixture[str]) -> None:
    from rdflib import XSD, Literal

    OneLineWarnings.install(debug=False)
    try:
        Literal("0000-00-00", datatype=XSD.date)
        Literal("0000-00-00", datatype=XSD.date)
    finally:
        logging.getLogger("rdflib").handlers.clear()
        logging.getLogger("rdflib").propagate = True
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith("Warning: rdflib: Failed to convert Literal")
    assert "Traceback" not in err


def test_an_error_quoting_a_huge_value_is_cut_to_one_short_line(run) -> None:
    """A parameter value of a megabyte quoted whole made an Error: line a megabyte long."""
    result = run(["query", "run", "statutory-post-holders", "-p", "date", "9" * 1_000_000])
    assert result.exit_code == 3
    line = result.stderr.strip()
    assert line.startswith("Error: parameter date:") and len(line) < 1200 and "\n" not in line
    assert "characters long, cut here" in line
