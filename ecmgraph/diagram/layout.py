"""A small layered layout in pure Python, so that charts are drawn where Graphviz is not installed.

A Sugiyama-style layout, kept simple: each line ranks its ends (what is answered to above what answers to it:
:attr:`ecmgraph.diagram.model.Line.way`), cycles are broken where a depth-first walk in key order closes them,
each node goes to the row below the lowest of the nodes above it (the longest path from the top), a row of more
than :data:`MAX_PER_ROW` nodes wraps onto the next, and the nodes of each row are ordered by the mean place of
their neighbours, a few sweeps down and up. Lines are straight, from box edge to box edge. Boxes are sized from
their text by an average character width: a reader's font may be a little wider or narrower.

Everything is computed in integers or rounded to one decimal, in an order fixed by the nodes' keys, so the same
chart always gives the same layout.
"""

from __future__ import annotations

import datetime as dt
import math
import textwrap
from collections.abc import Sequence
from dataclasses import dataclass

from ecmgraph.diagram.model import Chart, Line, Node

#: The most nodes on one row: a wider row wraps onto the next.
MAX_PER_ROW = 6
#: Font sizes (px) of a node's label, its kind and holder, and a line's label.
LABEL_SIZE = 12
SMALL_SIZE = 10
#: An average character's width, as a share of the font size (a sans-serif font's is about half of it).
CHAR_WIDTH = 0.56
#: Characters per line of a label before it wraps.
WRAP = 28
PAD_X = 10
PAD_Y = 8
GAP_X = 36
#: The width of the point where a line crosses a row, and the space beside it.
POINT_WIDTH = 6
POINT_GAP = 8
#: How far above its row a line between two boxes of one row (not side by side) passes over the boxes between.
ARC = 14
GAP_Y = 64
MARGIN = 16


@dataclass(frozen=True)
class TextLine:
    """One line of text in a box: its words and its style ("label", "kind" or "holder")."""

    text: str
    style: str

    @property
    def size(self) -> int:
        return LABEL_SIZE if self.style == "label" else SMALL_SIZE


@dataclass(frozen=True)
class Box:
    """Where a node is drawn: its top-left corner, size and lines of text."""

    node: Node
    x: float
    y: float
    width: float
    height: float
    text: tuple[TextLine, ...]

    @property
    def centre(self) -> tuple[float, float]:
        return (self.x + self.width / 2, self.y + self.height / 2)


@dataclass(frozen=True)
class Segment:
    """Where a line is drawn: from one box edge, through the points where it crosses the rows between, to the
    other box's edge; and the centre of its label."""

    line: Line
    points: tuple[tuple[float, float], ...]
    label_at: tuple[float, float]


@dataclass(frozen=True)
class Layout:
    """A chart laid out: its size, its boxes (in the chart's node order) and its segments (in line order)."""

    width: float
    height: float
    boxes: tuple[Box, ...]
    segments: tuple[Segment, ...]


def node_text(node: Node, day: dt.date) -> tuple[TextLine, ...]:
    """A node's lines of text: its label (wrapped), its kind (unless the label says it), and for a post who holds
    it on ``day``."""
    lines = [TextLine(t, "label") for t in textwrap.wrap(node.label, WRAP) or [node.label]]
    if node.shown_kind:
        lines += [TextLine(t, "kind") for t in textwrap.wrap(node.shown_kind, WRAP + 6)]
    if node.is_post:
        holder = "Holder: " + node.holder_text(day)
        lines += [TextLine(t, "holder") for t in textwrap.wrap(holder, WRAP + 6)]
    return tuple(lines)


def _size(text: Sequence[TextLine]) -> tuple[float, float]:
    width = max(len(t.text) * t.size * CHAR_WIDTH for t in text) + 2 * PAD_X
    height = sum(round(t.size * 1.3) for t in text) + 2 * PAD_Y
    return (round(width, 1), float(height))


def rows(chart: Chart) -> list[list[str]]:
    """The keys of each row, top first, in their order within the row: nodes' keys, and ``~N~D`` for the point
    where the chart's line N (from 0) crosses row D on its way to a row further up or down."""
    return _grid(chart)[0]


def _grid(chart: Chart) -> tuple[list[list[str]], dict[int, list[str]]]:
    keys = [n.key for n in chart.nodes]
    above: dict[str, set[str]] = {k: set() for k in keys}
    for line in chart.lines:
        if line.way == "up":
            above[line.source].add(line.target)
        elif line.way == "down":
            above[line.target].add(line.source)
    above = _without_cycles(keys, above)
    depth: dict[str, int] = {}

    def depth_of(key: str) -> int:
        if key not in depth:
            depth[key] = 1 + max((depth_of(k) for k in sorted(above[key])), default=-1)
        return depth[key]

    linked = {k for x in chart.lines for k in (x.source, x.target)}
    for key in keys:
        depth_of(key)
    low = set(chart.bottom()) & linked
    floor = max((depth[k] for k in linked - low), default=-1) + 1
    for key in sorted(low):  # districts and partners on the rows below the rest
        depth[key] = max(depth[key], floor)
    layers: dict[int, list[str]] = {d: [] for d in range(max((depth[k] for k in linked), default=-1) + 1)}
    for key in keys:
        if key in linked:
            layers[depth[key]].append(key)
    # A line that spans rows passes through a point on each row between its ends, ordered with the boxes.
    chains: dict[int, list[str]] = {}
    for number, line in enumerate(chart.lines):
        top, bottom = sorted((depth[line.source], depth[line.target]))
        passes = [f"~{number}~{d}" for d in range(top + 1, bottom)]
        for point in passes:
            layers[int(point.rsplit("~", 1)[1])].append(point)
        chains[number] = passes if depth[line.source] < depth[line.target] else passes[::-1]
    ordered = _order([layers[d] for d in sorted(layers)], chart.lines, chains)
    alone = [k for k in keys if k not in linked]  # nodes with no line at all: rows of their own, at the bottom
    ordered += [alone[i : i + MAX_PER_ROW] for i in range(0, len(alone), MAX_PER_ROW)]
    return ordered, chains


def _without_cycles(keys: Sequence[str], above: dict[str, set[str]]) -> dict[str, set[str]]:
    """``above`` less the links that close a cycle, found by a depth-first walk in key order."""
    kept: dict[str, set[str]] = {k: set() for k in keys}
    state: dict[str, int] = {}  # 1: on the walk's path, 2: done
    for root in keys:
        if root in state:
            continue
        stack: list[tuple[str, list[str]]] = [(root, sorted(above[root]))]
        state[root] = 1
        while stack:
            key, todo = stack[-1]
            if not todo:
                state[key] = 2
                stack.pop()
                continue
            nxt = todo.pop(0)
            if state.get(nxt) == 1:
                continue  # closes a cycle: left out
            kept[key].add(nxt)
            if nxt not in state:
                state[nxt] = 1
                stack.append((nxt, sorted(above[nxt])))
    return kept


def _order(layers: list[list[str]], lines: Sequence[Line], chains: dict[int, list[str]]) -> list[list[str]]:
    """Each layer ordered by the mean place of its members' neighbours in the other layers (barycentres)."""
    neighbours: dict[str, set[str]] = {}
    for number, x in enumerate(lines):
        path = [x.source, *chains.get(number, []), x.target]
        for a, b in zip(path, path[1:]):
            neighbours.setdefault(a, set()).add(b)
            neighbours.setdefault(b, set()).add(a)
    layer_of = {k: i for i, layer in enumerate(layers) for k in layer}
    place = {k: (j + 0.5) / len(layer) for layer in layers for j, k in enumerate(layer)}
    for sweep in range(6):
        sequence = range(len(layers)) if sweep % 2 == 0 else range(len(layers) - 1, -1, -1)
        for i in sequence:
            layer = layers[i]

            def centre(key: str) -> float:
                near = [place[n] for n in sorted(neighbours.get(key, ())) if layer_of.get(n) != i]
                return sum(near) / len(near) if near else place[key]

            layer.sort(key=lambda k: (round(centre(k), 6), round(place[k], 6), k))
            place.update({k: (j + 0.5) / len(layer) for j, k in enumerate(layer)})
    return layers


def layout(chart: Chart) -> Layout:
    """The chart laid out in rows (see the module's description)."""
    texts = {n.key: node_text(n, chart.as_of) for n in chart.nodes}
    sizes = {k: _size(t) for k, t in texts.items()}
    grid, chains = _grid(chart)

    def width_of(key: str) -> float:
        return sizes[key][0] if key in sizes else POINT_WIDTH

    def row_width(row: Sequence[str]) -> float:
        return sum(width_of(k) for k in row) + sum(_gap(a, b) for a, b in zip(row, row[1:]))

    width = max((row_width(row) for row in grid), default=0) + 2 * MARGIN
    boxes: dict[str, Box] = {}
    points: dict[str, tuple[float, float, float]] = {}  # x, and the top and bottom of its row
    place: dict[str, tuple[int, int, float]] = {}  # each box's row, place among the row's boxes, row top
    y = float(MARGIN)
    for number, row in enumerate(grid):
        place.update({k: (number, i, y) for i, k in enumerate(k for k in row if k in sizes)})
        x = round((width - row_width(row)) / 2, 1)
        height = max((sizes[k][1] for k in row if k in sizes), default=0.0)
        for previous, key in zip([None, *row], row):
            x = round(x + (_gap(previous, key) if previous else 0), 1)
            if key in sizes:
                w, h = sizes[key]
                boxes[key] = Box(chart.node(key), x, round(y + (height - h) / 2, 1), w, h, texts[key])
            else:
                points[key] = (round(x + POINT_WIDTH / 2, 1), round(y, 1), round(y + height, 1))
            x = round(x + width_of(key), 1)
        y += height + GAP_Y
    height = y - GAP_Y + MARGIN if grid else 2 * MARGIN
    segments = []
    areas = _Rectangles()  # the boxes
    for box in boxes.values():
        areas.add((box.x, box.y, box.x + box.width, box.y + box.height))
    placed = _Rectangles()  # the labels placed so far
    for number, line in enumerate(chart.lines):
        source, target = boxes[line.source], boxes[line.target]
        downwards = source.y < target.y
        via = [
            point
            for x, top, bottom in (points[k] for k in chains.get(number, []))
            for point in (((x, top), (x, bottom)) if downwards else ((x, bottom), (x, top)))
        ]  # straight down (or up) through each row it crosses, beside its boxes
        (row_no, at, top), (other_no, other_at, _) = place[line.source], place[line.target]
        if row_no == other_no and abs(at - other_at) > 1:  # over the boxes between, not through them
            over = round(top - ARC, 1)
            path: tuple[tuple[float, float], ...] = (
                (source.centre[0], source.y),
                (source.centre[0], over),
                (target.centre[0], over),
                (target.centre[0], target.y),
            )
        else:
            start = _edge(source, via[0] if via else target.centre)
            end = _edge(target, via[-1] if via else source.centre)
            path = (start, *via, end)
        segments.append(Segment(line, path, _label_place(line.label, path, areas, placed)))
    return Layout(round(width, 1), round(height, 1), tuple(boxes[n.key] for n in chart.nodes), tuple(segments))


Rectangle = tuple[float, float, float, float]  # left, top, right, bottom


class _Rectangles:
    """Rectangles kept by the cells of a square grid they cover, so that whether a rectangle overlaps one of them
    is asked only of those that share a cell with it (two rectangles that overlap share the cells of their common
    part): a chart of hundreds of boxes and labels is laid out in linear time, not quadratic."""

    CELL = 64.0

    def __init__(self) -> None:
        self._cells: dict[tuple[int, int], list[Rectangle]] = {}

    def _cells_of(self, r: Rectangle) -> list[tuple[int, int]]:
        cell = self.CELL
        xs = range(math.floor(r[0] / cell), math.floor(r[2] / cell) + 1)
        ys = range(math.floor(r[1] / cell), math.floor(r[3] / cell) + 1)
        return [(x, y) for x in xs for y in ys]

    def add(self, r: Rectangle) -> None:
        for key in self._cells_of(r):
            self._cells.setdefault(key, []).append(r)

    def overlap(self, r: Rectangle) -> bool:
        """True if ``r`` overlaps one of the rectangles (more than along an edge)."""
        left, top, right, bottom = r
        for key in self._cells_of(r):
            for o in self._cells.get(key, ()):
                if left < o[2] and o[0] < right and top < o[3] and o[1] < bottom:
                    return True
        return False


def _label_place(
    label: str, path: Sequence[tuple[float, float]], boxes: _Rectangles, placed: _Rectangles
) -> tuple[float, float]:
    """The centre of a line's label: the first place along the line, trying a little nearer its source first (where
    the lines into one box part), where it overlaps no box and no label placed before it; else no box; else that
    first place. The label's rectangle is added to ``placed``."""
    half_w, half_h = len(label) * (SMALL_SIZE - 1) * CHAR_WIDTH / 2 + 2, (SMALL_SIZE - 1) * 0.7
    stretches = list(zip(path, path[1:]))
    tries = [(0, 0.4), (0, 0.25), (0, 0.55), (0, 0.7)] + [(i, s) for i in range(1, len(stretches)) for s in (0.5, 0.3)]
    spots = []
    for index, share in tries:
        (x1, y1), (x2, y2) = stretches[index]
        spots.append((round(x1 + (x2 - x1) * share, 1), round(y1 + (y2 - y1) * share, 1)))

    def around(spot: tuple[float, float]) -> Rectangle:
        x, y = spot
        return (x - half_w, y - half_h, x + half_w, y + half_h)

    free_of_boxes = [p for p in spots if not boxes.overlap(around(p))]
    spot = next(
        (p for p in free_of_boxes if not placed.overlap(around(p))), free_of_boxes[0] if free_of_boxes else spots[0]
    )
    placed.add(around(spot))
    return spot


def _gap(a: str | None, b: str) -> float:
    """The space between two neighbours on a row: less beside a line's passing point than between boxes."""
    return GAP_X if a is not None and not a.startswith("~") and not b.startswith("~") else POINT_GAP


def _edge(box: Box, towards: tuple[float, float]) -> tuple[float, float]:
    """Where the straight line from ``box``'s centre to the point ``towards`` leaves ``box``."""
    (cx, cy), (tx, ty) = box.centre, towards
    dx, dy = tx - cx, ty - cy
    if dx == 0 and dy == 0:
        return (round(cx, 1), round(cy, 1))
    half_w, half_h = box.width / 2, box.height / 2
    scale = min(half_w / abs(dx) if dx else float("inf"), half_h / abs(dy) if dy else float("inf"))
    return (round(cx + dx * scale, 1), round(cy + dy * scale, 1))
