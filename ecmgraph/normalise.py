"""The cheap, targeted normalisation the shapes rely on, in place of a reasoner (DESIGN.md: no OWL-RL closure).

:func:`normalise` writes a handful of entailments into the graph :data:`ecmgraph.store.ENTAILED_GRAPH`, each
from one CONSTRUCT over the union of the loaded graphs (the ontology included):

- the sub-properties the ontology declares (``ecm:scrutinises`` gives ``ecm:holdsToAccount``);
- the inverse properties it declares (``ecm:holdsToAccount`` gives ``ecm:accountableTo`` and back);
- its symmetric properties (``ecm:jointAppointmentWith``);
- ``org:heldBy`` and ``org:holds`` between a post and the holder of any of its tenures (timeless, as the
  modelling guide says; the shapes still decide who holds a post on a date from the tenures themselves).

Subclass semantics need nothing here: the shapes reach kinds through ``rdf:type/rdfs:subClassOf*``. The steps run
in that order, so a sub-property's inverse is written too. A remote endpoint is not normalised by ecmgraph: load
it with data that was (see README, "Validating on a SPARQL endpoint").
"""

from __future__ import annotations

import pyoxigraph as ox

from ecmgraph.store import ENTAILED_GRAPH, Dataset

_PROLOGUE = """PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX owl: <http://www.w3.org/2002/07/owl#>
PREFIX org: <http://www.w3.org/ns/org#>
PREFIX ecm: <https://w3id.org/ecmgraph/def#>
"""

#: (what it adds, the CONSTRUCT that finds it), run in this order.
STEPS: tuple[tuple[str, str], ...] = (
    ("sub-properties", "CONSTRUCT { ?s ?super ?o } WHERE { ?sub rdfs:subPropertyOf+ ?super . FILTER (?sub != ?super) "
                       "?s ?sub ?o . FILTER NOT EXISTS { ?s ?super ?o } }"),
    ("inverse properties", "CONSTRUCT { ?o ?q ?s } WHERE { { ?p owl:inverseOf ?q } UNION { ?q owl:inverseOf ?p } "
                           "?s ?p ?o . FILTER (!isLiteral(?o)) FILTER NOT EXISTS { ?o ?q ?s } }"),
    ("symmetric properties", "CONSTRUCT { ?o ?p ?s } WHERE { ?p a owl:SymmetricProperty . ?s ?p ?o . "
                             "FILTER (!isLiteral(?o)) FILTER NOT EXISTS { ?o ?p ?s } }"),
    ("post holders", "CONSTRUCT { ?post org:heldBy ?person } WHERE { ?tenure ecm:post ?post ; ecm:holder ?person . "
                     "FILTER NOT EXISTS { ?post org:heldBy ?person } }"),
    ("held posts", "CONSTRUCT { ?person org:holds ?post } WHERE { ?tenure ecm:post ?post ; ecm:holder ?person . "
                   "FILTER NOT EXISTS { ?person org:holds ?post } }"),
)


def normalise(dataset: Dataset) -> int:
    """Add the entailments of :data:`STEPS` that the data does not already state, in the entailed graph; return
    how many were added.

    Idempotent: running it twice adds nothing the second time. (Each FILTER NOT EXISTS tests one fully bound
    triple, an index lookup, not the join DESIGN.md warns about.)
    """
    graph = ox.NamedNode(ENTAILED_GRAPH)
    before = len(dataset.store)
    for _, construct in STEPS:
        result = dataset.store.query(_PROLOGUE + construct, use_default_graph_as_union=True)
        dataset.store.extend([ox.Quad(t.subject, t.predicate, t.object, graph) for t in result])  # type: ignore[union-attr]
    return len(dataset.store) - before
