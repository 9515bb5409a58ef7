"""An authority's chart drawn in one of the forms ``ecmgraph diagram`` writes: :func:`draw`."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from ecmgraph.diagram.dot import GraphvizFailed, render_dot
from ecmgraph.diagram.model import Chart, chart, resolve_authority
from ecmgraph.diagram.svg import render_svg, resolve_engine
from ecmgraph.diagram.table import render_page, render_table
from ecmgraph.engines import Engine
from ecmgraph.errors import InputError
from ecmgraph.store import Dataset

#: The forms a chart is drawn in: SVG, Graphviz DOT, the table twin as text, a page with the chart and its twin.
FORMATS = ("svg", "dot", "table", "html")


@dataclass(frozen=True)
class Drawing:
    """A chart drawn: the chart itself, the text written, its form, what laid it out ("graphviz" or "python"; None
    for DOT and the table) and, where Graphviz was asked for by "auto" and failed, why it was not used."""

    chart: Chart
    text: str
    format: str
    laid_out_by: str | None = None
    fallback: str | None = None


def draw(
    data: Dataset | Engine,
    authority: str,
    *,
    as_of: dt.date | None = None,
    format: str = "svg",
    engine: str = "auto",
) -> Drawing:
    """The accountability chart of ``authority`` (a name, council name, GSS code or IRI) as at ``as_of`` (default
    today), drawn as ``format`` (:data:`FORMATS`), laid out by ``engine`` ("auto": Graphviz where it is installed
    and can lay the chart out, else ecmgraph's own layout; "graphviz"; "python").

    Raises InputError for an unknown form or engine, or "graphviz" where it is not installed; UnknownName or
    AmbiguousName for the authority; GraphvizFailed where "graphviz" was asked for and failed on the chart.
    """
    if format not in FORMATS:
        raise InputError(f"no chart form {format!r}", hint="one of " + ", ".join(FORMATS))
    if engine not in ("auto", "graphviz", "python"):
        raise InputError(f"no layout engine {engine!r}", hint="one of auto, graphviz, python")
    drawing = resolve_engine(engine) if format in ("svg", "html") else None
    day = as_of or dt.date.today()
    drawn = chart(data, resolve_authority(data, authority, day), day)
    if format == "dot":
        return Drawing(drawn, render_dot(drawn), format)
    if format == "table":
        return Drawing(drawn, render_table(drawn, "text"), format)
    fallback = None
    try:
        svg = render_svg(drawn, drawing or engine)
    except GraphvizFailed as failed:
        if engine != "auto":
            raise
        fallback, drawing, svg = failed.message, "python", render_svg(drawn, "python")
    return Drawing(drawn, render_page(drawn, svg) if format == "html" else svg, format, drawing, fallback)
