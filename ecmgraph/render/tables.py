"""Query results for people and programs: a text table, CSV, TSV, JSON (SPARQL 1.1 results), Markdown, or RDF.

Local (pyoxigraph) and remote (SPARQL endpoint) results both arrive as :mod:`ecmgraph.results`, so one renderer
serves both. Output is deterministic: rows keep the order the query gives; RDF is sorted, blank nodes renamed.

The text table and Markdown are for people: they show labels, not IRIs (``iris=True`` shows the IRIs). A column
of IRIs with a column of their labels beside it (``partner`` and ``partnerLabel``, ``holder`` and
``holderName``) is shown once, as the labels; other IRIs are shown by the labels given (``labels``, read from the
data), else compacted (``ecmid:post/E10000028/dcs``). CSV, TSV and JSON always hold every column and the IRIs in
full.
"""

from __future__ import annotations

import csv
import io
import json
import shutil
import textwrap
from collections.abc import Mapping, Sequence

import pyoxigraph as ox

from ecmgraph.namespaces import XSD
from ecmgraph.results import (
    Graph,
    Table,
    Term,
    cell_text,
    stable_blank_nodes,
    usable_prefixes,
)

TABLE_FORMATS = ("table", "csv", "tsv", "json", "markdown")
GRAPH_FORMATS = ("turtle", "ntriples", "jsonld")

_XSD_STRING = str(XSD.string)


def render_table(
    table: Table,
    fmt: str,
    *,
    width: int | None = None,
    labels: Mapping[str, str] | None = None,
    iris: bool = False,
) -> str:
    """Render a SELECT result in one of TABLE_FORMATS.

    For ``table`` and ``markdown``, IRIs are shown by their labels (those of a label column beside them, else
    ``labels``), unless ``iris``; ``width`` is the terminal's (default: the one there is).
    """
    if fmt == "table":
        columns, cells = display_cells(table, labels or {}, iris=iris)
        return _text_table(columns, cells, width or shutil.get_terminal_size((100, 24)).columns)
    if fmt in ("csv", "tsv"):
        return _delimited(table, "," if fmt == "csv" else "\t")
    if fmt == "json":
        return _sparql_json(table)
    if fmt == "markdown":
        return _markdown(*display_cells(table, labels or {}, iris=iris))
    raise ValueError(f"unknown table format {fmt!r}")


#: A column named after another with one of these endings holds that column's labels: ``partnerLabel``.
LABEL_SUFFIXES = ("Label", "Name", "Title")


def label_columns(table: Table) -> dict[int, int]:
    """Each column of IRIs that has a column of its labels beside it (by name: ``post`` and ``postLabel``,
    ``holder`` and ``holderName``), by index: {IRI column: label column}."""
    index = {c: i for i, c in enumerate(table.columns)}
    out: dict[int, int] = {}
    for i, column in enumerate(table.columns):
        if any(isinstance(row[i], ox.Literal) for row in table.rows):
            continue
        for suffix in LABEL_SUFFIXES:
            j = index.get(column + suffix)
            if j is not None and j not in out.values():
                out[i] = j
                break
    return out


def display_cells(
    table: Table, labels: Mapping[str, str], *, iris: bool = False
) -> tuple[tuple[str, ...], list[list[str]]]:
    """The columns and cells a person reads: with ``iris``, every column with IRIs compacted; otherwise a column
    of IRIs stands for itself and its label column, showing the labels (its own IRI where a row has no label),
    and other IRIs are shown by their ``labels``, except in a column whose labels the table already shows in
    another column of each row (``SELECT ?post ?label``), which keeps its IRIs."""
    if iris:
        return table.columns, [[cell_text(t) for t in row] for row in table.rows]
    companions = label_columns(table)
    shown = [i for i in range(len(table.columns)) if i not in companions.values()]

    def already_labelled(i: int) -> bool:
        pairs = [(term.value, row) for row in table.rows if isinstance(term := row[i], ox.NamedNode)]
        return bool(pairs) and all(
            labels.get(iri) in {t.value for t in row if isinstance(t, ox.Literal)} for iri, row in pairs
        )

    keep_iris = {i for i in shown if i not in companions and already_labelled(i)}
    cells = []
    for row in table.rows:
        out = []
        for i in shown:
            term = row[i]
            if i in companions and row[companions[i]] is not None:
                out.append(cell_text(row[companions[i]]))
            elif isinstance(term, ox.NamedNode) and i not in keep_iris and term.value in labels:
                out.append(labels[term.value])
            else:
                out.append(cell_text(term))
        cells.append(out)
    return tuple(table.columns[i] for i in shown), cells


def render_boolean(value: bool, fmt: str) -> str:
    """Render an ASK result in one of TABLE_FORMATS."""
    if fmt == "json":
        return json.dumps({"head": {}, "boolean": value}, indent=2) + "\n"
    return ("true" if value else "false") + "\n"


def render_graph(graph: Graph, fmt: str) -> str:
    """Render CONSTRUCT/DESCRIBE triples as Turtle, N-Triples or JSON-LD, sorted so output is stable.

    Blank nodes are relabelled in order of appearance, so the same graph gives the same bytes every run.
    """
    formats = {"turtle": ox.RdfFormat.TURTLE, "ntriples": ox.RdfFormat.N_TRIPLES, "jsonld": ox.RdfFormat.JSON_LD}
    if fmt not in formats:
        raise ValueError(f"unknown graph format {fmt!r}")
    triples = stable_blank_nodes(graph.triples)
    prefixes = None if fmt == "ntriples" else usable_prefixes(triples)
    data = ox.serialize(triples, format=formats[fmt], prefixes=prefixes)
    text = data.decode("utf-8") if data else ""
    return text if text.endswith("\n") or not text else text + "\n"


def _delimited(table: Table, delimiter: str) -> str:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter, lineterminator="\n")
    writer.writerow(table.columns)
    for row in table.rows:
        writer.writerow([cell_text(t, compact_iris=False) for t in row])
    return out.getvalue()


def _markdown(columns: Sequence[str], cells: Sequence[Sequence[str]]) -> str:
    def esc(text: str) -> str:
        return text.replace("|", "\\|").replace("\n", " ")

    lines = ["| " + " | ".join(columns) + " |", "|" + "|".join("---" for _ in columns) + "|"]
    for row in cells:
        lines.append("| " + " | ".join(esc(cell) for cell in row) + " |")
    return "\n".join(lines) + "\n"


def json_term(term: Term) -> dict[str, object]:
    """``term`` as the SPARQL JSON results format writes one (a triple term as SPARQL 1.2 does: its three parts)."""
    if isinstance(term, ox.NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, ox.BlankNode):
        return {"type": "bnode", "value": term.value}
    if isinstance(term, ox.Literal):
        out: dict[str, object] = {"type": "literal", "value": term.value}
        if term.language:
            out["xml:lang"] = term.language
        elif term.datatype.value != _XSD_STRING:
            out["datatype"] = term.datatype.value
        return out
    return {"type": "triple", "value": {k: json_term(getattr(term, k)) for k in ("subject", "predicate", "object")}}


def _sparql_json(table: Table) -> str:
    bindings = [{col: json_term(t) for col, t in zip(table.columns, row) if t is not None} for row in table.rows]
    doc = {"head": {"vars": list(table.columns)}, "results": {"bindings": bindings}}
    return json.dumps(doc, indent=2, ensure_ascii=False) + "\n"


def _column_widths(
    natural: Sequence[int], headers: Sequence[int], available: int, words: Sequence[int] = ()
) -> list[int]:
    """Share ``available`` characters among columns: narrow ones keep their width, wide ones are wrapped, but not
    narrower than their header, 8 characters, or their longest word (an IRI, a code: up to 40 characters)."""
    widths = list(natural)
    if sum(widths) <= available:
        return widths
    floor = [max(h, 8, min(w, _LONGEST_KEPT_WORD)) for h, w in zip(headers, list(words) or [0] * len(headers))]
    while sum(widths) > available:
        widest = max(range(len(widths)), key=lambda i: widths[i] - floor[i])
        if widths[widest] <= floor[widest]:
            break  # cannot shrink further: let the terminal wrap the line rather than lose text
        widths[widest] -= 1
    return widths


#: Below this many characters a wrapped column is hard to read, and past this many lines per row (on average) a
#: wrapped table is hard to scan: the table is then shown compact, one line per row, long cells cut.
_NARROWEST_READABLE = 14
_MOST_LINES_PER_ROW = 3
#: A wrapped table of up to this many lines is kept, however tall its rows: it is read, not scanned.
_LINES_ANYWAY = 30
#: A word up to this long (an IRI, a code) is kept whole when columns are wrapped, if the width allows.
_LONGEST_KEPT_WORD = 40
_CUT = "\u2026"
#: In a compact table every column gets at least this many characters (or its natural width) if they fit.
_COMPACT_FLOOR = 10


def _text_table(columns: Sequence[str], cells: Sequence[Sequence[str]], terminal_width: int) -> str:
    """A plain table that fits the terminal: one line per row where it fits; else long cells wrap onto more
    lines, nothing cut; else (columns squeezed below a readable width, or rows of many lines) a compact table,
    one line per row, each cell cut to its column with "…" and a last line that says so."""
    if not columns:
        return ""
    natural = [max([len(c)] + [len(r[i]) for r in cells]) for i, c in enumerate(columns)]
    gap = 2
    available = terminal_width - gap * (len(natural) - 1)
    words = [max((len(word) for r in cells for word in r[i].split()), default=0) for i in range(len(columns))]
    widths = _column_widths(natural, [len(c) for c in columns], available, words)
    readable = all(w >= min(n, _NARROWEST_READABLE) for w, n in zip(widths, natural)) and sum(widths) <= available
    if readable and widths != natural:
        height = sum(max(len(_wrap(v, w)) for v, w in zip(row, widths)) for row in cells)
        readable = height <= max(_MOST_LINES_PER_ROW * len(cells), _LINES_ANYWAY)
    if not readable:
        return _compact(columns, cells, natural, available, gap)

    def lines_for(values: Sequence[str]) -> list[str]:
        wrapped = [_wrap(v, w) for v, w in zip(values, widths)]
        height = max(len(w) for w in wrapped)
        out = []
        for i in range(height):
            parts = [(w[i] if i < len(w) else "").ljust(width) for w, width in zip(wrapped, widths)]
            out.append((" " * gap).join(parts).rstrip())
        return out

    lines = lines_for(list(columns))
    lines.append((" " * gap).join("-" * w for w in widths))
    for row in cells:
        lines.extend(lines_for(row))
    lines.append(_row_count(len(cells)))
    return "\n".join(lines) + "\n"


def _shared_widths(
    natural: Sequence[int], typical: Sequence[int], available: int, headers: Sequence[int] = ()
) -> list[int]:
    """Share ``available`` characters among columns: a column that fits in an equal share keeps its width; the
    wider ones get 10 characters each (or their header's width), then share what is left in proportion to their ``typical`` widths, none
    more than its natural width (when not even 10 each fit: equal shares, at least 3)."""
    widths = [0] * len(natural)
    remaining = available
    left = sorted(range(len(natural)), key=lambda i: natural[i])
    while left and natural[left[0]] <= remaining // len(left):
        i = left.pop(0)
        widths[i] = natural[i]
        remaining -= natural[i]
    while left:
        weight = sum(typical[i] for i in left)
        capped = [i for i in left if natural[i] * weight <= remaining * typical[i]]
        if not capped:
            break
        for i in capped:
            widths[i] = natural[i]
            remaining -= natural[i]
            left.remove(i)
    floors = {i: min(natural[i], max(_COMPACT_FLOOR, headers[i] if headers else 0)) for i in left}
    rest = remaining - sum(floors.values())
    if rest < 0:  # not even the floors fit: equal shares
        for i in left:
            widths[i] = min(natural[i], max(remaining // len(left), 3))
        return widths
    weight = sum(max(typical[i] - floors[i], 1) for i in left) or 1
    for i in left:
        widths[i] = floors[i] + min(natural[i] - floors[i], rest * max(typical[i] - floors[i], 1) // weight)
    return widths


def _median(values: Sequence[int]) -> int:
    return sorted(values)[len(values) // 2] if values else 0


def _cut(text: str, width: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: max(width - 1, 0)] + _CUT


def _compact(
    columns: Sequence[str], cells: Sequence[Sequence[str]], natural: Sequence[int], available: int, gap: int
) -> str:
    """One line per row, each cell cut to a fair share of the width with "…" (never in csv or json)."""
    flat = [[" ".join(v.split()) for v in row] for row in cells]
    natural = [max([len(c)] + [len(r[i]) for r in flat]) for i, c in enumerate(columns)]
    typical = [max(len(c), _median([len(r[i]) for r in flat]), 1) for i, c in enumerate(columns)]
    widths = _shared_widths(natural, typical, available, [len(c) for c in columns])
    sep = " " * gap
    lines = [sep.join(_cut(c, w).ljust(w) for c, w in zip(columns, widths)).rstrip()]
    lines.append(sep.join("-" * w for w in widths))
    cut = False
    for row in flat:
        cut = cut or any(len(v) > w for v, w in zip(row, widths))
        lines.append(sep.join(_cut(v, w).ljust(w) for v, w in zip(row, widths)).rstrip())
    count = _row_count(len(cells))
    if cut:
        count = count[:-1] + f"; long cells cut with {_CUT}: a wider terminal, or --format csv, shows them whole)"
    lines.append(count)
    return "\n".join(lines) + "\n"


_WHITESPACE_TEXTWRAP_CHANGES = frozenset("\t\n\x0b\x0c\r")


def _wrap(text: str, width: int) -> list[str]:
    if len(text) <= width and text == text.strip(" ") and not _WHITESPACE_TEXTWRAP_CHANGES.intersection(text):
        return [text]  # what textwrap gives for a cell that fits (most do), at a fraction of its cost
    return textwrap.wrap(text, max(width, 1), break_long_words=True, break_on_hyphens=False) or [""]


def _row_count(count: int) -> str:
    return f"({count} row{'s' if count != 1 else ''})"


def rows_as_text(table: Table) -> list[dict[str, str]]:
    """Rows as dictionaries of plain strings (full IRIs), convenient for tests and JSON reports."""
    return [{c: cell_text(t, compact_iris=False) for c, t in zip(table.columns, row)} for row in table.rows]
