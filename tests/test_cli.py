"""The command line: help and README in step, errors and exit codes, stats, sparql formats, infer, -o."""

from __future__ import annotations

import json
from pathlib import Path

import click
import pytest
import rdflib

from ecmgraph import __version__
from ecmgraph.cli import cli

README = Path(__file__).resolve().parents[1] / "README.md"
EXAMPLESHIRE = str(Path(__file__).parent / "fixtures" / "load" / "exampleshire.ttl")
DCS = "https://w3id.org/ecmgraph/id/post/E10999999/dcs"


def all_commands(group: click.Group = cli, prefix: str = "") -> list[tuple[str, click.Command]]:
    """Every command and sub-command, with its full name."""
    out = []
    for name, command in sorted(group.commands.items()):
        full = f"{prefix}{name}"
        out.append((full, command))
        if isinstance(command, click.Group):
            out.extend(all_commands(command, full + " "))
    return out


@pytest.mark.parametrize("name", [n for n, _ in all_commands()])
def test_every_command_has_help_ending_with_an_example(run, name: str) -> None:
    result = run([*name.split(), "--help"])
    assert result.exit_code == 0
    body = result.stdout.rstrip()
    assert "Example" in body
    assert body.splitlines()[-1].startswith("    ecmgraph ") or "ecmgraph " in body.split("Example")[-1]


@pytest.mark.parametrize("name", [n for n, _ in all_commands()])
def test_every_command_is_documented_in_the_readme(name: str) -> None:
    assert f"ecmgraph {name}" in README.read_text(encoding="utf-8")


def test_version(run) -> None:
    result = run(["--version"])
    assert result.exit_code == 0
    assert result.stdout.strip() == f"ecmgraph, version {__version__}"


def test_a_missing_file_is_one_error_line_and_exit_3(run) -> None:
    result = run(["stats", "no/such/file.ttl"])
    assert result.exit_code == 3
    assert result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1
    assert lines[0].startswith("Error: no/such/file.ttl: no such file or folder")
    assert "hint:" in lines[0]


def test_a_syntax_error_in_data_names_file_line_and_column(run, fixtures: Path) -> None:
    path = str(fixtures / "bad" / "broken.ttl")
    result = run(["stats", path])
    assert result.exit_code == 3
    assert result.stderr.startswith(f"Error: {path}:4:")
    assert "Traceback" not in result.stderr


def test_debug_shows_the_traceback_instead(fixtures: Path) -> None:
    from click.testing import CliRunner

    from ecmgraph.errors import ParseError

    with pytest.raises(ParseError):
        CliRunner().invoke(cli, ["--debug", "stats", str(fixtures / "bad" / "broken.ttl")], catch_exceptions=False)


def test_an_unknown_extension_is_an_input_error_with_a_hint(run, fixtures: Path) -> None:
    result = run(["stats", str(fixtures / "load" / "notes.txt")])
    assert result.exit_code == 3
    assert "--input-format" in result.stderr


def test_an_unknown_option_is_a_usage_error(run) -> None:
    assert run(["stats", "--no-such-option"]).exit_code == 2


def test_stats_counts_things_by_kind_in_json(run) -> None:
    result = run(["stats", EXAMPLESHIRE, "--no-reference", "--as-of", "2010-01-01", "--format", "json"])
    assert result.exit_code == 0, result.stderr
    figures = json.loads(result.stdout)
    kinds = {k["kind"].split("#")[-1]: k["count"] for k in figures["authorities"]}
    assert kinds == {"CountyCouncil": 1, "DistrictCouncil": 1}
    assert {k["kind"].split("#")[-1]: k["count"] for k in figures["posts"]} == {
        "DirectorOfChildrensServices": 1,
        "ChiefExecutive": 1,
    }
    assert {k["kind"].split("#")[-1]: k["count"] for k in figures["bodies"]} == {"LocalSafeguardingChildrenBoard": 1}
    assert figures["people"] == 1
    assert figures["childrens_services_authorities"] == 1
    assert figures["district_councils"] == 1
    assert figures["described_authorities"] == ["Exampleshire"]
    (source,) = [s for s in figures["sources"] if s["source"] == EXAMPLESHIRE]
    assert (source["triples"], source["authorities"], source["posts"], source["people"], source["bodies"]) == (
        len(rdflib.Graph().parse(EXAMPLESHIRE)),
        2,
        2,
        1,
        1,
    )


def test_stats_counts_authorities_that_existed_on_the_date(run) -> None:
    result = run(["stats", EXAMPLESHIRE, "--no-reference", "--as-of", "1970-01-01", "--format", "json"])
    assert json.loads(result.stdout)["childrens_services_authorities"] == 0


def test_stats_text_is_a_readable_report(run) -> None:
    result = run(["stats", EXAMPLESHIRE, "--no-reference", "--as-of", "2010-01-01"])
    assert result.exit_code == 0
    assert "children's services authorities on 2010-01-01: 1" in result.stdout
    assert "Exampleshire" in result.stdout


SELECT = "SELECT ?post ?label WHERE { ?post org:postIn ?a ; rdfs:label ?label } ORDER BY ?post"


def test_sparql_table_is_the_default(run) -> None:
    result = run(["sparql", SELECT, EXAMPLESHIRE])
    assert result.exit_code == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].split() == ["post", "label"]
    assert "ecmid:post/E10999999/chief-executive" in result.stdout
    assert lines[-1] == "(2 rows)"


def test_sparql_csv_tsv_json_markdown(run) -> None:
    csv_out = run(["sparql", SELECT, EXAMPLESHIRE, "--format", "csv"]).stdout
    assert csv_out.splitlines()[0] == "post,label"
    assert f'{DCS},"Director of Children\'s Services, Exampleshire"' in csv_out
    tsv_out = run(["sparql", SELECT, EXAMPLESHIRE, "--format", "tsv"]).stdout
    assert f"{DCS}\tDirector of Children's Services, Exampleshire" in tsv_out
    doc = json.loads(run(["sparql", SELECT, EXAMPLESHIRE, "--format", "json"]).stdout)
    assert doc["head"]["vars"] == ["post", "label"]
    assert doc["results"]["bindings"][1]["post"] == {"type": "uri", "value": DCS}
    assert doc["results"]["bindings"][1]["label"]["xml:lang"] == "en"
    md = run(["sparql", SELECT, EXAMPLESHIRE, "--format", "markdown"]).stdout.splitlines()
    assert md[0] == "| post | label |" and md[1] == "|---|---|" and len(md) == 4


def test_sparql_ask(run) -> None:
    assert run(["sparql", "ASK { ?p a ecm:ChiefExecutive }", EXAMPLESHIRE]).stdout == "true\n"
    doc = json.loads(run(["sparql", "ASK { ?p a ecm:Leader }", EXAMPLESHIRE, "--format", "json"]).stdout)
    assert doc == {"head": {}, "boolean": False}


@pytest.mark.parametrize("fmt,rdflib_format", [("turtle", "turtle"), ("ntriples", "nt"), ("jsonld", "json-ld")])
def test_sparql_construct_in_each_rdf_format(run, fmt: str, rdflib_format: str) -> None:
    query = "CONSTRUCT { ?post org:reportsTo ?to } WHERE { ?post org:reportsTo ?to }"
    result = run(["sparql", query, EXAMPLESHIRE, "--format", fmt])
    assert result.exit_code == 0, result.stderr
    graph = rdflib.Graph().parse(data=result.stdout, format=rdflib_format)
    assert list(graph) == [
        (
            rdflib.URIRef(DCS),
            rdflib.URIRef("http://www.w3.org/ns/org#reportsTo"),
            rdflib.URIRef("https://w3id.org/ecmgraph/id/post/E10999999/chief-executive"),
        )
    ]


def test_sparql_describe(run) -> None:
    result = run(["sparql", f"DESCRIBE <{DCS}>", EXAMPLESHIRE, "--format", "ntriples"])
    assert result.exit_code == 0
    assert len(rdflib.Graph().parse(data=result.stdout, format="nt")) == 5


def test_sparql_from_a_file_and_its_syntax_error_position(run, tmp_path: Path) -> None:
    query = tmp_path / "q.rq"
    query.write_text("SELECT ?x WHERE {\n  ?x a ?y .\n  ?x <p> ?z ?w .\n}\n")
    result = run(["sparql", "-f", str(query), EXAMPLESHIRE])
    assert result.exit_code == 3
    assert result.stderr.startswith(f"Error: {query}:3:")
    assert "SPARQL syntax error" in result.stderr


def test_an_unknown_prefix_is_named_as_such(run) -> None:
    result = run(["sparql", "SELECT ?x WHERE { ?x nope:p ?y }", EXAMPLESHIRE])
    assert result.exit_code == 3
    assert result.stderr.startswith("Error: <query>:1:")
    assert "unknown prefix" in result.stderr and len(result.stderr.splitlines()) == 1


def test_sparql_refuses_updates(run) -> None:
    result = run(["sparql", "DELETE WHERE { ?s ?p ?o }", EXAMPLESHIRE])
    assert result.exit_code == 3
    assert "update" in result.stderr


def test_sparql_needs_exactly_one_query(run) -> None:
    assert run(["sparql"]).exit_code == 2


def test_sparql_format_must_suit_the_query_form(run) -> None:
    result = run(["sparql", SELECT, EXAMPLESHIRE, "--format", "turtle"])
    assert result.exit_code == 3
    assert "CONSTRUCT" in result.stderr


def test_output_file_is_written_whole(run, tmp_path: Path) -> None:
    target = tmp_path / "out.csv"
    result = run(["sparql", SELECT, EXAMPLESHIRE, "--format", "csv", "-o", str(target)])
    assert result.exit_code == 0 and result.stdout == ""
    assert target.read_text().startswith("post,label\n")
    assert [p.name for p in tmp_path.iterdir()] == ["out.csv"]


def test_a_failed_command_writes_no_output_file(run, tmp_path: Path) -> None:
    target = tmp_path / "out.csv"
    result = run(["sparql", "SELECT nonsense", EXAMPLESHIRE, "-o", str(target)])
    assert result.exit_code == 3
    assert list(tmp_path.iterdir()) == []


def test_an_output_folder_that_does_not_exist_is_an_input_error(run, tmp_path: Path) -> None:
    result = run(["sparql", SELECT, EXAMPLESHIRE, "-o", str(tmp_path / "missing" / "out.csv")])
    assert result.exit_code == 3
    assert "does not exist" in result.stderr


def test_infer_rdfs_adds_superclass_types(run) -> None:
    result = run(["infer", EXAMPLESHIRE, "--profile", "rdfs", "--format", "ntriples"])
    assert result.exit_code == 0, result.stderr
    graph = rdflib.Graph().parse(data=result.stdout, format="nt")
    org = rdflib.Namespace("http://www.w3.org/ns/org#")
    ecm = rdflib.Namespace("https://w3id.org/ecmgraph/def#")
    county = rdflib.URIRef("https://w3id.org/ecmgraph/id/authority/E10999999")
    assert (rdflib.URIRef(DCS), rdflib.RDF.type, org.Post) in graph
    assert (county, rdflib.RDF.type, ecm.ChildrensServicesAuthority) in graph
    assert (county, rdflib.RDF.type, rdflib.RDFS.Resource) not in graph
    assert (rdflib.URIRef(DCS), org.reportsTo, None) not in graph  # input triples are not repeated


def test_infer_owlrl_follows_inverse_properties(run) -> None:
    result = run(["infer", EXAMPLESHIRE, "--profile", "owlrl", "--format", "ntriples"])
    assert result.exit_code == 0, result.stderr
    graph = rdflib.Graph().parse(data=result.stdout, format="nt")
    ecm = rdflib.Namespace("https://w3id.org/ecmgraph/def#")
    ce = rdflib.URIRef("https://w3id.org/ecmgraph/id/post/E10999999/chief-executive")
    assert (ce, ecm.holdsToAccount, rdflib.URIRef(DCS)) in graph


def test_output_is_byte_identical_on_rerun(run) -> None:
    first = run(["infer", EXAMPLESHIRE, "--profile", "rdfs"]).stdout
    assert first == run(["infer", EXAMPLESHIRE, "--profile", "rdfs"]).stdout


def test_stats_counts_each_source_s_own_things_when_sources_share_a_graph(run, fixtures: Path) -> None:
    figures = json.loads(run(["stats", str(fixtures / "shared-graph"), "--no-reference", "--format", "json"]).stdout)
    assert [s["posts"] for s in figures["sources"][1:]] == [1, 1]


def test_turtle_report_gives_each_result_s_authority_as_dcterms_coverage(run) -> None:
    # Eight results, one of them about a scrutiny member who holds none of the authority's posts (filed under the
    # committee's authority); and one about a Lead Member post that is in no authority at all (no coverage).
    rules = Path(__file__).parent / "fixtures" / "rules"
    for path, count in (
        (rules / "ECM027" / "fail-scrutiny-member-untrained.ttl", 8),
        (rules / "ECM014" / "fail-lead-member-post-in-no-authority.ttl", 1),
    ):
        args = ["validate", str(path), "--as-of", "2010-01-01", "--fail-on", "none", "--format"]
        findings = json.loads(run([*args, "json"]).stdout)["results"]
        graph = rdflib.Graph().parse(data=run([*args, "turtle"]).stdout, format="turtle")
        sh = rdflib.Namespace("http://www.w3.org/ns/shacl#")
        results = sorted(graph.subjects(rdflib.RDF.type, sh.ValidationResult), key=str)  # numbered in report order
        assert len(results) == len(findings) == count
        coverage = [[str(a) for a in graph.objects(r, rdflib.DCTERMS.coverage)] for r in results]
        assert coverage == [[f["authority"]] if f["authority"] else [] for f in findings]
        assert all(coverage) if count == 8 else coverage == [[]]
