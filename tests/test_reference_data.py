"""data/england.ttl: in step with the reference table, and the counts SOURCES.md gives, asked of the graph.

The counts are computed the way users will ask them: SPARQL on a pyoxigraph store holding the England graph and
the ontology, reaching children's services authorities through ``rdfs:subClassOf*``.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from types import ModuleType

import pyoxigraph
import pytest
from conftest import load_script
from rdflib import Graph, URIRef
from rdflib.compare import to_isomorphic

from ecmgraph.resources import data_dir, ontology_path

ECM = "https://w3id.org/ecmgraph/def#"
AUTHORITY = "https://w3id.org/ecmgraph/id/authority/"
STATGEO = "http://statistics.data.gov.uk/id/statistical-geography/"
PREFIXES = f"""
PREFIX ecm: <{ECM}>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX xsd: <http://www.w3.org/2001/XMLSchema#>
PREFIX dcterms: <http://purl.org/dc/terms/>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
"""
KIND_CLASSES = {
    "county": "CountyCouncil",
    "unitary": "UnitaryAuthority",
    "metropolitan_district": "MetropolitanDistrictCouncil",
    "london_borough": "LondonBoroughCouncil",
    "other": "SuiGenerisAuthority",
}


def _data_dir() -> Path:
    return data_dir()


def _ontology_path() -> Path:
    return ontology_path()


@pytest.fixture(scope="module")
def builder() -> ModuleType:
    """scripts/build_reference.py as a module."""
    return load_script("build_reference")


@pytest.fixture(scope="module")
def england_ttl() -> Path:
    return _data_dir() / "england.ttl"


@pytest.fixture(scope="module")
def store(england_ttl: Path) -> pyoxigraph.Store:
    """The England graph, with the ontology when there is one, in one pyoxigraph store."""
    store = pyoxigraph.Store()
    store.load(path=str(england_ttl), format=pyoxigraph.RdfFormat.TURTLE)
    ontology = _ontology_path()
    if ontology.is_file():
        store.load(path=str(ontology), format=pyoxigraph.RdfFormat.TURTLE)
    return store


@pytest.fixture(scope="module")
def csa_pattern(store: pyoxigraph.Store) -> str:
    """How a query reaches children's services authorities: through the ontology when it says so."""
    if store.query(PREFIXES + "ASK { ?kind rdfs:subClassOf+ ecm:ChildrensServicesAuthority }"):
        return "?kind rdfs:subClassOf* ecm:ChildrensServicesAuthority ."
    kinds = " ".join(f"ecm:{name}" for name in KIND_CLASSES.values())
    return f"VALUES ?kind {{ {kinds} }}"


def _select(store: pyoxigraph.Store, query: str) -> list[dict[str, str]]:
    solutions = store.query(PREFIXES + query)
    variables = [v.value for v in solutions.variables]
    return [{name: row[name].value for name in variables if row[name] is not None} for row in solutions]


def _upper_tier_by_kind(store: pyoxigraph.Store, csa_pattern: str, day: dt.date) -> dict[str, int]:
    rows = _select(
        store,
        f"""
        SELECT ?kind (COUNT(DISTINCT ?authority) AS ?n) WHERE {{
          VALUES ?day {{ "{day.isoformat()}"^^xsd:date }}
          ?authority a ?kind .
          {csa_pattern}
          OPTIONAL {{ ?authority ecm:startDate ?start }}
          OPTIONAL {{ ?authority ecm:endDate ?end }}
          FILTER ((!BOUND(?start) || ?start <= ?day) && (!BOUND(?end) || ?end >= ?day))
        }} GROUP BY ?kind
        """,
    )
    names = {ECM + cls: kind for kind, cls in KIND_CLASSES.items()}
    return {names.get(row["kind"], row["kind"]): int(row["n"]) for row in rows}


# --- the generated file is in step with the CSV -------------------------------------------------------------


def test_generated_turtle_is_in_step_with_the_csv(builder: ModuleType, england_ttl: Path, tmp_path: Path) -> None:
    out = tmp_path / "england.ttl"
    assert builder.main(["-o", str(out)]) == 0
    fresh, committed = Graph().parse(out), Graph().parse(england_ttl)
    assert to_isomorphic(fresh) == to_isomorphic(committed), "run: python scripts/build_reference.py"


def test_check_mode_passes_on_the_committed_file(builder: ModuleType) -> None:
    assert builder.main(["--check"]) == 0


def test_check_mode_fails_on_a_stale_file(
    builder: ModuleType, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    stale = tmp_path / "england.ttl"
    stale.write_text("# stale\n", encoding="utf-8")
    assert builder.main(["--check", "-o", str(stale)]) == 1
    assert "out of date" in capsys.readouterr().err
    assert stale.read_text(encoding="utf-8") == "# stale\n"


def test_output_is_byte_identical_on_rerun(builder: ModuleType, tmp_path: Path) -> None:
    first, second = tmp_path / "a.ttl", tmp_path / "b.ttl"
    assert builder.main(["-o", str(first)]) == 0
    assert builder.main(["-o", str(second)]) == 0
    assert first.read_bytes() == second.read_bytes()
    text = first.read_text(encoding="utf-8")
    assert text.startswith("# England's local authorities by ONS GSS code: GENERATED")
    assert "_:" not in text, "no blank nodes: every resource has a stable IRI"


def test_reader_returns_every_row_typed(builder: ModuleType) -> None:
    rows = builder.read_authorities(builder.DEFAULT_CSV)
    assert len(rows) == 418
    cannock = next(row for row in rows if row.gss_code == "E07000192")
    assert cannock.parent_county_code == "E10000028"
    assert cannock.start_date == dt.date(1974, 4, 1) and cannock.end_date is None
    assert cannock.sources == ("ONS-CHD-2024-07", "start:LGA1972")


HARTLEPOOL = "E06000001,Hartlepool,{kind},E12000001,North East,,{start},{end},{source}"


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"kind": "parish"}, "unknown kind"),
        ({"kind": "county"}, "does not fit"),
        ({"start": "1996-4-1"}, "not a date"),
        ({"source": "ONS-CHD-2024-07 | start:Guess"}, "unknown provenance tag"),
        ({"source": "start:LGA1972"}, "no data source"),
        ({"end": "1995-03-31"}, "before it starts"),
    ],
)
def test_reader_rejects_a_bad_row(builder: ModuleType, tmp_path: Path, fields: dict[str, str], message: str) -> None:
    good = {"kind": "unitary", "start": "1996-04-01", "end": "", "source": "ONS-CHD-2024-07"}
    row = HARTLEPOOL.format(**(good | fields))
    table = tmp_path / "authorities.csv"
    table.write_text(",".join(builder.COLUMNS) + "\n" + row + "\n", encoding="utf-8")
    with pytest.raises(builder.ReferenceDataError, match=message):
        builder.read_authorities(table)


def test_unreadable_csv_exits_3(builder: ModuleType, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert builder.main(["--csv", str(tmp_path / "missing.csv"), "-o", str(tmp_path / "out.ttl")]) == 3
    assert capsys.readouterr().err.startswith("Error: ")
    assert not (tmp_path / "out.ttl").exists()


# --- counts, asked of the graph ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (dt.date(2009, 3, 31), dict(county=34, unitary=46, metropolitan_district=36, london_borough=32, other=2)),
        (dt.date(2009, 4, 1), dict(county=27, unitary=55, metropolitan_district=36, london_borough=32, other=2)),
        (dt.date(2026, 6, 30), dict(county=21, unitary=62, metropolitan_district=36, london_borough=32, other=2)),
    ],
)
def test_upper_tier_authorities_by_kind(
    store: pyoxigraph.Store, csa_pattern: str, day: dt.date, expected: dict[str, int]
) -> None:
    assert _upper_tier_by_kind(store, csa_pattern, day) == expected


@pytest.mark.parametrize(
    ("day", "total"),
    [
        (dt.date(2009, 3, 31), 150),
        (dt.date(2009, 4, 1), 152),
        (dt.date(2019, 4, 1), 151),
        (dt.date(2020, 4, 1), 151),
        (dt.date(2021, 4, 1), 152),
        (dt.date(2023, 4, 1), 153),
        (dt.date(2025, 4, 1), 153),
        (dt.date(2026, 6, 30), 153),
    ],
)
def test_upper_tier_totals(store: pyoxigraph.Store, csa_pattern: str, day: dt.date, total: int) -> None:
    assert sum(_upper_tier_by_kind(store, csa_pattern, day).values()) == total


def test_districts_are_not_childrens_services_authorities(store: pyoxigraph.Store, csa_pattern: str) -> None:
    rows = _select(store, f"SELECT ?a WHERE {{ ?a a ecm:DistrictCouncil, ?kind . {csa_pattern} }} LIMIT 1")
    assert rows == []


def test_rows_by_kind_live_and_ended(store: pyoxigraph.Store) -> None:
    rows = _select(
        store,
        """
        SELECT ?kind (COUNT(?a) AS ?rows) (SUM(IF(BOUND(?end), 0, 1)) AS ?live) WHERE {
          VALUES ?kind { ecm:CountyCouncil ecm:UnitaryAuthority ecm:MetropolitanDistrictCouncil
                         ecm:LondonBoroughCouncil ecm:DistrictCouncil ecm:SuiGenerisAuthority }
          ?a a ?kind .
          OPTIONAL { ?a ecm:endDate ?end }
        } GROUP BY ?kind
        """,
    )
    got = {row["kind"].removeprefix(ECM): (int(row["rows"]), int(row["live"])) for row in rows}
    assert got == {
        "CountyCouncil": (34, 21),
        "UnitaryAuthority": (65, 62),
        "MetropolitanDistrictCouncil": (39, 36),
        "LondonBoroughCouncil": (32, 32),
        "DistrictCouncil": (245, 164),
        "SuiGenerisAuthority": (3, 2),
    }


@pytest.mark.parametrize(
    ("county", "first", "last"),
    [
        ("E10000028", 192, 199),  # Staffordshire: 8
        ("E10000012", 66, 77),  # Essex: 12
        ("E10000018", 129, 135),  # Leicestershire: 7
        ("E10000024", 170, 176),  # Nottinghamshire: 7
    ],
)
def test_current_districts_of_the_seed_counties(store: pyoxigraph.Store, county: str, first: int, last: int) -> None:
    rows = _select(
        store,
        f"""
        SELECT ?code WHERE {{
          ?district ecm:parentCounty <{AUTHORITY}{county}> ; dcterms:identifier ?code .
          FILTER NOT EXISTS {{ ?district ecm:endDate ?end }}
        }}
        """,
    )
    assert sorted(row["code"] for row in rows) == [f"E07000{n:03d}" for n in range(first, last + 1)]


def test_cannock_chase_is_a_staffordshire_district(store: pyoxigraph.Store) -> None:
    rows = _select(
        store,
        f"""
        SELECT ?county ?countyName ?alt WHERE {{
          <{AUTHORITY}E07000192> a ecm:DistrictCouncil ; ecm:parentCounty ?county ; skos:altLabel ?alt .
          ?county rdfs:label ?countyName .
        }}
        """,
    )
    assert {row["county"] for row in rows} == {AUTHORITY + "E10000028"}
    assert {row["countyName"] for row in rows} == {"Staffordshire"}
    assert {row["alt"] for row in rows} == {"Cannock Chase Council", "Cannock Chase District Council"}


@pytest.mark.parametrize(
    ("code", "region", "kind_class", "start"),
    [
        ("E10000028", "West Midlands", "CountyCouncil", "1974-04-01"),  # Staffordshire
        ("E10000012", "East of England", "CountyCouncil", "1974-04-01"),  # Essex
        ("E10000018", "East Midlands", "CountyCouncil", "1974-04-01"),  # Leicestershire
        ("E10000024", "East Midlands", "CountyCouncil", "1974-04-01"),  # Nottinghamshire
        ("E06000032", "East of England", "UnitaryAuthority", "1997-04-01"),  # Luton
        ("E07000075", "East of England", "DistrictCouncil", "1974-04-01"),  # Rochford
    ],
)
def test_seed_authorities(store: pyoxigraph.Store, code: str, region: str, kind_class: str, start: str) -> None:
    rows = _select(
        store,
        f"""
        SELECT ?regionName ?start WHERE {{
          <{AUTHORITY}{code}> a ecm:{kind_class} ; ecm:region/rdfs:label ?regionName ; ecm:startDate ?start .
        }}
        """,
    )
    assert rows == [{"regionName": region, "start": start}]


def test_every_code_has_its_statistical_geography(store: pyoxigraph.Store) -> None:
    rows = _select(
        store,
        """
        SELECT ?thing ?code (COUNT(?geo) AS ?n) (SAMPLE(?geo) AS ?one) WHERE {
          ?thing dcterms:identifier ?code .
          FILTER (STRSTARTS(STR(?thing), "https://w3id.org/ecmgraph/id/authority/")
                  || STRSTARTS(STR(?thing), "https://w3id.org/ecmgraph/id/region/"))
          OPTIONAL { ?thing ecm:statisticalGeography ?geo }
        } GROUP BY ?thing ?code
        """,
    )
    assert len(rows) == 418 + 9
    for row in rows:
        assert row["thing"].endswith("/" + row["code"])
        assert (row["n"], row.get("one")) == ("1", STATGEO + row["code"]), row["thing"]


def test_code_changes_link_a_council_to_its_next_code(store: pyoxigraph.Store) -> None:
    rows = _select(
        store,
        """
        SELECT ?old ?new ?end ?start WHERE {
          ?o dcterms:isReplacedBy ?n ; dcterms:identifier ?old ; ecm:endDate ?end .
          ?n dcterms:replaces ?o ; dcterms:identifier ?new ; ecm:startDate ?start .
        }
        """,
    )
    pairs = {(row["old"], row["new"]) for row in rows}
    assert pairs == {
        ("E07000002", "E06000055"),  # Bedford
        ("E06000048", "E06000057"),  # Northumberland
        ("E08000020", "E08000037"),  # Gateshead
        ("E07000100", "E07000240"),  # St Albans
        ("E07000104", "E07000241"),  # Welwyn Hatfield
        ("E07000097", "E07000242"),  # East Hertfordshire
        ("E07000101", "E07000243"),  # Stevenage
        ("E08000016", "E08000038"),  # Barnsley
        ("E08000019", "E08000039"),  # Sheffield
    }
    for row in rows:
        assert dt.date.fromisoformat(row["start"]) - dt.date.fromisoformat(row["end"]) == dt.timedelta(days=1)


def test_isles_of_scilly_is_upper_tier_under_both_codes_and_no_district(store: pyoxigraph.Store) -> None:
    rows = _select(
        store,
        f"""
        SELECT ?a ?parent WHERE {{
          VALUES ?a {{ <{AUTHORITY}E07000025> <{AUTHORITY}E06000053> }}
          ?a a ecm:SuiGenerisAuthority .
          OPTIONAL {{ ?a ecm:parentCounty ?parent }}
        }}
        """,
    )
    assert sorted(row["a"] for row in rows) == [AUTHORITY + "E06000053", AUTHORITY + "E07000025"]
    assert all("parent" not in row for row in rows), "Cornwall County Council never covered Scilly"


def test_every_source_cited_is_described(store: pyoxigraph.Store) -> None:
    rows = _select(
        store,
        """
        SELECT DISTINCT ?source WHERE {
          ?thing dcterms:source ?source .
          FILTER (STRSTARTS(STR(?thing), "https://w3id.org/ecmgraph/id/authority/")
                  || STRSTARTS(STR(?thing), "https://w3id.org/ecmgraph/id/region/"))
          OPTIONAL { ?source dcterms:title ?title }
          OPTIONAL { ?source dcterms:description ?description }
          FILTER (!BOUND(?title) || !BOUND(?description))
        }
        """,
    )
    assert rows == []


def test_only_seed_or_reference_council_names_are_added(builder: ModuleType, england_ttl: Path) -> None:
    graph = Graph().parse(england_ttl)
    skos_alt = URIRef("http://www.w3.org/2004/02/skos/core#altLabel")
    names = {(str(s).removeprefix(AUTHORITY), str(o)) for s, o in graph.subject_objects(skos_alt)}
    expected = {(code, name) for code, names in builder.COUNCIL_NAMES.items() for name in names}
    assert names == expected
    assert ("E10000028", "Staffordshire County Council") in names
    assert ("E06000032", "Luton Borough Council") in names
