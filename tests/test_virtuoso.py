"""The same queries on another engine: every packaged query, on a real Virtuoso Open Source server (7.2, Debian's
``virtuoso-opensource``), gives the rows it gives locally, as tests/test_queries_endpoint.py shows for Oxigraph; and
``ecmgraph validate --endpoint`` on the normalised data gives the local findings.

The server (tests/virtuoso.py, ``virtuoso``) is started once for the session and holds what ecmgraph loads locally,
exported as N-Quads. Where Virtuoso answers otherwise because it lacks a SPARQL feature or gets one wrong, and no
portable form of the query exists, the case is an expected failure (strict: it fails the suite once Virtuoso
answers right) with the reason; queries/README.md ("Other engines") lists them. Each query has a client timeout:
a query that Virtuoso never finishes wedges it, and the fixture restarts the server before the next test.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from pathlib import Path

import pyoxigraph as ox
import pytest
import yaml
from click.testing import Result

import ecmgraph
from ecmgraph.errors import EndpointError
from ecmgraph.queries import catalogue, get_query
from ecmgraph.results import Table
from ecmgraph.store import load_dataset
from ecmgraph.validation.catalogue import Catalogue, load_shapes

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("virtuoso")]  # one worker, so one server

HERE = Path(__file__).parent / "fixtures" / "queries"
DATA = str(HERE / "exampleshire.trig")
CASES: dict[str, dict] = yaml.safe_load((HERE / "cases.yaml").read_text(encoding="utf-8"))
TODAY = dt.date(2024, 6, 30)
#: Seconds a query may take on Virtuoso: the slowest that answers takes about one on this data. One that Virtuoso
#: is known never to finish gets less, to keep the suite short (the restart after it takes a few seconds more).
TIMEOUT = 6.0
TIMEOUT_NO_ANSWER = 2.0

# Why Virtuoso 7.2.5 answers otherwise, by test id: "case:NAME" (cases.yaml) or "example:NAME" (a query's header
# example on the packaged data). See queries/README.md, "Other engines".
NO_ANSWER = "Virtuoso 7.2.5 never finishes the query (and stops answering anything else until it is restarted)"
# Every packaged query gives the local rows, so none is expected to fail; a query that Virtuoso gets wrong again
# goes here with the reason (strict), NO_ANSWER where it never finishes.
BY_QUERY: dict[str, str] = {}
EXPECTED_FAILURES: dict[str, str] = {
    **{f"case:{c}": BY_QUERY[CASES[c]["query"]] for c in CASES if CASES[c]["query"] in BY_QUERY},
    **{f"example:{q}": reason for q, reason in BY_QUERY.items()},
}


def _expected(key: str) -> list[pytest.MarkDecorator]:
    reason = EXPECTED_FAILURES.get(key)
    return [pytest.mark.xfail(strict=True, reason=reason)] if reason else []


def _export(paths: list[str], *, normalised: bool = False) -> bytes:
    dataset = load_dataset(paths)
    if normalised:
        from ecmgraph.normalise import normalise

        normalise(dataset)
    return dataset.store.dump(format=ox.RdfFormat.N_QUADS)


_EXPORTS: dict[tuple[str, bool], bytes] = {}


def _served(virtuoso, paths: list[str], *, normalised: bool = False) -> str:  # type: ignore[no-untyped-def]
    key = ("\n".join(paths), normalised)
    if key not in _EXPORTS:
        _EXPORTS[key] = _export(paths, normalised=normalised)
    return virtuoso.serve(_EXPORTS[key])  # type: ignore[no-any-return]


def _on_virtuoso(virtuoso, key: str, query: object, values: dict[str, str], url: str) -> Table:  # type: ignore[no-untyped-def]
    timeout = TIMEOUT_NO_ANSWER if EXPECTED_FAILURES.get(key) == NO_ANSWER else TIMEOUT
    try:
        return ecmgraph.query(query, values, endpoint=url, today=TODAY, timeout=timeout)  # type: ignore[arg-type]
    except EndpointError as exc:
        if "did not answer" in str(exc):
            virtuoso.restart()  # the query still runs there, and holds the server
        raise


def _params(case: str) -> dict[str, str]:
    return {k: str(v) for k, v in CASES[case]["params"].items()}


CASE_PARAMS = [pytest.param(case, marks=_expected(f"case:{case}"), id=case) for case in sorted(CASES)]
EXAMPLE_PARAMS = [pytest.param(name, marks=_expected(f"example:{name}"), id=name) for name in sorted(catalogue())]


@pytest.mark.parametrize("case", CASE_PARAMS)
def test_every_case_gives_the_same_rows_on_virtuoso(virtuoso, case: str) -> None:  # type: ignore[no-untyped-def]
    query = CASES[case]["query"]
    url = _served(virtuoso, [DATA], normalised=query == "compliance-matrix")
    local = ecmgraph.query(query, _params(case), today=TODAY, data=load_dataset([DATA]))
    remote = _on_virtuoso(virtuoso, f"case:{case}", query, _params(case), url)
    assert remote.columns == local.columns
    assert remote.rows == local.rows


@pytest.mark.parametrize("name", EXAMPLE_PARAMS)
def test_every_header_example_gives_the_same_rows_on_virtuoso(virtuoso, name: str) -> None:  # type: ignore[no-untyped-def]
    url = _served(virtuoso, [], normalised=name == "compliance-matrix")
    query = get_query(name)
    local = ecmgraph.query(query, query.example, today=TODAY, data=load_dataset())
    remote = _on_virtuoso(virtuoso, f"example:{name}", query, query.example, url)
    assert remote.rows == local.rows


def _results(result: Result) -> list[dict[str, object]]:
    assert result.exit_code in (0, 1), result.stderr
    return json.loads(result.stdout)["results"]  # type: ignore[no-any-return]


# Why Virtuoso 7.2.5 gives other findings, by rule (queries/README.md, "Other engines"). ecmgraph sends the
# validation queries in the portable form (ecmgraph/portable.py): every class chain as a capped sub-SELECT of the
# class's subclasses, a sub-SELECT's projected variables that its pattern never names left out, the path from a body
# to its authority as (P*/(X|Y)), and a path from VALUES with a transitive step as one UNION branch per value; and it
# reads Virtuoso's xsd:boolean 1 as true (ecmgraph/endpoint.py). All 27 rules then give the local findings, so none
# is expected to fail; a rule that Virtuoso gets wrong again goes here with the reason (strict).
BY_RULE: dict[str, str] = {}
RULES = sorted(Catalogue.from_graph(load_shapes()).rules)
RULE_PARAMS = [
    pytest.param(
        rule,
        marks=[pytest.mark.xfail(strict=True, reason=BY_RULE[rule])] if rule in BY_RULE else [],
        id=rule,
    )
    for rule in RULES
]


@pytest.mark.parametrize("rule", RULE_PARAMS)
def test_validation_on_virtuoso_gives_the_local_findings(run: Callable[..., Result], virtuoso, rule: str) -> None:  # type: ignore[no-untyped-def]
    url = _served(virtuoso, [], normalised=True)
    args = ["validate", "--rule", rule, "--as-of", "2024-06-30", "--format", "json"]
    local = run(args)
    remote = run([*args, "--endpoint", url, "--timeout", "60"])
    assert remote.exit_code == local.exit_code
    assert _results(remote) == _results(local)
