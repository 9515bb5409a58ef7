"""Starter graphs: the skeleton of one reference authority's graph, for its officers to fill in.

:func:`starter` finds the authority in England's reference data by name, code or IRI (the lookup a query's
``authority`` parameter uses) and :func:`render_starter` writes it as Turtle: the authority with its GSS code,
its statutory posts and bodies as placeholders, and, as comments ready to uncomment, the tenures, lines and
memberships the rules need. A county's districts come with it (each district's Chief Executive and council; the
district as a relevant partner of the county). As written, a starter graph records nothing the rules could find
wrong: it validates with gaps (facts not yet recorded) and no breaches.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

import pyoxigraph as ox
from rdflib import URIRef

from ecmgraph.background import reference_paths
from ecmgraph.engines import Engine, engine_for
from ecmgraph.errors import InputError
from ecmgraph.namespaces import ECM, ECMID, PREFIXES, sparql_prologue
from ecmgraph.queries.lookup import Resolver
from ecmgraph.results import term_value
from ecmgraph.store import Dataset, load_dataset

__all__ = ["Authority", "Starter", "render_starter", "starter"]

#: The kinds of authority, most specific first, with the words a header gives them.
_KINDS: dict[str, str] = {
    str(ECM.CountyCouncil): "a county council",
    str(ECM.UnitaryAuthority): "a unitary authority",
    str(ECM.MetropolitanDistrictCouncil): "a metropolitan district council",
    str(ECM.LondonBoroughCouncil): "a London borough council",
    str(ECM.SuiGenerisAuthority): "a sui generis authority",
    str(ECM.DistrictCouncil): "a district council",
}

_FACTS = (
    sparql_prologue()
    + """SELECT ?a ?kind ?code ?label ?council ?start ?end ?county WHERE {
  ?a a ?kind .
  OPTIONAL { ?a dcterms:identifier ?code }
  OPTIONAL { ?a rdfs:label ?label }
  OPTIONAL { ?a skos:altLabel ?council }
  OPTIONAL { ?a ecm:startDate ?start }
  OPTIONAL { ?a ecm:endDate ?end }
  OPTIONAL { ?a ecm:parentCounty ?county }
}"""
)

_DISTRICTS = sparql_prologue() + "SELECT ?county ?district WHERE { ?district ecm:parentCounty ?county }"


@dataclass(frozen=True)
class Authority:
    """What the reference data says of an authority: its IRI, GSS code, kind (class IRI), names and days."""

    iri: str
    code: str
    kind: str
    label: str
    council: str
    start: dt.date | None = None
    end: dt.date | None = None
    county: str | None = None

    @property
    def key(self) -> str:
        """The key of the authority's things' IRIs (``post/{key}/dcs``): its GSS code."""
        return self.code or self.iri.rsplit("/", 1)[-1]

    @property
    def is_csa(self) -> bool:
        """True for a children's services authority (every kind but a district council)."""
        return self.kind != str(ECM.DistrictCouncil)

    def exists_on(self, day: dt.date) -> bool:
        """True if the authority existed on ``day`` (absent dates are open)."""
        return (self.start is None or self.start <= day) and (self.end is None or self.end >= day)


@dataclass(frozen=True)
class Starter:
    """A starter graph's content: the authority, its districts existing on the day (a county's), and the day."""

    authority: Authority
    districts: tuple[Authority, ...]
    as_of: dt.date


def starter(name: str, as_of: dt.date | None = None, data: Dataset | Engine | None = None) -> Starter:
    """The starter graph of the authority ``name`` names (a name, council name, GSS code or IRI) as at ``as_of``
    (default today), from ``data`` (default: the packaged reference data).

    Raises UnknownName (with the closest names) or AmbiguousName, and InputError if the authority did not exist
    on ``as_of``.
    """
    day = as_of or dt.date.today()
    if data is None:
        data = load_dataset(reference_paths())
    engine = data if isinstance(data, Engine) else engine_for(data)
    iri = Resolver(engine).resolve(name, "authority", parameter="AUTHORITY", day=day)
    found = _authority(engine, iri)
    if not found.exists_on(day):
        since = found.start.isoformat() if found.start else "its beginning"
        until = found.end.isoformat() if found.end else "today"
        raise InputError(
            f"AUTHORITY {name!r}: {found.council} did not exist on {day.isoformat()}",
            hint=f"give --as-of a day from {since} to {until}",
        )
    districts: tuple[Authority, ...] = ()
    if found.kind == str(ECM.CountyCouncil):
        rows = engine.select(_DISTRICTS, {"county": ox.NamedNode(iri)}).rows
        members = (_authority(engine, term_value(row[1])) for row in rows if row[1] is not None)
        districts = tuple(sorted((d for d in members if d.exists_on(day)), key=lambda d: (d.label, d.code)))
    return Starter(found, districts, day)


def _authority(engine: Engine, iri: str) -> Authority:
    rows = engine.select(_FACTS, {"a": ox.NamedNode(iri)}).rows
    kinds = {term_value(row[1]) for row in rows if row[1] is not None}
    kind = next(k for k in _KINDS if k in kinds)

    def values(column: int) -> list[str]:
        return sorted({term_value(term) for row in rows if (term := row[column]) is not None})

    label = (values(3) or [iri.rsplit("/", 1)[-1]])[0]
    names = values(4)
    councils = [c for c in names if "Council" in c] or names  # "City of London Corporation" has no "Council"
    fallback = {str(ECM.CountyCouncil): "County Council", str(ECM.DistrictCouncil): "District Council"}
    council = min(councils, key=lambda c: (-len(c), c)) if councils else f"{label} {fallback.get(kind, 'Council')}"
    start, end, county = values(5), values(6), values(7)
    return Authority(
        iri=iri,
        code=(values(2) or [""])[0],
        kind=kind,
        label=label,
        council=council,
        start=dt.date.fromisoformat(start[0]) if start else None,
        end=dt.date.fromisoformat(end[0]) if end else None,
        county=county[0] if county else None,
    )


# --- Turtle -------------------------------------------------------------------------------------------------------

_USED_PREFIXES = ("ecm", "org", "foaf", "skos", "time", "dcterms", "rdfs", "xsd")


def _term(iri: URIRef) -> str:
    """An ontology term as a prefixed name."""
    return "ecm:" + str(iri).removeprefix(str(ECM))


def _local(iri: str) -> str:
    """An ecmgraph identifier relative to the graph's ``@base``."""
    return f"<{iri.removeprefix(str(ECMID))}>"


def _text(value: str) -> str:
    escaped = value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
    return f'"{escaped}"@en'


def _comment(lines: Sequence[str]) -> list[str]:
    return [f"# {line}".rstrip() for line in lines]


def render_starter(graph: Starter) -> str:
    """The starter graph as Turtle, with comments saying what to fill in. The same starter gives the same bytes."""
    a = graph.authority
    out = _comment(
        [
            f"Starter graph of {a.council} ({a.code}), {_KINDS[a.kind]}, as at {graph.as_of.isoformat()}.",
            "Written by 'ecmgraph init': the authority and its statutory posts and bodies, with nothing yet of who",
            "holds them or how they answer to one another. Fill it in from your own sources: each comment below",
            "says what the rules need and gives the Turtle to uncomment (replace the CAPITALS and the dates).",
            "As written it validates with gaps (facts the rules need that are not recorded) and no breaches:",
            "    ecmgraph validate THIS-FILE --as-of YYYY-MM-DD --gaps",
            "docs/modelling.md of ecmgraph explains every pattern, with worked examples.",
        ]
    )
    out.append("")
    out.append(f"@base <{ECMID}> .")
    out += [f"@prefix {p}: <{PREFIXES[p]}> ." for p in _USED_PREFIXES]
    out += _authority_block(a, graph)
    if a.is_csa:
        out += _csa_blocks(a)
    else:
        out += _district_blocks(a, a.county, own=True)
    for district in graph.districts:
        out += _district_blocks(district, a.iri, own=False)
    return "\n".join(out) + "\n"


def _section(title: str) -> list[str]:
    return ["", "", "# " + "=" * 110, f"# {title}", "# " + "=" * 110]


def _authority_block(a: Authority, graph: Starter) -> list[str]:
    out = _section(f"{a.council} ({a.code})")
    out += _comment(
        [
            "The authority, as England's reference data records it: with the reference data beside this file (as",
            "'ecmgraph validate' loads it unless --no-reference), the GSS code makes it that authority.",
        ]
    )
    out.append(f"{_local(a.iri)} a {_term(URIRef(a.kind))} ;")
    out.append(f"    rdfs:label {_text(a.label)} ;")
    out.append(f"    skos:altLabel {_text(a.council)} ;")
    if a.county is not None and not a.is_csa:
        out.append(f"    ecm:parentCounty {_local(a.county)} ;")
    out.append(f'    dcterms:identifier "{a.code}" .')
    return out


def _tenures(key: str) -> list[str]:
    return [
        "Who holds a post is a tenure: ecm:holder the person, ecm:startDate and, once they have left, ecm:endDate",
        "(days included). A holder known only from a dated letter or report has, instead of the dates, the day",
        "the source names them in post (time:inside), from which no start or end is inferred:",
        f"  <tenure/{key}/POST/N> a ecm:Tenure ; ecm:post <post/{key}/POST> ; ecm:holder <person/FIRST-LAST> ;",
        '      time:inside [ a time:Instant ; time:inXSDDate "YYYY-MM-DD"^^xsd:date ] .',
        "A post with no tenure on a day is 'not recorded' (a gap), never vacant; a vacancy is an ecm:Vacancy",
        "(ecm:post, ecm:startDate, ecm:endDate), and a breach of the rules that need a holder.",
    ]


def _post(a: Authority, key: str, kind: URIRef, title: str, notes: Sequence[str]) -> list[str]:
    iri = _local(f"{ECMID}post/{a.key}/{key}")
    out = [""]
    out += _comment(notes)
    out += _comment(
        [
            "Who holds it, from when:",
            f"  <tenure/{a.key}/{key}/1> a ecm:Tenure ; ecm:post {iri} ;",
            '      ecm:holder <person/FIRST-LAST> ; ecm:startDate "YYYY-MM-DD"^^xsd:date .',
            '  <person/FIRST-LAST> a foaf:Person ; foaf:name "FIRST LAST" .',
        ]
    )
    out.append(f"{iri} a {_term(kind)} ;")
    out.append(f"    rdfs:label {_text(f'{title}, {a.council}')} ;")
    out.append(f"    org:postIn {_local(a.iri)} .")
    return out


def _body(a: Authority, key: str, kind: URIRef, title: str, notes: Sequence[str], extra: str = "") -> list[str]:
    iri = _local(f"{ECMID}body/{a.key}/{key}")
    out = [""]
    out += _comment(notes)
    out.append(f"{iri} a {_term(kind)} ;")
    out.append(f"    rdfs:label {_text(f'{title}, {a.council}')} ;")
    out.append(f"    ecm:bodyOf {_local(a.iri)} .")
    if extra:
        out.append(extra.format(body=iri))
    return out


def _membership(a: Authority, body: str, member: str, role: str, n: int = 1) -> list[str]:
    return [
        f"  <membership/{a.key}/{body}/{n}> a org:Membership ; org:organization <body/{a.key}/{body}> ;",
        f"      ecm:memberPost <post/{a.key}/{member}> ; org:role {role} ;",
        '      ecm:startDate "YYYY-MM-DD"^^xsd:date .',
    ]


def _csa_blocks(a: Authority) -> list[str]:
    k = a.key
    out = _section("Statutory posts")
    out += _comment(_tenures(k))
    out += _post(
        a,
        "dcs",
        ECM.DirectorOfChildrensServices,
        "Director of Children's Services",
        [
            "The Director of Children's Services (Children Act 2004 s18): one post, whatever your local title (give",
            "that as its rdfs:label). Its line (ECM004) and, once a holder is recorded, their vetting (ECM022):",
            f"  <post/{k}/dcs> org:reportsTo <post/{k}/chief-executive> .",
            '  <person/FIRST-LAST> ecm:vettingRegistration "YYYY-MM-DD"^^xsd:date .',
            "Your authority's own assignment of a s18(2) function to a post (its scheme of delegation; ECM019):",
            f"  <assignment/{k}/education-functions/1> a ecm:FunctionAssignment ; ecm:assignedTo <post/{k}/dcs> ;",
            '      ecm:assignedFunction ecm:EducationFunctions ; ecm:startDate "YYYY-MM-DD"^^xsd:date .',
        ],
    )
    out += _post(
        a,
        "lead-member",
        ECM.LeadMemberForChildrensServices,
        "Lead Member for Children's Services",
        [
            "The Lead Member for Children's Services (s19), one of the council's members: its holder also holds",
            "a seat on the council (ECM003), a post of its own with its own tenure. Its line through the Leader",
            "(ECM023):",
            f"  <post/{k}/lead-member> ecm:accountableTo <post/{k}/leader> .",
            f"  <post/{k}/councillor-FIRST-LAST> a ecm:Councillor ; org:postIn <authority/{k}> ;",
            f"      rdfs:label {_text('Councillor for WARD, ' + a.council)} .",
        ],
    )
    out += _post(
        a,
        "chief-executive",
        ECM.ChiefExecutive,
        "Chief Executive",
        [
            "The Chief Executive, the head of paid service (ECM010). Accountable to the full Council (ECM020):",
            f"  <post/{k}/chief-executive> ecm:accountableTo <body/{k}/council> .",
        ],
    )
    out += _post(
        a,
        "leader",
        ECM.Leader,
        "Leader of the Council",
        [
            "The Leader of the Council (ECM024). With an elected mayor instead, make this post",
            f"<post/{k}/elected-mayor> a ecm:ElectedMayor. Accountable to the full Council (ECM023):",
            f"  <post/{k}/leader> ecm:accountableTo <body/{k}/council> .",
        ],
    )
    out += _section("Bodies")
    out += _body(
        a, "council", ECM.FullCouncil, "Council", ["The full Council, to which the Chief Executive and Leader answer."]
    )
    out += _body(
        a,
        "cabinet",
        ECM.Cabinet,
        "Cabinet",
        [
            "The political executive; the Lead Member should sit on it (ECM018):",
            *_membership(a, "cabinet", "lead-member", "ecm:MemberRole"),
        ],
    )
    out += _body(
        a,
        "smt",
        ECM.SeniorManagementTeam,
        "Senior Management Team",
        [
            "The senior management team; the DCS must sit on it (ECM007):",
            *_membership(a, "smt", "dcs", "ecm:MemberRole"),
        ],
    )
    out += _body(
        a,
        "lscb",
        ECM.LocalSafeguardingChildrenBoard,
        "Local Safeguarding Children Board",
        [
            "The Local Safeguarding Children Board (s13, ECM009). The DCS is a member (ECM005), the Lead Member a",
            "participant observer (ECM011), and its chair independent (ECM012: a chair post of the board, held by",
            "someone with no other local post, with a membership in ecm:ChairRole):",
            *_membership(a, "lscb", "dcs", "ecm:MemberRole"),
            *_membership(a, "lscb", "lead-member", "ecm:ParticipantObserverRole", 2),
        ],
    )
    out += _body(
        a,
        "childrens-trust",
        ECM.ChildrensTrust,
        "Children's Trust",
        [
            "The children's trust arrangements to promote cooperation (s10, ECM016). Its relevant partners (s10(4):",
            "the primary care trust, the police, …) are relevant partners of the authority and take part in it:",
            f'  <org/PARTNER> a ecm:PrimaryCareTrust ; rdfs:label "NAME"@en ; ecm:relevantPartnerOf <authority/{k}> ;',
            f"      ecm:takesPartIn <body/{k}/childrens-trust> .",
            "A Children's Trust Board under it is an ecm:ChildrensTrustBoard with org:subOrganizationOf it (ECM006,",
            "ECM026). The Children and Young People's Plan (s17, ECM015):",
            f'  <plan/{k}/cypp-YYYY> a ecm:ChildrenAndYoungPeoplesPlan ; rdfs:label "TITLE"@en ;',
            f'      ecm:planOf <authority/{k}> ; ecm:startDate "YYYY-MM-DD"^^xsd:date ; ecm:endDate "YYYY-MM-DD"^^xsd:date .',
        ],
        extra=f"{_local(a.iri)} ecm:cooperationArrangements {{body}} .",
    )
    out += _body(
        a,
        "scrutiny-children",
        ECM.OverviewAndScrutinyCommittee,
        "Children's Services Overview and Scrutiny Committee",
        [
            "An overview and scrutiny committee (ECM025): say that it covers children's services, or what it",
            "scrutinises; its members' safeguarding training is ECM027's:",
            f"  <body/{k}/scrutiny-children> ecm:coversChildrensServices true ;",
            f"      ecm:scrutinises <post/{k}/lead-member>, <post/{k}/dcs> .",
        ],
    )
    return out


def _district_blocks(d: Authority, county: str | None, *, own: bool) -> list[str]:
    out = [] if own else _section(f"{d.council} ({d.code}), a district of the county")
    if not own:
        out += _comment(["The district council, a relevant partner of the county (Children Act 2004 s10(4))."])
        out.append(f"{_local(d.iri)} a {_term(ECM.DistrictCouncil)} ;")
        out.append(f"    rdfs:label {_text(d.label)} ;")
        out.append(f"    skos:altLabel {_text(d.council)} ;")
        out.append(f"    ecm:parentCounty {_local(county or '')} ;")
        out.append(f'    dcterms:identifier "{d.code}" .')
    if county is not None:
        out.append("")
        out += _comment(
            [
                "A relevant partner of the county (Children Act 2004 s10(4)), which is what ECM017 asks of a",
                "district; that it takes part in the county's children's trust arrangements may be said too:",
                f"  {_local(d.iri)} ecm:takesPartIn {_local(county.replace('/authority/', '/body/') + '/childrens-trust')} .",
            ]
        )
        out.append(f"{_local(d.iri)} ecm:relevantPartnerOf {_local(county)} .")
    out += _post(
        d,
        "chief-executive",
        ECM.ChiefExecutive,
        "Chief Executive",
        [
            "The district's Chief Executive, its head of paid service, accountable to its Council:",
            f"  <post/{d.key}/chief-executive> ecm:accountableTo <body/{d.key}/council> .",
        ],
    )
    out += _body(d, "council", ECM.FullCouncil, "Council", ["The district's full Council."])
    return out
