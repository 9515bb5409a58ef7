"""compliance-matrix (question 18) agrees with 'ecmgraph validate' exactly, cell by cell."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from pathlib import Path

import pytest

import ecmgraph
from ecmgraph.render.tables import rows_as_text
from ecmgraph.store import load_dataset
from ecmgraph.validation import validate

DATA = Path(__file__).parent / "fixtures" / "queries" / "exampleshire.trig"
ORDER = ("Violation", "Warning", "Info")


def _cells(paths: list[str], day: dt.date) -> tuple[dict, dict]:
    """The matrix's cells, and validate's findings read the same way: (authority, rule) -> (result, level).

    A breach makes the cell "breach" (at the level of the worst breach); else a gap makes it "not recorded" (at
    the level of the worst gap); with no finding, it "conforms" only for an authority the data records posts or
    bodies of, and is "not recorded" for one known only from the reference data."""
    report = validate(load_dataset(paths), as_of=day)
    found: dict[tuple[str, str], list] = defaultdict(list)
    for f in report.findings:
        if f.authority is not None:
            found[(f.authority, f.rule)].append(f)
    expected = {}
    for key, fs in found.items():
        breaches = [f for f in fs if f.kind == "breach"]
        shown = breaches or fs
        worst = min(shown, key=lambda f: ORDER.index(f.severity)).severity.lower()
        expected[key] = ("breach" if breaches else "not recorded", worst)
    rows = rows_as_text(ecmgraph.query("compliance-matrix", {"date": day.isoformat()}, data=load_dataset(paths)))
    matrix = {(r["authority"], r["rule"]): (r["result"], r["level"]) for r in rows}
    assert len(matrix) == len(rows), "one row per authority and rule"
    detailed = {a for a, info in report.authorities.items() if info.detailed}
    judged = _judged(paths, day)
    for (authority, rule), cell in matrix.items():
        if (authority, rule) not in expected and cell[0] != "not applicable":
            seen = authority in detailed and (rule not in judged or authority in judged[rule])
            expected[(authority, rule)] = ("conforms" if seen else "not recorded", "")
    return matrix, expected


def _judged(paths: list[str], day: dt.date) -> dict[str, set[str]]:
    """For each rule about the holder of a post (ecm:needsHolderOf in the shapes): the authorities with a holder
    of such a post recorded on the day, within the tenure's dates (or attested on the day itself)."""
    from ecmgraph import resources
    from ecmgraph.engines import LocalEngine
    from ecmgraph.validation import shapes_files

    engine = LocalEngine(load_dataset([*(paths or [str(resources.data_dir())]), *map(str, shapes_files())]))
    needs: dict[str, set[str]] = defaultdict(set)
    for rule, kind in engine.select(
        "SELECT DISTINCT ?r ?k WHERE { ?s <http://purl.org/dc/terms/identifier> ?r ;"
        " <https://w3id.org/ecmgraph/def#needsHolderOf> ?k }"
    ).rows:
        needs[rule.value].add(kind.value)  # type: ignore[union-attr]
    held: dict[str, set[str]] = defaultdict(set)  # post kind -> authorities
    rows = engine.select(
        """PREFIX ecm: <https://w3id.org/ecmgraph/def#> PREFIX org: <http://www.w3.org/ns/org#>
        PREFIX time: <http://www.w3.org/2006/time#> PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
        SELECT ?kind ?a ?start ?end ?inside ?attested WHERE {
          ?t ecm:post ?p ; ecm:holder ?h . ?p org:postIn ?a ; a/rdfs:subClassOf* ?kind .
          OPTIONAL { ?t ecm:startDate ?start } OPTIONAL { ?t ecm:endDate ?end }
          OPTIONAL { ?t time:inside ?inside } OPTIONAL { ?t time:inside/time:inXSDDate ?attested } }"""
    ).rows
    for kind, authority, start, end, inside, attested in rows:
        dates = [dt.date.fromisoformat(v.value) if v is not None else None for v in (start, end, attested)]  # type: ignore[union-attr]
        if start is None and end is None and inside is not None:
            current = dates[2] == day
        else:
            current = (dates[0] is None or dates[0] <= day) and (dates[1] is None or dates[1] >= day)
        if current:
            held[kind.value].add(authority.value)  # type: ignore[union-attr]
    return {rule: set().union(*(held[k] for k in kinds)) for rule, kinds in needs.items()}


@pytest.mark.parametrize("day", [dt.date(2024, 6, 30), dt.date(2007, 6, 30), dt.date(2010, 3, 15)])
def test_the_matrix_is_validate_s_findings_on_the_fixture(day: dt.date) -> None:
    matrix, expected = _cells([str(DATA)], day)
    assert {k: v for k, v in matrix.items() if v[0] != "not applicable"} == expected
    assert all(level == "" for result, level in matrix.values() if result in ("conforms", "not applicable"))
    rules = {rule for _, rule in matrix}
    assert len(rules) == 27
    for authority in {a for a, _ in matrix}:
        assert {rule for a, rule in matrix if a == authority} == rules
    # The district Sample Vale, whose posts the fixture records: only the rule about districts applies to it.
    if day == dt.date(2024, 6, 30):  # Exampleshire's DCS holder is recorded, with no elected office: judged
        assert matrix[("https://w3id.org/ecmgraph/id/authority/E10999999", "ECM008")] == ("conforms", "")
    district = {rule: cell for (a, rule), cell in matrix.items() if a.endswith("/E07999998")}
    assert {rule for rule, (result, _) in district.items() if result != "not applicable"} == {"ECM014"}


def test_the_matrix_is_validate_s_findings_on_the_packaged_data() -> None:
    matrix, expected = _cells([], dt.date(2024, 6, 30))
    assert {k: v for k, v in matrix.items() if v[0] != "not applicable"} == expected
    staffordshire = {
        rule: cell for (a, rule), cell in matrix.items() if a == "https://w3id.org/ecmgraph/id/authority/E10000028"
    }
    assert staffordshire["ECM001"] == ("not recorded", "violation")  # no holder recorded: a gap, never a vacancy
    # Rules about a post's holder have nothing to judge where no holder is recorded: never a vacuous "conforms".
    for rule in ("ECM003", "ECM008", "ECM013", "ECM021", "ECM022", "ECM027"):
        assert staffordshire[rule] == ("not recorded", ""), rule
    barnsley = {
        rule: cell for (a, rule), cell in matrix.items() if a == "https://w3id.org/ecmgraph/id/authority/E08000016"
    }
    assert "conforms" not in {result for result, _ in barnsley.values()}  # reference data only: nothing conforms


def test_a_rule_not_yet_in_force_with_no_level_before_is_not_applicable(tmp_path: Path) -> None:
    """Run on the query alone: a shape in force only from 2030, with no lower level before, and a report of the
    day that found nothing. (Every packaged rule in force later has a lower level before, so it is checked.)"""
    from ecmgraph.engines import LocalEngine
    from ecmgraph.queries import bind_parameters, get_query

    extra = tmp_path / "later-rule.ttl"
    extra.write_text(
        "@prefix dcterms: <http://purl.org/dc/terms/> . @prefix ecm: <https://w3id.org/ecmgraph/def#> .\n"
        "@prefix sh: <http://www.w3.org/ns/shacl#> . @prefix xsd: <http://www.w3.org/2001/XMLSchema#> .\n"
        '<urn:x:later> a sh:NodeShape ; dcterms:identifier "ECM999" ; sh:severity sh:Violation ;\n'
        '  ecm:inForceFrom "2030-01-01"^^xsd:date .\n'
        '<urn:x:report> a sh:ValidationReport ; dcterms:temporal "2024-06-30"^^xsd:date .\n',
        encoding="utf-8",
    )
    dataset = load_dataset([str(DATA), str(extra)])
    query = get_query("compliance-matrix")
    engine = LocalEngine(dataset)
    rows = rows_as_text(engine.select(query.text, bind_parameters(query, {"date": "2024-06-30"}, engine)))
    assert {(r["result"], r["level"]) for r in rows} == {("not applicable", "")}
    assert len(rows) == 4  # the three CSAs of the day and the district the data describes, one rule


def test_before_the_children_act_2004_is_an_input_error() -> None:
    from ecmgraph.errors import InputError

    with pytest.raises(InputError):
        ecmgraph.query("compliance-matrix", {"date": "2003-01-01"}, data=load_dataset([str(DATA)]))


def test_without_a_report_every_cell_says_not_validated() -> None:
    """Run as grlc or an endpoint would, on data that holds no validation report: nothing is claimed."""
    from ecmgraph.engines import LocalEngine
    from ecmgraph.queries import bind_parameters, get_query
    from ecmgraph.validation import shapes_files

    dataset = load_dataset([str(DATA), *map(str, shapes_files())])
    query = get_query("compliance-matrix")
    engine = LocalEngine(dataset)
    rows = rows_as_text(engine.select(query.text, bind_parameters(query, {"date": "2024-06-30"}, engine)))
    # Exampleshire, Demoton and the second Newtown (the CSAs of 2024-06-30), and the district Sample Vale, whose
    # posts the data records: the rules about CSAs do not apply to it, whether validated or not.
    assert len(rows) == 27 * 4
    district = "https://w3id.org/ecmgraph/id/authority/E07999998"
    assert {r["result"] for r in rows if r["authority"] != district} == {"not validated"}
    assert {
        (r["rule"], r["result"]) for r in rows if r["authority"] == district and r["result"] != "not applicable"
    } == {("ECM014", "not validated")}


@pytest.mark.parametrize("paths", [[str(DATA)], []], ids=["one-source", "packaged-data"])
def test_the_matrix_leaves_the_data_it_reads_as_it_was(paths: list[str]) -> None:
    """Validating for the matrix writes normalisation links (and, for data of many sources, a merge) into the
    store; they are taken out again, so the same dataset answers every other query as before."""
    import pyoxigraph as ox

    dataset = load_dataset(paths)
    before = sorted(str(q) for q in dataset.store)
    ecmgraph.query("compliance-matrix", {"date": "2024-06-30"}, data=dataset)
    assert sorted(str(q) for q in dataset.store) == before
    assert next(iter(dataset.store.quads_for_pattern(None, None, None, ox.DefaultGraph())), None) is None


def test_a_person_s_finding_is_about_the_csa_they_serve_not_a_district_they_sit_in() -> None:
    """Bea Sample is Exampleshire's Lead Member and a councillor of the district Sample Vale: the gaps about her
    vetting and training are Exampleshire's (the district first by IRI was once given them)."""
    report = validate(load_dataset([str(DATA)]), as_of=dt.date(2024, 6, 30))
    about_bea = {(f.rule, f.authority) for f in report.findings if (f.focus_label or "") == "Bea Sample"}
    assert about_bea == {
        ("ECM022", "https://w3id.org/ecmgraph/id/authority/E10999999"),
        ("ECM027", "https://w3id.org/ecmgraph/id/authority/E10999999"),
    }
