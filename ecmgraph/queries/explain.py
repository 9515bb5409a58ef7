"""Why a packaged query answered nothing: one sentence, found with a few small ASK and SELECT queries on the
engine the query ran on.

An empty table is an answer too, and a person reading it needs to know which: the authority did not exist on the
day, the rule does not apply to it (a district council has no LSCB), the data records nothing of that kind for
it, nothing concerns the topic or function given, or simply nothing matches. :func:`explain_empty` checks these
in that order, for the parameters the query was given, and says the first that holds.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping

import pyoxigraph as ox

from ecmgraph.engines import Engine
from ecmgraph.namespaces import sparql_prologue
from ecmgraph.queries.binding import bind_parameters
from ecmgraph.queries.catalogue import PackagedQuery, Parameter
from ecmgraph.queries.lookup import Resolver
from ecmgraph.queries.run import query_day
from ecmgraph.results import compact

#: Queries about what only a children's services authority has, and why a district council has none of it.
CHILDRENS_SERVICES_ONLY = {
    "lscb-membership": "only children's services authorities set up LSCBs (Children Act 2004, section 13)",
    "relevant-partners": "only children's services authorities have relevant partners (Children Act 2004, section 10)",
}

#: Per query: what it reads about an authority (``?a``), and how to say the data has none of it.
RECORDED_FOR_AUTHORITY = {
    "relevant-partners": ("ASK { ?x ecm:relevantPartnerOf ?a }", "no relevant partner of {a} is recorded"),
    "lscb-membership": (
        "ASK { ?x a ecm:LocalSafeguardingChildrenBoard ; ecm:bodyOf ?a }",
        "no Local Safeguarding Children Board of {a} is recorded",
    ),
    "scrutiny-bodies": (
        "ASK { ?x a/rdfs:subClassOf* ecm:OverviewAndScrutinyCommittee ; ecm:bodyOf ?a }",
        "no overview and scrutiny committee of {a} is recorded",
    ),
    "two-tier-area": (
        "ASK { { ?x ecm:parentCounty ?a } UNION { ?x org:postIn|ecm:bodyOf ?a } }",
        "neither a district of {a} nor a post or body of its own is recorded",
    ),
}


def explain_empty(
    query: PackagedQuery,
    values: Mapping[str, str],
    engine: Engine,
    *,
    today: dt.date | None = None,
) -> str:
    """Why ``query``, given ``values``, has no rows on ``engine``: one sentence, without a full stop.

    Raises what :func:`~ecmgraph.queries.binding.bind_parameters` raises (the query has run with the same
    values, so it does not).
    """
    terms = bind_parameters(query, values, engine, today=today)
    day = query_day(query, terms, today)
    dated = any(p.type == "date" for p in query.parameters)
    on = f" on {day.isoformat()}" if dated else ""
    resolver = Resolver(engine)
    given: list[tuple[Parameter, str]] = [
        (p, term.value)
        for p in query.parameters
        if isinstance(term := terms.get(p.variable), ox.NamedNode) and p.type == "iri"
    ]

    def name(iri: str) -> str:
        return resolver.labels([iri]).get(iri) or compact(iri)

    def ask(text: str, **things: str) -> bool:
        return engine.ask(
            sparql_prologue() + text, {k: ox.NamedNode(v) for k, v in things.items()}, source="<why no rows>"
        )

    for p, iri in given:
        if p.lookup in ("authority", "county"):
            reason = _about_authority(query, iri, name(iri), day if dated else None, resolver, ask)
            if reason:
                return reason
    for p, iri in given:
        if p.lookup == "topic":
            authority = next((a for q, a in given if q.lookup == "authority"), None)
            return _about_topic(iri, name(iri), authority, name(authority) if authority else None, resolver, ask)
        if p.lookup == "post" and not ask("ASK { ?x ecm:post ?p }", p=iri):
            return f"no holder or vacancy of {name(iri)} is recorded"
        if p.lookup == "person":
            seats = "ASK { { ?m org:member ?p } UNION { ?t ecm:holder ?p ; ecm:post ?post . ?m ecm:memberPost ?post } }"
            if not ask(seats, p=iri):
                return f"{name(iri)} sits on no body in the data, as a member or through a post"
            if dated:
                return f"{name(iri)} sat on no body{on}: the seats recorded are on other days"
        if p.lookup == "region" and not ask("ASK { ?a ecm:region ?r }", r=iri):
            return f"no authority in {name(iri)} is recorded"
    if not given and query.name == "vacant-posts":
        if not ask("ASK { ?v a ecm:Vacancy }"):
            return "no vacancy is recorded in the data"
        return f"no post is recorded as vacant{on}: the vacancies recorded are on other days"
    what = ", ".join(f"{p.name} {name(iri)}" for p, iri in given)
    return f"nothing in the data answers this question{' for ' + what if what else ''}{on}"


def _about_authority(
    query: PackagedQuery, iri: str, label: str, day: dt.date | None, resolver: Resolver, ask: Callable[..., bool]
) -> str | None:
    """Why an authority's answer is empty, if it is about the authority: not in existence on the day, the rule
    does not apply to it, nothing of its own recorded, or nothing of the kind the query reads; else None."""
    details = resolver.details([iri])[iri]
    if day is not None and details.start is not None and details.start > day:
        return f"{label} did not exist on {day.isoformat()}: it was created on {details.start.isoformat()}"
    if day is not None and details.end is not None and details.end < day:
        since = f"from {details.start.isoformat()} " if details.start else ""
        return f"{label} did not exist on {day.isoformat()}: it existed {since}until {details.end.isoformat()}"
    if query.name in CHILDRENS_SERVICES_ONLY and ask("ASK { ?a a/rdfs:subClassOf* ecm:DistrictCouncil }", a=iri):
        county = f"; ask about its county, {details.authority}" if details.authority else ""
        return (
            f"the rule does not apply: {label} is a district council, not a children's services authority, "
            f"and {CHILDRENS_SERVICES_ONLY[query.name]}{county}"
        )
    own = "ASK { { ?x org:postIn|ecm:bodyOf|ecm:relevantPartnerOf|ecm:parentCounty ?a } UNION { ?a ecm:cooperationArrangements ?x } }"
    if not ask(own, a=iri):
        return (
            f"the data records nothing about {label} but its name, code and area: no posts, bodies or partners "
            "('ecmgraph stats' lists the authorities it describes)"
        )
    if query.name in RECORDED_FOR_AUTHORITY:
        pattern, sentence = RECORDED_FOR_AUTHORITY[query.name]
        if not ask(pattern, a=iri):
            return sentence.format(a=label)
    return None


def _about_topic(
    topic: str,
    label: str,
    authority: str | None,
    authority_label: str | None,
    resolver: Resolver,
    ask: Callable[..., bool],
) -> str:
    """Why nothing answers for a topic or function (in an authority)."""
    kind = resolver.details([topic])[topic].kind
    noun = "the function" if kind == "statutory function" else "the topic"
    anything = "ASK { { ?r ecm:concerns ?t } UNION { ?t skos:related? ?f . ?p ecm:accountableFor ?f } }"
    if not ask(anything, t=topic):
        return (
            f"no responsibility in the data concerns {noun} {label}, and no post or body is recorded as "
            "accountable for it"
        )
    whose = resolver.engine.select(
        sparql_prologue() + "SELECT DISTINCT ?whose WHERE { { ?r ecm:concerns ?t ; ecm:responsibilityOf ?whose } UNION "
        "{ ?t skos:related? ?f . ?whose ecm:accountableFor ?f } }",
        {"t": ox.NamedNode(topic)},
        source="<why no rows>",
    )
    iris = sorted({row[0].value for row in whose.rows if isinstance(row[0], ox.NamedNode)})
    names = resolver.labels(iris)
    shown = sorted({names.get(iri) or compact(iri) for iri in iris}, key=str.casefold)
    listed = "; ".join(shown[:4]) + (f" and {len(shown) - 4} more" if len(shown) > 4 else "")
    where = f" of {authority_label}" if authority_label else ""
    return f"no post or body{where} answers for {noun} {label}: those recorded as answering for it are {listed}"
