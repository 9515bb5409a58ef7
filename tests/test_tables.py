"""Rendering query results: the terminal table wraps long cells and never loses text."""

from __future__ import annotations

import pyoxigraph as ox
import pytest

from ecmgraph.render.tables import render_table
from ecmgraph.results import Table, compact

LONG = "The Lead Member should work closely with the other elected members involved with adult social care services"


def sample() -> Table:
    return Table(("post", "responsibility"), ((ox.NamedNode("https://w3id.org/ecmgraph/id/post/E10000018/lead-member"),
                                              ox.Literal(LONG)),))


def test_a_narrow_terminal_wraps_long_cells_without_losing_words() -> None:
    text = render_table(sample(), "table", width=60)
    assert all(len(line) <= 60 for line in text.splitlines())
    assert " ".join(text.split()).count("adult social care services") == 1
    assert len(text.splitlines()) > 4


def test_a_wide_terminal_keeps_each_row_on_one_line() -> None:
    text = render_table(sample(), "table", width=300)
    assert len(text.splitlines()) == 4


def test_iris_are_compacted_with_known_prefixes() -> None:
    assert compact("https://w3id.org/ecmgraph/def#ChiefExecutive") == "ecm:ChiefExecutive"
    assert compact("http://example.org/x") == "<http://example.org/x>"


def test_too_many_columns_for_the_terminal_turn_into_one_block_per_row() -> None:
    columns = tuple(f"column{i}" for i in range(10))
    row = tuple(ox.Literal(f"value number {i} of a fairly long row") for i in range(10))
    text = render_table(Table(columns, (row, row)), "table", width=80)
    lines = text.splitlines()
    assert lines[0].startswith("-[ row 1 ]") and lines[-1] == "(2 rows)"
    assert "column3  value number 3 of a fairly long row" in lines
    assert all(len(line) <= 80 for line in lines)


def test_a_long_value_in_a_block_wraps_under_itself() -> None:
    table = Table(("a", "b", "c", "d", "e", "f", "g", "h"), (tuple(ox.Literal(LONG) for _ in range(8)),))
    lines = render_table(table, "table", width=60).splitlines()
    assert lines[1].startswith("a  The Lead Member")
    assert lines[2].startswith("   ")
    assert " ".join(" ".join(lines).split()).count(LONG) == 8


@pytest.mark.parametrize("text", ["", "short", "two  spaces", " leading", "trailing ", "tab\there", "line\nbreak",
                                  "a much longer cell than the column is wide", "exactly10c"])
@pytest.mark.parametrize("width", [1, 10, 80])
def test_a_cell_wraps_as_textwrap_wraps_it(text: str, width: int) -> None:
    import textwrap

    from ecmgraph.render.tables import _wrap

    expected = textwrap.wrap(text, width, break_long_words=True, break_on_hyphens=False) or [""]
    assert _wrap(text, width) == expected
