"""The ontology's documentation, as pyLODE or Widoco lay it out, in the site's look: ``doc/def/index.html``.

One page for the hash namespace ``…/def#`` (as the ontology is one document): the ontology's metadata (title,
version, licence, imports, the vocabularies it builds on, its namespaces and prefixes), a table of contents, and
a section per term, whose ``id`` is the term's local name (so ``…/def#Post`` is ``doc/def/index.html#Post``):
its label, IRI, definition and comment, its sources, its superclasses and subclasses, the properties it is the
domain or range of; for a property its domain, range, inverse and characteristics; and examples from the data
(a few instances linked to their pages, a statement that uses the property). Everything is read from the
ontology's graph, ``ontology/ecm.ttl`` as loaded, and the examples from the things of the site.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import pyoxigraph as ox

from ecmgraph.namespaces import DCTERMS, ECM, ONTOLOGY_GRAPH, OWL, PREFIXES, RDF, RDFS, SKOS
from ecmgraph.publish.model import SiteData, Thing
from ecmgraph.publish.pages import Pages, Viewer
from ecmgraph.publish.rdfdocs import prefixed
from ecmgraph.store import Dataset

#: The ontology's page: the document of the hash namespace ``…/def#``.
ONTOLOGY_PAGE = "doc/def/index.html"
#: How many instances of a class its section names.
EXAMPLES = 5

#: The kinds of term, in the order of the page: (section id, heading, the OWL class that makes a term one).
KINDS = (
    ("classes", "Classes", str(OWL.Class)),
    ("object-properties", "Object properties", str(OWL.ObjectProperty)),
    ("datatype-properties", "Datatype properties", str(OWL.DatatypeProperty)),
    ("annotation-properties", "Annotation properties", str(OWL.AnnotationProperty)),
    ("individuals", "Named individuals", ""),  # every other term: concepts, schemes, functions, roles
)
#: The characteristics of a property the page names, by the OWL class that gives them.
CHARACTERISTICS = {
    str(OWL.FunctionalProperty): "functional",
    str(OWL.InverseFunctionalProperty): "inverse functional",
    str(OWL.TransitiveProperty): "transitive",
    str(OWL.SymmetricProperty): "symmetric",
    str(OWL.AsymmetricProperty): "asymmetric",
    str(OWL.ReflexiveProperty): "reflexive",
    str(OWL.IrreflexiveProperty): "irreflexive",
}
_ECM = str(ECM)
_TYPE = str(RDF.type)


@dataclass(frozen=True)
class OntologyGraph:
    """The ontology's statements by subject (predicate -> objects, sorted), and those pointing to each term."""

    about: dict[str, dict[str, list[ox.NamedNode | ox.Literal]]]
    pointing: dict[str, dict[str, list[str]]]

    def values(self, subject: str, predicate: object) -> list[ox.NamedNode | ox.Literal]:
        return self.about.get(subject, {}).get(str(predicate), [])

    def iris(self, subject: str, predicate: object) -> list[str]:
        return [v.value for v in self.values(subject, predicate) if isinstance(v, ox.NamedNode)]

    def texts(self, subject: str, predicate: object) -> list[str]:
        return [v.value for v in self.values(subject, predicate) if isinstance(v, ox.Literal)]

    def subjects(self, predicate: object, value: str) -> list[str]:
        return self.pointing.get(value, {}).get(str(predicate), [])


def read_ontology(dataset: Dataset) -> OntologyGraph:
    """The statements of the ontology's graph (blank nodes left out: the ontology has none)."""
    about: dict[str, dict[str, list[ox.NamedNode | ox.Literal]]] = defaultdict(lambda: defaultdict(list))
    pointing: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    for quad in dataset.store.quads_for_pattern(None, None, None, ox.NamedNode(ONTOLOGY_GRAPH)):
        subject, value = quad.subject, quad.object
        if not isinstance(subject, ox.NamedNode) or not isinstance(value, ox.NamedNode | ox.Literal):
            continue
        about[subject.value][quad.predicate.value].append(value)
        if isinstance(value, ox.NamedNode):
            pointing[value.value][quad.predicate.value].append(subject.value)
    for predicates in about.values():
        for found in predicates.values():
            found.sort(key=str)
    for predicates2 in pointing.values():
        for found2 in predicates2.values():
            found2.sort()
    return OntologyGraph(
        {s: dict(p) for s, p in about.items()},
        {o: dict(p) for o, p in pointing.items()},
    )


def terms_by_kind(graph: OntologyGraph) -> dict[str, list[str]]:
    """The ontology's own terms (``ecm:``), by kind of :data:`KINDS` (each term in the first that fits)."""
    out: dict[str, list[str]] = {kind: [] for kind, _, _ in KINDS}
    for iri in sorted(graph.about):
        if not iri.startswith(_ECM) or len(iri) == len(_ECM):
            continue
        types = set(graph.iris(iri, RDF.type))
        kind = next((k for k, _, owl in KINDS if owl in types or not owl), "individuals")
        out[kind].append(iri)
    return out


def ontology_page(dataset: Dataset, site: SiteData, pages: Pages) -> bytes:
    """The ontology's documentation page (:data:`ONTOLOGY_PAGE`)."""
    graph = read_ontology(dataset)
    view = _OntologyView(graph, site, Viewer(site, ONTOLOGY_PAGE))
    kinds = terms_by_kind(graph)
    sections = [
        {"id": kind, "title": title, "terms": [view.term(iri, kind) for iri in kinds[kind]]}
        for kind, title, _ in KINDS
        if kinds[kind]
    ]
    ontology = ONTOLOGY_GRAPH
    title = (graph.texts(ontology, DCTERMS.title) or ["The ecmgraph ontology"])[0]
    return pages.render(
        "ontology.html",
        ONTOLOGY_PAGE,
        title,
        ontology=view.metadata(ontology),
        description=graph.texts(ontology, DCTERMS.description),
        sections=sections,
        namespaces=_namespaces(graph),
    ).encode()


def _namespaces(graph: OntologyGraph) -> list[dict[str, str]]:
    """The prefixes of the namespaces the ontology's statements use, as in ecmgraph's one prefix table."""
    used: set[str] = set()
    for subject, predicates in graph.about.items():
        used.add(subject)
        for predicate, values in predicates.items():
            used.add(predicate)
            used.update(v.value for v in values if isinstance(v, ox.NamedNode))
    rows = [
        {"prefix": prefix, "iri": namespace}
        for prefix, namespace in PREFIXES.items()
        if any(iri.startswith(namespace) for iri in used)
    ]
    return sorted(rows, key=lambda r: r["prefix"])


class _OntologyView:
    """The ontology's terms as the template shows them."""

    def __init__(self, graph: OntologyGraph, site: SiteData, viewer: Viewer) -> None:
        self.graph = graph
        self.site = site
        self.viewer = viewer
        self.instances = _instances(site)
        self.uses, self.examples = _statements_using(site)

    def link(self, iri: str) -> dict[str, Any]:
        """An IRI linked to its section of this page where it is a term of the ontology, else as elsewhere."""
        out = self.viewer.iri(iri)
        if iri.startswith(_ECM) and iri in self.graph.about:
            out["href"] = "#" + iri[len(_ECM) :]
            out["text"] = prefixed(iri) or iri
        elif not iri.startswith(_ECM) and out["text"] == iri:
            out["text"] = prefixed(iri) or iri
        return out

    def links(self, iris: Sequence[str]) -> list[dict[str, Any]]:
        return [self.link(i) for i in sorted(set(iris), key=lambda i: (prefixed(i) or i).lower())]

    def metadata(self, ontology: str) -> list[dict[str, Any]]:
        g = self.graph
        literal = {"href": None, "iri": "", "external": None, "note": ""}
        rows: list[tuple[str, list[dict[str, Any]]]] = [
            ("IRI", [{**literal, "text": ontology}]),
            ("Version IRI", [{**literal, "text": i} for i in g.iris(ontology, OWL.versionIRI)]),
            ("Version", [{**literal, "text": t} for t in g.texts(ontology, OWL.versionInfo)]),
            ("Creator", [{**literal, "text": t} for t in g.texts(ontology, DCTERMS.creator)]),
            ("Created", [{**literal, "text": t} for t in g.texts(ontology, DCTERMS.created)]),
            ("Licence", [_external(i) for i in g.iris(ontology, DCTERMS.license)]),
            ("Sources", [self.viewer.iri(i) for i in g.iris(ontology, DCTERMS.source)]),
            (
                "Imports",
                [self.link(i) for i in g.iris(ontology, OWL.imports)]
                or [{**literal, "text": "none: nothing is fetched (the vocabularies it builds on are below)"}],
            ),
            ("Builds on", [{**self.link(i), "text": i} for i in g.iris(ontology, DCTERMS.requires)]),
        ]
        return [{"name": name, "values": values} for name, values in rows if values]

    def term(self, iri: str, kind: str) -> dict[str, Any]:
        g = self.graph
        local = iri[len(_ECM) :]
        facts: list[tuple[str, list[dict[str, Any]]]] = []
        if kind == "classes":
            facts += [
                ("Superclasses", self.links(g.iris(iri, RDFS.subClassOf))),
                ("Subclasses", self.links(g.subjects(RDFS.subClassOf, iri))),
                ("Equivalent classes", self.links(g.iris(iri, OWL.equivalentClass))),
                ("Disjoint with", self.links(g.iris(iri, OWL.disjointWith) + g.subjects(OWL.disjointWith, iri))),
                ("In the domain of", self.links(g.subjects(RDFS.domain, iri))),
                ("In the range of", self.links(g.subjects(RDFS.range, iri))),
            ]
        elif kind != "individuals":
            characteristics = [CHARACTERISTICS[t] for t in g.iris(iri, RDF.type) if t in CHARACTERISTICS]
            facts += [
                ("Characteristics", [_words(", ".join(sorted(characteristics)))] if characteristics else []),
                ("Domain", self.links(g.iris(iri, RDFS.domain))),
                ("Range", self.links(g.iris(iri, RDFS.range))),
                ("Inverse of", self.links(g.iris(iri, OWL.inverseOf) + g.subjects(OWL.inverseOf, iri))),
                ("Superproperties", self.links(g.iris(iri, RDFS.subPropertyOf))),
                ("Subproperties", self.links(g.subjects(RDFS.subPropertyOf, iri))),
            ]
        else:
            facts.append(("Kind", self.links(g.iris(iri, RDF.type))))
        facts += [
            ("Also called", [_words(t) for t in sorted(set(g.texts(iri, SKOS.altLabel)))]),
            ("Close match", self.links(g.iris(iri, SKOS.closeMatch) + g.iris(iri, SKOS.exactMatch))),
            ("Sources", [self.viewer.iri(i) for i in g.iris(iri, DCTERMS.source)]),
        ]
        labels = g.texts(iri, RDFS.label) or g.texts(iri, SKOS.prefLabel)
        page = self.site.page_of(iri)
        return {
            "id": local,
            "label": labels[0] if labels else local,
            "prefixed": f"ecm:{local}",
            "iri": iri,
            "page": self.viewer.iri(iri)["href"] if page else None,
            "definitions": g.texts(iri, SKOS.definition),
            "comments": g.texts(iri, RDFS.comment),
            "facts": [{"name": name, "values": values} for name, values in facts if values],
            "examples": self._examples(iri, kind),
        }

    def _examples(self, iri: str, kind: str) -> dict[str, Any] | None:
        """Instances of a class, or a statement that uses a property, from the published data."""
        if kind == "classes":
            things = self.instances.get(iri, [])
            return {
                "count": len(things),
                "things": [self.viewer.iri(t.iri) for t in things[:EXAMPLES]],
                "statement": None,
            }
        if kind in ("object-properties", "datatype-properties", "annotation-properties"):
            example = self.examples.get(iri)
            statement = None
            if example is not None:
                thing, value = example
                statement = {"subject": self.viewer.iri(thing.iri), "value": self.viewer.value(value)}
            return {"count": self.uses.get(iri, 0), "things": [], "statement": statement}
        return None


def _words(text: str) -> dict[str, Any]:
    return {"text": text, "href": None, "iri": "", "external": None, "note": ""}


def _external(iri: str) -> dict[str, Any]:
    return {"text": iri, "href": iri, "iri": "", "external": None, "note": ""}


def _instances(site: SiteData) -> dict[str, list[Thing]]:
    """The things of the site by each class they are stated to be of, sorted by label."""
    out: dict[str, list[Thing]] = defaultdict(list)
    for thing in site.things.values():
        for kind in thing.types:
            if kind.startswith(_ECM):
                out[kind].append(thing)
    for things in out.values():
        things.sort(key=lambda t: (t.label.lower(), t.iri))
    return out


def _statements_using(site: SiteData) -> tuple[dict[str, int], dict[str, tuple[Thing, Any]]]:
    """How many statements of the site use each ``ecm:`` property, and one of them (of the thing first by IRI)."""
    counts: dict[str, int] = defaultdict(int)
    first: dict[str, tuple[Thing, Any]] = {}
    for thing in site.things.values():
        for statement in thing.statements:
            predicate = statement.predicate
            if predicate.startswith(_ECM) and predicate != _TYPE:
                counts[predicate] += 1
                if predicate not in first and not isinstance(statement.value, ox.BlankNode):
                    first[predicate] = (thing, statement.value)
    return dict(counts), first
