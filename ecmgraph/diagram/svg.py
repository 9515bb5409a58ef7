"""Charts as accessible SVG: a ``<title>`` and a ``<desc>`` the ``<svg role="img">`` is labelled by, real ``<text>``
labels, a ``<title>`` on every box and line (the line as a sentence), and styles as presentation attributes (no
``<style>`` element, no script), so that a page with a strict Content Security Policy shows it as it is.

:func:`render_svg` draws with Graphviz (:mod:`ecmgraph.diagram.dot`) or with the pure-Python layout
(:mod:`ecmgraph.diagram.layout`); both give the same markup around the drawing, and both the same bytes for the
same chart every run.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from xml.sax.saxutils import escape, quoteattr

from ecmgraph.diagram.layout import SMALL_SIZE, Box, Segment, layout
from ecmgraph.diagram.model import Chart

__all__ = ["ENGINES", "FILLS", "chart_id", "render_svg", "resolve_engine"]

#: The engines that lay a chart out: "auto" is Graphviz where its ``dot`` is installed, else "python".
ENGINES = ("auto", "graphviz", "python")
#: Each group's fill: light, so that black text on it keeps a contrast ratio above 12:1.
FILLS: dict[str, str] = {
    "authority": "#dfe8f5",
    "council": "#d6e6f5",
    "member": "#fbe3d3",
    "officer": "#dff0d5",
    "partnership": "#fff1c2",
    "district": "#ebe4f5",
    "partner": "#eeeeee",
    "post": "#fbe3d3",
    "unit": "#eeeeee",
    "person": "#ffffff",
    "other": "#ffffff",
}
#: How each way of line is dashed: lines answered up are solid, lines that hold to account dashed, others dotted.
DASHES = {"up": "", "down": "6 3", "side": "2 3"}
FONT = "Helvetica, Arial, sans-serif"


def chart_id(chart: Chart) -> str:
    """The prefix of the chart's element ids (``ecm-chart-E10000028``): unique per authority on a page."""
    tail = chart.code or re.split(r"[/#]", chart.authority.rstrip("/"))[-1]
    return "ecm-chart-" + re.sub(r"[^A-Za-z0-9_-]", "-", tail)


def resolve_engine(engine: str) -> str:
    """The engine to draw with: ``engine`` itself, or for "auto" Graphviz where it can run, else "python".
    Raises InputError for "graphviz" where Graphviz's ``dot`` (or its Python package) is absent."""
    from ecmgraph.diagram.dot import graphviz_available, require_graphviz

    if engine == "auto":
        return "graphviz" if graphviz_available() else "python"
    if engine == "graphviz":
        require_graphviz()
    return engine


def render_svg(chart: Chart, engine: str = "auto", links: Mapping[str, str] | None = None) -> str:
    """The chart as an SVG document (UTF-8 text ending in a newline), laid out by ``engine`` ("auto", "graphviz"
    or "python"; "auto" also falls back to "python" where Graphviz fails on the chart). ``links`` maps a node's IRI
    to the address its box links to (a page of a published site, say). Raises InputError for "graphviz" where
    Graphviz is not installed, and GraphvizFailed where it fails on the chart."""
    if resolve_engine(engine) == "graphviz":
        from ecmgraph.diagram.dot import GraphvizFailed, render_graphviz_svg

        try:
            return render_graphviz_svg(chart, links)
        except GraphvizFailed:
            if engine != "auto":
                raise
    return python_svg(chart, links)  # where Graphviz is absent, or (auto) failed on this chart


def opening(chart: Chart, width: float, height: float) -> str:
    """The ``<svg>`` start tag and the ``<title>`` and ``<desc>`` it is labelled by."""
    from ecmgraph.namespaces import SVG

    ident = chart_id(chart)
    return (
        f'<svg xmlns="{SVG}" role="img" aria-labelledby="{ident}-title {ident}-desc" class="ecm-chart" '
        f'width="{number(width)}" height="{number(height)}" viewBox="0 0 {number(width)} {number(height)}" '
        f'font-family="{FONT}">\n'
        f'<title id="{ident}-title">{escape(chart.title)}</title>\n'
        f'<desc id="{ident}-desc">{escape(chart.description())}</desc>\n'
    )


def python_svg(chart: Chart, links: Mapping[str, str] | None = None) -> str:
    """The chart laid out in pure Python (:func:`ecmgraph.diagram.layout.layout`), as SVG; each box links to the
    address ``links`` gives its node's IRI, if any."""
    drawn = layout(chart)
    ident = chart_id(chart)
    out = [opening(chart, drawn.width, drawn.height), _defs(ident)]
    out.append(f'<rect width="{number(drawn.width)}" height="{number(drawn.height)}" fill="#ffffff"/>\n')
    out.append('<g class="lines">\n')
    out += [_segment(chart, ident, n, s) for n, s in enumerate(drawn.segments, 1)]
    out.append('</g>\n<g class="nodes">\n')
    out += [_box(ident, b, chart, (links or {}).get(b.node.iri)) for b in drawn.boxes]
    out.append('</g>\n<g class="line-labels">\n')  # over the boxes, where a short line's label meets them
    out += [_label(s) for s in drawn.segments]
    out.append("</g>\n</svg>\n")
    return "".join(out)


def _defs(ident: str) -> str:
    return (
        f'<defs><marker id="{ident}-arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="8" '
        'markerHeight="8" orient="auto-start-reverse"><path d="M 0 0 L 10 5 L 0 10 z" fill="#333333"/></marker>'
        "</defs>\n"
    )


def _segment(chart: Chart, ident: str, position: int, segment: Segment) -> str:
    line = segment.line
    sentence = chart.sentence(line)
    path = " L ".join(f"{number(x)} {number(y)}" for x, y in segment.points)
    dash = DASHES[line.way]
    dashed = f' stroke-dasharray="{dash}"' if dash else ""
    return (
        f'<g class="line" id="{ident}-e{position:02d}"><title>{escape(sentence)}</title>'
        f'<path d="M {path}" fill="none" stroke="#333333" stroke-width="1.2"'
        f'{dashed} marker-end="url(#{ident}-arrow)"/></g>\n'
    )


def _label(segment: Segment) -> str:
    (x, y) = segment.label_at
    return (
        f'<text x="{number(x)}" y="{number(y + 3)}" text-anchor="middle" font-size="{SMALL_SIZE - 1}" fill="#222222" '
        f'stroke="#ffffff" stroke-width="3" paint-order="stroke">{escape(segment.line.label)}</text>\n'
    )


def _box(ident: str, box: Box, chart: Chart, link: str | None) -> str:
    node = box.node
    title = node.title(chart.as_of)
    parts = [
        f'<g class="node {node.group}" id="{ident}-{node.key}"><title>{escape(title)}</title>',
        f"<a href={quoteattr(link)}>" if link else "",
        f'<rect x="{number(box.x)}" y="{number(box.y)}" width="{number(box.width)}" height="{number(box.height)}" rx="6" '
        f'fill="{FILLS.get(node.group, "#ffffff")}" stroke="#333333" stroke-width="1"/>',
        f'<text x="{number(box.x + box.width / 2)}" text-anchor="middle" fill="#000000">',
    ]
    y = box.y + 8
    for line in box.text:
        y += round(line.size * 1.3)
        style = (
            ' font-weight="bold"' if line.style == "label" else ' font-style="italic"' if line.style == "kind" else ""
        )
        parts.append(
            f'<tspan x="{number(box.x + box.width / 2)}" y="{number(y - 3)}" font-size="{line.size}"{style}>'
            f"{escape(line.text)}</tspan>"
        )
    parts.append("</text></a></g>\n" if link else "</text></g>\n")
    return "".join(parts)


def number(value: float) -> str:
    """A coordinate as SVG writes it: at most one decimal, no trailing zeros."""
    text = f"{round(value, 1):.1f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text
