"""What a loaded dataset holds: triples and graphs, authorities, posts, people and bodies by kind, per source."""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass, field

import pyoxigraph as ox

from ecmgraph.namespaces import ENTAILED_GRAPH, ONTOLOGY_GRAPH, PROVENANCE_GRAPH, RDF, XSD, sparql_prologue
from ecmgraph.results import Table, Term, term_value
from ecmgraph.sparql_text import run_query
from ecmgraph.store import Dataset, Source, read_source

_RDF_TYPE = ox.NamedNode(RDF.type)


@dataclass(frozen=True)
class KindCount:
    """How many things of one kind (a class of the ontology) the data holds."""

    kind: str
    label: str
    count: int


@dataclass(frozen=True)
class SourceStats:
    """What one loaded source added."""

    source: str
    iri: str
    format: str
    graphs: int
    triples: int
    authorities: int
    posts: int
    people: int
    bodies: int


@dataclass
class Stats:
    """The figures ``ecmgraph stats`` prints."""

    triples: int
    quads: int
    graphs: int
    as_of: str
    childrens_services_authorities: int
    district_councils: int
    authorities: list[KindCount] = field(default_factory=list)
    posts: list[KindCount] = field(default_factory=list)
    people: int = 0
    bodies: list[KindCount] = field(default_factory=list)
    described_authorities: list[str] = field(default_factory=list)
    sources: list[SourceStats] = field(default_factory=list)

    def to_dict(self) -> dict[str, object]:
        """A JSON-ready dictionary with stable keys."""
        return asdict(self)


# The leaf kinds of things of a top class, with their labels; a thing typed with a kind and its superclass
# counts once, under the most specific kind.
_KINDS = """
SELECT ?kind (SAMPLE(?l) AS ?label) (COUNT(DISTINCT ?x) AS ?n) WHERE {{
  ?x a ?kind .
  ?kind rdfs:subClassOf* {top} .
  FILTER(STRSTARTS(STR(?kind), STR(ecm:)))
  MINUS {{ ?x a ?narrower . ?narrower rdfs:subClassOf+ ?kind . FILTER(STRSTARTS(STR(?narrower), STR(ecm:))) }}
  OPTIONAL {{ ?kind rdfs:label ?l }}
}} GROUP BY ?kind ORDER BY DESC(?n) ?kind
"""

_AUTHORITIES_ON = """
SELECT (COUNT(DISTINCT ?a) AS ?n) WHERE {{
  ?a a ?kind . ?kind rdfs:subClassOf* {top} .
  OPTIONAL {{ ?a ecm:startDate ?start }}
  OPTIONAL {{ ?a ecm:endDate ?end }}
  FILTER(!BOUND(?start) || ?start <= ?date)
  FILTER(!BOUND(?end) || ?end >= ?date)
}}
"""

# Authorities that the data describes beyond the reference table: they have posts or bodies of their own.
_DESCRIBED = """
SELECT DISTINCT ?a (SAMPLE(?l) AS ?label) WHERE {
  { ?post org:postIn ?a } UNION { ?body ecm:bodyOf ?a }
  ?a a ?kind . ?kind rdfs:subClassOf* ecm:Authority .
  OPTIONAL { ?a rdfs:label ?l }
} GROUP BY ?a ORDER BY ?label ?a
"""

# Every class of each category: the top class and everything under it.
_CATEGORY_CLASSES = """
SELECT ?category ?c WHERE {
  VALUES (?top ?category) { (ecm:Authority "authorities") (org:Post "posts") (foaf:Person "people")
                            (org:Organization "organisations") }
  ?c rdfs:subClassOf* ?top .
}
"""


def _table(dataset: Dataset, query: str, **subs: ox.Literal | ox.NamedNode) -> Table:
    result = run_query(dataset, sparql_prologue() + query, source="<stats>", bindings=subs or None)
    assert isinstance(result, Table)
    return result


def _text(term: Term | None) -> str:
    return term_value(term) if term is not None else ""


def _int(term: object) -> int:
    return int(term.value) if isinstance(term, ox.Literal) else 0


def _kinds(dataset: Dataset, top: str) -> list[KindCount]:
    rows = _table(dataset, _KINDS.format(top=top)).rows
    return [
        KindCount(kind=_text(r[0]), label=_text(r[1]) or _text(r[0]), count=_int(r[2]))
        for r in rows
        if isinstance(r[0], ox.NamedNode)
    ]


def dataset_stats(dataset: Dataset, as_of: dt.date | None = None) -> Stats:
    """Count what ``dataset`` holds; authorities in existence are counted as at ``as_of`` (default today)."""
    day = as_of or dt.date.today()
    date = ox.Literal(day.isoformat(), datatype=ox.NamedNode(XSD.date))
    internal = {PROVENANCE_GRAPH, ENTAILED_GRAPH}
    data_quads = [
        q for q in dataset.store if not (isinstance(q.graph_name, ox.NamedNode) and q.graph_name.value in internal)
    ]
    graphs = {q.graph_name for q in data_quads}
    stats = Stats(
        triples=len({q.triple for q in data_quads}),
        quads=len(data_quads),
        graphs=len(graphs),
        as_of=day.isoformat(),
        childrens_services_authorities=_int(
            _table(dataset, _AUTHORITIES_ON.format(top="ecm:ChildrensServicesAuthority"), date=date).rows[0][0]
        ),
        district_councils=_int(
            _table(dataset, _AUTHORITIES_ON.format(top="ecm:DistrictCouncil"), date=date).rows[0][0]
        ),
        authorities=_kinds(dataset, "ecm:Authority"),
        posts=_kinds(dataset, "org:Post"),
        bodies=[k for k in _kinds(dataset, "org:Organization") if not _is_authority_kind(dataset, k.kind)],
    )
    people = _table(dataset, "SELECT (COUNT(DISTINCT ?p) AS ?n) WHERE { ?p a foaf:Person }")
    stats.people = _int(people.rows[0][0])
    stats.described_authorities = [_text(r[1]) or _text(r[0]) for r in _table(dataset, _DESCRIBED).rows]
    categories: dict[str, set[str]] = {}
    for row in _table(dataset, _CATEGORY_CLASSES).rows:
        categories.setdefault(row[0].value, set()).add(row[1].value)  # type: ignore[union-attr]
    for source in dataset.sources:
        typed = _typed_things(dataset, source)

        def total(category: str, typed: dict[str, set[str]] = typed) -> int:
            wanted = categories.get(category, set())
            return sum(1 for classes in typed.values() if classes & wanted)

        stats.sources.append(
            SourceStats(
                source="(packaged ontology)" if source.iri == ONTOLOGY_GRAPH else source.label,
                iri=source.iri,
                format=source.format,
                graphs=len(source.graphs),
                triples=source.quads,
                authorities=total("authorities"),
                posts=total("posts"),
                people=total("people"),
                bodies=total("organisations") - total("authorities"),
            )
        )
    return stats


def _typed_things(dataset: Dataset, source: Source) -> dict[str, set[str]]:
    """Each thing the source itself types, with its classes (read from the file: sources may share graphs)."""
    if source.path is not None:
        quads = read_source(source)
    else:  # standard input cannot be read again: count what its graphs hold
        graphs = {ox.NamedNode(g) for g in source.graphs}
        quads = [q for q in dataset.store.quads_for_pattern(None, _RDF_TYPE, None) if q.graph_name in graphs]
    typed: dict[str, set[str]] = {}
    for quad in quads:
        if quad.predicate == _RDF_TYPE and isinstance(quad.object, ox.NamedNode):
            typed.setdefault(str(quad.subject), set()).add(quad.object.value)
    return typed


def _is_authority_kind(dataset: Dataset, kind: str) -> bool:
    result = run_query(
        dataset,
        sparql_prologue() + "ASK { ?kind rdfs:subClassOf* ecm:Authority }",
        bindings={"kind": ox.NamedNode(kind)},
    )
    return bool(result)


def render_stats_text(stats: Stats) -> str:
    """The stats as a short report for a terminal."""
    lines = [
        f"triples: {stats.triples}  (quads {stats.quads} in {stats.graphs} graphs)",
        f"children's services authorities on {stats.as_of}: {stats.childrens_services_authorities}",
        f"district councils on {stats.as_of}: {stats.district_councils}",
        f"people: {stats.people}",
    ]
    for title, kinds in (
        ("authorities by kind", stats.authorities),
        ("posts by kind", stats.posts),
        ("bodies by kind", stats.bodies),
    ):
        lines.append(f"{title}:")
        lines.extend(f"  {k.count:>6}  {k.label}" for k in kinds)
        if not kinds:
            lines.append("       0")
    if stats.described_authorities:
        lines.append("authorities described in detail (posts or bodies recorded):")
        lines.extend(f"  {name}" for name in stats.described_authorities)
    lines.append("sources:")
    width = max([len(s.source) for s in stats.sources] + [6])
    lines.append(
        f"  {'source'.ljust(width)}  {'format':8} {'graphs':>6} {'triples':>8} {'auth.':>6} {'posts':>6} {'people':>6} {'bodies':>6}"
    )
    for s in stats.sources:
        lines.append(
            f"  {s.source.ljust(width)}  {s.format:8} {s.graphs:>6} {s.triples:>8} {s.authorities:>6} {s.posts:>6} {s.people:>6} {s.bodies:>6}"
        )
    return "\n".join(lines) + "\n"
