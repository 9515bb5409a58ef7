"""A finding about a person names the authority it concerns: every authority, where it concerns several.

Each graph is written from a plain description, as a council officer would write it, and the test gives the exact
findings of the rules about people (rule, authority), on both engines.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from ecmgraph.store import load_dataset
from ecmgraph.validation import validate

ID = "https://w3id.org/ecmgraph/id/"
PROLOGUE = """@base <https://w3id.org/ecmgraph/id/> .
@prefix ecm: <https://w3id.org/ecmgraph/def#> . @prefix org: <http://www.w3.org/ns/org#> .
@prefix foaf: <http://xmlns.com/foaf/0.1/> . @prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
"""
#: Jo Joint has been the Director of Children's Services of both Exampleton and Sampleford since September 2008
#: (a joint DCS); no Vetting and Barring registration is recorded for Jo.
JOINT_DCS = """
<authority/E06999001> a ecm:UnitaryAuthority ; rdfs:label "Exampleton"@en .
<authority/E06999002> a ecm:UnitaryAuthority ; rdfs:label "Sampleford"@en .
<post/E06999001/dcs> a ecm:DirectorOfChildrensServices ; rdfs:label "DCS, Exampleton"@en ; org:postIn <authority/E06999001> .
<post/E06999002/dcs> a ecm:DirectorOfChildrensServices ; rdfs:label "DCS, Sampleford"@en ; org:postIn <authority/E06999002> .
<tenure/1> a ecm:Tenure ; ecm:post <post/E06999001/dcs> ; ecm:holder <person/jo> ; ecm:startDate "2008-09-01"^^xsd:date .
<tenure/2> a ecm:Tenure ; ecm:post <post/E06999002/dcs> ; ecm:holder <person/jo> ; ecm:startDate "2008-09-01"^^xsd:date .
<person/jo> a foaf:Person ; foaf:name "Jo Joint" .
"""
#: Sam Stone is Sampleford's DCS, and a councillor of the district Dale (E07…), whose IRI sorts first.
DCS_AND_DISTRICT_COUNCILLOR = """
<authority/E06999002> a ecm:UnitaryAuthority ; rdfs:label "Sampleford"@en .
<authority/E07999001> a ecm:DistrictCouncil ; rdfs:label "Dale"@en .
<post/E06999002/dcs> a ecm:DirectorOfChildrensServices ; rdfs:label "DCS, Sampleford"@en ; org:postIn <authority/E06999002> .
<post/E07999001/cllr-sam> a ecm:Councillor ; rdfs:label "Councillor Sam Stone, Dale"@en ; org:postIn <authority/E07999001> .
<tenure/1> a ecm:Tenure ; ecm:post <post/E06999002/dcs> ; ecm:holder <person/sam> ; ecm:startDate "2008-09-01"^^xsd:date .
<tenure/2> a ecm:Tenure ; ecm:post <post/E07999001/cllr-sam> ; ecm:holder <person/sam> ; ecm:startDate "2007-05-03"^^xsd:date .
<person/sam> a foaf:Person ; foaf:name "Sam Stone" .
"""
PEOPLE_RULES = ["ECM008", "ECM021", "ECM022"]


def _findings(tmp_path: Path, graph: str, engine: str) -> list[tuple[str, str]]:
    path = tmp_path / "authority.ttl"
    path.write_text(PROLOGUE + graph, encoding="utf-8")
    report = validate(load_dataset([str(path)]), as_of=dt.date(2010, 1, 1), rules=PEOPLE_RULES, engine=engine)
    return sorted((f.rule, (f.authority or "").removeprefix(ID)) for f in report.findings)


@pytest.mark.parametrize("engine", ["ecmgraph", "pyshacl"])
def test_a_joint_dcs_gives_a_finding_for_each_authority(tmp_path: Path, engine: str) -> None:
    assert _findings(tmp_path, JOINT_DCS, engine) == [
        ("ECM021", "authority/E06999001"),
        ("ECM021", "authority/E06999002"),
        ("ECM022", "authority/E06999001"),
        ("ECM022", "authority/E06999002"),
    ]


@pytest.mark.parametrize("engine", ["ecmgraph", "pyshacl"])
def test_a_dcs_who_is_a_district_councillor_is_the_dcs_s_authority_s_finding(tmp_path: Path, engine: str) -> None:
    assert _findings(tmp_path, DCS_AND_DISTRICT_COUNCILLOR, engine) == [
        ("ECM008", "authority/E06999002"),
        ("ECM022", "authority/E06999002"),
    ]
