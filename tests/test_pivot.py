"""A long table as a grid: the compliance matrix as authorities down, rules across, one symbol per cell."""

from __future__ import annotations

import pyoxigraph as ox
import pytest

from ecmgraph.queries import QueryHeaderError, get_query, parse_query
from ecmgraph.queries.catalogue import Pivot
from ecmgraph.render.pivot import render_pivot
from ecmgraph.results import Table

PIVOT = Pivot(("name",), "rule", "result", {"breach": "X", "not recorded": "?", "conforms": "."})


def _table(*rows: tuple[str, str, str]) -> Table:
    return Table(("name", "rule", "result"), tuple(tuple(ox.Literal(v) for v in row) for row in rows))


def test_a_long_table_reads_as_a_grid_with_a_legend() -> None:
    table = _table(
        ("Demoton", "ECM001", "conforms"),
        ("Demoton", "ECM002", "breach"),
        ("Exampleshire", "ECM001", "not recorded"),
        ("Exampleshire", "ECM002", "something else"),
    )
    assert render_pivot(table, PIVOT, width=80).splitlines() == [
        "             1 2",  # the columns' common prefix, ECM00, is said once, in the last line
        "Demoton      . X",
        "Exampleshire ? *",
        "",
        "2 rows, columns: rule ECM001…ECM002. X breach  ? not recorded  . conforms",
    ]


def test_a_grid_wider_than_the_terminal_is_cut_into_blocks_of_columns() -> None:
    table = _table(*[("A", f"R{n:02d}", "conforms") for n in range(1, 7)])
    lines = render_pivot(table, PIVOT, width=10).splitlines()
    assert lines[:6] == ["  1 2 3 4", "A . . . .", "", "  5 6", "A . .", ""]


def test_the_compliance_matrix_declares_its_grid() -> None:
    pivot = get_query("compliance-matrix").pivot
    assert pivot is not None and pivot.column == "rule" and pivot.value == "result"
    assert set(pivot.symbols) == {"breach", "not recorded", "conforms", "not applicable", "not validated"}


@pytest.mark.parametrize(
    "pivot",
    [
        "{rows: [name], columns: rule, value: nope, symbols: {a: X}}",
        "{rows: [name], columns: rule, value: name, symbols: {a: XY}}",
        "{rows: name, columns: rule, value: name, symbols: {a: X}}",
        "[name]",
    ],
)
def test_a_pivot_that_does_not_fit_the_query_is_a_header_error(pivot: str) -> None:
    text = (
        "#+ summary: S\n#+ description: D\n#+ example: {}\n#+ columns: {name: N, rule: R}\n"
        f"#+ pivot: {pivot}\nSELECT ?name ?rule WHERE {{ ?name ?rule ?o }}\n"
    )
    with pytest.raises(QueryHeaderError, match="pivot"):
        parse_query("p", text, "p.rq")


def test_query_run_shows_the_matrix_as_a_grid(run) -> None:  # type: ignore[no-untyped-def]
    result = run(["query", "run", "compliance-matrix", "-p", "authority", "Staffordshire", "--as-of", "2009-06-01"])
    assert result.exit_code == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].split()[:3] == ["01", "02", "03"] and lines[1].startswith("Staffordshire ")
    assert lines[-1].startswith("1 row, columns: rule ECM001…ECM027. X breach  ? not recorded  . conforms")
