"""A long table read as a grid, as a query's header ``pivot`` describes it: rows down, one column per value of
another column, each cell one character with a legend (``ecmgraph query run compliance-matrix`` as a table)."""

from __future__ import annotations

import os

from ecmgraph.queries.catalogue import Pivot
from ecmgraph.results import Table, cell_text

#: The widest row label shown; longer ones are cut with "…" (the csv and json formats keep them whole).
MAX_LABEL = 32


def render_pivot(table: Table, pivot: Pivot, *, width: int | None = None) -> str:
    """The table as a grid of symbols with a legend, in blocks of columns that fit ``width`` (default: the
    terminal's). Rows and columns keep the order the query gives; a value with no symbol shows as ``*``."""
    width = width or _terminal_width()
    index = {name: i for i, name in enumerate(table.columns)}
    rows: dict[str, dict[str, str]] = {}
    columns: dict[str, None] = {}
    for row in table.rows:
        label = " ".join(cell_text(row[index[c]]) for c in pivot.rows)
        column = cell_text(row[index[pivot.column]])
        columns[column] = None
        rows.setdefault(label, {})[column] = pivot.symbols.get(cell_text(row[index[pivot.value]]), "*")
    if not rows:
        return "(no rows)\n"
    names = list(columns)
    prefix = os.path.commonprefix(names) if len(names) > 1 else ""
    heads = [name[len(prefix) :] or name for name in names]
    cell = max(len(h) for h in heads)
    labels = {label: label if len(label) <= MAX_LABEL else label[: MAX_LABEL - 1] + "…" for label in rows}
    label_width = max(len(shown) for shown in labels.values())
    per_block = max(1, (width - label_width - 1) // (cell + 1))
    out: list[str] = []
    for start in range(0, len(names), per_block):
        block = range(start, min(start + per_block, len(names)))
        out.append(" " * label_width + " " + " ".join(heads[i].rjust(cell) for i in block))
        for label, cells in rows.items():
            line = (
                labels[label].ljust(label_width) + " " + " ".join(cells.get(names[i], " ").rjust(cell) for i in block)
            )
            out.append(line.rstrip())
        out.append("")
    legend = "  ".join(f"{symbol} {value}" for value, symbol in pivot.symbols.items() if symbol.strip())
    shown = f"{pivot.column} {prefix}{heads[0]}…{prefix}{heads[-1]}" if prefix else pivot.column
    out.append(f"{len(rows)} row{'' if len(rows) == 1 else 's'}, columns: {shown}. {legend}")
    return "\n".join(out) + "\n"


def _terminal_width() -> int:
    import shutil

    return shutil.get_terminal_size((100, 24)).columns
