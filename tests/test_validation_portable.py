"""The validation queries as ecmgraph sends them to an endpoint (ecmgraph/portable.py): every class chain
as a capped sub-SELECT of the class's subclasses, a sub-SELECT's variables that its pattern never names out of its
projection, the path from a body to its authority with a star, and a path from VALUES one branch per value, with the
same answers; and an endpoint's xsd:boolean 1 or 0 read as true or false (ecmgraph/endpoint.py).
tests/test_virtuoso.py shows what they change on Virtuoso."""

from __future__ import annotations

import datetime as dt
import json
import re

import pyoxigraph as ox
import pytest

from ecmgraph.endpoint import parse_json_results
from ecmgraph.portable import for_endpoint, hinted, portable
from ecmgraph.queries import get_query
from ecmgraph.store import load_dataset
from ecmgraph.validation import Catalogue, dated_shapes, load_shapes, prepare, shape_constraints, validation_engine
from ecmgraph.validation.report import _CONTEXT, _DETAILED

_LEFT = re.compile(r"subClassOf>?\*")  # a chain not rewritten: the rewritten ones are in parentheses


def test_a_chain_becomes_a_capped_sub_select_of_the_subclasses() -> None:
    text = "SELECT ?n WHERE { ?n a/rdfs:subClassOf* ecm:Authority . }"
    assert portable(text) == (
        "SELECT ?n WHERE { ?n <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> ?ecmgraphClass1 . "
        "{ SELECT ?ecmgraphClass1 WHERE { ?ecmgraphClass1 (<http://www.w3.org/2000/01/rdf-schema#subClassOf>)* "
        "ecm:Authority } LIMIT 1000000000 } . }"
    )


@pytest.mark.parametrize(
    ("text", "kept"),
    [
        ("{ ?p a/rdfs:subClassOf* ecm:Leader ; org:postIn ?a . }", "?p org:postIn ?a ."),
        ("{ ?p org:postIn ?a ; a/rdfs:subClassOf* ecm:Leader . }", "?p org:postIn ?a ."),
        ('{ ?p rdfs:label "a. b" ; a/rdfs:subClassOf* ecm:Leader }', '?p rdfs:label "a. b" .'),
        ("{ ?k rdfs:subClassOf* ecm:Leader }", "{ SELECT ?k WHERE"),
        (
            "FILTER NOT EXISTS { ?v <http://www.w3.org/1999/02/22-rdf-syntax-ns#type>/"
            "<http://www.w3.org/2000/01/rdf-schema#subClassOf>* <https://w3id.org/ecmgraph/def#Leader> }",
            "?v <",
        ),
    ],
)
def test_every_form_of_chain_is_rewritten_keeping_the_rest_of_its_statement(text: str, kept: str) -> None:
    out = portable(text)
    assert not _LEFT.search(out)
    assert kept in out
    ox.Store().query(
        f"PREFIX ecm: <https://w3id.org/ecmgraph/def#> PREFIX org: <http://www.w3.org/ns/org#> "
        f"PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#> SELECT * WHERE {{ {out} }}"
    )


def test_the_validation_queries_sent_to_an_endpoint_give_the_local_answers() -> None:
    dataset = prepare(load_dataset())
    shapes = load_shapes()
    catalogue = Catalogue.from_graph(shapes)
    constraints = shape_constraints(dated_shapes(shapes, catalogue, dt.date(2024, 6, 30), catalogue.select()))
    engine = validation_engine(dataset)
    nodes = " ".join(
        f"<https://w3id.org/ecmgraph/id/{n}>"
        for n in ("authority/E10000028", "body/E10000028/ctb", "body/E10000028/wider-partnership", "post/E10000028/dcs")
    )
    context = _CONTEXT % {"nodes": nodes}
    queries = [c.query for c in constraints] + [_DETAILED, context]
    for query in queries:
        sent = portable(query)
        assert not _LEFT.search(sent), sent
        # The same rows, each as often where the query has them once (the shapes' are DISTINCT); the report's query
        # of the nodes' authorities, which is not, reads them as a set (the least rank of each node), and sent, its
        # (R|X/R) path gives a row for each way where X?/R gives one.
        local, rows = engine.select(query).rows, engine.select(sent).rows
        assert sorted(map(str, set(rows))) == sorted(map(str, set(local))), query
        assert len(rows) == len(local) or query == context, query


def test_a_sub_selects_variable_that_its_pattern_never_names_is_left_out_of_its_projection() -> None:
    text = (
        "SELECT ?this ?value WHERE { ?this a ecm:Post . { SELECT ?this ?value ?a WHERE { "
        '?value ecm:bodyOf ?a ; rdfs:label "?this" . FILTER (?a != <urn:x?this>) } } }'
    )
    assert "{ SELECT ?value ?a WHERE {" in portable(text)
    nested = "SELECT * WHERE { { SELECT ?this ?v WHERE { { SELECT ?this ?v WHERE { ?v a ?k } LIMIT 5 } } } }"
    assert portable(nested) == "SELECT * WHERE { { SELECT ?v WHERE { { SELECT ?v WHERE { ?v a ?k } LIMIT 5 } } } }"
    kept = "SELECT * WHERE { { SELECT ?this WHERE { ?x a ?k } } { SELECT DISTINCT ?this ?k WHERE { ?this a ?k } } }"
    assert portable(kept) == kept  # nothing left to project; every variable named


def test_the_path_from_a_body_to_its_authority_is_sent_with_a_star() -> None:
    direct = "(ecm:bodyOf|^ecm:cooperationArrangements)"
    text = f"SELECT ?a WHERE {{ ?b (ecm:bodyOf|^ecm:cooperationArrangements|org:subOrganizationOf+/{direct}) ?a }}"
    assert portable(text) == f"SELECT ?a WHERE {{ ?b (org:subOrganizationOf*/{direct}) ?a }}"
    other = "SELECT ?a WHERE { ?b (ecm:bodyOf|org:subOrganizationOf+/(ecm:bodyOf|^ecm:cooperationArrangements)) ?a }"
    assert portable(other) == other


def test_a_path_from_values_is_sent_as_one_branch_per_value() -> None:
    text = "SELECT ?n ?a WHERE { VALUES ?n { <urn:a> ecmid:b } ?n org:postIn?/org:subOrganizationOf* ?a . ?a a ?k }"
    path = "(org:subOrganizationOf*|org:postIn/org:subOrganizationOf*)"
    assert portable(text) == (
        f"SELECT ?n ?a WHERE {{ {{ <urn:a> {path} ?a . BIND (<urn:a> AS ?n) }} UNION "
        f"{{ ecmid:b {path} ?a . BIND (ecmid:b AS ?n) }} . ?a a ?k }}"
    )
    for same in (
        "SELECT ?n ?a WHERE { VALUES ?n { <urn:a> <urn:b> } ?n org:postIn ?a }",  # no transitive step
        "SELECT ?n ?a WHERE { VALUES ?n { <urn:a> UNDEF } ?n org:postIn* ?a }",
        "SELECT ?n ?a WHERE { # VALUES ?n { <urn:a> } ?n org:postIn* ?a .\n ?n ?p ?a }",
    ):
        assert portable(same) == same
    alternative = "SELECT ?a WHERE { VALUES ?n { <urn:a> } ?n org:postIn?/ecm:bodyOf|ecm:bodyOf ?a }"
    assert "org:postIn?/ecm:bodyOf|ecm:bodyOf" in portable(alternative)  # X?/R|S is not X?/(R|S)


@pytest.mark.parametrize(("written", "read"), [("1", "true"), ("0", "false"), ("true", "true")])
def test_an_endpoints_boolean_is_read_in_its_canonical_form(written: str, read: str) -> None:
    body = {
        "head": {"vars": ["b"]},
        "results": {
            "bindings": [
                {"b": {"type": "literal", "value": written, "datatype": "http://www.w3.org/2001/XMLSchema#boolean"}}
            ]
        },
    }
    table = parse_json_results(json.dumps(body).encode())
    assert not isinstance(table, bool)
    assert table.rows[0][0] == ox.Literal(read, datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#boolean"))


def test_only_a_query_with_the_hint_goes_to_an_endpoint_in_the_portable_form() -> None:
    plain = "SELECT ?x WHERE { ?x a/rdfs:subClassOf* ecm:Authority }"
    assert for_endpoint(plain) == plain
    assert for_endpoint(hinted(plain)) == portable(hinted(plain)) != hinted(plain)
    assert not _LEFT.search(for_endpoint(hinted(plain)))
    written = "# Sent in the portable form:\n  #  ECMGRAPH: Portable\n" + plain  # the hint as a query file writes it
    assert for_endpoint(written) == portable(written)
    assert for_endpoint("# ecmgraph: portable everywhere\n" + plain).endswith(plain)  # not the hint: more words


def test_joint_appointments_carries_the_hint_and_its_file_keeps_the_plain_path() -> None:
    text = get_query("joint-appointments").text
    assert for_endpoint(text) != text and "a/rdfs:subClassOf*" in text
