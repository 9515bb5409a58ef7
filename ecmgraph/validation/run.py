"""A validation: date the shapes, prepare the data, run an engine, assemble the report.

The caller's data is never changed: what preparing writes into a local dataset (the normalisation's links, the
merge of its graphs, entailments asked for) is taken out again when the validation ends, and a dataset that
cannot be cleaned that way (read-only, or already holding graphs of those names) is validated in a copy.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Sequence
from contextlib import contextmanager

import pyoxigraph as ox
import rdflib

from ecmgraph.endpoint import Endpoint
from ecmgraph.engines import Engine, LocalEngine, RemoteEngine
from ecmgraph.errors import BreachesFound, InputError
from ecmgraph.inference import to_rdflib, with_entailments
from ecmgraph.namespaces import ENTAILED_GRAPH, INFERRED_GRAPH, ONTOLOGY_GRAPH, PROVENANCE_GRAPH
from ecmgraph.normalise import normalise, require_normalised
from ecmgraph.store import Dataset, default_paths, source_iri
from ecmgraph.validation.catalogue import (
    ENGINES,
    INFERENCE,
    Catalogue,
    check_as_of,
    dated_shapes,
    load_shapes,
)
from ecmgraph.validation.compile import run_shapes
from ecmgraph.validation.reference import run_pyshacl
from ecmgraph.validation.report import ONLY, ValidationReport, assemble


def validate(
    source: Dataset | Endpoint,
    *,
    as_of: dt.date,
    rules: Sequence[str] = (),
    ignore: Sequence[str] = (),
    engine: str = "ecmgraph",
    inference: str = "none",
    only: str | None = None,
    catalogue: Catalogue | None = None,
    shapes: rdflib.Graph | None = None,
    all_authorities: bool = False,
) -> ValidationReport:
    """Validate a loaded dataset, or the data of a remote endpoint, as at ``as_of``; return the report.

    Raises InputError for a date before 2004-11-15, inference asked of an endpoint, or an endpoint that lacks the
    ontology or the links :mod:`ecmgraph.normalise` adds locally (its results would be wrong), UnknownName for an
    unknown rule id, EndpointError when the endpoint fails, ShapeError for a shape the engine cannot run.

    A dataset loaded with reference data beside the user's files (:mod:`ecmgraph.background`) has a ``scope``:
    only the authorities those files describe are judged, unless ``all_authorities``.
    """
    check_as_of(as_of)
    if engine not in ENGINES:
        raise InputError(f"unknown engine {engine!r}", hint=f"use one of {', '.join(ENGINES)}")
    if inference not in INFERENCE:
        raise InputError(f"unknown inference {inference!r}", hint=f"use one of {', '.join(INFERENCE)}")
    if only is not None and only not in ONLY:
        raise InputError(f"unknown finding kind {only!r}", hint="use breaches or gaps")
    shapes = shapes if shapes is not None else load_shapes()
    catalogue = catalogue or Catalogue.from_graph(shapes)
    chosen = catalogue.select(rules, ignore)
    dated = dated_shapes(shapes, catalogue, as_of, chosen)
    if isinstance(source, Endpoint):
        if inference != "none":
            raise InputError(
                "--inference runs on data ecmgraph loads itself, not on a remote endpoint",
                hint="run the inference where the data lives, or leave out --inference",
            )
        remote = RemoteEngine(source.url, source.timeout)
        require_normalised(remote)  # ecmgraph never writes to an endpoint: its data must be normalised already
        raw = run_shapes(dated, remote) if engine == "ecmgraph" else run_pyshacl(_remote_rdflib(remote), dated)
        return assemble(
            raw,
            catalogue,
            remote,
            as_of=as_of,
            engine=engine,
            inference=inference,
            rules=chosen,
            only=only,
            source=source.url,
        )
    scope = None if all_authorities else source.scope  # the user's authorities, beside reference data
    with prepared(source, inference) as ready:
        where = validation_engine(ready)
        raw = run_shapes(dated, where) if engine == "ecmgraph" else run_pyshacl(_local_rdflib(ready), dated)
        return assemble(
            raw,
            catalogue,
            where,
            scope=scope,
            as_of=as_of,
            engine=engine,
            inference=inference,
            rules=chosen,
            only=only,
            source=_describe(ready),
        )


_MERGE = "INSERT { ?s ?p ?o } WHERE { GRAPH ?g { ?s ?p ?o } }"


def validation_engine(dataset: Dataset) -> Engine:
    """The engine the constraint queries run on, over a dataset :func:`prepare` made ready: the merge of its graphs,
    each triple once. That is its default graph when :func:`prepare` wrote one there (data from several sources),
    otherwise the union of its named graphs, which is then the same set of triples."""
    merged = next(iter(dataset.store.quads_for_pattern(None, None, None, ox.DefaultGraph())), None)
    return LocalEngine(dataset, union=merged is None)


@contextmanager
def prepared(dataset: Dataset, inference: str = "none") -> Iterator[Dataset]:
    """:func:`prepare` the dataset for the time of a ``with`` block, then leave it as it was.

    The graphs preparing adds are removed afterwards, and the default graph emptied again; a dataset whose
    store cannot be written, or that already holds the graphs preparing writes (so that removing them would take
    the caller's triples too), is prepared in a copy instead.
    """
    store = dataset.store
    ours = {ox.NamedNode(ENTAILED_GRAPH), ox.NamedNode(INFERRED_GRAPH)}
    before = set(store.named_graphs())
    if before & ours or not _graph_is_empty(store, ox.DefaultGraph()) or not _writable(store):
        yield prepare(_copy(dataset), inference)
        return
    try:
        yield prepare(dataset, inference)
    finally:
        for graph in set(store.named_graphs()) - before:
            store.remove_graph(graph)
        store.clear_graph(ox.DefaultGraph())


def _graph_is_empty(store: ox.Store, graph: ox.NamedNode | ox.DefaultGraph) -> bool:
    return next(iter(store.quads_for_pattern(None, None, None, graph)), None) is None


def _writable(store: ox.Store) -> bool:
    try:
        store.extend([])  # cheap probe: raises on a read-only store
    except (OSError, RuntimeError):  # pyoxigraph: "Transaction are only possible on read-write instances"
        return False
    return True


def _copy(dataset: Dataset) -> Dataset:
    copy = ox.Store()
    copy.bulk_extend(dataset.store)
    return Dataset(store=copy, sources=list(dataset.sources))


def prepare(dataset: Dataset, inference: str = "none") -> Dataset:
    """The dataset ready to validate: inference if asked, :func:`ecmgraph.normalise.normalise`, then, when the data
    came from more than one source, the merge of all its graphs written into its default graph, which the
    validation queries then read (:func:`validation_engine`).

    Why the merge: pyoxigraph's union of named graphs is a multiset (a triple stated in five graphs matches five
    times), so joins over seed data with one graph per paragraph, or over fixtures that repeat each other's
    triples, multiply. Data from one source (a national N-Triples file, say) needs no merge: its graph, the
    ontology's and the normalisation's share no triple, so their union is already a set, and not copying it
    halves the memory validation takes. A read-only store (``--store DIR``) is copied into memory first. An
    in-memory dataset is extended in place: :func:`prepared` undoes that.
    """
    writable = dataset if _writable(dataset.store) else _copy(dataset)
    if inference != "none":
        with_entailments(writable, inference, INFERRED_GRAPH)
    normalise(writable)
    if len(_data_graphs(writable)) > 1:
        writable.store.update(_MERGE)
    return writable


def _data_graphs(dataset: Dataset) -> set[str]:
    """The named graphs of the data itself: not the ontology's, the provenance's, or those ecmgraph entails."""
    ours = {ONTOLOGY_GRAPH, PROVENANCE_GRAPH, ENTAILED_GRAPH, INFERRED_GRAPH}
    return {g.value for g in dataset.store.named_graphs()} - ours


def _describe(dataset: Dataset) -> str:
    packaged = {source_iri(p) for p in default_paths()}
    own = [s for s in dataset.sources if s.iri != ONTOLOGY_GRAPH and not s.background]
    if own and {s.iri for s in own} == packaged:
        return "packaged data"
    label = ", ".join(s.label for s in own) or "no data"
    return label + " (with the packaged reference data)" if any(s.background for s in dataset.sources) else label


def _local_rdflib(dataset: Dataset) -> rdflib.Graph:
    """The local union (less provenance) as one rdflib graph, for pySHACL."""
    return to_rdflib(dataset)


def _remote_rdflib(engine: RemoteEngine) -> rdflib.Graph:
    """The endpoint's triples as one rdflib graph, for pySHACL."""
    triples = engine.construct("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }")
    graph = rdflib.Graph()
    if triples:
        graph.parse(data=ox.serialize(sorted(triples, key=str), format=ox.RdfFormat.N_TRIPLES), format="nt")
    return graph


def refuse_breaches(report: ValidationReport, *, refused: str) -> None:
    """Raise BreachesFound (exit code 1, with ``report``) when the report has breaches: the gate of publish and
    push, which refuse such data unless told --allow-breaches. ``refused`` says what was not done ("nothing
    published")."""
    if report.breaches:
        count = len(report.breaches)
        raise BreachesFound(
            f"the data has {count} breach{'es' if count != 1 else ''} of the rules as at {report.as_of.isoformat()}: "
            f"{refused}",
            hint="correct the data, or go ahead with its breaches using --allow-breaches",
            report=report,
        )
