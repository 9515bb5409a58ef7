"""A chart's table twin, for screen readers and for reading without the picture: the same nodes and the same
lines as the SVG, as a text table or as HTML tables (the nodes with their kinds and holders, then the lines), and
an HTML page that shows the chart above its twin.
"""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

from ecmgraph.diagram.model import Chart
from ecmgraph.diagram.svg import chart_id

__all__ = ["TABLE_FORMATS", "render_page", "render_table"]

#: The forms of the table twin.
TABLE_FORMATS = ("text", "html")


def _node_rows(chart: Chart) -> list[tuple[str, str, str, str]]:
    day = chart.as_of
    return [(n.key, n.label, n.kind[:1].upper() + n.kind[1:], n.holder_text(day)) for n in chart.nodes]


def _line_rows(chart: Chart) -> list[tuple[str, str, str]]:
    return [(chart.node(x.source).label, x.label, chart.node(x.target).label) for x in chart.lines]


def render_table(chart: Chart, fmt: str = "html") -> str:
    """The chart's nodes and lines as a table: ``"text"`` (aligned columns) or ``"html"`` (two ``<table>``s with
    captions and header cells, to embed beside the SVG)."""
    if fmt == "text":
        return _text(chart)
    if fmt == "html":
        return _html(chart)
    raise ValueError(f"unknown table format {fmt!r}")


def _text(chart: Chart) -> str:
    day = chart.as_of.isoformat()
    out = [chart.title, ""]
    nodes = [row[1:] for row in _node_rows(chart)]
    out += _aligned(("name", "kind", f"holder on {day}"), nodes, f"Nodes ({len(chart.nodes)})")
    out.append("")
    out += _aligned(("from", "line", "to"), _line_rows(chart), f"Lines ({len(chart.lines)})")
    if chart.notes:
        out += ["", *chart.notes]
    return "\n".join(line.rstrip() for line in out) + "\n"


def _aligned(header: Sequence[str], rows: Sequence[Sequence[str]], caption: str) -> list[str]:
    if not rows:
        return [f"{caption}: none"]
    widths = [max(len(str(r[i])) for r in [header, *rows]) for i in range(len(header))]
    fmt = "  ".join(f"{{:<{w}}}" for w in widths)
    return [caption, fmt.format(*header), fmt.format(*("-" * w for w in widths)), *(fmt.format(*r) for r in rows)]


def _html(chart: Chart) -> str:
    day = chart.as_of.isoformat()
    ident = f"{chart_id(chart)}-table"
    out = [f'<div class="ecm-chart-table" id="{ident}">']
    out.append(f"<table>\n<caption>{escape(chart.title)}: {len(chart.nodes)} posts, bodies and organisations</caption>")
    out.append(
        '<thead><tr><th scope="col">Name</th><th scope="col">Kind</th>'
        f'<th scope="col">Holder on {day}</th></tr></thead>\n<tbody>'
    )
    for key, label, kind, holder in _node_rows(chart):
        out.append(
            f'<tr id="{ident}-{key}"><th scope="row">{escape(label)}</th><td>{escape(kind)}</td>'
            f"<td>{escape(holder)}</td></tr>"
        )
    out.append("</tbody>\n</table>")
    out.append(f"<table>\n<caption>{escape(chart.title)}: {len(chart.lines)} lines</caption>")
    out.append(
        '<thead><tr><th scope="col">From</th><th scope="col">Line</th><th scope="col">To</th></tr></thead>\n<tbody>'
    )
    for line, (source, kinds, target) in zip(chart.lines, _line_rows(chart)):
        out.append(
            f'<tr><td><a href="#{ident}-{line.source}">{escape(source)}</a></td><td>{escape(kinds)}</td>'
            f'<td><a href="#{ident}-{line.target}">{escape(target)}</a></td></tr>'
        )
    out.append("</tbody>\n</table>")
    out += [f"<p>{escape(note)}</p>" for note in chart.notes]
    out.append("</div>")
    return "\n".join(out) + "\n"


def render_page(chart: Chart, svg: str) -> str:
    """A whole HTML page (no script, no stylesheet to fetch): the chart's ``svg`` in a figure, then its table twin."""
    title = escape(chart.title)
    body = svg.split("?>", 1)[-1].strip()
    return (
        "<!DOCTYPE html>\n"
        '<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        f"<title>{title}</title>\n"
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        "</head>\n<body>\n"
        f"<h1>{title}</h1>\n"
        f"<figure>\n{body}\n<figcaption>{escape(chart.description())} The table below gives the same nodes and "
        "lines.</figcaption>\n</figure>\n"
        f"{render_table(chart, 'html')}"
        "</body>\n</html>\n"
    )
