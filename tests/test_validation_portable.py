"""The validation queries as ecmgraph sends them to an endpoint (ecmgraph/portable.py): every class chain
as a capped sub-SELECT of the class's subclasses, with the same answers; and an endpoint's xsd:boolean 1 or 0 read as
true or false (ecmgraph/endpoint.py). tests/test_virtuoso.py shows what they change on Virtuoso."""

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
    nodes = " ".join(f"<https://w3id.org/ecmgraph/id/{n}>" for n in ("authority/E10000028", "body/E10000028/ctb"))
    queries = [c.query for c in constraints] + [_DETAILED, _CONTEXT % {"nodes": nodes}]
    for query in queries:
        sent = portable(query)
        assert not _LEFT.search(sent), sent
        assert sorted(map(str, engine.select(sent).rows)) == sorted(map(str, engine.select(query).rows)), query


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
