"""RDFS and OWL-RL closures with owlrl, on request only (``ecmgraph infer``, ``validate --inference``).

Validation never needs them (DESIGN.md): this is for users who want the entailments written out.
"""

from __future__ import annotations

import pyoxigraph as ox
import rdflib

from ecmgraph.store import PROVENANCE_GRAPH, Dataset

PROFILES = ("rdfs", "owlrl")

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
    if p in (rdflib.RDFS.subClassOf, rdflib.RDFS.subPropertyOf, rdflib.OWL.equivalentClass,
             rdflib.OWL.equivalentProperty) and s == o:
        return False
    return not (isinstance(s, rdflib.URIRef) and str(s).startswith(_BUILTIN_NAMESPACES))


def entailments(dataset: Dataset, profile: str, *, include_input: bool = False) -> tuple[ox.Triple, ...]:
    """The triples the ``profile`` closure adds to the dataset, less the trivial ones every resource gets.

    With ``include_input``, the dataset's own triples too (the closure, as far as it is interesting).
    """
    base = to_rdflib(dataset)
    expanded = closure(base, profile)
    kept = (t for t in expanded if (include_input and t in base) or (t not in base and _interesting(t)))
    return tuple(ox.Triple(to_ox(s), to_ox(p), to_ox(o)) for s, p, o in kept)  # type: ignore[arg-type]


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
