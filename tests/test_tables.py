"""Rendering query results: the terminal table wraps long cells and never loses text."""

from __future__ import annotations

import pyoxigraph as ox
import pytest

from ecmgraph.render.tables import json_term, render_table
from ecmgraph.results import Table, compact

LONG = "The Lead Member should work closely with the other elected members involved with adult social care services"


def sample() -> Table:
    return Table(
        ("post", "responsibility"),
        ((ox.NamedNode("https://w3id.org/ecmgraph/id/post/E10000018/lead-member"), ox.Literal(LONG)),),
    )


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


def test_too_many_columns_for_the_terminal_make_a_compact_table_one_line_per_row() -> None:
    # (It used to turn into one block of eleven lines per row: hundreds of lines for a few dozen rows.)
    columns = tuple(f"col{i}" for i in range(10))
    row = tuple(ox.Literal(f"value number {i} of a fairly long row") for i in range(10))
    text = render_table(Table(columns, (row, row)), "table", width=80)
    assert text == (
        "col0    col1    col2    col3    col4    col5    col6    col7    col8    col9\n"
        "------  ------  ------  ------  ------  ------  ------  ------  ------  ------\n"
        "value…  value…  value…  value…  value…  value…  value…  value…  value…  value…\n"
        "value…  value…  value…  value…  value…  value…  value…  value…  value…  value…\n"
        "(2 rows; long cells cut with …: a wider terminal, or --format csv, shows them whole)\n"
    )


def test_a_compact_table_gives_the_long_columns_more_room_and_keeps_short_ones_whole() -> None:
    table = Table(
        ("code", "name", "responsibility"),
        tuple((ox.Literal(f"E1000000{i}"), ox.Literal(f"Authority {i}"), ox.Literal(LONG)) for i in range(40)),
    )
    lines = render_table(table, "table", width=60).splitlines()
    assert len(lines) == 43 and all(len(line) <= 60 for line in lines[:-1])
    assert lines[0] == "code        name          responsibility"
    assert lines[2] == "E10000000   Authority 0   The Lead Member should work close…"
    assert lines[-1] == "(40 rows; long cells cut with …: a wider terminal, or --format csv, shows them whole)"


def test_the_cut_is_only_in_the_text_table_never_in_csv_or_json() -> None:
    table = Table(tuple(f"c{i}" for i in range(8)), (tuple(ox.Literal(LONG) for _ in range(8)),))
    assert "…" in render_table(table, "table", width=60)
    for fmt in ("csv", "tsv", "json", "markdown"):
        out = render_table(table, fmt, width=60)
        assert "…" not in out and out.count(LONG) == 8


POST = "https://w3id.org/ecmgraph/id/post/E10000028/dcs"
PERSON = "https://w3id.org/ecmgraph/id/person/someone"


def labelled() -> Table:
    return Table(
        ("post", "postLabel", "holder", "since"),
        (
            (
                ox.NamedNode(POST),
                ox.Literal("Director of Children's Services, Staffordshire"),
                ox.NamedNode(PERSON),
                ox.Literal("2008-01-01"),
            ),
        ),
    )


def test_a_table_shows_labels_and_an_iri_column_beside_its_labels_once() -> None:
    text = render_table(labelled(), "table", width=100, labels={PERSON: "Some One"})
    assert text == (
        "post                                            holder    since\n"
        "----------------------------------------------  --------  ----------\n"
        "Director of Children's Services, Staffordshire  Some One  2008-01-01\n"
        "(1 row)\n"
    )
    assert render_table(labelled(), "markdown", labels={PERSON: "Some One"}).splitlines() == [
        "| post | holder | since |",
        "|---|---|---|",
        "| Director of Children's Services, Staffordshire | Some One | 2008-01-01 |",
    ]


def test_iris_on_request_and_always_in_csv_and_json() -> None:
    text = render_table(labelled(), "table", width=140, labels={PERSON: "Some One"}, iris=True)
    assert text.splitlines()[0].split() == ["post", "postLabel", "holder", "since"]
    assert "ecmid:post/E10000028/dcs" in text and "ecmid:person/someone" in text and "Some One" not in text
    csv_text = render_table(labelled(), "csv", labels={PERSON: "Some One"})
    assert csv_text.splitlines() == [
        "post,postLabel,holder,since",
        f'{POST},"Director of Children\'s Services, Staffordshire",{PERSON},2008-01-01',
    ]


def test_a_column_whose_labels_the_table_already_shows_keeps_its_iris() -> None:
    table = Table(("post", "label"), ((ox.NamedNode(POST), ox.Literal("The DCS")),))
    assert "ecmid:post/E10000028/dcs" in render_table(table, "table", labels={POST: "The DCS"})
    table = Table(("post", "kind"), ((ox.NamedNode(POST), ox.Literal("officer")),))
    assert render_table(table, "table", labels={POST: "The DCS"}).splitlines()[2] == "The DCS  officer"


def test_an_iri_without_a_label_is_shown_compacted() -> None:
    assert render_table(sample(), "table", width=300).splitlines()[2].startswith("ecmid:post/E10000018/lead-member")


@pytest.mark.parametrize(
    "text",
    [
        "",
        "short",
        "two  spaces",
        " leading",
        "trailing ",
        "tab\there",
        "line\nbreak",
        "a much longer cell than the column is wide",
        "exactly10c",
    ],
)
@pytest.mark.parametrize("width", [1, 10, 80])
def test_a_cell_wraps_as_textwrap_wraps_it(text: str, width: int) -> None:
    import textwrap

    from ecmgraph.render.tables import _wrap

    expected = textwrap.wrap(text, width, break_long_words=True, break_on_hyphens=False) or [""]
    assert _wrap(text, width) == expected


def test_sparql_json_terms_keep_language_datatype_and_a_triple_term_s_parts() -> None:
    s, p = ox.NamedNode("urn:s"), ox.NamedNode("urn:p")
    assert json_term(ox.Literal("Kent", language="en")) == {"type": "literal", "value": "Kent", "xml:lang": "en"}
    assert json_term(ox.Literal("Kent")) == {"type": "literal", "value": "Kent"}
    assert json_term(ox.Literal("3", datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#integer"))) == {
        "type": "literal",
        "value": "3",
        "datatype": "http://www.w3.org/2001/XMLSchema#integer",
    }
    assert json_term(ox.Triple(s, p, ox.BlankNode("b0"))) == {
        "type": "triple",
        "value": {
            "subject": {"type": "uri", "value": "urn:s"},
            "predicate": {"type": "uri", "value": "urn:p"},
            "object": {"type": "bnode", "value": "b0"},
        },
    }
