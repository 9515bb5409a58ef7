"""Query results for people and programs: a text table, CSV, TSV, JSON (SPARQL 1.1 results), Markdown, or RDF.

Local (pyoxigraph) and remote (SPARQL endpoint) results both arrive as :mod:`ecmgraph.results`, so one renderer
serves both. Output is deterministic: rows keep the order the query gives; RDF is sorted, blank nodes renamed.
"""

from __future__ import annotations

import csv
import io
import json
import shutil
import textwrap
from collections.abc import Sequence

import pyoxigraph as ox

from ecmgraph.namespaces import RDF, XSD
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
_RDF_LANG_STRING = str(RDF.langString)


def render_table(table: Table, fmt: str, *, width: int | None = None) -> str:
    """Render a SELECT result in one of TABLE_FORMATS."""
    if fmt == "table":
        return _text_table(table, width or shutil.get_terminal_size((100, 24)).columns)
    if fmt in ("csv", "tsv"):
        return _delimited(table, "," if fmt == "csv" else "\t")
    if fmt == "json":
        return _sparql_json(table)
    if fmt == "markdown":
        return _markdown(table)
    raise ValueError(f"unknown table format {fmt!r}")


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


def _markdown(table: Table) -> str:
    def esc(text: str) -> str:
        return text.replace("|", "\\|").replace("\n", " ")

    lines = ["| " + " | ".join(table.columns) + " |", "|" + "|".join("---" for _ in table.columns) + "|"]
    for row in table.rows:
        lines.append("| " + " | ".join(esc(cell_text(t)) for t in row) + " |")
    return "\n".join(lines) + "\n"


def _json_term(term: Term) -> dict[str, object]:
    if isinstance(term, ox.NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, ox.BlankNode):
        return {"type": "bnode", "value": term.value}
    if isinstance(term, ox.Literal):
        out: dict[str, object] = {"type": "literal", "value": term.value}
        if term.language:
            out["xml:lang"] = term.language
        elif term.datatype.value not in (_XSD_STRING, _RDF_LANG_STRING):
            out["datatype"] = term.datatype.value
        return out
    return {"type": "triple", "value": str(term)}


def _sparql_json(table: Table) -> str:
    bindings = [{col: _json_term(t) for col, t in zip(table.columns, row) if t is not None} for row in table.rows]
    doc = {"head": {"vars": list(table.columns)}, "results": {"bindings": bindings}}
    return json.dumps(doc, indent=2, ensure_ascii=False) + "\n"


def _column_widths(natural: Sequence[int], headers: Sequence[int], available: int) -> list[int]:
    """Share ``available`` characters among columns: narrow ones keep their width, wide ones are wrapped."""
    widths = list(natural)
    if sum(widths) <= available:
        return widths
    floor = [max(h, 8) for h in headers]
    while sum(widths) > available:
        widest = max(range(len(widths)), key=lambda i: widths[i] - floor[i])
        if widths[widest] <= floor[widest]:
            break  # cannot shrink further: let the terminal wrap the line rather than lose text
        widths[widest] -= 1
    return widths


#: Below this many characters a wrapped column is hard to read: the table turns into one block per row instead.
_NARROWEST_READABLE = 14


def _text_table(table: Table, terminal_width: int) -> str:
    """A plain table that fits the terminal: long cells wrap onto more lines, nothing is cut.

    When the columns would have to be squeezed below a readable width, each row is shown as a block of
    ``column  value`` lines instead (like psql's expanded display).
    """
    if not table.columns:
        return ""
    cells = [[cell_text(t) for t in row] for row in table.rows]
    natural = [max([len(c)] + [len(r[i]) for r in cells]) for i, c in enumerate(table.columns)]
    gap = 2
    widths = _column_widths(natural, [len(c) for c in table.columns], terminal_width - gap * (len(natural) - 1))
    if (
        any(w < min(n, _NARROWEST_READABLE) for w, n in zip(widths, natural))
        or sum(widths) + gap * (len(widths) - 1) > terminal_width
    ):
        return _expanded(table.columns, cells, terminal_width)

    def lines_for(values: Sequence[str]) -> list[str]:
        wrapped = [_wrap(v, w) for v, w in zip(values, widths)]
        height = max(len(w) for w in wrapped)
        out = []
        for i in range(height):
            parts = [(w[i] if i < len(w) else "").ljust(width) for w, width in zip(wrapped, widths)]
            out.append((" " * gap).join(parts).rstrip())
        return out

    lines = lines_for(list(table.columns))
    lines.append((" " * gap).join("-" * w for w in widths))
    for row in cells:
        lines.extend(lines_for(row))
    lines.append(_row_count(len(table.rows)))
    return "\n".join(lines) + "\n"


_WHITESPACE_TEXTWRAP_CHANGES = frozenset("\t\n\x0b\x0c\r")


def _wrap(text: str, width: int) -> list[str]:
    if len(text) <= width and text == text.strip(" ") and not _WHITESPACE_TEXTWRAP_CHANGES.intersection(text):
        return [text]  # what textwrap gives for a cell that fits (most do), at a fraction of its cost
    return textwrap.wrap(text, max(width, 1), break_long_words=True, break_on_hyphens=False) or [""]


def _row_count(count: int) -> str:
    return f"({count} row{'s' if count != 1 else ''})"


def _expanded(columns: Sequence[str], cells: Sequence[Sequence[str]], terminal_width: int) -> str:
    """One block per row: a header line, then each column's name and its (wrapped) value."""
    name_width = max(len(c) for c in columns)
    value_width = max(terminal_width - name_width - 2, 20)
    lines: list[str] = []
    for number, row in enumerate(cells, start=1):
        header = f"-[ row {number} ]"
        lines.append(header + "-" * max(min(terminal_width, name_width + 2 + value_width) - len(header), 3))
        for column, value in zip(columns, row):
            for i, part in enumerate(_wrap(value, value_width)):
                lines.append(f"{(column if i == 0 else '').ljust(name_width)}  {part}".rstrip())
    lines.append(_row_count(len(cells)))
    return "\n".join(lines) + "\n"


def rows_as_text(table: Table) -> list[dict[str, str]]:
    """Rows as dictionaries of plain strings (full IRIs), convenient for tests and JSON reports."""
    return [{c: cell_text(t, compact_iris=False) for c, t in zip(table.columns, row)} for row in table.rows]
