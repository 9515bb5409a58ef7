"""What a published site shows, read from the data once: the things with pages, their statements and sources.

A *thing* is a subject with a label whose IRI is ecmgraph's (``https://w3id.org/ecmgraph/id/X``: its page is
``doc/X.html``), a term of ecmgraph's ontology (``…/def#X``: ``doc/def/X.html``; the statutory functions, the
outcomes, the classes and properties) or legislation.gov.uk's (``http://www.legislation.gov.uk/id/X``:
``doc/legislation/X.html``).
Every statement is read with the named graph that holds it, and so with its source, as the ``fact-sources``
query finds it: the source paragraph whose graph holds it (with its document's file name and reference), else
the file that holds it. The data is read in a few bulk queries, never one query per thing.
"""

from __future__ import annotations

import contextlib
import gc
import hashlib
import re
from collections import defaultdict
from collections.abc import Collection, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

import pyoxigraph as ox

from ecmgraph.namespaces import (
    DCTERMS,
    ECM,
    ECMID,
    FOAF,
    LEG,
    ONTOLOGY_GRAPH,
    PROV,
    PROVENANCE_GRAPH,
    RDF,
    RDFS,
    SKOS,
    sparql_prologue,
)
from ecmgraph.publish.rdfdocs import prefixed
from ecmgraph.store import Dataset

_RDF_TYPE = str(RDF.type)

Term = ox.NamedNode | ox.BlankNode | ox.Literal
#: A subject or object that is not a literal.
Node = ox.NamedNode | ox.BlankNode

_LABELS = (str(SKOS.prefLabel), str(RDFS.label), str(FOAF.name), str(DCTERMS.title))
#: Path segments that are safe as file and folder names everywhere (and need no escaping in a URL).
_SAFE_SEGMENT = re.compile(r"[A-Za-z0-9][A-Za-z0-9._~-]*")
_ID = str(ECMID)
_LEG = str(LEG)
_ECM = str(ECM)
#: The folders of ``doc/`` that hold pages of IRIs outside ``ecmid:``, and of IRIs that need a digest.
_OTHER_FOLDERS = ("def", "legislation", "_")


@dataclass(frozen=True)
class Source:
    """Where a statement comes from: the graph that holds it, named as people read it."""

    graph: str
    label: str  # "seed003 §3.5" or "england.ttl"
    file: str | None = None  # the source document's file name, for a source paragraph
    paragraph: str | None = None  # "§3.5"
    data_file: str | None = None  # the data file the graph was loaded from


@dataclass(frozen=True)
class Statement:
    """One statement about a thing (or, in ``nested``, about a blank node it points to), with its sources."""

    predicate: str
    value: Term
    sources: tuple[Source, ...]
    nested: tuple[Statement, ...] = ()


@dataclass(frozen=True)
class Thing:
    """A subject with a page: its IRI, label, site path (``authority/E10000028``), kinds and statements."""

    iri: str
    label: str
    path: str
    category: str  # the first segment of its path: authority, post, person, body, source, legislation…
    types: tuple[str, ...]
    statements: tuple[Statement, ...]
    #: Statements of other things that point to this one: (subject, predicate, sources).
    referenced_by: tuple[tuple[str, str, tuple[Source, ...]], ...] = ()

    @property
    def page(self) -> str:
        """The site path of its HTML page."""
        return f"doc/{self.path}.html"


@dataclass
class SiteData:
    """Everything the pages, documents and dumps are made from."""

    things: dict[str, Thing]
    labels: dict[str, str]
    #: The triples of each thing's description (its statements, and those of the blank nodes it points to).
    descriptions: dict[str, list[ox.Triple]] = field(default_factory=dict)
    #: The statements of the subjects without a page that point to a thing (a tenure, a membership), which the
    #: thing's page shows where it lists them.
    details: dict[str, tuple[Statement, ...]] = field(default_factory=dict)
    #: What the pages of a folder show for an IRI, by (folder, IRI): kept by ``pages.Viewer``.
    views: dict[tuple[str, str], dict[str, Any]] = field(default_factory=dict, repr=False, compare=False)

    def label(self, iri: str) -> str:
        """The label of an IRI, else its prefixed name, else the IRI itself."""
        return self.labels.get(iri) or prefixed(iri) or iri

    def page_of(self, iri: str) -> str | None:
        """The site path of the page of an IRI, if it has one."""
        thing = self.things.get(iri)
        return thing.page if thing else None


def site_path(iri: str) -> str | None:
    """The path under ``doc/`` of the page of a thing's IRI (``authority/E10000028``), None for an IRI with none.

    An IRI whose path is not made of safe segments (letters, digits, ``. _ ~ -``) gets a path from its digest.
    """
    if iri.startswith(_ID):
        rest, folder = iri[len(_ID) :], ""
        if rest.split("/", 1)[0] in _OTHER_FOLDERS:  # would share a folder with the other namespaces' pages
            return f"_/{hashlib.sha256(iri.encode()).hexdigest()[:20]}"
    elif iri.startswith(_ECM):
        rest, folder = iri[len(_ECM) :], "def/"
    elif iri.startswith(_LEG):
        rest, folder = iri[len(_LEG) :], "legislation/"
    else:
        return None
    if not rest:
        return None
    if all(_SAFE_SEGMENT.fullmatch(s) and not s.endswith(".") for s in rest.split("/")):
        return folder + rest
    return f"{folder}_/{hashlib.sha256(iri.encode()).hexdigest()[:20]}"


@contextlib.contextmanager
def cycles_left_alone() -> Iterator[None]:
    """Python's cycle collector paused: reading a site makes millions of small objects (dictionaries, sets,
    tuples) and no cycles, and each full collection walks them all (half the time of :func:`read_site` on a
    tenth of England, more on all of it). It runs again as before once the block ends."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def read_site(dataset: Dataset) -> SiteData:
    """Read the things, labels, statements and sources of ``dataset``."""
    with cycles_left_alone():
        return _read_site(dataset)


def _read_site(dataset: Dataset) -> SiteData:
    labels = _labels(dataset)
    sources = _sources(dataset, labels)
    types: dict[str, set[str]] = defaultdict(set)
    outgoing: dict[Node, dict[tuple[str, Term], set[str]]] = defaultdict(lambda: defaultdict(set))
    incoming: dict[str, dict[tuple[str, str], set[str]]] = defaultdict(lambda: defaultdict(set))
    for quad in dataset.store.quads_for_pattern(None, None, None, None):
        graph = quad.graph_name
        if not isinstance(graph, ox.NamedNode) or graph.value == PROVENANCE_GRAPH:
            continue
        subject, predicate, value = quad.subject, quad.predicate.value, quad.object
        if graph.value == ONTOLOGY_GRAPH and isinstance(subject, ox.NamedNode) and not subject.value.startswith(_ECM):
            continue  # the ontology's own header: its terms have pages, the ontology is their document
        if isinstance(subject, ox.Triple) or isinstance(value, ox.Triple):
            continue
        outgoing[subject][(predicate, value)].add(graph.value)
        if predicate == _RDF_TYPE and isinstance(subject, ox.NamedNode):
            types[subject.value].add(value.value)
        if isinstance(value, ox.NamedNode) and isinstance(subject, ox.NamedNode):
            incoming[value.value][(subject.value, predicate)].add(graph.value)
    things: dict[str, Thing] = {}
    descriptions: dict[str, list[ox.Triple]] = {}
    for subject in outgoing:
        if not isinstance(subject, ox.NamedNode) or subject.value not in labels:
            continue
        path = site_path(subject.value)
        if path is None:
            continue
        triples: list[ox.Triple] = []
        statements = _statements(subject, outgoing, sources, triples, set())
        descriptions[subject.value] = triples
        things[subject.value] = Thing(
            iri=subject.value,
            label=labels[subject.value],
            path=path,
            category=path.split("/", 1)[0],
            types=tuple(sorted(types.get(subject.value, ()))),
            statements=statements,
            referenced_by=tuple(
                (s, p, _source_list(gs, sources))
                for (s, p), gs in sorted(incoming.get(subject.value, {}).items())
                if s != subject.value
            ),
        )
    details = {}
    for thing in things.values():
        for referrer, _, _ in thing.referenced_by:
            if referrer not in things and referrer not in details:
                details[referrer] = _statements(ox.NamedNode(referrer), outgoing, sources, [], set())
    return SiteData(things=dict(sorted(things.items())), labels=labels, descriptions=descriptions, details=details)


def _statements(
    subject: Node,
    outgoing: Mapping[Node, Mapping[tuple[str, Term], set[str]]],
    sources: Mapping[str, Source],
    triples: list[ox.Triple],
    seen: set[Node],
) -> tuple[Statement, ...]:
    """The statements of ``subject``, sorted, with those of the blank nodes they point to nested (once each)."""
    seen.add(subject)
    out = []
    for (predicate, value), graphs in sorted(outgoing.get(subject, {}).items(), key=lambda kv: _sort_key(kv[0])):
        triples.append(ox.Triple(subject, ox.NamedNode(predicate), value))
        nested: tuple[Statement, ...] = ()
        if isinstance(value, ox.BlankNode) and value not in seen:
            nested = _statements(value, outgoing, sources, triples, seen)
        out.append(Statement(predicate, value, _source_list(graphs, sources), nested))
    return tuple(out)


def _sort_key(pair: tuple[str, Term]) -> tuple[int, str, str]:
    predicate, value = pair
    first = 0 if predicate == _RDF_TYPE else 1 if predicate in _LABELS else 2
    return (first, predicate, "" if isinstance(value, ox.BlankNode) else str(value))


def _source_list(graphs: Collection[str], sources: Mapping[str, Source]) -> tuple[Source, ...]:
    if len(graphs) == 1:  # most statements: nothing to sort
        (graph,) = graphs
        return (_source_of(graph, sources),)
    return tuple(sorted((_source_of(g, sources) for g in graphs), key=_source_key))


def _source_of(graph: str, sources: Mapping[str, Source]) -> Source:
    """The source of a graph, or one named after the graph's last segment where the data describes none."""
    return sources.get(graph) or Source(graph, graph.rsplit("/", 1)[-1] or graph)


def _source_key(source: Source) -> tuple[str, str]:
    return (source.label.lower(), source.graph)


def _labels(dataset: Dataset) -> dict[str, str]:
    """One label per IRI: an English or plain skos:prefLabel, else rdfs:label, else foaf:name, else dcterms:title (the least,
    where there are several, so that the choice never depends on the order of the store)."""
    found: dict[str, dict[int, str]] = defaultdict(dict)
    query = sparql_prologue() + (
        "SELECT ?s ?p ?l WHERE { VALUES ?p { skos:prefLabel rdfs:label foaf:name dcterms:title } ?s ?p ?l "
        'FILTER(isIRI(?s) && isLITERAL(?l) && (LANG(?l) = "" || LANGMATCHES(LANG(?l), "en"))) }'
    )
    for row in dataset.select(query):
        rank = _LABELS.index(row["p"].value)
        text = " ".join(row["l"].value.split())
        held = found[row["s"].value].get(rank)
        if held is None or text < held:
            found[row["s"].value][rank] = text
    return {iri: ranks[min(ranks)] for iri, ranks in sorted(found.items())}


def _sources(dataset: Dataset, labels: Mapping[str, str]) -> dict[str, Source]:
    """Every named graph as a source: a source paragraph with its reference and document's file name, else the
    data file it was loaded from."""
    files: dict[str, str] = {}
    derived: dict[str, str] = {}
    provenance = ox.NamedNode(PROVENANCE_GRAPH)
    for quad in dataset.store.quads_for_pattern(None, ox.NamedNode(RDFS.label), None, provenance):
        if isinstance(quad.subject, ox.NamedNode) and isinstance(quad.object, ox.Literal):
            files[quad.subject.value] = quad.object.value.replace("\\", "/").rsplit("/", 1)[-1]
    derivation = ox.NamedNode(str(PROV) + "wasDerivedFrom")
    for quad in dataset.store.quads_for_pattern(None, derivation, None, provenance):
        if isinstance(quad.subject, ox.NamedNode) and isinstance(quad.object, ox.NamedNode):
            derived[quad.subject.value] = quad.object.value
    paragraphs = {
        row["p"].value: (
            row["ref"].value if row["ref"] else None,
            row["file"].value if row["file"] else None,
        )
        for row in dataset.select(
            sparql_prologue()
            + """SELECT ?p (SAMPLE(?r) AS ?ref) (SAMPLE(?f) AS ?file) WHERE {
  ?p a ecm:SourceParagraph .
  OPTIONAL { ?p ecm:paragraphRef ?r }
  OPTIONAL { ?p dcterms:isPartOf ?d . ?d a ecm:SourceDocument ; ecm:seedFile ?f }
} GROUP BY ?p"""
        )
    }
    out: dict[str, Source] = {}
    for graph in {*files, *derived}:
        data_file = files.get(derived.get(graph, graph))
        if graph in paragraphs:
            ref, file = paragraphs[graph]
            out[graph] = Source(graph, labels.get(graph, graph), file, ref, data_file)
        else:
            out[graph] = Source(graph, data_file or graph, None, None, data_file)
    return out


#: The kinds of thing the pages show, for the things' types (most specific first).
CATEGORY_TITLES = {
    "authority": "Authority",
    "post": "Post",
    "person": "Person",
    "body": "Body",
    "org": "Organisation",
    "topic": "Topic",
    "responsibility": "Responsibility",
    "source": "Source",
    "region": "Region",
    "legislation": "Legislation",
    "def": "Ontology term",
}


def category_title(category: str) -> str:
    """The kind of thing a category of pages holds, in words: "Authority", "Ontology term", "Plan"."""
    return CATEGORY_TITLES.get(category, category[:1].upper() + category[1:])


#: The ontology's classes of authority, for the index's tiers.
AUTHORITY_CLASSES = (
    str(ECM.CountyCouncil),
    str(ECM.UnitaryAuthority),
    str(ECM.MetropolitanDistrictCouncil),
    str(ECM.LondonBoroughCouncil),
    str(ECM.SuiGenerisAuthority),
    str(ECM.DistrictCouncil),
)
