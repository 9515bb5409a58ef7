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
SUBCLASS_PATHS = (
    "Virtuoso 7.2.5 gives no rows: the sub-SELECT of a person's two posts gives none (FILTER(!sameTerm(?postIn, "
    "?otherPostIn)) drops every row, and FILTER NOT EXISTS { ?kind rdfs:subClassOf* ecm:ElectedOffice } keeps every "
    "kind), and ?authority a/rdfs:subClassOf* ecm:Authority, from BIND(COALESCE(...)), misses an authority in every "
    "form tried"
)
NO_ANSWER = "Virtuoso 7.2.5 never finishes the query (and stops answering anything else until it is restarted)"
BY_QUERY: dict[str, str] = {
    "accountability-chain": (
        "Virtuoso 7.2.5 gives no rows for the chain (OPTIONALs over the plain form, no LATERAL): after the UNION "
        "whose first branch is BIND(?_post_iri AS ?start), ?start (org:reportsTo|ecm:accountableTo)* ?between gives "
        "none, and FILTER(sameTerm(?startIn, ?_authority_iri) || EXISTS { ... }) drops every row"
    ),
    "lscb-membership": NO_ANSWER,  # it finishes, with the local rows, cut after the member's holder's OPTIONAL
    "scrutiny-bodies": (
        "Virtuoso 7.2.5 writes an xsd:boolean as 1 in JSON results: coversChildrensServices comes as "
        '"1"^^xsd:boolean, not "true"^^xsd:boolean (the same value, another term); no form of the query '
        "gives true"
    ),
    "statutory-post-holders": NO_ANSWER,
    "two-tier-area": NO_ANSWER,  # it finishes, with the local rows, cut after the champion's holder's OPTIONAL
}
EXPECTED_FAILURES: dict[str, str] = {
    **{f"case:{c}": BY_QUERY[CASES[c]["query"]] for c in CASES if CASES[c]["query"] in BY_QUERY},
    **{f"example:{q}": reason for q, reason in BY_QUERY.items()},
    "case:joint-appointments": SUBCLASS_PATHS,
    "case:joint-appointments-cover": SUBCLASS_PATHS,
    "case:compliance-matrix": "Virtuoso 7.2.5 answers the compliance report's CONSTRUCT with no triples",
    "case:compliance-matrix-2007": "Virtuoso 7.2.5 answers the compliance report's CONSTRUCT with no triples",
    "example:compliance-matrix": NO_ANSWER,
    # Not the query: the lookup of the role's name never finishes (given the IRIs, the query gives the local rows).
    "example:role-responsibilities": NO_ANSWER,
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


# Why Virtuoso 7.2.5 gives other findings, by rule (queries/README.md, "Other engines"). Nearly all come from one
# bug: Virtuoso follows a transitive path whose start an earlier pattern binds (after a join, or VALUES) for the
# first input row only: VALUES ?n { <a> <b> <c> } ?n a/rdfs:subClassOf* ecm:Authority gives <a> alone, where the
# classes as a capped sub-SELECT, ?n a ?k . { SELECT ?k WHERE { ?k rdfs:subClassOf* ecm:Authority } LIMIT 100000 },
# give all three. The chains are in three places: the shapes' bodies, their class targets (written by
# ecmgraph/validation/compile.py) and the report's query of each node's authority (ecmgraph/validation/report.py).
# With all three rewritten so (tried on the queries as sent, not yet in the code), 24 of the 27 rules give the
# local findings; ECM006, ECM012 and ECM026 still differ.
_FIRST_ROW = "Virtuoso 7.2.5 follows a transitive path bound from an earlier pattern for the first row only: "
_NO_AUTHORITY = (
    "the report's query of each node's authority (?n a/rdfs:subClassOf* ecm:Authority over VALUES ?n, "
    "validation/report.py) finds it for the first node only, so {n} findings have no authority, code or label"
)
_NO_POST = (
    "and the no-post shape's OPTIONAL {{ ?p a/rdfs:subClassOf* ...; org:postIn $this }} matches for the first "
    "authority only, so the {n} authorities with a post get no-post in place of holder-not-recorded (whose class "
    "target, joined to the posts, keeps one)"
)
BY_RULE: dict[str, str] = {
    "ECM001": _FIRST_ROW + _NO_AUTHORITY.format(n="152 of 153") + ", " + _NO_POST.format(n=5),
    "ECM002": _FIRST_ROW + _NO_AUTHORITY.format(n="152 of 153") + ", " + _NO_POST.format(n=5),
    "ECM005": _FIRST_ROW + "the shape's class chains (target and body) find none of the 5 seat-not-recorded gaps",
    "ECM006": (
        "Virtuoso 7.2.5 finds none of the 3 seat-not-recorded gaps: the body-of path ?value (ecm:bodyOf|"
        "^ecm:cooperationArrangements|org:subOrganizationOf+/(ecm:bodyOf|^ecm:cooperationArrangements)) ?a gives "
        "each board a second row with ?a unbound (6 rows for the local 3; without the org:subOrganizationOf+ branch, "
        "or with that step in a capped sub-SELECT, the local 3), and the class chains miss rows as for the others"
    ),
    "ECM009": _FIRST_ROW + _NO_AUTHORITY.format(n="152 of 153") + ", and 3 more lscb-not-recorded gaps",
    "ECM010": _FIRST_ROW + _NO_AUTHORITY.format(n="152 of 153") + ", " + _NO_POST.format(n=5),
    "ECM011": _FIRST_ROW + "the shape's class chains (target and body) find none of the 5 observer-not-recorded gaps",
    "ECM012": (
        _FIRST_ROW + "the shape's class chains miss 2 of the 3 chair-not-recorded gaps; and the board's authority "
        "(the report's ?n org:postIn?/org:subOrganizationOf*/(ecm:bodyOf|^ecm:cooperationArrangements) ?a) is "
        "unbound, still so with the class chains rewritten: not reduced further"
    ),
    "ECM015": _FIRST_ROW + _NO_AUTHORITY.format(n="150 of 151"),
    "ECM016": _FIRST_ROW + _NO_AUTHORITY.format(n="151 of 152") + ", and 2 more trust-not-recorded gaps",
    "ECM017": _FIRST_ROW + "the shape's class chains find none of the 155 district-not-recorded gaps",
    "ECM024": (
        _FIRST_ROW + _NO_AUTHORITY.format(n="152 of 154") + ", and the no-post shape's OPTIONAL of a UNION of "
        "Leader and elected Mayor chains matches for the first authority only: 5 no-post gaps in place of 4 "
        "holder-not-recorded"
    ),
    "ECM025": _FIRST_ROW + _NO_AUTHORITY.format(n="152 of 153") + ", and 1 more scrutiny-not-recorded gap",
    "ECM026": (
        "Virtuoso 7.2.5 gives rows with ?a unbound for the body-of path (as for ECM006), and the OPTIONAL of ?a's "
        "label then gives every authority's: the school-not-recorded query gives 948 rows for the local 3, so each "
        "message names the least label (Adur), not the board's authority; and the report leaves the board's "
        "authority unbound (as for ECM012)"
    ),
}
# Virtuoso's plans, and so its answers, change with its state: these rules give the local findings once the server
# has answered the other tests of this file (as it has when the whole file runs), and other findings on a freshly
# loaded server (as when the validation tests run alone). Their expected failures are not strict.
_STATE = " (on a freshly loaded server; after the other tests of this file, the local findings: not strict)"
UNSTABLE = {"ECM001", "ECM002", "ECM005", "ECM009", "ECM010", "ECM011", "ECM015", "ECM016", "ECM017", "ECM024"}
UNSTABLE |= {"ECM025", "ECM020"}
BY_RULE = {rule: reason + _STATE if rule in UNSTABLE else reason for rule, reason in BY_RULE.items()}
BY_RULE["ECM020"] = (
    "Virtuoso 7.2.5 gives the local findings (none) on a freshly loaded server, but after the other tests of this "
    "file 5 accountable-elsewhere breaches about DCS posts, which the shape's class target (ecm:ChiefExecutive) "
    "should not reach: its plans, and so its answers, change with its state (not strict)"
)
RULES = sorted(Catalogue.from_graph(load_shapes()).rules)
RULE_PARAMS = [
    pytest.param(
        rule,
        marks=[pytest.mark.xfail(strict=rule not in UNSTABLE, reason=BY_RULE[rule])] if rule in BY_RULE else [],
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
