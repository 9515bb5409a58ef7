"""Charts as Graphviz DOT, and laid out by Graphviz's ``dot`` (through the ``graphviz`` Python package) where it
is installed.

Each line ranks its ends as in the pure-Python layout: a line answered "up" (reports to, accountable to, member
of…) is written from its target to its source with ``dir=back``, so that what is answered to is drawn above and
the arrow still points at it; a line that holds to account ("down") is written as it is; a "side" line does not
rank (``constraint=false``). Graphviz's SVG is then given the same accessible markup as the pure-Python one: the
chart's ``<title>`` and ``<desc>``, ``role="img"``, and on each box and line a ``<title>`` that says what it is
(Graphviz's own are its node names), with Graphviz's comments and DOCTYPE left out.
"""

from __future__ import annotations

import functools
import shutil
import xml.etree.ElementTree as ET
from collections.abc import Mapping

from ecmgraph.diagram.layout import node_text
from ecmgraph.diagram.model import Chart
from ecmgraph.diagram.svg import DASHES, FILLS, FONT, chart_id, number, opening
from ecmgraph.errors import InputError
from ecmgraph.namespaces import SVG, XLINK

__all__ = ["GraphvizFailed", "graphviz_available", "render_dot", "render_graphviz_svg", "require_graphviz"]

_STYLES = {"": "solid", "6 3": "dashed", "2 3": "dotted"}


@functools.cache
def _missing() -> str | None:
    """Why Graphviz cannot run here, or None if it can."""
    try:
        import graphviz  # noqa: F401
    except ImportError:
        return "the graphviz Python package is not installed"
    if shutil.which("dot") is None:
        return "Graphviz's dot program is not installed"
    return None


def graphviz_available() -> bool:
    """True if charts can be laid out by Graphviz here (its ``dot`` and the ``graphviz`` package)."""
    return _missing() is None


def require_graphviz() -> None:
    """Raises InputError, saying what is missing, unless Graphviz can run here."""
    why = _missing()
    if why is not None:
        raise InputError(
            f"cannot draw with Graphviz: {why}",
            hint="install Graphviz (apt-get install graphviz; pip install graphviz), or use --engine python",
        )


def _quote(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _html(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")


def render_dot(chart: Chart, links: Mapping[str, str] | None = None) -> str:
    """The chart as a Graphviz DOT digraph: nodes in the chart's order, then lines in theirs; a node whose IRI
    ``links`` maps to an address links to it."""
    ident = chart_id(chart)
    out = [
        f"digraph {_quote(ident)} {{",
        f"  graph [id={_quote(ident + '-graph')}, rankdir=TB, newrank=true, nodesep=0.3, ranksep=0.7, fontname={_quote(FONT)}, "
        f"label={_quote(chart.title)}, labelloc=t, fontsize=14];",
        f'  node [shape=box, style="rounded,filled", color="#333333", fontname={_quote(FONT)}, fontsize=12, '
        'margin="0.12,0.06"];',
        f'  edge [color="#333333", fontname={_quote(FONT)}, fontsize=9, arrowsize=0.7];',
    ]
    for node in chart.nodes:
        rows = []
        for text in node_text(node, chart.as_of):
            if text.style == "label":
                rows.append(f"<B>{_html(text.text)}</B>")
            elif text.style == "kind":
                rows.append(f'<FONT POINT-SIZE="10"><I>{_html(text.text)}</I></FONT>')
            else:
                rows.append(f'<FONT POINT-SIZE="10">{_html(text.text)}</FONT>')
        label = "<" + "<BR/>".join(rows) + ">"
        fill = FILLS.get(node.group, "#ffffff")
        link = (links or {}).get(node.iri)
        linked = f", href={_quote(link)}, tooltip={_quote(node.title(chart.as_of))}" if link else ""
        out.append(f'  {node.key} [id={_quote(ident + "-" + node.key)}, label={label}, fillcolor="{fill}"{linked}];')
    low = chart.bottom()
    on_lines = {k for x in chart.lines for k in (x.source, x.target)}
    high = [n.key for n in chart.nodes if n.key in on_lines and n.key not in low]
    if low and high:  # districts and partners on the bottom row, below all else, as in the pure-Python layout
        floor = f"{ident}-floor"
        out.append(f'  floor [id={_quote(floor)}, shape=point, width=0, height=0, label="", style=invis];')
        out += [f"  {key} -> floor [id={_quote(f'{floor}-{key}')}, style=invis, weight=0];" for key in high]
        out += [f"  floor -> {key} [id={_quote(f'{floor}-{key}')}, style=invis, weight=0, minlen=0];" for key in low]
    for n, line in enumerate(chart.lines, 1):
        attrs = [f"id={_quote(f'{ident}-e{n:02d}')}", f"label={_quote(line.label)}"]
        style = _STYLES[DASHES[line.way]]
        if style != "solid":
            attrs.append(f"style={style}")
        if line.way == "up":
            tail, head = line.target, line.source
            attrs.append("dir=back")
        else:
            tail, head = line.source, line.target
            if line.way == "side":
                attrs.append("constraint=false")
        out.append(f"  {tail} -> {head} [{', '.join(attrs)}];")
    out.append("}")
    return "\n".join(out) + "\n"


class GraphvizFailed(InputError):
    """Graphviz's ``dot`` could not lay a chart out (it has failed on large ones: "trouble in init_rank")."""


def render_graphviz_svg(chart: Chart, links: Mapping[str, str] | None = None) -> str:
    """The chart laid out by Graphviz's ``dot``, as accessible SVG. Raises InputError if Graphviz is absent, and
    GraphvizFailed if ``dot`` fails on the chart."""
    require_graphviz()
    import graphviz

    try:
        raw = graphviz.Source(render_dot(chart, links)).pipe(format="svg", engine="dot", encoding="utf-8")
    except graphviz.CalledProcessError as exc:
        said = next((line.strip() for line in str(exc.stderr or "").splitlines() if line.startswith("Error")), "")
        raise GraphvizFailed(
            f"Graphviz's dot could not lay out {chart.title!r}" + (f": {said}" if said else ""),
            hint="use --engine python (or --engine auto, which falls back to it)",
        ) from exc
    return _accessible(chart, raw)


def _accessible(chart: Chart, raw: str) -> str:
    """Graphviz's SVG with the chart's title and description, and a meaningful title on each box and line."""
    ET.register_namespace("", SVG)
    ET.register_namespace("xlink", XLINK)
    root = ET.fromstring(raw.encode("utf-8"))
    ident = chart_id(chart)
    titles = {f"{ident}-{n.key}": n.title(chart.as_of) for n in chart.nodes}
    titles |= {f"{ident}-e{n:02d}": chart.sentence(x) for n, x in enumerate(chart.lines, 1)}
    titles[f"{ident}-graph"] = chart.title
    for parent in root.iter(f"{{{SVG}}}g"):  # the invisible node and lines that keep the bottom row down
        for child in list(parent):
            if child.get("id", "").startswith(f"{ident}-floor"):
                parent.remove(child)
    for group in root.iter(f"{{{SVG}}}g"):
        title = group.find(f"{{{SVG}}}title")
        if title is not None and group.get("id") in titles:
            title.text = titles[group.get("id", "")]
    width, height = _points(root.get("width", "0")), _points(root.get("height", "0"))
    body = "".join(ET.tostring(child, encoding="unicode") for child in root)
    body = body.replace(f' xmlns="{SVG}"', "").replace(f' xmlns:xlink="{XLINK}"', "")
    head = opening(chart, width, height).replace(
        f'viewBox="0 0 {number(width)} {number(height)}"', f'viewBox="{root.get("viewBox", "")}"'
    )
    head = head.replace(f'xmlns="{SVG}"', f'xmlns="{SVG}" xmlns:xlink="{XLINK}"')
    return head + body.strip() + "\n</svg>\n"


def _points(value: str) -> float:
    return float(value.removesuffix("pt") or 0)
