"""The accountability chart of an authority's page, and the holders of a post's page, from ``ecmgraph.diagram``.

This module is the one hook between the site and the charts: the pages embed what :func:`authority_chart` gives
(the SVG, laid out by ecmgraph's own layout so that every machine draws the same bytes, and its table twin).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from ecmgraph.diagram import chart, render_svg, render_table
from ecmgraph.diagram.holders import Holding, holdings
from ecmgraph.engines import Engine
from ecmgraph.namespaces import ECM, ORG
from ecmgraph.publish.model import AUTHORITY_CLASSES, SiteData, Source, Thing
from ecmgraph.publish.pages import Viewer, relative

#: What makes a post or body an authority's own, and so gives the authority a chart.
_BELONGING = (str(ORG.postIn), str(ECM.bodyOf))


#: The statutory posts an authority's page lists first, by the kinds of authority that must have them: a
#: children's services authority's DCS and Lead Member (Children Act 2004 ss18-19), and every council's Chief
#: Executive (head of paid service) and Leader.
STATUTORY_POSTS = (
    (str(ECM.DirectorOfChildrensServices), True),
    (str(ECM.LeadMemberForChildrensServices), True),
    (str(ECM.ChiefExecutive), False),
    (str(ECM.Leader), False),
)
_CHILDRENS_SERVICES_AUTHORITIES = set(AUTHORITY_CLASSES[:-1])
_POST, _HOLDER, _POST_IN = str(ECM.post), str(ECM.holder), str(ORG.postIn)


def post_holdings(engine: Engine, posts: Sequence[str], day: dt.date) -> dict[str, tuple[Holding, ...]]:
    """Each post's holders (or recorded vacancy) on ``day``, in one pass over all of them."""
    return holdings(engine, posts, day) if posts else {}


def holders(found: dict[str, tuple[Holding, ...]], post: str, day: dt.date) -> tuple[str, ...]:
    """A post's holders on ``day`` in words ("not recorded" where the data says nothing, never vacant)."""
    return tuple(h.text(day) for h in found.get(post, ())) or ("not recorded",)


def statutory_posts(
    site: SiteData, thing: Thing, found: dict[str, tuple[Holding, ...]], day: dt.date
) -> list[dict[str, Any]]:
    """The rows of an authority page's statutory posts: each kind of post it must have, its post there (or
    none described), who holds it on ``day`` (linked to their page), since when, and the evidence: the day of
    the source that names them, where that is all the data has, and whether it is confirmed for ``day``."""
    view = Viewer(site, thing.page)
    posts: dict[str, list[str]] = {}
    for subject, predicate, _ in thing.referenced_by:
        if predicate == _POST_IN and (its := site.things.get(subject)):
            for kind in its.types:
                posts.setdefault(kind, []).append(subject)
    csa = bool(set(thing.types) & _CHILDRENS_SERVICES_AUTHORITIES)
    rows: list[dict[str, Any]] = []
    for kind, childrens in STATUTORY_POSTS:
        if childrens and not csa and kind not in posts:
            continue
        described: list[str | None] = [*sorted(posts.get(kind, []))]
        for post in described or [None]:
            held = found.get(post, ()) if post else ()
            rows.append(
                {
                    "kind": view.iri(kind),
                    "post": view.iri(post) if post else None,
                    "holders": [_holding(view, h, day, _evidence(site, post, h)) for h in held if post],
                }
            )
    return rows


def _evidence(site: SiteData, post: str, holding: Holding) -> list[Source]:
    """The sources of the tenures (or vacancies) that give ``holding`` of ``post``."""
    periods = {s: sources for s, p, sources in site.things[post].referenced_by if p == _POST}
    person = site.things.get(holding.iri) if holding.iri else None
    if person is not None:
        held = {s for s, p, _ in person.referenced_by if p == _HOLDER}
        periods = {s: sources for s, sources in periods.items() if s in held}
    elif not holding.vacant:
        return []
    return sorted({source for sources in periods.values() for source in sources}, key=lambda s: (s.label, s.graph))


def _holding(view: Viewer, holding: Holding, day: dt.date, sources: list[Source]) -> dict[str, Any]:
    if holding.vacant:
        who: dict[str, Any] = {"text": "vacant", "iri": "", "href": None, "external": None, "note": ""}
    elif holding.iri:
        who = {**view.iri(holding.iri), "text": holding.name}
    else:
        who = {"text": holding.name, "iri": "", "href": None, "external": None, "note": ""}
    if holding.known_on:
        evidence = f"named by a source of {holding.known_on}" + (
            "" if holding.confirmed else f"; not confirmed for {day.isoformat()}"
        )
    else:
        evidence = "a tenure recorded with its dates"
    return {
        "who": who,
        "since": holding.since or "",
        "evidence": evidence,
        "sources": [view.source(s) for s in sources],
    }


def authority_chart(engine: Engine, site: SiteData, thing: Thing, day: dt.date) -> dict[str, Any]:
    """The chart of an authority's page on ``day``: its SVG, table twin and caption, or a note saying why there
    is none (the data records no post or body of the authority)."""
    if not any(p in _BELONGING for _, p, _ in thing.referenced_by):
        return {"chart_note": "The data records no post or body of this authority: there is no chart to draw."}
    drawn = chart(engine, thing.iri, day)
    links = {n.iri: relative(thing.page, page) for n in drawn.nodes if (page := site.page_of(n.iri))}
    svg = render_svg(drawn, "python", links=links)
    return {
        "chart_svg": svg.split("?>", 1)[-1].strip(),
        "chart_table": render_table(drawn, "html"),
        "chart_caption": drawn.description(),
    }
