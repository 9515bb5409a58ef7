"""Every packaged query's exact rows on known data (tests/fixtures/queries/), on pyoxigraph and on rdflib.

The cases are tests/fixtures/queries/cases.yaml, run on exampleshire.trig, and dated-cases.yaml (answers dated by
their evidence), run on exampleshire.trig with testshire.trig beside it; the expected rows expected/{case}.csv. To
regenerate them after a deliberate change (and then read the diff row by row): ECMGRAPH_REGENERATE=1 pytest
tests/test_queries_fixtures.py
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import pyoxigraph as ox
import pytest
import rdflib
import yaml

import ecmgraph
from ecmgraph.compliance import report_engine
from ecmgraph.engines import LocalEngine
from ecmgraph.queries import bind_parameters, catalogue, get_query
from ecmgraph.render.tables import render_table
from ecmgraph.results import Table
from ecmgraph.sparql_text import bind_values
from ecmgraph.store import load_dataset

HERE = Path(__file__).parent / "fixtures" / "queries"
DATA = HERE / "exampleshire.trig"
EXPECTED = HERE / "expected"
CASES: dict[str, dict] = yaml.safe_load((HERE / "cases.yaml").read_text(encoding="utf-8"))
#: The cases of answers dated by their evidence, on the fixture with testshire.trig beside it (a county and a
#: district known mostly from a dated letter): kept apart so that exampleshire.trig, which other tests read, keeps
#: its authorities.
DATED_DATA = (DATA, HERE / "testshire.trig")
DATED_CASES: dict[str, dict] = yaml.safe_load((HERE / "dated-cases.yaml").read_text(encoding="utf-8"))
TODAY = dt.date(2024, 6, 30)
REGENERATE = bool(os.environ.get("ECMGRAPH_REGENERATE"))
# rdflib's SPARQL engine warns about its own deprecated Dataset API on every query.
pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")


@pytest.fixture(scope="module")
def dataset():
    return load_dataset([str(DATA)])


@pytest.fixture(scope="module")
def rdflib_dataset(dataset) -> rdflib.Dataset:
    """The same quads in an rdflib Dataset whose default graph is the union of the named graphs."""
    graph = rdflib.Dataset(default_union=True)
    graph.parse(data=dataset.store.dump(format=ox.RdfFormat.N_QUADS).decode("utf-8"), format="nquads")
    return graph


def test_every_packaged_query_has_a_case() -> None:
    assert {case["query"] for case in CASES.values()} == set(catalogue())


@pytest.mark.parametrize("case", sorted(CASES))
def test_rows_are_exactly_the_expected_ones(dataset, case: str) -> None:
    spec = CASES[case]
    table = ecmgraph.query(spec["query"], {k: str(v) for k, v in spec["params"].items()}, today=TODAY, data=dataset)
    text = render_table(table, "csv")
    assert tuple(get_query(spec["query"]).columns) == table.columns, "the header's columns are the query's"
    path = EXPECTED / f"{case}.csv"
    if REGENERATE:
        path.write_text(text, encoding="utf-8")
    assert text == path.read_text(encoding="utf-8")


def _canonical_ox(term: object) -> tuple[str, str, str] | None:
    if term is None:
        return None
    if isinstance(term, ox.NamedNode):
        return ("iri", term.value, "")
    assert isinstance(term, ox.Literal), term
    return ("literal", term.value, term.language or term.datatype.value)


def _canonical_rdflib(term: object) -> tuple[str, str, str] | None:
    if term is None:
        return None
    if isinstance(term, rdflib.URIRef):
        return ("iri", str(term), "")
    assert isinstance(term, rdflib.Literal), term
    datatype = (
        str(term.datatype)
        if term.datatype
        else (
            "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"
            if term.language
            else "http://www.w3.org/2001/XMLSchema#string"
        )
    )
    return ("literal", str(term), term.language or datatype)


#: Cases where rdflib's engine is known to answer otherwise, with why: the difference is rdflib's, and the test
#: still runs (strict: it fails once rdflib agrees, so the entry must go).
RDFLIB_DIFFERS = {
    "compliance-matrix-2007": "rdflib 7.6 joins the sub-SELECT of the day's holders inside an OPTIONAL as if the "
    "Lead Member who took office in 2009 held the post on 2007-06-30 (the sub-SELECT alone gives no such row); "
    "pyoxigraph and an Oxigraph server agree with the holders' dates",
}


# rdflib's engine is the second opinion: slow (about 0.4 s a case, 8 s or more for a query that validates first),
# so the slow run (`-m slow`) compares every case; the quick run checks the expected rows on pyoxigraph above.
@pytest.mark.slow
@pytest.mark.parametrize(
    "case",
    [
        pytest.param(case, marks=[pytest.mark.xfail(strict=True, reason=RDFLIB_DIFFERS[case])])
        if case in RDFLIB_DIFFERS
        else case
        for case in sorted(CASES)
    ],
)
def test_rdflib_gives_the_same_rows(dataset, rdflib_dataset, case: str) -> None:
    """The same bound text on rdflib's SPARQL engine: same rows, same order (DESIGN.md, Engines)."""
    spec = CASES[case]
    query = get_query(spec["query"])
    engine = LocalEngine(dataset)
    terms = bind_parameters(query, {k: str(v) for k, v in spec["params"].items()}, engine, today=TODAY)
    if "validation-report" in query.requires:  # the data, the shapes and the day's report, on both engines
        engine = report_engine(dataset, None, None, dt.date.fromisoformat(spec["params"]["date"]))
        rdflib_dataset = rdflib.Dataset(default_union=True)
        rdflib_dataset.parse(
            data=engine.dataset.store.dump(format=ox.RdfFormat.N_QUADS).decode("utf-8"), format="nquads"
        )
    ours: Table = engine.select(query.text, terms)
    result = rdflib_dataset.query(bind_values(query.text, terms))
    theirs = [tuple(_canonical_rdflib(row[v]) for v in result.vars) for row in result]
    assert [str(v) for v in result.vars] == list(ours.columns)
    assert theirs == [tuple(_canonical_ox(t) for t in row) for row in ours.rows]


def test_today_is_the_default_date_and_the_query_falls_back_to_now_without_one(dataset) -> None:
    """ecmgraph binds today; run without any date (as grlc may), the query takes the endpoint's today."""
    query = get_query("statutory-post-holders")
    engine = LocalEngine(dataset)
    bound = ecmgraph.query(query, data=dataset)
    unbound = engine.select(query.text, {})
    assert bound.rows == unbound.rows
    assert bound.rows == ecmgraph.query(query, {"date": dt.date.today().isoformat()}, data=dataset).rows


def test_grlc_s_today_default_means_today(dataset) -> None:
    """grlc fills in the header's default "today" verbatim: the query reads it as today's date."""
    query = get_query("vacant-posts")
    engine = LocalEngine(dataset)
    spliced = query.text.replace("?__date_xsd_date", '"today"^^xsd:date')
    assert engine.select(spliced, {}).rows == ecmgraph.query(query, data=dataset).rows


# --- answers dated by their evidence (dated-cases.yaml, on exampleshire.trig and testshire.trig) ---------------


@pytest.fixture(scope="module")
def dated_dataset():
    return load_dataset([str(path) for path in DATED_DATA])


def test_the_dated_cases_have_names_of_their_own() -> None:
    """Both case files write to expected/: a name in both would be one file for two answers."""
    assert not set(CASES) & set(DATED_CASES)
    assert {case["query"] for case in DATED_CASES.values()} <= set(catalogue())


@pytest.mark.parametrize("case", sorted(DATED_CASES))
def test_dated_rows_are_exactly_the_expected_ones(dated_dataset, case: str) -> None:
    spec = DATED_CASES[case]
    values = {k: str(v) for k, v in spec["params"].items()}
    table = ecmgraph.query(spec["query"], values, today=TODAY, data=dated_dataset)
    text = render_table(table, "csv")
    assert tuple(get_query(spec["query"]).columns) == table.columns, "the header's columns are the query's"
    path = EXPECTED / f"{case}.csv"
    if REGENERATE:
        path.write_text(text, encoding="utf-8")
    assert text == path.read_text(encoding="utf-8")


@pytest.mark.slow
@pytest.mark.parametrize("case", sorted(DATED_CASES))
def test_rdflib_gives_the_same_dated_rows(dated_dataset, case: str) -> None:
    """The same bound text on rdflib's SPARQL engine: same rows, same order."""
    spec = DATED_CASES[case]
    query = get_query(spec["query"])
    engine = LocalEngine(dated_dataset)
    terms = bind_parameters(query, {k: str(v) for k, v in spec["params"].items()}, engine, today=TODAY)
    graph = rdflib.Dataset(default_union=True)
    graph.parse(data=dated_dataset.store.dump(format=ox.RdfFormat.N_QUADS).decode("utf-8"), format="nquads")
    ours: Table = engine.select(query.text, terms)
    result = graph.query(bind_values(query.text, terms))
    theirs = [tuple(_canonical_rdflib(row[v]) for v in result.vars) for row in result]
    assert [str(v) for v in result.vars] == list(ours.columns)
    assert theirs == [tuple(_canonical_ox(t) for t in row) for row in ours.rows]


@pytest.mark.slow
def test_a_real_oxigraph_server_gives_the_same_dated_rows(dated_dataset, oxigraph) -> None:
    """--endpoint on an Oxigraph server holding the same quads: the same rows for every dated case."""
    url = oxigraph.serve(dated_dataset.store.dump(format=ox.RdfFormat.N_QUADS))
    for case, spec in sorted(DATED_CASES.items()):
        values = {k: str(v) for k, v in spec["params"].items()}
        local = ecmgraph.query(spec["query"], values, today=TODAY, data=dated_dataset)
        remote = ecmgraph.query(spec["query"], values, today=TODAY, endpoint=url)
        assert (remote.columns, remote.rows) == (local.columns, local.rows), case
