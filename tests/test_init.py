"""``ecmgraph init``: a starter graph of a reference authority that parses, names exactly the statutory posts and
bodies (and a county's districts) and validates with the reference data beside it with gaps and no breaches."""

from __future__ import annotations

import datetime as dt
import re
import subprocess
import sys
from pathlib import Path

import pytest
import rdflib

import ecmgraph
from ecmgraph.namespaces import ECM, ECMID, ORG

ON = dt.date(2009, 6, 1)
AS_OF = ["--as-of", ON.isoformat()]
CSA_POSTS = {
    "dcs": ECM.DirectorOfChildrensServices,
    "lead-member": ECM.LeadMemberForChildrensServices,
    "chief-executive": ECM.ChiefExecutive,
    "leader": ECM.Leader,
}
CSA_BODIES = {
    "council": ECM.FullCouncil,
    "cabinet": ECM.Cabinet,
    "smt": ECM.SeniorManagementTeam,
    "lscb": ECM.LocalSafeguardingChildrenBoard,
    "childrens-trust": ECM.ChildrensTrust,
    "scrutiny-children": ECM.OverviewAndScrutinyCommittee,
}
STAFFORDSHIRE_DISTRICTS = {
    "E07000192",  # Cannock Chase
    "E07000193",  # East Staffordshire
    "E07000194",  # Lichfield
    "E07000195",  # Newcastle-under-Lyme
    "E07000196",  # South Staffordshire
    "E07000197",  # Stafford
    "E07000198",  # Staffordshire Moorlands
    "E07000199",  # Tamworth
}


def _init(run, name: str, tmp_path: Path) -> Path:
    out = tmp_path / "starter.ttl"
    result = run(["init", name, *AS_OF, "-o", str(out)])
    assert result.exit_code == 0, result.stderr
    return out


def _expected(code: str, posts: dict[str, rdflib.URIRef], bodies: dict[str, rdflib.URIRef]) -> set[tuple[str, str]]:
    return {(f"{ECMID}post/{code}/{k}", str(c)) for k, c in posts.items()} | {
        (f"{ECMID}body/{code}/{k}", str(c)) for k, c in bodies.items()
    }


def _posts_and_bodies(graph: rdflib.Graph) -> set[tuple[str, str]]:
    rows = graph.query(
        "SELECT ?x ?kind WHERE { { ?x org:postIn ?a } UNION { ?x ecm:bodyOf ?a } ?x a ?kind }",
        initNs={"org": ORG, "ecm": ECM},
    )
    return {(str(x), str(kind)) for x, kind in rows}  # type: ignore[misc]


def _breaches(path: Path, *, reference: bool = True) -> list[str]:
    report = ecmgraph.validate(ecmgraph.load(str(path), reference=reference), as_of=ON)
    return [f"{f.rule} {f.message}" for f in report.breaches]


def test_a_county_s_starter_has_its_statutory_posts_bodies_and_eight_districts(run, tmp_path: Path) -> None:
    graph = rdflib.Graph().parse(_init(run, "Staffordshire", tmp_path))
    expected = _expected("E10000028", CSA_POSTS, CSA_BODIES)
    for district in STAFFORDSHIRE_DISTRICTS:
        expected |= _expected(district, {"chief-executive": ECM.ChiefExecutive}, {"council": ECM.FullCouncil})
    assert _posts_and_bodies(graph) == expected
    county = rdflib.URIRef(f"{ECMID}authority/E10000028")
    partners = {str(d).rsplit("/", 1)[1] for d in graph.subjects(ECM.relevantPartnerOf, county)}
    assert partners == STAFFORDSHIRE_DISTRICTS
    assert (county, ECM.cooperationArrangements, rdflib.URIRef(f"{ECMID}body/E10000028/childrens-trust")) in graph


@pytest.mark.parametrize(
    ("name", "code", "kind"),
    [("Luton", "E06000032", ECM.UnitaryAuthority), ("Camden", "E09000007", ECM.LondonBoroughCouncil)],
)
def test_a_unitary_and_a_london_borough_get_exactly_the_statutory_posts_and_bodies(
    run, tmp_path: Path, name: str, code: str, kind: rdflib.URIRef
) -> None:
    graph = rdflib.Graph().parse(_init(run, name, tmp_path))
    assert _posts_and_bodies(graph) == _expected(code, CSA_POSTS, CSA_BODIES)
    assert set(graph.subjects(rdflib.RDF.type, kind)) == {rdflib.URIRef(f"{ECMID}authority/{code}")}
    assert not set(graph.subjects(ECM.relevantPartnerOf, None))


@pytest.mark.parametrize("name", ["Staffordshire", "Luton", "Camden", "Cannock Chase"])
def test_a_starter_graph_validates_with_no_breaches(run, tmp_path: Path, name: str) -> None:
    assert _breaches(_init(run, name, tmp_path)) == []


def test_a_starter_graph_read_alone_says_its_kinds_itself_and_has_no_breaches(run, tmp_path: Path) -> None:
    assert _breaches(_init(run, "Staffordshire", tmp_path), reference=False) == []


def test_a_children_s_services_authority_s_starter_has_the_gaps_of_what_it_leaves_to_fill_in(
    run, tmp_path: Path
) -> None:
    report = ecmgraph.validate(ecmgraph.load(str(_init(run, "Luton", tmp_path))), as_of=ON)
    gaps = {f.rule for f in report.gaps}
    assert {"ECM001", "ECM002", "ECM004", "ECM010", "ECM020", "ECM023", "ECM024"} <= gaps
    assert not {"ECM009", "ECM016"} & gaps  # the LSCB and the children's trust are there


def test_a_district_s_starter_has_its_chief_executive_council_and_county_as_partner(run, tmp_path: Path) -> None:
    graph = rdflib.Graph().parse(_init(run, "Cannock Chase", tmp_path))
    assert _posts_and_bodies(graph) == _expected(
        "E07000192", {"chief-executive": ECM.ChiefExecutive}, {"council": ECM.FullCouncil}
    )
    district = rdflib.URIRef(f"{ECMID}authority/E07000192")
    assert graph.value(district, ECM.relevantPartnerOf) == rdflib.URIRef(f"{ECMID}authority/E10000028")


def test_the_turtle_to_uncomment_is_turtle(run, tmp_path: Path) -> None:
    text = _init(run, "Staffordshire", tmp_path).read_text(encoding="utf-8")
    prologue = "".join(line + "\n" for line in text.splitlines() if line.startswith("@"))
    templates, statement = [], ""
    for line in text.splitlines():  # a template starts '#   <' and goes on over lines '#       ' to its '.'
        if re.match(r"#   <|#       \S", line):
            statement += line[4:] + "\n"
            if line.rstrip().endswith("."):
                templates.append(statement)
                statement = ""
    assert len(templates) > 20 and not statement
    graph = rdflib.Graph().parse(data=prologue + "".join(templates), format="turtle")
    assert (None, ECM.holder, None) in graph and (None, ORG.reportsTo, None) in graph


def test_the_same_authority_and_day_give_the_same_bytes_in_fresh_processes(tmp_path: Path) -> None:
    outputs = [
        subprocess.run(
            [sys.executable, "-m", "ecmgraph", "init", "Staffordshire", *AS_OF],
            capture_output=True,
            check=True,
            cwd=tmp_path,
        ).stdout
        for _ in range(2)
    ]
    assert outputs[0] == outputs[1] and outputs[0].startswith(b"# Starter graph of Staffordshire County Council")


def test_the_code_and_the_iri_give_the_starter_the_name_gives(run) -> None:
    by_name = run(["init", "Luton", *AS_OF]).stdout
    assert run(["init", "E06000032", *AS_OF]).stdout == by_name
    assert run(["init", f"{ECMID}authority/E06000032", *AS_OF]).stdout == by_name


def test_an_unknown_authority_is_one_error_line_with_the_closest_names(run) -> None:
    result = run(["init", "Staffordshyre", *AS_OF])
    assert result.exit_code == 3 and result.stdout == ""
    assert result.stderr.count("\n") == 1 and result.stderr.startswith("Error: ")
    assert "closest: 'Staffordshire' (county council)" in result.stderr


def test_an_authority_that_did_not_exist_on_the_day_is_an_input_error(run) -> None:
    result = run(["init", "E10000006", "--as-of", "2024-01-01"])  # Cumbria County Council, abolished in 2023
    assert result.exit_code == 3
    assert "did not exist on 2024-01-01" in result.stderr and "give --as-of a day from" in result.stderr


def test_a_county_s_districts_are_those_existing_on_the_day(run) -> None:
    text = run(["init", "E10000006", "--as-of", "2009-06-01"]).stdout  # Cumbria: six districts until 2023
    assert len(set(re.findall(r"<authority/E07\d{6}> ecm:relevantPartnerOf", text))) == 6


def test_o_refuses_a_symbolic_link_without_force(run, tmp_path: Path) -> None:
    target = tmp_path / "target.ttl"
    target.write_text("kept\n")
    link = tmp_path / "link.ttl"
    link.symlink_to(target)
    refused = run(["init", "Luton", *AS_OF, "-o", str(link)])
    assert refused.exit_code == 3 and target.read_text() == "kept\n"
    assert run(["init", "Luton", *AS_OF, "-o", str(link), "--force"]).exit_code == 0
    assert target.read_text().startswith("# Starter graph of Luton Borough Council")


@pytest.mark.parametrize(
    ("name", "council"),
    [
        ("E10000023", "North Yorkshire County Council"),  # no council name recorded: the kind's
        ("City of London", "City of London Corporation"),  # its own name, with no "Council" in it
        ("Luton", "Luton Borough Council"),  # the longer of its two council names
    ],
)
def test_the_posts_are_named_after_the_council_as_the_reference_data_or_the_kind_names_it(
    run, name: str, council: str
) -> None:
    text = run(["init", name, *AS_OF]).stdout
    assert f'rdfs:label "Chief Executive, {council}"@en' in text
