"""Accountability charts: an authority's posts, bodies, districts and partners, and the lines between them.

- :mod:`~ecmgraph.diagram.model`: the chart as data, read from the data (:func:`chart`);
- :mod:`~ecmgraph.diagram.holders`: who holds a post on a day, or was last known to;
- :mod:`~ecmgraph.diagram.layout`: a small layered layout in pure Python, for when Graphviz is absent;
- :mod:`~ecmgraph.diagram.svg`: accessible SVG (title, desc, text labels, role="img"), from either layout;
- :mod:`~ecmgraph.diagram.dot`: the chart as Graphviz DOT, laid out by Graphviz's ``dot`` where it is installed;
- :mod:`~ecmgraph.diagram.table`: the chart's table twin (text or HTML), with the same nodes and lines.

::

    data = ecmgraph.load()
    staffordshire = chart(data, resolve_authority(data, "Staffordshire"), datetime.date(2009, 1, 1))
    svg = render_svg(staffordshire)              # Graphviz where installed, else the pure-Python layout
    twin = render_table(staffordshire, "html")   # the same nodes and lines, for screen readers
"""

from ecmgraph.diagram.dot import GraphvizFailed, graphviz_available, render_dot
from ecmgraph.diagram.model import GROUPS, Chart, Holding, Line, Node, chart, resolve_authority
from ecmgraph.diagram.svg import ENGINES, render_svg, resolve_engine
from ecmgraph.diagram.table import TABLE_FORMATS, render_page, render_table

__all__ = [
    "ENGINES",
    "GROUPS",
    "TABLE_FORMATS",
    "Chart",
    "GraphvizFailed",
    "Holding",
    "Line",
    "Node",
    "chart",
    "graphviz_available",
    "render_dot",
    "render_page",
    "render_svg",
    "render_table",
    "resolve_authority",
    "resolve_engine",
]
