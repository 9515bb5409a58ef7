"""The normalisation (``ecmgraph.normalise``): what it adds, written out by ``ecmgraph infer --profile normalise``,
and the checks that tell whether an endpoint's data has it, run here on a local stand-in for an endpoint (the
real Oxigraph server is in tests/test_endpoint.py)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox
import pytest
from click.testing import Result

from ecmgraph.engines import LocalEngine
from ecmgraph.errors import InputError
from ecmgraph.namespaces import ENTAILED_GRAPH, PROVENANCE_GRAPH
from ecmgraph.normalise import check_endpoint, entailments, missing_triples, normalise, require_normalised, store_url
from ecmgraph.store import Dataset, load_dataset

Run = Callable[..., Result]
PROV = ox.NamedNode(PROVENANCE_GRAPH)
ENTAILED = ox.NamedNode(ENTAILED_GRAPH)
EXAMPLESHIRE = str(Path(__file__).parent / "fixtures" / "queries" / "exampleshire.trig")

_RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
_RDFS = "http://www.w3.org/2000/01/rdf-schema#"
_OWL = "http://www.w3.org/2002/07/owl#"
_ECM = "https://w3id.org/ecmgraph/def#"
_ORG = "http://www.w3.org/ns/org#"

#: Axioms of its own beside the ontology's, so that every step follows what an earlier one entails.
CHAINS = """@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix owl: <http://www.w3.org/2002/07/owl#> .
@prefix ecm: <https://w3id.org/ecmgraph/def#> .
@prefix ex: <https://example.org/> .
ex:reviews rdfs:subPropertyOf ecm:scrutinises .
ex:a ex:reviews ex:b .
ex:partners rdfs:subPropertyOf ecm:jointAppointmentWith .
ex:c ex:partners ex:d .
ex:pairedWith owl:inverseOf ex:pairs . ex:pairs rdfs:subPropertyOf ecm:jointAppointmentWith .
ex:e ex:pairedWith ex:f .
ex:jointWith owl:inverseOf ecm:jointAppointmentWith .
ex:g ex:jointWith ex:h .
ex:joins rdfs:subPropertyOf ex:jointWith .
ex:e2 ex:joins ex:f2 .
ex:i ecm:holdsToAccount "not a node" .
ex:x ecm:accountableTo ex:y . ex:y ecm:holdsToAccount ex:x .
ex:t1 ecm:post ex:post ; ecm:holder ex:person .
ex:t2 ecm:post ex:post ; ecm:holder ex:person .
"""


def chained(triples: set[ox.Triple]) -> set[ox.Triple]:
    """The normalisation as its steps were first run, each over the data and what the earlier ones wrote: the
    oracle that the single-pass steps must agree with."""

    def iri(value: str) -> ox.NamedNode:
        return ox.NamedNode(value)

    known = set(triples)
    direct: dict[ox.NamedNode, set[ox.NamedNode]] = {}
    for t in known:
        if t.predicate == iri(_RDFS + "subPropertyOf"):
            direct.setdefault(t.subject, set()).add(t.object)  # type: ignore[arg-type]

    def supers(p: ox.NamedNode) -> set[ox.NamedNode]:
        out, todo = set(), [p]
        while todo:
            for s in direct.get(todo.pop(), ()):
                if s not in out:
                    out.add(s)
                    todo.append(s)
        return out - {p}

    known |= {
        ox.Triple(t.subject, s, t.object)  # type: ignore[arg-type]
        for t in list(known)
        for s in supers(t.predicate)
    }  # type: ignore[arg-type]
    inverse: dict[ox.NamedNode, set[ox.NamedNode]] = {}
    for t in list(known):
        if t.predicate == iri(_OWL + "inverseOf"):
            inverse.setdefault(t.subject, set()).add(t.object)  # type: ignore[arg-type]
            inverse.setdefault(t.object, set()).add(t.subject)  # type: ignore[arg-type]
    known |= {
        ox.Triple(t.object, q, t.subject)  # type: ignore[arg-type]
        for t in list(known)
        if not isinstance(t.object, ox.Literal)
        for q in inverse.get(t.predicate, ())
    }  # type: ignore[arg-type]
    symmetric = {
        t.subject for t in known if t.predicate == iri(_RDF + "type") and t.object == iri(_OWL + "SymmetricProperty")
    }
    known |= {
        ox.Triple(t.object, t.predicate, t.subject)
        for t in list(known)  # type: ignore[arg-type]
        if t.predicate in symmetric and not isinstance(t.object, ox.Literal)
    }
    posts = {t.subject: t.object for t in known if t.predicate == iri(_ECM + "post")}
    for t in list(known):
        if t.predicate == iri(_ECM + "holder") and t.subject in posts:
            known.add(ox.Triple(posts[t.subject], iri(_ORG + "heldBy"), t.object))  # type: ignore[arg-type]
            known.add(ox.Triple(t.object, iri(_ORG + "holds"), posts[t.subject]))  # type: ignore[arg-type]
    return known - triples


def _triples(dataset: Dataset) -> set[ox.Triple]:
    return {q.triple for q in dataset.store if q.graph_name != PROV}


def test_each_step_follows_what_the_earlier_steps_entail_as_the_chained_steps_did(tmp_path: Path) -> None:
    data = tmp_path / "chains.ttl"
    data.write_text(CHAINS, encoding="utf-8")
    dataset = load_dataset([str(data)])
    expected = chained(_triples(dataset))
    ex = "https://example.org/"
    for s, p, o in [
        ("a", _ECM + "holdsToAccount", "b"),
        ("b", _ECM + "accountableTo", "a"),  # sub, then inverse
        ("d", _ECM + "jointAppointmentWith", "c"),  # sub, then symmetric
        ("h", _ECM + "jointAppointmentWith", "g"),
        ("g", _ECM + "jointAppointmentWith", "h"),  # inverse
        ("e2", _ECM + "jointAppointmentWith", "f2"),  # sub, inverse, then symmetric
        ("post", _ORG + "heldBy", "person"),
        ("person", _ORG + "holds", "post"),
    ]:
        assert ox.Triple(ox.NamedNode(ex + s), ox.NamedNode(p), ox.NamedNode(ex + o)) in expected
    assert set(entailments(dataset)) == expected
    assert normalise(dataset) == len(expected)


@pytest.mark.parametrize("graph", [ox.DefaultGraph(), ox.BlankNode("g")], ids=["default-graph", "blank-node-graph"])
def test_data_update_using_cannot_name_is_normalised_the_same(
    tmp_path: Path, graph: ox.DefaultGraph | ox.BlankNode
) -> None:
    # normalise() runs its steps as SPARQL Updates over the named graphs (USING <g>…); data in the default graph or
    # in a graph named by a blank node cannot be named so, and takes the slower way with the same outcome.
    data = tmp_path / "chains.ttl"
    data.write_text(CHAINS, encoding="utf-8")
    named = load_dataset([str(data)])
    moved = Dataset(store=ox.Store(), sources=list(named.sources))
    moved.store.extend(
        [ox.Quad(q.subject, q.predicate, q.object, graph) if q.graph_name != PROV else q for q in named.store]
    )
    assert normalise(moved) == normalise(named) > 0
    assert set(moved.store.quads_for_pattern(None, None, None, ENTAILED)) == set(
        named.store.quads_for_pattern(None, None, None, ENTAILED)
    )


@pytest.mark.parametrize(
    "paths",
    [[], [EXAMPLESHIRE], [str(Path(__file__).parent / "fixtures" / "rules")]],
    ids=["packaged", "exampleshire", "rule-fixtures"],
)
def test_the_steps_agree_with_the_chained_steps_on_real_data(paths: list[str]) -> None:
    dataset = load_dataset(paths)
    assert set(entailments(dataset)) == chained(_triples(dataset)) != set()
    normalise(dataset)
    assert entailments(dataset) == () and normalise(dataset) == 0  # with the packaged ontology, once is enough


def test_infer_normalise_writes_what_validation_adds(run: Run) -> None:
    dataset = load_dataset()
    given = _triples(dataset)
    normalise(dataset)
    added = run(["infer", "--profile", "normalise", "--format", "ntriples"])
    assert added.exit_code == 0, added.stderr
    written = {q.triple for q in ox.parse(added.stdout.encode(), format=ox.RdfFormat.N_TRIPLES)}
    assert written and not written & given
    assert written | given == _triples(dataset)
    whole = run(["infer", "--profile", "normalise", "--include-input", "--format", "ntriples"])
    everything = [q.triple for q in ox.parse(whole.stdout.encode(), format=ox.RdfFormat.N_TRIPLES)]
    assert len(everything) == len(_triples(dataset))  # blank nodes get new names on every parse: compare the rest
    assert {t for t in everything if not _blank(t)} == {t for t in _triples(dataset) if not _blank(t)}


def test_infer_nquads_keeps_the_input_s_graphs_and_puts_the_links_in_the_entailed_graph(run: Run) -> None:
    result = run(["infer", "--profile", "normalise", "--include-input", "--format", "nquads", EXAMPLESHIRE])
    assert result.exit_code == 0, result.stderr
    written = list(ox.parse(result.stdout.encode(), format=ox.RdfFormat.N_QUADS))
    dataset = load_dataset([EXAMPLESHIRE])
    graphs = {q.graph_name for q in dataset.store if q.graph_name != PROV}
    assert {q.graph_name for q in written} == graphs | {ENTAILED}
    for graph in graphs:  # each graph as loaded (blank nodes aside: they get new names on every parse)
        mine = {q.triple for q in written if q.graph_name == graph and not _blank(q)}
        assert mine == {q.triple for q in dataset.store.quads_for_pattern(None, None, None, graph) if not _blank(q)}
    assert len(written) == sum(1 for q in dataset.store if q.graph_name != PROV) + len(entailments(dataset))
    assert {q.triple for q in written if q.graph_name == ENTAILED} == set(entailments(dataset))
    trig = run(["infer", "--profile", "normalise", "--include-input", "--format", "trig", EXAMPLESHIRE])
    assert len(list(ox.parse(trig.stdout.encode(), format=ox.RdfFormat.TRIG))) == len(written)
    again = run(["infer", "--profile", "normalise", "--include-input", "--format", "nquads", EXAMPLESHIRE])
    assert again.stdout == result.stdout


def test_infer_rdfs_in_nquads_puts_the_closure_in_the_inferred_graph(run: Run) -> None:
    result = run(["infer", "--profile", "rdfs", "--format", "nquads", EXAMPLESHIRE])
    assert result.exit_code == 0, result.stderr
    written = list(ox.parse(result.stdout.encode(), format=ox.RdfFormat.N_QUADS))
    assert written and {q.graph_name.value for q in written} == {"https://w3id.org/ecmgraph/graph/inferred"}


def _blank(statement: ox.Quad | ox.Triple) -> bool:
    return isinstance(statement.subject, ox.BlankNode) or isinstance(statement.object, ox.BlankNode)


# ------------------------------------------------------------------------ the endpoint checks, on a local stand-in


@dataclass(frozen=True)
class LocalService(LocalEngine):
    """Answers queries on a local dataset as a remote engine answers them on a server, under a server's URL."""

    @property
    def label(self) -> str:
        return "http://127.0.0.1:7878/query"


def test_the_check_names_each_kind_of_missing_link_and_passes_once_they_are_added() -> None:
    dataset = load_dataset()
    readiness = check_endpoint(LocalService(dataset))
    assert readiness.has_ontology and not readiness.ready
    assert readiness.missing == ("sub-properties", "inverse properties", "post holders", "held posts")
    with pytest.raises(InputError, match=r"lacks links ecmgraph's rules need \(sub-properties, inverse properties"):
        require_normalised(LocalService(dataset))
    added = missing_triples(LocalService(dataset))
    assert added == entailments(dataset)
    dataset.store.extend(ox.Quad(t.subject, t.predicate, t.object) for t in added)  # as a server's ?default
    assert check_endpoint(LocalService(dataset)).ready and missing_triples(LocalService(dataset)) == ()
    require_normalised(LocalService(dataset))


def test_without_the_ontology_the_check_says_so_and_nothing_is_computed() -> None:
    dataset = load_dataset(with_ontology=False)
    readiness = check_endpoint(LocalService(dataset))
    assert not readiness.has_ontology and not readiness.ready
    assert readiness.missing == ("post holders", "held posts")  # the other steps need the ontology's axioms
    with pytest.raises(InputError, match="lacks ecmgraph's ontology") as raised:
        require_normalised(LocalService(dataset))
    assert "http://127.0.0.1:7878/store?graph=https://w3id.org/ecmgraph/def" in (raised.value.hint or "")
    with pytest.raises(InputError, match="does not hold ecmgraph's ontology"):
        missing_triples(LocalService(dataset))


def test_the_store_url_is_oxigraph_s_beside_its_query_url() -> None:
    assert store_url("http://localhost:7878/query") == "http://localhost:7878/store"
    assert store_url("https://example.org/sparql") == "URL-of-the-store"


# ------------------------------------------------------------------------------------------------ infer's options


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["--profile", "rdfs", "--endpoint", "http://127.0.0.1:1/query"], "--profile normalise only"),
        (["--profile", "normalise", "--endpoint", "http://127.0.0.1:1/query", EXAMPLESHIRE], "not both"),
        (["--profile", "normalise", "--endpoint", "http://127.0.0.1:1/query", "--include-input"], "--include-input"),
    ],
)
def test_infer_endpoint_options_that_do_not_go_together_are_usage_errors(run: Run, args: list[str], words: str) -> None:
    result = run(["infer", *args])
    assert result.exit_code == 2 and words in result.stderr
