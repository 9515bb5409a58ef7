"""An authority's accountability chart as data: its nodes (the authority, its posts and bodies, its districts and
partners, and what their lines reach), the holder of each post on the day, and the lines between them.

What is drawn is what the data records, read in a few small queries: every post of the authority (``org:postIn``
it, or one of its bodies) and every body of it (``ecm:bodyOf``/``org:unitOf`` it, or ``org:subOrganizationOf``
one of its bodies, at any depth), and every organisation, post or person one line away from them (a county's
districts by ``ecm:parentCounty``, its relevant partners, a trust a district takes part in…). The lines are the
ontology's: ``org:reportsTo``, ``ecm:accountableTo``, memberships (member, chair, participant observer),
``ecm:challenges``, ``ecm:scrutinises``, ``org:subOrganizationOf``, ``ecm:takesPartIn``,
``ecm:relevantPartnerOf``, ``ecm:cooperationArrangements``, ``ecm:parentCounty``… A post's or body's belonging to
the chart's own authority is what puts it in the chart, and is not drawn as a line.

A post's holder on the day is found as the packaged queries find it (:mod:`ecmgraph.diagram.holders`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

import pyoxigraph as ox

from ecmgraph.diagram.holders import Holding, holdings, iri_of, is_current, select_rows, text_of
from ecmgraph.engines import Engine, engine_for
from ecmgraph.errors import UnknownName
from ecmgraph.namespaces import ECM, FOAF, ORG, sparql_prologue
from ecmgraph.queries.describe import Describer, Details
from ecmgraph.queries.lookup import Resolver
from ecmgraph.store import Dataset

__all__ = ["BOTTOM_GROUPS", "GROUPS", "LINE_KINDS", "Chart", "Holding", "Line", "Node", "chart", "resolve_authority"]

#: How each relation is named on a line, and which way it ranks its ends: "up" (the target is drawn above the
#: source: it is answered to, or is what the source is part of), "down" (the target below: the source holds it to
#: account or arranges it) or "side" (no order: a membership, a challenge, a link, which would otherwise pull a
#: post below the boards it sits on).
RELATIONS: dict[str, tuple[str, str]] = {
    str(ORG.reportsTo): ("reports to", "up"),
    str(ECM.accountableTo): ("accountable to", "up"),
    str(ORG.postIn): ("post in", "up"),
    str(ORG.subOrganizationOf): ("part of", "up"),
    str(ORG.unitOf): ("unit of", "up"),
    str(ECM.takesPartIn): ("takes part in", "up"),
    str(ECM.relevantPartnerOf): ("relevant partner of", "up"),
    str(ECM.parentCounty): ("district of", "up"),
    str(ECM.scrutinises): ("scrutinises", "down"),
    str(ECM.cooperationArrangements): ("cooperates through", "down"),
    str(ECM.challenges): ("challenges", "side"),
    str(ORG.linkedTo): ("linked to", "side"),
    str(ECM.jointAppointmentWith): ("joint appointment with", "side"),
}
#: The kinds of line a membership draws, by its org:role (all "side").
ROLES: dict[str, str] = {
    str(ECM.ChairRole): "chairs",
    str(ECM.ParticipantObserverRole): "participant observer of",
    str(ECM.MemberRole): "member of",
}
#: Every kind of line, in the order a line with several kinds names them, with the way each ranks.
LINE_KINDS: dict[str, str] = {
    **{name: way for name, way in RELATIONS.values() if way != "side"},
    "chairs": "side",
    "participant observer of": "side",
    "member of": "side",
    **{name: way for name, way in RELATIONS.values() if way == "side"},
}
#: The groups drawn on the bottom rows, below everything they answer to.
BOTTOM_GROUPS = ("district", "partner")
#: Lines that only say a post or body belongs to the chart's authority: the chart itself says that.
_BELONGING = {str(ORG.postIn), str(ORG.unitOf), str(ORG.subOrganizationOf)}

#: The groups nodes fall in, in the order the table lists them, each with the classes that put a node in it
#: (the first group whose class the node is an instance of, at any depth, wins).
GROUPS: dict[str, tuple[str, ...]] = {
    "authority": (),
    "council": (str(ECM.FullCouncil), str(ECM.Cabinet), str(ECM.OverviewAndScrutinyCommittee)),
    "member": (str(ECM.ElectedOffice), str(ECM.MemberDesignation)),
    "officer": (str(ECM.OfficerPost), str(ECM.SeniorManagementTeam)),
    "partnership": (
        str(ECM.LocalSafeguardingChildrenBoard),
        str(ECM.ChildrensTrust),
        str(ECM.ChildrensTrustBoard),
        str(ECM.ChildrensTrustSubGroup),
        str(ECM.LocalStrategicPartnership),
        str(ECM.LocalityBoard),
        str(ECM.MemberNetwork),
    ),
    "district": (str(ECM.DistrictCouncil),),
    "partner": (str(ECM.PartnerBody), str(ECM.Authority)),
    "post": (str(ORG.Post),),
    "unit": (str(ORG.OrganizationalUnit), str(ORG.Organization)),
    "person": (str(FOAF.Person),),
    "other": (),
}

# Each query below starts from the IRIs it is given (one VALUES block; properties chosen by FILTER ... IN, not by a
# second VALUES block or a path of alternatives, which pyoxigraph 0.5 evaluates 100 to 1,000 times slower on a
# synthetic England of a million triples), and chart() walks sub-organisations itself, one level a query.
_BODIES = """
SELECT DISTINCT ?node WHERE { ?node ?belongs ?authority FILTER(?belongs IN (ecm:bodyOf, org:unitOf)) }"""
_SUB_BODIES = """
SELECT DISTINCT ?node WHERE { VALUES ?top { %(iris)s } ?node org:subOrganizationOf ?top }"""
_POSTS = """
SELECT DISTINCT ?node WHERE { VALUES ?in { %(iris)s } ?node org:postIn ?in }"""
_IS_AUTHORITY = "ASK { ?authority a/rdfs:subClassOf* ecm:Authority }"
_PROPERTIES = ", ".join(str(ox.NamedNode(p)) for p in RELATIONS)
_LINES = f"""
SELECT DISTINCT ?s ?p ?o WHERE {{
  {{ VALUES ?s {{ %(iris)s }} ?s ?p ?o FILTER(?p IN ({_PROPERTIES})) }}
  UNION {{ VALUES ?o {{ %(iris)s }} ?s ?p ?o FILTER(?p IN ({_PROPERTIES})) }}
  FILTER(isIRI(?s) && isIRI(?o))
}}"""
_MEMBERSHIPS = """
SELECT DISTINCT ?membership ?member ?body ?role ?start ?end ?day WHERE {
  {
    VALUES ?body { %(iris)s }
    ?membership org:organization ?body ; ?link ?member ; a org:Membership .
    FILTER(?link IN (ecm:memberPost, org:member))
  } UNION {
    VALUES ?member { %(iris)s }
    ?membership ?link ?member ; org:organization ?body ; a org:Membership .
    FILTER(?link IN (ecm:memberPost, org:member))
  }
  OPTIONAL { ?membership org:role ?role }
  OPTIONAL { ?membership ecm:startDate ?start }
  OPTIONAL { ?membership ecm:endDate ?end }
  OPTIONAL { ?membership time:inside ?instant . ?instant ?on ?day FILTER(?on IN (time:inXSDDate, time:inXSDgYear)) }
}"""
_TYPES = """
SELECT DISTINCT ?node ?type WHERE { VALUES ?node { %(iris)s } ?node a ?type }"""
_SUPERCLASSES = """
SELECT DISTINCT ?type ?class WHERE { VALUES ?type { %(iris)s } ?type rdfs:subClassOf* ?class }"""


@dataclass(frozen=True)
class Node:
    """A box of the chart: ``key`` names it in the SVG and DOT (``n01``…), in the chart's order."""

    key: str
    iri: str
    label: str
    kind: str
    group: str
    is_post: bool = False
    holdings: tuple[Holding, ...] = ()

    def holder_text(self, day: dt.date) -> str:
        """Who holds the post on ``day``, in words ("not recorded" where the data says nothing); "" if no post."""
        if not self.is_post:
            return ""
        return "; ".join(h.text(day) for h in self.holdings) or "not recorded"

    @property
    def shown_kind(self) -> str:
        """The kind, capitalised, where the label does not already say it ("" for "Chief Executive")."""
        if not self.kind or self.kind.casefold() in self.label.casefold():
            return ""
        return self.kind[:1].upper() + self.kind[1:]

    def title(self, day: dt.date) -> str:
        """The node in words, for its tooltip: "Chief Executive (Chief Executive, holder: not recorded)"."""
        holder = self.holder_text(day)
        about = ", ".join(p for p in (self.shown_kind, holder and "holder: " + holder) if p)
        return f"{self.label} ({about})" if about else self.label


@dataclass(frozen=True)
class Line:
    """A line from one node to another (their keys), with every kind of relation the data records between them
    that way round, in :data:`LINE_KINDS` order."""

    source: str
    target: str
    kinds: tuple[str, ...]

    @property
    def label(self) -> str:
        """The line's kinds in words: "reports to; accountable to"."""
        return "; ".join(self.kinds)

    @property
    def way(self) -> str:
        """How the line ranks its ends: "up", "down" or "side" (its first kind's way)."""
        return LINE_KINDS.get(self.kinds[0], "side")


@dataclass(frozen=True)
class Chart:
    """An authority's accountability chart on a day: its nodes and lines, and notes on what the data lacks."""

    authority: str
    authority_label: str
    code: str | None
    as_of: dt.date
    nodes: tuple[Node, ...]
    lines: tuple[Line, ...]
    notes: tuple[str, ...] = ()
    _by_key: dict[str, Node] = field(default_factory=dict, compare=False, repr=False)

    def __post_init__(self) -> None:
        self._by_key.update({n.key: n for n in self.nodes})

    @property
    def title(self) -> str:
        """ "Accountability chart of Staffordshire (county council), as at 2009-01-01"."""
        return f"Accountability chart of {self.authority_label}, as at {self.as_of.isoformat()}"

    def node(self, key: str) -> Node:
        """The node of ``key``."""
        return self._by_key[key]

    def bottom(self) -> list[str]:
        """The keys of the nodes drawn on the bottom rows: districts and partners that answer up to the chart's
        nodes (a county's districts), not those answered to (a district's county, in the district's chart)."""
        answered = {x.target for x in self.lines if x.way == "up"}
        return [n.key for n in self.nodes if n.group in BOTTOM_GROUPS and n.key not in answered]

    def description(self) -> str:
        """The chart in a few sentences, for the SVG's ``<desc>``: what it holds and what it lacks."""
        posts = [n for n in self.nodes if n.is_post]
        held = [n for n in posts if n.holdings]
        text = (
            f"{len(self.nodes)} posts, bodies and organisations and {len(self.lines)} lines between them, as the "
            f"data records them. Holders are as known on {self.as_of.isoformat()}: "
            f"{len(held)} of {len(posts)} posts have a holder or vacancy recorded."
        )
        return " ".join([text, *self.notes])

    def sentence(self, line: Line) -> str:
        """A line in words: "Director of Children's Services reports to Chief Executive"."""
        return f"{self.node(line.source).label} {line.label} {self.node(line.target).label}"


def resolve_authority(data: Dataset | Engine, name: str, as_of: dt.date | None = None) -> str:
    """The IRI of the authority ``name`` names (a name, council name, GSS code or IRI), as a query's ``authority``
    parameter takes it. Raises UnknownName (with the closest names) or AmbiguousName."""
    engine = data if isinstance(data, Engine) else engine_for(data)
    return Resolver(engine).resolve(name, "authority", parameter="AUTHORITY", day=as_of)


def chart(data: Dataset | Engine, authority: str, as_of: dt.date | None = None) -> Chart:
    """The accountability chart of ``authority`` (an IRI: see :func:`resolve_authority`) as at ``as_of`` (default
    today). Raises UnknownName if the data holds no authority of that IRI."""
    day = as_of or dt.date.today()
    engine = data if isinstance(data, Engine) else engine_for(data)
    describer = Describer(engine)
    core = _core(engine, authority)
    if not engine.ask(sparql_prologue() + _IS_AUTHORITY, {"authority": ox.NamedNode(authority)}):
        raise UnknownName(f"<{authority}> is not an authority in the data", hint="'ecmgraph list authorities'")
    own = describer.details([authority])[authority]
    triples = [(s, p, o) for s, p, o in _lines(engine, core) if not (p in _BELONGING and o == authority)]
    memberships = _memberships(engine, core, day)
    reached = {x for s, _, o in triples for x in (s, o)} | {x for m, b, _ in memberships for x in (m, b)}
    details = describer.details(sorted(set(core) | reached))
    living = {iri for iri, d in details.items() if _exists_on(d, day) or iri == authority}
    lineless = not any(authority in (s, o) for s, _, o in triples if s in living and o in living) and not any(
        authority in (m, b) for m, b, _ in memberships
    )
    if lineless and len(living) > 1:
        living.discard(authority)  # the chart's title names it: a box with no line says nothing more
    # Lines between the nodes one line away, too (a district's trust and its sub-group).
    triples += [
        t for t in _lines(engine, sorted(living - set(core))) if t[0] in living and t[2] in living and t not in triples
    ]
    groups = _groups(engine, sorted(living), authority)
    posts = {iri for iri in living if groups[iri][1]}
    held = holdings(engine, sorted(posts), day)
    authority_names = _authority_names(own)
    order = sorted(
        living,
        key=lambda i: (list(GROUPS).index(groups[i][0]), _shown(details[i], authority_names, i in core).casefold(), i),
    )
    width = max(2, len(str(len(order))))
    keys = {iri: f"n{n:0{width}d}" for n, iri in enumerate(order, 1)}  # in order as text, too
    nodes = tuple(
        Node(
            keys[iri],
            iri,
            _shown(details[iri], authority_names, iri in core),
            details[iri].kind,
            groups[iri][0],
            iri in posts,
            held.get(iri, ()),
        )
        for iri in order
    )
    kinds: dict[tuple[str, str], set[str]] = {}
    for s, p, o in triples:
        if s in living and o in living and s != o:
            kinds.setdefault((s, o), set()).add(RELATIONS[p][0])
    for member, body, kind in memberships:
        if member in living and body in living:
            kinds.setdefault((member, body), set()).add(kind)
    rank = list(LINE_KINDS)
    lines = tuple(
        sorted(
            (Line(keys[s], keys[o], tuple(sorted(k, key=rank.index))) for (s, o), k in kinds.items()),
            key=lambda x: (x.source, x.target),
        )
    )
    label = f"{own.label or own.iri} ({own.kind[:1].lower() + own.kind[1:]})" if own.kind else own.label
    notes = _notes(own, nodes, day)
    return Chart(authority, label, own.code, day, nodes, lines, notes)


# --- the queries ------------------------------------------------------------------------------------------------


def _core(engine: Engine, authority: str) -> list[str]:
    """The authority, its bodies (and theirs, at any depth) and the posts in it and in them."""
    table = engine.select(sparql_prologue() + _BODIES, {"authority": ox.NamedNode(authority)}, source="<diagram>")
    bodies = {t.value for row in table.rows for t in row if isinstance(t, ox.NamedNode)}
    level = sorted(bodies)
    while level:  # sub-organisations, one level a query (a cycle ends: nothing new is found)
        found = {n for row in select_rows(engine, _SUB_BODIES, level) if (n := iri_of(row.get("node")))}
        level = sorted(found - bodies)
        bodies |= found
    posts = {n for row in select_rows(engine, _POSTS, sorted({authority, *bodies})) if (n := iri_of(row.get("node")))}
    return sorted({authority, *bodies, *posts})


def _lines(engine: Engine, nodes: Sequence[str]) -> list[tuple[str, str, str]]:
    found = set()
    for row in select_rows(engine, _LINES, nodes):
        s, p, o = iri_of(row.get("s")), iri_of(row.get("p")), iri_of(row.get("o"))
        if s and p and o:
            found.add((s, p, o))
    return sorted(found)


def _memberships(engine: Engine, nodes: Sequence[str], day: dt.date) -> list[tuple[str, str, str]]:
    found = set()
    for row in select_rows(engine, _MEMBERSHIPS, nodes):
        member, body = iri_of(row.get("member")), iri_of(row.get("body"))
        if (
            member
            and body
            and is_current(text_of(row.get("start")), text_of(row.get("end")), text_of(row.get("day")), day)
        ):
            found.add((member, body, ROLES.get(iri_of(row.get("role")) or "", "member of")))
    return sorted(found)


def _groups(engine: Engine, nodes: Sequence[str], authority: str) -> dict[str, tuple[str, bool]]:
    """Each node's group, and whether it is a post: from its types and their superclasses."""
    types: dict[str, set[str]] = {iri: set() for iri in nodes}
    for row in select_rows(engine, _TYPES, nodes):
        node, kind = iri_of(row.get("node")), iri_of(row.get("type"))
        if node in types and kind:
            types[node].add(kind)
    supers: dict[str, set[str]] = {}
    for row in select_rows(engine, _SUPERCLASSES, sorted(set().union(*types.values()))):
        kind, cls = iri_of(row.get("type")), iri_of(row.get("class"))
        if kind and cls:
            supers.setdefault(kind, {kind}).add(cls)
    classes = {c: g for g, cs in GROUPS.items() for c in cs}
    order = list(GROUPS)
    out = {}
    for iri, kinds in types.items():
        every = set().union(*(supers.get(k, {k}) for k in kinds)) if kinds else set()
        names = sorted({classes[c] for c in every if c in classes}, key=order.index)
        group = "authority" if iri == authority else (names[0] if names else "other")
        out[iri] = (group, str(ORG.Post) in every)
    return out


# --- labels and notes -------------------------------------------------------------------------------------------


def _exists_on(details: Details, day: dt.date) -> bool:
    return (details.start is None or details.start <= day) and (details.end is None or details.end >= day)


def _authority_names(own: Details) -> tuple[str, ...]:
    return tuple(n for n in (own.label,) if n)


def _shown(details: Details, authority_names: Iterable[str], own: bool) -> str:
    """A node's label, without the ", Staffordshire County Council" its posts carry in the chart of Staffordshire;
    a thing without a label is shown by the end of its IRI."""
    label = details.label or details.iri.rstrip("/").rsplit("/", 1)[-1]
    if own and ", " in label:
        head, tail = label.rsplit(", ", 1)
        if any(tail.startswith(name) for name in authority_names):
            return head
    return label


def _notes(own: Details, nodes: Sequence[Node], day: dt.date) -> tuple[str, ...]:
    notes = []
    if len(nodes) <= 1:
        notes.append(f"The data records no post, body, district or partner of {own.label or own.iri}.")
    if not _exists_on(own, day):
        notes.append(f"{own.label} did not exist on {day.isoformat()} ({own.days()}).")
    posts = [n for n in nodes if n.is_post]
    unknown = [n for n in posts if not n.holdings]
    if unknown:
        notes.append(
            f"The data records no holder on {day.isoformat()} for {len(unknown)} of the {len(posts)} posts: "
            "unknown, not vacant."
        )
    if any(h.known_on and not h.confirmed for n in posts for h in n.holdings):
        notes.append("A holder known only from an earlier dated source is the last known holder, not confirmed.")
    return tuple(notes)
