"""``ecmgraph validate`` and ``ecmgraph rules`` through the command line: exit codes, options, formats, stable output."""

from __future__ import annotations

import json
import os
import re
import xml.etree.ElementTree as ET
from collections.abc import Callable
from pathlib import Path

import pytest
import rdflib
from click.testing import Result
from rdflib.compare import isomorphic

RULES_DIR = Path(__file__).parent / "fixtures" / "rules"
GOLDEN = RULES_DIR / "report-ecm004-deputy.ttl"
REPO = Path(__file__).resolve().parents[1]

Run = Callable[..., Result]

VIOLATION = str(RULES_DIR / "ECM001" / "fail-recorded-vacancy.ttl")  # a Violation breach
VIOLATION_GAP = str(RULES_DIR / "ECM001" / "fail-holder-not-recorded.ttl")  # a Violation gap
WARNING = str(RULES_DIR / "ECM011" / "fail-lead-member-full-member-of-lscb.ttl")  # a Warning breach
INFO = str(RULES_DIR / "ECM021" / "fail-one-person-dcs-of-two-authorities.ttl")  # an Info breach
CLEAN = str(RULES_DIR / "ECM004" / "pass-dcs-reports-to-chief-executive.ttl")


def _validate(run: Run, *args: str) -> Result:
    """validate on fixtures alone: the rules on a tiny graph, without the packaged reference data beside it."""
    return run(["validate", "--no-reference", "--as-of", "2010-01-01", *args])


@pytest.mark.parametrize(
    ("path", "rule", "codes"),
    [
        (VIOLATION, "ECM001", {"violation": 1, "warning": 1, "info": 1, "none": 0}),
        (WARNING, "ECM011", {"violation": 0, "warning": 1, "info": 1, "none": 0}),
        (INFO, "ECM021", {"violation": 0, "warning": 0, "info": 1, "none": 0}),
        (CLEAN, "ECM004", {"violation": 0, "warning": 0, "info": 0, "none": 0}),
    ],
    ids=["violation", "warning", "info", "clean"],
)
def test_exit_code_follows_fail_on(run: Run, path: str, rule: str, codes: dict[str, int]) -> None:
    for level, code in codes.items():
        result = _validate(run, path, "--rule", rule, "--fail-on", level)
        assert result.exit_code == code, (level, result.stdout, result.stderr)
    assert _validate(run, path, "--rule", rule).exit_code == codes["violation"]  # the default is violation


def test_gaps_fail_only_when_asked(run: Run) -> None:
    """A gap is missing data, not a breach: it fails nothing unless --fail-on-gaps says so."""
    assert _validate(run, VIOLATION_GAP, "--rule", "ECM001").exit_code == 0
    assert _validate(run, VIOLATION_GAP, "--rule", "ECM001", "--fail-on-gaps").exit_code == 1
    assert _validate(run, VIOLATION_GAP, "--rule", "ECM001", "--fail-on-gaps", "--fail-on", "none").exit_code == 0


def test_only_filters_before_fail_on(run: Run) -> None:
    gaps = _validate(run, VIOLATION_GAP, "--rule", "ECM001", "--only", "gaps", "--format", "json", "--fail-on-gaps")
    breaches = _validate(
        run, VIOLATION_GAP, "--rule", "ECM001", "--only", "breaches", "--format", "json", "--fail-on-gaps"
    )
    assert gaps.exit_code == 1 and breaches.exit_code == 0
    assert [r["kind"] for r in json.loads(gaps.stdout)["results"]] == ["gap"]
    assert json.loads(breaches.stdout)["results"] == [] and json.loads(breaches.stdout)["only"] == "breaches"
    both = _validate(run, VIOLATION, VIOLATION_GAP, "--rule", "ECM001", "--only", "breaches", "--format", "json")
    assert {r["kind"] for r in json.loads(both.stdout)["results"]} == {"breach"}


def test_a_holder_not_recorded_is_never_called_vacant(run: Run) -> None:
    gap = json.loads(_validate(run, VIOLATION_GAP, "--rule", "ECM001", "--format", "json").stdout)["results"]
    breach = json.loads(_validate(run, VIOLATION, "--rule", "ECM001", "--format", "json").stdout)["results"]
    assert [(r["kind"], r["severity"]) for r in gap] == [("gap", "Violation")]
    assert "not recorded" in gap[0]["message"] and "not a vacancy" in gap[0]["message"]
    assert not re.search(r"\bis (recorded as )?vacant\b", gap[0]["message"])
    assert [r["kind"] for r in breach] == ["breach"] and "recorded as vacant" in breach[0]["message"]


def test_as_of_applies_the_level_in_force_then(run: Run) -> None:
    def severities(as_of: str) -> list[str]:
        result = run(["validate", VIOLATION, "--rule", "ECM001", "--as-of", as_of, "--format", "json"])
        return [r["severity"] for r in json.loads(result.stdout)["results"]]

    assert severities("2007-06-01") == ["Info"]
    assert severities("2009-01-01") == ["Violation"]


def test_rule_and_ignore_take_repeats_and_comma_lists(run: Run) -> None:
    def rules(*args: str) -> list[str]:
        return json.loads(_validate(run, CLEAN, "--format", "json", *args).stdout)["rules"]

    assert rules("--rule", "ECM001", "--rule", "ecm004") == ["ECM001", "ECM004"]
    assert rules("--rule", "ECM001,ECM004,ECM010") == ["ECM001", "ECM004", "ECM010"]
    assert rules("--ignore", "ECM001,ECM002", "--ignore", "ECM027") == [f"ECM{n:03d}" for n in range(3, 27)]


@pytest.mark.parametrize("option", ["--rule", "--ignore"])
def test_an_unknown_rule_is_an_input_error_with_the_closest_ids(run: Run, option: str) -> None:
    result = _validate(run, CLEAN, option, "ECM0004")
    assert result.exit_code == 3
    assert result.stdout == ""
    assert "unknown rule 'ECM0004'" in result.stderr and "did you mean ECM004" in result.stderr
    assert "Traceback" not in result.stderr


def test_dates_before_the_act_and_malformed_dates_are_refused(run: Run) -> None:
    early = run(["validate", CLEAN, "--as-of", "2004-01-01"])
    assert early.exit_code == 3 and "2004-11-15" in early.stderr
    assert run(["validate", CLEAN, "--as-of", "1 June 2009"]).exit_code == 2


def test_endpoint_and_paths_are_exclusive(run: Run) -> None:
    result = run(["validate", CLEAN, "--endpoint", "http://127.0.0.1:9/query"])
    assert result.exit_code == 2


def test_json_report_follows_its_schema(run: Run) -> None:
    result = _validate(run, WARNING, "--rule", "ECM011", "--format", "json")
    data = json.loads(result.stdout)
    assert list(data) == [
        "schema_version",
        "validated",
        "as_of",
        "engine",
        "inference",
        "rules",
        "only",
        "conforms",
        "evidence",
        "summary",
        "results",
    ]
    assert data["schema_version"] == 1 and data["as_of"] == "2010-01-01" and data["engine"] == "ecmgraph"
    assert data["conforms"] is False
    assert data["evidence"] == {"earliest": "2008-09-01", "latest": "2008-09-01"}  # the fixture's one dated fact
    assert data["summary"] == {
        "results": 1,
        "breaches": 1,
        "gaps": 0,
        "Violation": {"breach": 0, "gap": 0},
        "Warning": {"breach": 1, "gap": 0},
        "Info": {"breach": 0, "gap": 0},
    }
    (r,) = data["results"]
    assert r["rule"] == "ECM011" and r["severity"] == "Warning" and r["kind"] == "breach"
    assert r["focus"] == "https://w3id.org/ecmgraph/id/post/E06999001/lead-member"
    assert r["authority"] == "https://w3id.org/ecmgraph/id/authority/E06999001" and r["authority_label"] == "Exampleton"
    assert r["value"] == {"type": "uri", "value": "https://w3id.org/ecmgraph/id/body/E06999001/lscb"}
    assert r["shape"] == "https://w3id.org/ecmgraph/shapes#ECM011-full-member"
    assert "Exampleton" in r["message"] and "Lead Member" in r["message"]
    assert r["constraint_component"] == "http://www.w3.org/ns/shacl#SPARQLConstraintComponent"
    assert "https://w3id.org/ecmgraph/id/source/seed003/2.17" in r["sources"]


def test_turtle_report_is_a_shacl_validation_report(run: Run) -> None:
    path = str(RULES_DIR / "ECM004" / "fail-dcs-reports-to-deputy-chief-executive.ttl")
    result = _validate(run, path, "--rule", "ECM004", "--format", "turtle")
    assert result.exit_code == 1
    graph = rdflib.Graph().parse(data=result.stdout, format="turtle")
    if os.environ.get("ECMGRAPH_REGENERATE_GOLDENS"):
        GOLDEN.write_text(result.stdout, encoding="utf-8")
    assert isomorphic(graph, rdflib.Graph().parse(GOLDEN, format="turtle")), (
        "the report differs from the golden file (ECMGRAPH_REGENERATE_GOLDENS=1 regenerates it)"
    )
    sh = rdflib.Namespace("http://www.w3.org/ns/shacl#")
    (report,) = graph.subjects(rdflib.RDF.type, sh.ValidationReport)
    assert graph.value(report, sh.conforms) == rdflib.Literal(False)
    (res,) = graph.objects(report, sh.result)
    assert isinstance(res, rdflib.URIRef)  # no blank nodes: stable IRIs
    assert str(graph.value(res, rdflib.DCTERMS.identifier)) == "ECM004"
    assert graph.value(res, rdflib.URIRef("https://w3id.org/ecmgraph/def#findingKind")) == rdflib.URIRef(
        "https://w3id.org/ecmgraph/def#Breach"
    )
    ecm = rdflib.Namespace("https://w3id.org/ecmgraph/def#")
    fix = str(graph.value(res, ecm.fix))
    assert fix == (
        "Make the DCS post report to the authority's ecm:ChiefExecutive post (org:reportsTo); a joint DCS reports "
        "to the Chief Executive of each authority."
    )
    assert str(graph.value(res, sh.resultMessage)).endswith(fix)
    assert set(graph.objects(res, ecm.statutoryBasis)) == {
        rdflib.URIRef("http://www.legislation.gov.uk/id/ukpga/2004/31/section/18/7")
    }


def test_junit_report_has_a_case_per_authority_and_rule(run: Run) -> None:
    result = _validate(run, VIOLATION, WARNING, "--rule", "ECM001,ECM011", "--format", "junit", "--fail-on", "warning")
    root = ET.fromstring(result.stdout)
    suites = root.findall("testsuite")
    assert [s.get("name") for s in suites] == ["Exampleton"]
    cases = suites[0].findall("testcase")
    assert [c.get("name", "").split()[0] for c in cases] == ["ECM001", "ECM011"]
    assert all(c.find("failure") is not None for c in cases)
    assert root.get("tests") == "2" and root.get("failures") == "2"
    relaxed = ET.fromstring(_validate(run, WARNING, "--rule", "ECM011", "--format", "junit").stdout)
    (case,) = relaxed.iter("testcase")
    assert case.find("failure") is None and "Warning breach" in (case.findtext("system-out") or "")


def test_junit_reports_a_gap_as_skipped_unless_gaps_fail(run: Run) -> None:
    root = ET.fromstring(_validate(run, VIOLATION_GAP, "--rule", "ECM001", "--format", "junit").stdout)
    (case,) = root.iter("testcase")
    skipped = case.find("skipped")
    assert case.find("failure") is None and skipped is not None
    assert (skipped.get("message") or "").startswith("gap: ") and root.get("failures") == "0"
    failing = ET.fromstring(
        _validate(run, VIOLATION_GAP, "--rule", "ECM001", "--format", "junit", "--fail-on-gaps").stdout
    )
    (case,) = failing.iter("testcase")
    assert (case.find("failure").get("type") or "") == "Violation gap" and failing.get("failures") == "1"


def test_text_report_leads_with_the_breaches_by_authority(run: Run) -> None:
    result = _validate(run, VIOLATION, WARNING, "--rule", "ECM001,ECM011")
    lines = result.stdout.splitlines()
    assert lines[0].startswith("Validation of ") and "as at 2010-01-01: 2 rules" in lines[0]
    assert lines[1] == (
        "Evidence in the data is dated 2005-04-01 to 2008-09-01 (latest 2008-09-01, older than "
        "2010-01-01: facts may have changed since)."
    )
    assert lines[3:6] == ["2 breaches in 1 authority:", "", "Exampleton"]
    assert lines[6].startswith("  ECM001 Violation: Exampleton") and "[Children Act 2004 s18(1);" in lines[6]
    assert lines[7].startswith("  ECM011 Warning: ")
    assert lines[-1] == "0 gaps: the data records everything the rules checked need."


def test_text_report_counts_gaps_per_rule_and_lists_them_on_request(run: Run) -> None:
    counted = _validate(run, VIOLATION_GAP, "--rule", "ECM001").stdout.splitlines()
    assert counted[3] == "0 breaches: nothing the data records breaks a rule checked."
    assert counted[5] == (
        "1 gap in 1 authority: facts the rules need that the data does not record (missing data, "
        "not breaches). By rule:"
    )
    assert re.fullmatch(
        r"  ECM001 must +1 in 1 authority +The authority has exactly one Director of Children's "
        r"Services, in post",
        counted[6],
    )
    assert counted[-1] == "List them with 'ecmgraph validate --gaps' (add --rule ID for one rule)."
    assert not any("Violation" in line for line in counted[3:])  # a gap is never written as a violation
    listed = _validate(run, VIOLATION_GAP, "--rule", "ECM001", "--gaps").stdout.splitlines()
    assert listed[:7] == counted[:7]
    assert "Exampleton" in listed and any(line.startswith("  ECM001 gap, must: ") for line in listed)


def test_validate_with_no_paths_checks_the_packaged_data(run: Run) -> None:
    result = run(["validate", "--as-of", "2009-06-01"])
    assert result.exit_code == 0  # the packaged data records posts, not holders: gaps, no breach
    assert result.stdout.splitlines()[:4] == [
        "Validation of packaged data as at 2009-06-01: 27 rules, engine ecmgraph, no inference",
        "Evidence in the data is dated 2005-02-11 to 2009-01-21 (latest 2009-01-21, older than 2009-06-01: facts may "
        "have changed since).",
        "",
        "0 breaches: nothing the data records breaks a rule checked.",
    ]
    assert re.search(r"^1,421 gaps in 152 authorities: ", result.stdout, re.M)  # the 152 CSAs of that day
    assert len(result.stdout.splitlines()) < 40  # counts per rule, not every gap
    text = run(["validate", "--as-of", "2009-06-01", "--gaps"]).stdout
    assert "\nStaffordshire (E10000028)\n" in text
    assert (
        "  ECM001 gap, must: Staffordshire: who held the post Director of Children's Services, "
        "Staffordshire County Council on 2009-06-01 is not recorded (no earlier tenure is recorded), so whether it was "
        "filled, as Children Act 2004 "
        "s18(1) (in force from 2008-01-01, https://www.legislation.gov.uk/ukpga/2004/31/section/18/1) requires, "
        "cannot be checked (a gap in the data, not a vacancy). Add an ecm:Tenure of the post current on that date "
        "(ecm:post, ecm:holder, ecm:startDate), or an ecm:Vacancy of the post if it was vacant. [" in text
    )
    assert "Reference data only:" in text
    assert re.search(r"^  Barnsley \(E08000016\): gaps for ECM001 ECM002 ", text, re.M)
    assert len(text.splitlines()) < 400  # England's reference-only authorities are one line each
    assert run(["validate", "--as-of", "2009-06-01", "--fail-on-gaps"]).exit_code == 1


@pytest.mark.parametrize("fmt", ["text", "json", "turtle", "junit"])
def test_same_input_gives_byte_identical_output(run: Run, fmt: str) -> None:
    args = ["validate", "--as-of", "2009-06-01", "--format", fmt, "--fail-on", "none"]
    first, second = run(args), run(args)
    assert first.exit_code == 0 and first.stdout == second.stdout and first.stdout


def test_output_file_is_written_whole_or_not_at_all(run: Run, tmp_path: Path) -> None:
    out = tmp_path / "report.json"
    result = _validate(run, WARNING, "--rule", "ECM011", "--format", "json", "-o", str(out), "--fail-on", "warning")
    assert result.exit_code == 1 and result.stdout == ""
    assert json.loads(out.read_text(encoding="utf-8"))["results"]
    missing = tmp_path / "no-such-folder" / "report.json"
    failed = _validate(run, WARNING, "--rule", "ECM011", "-o", str(missing))
    assert failed.exit_code == 3 and not missing.exists()


def test_engine_option_gives_the_same_results(run: Run) -> None:
    path = str(RULES_DIR / "ECM012")
    ours = json.loads(_validate(run, path, "--rule", "ECM012", "--format", "json").stdout)
    theirs = json.loads(_validate(run, path, "--rule", "ECM012", "--format", "json", "--engine", "pyshacl").stdout)
    assert theirs["engine"] == "pyshacl"
    # The folder's fixtures share one board: two chairs holding other posts, and two chair memberships of agencies.
    assert ours["results"] == theirs["results"] and len(ours["results"]) == 4


def test_inference_option_is_accepted(run: Run) -> None:
    result = _validate(run, WARNING, "--rule", "ECM011", "--format", "json", "--inference", "rdfs")
    data = json.loads(result.stdout)
    assert data["inference"] == "rdfs" and [r["rule"] for r in data["results"]] == ["ECM011"]


def test_store_option_validates_a_loaded_store_without_modifying_it(run: Run, tmp_path: Path) -> None:
    store = tmp_path / "store"
    assert run(["load", "--store", str(store), WARNING]).exit_code == 0
    before = sorted(p.name for p in store.iterdir())
    result = _validate(run, "--store", str(store), "--rule", "ECM011", "--format", "json")
    assert [r["rule"] for r in json.loads(result.stdout)["results"]] == ["ECM011"]
    assert sorted(p.name for p in store.iterdir()) == before


# ------------------------------------------------------------------------------------------------ rules


def test_rules_lists_the_catalogue(run: Run) -> None:
    result = run(["rules"])
    assert result.exit_code == 0
    assert result.stdout.startswith("ECM001 Violation: The authority has exactly one Director of Children's Services")
    assert "in force from 2008-01-01; Info before that day" in result.stdout
    assert len(re.findall(r"^ECM\d{3} ", result.stdout, re.M)) == 27


def test_rules_as_json(run: Run) -> None:
    data = json.loads(run(["rules", "ECM013", "ecm001", "--format", "json"]).stdout)
    assert [r["id"] for r in data] == ["ECM013", "ECM001"]
    assert data[0]["level"] == "Warning"
    assert {s["severity"] for s in data[0]["shapes"]} == {"Warning", "Info"}
    assert data[1]["in_force_from"] == "2008-01-01" and data[1]["level_before"] == "Info"
    assert "http://www.legislation.gov.uk/id/ukpga/2004/31/section/18/1" in data[1]["sources"]
    assert all(s["message"] and s["checks"] for r in data for s in r["shapes"])


def test_rules_unknown_id_is_an_input_error(run: Run) -> None:
    result = run(["rules", "ECM28"])
    assert result.exit_code == 3 and "did you mean" in result.stderr


def test_shapes_readme_table_is_in_step_with_the_shapes(run: Run) -> None:
    table = run(["rules", "--format", "markdown"]).stdout
    readme = (REPO / "shapes" / "README.md").read_text(encoding="utf-8")
    begin, end = "<!-- rules table: begin -->\n", "<!-- rules table: end -->"
    assert readme[readme.index(begin) + len(begin) : readme.index(end)] == table, (
        "regenerate the table in shapes/README.md with: ecmgraph rules --format markdown"
    )


@pytest.mark.parametrize("command", ["validate", "rules"])
def test_help_ends_with_an_example(run: Run, command: str) -> None:
    result = run([command, "--help"])
    assert result.exit_code == 0 and "Example:" in result.stdout


def test_data_without_dated_evidence_says_so(run: Run, tmp_path: Path) -> None:
    path = tmp_path / "undated.ttl"
    path.write_text(
        "@prefix ecm: <https://w3id.org/ecmgraph/def#> .\n"
        "<https://w3id.org/ecmgraph/id/authority/E06999009> a ecm:UnitaryAuthority .\n",
        encoding="utf-8",
    )
    lines = run(["validate", str(path), "--no-reference", "--rule", "ECM001"]).stdout.splitlines()
    assert lines[1] == "The data's evidence carries no date."
