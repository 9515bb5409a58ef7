"""Accountability charts: what a chart holds on the packaged data and on a fixture, its SVG (both engines), its
table twin, its bytes run after run, and the ``diagram`` command."""

from __future__ import annotations

import datetime as dt
import os
import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from pathlib import Path

import pytest

import ecmgraph
from ecmgraph.diagram import (
    Chart,
    chart,
    graphviz_available,
    render_dot,
    render_page,
    render_svg,
    render_table,
    resolve_authority,
    resolve_engine,
)
from ecmgraph.errors import InputError, UnknownName
from ecmgraph.namespaces import ECMID, SVG, XLINK

FIXTURE = str(Path(__file__).parent / "fixtures" / "diagram" / "sampleton-holders-chairs-vacancy.ttl")
ON_2009 = dt.date(2009, 1, 1)
needs_graphviz = pytest.mark.skipif(
    not graphviz_available(), reason="Graphviz is not installed here (apt-get install graphviz; pip install graphviz)"
)
ENGINES = ["python", pytest.param("graphviz", marks=needs_graphviz)]


@pytest.fixture(scope="module")
def data() -> ecmgraph.Dataset:
    return ecmgraph.load()


def chart_of(data: ecmgraph.Dataset, name: str, day: dt.date = ON_2009) -> Chart:
    return chart(data, resolve_authority(data, name, day), day)


def lines_of(c: Chart) -> list[tuple[str, str, str]]:
    return [(c.node(x.source).label, x.label, c.node(x.target).label) for x in c.lines]


# --- what a chart holds ----------------------------------------------------------------------------------------

STAFFORDSHIRE_DISTRICTS = [
    "Cannock Chase",
    "East Staffordshire",
    "Lichfield",
    "Newcastle-under-Lyme",
    "South Staffordshire",
    "Stafford",
    "Staffordshire Moorlands",
    "Tamworth",
]


def test_staffordshire_has_exactly_these_nodes_on_2009_01_01(data) -> None:
    c = chart_of(data, "Staffordshire")
    assert c.title == "Accountability chart of Staffordshire (county council), as at 2009-01-01"
    assert [(n.label, n.group) for n in c.nodes] == [
        ("Staffordshire", "authority"),
        ("Cabinet", "council"),
        ("Staffordshire County Council (full Council)", "council"),
        ("Lead Member for Children's Services", "member"),
        ("Leader of the Council", "member"),
        ("Chief Executive", "officer"),
        ("Director of Children's Services", "officer"),
        ("Senior management team", "officer"),
        ("Integrated Strategy Group", "partnership"),
        ("Local Safeguarding Children Board", "partnership"),
        ("Staffordshire Children's Trust", "partnership"),
        ("Staffordshire Children's Trust Board", "partnership"),
        ("Wider Partnership", "partnership"),
        *((d, "district") for d in STAFFORDSHIRE_DISTRICTS),
        ("Children and Lifelong Learning Directorate", "unit"),
    ]
    # No seed names a holder of any of its posts: not recorded, never vacant.
    assert {n.label: n.holder_text(c.as_of) for n in c.nodes if n.is_post} == {
        "Lead Member for Children's Services": "not recorded",
        "Leader of the Council": "not recorded",
        "Chief Executive": "not recorded",
        "Director of Children's Services": "not recorded",
    }


def test_staffordshire_has_exactly_these_lines_on_2009_01_01(data) -> None:
    trust, isg = "Staffordshire Children's Trust", "Integrated Strategy Group"
    council = "Staffordshire County Council (full Council)"
    lm, dcs = "Lead Member for Children's Services", "Director of Children's Services"
    districts = [
        line
        for d in STAFFORDSHIRE_DISTRICTS
        for line in (
            (d, "relevant partner of; district of", "Staffordshire"),
            (d, "member of", isg),
            (d, "takes part in", trust),
        )
    ]
    assert lines_of(chart_of(data, "Staffordshire")) == [
        ("Staffordshire", "cooperates through", trust),
        (lm, "member of", "Cabinet"),
        (lm, "accountable to", "Leader of the Council"),
        (lm, "challenges", dcs),
        (lm, "member of", "Staffordshire Children's Trust Board"),
        ("Leader of the Council", "accountable to", council),
        ("Chief Executive", "accountable to", council),
        (dcs, "reports to; accountable to", "Chief Executive"),
        (dcs, "member of", "Senior management team"),
        (isg, "part of", trust),
        ("Staffordshire Children's Trust Board", "part of", trust),
        ("Wider Partnership", "part of", trust),
        *districts,
        ("Children and Lifelong Learning Directorate", "takes part in", trust),
    ]


def test_a_chart_has_scrutiny_and_a_partner_where_the_data_records_them(data) -> None:
    c = chart_of(data, "Leicestershire")
    assert (len(c.nodes), len(c.lines)) == (25, 19)
    lines = lines_of(c)
    scrutiny = "Children and Young People's Scrutiny Committee"
    assert (scrutiny, "scrutinises", "Director of Children and Young People's Service") in lines
    assert (scrutiny, "scrutinises", "Lead Member for Children and Young People's Services") in lines
    assert ("Youth Offending Service, Leicestershire", "relevant partner of", "Leicestershire") in lines


def test_a_district_s_chart_reaches_its_county_and_the_county_s_trust(data) -> None:
    c = chart_of(data, "Cannock Chase")
    assert (len(c.nodes), len(c.lines)) == (11, 10)
    lines = lines_of(c)
    assert ("Cannock Chase", "relevant partner of; district of", "Staffordshire") in lines
    assert ("Cannock Chase", "takes part in", "Staffordshire Children's Trust") in lines
    assert ("Elected Member for Children's Services", "reports to", "Chief Executive") in lines
    assert ("Locality Board", "linked to", "Local Strategic Partnership") in lines
    # The county's own posts are not the district's.
    assert not any(n.label == "Director of Children's Services" for n in c.nodes)


def test_a_holder_known_from_a_dated_source_is_shown_with_its_day(data) -> None:
    def dcs(day: dt.date) -> str:
        c = chart_of(data, "Nottinghamshire", day)
        return next(n for n in c.nodes if n.kind == "Director of Children's Services").holder_text(day)

    assert dcs(dt.date(2009, 1, 1)) == "not recorded"  # the source is later than the day
    assert dcs(dt.date(2009, 1, 21)) == "Anthony May (known on 2009-01-21)"
    assert dcs(dt.date(2009, 3, 1)) == "Anthony May (known on 2009-01-21, not confirmed for 2009-03-01)"


def test_dated_tenures_vacancies_chairs_and_memberships_on_their_days() -> None:
    data = ecmgraph.load(FIXTURE)
    iri = str(ECMID["authority/E06999991"])

    def table(day: dt.date) -> tuple[dict[str, str], list[tuple[str, str, str]]]:
        c = chart(data, iri, day)
        return {n.label: n.holder_text(day) for n in c.nodes if n.is_post}, lines_of(c)

    holders, lines = table(dt.date(2008, 6, 1))
    assert holders == {
        "Elected Mayor": "not recorded",
        "Chief Executive": "Bob Example (known on 2008-05-01, not confirmed for 2008-06-01)",
        "Director of Children's Services": "Ann Example since 2007-04-01",
        "Independent Chair": "not recorded",
    }
    assert ("Director of Children's Services", "member of", "Sampleton Safeguarding Children Board") in lines
    assert ("Independent Chair", "post in; chairs", "Sampleton Safeguarding Children Board") in lines
    assert ("Elected Mayor", "accountable to", "Sampleton Council (full Council)") in lines
    assert "Sampleton Children's Trust Board" in [n.label for n in chart(data, iri, dt.date(2008, 6, 1)).nodes]
    holders, lines = table(dt.date(2009, 6, 1))
    assert holders["Director of Children's Services"] == "vacant since 2009-04-01"
    assert "Sampleton Children's Trust Board" not in [n.label for n in chart(data, iri, dt.date(2009, 6, 1)).nodes]
    assert ("Director of Children's Services", "member of", "Sampleton Safeguarding Children Board") not in lines


def test_an_authority_that_did_not_exist_on_the_day_says_so(data) -> None:
    c = chart_of(data, "E10000001", dt.date(2020, 1, 1))  # Bedfordshire County Council, abolished in 2009
    assert any("did not exist on 2020-01-01" in note for note in c.notes)


def test_an_authority_the_data_describes_by_name_only_is_one_box_that_says_so(data, run) -> None:
    c = chart_of(data, "Halton")
    assert [n.label for n in c.nodes] == ["Halton"] and c.lines == ()
    assert c.notes[0] == "The data records no post, body, district or partner of Halton."
    result = run(["diagram", "Halton", "--format", "table"])
    assert result.exit_code == 0 and "1 node, 0 lines" in result.stderr and c.notes[0] in result.stderr


def test_an_unknown_authority_names_the_closest(data) -> None:
    with pytest.raises(UnknownName, match="no authority matches 'Staffordshir'"):
        resolve_authority(data, "Staffordshir")
    with pytest.raises(UnknownName):
        chart(data, str(ECMID["post/E10000028/dcs"]), ON_2009)


# --- SVG, DOT and the table twin --------------------------------------------------------------------------------


def _svg(text: str) -> ET.Element:
    return ET.fromstring(text.encode("utf-8"))


@pytest.mark.parametrize("engine", ENGINES)
def test_the_svg_is_accessible(data, engine: str) -> None:
    c = chart_of(data, "Staffordshire")
    root = _svg(render_svg(c, engine))
    ns = {"s": SVG}
    assert root.get("role") == "img"
    title, desc = root.find("s:title", ns), root.find("s:desc", ns)
    assert title is not None and desc is not None
    assert title.text == c.title and "22 posts, bodies and organisations and 37 lines" in (desc.text or "")
    assert root.get("aria-labelledby") == f"{title.get('id')} {desc.get('id')}"
    words = " ".join(t.text or "" for t in root.iter(f"{{{SVG}}}text")) + " ".join(
        t.text or "" for t in root.iter(f"{{{SVG}}}tspan")
    )
    for node in c.nodes:  # every label is real text (wrapped onto lines, so word by word)
        assert all(word in words for word in node.label.split()), node.label
    titles = {t.text for g in root.iter(f"{{{SVG}}}g") if (t := g.find("s:title", ns)) is not None}
    assert "Director of Children's Services reports to; accountable to Chief Executive" in titles
    assert "Chief Executive (holder: not recorded)" in titles
    assert not list(root.iter(f"{{{SVG}}}script")) and not list(root.iter(f"{{{SVG}}}style"))


@pytest.mark.parametrize("engine", ENGINES)
def test_boxes_link_where_links_are_given(data, engine: str) -> None:
    c = chart_of(data, "Rochford")
    links = {n.iri: f"doc/{n.key}.html" for n in c.nodes if n.is_post}
    root = _svg(render_svg(c, engine, links))
    hrefs = sorted(a.get("href") or a.get(f"{{{XLINK}}}href") or "" for a in root.iter(f"{{{SVG}}}a"))
    assert hrefs == sorted(links.values()) and len(hrefs) == 2
    assert "<a " not in render_svg(c, engine)


@pytest.mark.parametrize("engine", ENGINES)
def test_the_svg_is_the_same_bytes_every_time(engine: str) -> None:
    first = render_svg(chart_of(ecmgraph.load(), "Staffordshire"), engine)
    again = render_svg(chart_of(ecmgraph.load(), "Staffordshire"), engine)
    assert first == again


@pytest.mark.parametrize("engine", ENGINES)
def test_the_command_writes_the_same_bytes_in_fresh_processes(tmp_path: Path, engine: str) -> None:
    outputs = []
    for seed in ("1", "2"):
        out = tmp_path / f"chart-{seed}.svg"
        args = ["diagram", "Leicestershire", "--as-of", "2009-01-01", "--engine", engine, "-o", str(out)]
        env = {**os.environ, "PYTHONHASHSEED": seed}
        subprocess.run([sys.executable, "-m", "ecmgraph", *args], check=True, env=env, capture_output=True)
        outputs.append(out.read_bytes())
    assert outputs[0] == outputs[1]


def test_the_fallback_layout_is_used_where_graphviz_is_absent(data, monkeypatch: pytest.MonkeyPatch) -> None:
    from ecmgraph.diagram import dot

    monkeypatch.setattr(dot, "_missing", lambda: "Graphviz's dot program is not installed")
    assert resolve_engine("auto") == "python"
    c = chart_of(data, "Luton")
    assert render_svg(c) == render_svg(c, "python")
    with pytest.raises(InputError, match="cannot draw with Graphviz"):
        render_svg(c, "graphviz")


@needs_graphviz
def test_auto_falls_back_where_graphviz_fails_on_a_chart(data, run, monkeypatch: pytest.MonkeyPatch) -> None:
    import graphviz

    from ecmgraph.diagram import GraphvizFailed

    def fail(*args: object, **kwargs: object) -> str:
        raise graphviz.CalledProcessError(1, ["dot"], stderr="Error: trouble in init_rank\n")

    monkeypatch.setattr(graphviz.Source, "pipe", fail)
    c = chart_of(data, "Luton")
    assert render_svg(c, "auto") == render_svg(c, "python")
    with pytest.raises(GraphvizFailed, match="trouble in init_rank"):
        render_svg(c, "graphviz")
    result = run(["diagram", "Luton", "--engine", "graphviz"])
    assert result.exit_code == 3 and "--engine python" in result.stderr
    result = run(["diagram", "Luton"])
    assert result.exit_code == 0 and "laid out by ecmgraph instead" in result.stderr
    assert result.stdout == render_svg(chart_of(data, "Luton", dt.date.today()), "python")
    drawing = ecmgraph.draw_chart("Luton", data)  # the library says why, where the command prints it
    assert drawing.laid_out_by == "python" and "trouble in init_rank" in (drawing.fallback or "")
    assert drawing.text == result.stdout


def test_draw_chart_gives_each_form_the_command_writes(data, run) -> None:
    from ecmgraph.cli.diagram import FORMATS as COMMANDS_FORMATS
    from ecmgraph.diagram.draw import FORMATS

    assert COMMANDS_FORMATS == FORMATS  # written twice: the command's module must not import the drawing's
    day = dt.date(2009, 6, 1)
    for form in ("svg", "dot", "table", "html"):
        drawing = ecmgraph.draw_chart("Luton", data, as_of=day, format=form, engine="python")
        result = run(["diagram", "Luton", "--as-of", "2009-06-01", "--format", form, "--engine", "python"])
        assert result.exit_code == 0 and drawing.text == result.stdout, form
        assert drawing.format == form and drawing.fallback is None
        assert drawing.laid_out_by == ("python" if form in ("svg", "html") else None)
    with pytest.raises(InputError, match="no chart form 'png'"):
        ecmgraph.draw_chart("Luton", data, format="png")
    with pytest.raises(UnknownName):
        ecmgraph.draw_chart("Nowhereshire", data)


def test_the_table_twin_has_the_same_nodes_and_lines_as_the_svg(data) -> None:
    c = chart_of(data, "Cannock Chase")
    root = _svg(render_svg(c, "python"))
    groups = [g.get("class", "") for g in root.iter(f"{{{SVG}}}g")]
    assert sum(g.split()[:1] == ["node"] for g in groups) == len(c.nodes) == 11
    assert sum(g == "line" for g in groups) == len(c.lines) == 10
    text = render_table(c, "text")
    assert "Nodes (11)" in text and "Lines (10)" in text
    assert re.search(r"^Cannock Chase +relevant partner of; district of +Staffordshire$", text, flags=re.M)
    html = render_table(c, "html")
    assert html.count("<tr id=") == 11 and html.count("<tr><td>") == 10 and html.count("<caption>") == 2


def test_the_html_page_holds_the_chart_and_its_twin(data) -> None:
    c = chart_of(data, "Luton")
    page = render_page(c, render_svg(c, "python"))
    tags: list[str] = []

    class Tags(HTMLParser):
        def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
            tags.append(tag)

    Tags().feed(page)
    assert page.startswith("<!DOCTYPE html>") and '<html lang="en">' in page
    assert tags.count("h1") == 1 and tags.count("svg") == 1 and tags.count("table") == 2
    assert "script" not in tags and "link" not in tags


def test_the_dot_source_has_every_node_and_line(data) -> None:
    c = chart_of(data, "Essex")
    text = render_dot(c)
    assert text.startswith('digraph "ecm-chart-E10000012" {')
    assert all(f"  {n.key} [" in text for n in c.nodes)
    assert len(re.findall(r' -> n\d+ \[id="ecm-chart-E10000012-e\d\d"', text)) == len(c.lines) == 19
    assert "dir=back" in text and re.search(r" -> floor \[id=\S+, style=invis", text)  # districts kept low


# --- the command ------------------------------------------------------------------------------------------------


def test_diagram_writes_svg_and_counts_on_stderr(run, tmp_path: Path) -> None:
    out = tmp_path / "staffordshire.svg"
    result = run(["diagram", "Staffordshire", "--as-of", "2009-01-01", "--engine", "python", "-o", str(out)])
    assert result.exit_code == 0 and result.stdout == ""
    assert "22 nodes, 37 lines, laid out by ecmgraph" in result.stderr
    assert _svg(out.read_text(encoding="utf-8")).get("role") == "img"


def test_diagram_takes_its_format_from_the_extension_or_the_option(run, tmp_path: Path) -> None:
    page = tmp_path / "chart.html"
    assert run(["diagram", "E10000018", "--engine", "python", "-o", str(page)]).exit_code == 0
    assert page.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    table = run(["diagram", "Leicestershire", "--as-of", "2009-01-01", "--format", "table"])
    assert table.stdout.startswith("Accountability chart of Leicestershire (county council), as at 2009-01-01\n")
    assert run(["diagram", "Essex", "--format", "dot"]).stdout.startswith("digraph ")


def test_diagram_of_an_unknown_authority_is_an_input_error(run) -> None:
    result = run(["diagram", "Nowhereshire County Council"])
    assert result.exit_code == 3 and result.stdout == ""
    assert result.stderr.startswith("Error: ") and result.stderr.count("\n") == 1 and "closest:" in result.stderr


def test_diagram_with_graphviz_where_it_is_absent_is_an_input_error(run, monkeypatch: pytest.MonkeyPatch) -> None:
    from ecmgraph.diagram import dot

    monkeypatch.setattr(dot, "_missing", lambda: "Graphviz's dot program is not installed")
    result = run(["diagram", "Luton", "--engine", "graphviz"])
    assert result.exit_code == 3 and "--engine python" in result.stderr


def test_diagram_help_gives_an_example(run) -> None:
    result = run(["diagram", "--help"])
    assert result.exit_code == 0
    assert "ecmgraph diagram Staffordshire --as-of 2009-01-01 -o staffordshire.svg" in result.stdout


def test_the_layouts_grid_of_rectangles_finds_the_overlaps_a_full_search_finds() -> None:
    import random

    from ecmgraph.diagram.layout import _Rectangles

    rng = random.Random(7)

    def rectangle() -> tuple[float, float, float, float]:
        x, y = rng.uniform(-100, 900), rng.uniform(-100, 600)
        return (x, y, x + rng.choice([0.5, 5, 40, 64, 200]), y + rng.choice([1, 12, 64, 130]))

    kept = [rectangle() for _ in range(60)]
    grid = _Rectangles()
    for r in kept:
        grid.add(r)
    asked = [rectangle() for _ in range(2000)] + [(r[2], r[1], r[2] + 10, r[3]) for r in kept]  # edge to edge
    found = [grid.overlap(r) for r in asked]
    full = [any(r[0] < o[2] and o[0] < r[2] and r[1] < o[3] and o[1] < r[3] for o in kept) for r in asked]
    assert found == full
    assert 200 < sum(found) < len(asked) - 200  # both answers are common
