"""The packaged reference data stands beside the user's files: lookups and rules work on a file alone, the
user's authorities are recognised by GSS code, and only they are judged."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import ecmgraph
from ecmgraph import resources
from ecmgraph.background import reference_paths
from ecmgraph.store import source_iri

SEEDS = sorted((resources.data_dir() / "seed").glob("*.trig"))
STAFFORDSHIRE = "https://w3id.org/ecmgraph/id/authority/E10000028"

#: A council's own file, under its own IRIs, naming itself only by its GSS code.
OWN_FILE = """@prefix ecm: <https://w3id.org/ecmgraph/def#> .
@prefix org: <http://www.w3.org/ns/org#> .
@prefix dcterms: <http://purl.org/dc/terms/> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
<http://example.org/staffs> dcterms:identifier "E10000028" .
<http://example.org/staffs/dcs> a ecm:DirectorOfChildrensServices ; rdfs:label "Our DCS" ;
    org:postIn <http://example.org/staffs> .
"""


@pytest.mark.parametrize("seed", SEEDS, ids=lambda p: p.name)
def test_every_seed_file_given_alone_has_no_breach(seed: Path) -> None:
    report = ecmgraph.validate(ecmgraph.load(str(seed)))
    assert report.breaches == ()
    assert report.gaps  # the sources leave gaps, and they are reported as gaps


def test_the_reference_files_stand_beside_the_users_each_in_a_graph_of_its_own() -> None:
    data = ecmgraph.load(str(SEEDS[0]))
    background = {s.iri: s for s in data.sources if s.background}
    assert set(background) == {source_iri(p) for p in reference_paths()}
    assert all(source.graphs == (iri,) for iri, source in background.items())
    assert [s.path for s in data.sources if not s.background][1:] == [str(SEEDS[0])]  # after the ontology


def test_a_users_authority_with_a_reference_gss_code_is_that_authority(tmp_path: Path) -> None:
    own = tmp_path / "staffs.ttl"
    own.write_text(OWN_FILE, encoding="utf-8")
    data = ecmgraph.load(str(own))
    assert data.aliases == {"http://example.org/staffs": STAFFORDSHIRE}
    assert data.scope == frozenset({STAFFORDSHIRE})
    report = ecmgraph.validate(data, rules=["ECM001"])
    assert {f.authority for f in report.findings} == {STAFFORDSHIRE}
    (finding,) = report.findings
    assert finding.shape.endswith("ECM001-holder-not-recorded") and "the post Our DCS" in finding.message
    rows = ecmgraph.sparql("SELECT ?kind WHERE { ?post org:postIn ?a . ?a a ?kind }", data).rows
    assert {r[0].value for r in rows} >= {"https://w3id.org/ecmgraph/def#CountyCouncil"}  # type: ignore[union-attr]


def test_only_the_users_authorities_are_judged_unless_all_are_asked_for(run) -> None:  # type: ignore[no-untyped-def]
    seed = str(resources.data_dir() / "seed" / "luton.trig")
    own = json.loads(run(["validate", seed, "--format", "json"]).stdout)
    every = json.loads(run(["validate", seed, "--all-authorities", "--format", "json"]).stdout)
    assert {r["authority_label"] for r in own["results"]} == {"Luton"}
    assert len({r["authority"] for r in every["results"]}) == 153  # every children's services authority today
    assert own["validated"] == "data/seed/luton.trig (with the packaged reference data)"


def test_without_the_reference_a_file_alone_has_no_names_to_look_up(run) -> None:  # type: ignore[no-untyped-def]
    seed = str(resources.data_dir() / "seed" / "luton.trig")
    args = ["query", "run", "who-is-accountable", "-p", "authority", "Luton", "-p", "topic", "safeguarding", seed]
    assert run([*args, "--format", "csv"]).exit_code == 0
    alone = run([*args, "--no-reference"])
    assert alone.exit_code == 3 and alone.stderr.startswith("Error: parameter authority: no authority matches 'Luton'")
