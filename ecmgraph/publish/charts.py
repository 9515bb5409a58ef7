"""The accountability chart of an authority's page, and the holders of a post's page, from ``ecmgraph.diagram``.

This module is the one hook between the site and the charts: the pages embed what :func:`authority_chart` gives
(the SVG, laid out by ecmgraph's own layout so that every machine draws the same bytes, and its table twin).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from ecmgraph.diagram import chart, render_svg, render_table
from ecmgraph.diagram.holders import holdings
from ecmgraph.engines import Engine
from ecmgraph.namespaces import ECM, ORG
from ecmgraph.publish.model import SiteData, Thing
from ecmgraph.publish.pages import relative

#: What makes a post or body an authority's own, and so gives the authority a chart.
_BELONGING = (str(ORG.postIn), str(ECM.bodyOf))


def holders(engine: Engine, posts: Sequence[str], day: dt.date) -> dict[str, tuple[str, ...]]:
    """Each post's holders on ``day`` in words ("not recorded" where the data says nothing, never vacant)."""
    if not posts:
        return {}
    found = holdings(engine, posts, day)
    return {post: tuple(h.text(day) for h in found.get(post, ())) or ("not recorded",) for post in posts}


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
