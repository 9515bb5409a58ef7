"""RDFS and OWL-RL closures with owlrl, on request only (``ecmgraph infer``, ``validate --inference``), and
ecmgraph's own normalisation written out (``ecmgraph infer --profile normalise``).

Validation never needs the closures (README.md, ``validate --inference``): they are for users who want the
entailments written out. The normalisation (:mod:`ecmgraph.normalise`) is what validation adds itself; written
out, it prepares data for a SPARQL endpoint.
"""

from __future__ import annotations

import pyoxigraph as ox
import rdflib

from ecmgraph.errors import InputError
from ecmgraph.namespaces import ENTAILED_GRAPH, INFERRED_GRAPH, PROVENANCE_GRAPH
from ecmgraph.normalise import entailments as normalisation
from ecmgraph.results import canonical_quads, usable_prefixes
from ecmgraph.store import Dataset

PROFILES = ("rdfs", "owlrl", "normalise")
#: Output formats that keep named graphs: the input's own graphs, and the entailments in one graph of their own.
QUAD_FORMATS = {"nquads": ox.RdfFormat.N_QUADS, "trig": ox.RdfFormat.TRIG}
#: Where the entailments of each profile go in N-Quads or TriG output (validate --inference uses the same graph).
PROFILE_GRAPHS = {"rdfs": INFERRED_GRAPH, "owlrl": INFERRED_GRAPH, "normalise": ENTAILED_GRAPH}

# Entailments every resource gets (x a rdfs:Resource, x owl:sameAs x…) say nothing about the data: leave them out.
_TRIVIAL_OBJECTS = {
    rdflib.RDFS.Resource,
    rdflib.OWL.Thing,
    rdflib.RDFS.Class,
    rdflib.RDF.Property,
    rdflib.RDFS.Datatype,
    rdflib.RDFS.Literal,
}
_BUILTIN_NAMESPACES = (str(rdflib.RDF), str(rdflib.RDFS), str(rdflib.OWL), str(rdflib.XSD))


def to_rdflib(dataset: Dataset, *, include_provenance: bool = False) -> rdflib.Graph:
    """The union of the dataset's graphs as one rdflib Graph (through N-Triples, the fastest bridge)."""
    prov = ox.NamedNode(PROVENANCE_GRAPH)
    triples = {q.triple for q in dataset.store if include_provenance or q.graph_name != prov}
    quoted = next((t for t in triples if isinstance(t.object, ox.Triple) or isinstance(t.subject, ox.Triple)), None)
    if quoted is not None:  # rdflib, below pySHACL and owlrl, has no RDF 1.2 triple terms
        raise InputError(
            f"the data holds an RDF 1.2 triple term ({str(quoted)[:120]}), which inference and pySHACL cannot read",
            hint="validate it with the ecmgraph engine (the default), or leave the triple terms out",
        )
    graph = rdflib.Graph()
    if triples:
        graph.parse(data=ox.serialize(sorted(triples, key=str), format=ox.RdfFormat.N_TRIPLES), format="nt")
    return graph


def closure(graph: rdflib.Graph, profile: str) -> rdflib.Graph:
    """A copy of ``graph`` expanded with the RDFS or OWL-RL closure (owlrl), without axiomatic triples."""
    import owlrl  # imported here: it is slow to import and only this path needs it

    semantics = {"rdfs": owlrl.RDFS_Semantics, "owlrl": owlrl.OWLRL_Semantics}[profile]
    expanded = rdflib.Graph()
    for triple in graph:
        expanded.add(triple)
    owlrl.DeductiveClosure(semantics, axiomatic_triples=False, datatype_axioms=False).expand(expanded)
    return expanded


def _interesting(triple: tuple[rdflib.term.Node, rdflib.term.Node, rdflib.term.Node]) -> bool:
    s, p, o = triple
    if isinstance(s, rdflib.Literal):
        return False
    if isinstance(o, rdflib.BNode) and p in (rdflib.RDF.type, rdflib.RDFS.subClassOf):
        return False  # membership of an anonymous class expression of the ontology says nothing new
    if p == rdflib.OWL.sameAs and s == o:
        return False
    if p == rdflib.RDF.type and o in _TRIVIAL_OBJECTS:
        return False
    if (
        p
        in (
            rdflib.RDFS.subClassOf,
            rdflib.RDFS.subPropertyOf,
            rdflib.OWL.equivalentClass,
            rdflib.OWL.equivalentProperty,
        )
        and s == o
    ):
        return False
    return not (isinstance(s, rdflib.URIRef) and str(s).startswith(_BUILTIN_NAMESPACES))


def entailments(dataset: Dataset, profile: str, *, include_input: bool = False) -> tuple[ox.Triple, ...]:
    """The triples the ``profile`` closure adds to the dataset, less the trivial ones every resource gets.

    With ``include_input``, the dataset's own triples too (the closure, as far as it is interesting). The
    ``normalise`` profile is :func:`ecmgraph.normalise.entailments`: the few triples validation adds itself.
    """
    if profile == "normalise":
        added = normalisation(dataset)
        return tuple(sorted({*input_triples(dataset), *added}, key=str)) if include_input else added
    base = to_rdflib(dataset)
    expanded = closure(base, profile)
    kept = (t for t in expanded if (include_input and t in base) or (t not in base and _interesting(t)))
    return tuple(ox.Triple(to_ox(s), to_ox(p), to_ox(o)) for s, p, o in kept)  # type: ignore[arg-type]


def input_triples(dataset: Dataset) -> set[ox.Triple]:
    """The dataset's triples in any graph but the provenance graph."""
    prov = ox.NamedNode(PROVENANCE_GRAPH)
    return {q.triple for q in dataset.store if q.graph_name != prov}


def entailed_quads(dataset: Dataset, profile: str, *, include_input: bool = False) -> list[ox.Quad]:
    """The ``profile`` entailments in their graph (:data:`PROFILE_GRAPHS`), and with ``include_input`` the
    dataset's own quads in theirs (all but the provenance graph): a dataset to load into a SPARQL store."""
    graph = ox.NamedNode(PROFILE_GRAPHS[profile])
    quads = [ox.Quad(t.subject, t.predicate, t.object, graph) for t in entailments(dataset, profile)]
    if include_input:
        prov = ox.NamedNode(PROVENANCE_GRAPH)
        quads += [q for q in dataset.store if q.graph_name != prov]
    return quads


def render_quads(quads: list[ox.Quad], fmt: str) -> str:
    """Quads as N-Quads or TriG in the canonical order of :func:`ecmgraph.results.canonical_quads` (the same bytes
    every run; one name per blank node across graphs, as N-Quads scopes them to the document)."""
    out = canonical_quads(quads)
    prefixes = usable_prefixes([q.triple for q in out]) if fmt == "trig" else None
    data = ox.serialize(out, format=QUAD_FORMATS[fmt], prefixes=prefixes)
    text = data.decode("utf-8") if data else ""
    return text if text.endswith("\n") or not text else text + "\n"


def with_entailments(dataset: Dataset, profile: str, graph_iri: str) -> int:
    """Add the ``profile`` entailments to the dataset's store, in graph ``graph_iri``; return how many."""
    added = entailments(dataset, profile)
    target = ox.NamedNode(graph_iri)
    dataset.store.extend([ox.Quad(t.subject, t.predicate, t.object, target) for t in added])
    return len(added)


def to_ox(node: rdflib.term.Node) -> ox.NamedNode | ox.BlankNode | ox.Literal:
    """An rdflib term as the pyoxigraph term of the same value."""
    if isinstance(node, rdflib.URIRef):
        return ox.NamedNode(str(node))
    if isinstance(node, rdflib.BNode):
        return ox.BlankNode(str(node))
    if isinstance(node, rdflib.Literal):
        if node.language:
            return ox.Literal(str(node), language=node.language)
        if node.datatype:
            return ox.Literal(str(node), datatype=ox.NamedNode(str(node.datatype)))
        return ox.Literal(str(node))
    raise TypeError(f"cannot convert {node!r}")
