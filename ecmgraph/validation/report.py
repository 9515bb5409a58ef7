"""The report model and its assembly from what an engine found."""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass, field

import pyoxigraph as ox

from ecmgraph.engines import Engine, RemoteEngine
from ecmgraph.namespaces import XSD, sparql_prologue
from ecmgraph.portable import hinted
from ecmgraph.results import Term, term_value
from ecmgraph.validation.catalogue import (
    KINDS,
    PLACEHOLDER,
    SEVERITIES,
    Catalogue,
    ShapeError,
)

_XSD_DATE = str(XSD.date)

# ------------------------------------------------------------------------------------------- the report model


@dataclass(frozen=True)
class RawResult:
    """One validation result as an engine reports it, before the report is assembled."""

    focus: Term
    shape: str
    severity: str
    value: Term | None
    path: str | None
    message: str
    component: str  # the SHACL constraint component that found it


@dataclass(frozen=True)
class AuthorityInfo:
    """An authority a report names: label, GSS code, the days it existed, and whether it has data of its own."""

    iri: str
    label: str
    code: str | None
    detailed: bool  # posts or bodies of its own are recorded (not reference data only)
    start: dt.date | None = None
    end: dt.date | None = None

    def exists_on(self, day: dt.date) -> bool:
        """Whether the authority existed on ``day`` (start and end inclusive, absent = open)."""
        return (self.start is None or self.start <= day) and (self.end is None or self.end >= day)

    @property
    def title(self) -> str:
        """ "Staffordshire (E10000028)", or the label alone."""
        return f"{self.label} ({self.code})" if self.code else self.label


@dataclass(frozen=True)
class Finding:
    """One validation result, with its rule, kind and the authority it concerns."""

    rule: str
    severity: str
    kind: str
    focus: Term
    shape: str
    value: Term | None
    path: str | None
    message: str
    sources: tuple[str, ...]
    component: str
    authority: str | None = None
    focus_label: str | None = None
    fix: str = ""  # what to add or change to resolve it (the end of its message)
    statute: tuple[str, ...] = ()  # the legislation.gov.uk provisions its message cites

    def key(self) -> tuple[str, str, str, str]:
        """(focus node, rule id, severity, kind): what both engines must agree on."""
        return (term_value(self.focus), self.rule, self.severity, self.kind)


@dataclass(frozen=True)
class ValidationReport:
    """The findings of one validation, and what was validated how."""

    as_of: dt.date
    engine: str
    inference: str
    rules: tuple[str, ...]
    only: str | None
    findings: tuple[Finding, ...]
    authorities: dict[str, AuthorityInfo] = field(default_factory=dict)
    source: str = "packaged data"
    #: The earliest and latest day the data's evidence is dated (sources, attested days, tenures' dates), if any.
    evidence: tuple[dt.date, dt.date] | None = None

    @property
    def breaches(self) -> tuple[Finding, ...]:
        """The findings where the data records something that contradicts a rule."""
        return tuple(f for f in self.findings if f.kind == "breach")

    @property
    def gaps(self) -> tuple[Finding, ...]:
        """The findings where the data lacks what a rule needs: missing data, not breaches."""
        return tuple(f for f in self.findings if f.kind == "gap")

    @property
    def conforms(self) -> bool:
        """True when no finding is reported (SHACL's sh:conforms)."""
        return not self.findings

    def counts(self) -> dict[str, dict[str, int]]:
        """Number of findings by severity, then by kind."""
        out = {s: dict.fromkeys(KINDS, 0) for s in SEVERITIES}
        for f in self.findings:
            out[f.severity][f.kind] += 1
        return out

    def fails(self, level: str, *, gaps: bool = False) -> bool:
        """Whether any breach (and, with ``gaps``, any gap) is at or above ``level`` (violation, warning, info;
        none never fails). A gap is missing data: by default it fails nothing."""
        if level == "none":
            return False
        threshold = SEVERITIES.index(level.capitalize())
        return any(SEVERITIES.index(f.severity) <= threshold for f in self.findings if gaps or f.kind == "breach")


# ------------------------------------------------------------------------------------------------ assembling

_CONTEXT = (
    sparql_prologue()
    + """SELECT ?n ?label ?rank ?a WHERE {
  VALUES ?n { %(nodes)s }
  OPTIONAL { ?n rdfs:label ?l1 } OPTIONAL { ?n foaf:name ?l2 } OPTIONAL { ?n skos:prefLabel ?l3 }
  BIND (COALESCE(STR(?l1), STR(?l2), STR(?l3)) AS ?label)
  OPTIONAL {
    # The nodes again in each branch: an engine may evaluate this group on its own before joining it (pyoxigraph
    # 0.5 does, for an OPTIONAL of more than one pattern), and then it reads only theirs, not all of England's.
    { VALUES ?n { %(nodes)s } ?n a/rdfs:subClassOf* ecm:Authority . BIND (?n AS ?a) BIND (0 AS ?rank) }
    UNION { VALUES ?n { %(nodes)s } ?n org:postIn ?a . ?a a/rdfs:subClassOf* ecm:Authority . BIND (1 AS ?rank) }
    UNION { VALUES ?n { %(nodes)s }
            ?n org:postIn?/org:subOrganizationOf*/(ecm:bodyOf|^ecm:cooperationArrangements) ?a . BIND (2 AS ?rank) }
    UNION { VALUES ?n { %(nodes)s }
            ?t ecm:holder ?n ; ecm:post ?p . ?p org:postIn ?a . ?a a/rdfs:subClassOf* ecm:Authority .
            # A person's rules are children's services duties: the CSA they serve before a district they sit in.
            BIND (IF(EXISTS { ?a a/rdfs:subClassOf* ecm:ChildrensServicesAuthority }, 3, 4) AS ?rank) }
  }
}
"""
)

_AUTHORITIES = (
    sparql_prologue()
    + """SELECT ?a ?label ?code ?start ?end ?detailed WHERE {
  VALUES ?a { %s }
  OPTIONAL { ?a rdfs:label ?label } OPTIONAL { ?a dcterms:identifier ?code }
  OPTIONAL { ?a ecm:startDate ?start } OPTIONAL { ?a ecm:endDate ?end }
  BIND (EXISTS { { ?d org:postIn ?a } UNION { ?d ecm:bodyOf ?a } } AS ?detailed)
}
"""
)

_DETAILED = (
    sparql_prologue()
    + """SELECT DISTINCT ?a WHERE { { ?d org:postIn ?a } UNION { ?d ecm:bodyOf ?a } ?a a/rdfs:subClassOf* ecm:Authority }
"""
)

#: The days the data's evidence is dated: its source documents, the days a source attests (time:inXSDDate), and the
#: start and end of tenures, memberships and the like; not the reference data's days an authority existed. (The
#: authorities are taken out with MINUS, hash-joined: a NOT EXISTS per date took 2.6 s at national scale, this
#: 0.12 s, measured on the scale-1 synthetic England.)
_EVIDENCE = (
    sparql_prologue()
    + """SELECT (MIN(?d) AS ?earliest) (MAX(?d) AS ?latest) WHERE {
  { ?s dcterms:date ?d } UNION { ?s dcterms:issued ?d } UNION { ?s time:inXSDDate ?d }
  UNION { ?s ecm:startDate ?d } UNION { ?s ecm:endDate ?d }
  FILTER (DATATYPE(?d) = xsd:date)
  MINUS { ?s a/rdfs:subClassOf* ecm:Authority }
}
"""
)

_BATCH = 400
#: Nodes per query of their authorities on an endpoint: sent there, the path from a node to its board's authority
#: is one UNION branch per node (ecmgraph/portable.py), and Virtuoso 7.2.5 refuses a query of 150 nodes ("Query too
#: large, variables in state over the limit"), and takes about 0.4 s to compile one of 50.
_ENDPOINT_BATCH = 50


def _batches(nodes: Sequence[ox.NamedNode], size: int = _BATCH) -> Iterable[str]:
    for i in range(0, len(nodes), size):
        yield " ".join(str(n) for n in nodes[i : i + size])


def _min_text(values: Iterable[str | None]) -> str | None:
    present = [v for v in values if v]
    return min(present) if present else None


def _date(term: Term | None) -> dt.date | None:
    if isinstance(term, ox.Literal) and term.datatype.value == _XSD_DATE:
        try:
            return dt.date.fromisoformat(term.value)
        except ValueError:
            return None
    return None


#: ``--only`` values, and the kind of finding each keeps.
ONLY = {"breaches": "breach", "gaps": "gap"}


def assemble(
    raw: Sequence[RawResult],
    catalogue: Catalogue,
    where: Engine,
    *,
    as_of: dt.date,
    engine: str,
    inference: str,
    rules: Sequence[str],
    only: str | None,
    source: str,
    scope: Collection[str] | None = None,
) -> ValidationReport:
    """Turn an engine's results into the report: the same steps whatever the engine (see the module docstring).

    With ``scope``, only findings about those authorities (or about no authority) are kept: the authorities the
    user's files describe, when reference data stands beside them."""
    unique: dict[tuple[str, str, str, str | None], RawResult] = {}
    for r in raw:
        key = (term_value(r.focus), r.shape, term_value(r.value) if r.value is not None else "", r.path)
        if key not in unique or r.message < unique[key].message:
            unique[key] = r
    nodes = sorted(
        {n for r in unique.values() for n in (r.focus, r.value) if isinstance(n, ox.NamedNode)}, key=lambda n: n.value
    )
    labels, homes = _context(where, nodes)
    detailed = {term_value(row[0]) for row in where.select(hinted(_DETAILED)).rows if row[0] is not None}
    authorities = _authority_info(where, sorted({a for _, a in homes.values()} | detailed))
    findings = []
    for r in unique.values():
        info = catalogue.shapes.get(r.shape)
        if info is None:
            raise ShapeError(f"a result names shape {r.shape}, which is not in the catalogue")
        focus = term_value(r.focus)
        value = term_value(r.value) if r.value is not None else None
        home = homes.get(focus)
        if home is not None and home[0] <= 2 and not authorities[home[1]].exists_on(as_of):
            continue  # about an authority (or its post or body) that does not exist on the date
        authority = home[1] if home else (homes[value][1] if value in homes else None)
        if home is not None and home[0] >= 3 and value in homes and homes[value][0] <= 2:
            authority = homes[value][1]  # a person's finding about one of their posts (or bodies): its authority
        message = r.message
        if PLACEHOLDER.search(message):  # a Core constraint's message: {$this} and {?value} become labels
            names = {"this": labels.get(focus, focus), "value": labels.get(value, value) if value else ""}
            message = PLACEHOLDER.sub(lambda m: names.get(m[1], m[0]), message)
        findings.append(
            Finding(
                info.rule,
                r.severity,
                info.kind,
                r.focus,
                r.shape,
                r.value,
                r.path,
                message,
                info.sources,
                r.component,
                authority,
                labels.get(focus),
                info.fix,
                info.statute,
            )
        )
    if only is not None:
        findings = [f for f in findings if f.kind == ONLY[only]]
    if scope is not None:
        findings = [f for f in findings if f.authority is None or f.authority in scope]
        detailed &= set(scope)
    named = {f.authority for f in findings} | {a for a in detailed if authorities[a].exists_on(as_of)}
    kept = {iri: info for iri, info in authorities.items() if iri in named}
    findings.sort(key=lambda f: _finding_order(f, kept))
    return ValidationReport(
        as_of, engine, inference, tuple(rules), only, tuple(findings), kept, source, _evidence(where)
    )


def _evidence(engine: Engine) -> tuple[dt.date, dt.date] | None:
    rows = engine.select(_EVIDENCE, source="<evidence dates>").rows
    earliest, latest = (_date(rows[0][0]), _date(rows[0][1])) if rows else (None, None)
    return (earliest, latest) if earliest is not None and latest is not None else None


def _context(engine: Engine, nodes: Sequence[ox.NamedNode]) -> tuple[dict[str, str], dict[str, tuple[int, str]]]:
    """Each node's label, and its authority: (how directly, authority IRI), the most direct and first by IRI."""
    labels: dict[str, str] = {}
    homes: dict[str, tuple[int, str]] = {}
    for values in _batches(nodes, _ENDPOINT_BATCH if isinstance(engine, RemoteEngine) else _BATCH):
        table = engine.select(hinted(_CONTEXT % {"nodes": values}))
        for n, label, rank, authority in table.rows:
            iri = term_value(n)  # type: ignore[arg-type]
            if label is not None and (iri not in labels or term_value(label) < labels[iri]):
                labels[iri] = term_value(label)
            if authority is not None and rank is not None:
                candidate = (int(term_value(rank)), term_value(authority))
                homes[iri] = min(homes.get(iri, candidate), candidate)
    return labels, homes


def _authority_info(engine: Engine, iris: Sequence[str]) -> dict[str, AuthorityInfo]:
    """Label, code, dates and whether it has data of its own, for each authority (first label and code by order)."""
    seen: dict[str, list[Term | None]] = {}
    labels: dict[str, set[str]] = {}
    codes: dict[str, set[str]] = {}
    for values in _batches([ox.NamedNode(i) for i in iris]):
        table = engine.select(_AUTHORITIES % values)
        for a, label, code, start, end, detailed in table.rows:
            iri = term_value(a)  # type: ignore[arg-type]
            entry = seen.setdefault(iri, [None, None, None])
            labels.setdefault(iri, set()).update([term_value(label)] if label is not None else [])
            codes.setdefault(iri, set()).update([term_value(code)] if code is not None else [])
            entry[0] = entry[0] or start
            entry[1] = entry[1] or end
            entry[2] = entry[2] or (detailed if detailed is not None and term_value(detailed) == "true" else None)
    return {
        iri: AuthorityInfo(
            iri, _min_text(labels[iri]) or iri, _min_text(codes[iri]), e[2] is not None, _date(e[0]), _date(e[1])
        )
        for iri, e in seen.items()
    }


def _finding_order(f: Finding, authorities: dict[str, AuthorityInfo]) -> tuple[object, ...]:
    auth = authorities.get(f.authority or "")
    return (
        auth is None,
        auth.label if auth else "",
        f.authority or "",
        f.rule,
        SEVERITIES.index(f.severity),
        KINDS.index(f.kind),
        term_value(f.focus),
        term_value(f.value) if f.value is not None else "",
        f.shape,
        f.message,
    )
