"""The compliance matrix: ecmgraph's validation report, read by the packaged query ``compliance-matrix``.

The query (``requires: validation-report``) reads a SHACL validation report graph beside the shapes, so that
the matrix is ``ecmgraph validate``'s answer cell by cell; :func:`report_engine` makes the engine it runs on.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

import pyoxigraph as ox

from ecmgraph import resources
from ecmgraph.endpoint import DEFAULT_TIMEOUT
from ecmgraph.engines import Engine, LocalEngine, RemoteEngine
from ecmgraph.namespaces import DATA_SLICE_GRAPH, ONTOLOGY_GRAPH, REPORT_GRAPH, SHAPES_GRAPH, sparql_prologue
from ecmgraph.portable import hinted
from ecmgraph.render.reports import report_triples
from ecmgraph.store import Dataset
from ecmgraph.validation import ValidationReport, shapes_files, validate

#: The authorities the matrix needs: their kinds, names, regions and days, and their own posts and bodies. Sent to
#: an endpoint in the portable form (ecmgraph.portable): sent plain, Virtuoso 7.2.5 follows its class chains for
#: one row only, and gave the kinds of one authority of six and the end days of one tenure of five (test data).
_AUTHORITIES_SLICE = hinted(
    sparql_prologue()
    + """CONSTRUCT {
  ?a a ?kind ; rdfs:label ?label ; ecm:region ?region ; ecm:startDate ?start ; ecm:endDate ?end .
  ?post org:postIn ?a ; a ?postKind . ?body ecm:bodyOf ?a .
  ?tenure ecm:post ?post ; ecm:holder ?holder ; ecm:startDate ?from ; ecm:endDate ?to ; time:inside ?instant .
  ?instant time:inXSDDate ?day .
}
WHERE {
  # Each authority once, then each fact of it in a branch of its own: one row a triple. (OPTIONALs in one branch
  # gave a row for every combination of an authority's kinds, posts and tenures' dates, 15 times slower.)
  { SELECT DISTINCT ?a WHERE { ?a a ?authorityKind . ?authorityKind rdfs:subClassOf* ecm:Authority } }
  { ?a a ?kind . ?kind rdfs:subClassOf* ecm:Authority }
  UNION { ?a rdfs:label ?label } UNION { ?a ecm:region ?region }
  UNION { ?a ecm:startDate ?start } UNION { ?a ecm:endDate ?end }
  # Whether the data records the authority's own posts or bodies, and who held its posts when (for the rules
  # about a post's holder, ecm:needsHolderOf).
  UNION { ?post org:postIn ?a ; a ?postKind }
  UNION { ?post org:postIn ?a ; a [] . ?tenure ecm:post ?post ; ecm:holder ?holder }
  UNION { ?post org:postIn ?a ; a [] . ?tenure ecm:post ?post ; ecm:holder [] ; ecm:startDate ?from }
  UNION { ?post org:postIn ?a ; a [] . ?tenure ecm:post ?post ; ecm:holder [] ; ecm:endDate ?to }
  UNION {
    ?post org:postIn ?a ; a [] . ?tenure ecm:post ?post ; ecm:holder [] ; time:inside ?instant .
    OPTIONAL { ?instant time:inXSDDate ?day }
  }
  UNION { ?body ecm:bodyOf ?a }
}"""
)


def report_engine(
    dataset: Dataset | None,
    endpoint: str | None,
    timeout: float | None,
    day: dt.date,
    report: ValidationReport | None = None,
) -> Engine:
    """An engine over the data, the packaged shapes and ecmgraph's validation report as at ``day``.

    The report is :func:`ecmgraph.validation.validate`'s, as ``ecmgraph validate --format turtle`` writes it, with
    each result's authority as ``dcterms:coverage`` (the authority the text report files it under). ecmgraph
    validates the data where it is (on the endpoint, or the local dataset, which validation leaves as it was), then
    reads the authorities the query needs (their kinds, names, regions, days, posts, holders and bodies) into a
    small store of their own with the ontology, the shapes and the report: the data is never copied whole (at
    national scale a copy would double the memory the query takes). Raises what validation raises (InputError
    for a date before 2004-11-15, EndpointError). ``report``, a validation of the same data as at ``day`` already
    made (by publish, say), is used instead of validating again.
    """
    copy = ox.Store()
    copy.load(path=str(resources.ontology_path()), format=ox.RdfFormat.TURTLE, to_graph=ox.NamedNode(ONTOLOGY_GRAPH))
    if endpoint is not None:
        remote = RemoteEngine(endpoint, timeout if timeout is not None else DEFAULT_TIMEOUT)
        report = report or validate(remote.endpoint, as_of=day)
        slice_: Iterable[ox.Triple] = remote.construct(_AUTHORITIES_SLICE)
        origin = ox.NamedNode(endpoint)
    else:
        if dataset is None:
            raise ValueError("give a dataset or an endpoint")
        report = report or validate(dataset, as_of=day)  # which leaves the dataset as it was
        slice_ = dataset.store.query(_AUTHORITIES_SLICE, use_default_graph_as_union=True)  # type: ignore[assignment]
        origin = ox.NamedNode(DATA_SLICE_GRAPH)
    copy.bulk_extend(ox.Quad(t.subject, t.predicate, t.object, origin) for t in slice_)
    shapes = ox.NamedNode(SHAPES_GRAPH)
    for path in shapes_files():
        copy.load(path=str(path), format=ox.RdfFormat.TURTLE, to_graph=shapes)
    graph = ox.NamedNode(REPORT_GRAPH + day.isoformat())
    copy.bulk_extend(ox.Quad(t.subject, t.predicate, t.object, graph) for t in report_triples(report))
    return LocalEngine(Dataset(store=copy))


#: The graph, in the compliance matrix's own store, of the authorities read from the local data.
