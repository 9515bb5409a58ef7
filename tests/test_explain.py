"""Messages a council officer understands (issue 19, item 4), and ``ecmgraph validate --explain RULE``.

Every finding says what is wrong, where, since when, the statute with its legislation.gov.uk link, and the fix;
every rule has a packaged example that breaks it and the same example corrected (``shapes/examples/``).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import Result

from ecmgraph.store import load_dataset
from ecmgraph.validation import load_catalogue, validate
from ecmgraph.validation.examples import EXAMPLE_AS_OF, example_findings, explain_rule, rule_examples

Run = Callable[..., Result]
CATALOGUE = load_catalogue()
RULES = sorted(CATALOGUE.rules)


def _name(shape: str) -> str:
    return shape.rsplit("#", 1)[-1]


# --- the examples ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("rule", RULES)
def test_each_rule_has_an_example_that_breaks_it_and_its_fix(rule: str) -> None:
    breaks, fixed = rule_examples(rule)
    assert breaks.rule == fixed.rule == rule
    assert breaks.expected and not fixed.expected
    found = sorted(_name(f.shape) for f in example_findings(breaks))
    assert found == sorted(breaks.expected), f"{breaks.path.name} gives {found}, its header says {breaks.expected}"
    assert all(f.rule == rule for f in example_findings(breaks))
    assert [_name(f.shape) for f in example_findings(fixed)] == [], f"{fixed.path.name} still breaks {rule}"


# --- the messages: exact text for one rule of each family --------------------------------------------------------

EXPECTED = {
    # posts and holders
    "ECM001": "Exampleton: the post Director of Children's Services, Exampleton is recorded as vacant on 2009-06-01 "
    "(the vacancy began on 2009-04-01), with no holder and no cover, where Children Act 2004 s18(1) (in force from 2008-01-01, "
    "https://www.legislation.gov.uk/ukpga/2004/31/section/18/1) requires every children's services authority to "
    "appoint one. Record who held or covered the post on that date (an ecm:Tenure with ecm:post, ecm:holder and "
    "ecm:startDate), or give the vacancy the ecm:endDate on which someone was appointed.",
    # boards and membership
    "ECM005": "Exampleton: on 2009-06-01 Director of Children's Services, Exampleton is recorded only as a "
    "participant observer of Exampleton Local Safeguarding Children Board, but the statutory guidance (seed 003 "
    "§3.29, §3.32), issued under Children Act 2004 s18(7) (https://www.legislation.gov.uk/ukpga/2004/31/section/18/7), "
    "says the DCS should always be a member of the LSCB. Give the membership of the DCS post (or its holder) in the "
    "board the role ecm:MemberRole instead of ecm:ParticipantObserverRole.",
    # relevant partners
    "ECM017": "Exampleshire: Sample Vale, a district council in the county, is not recorded on 2009-06-01 as taking "
    "part in the children's trust arrangements, while Children Act 2004 s10(5) "
    "(https://www.legislation.gov.uk/ukpga/2004/31/section/10/5) makes district councils relevant partners, which "
    "the guidance (seed 003 §3.10, §3.25) says should be involved. Record that the district takes part "
    "(ecm:takesPartIn the county's ecm:ChildrensTrust, or an org:Membership of the trust or its board) or that it is "
    "a relevant partner of the county (ecm:relevantPartnerOf).",
    # dated: since the day the board ended
    "ECM009": "Exampleton: Exampleton Local Safeguarding Children Board ended on 2009-03-31 and no Local "
    "Safeguarding Children Board is recorded in its place on 2009-06-01, but Children Act 2004 s13(1) "
    "(https://www.legislation.gov.uk/ukpga/2004/31/section/13/1) requires every children's services authority to "
    "establish one. Add the board that replaced it (an ecm:LocalSafeguardingChildrenBoard with ecm:bodyOf the "
    "authority and its ecm:startDate), or correct the end date if the board still exists.",
    # a SHACL Core shape: the post and the organisation by label
    "ECM014": "Member for Children's Services, Sample Vale is recorded on 2009-06-01 as a statutory Director of "
    "Children's Services or Lead Member post in Sample Vale, which is not a children's services authority, while "
    "Children Act 2004 s18 (https://www.legislation.gov.uk/ukpga/2004/31/section/18) and Children Act 2004 s19 "
    "(https://www.legislation.gov.uk/ukpga/2004/31/section/19) provide for those posts only in upper-tier "
    "authorities. For a district council, record its member for children's services as an ecm:ChildrensChampion "
    "post, not a statutory one; otherwise give the authority its kind (a county, unitary, metropolitan or London "
    "borough council).",
}


@pytest.mark.parametrize("engine", ["ecmgraph", "pyshacl"])
@pytest.mark.parametrize("rule", sorted(EXPECTED))
def test_a_finding_says_what_where_since_when_the_statute_and_the_fix(rule: str, engine: str) -> None:
    breaks, _ = rule_examples(rule)
    report = validate(load_dataset([str(breaks.path)]), as_of=EXAMPLE_AS_OF, rules=[rule], engine=engine)
    assert [f.message for f in report.findings] == [EXPECTED[rule]]
    assert EXPECTED[rule].endswith(" " + report.findings[0].fix)


def test_every_message_has_each_part() -> None:
    for rule in CATALOGUE.rules.values():
        assert rule.statute, f"{rule.id} cites no statute"
        for shape in rule.shapes:
            name = _name(shape.iri)
            assert "{$asOf}" in shape.message or "End}" in shape.message, f"{name}: since when?"
            for iri in shape.statute:
                page = "https://www.legislation.gov.uk/" + iri.removeprefix("http://www.legislation.gov.uk/id/")
                assert f"({page})" in shape.message or f", {page})" in shape.message, f"{name}: no link to {page}"
            assert shape.fix and shape.fix[0].isupper() and shape.fix.endswith("."), f"{name}: the fix is a sentence"
            assert shape.message.endswith(" " + shape.fix), f"{name}: the message ends with its fix"
            assert "SELECT" not in shape.message and "?this" not in shape.message


def test_json_carries_the_fix_and_the_statute_apart(run: Run) -> None:
    breaks, _ = rule_examples("ECM009")
    result = run(["validate", str(breaks.path), "--no-reference", "--as-of", "2009-06-01", "--format", "json"])
    [found] = [r for r in json.loads(result.stdout)["results"] if r["rule"] == "ECM009"]
    assert found["fix"] == (
        "Add the board that replaced it (an ecm:LocalSafeguardingChildrenBoard with ecm:bodyOf the authority and its "
        "ecm:startDate), or correct the end date if the board still exists."
    )
    assert found["statute"] == [
        {
            "provision": "http://www.legislation.gov.uk/id/ukpga/2004/31/section/13/1",
            "citation": "Children Act 2004 s13(1)",
            "url": "https://www.legislation.gov.uk/ukpga/2004/31/section/13/1",
        }
    ]


# --- validate --explain ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("given", ["ECM001", "ecm001", "1", "01"])
def test_explain_takes_the_rule_as_people_type_it(run: Run, given: str) -> None:
    result = run(["validate", "--explain", given])
    assert result.exit_code == 0, result.stderr
    out = result.stdout
    assert out.startswith(
        "ECM001 (Violation from 2008-01-01, Info before): The authority has exactly one Director of Children's "
        "Services, in post\n\nStatute: Children Act 2004 s18(1) (https://www.legislation.gov.uk/ukpga/2004/31/section/18/1).\n"
    )
    assert "seed 003 §1.2, §3.15, App. 1 (s18), fn 34." in out
    assert "  ECM001-vacant (breach): The DCS post has a vacancy recorded on the date and no holder.\n" in out
    breaks, fixed = out.split("An example that breaks it (shapes/examples/ECM001-breaks.trig):\n", 1)[1].split(
        "The fix (shapes/examples/ECM001-fixed.trig):\n", 1
    )
    assert "    <vacancy/E06999001/dcs/1> a ecm:Vacancy ;" in breaks
    assert "  ECM001 Violation breach: Exampleton: the post Director of Children's Services, Exampleton is" in breaks
    assert "    <tenure/E06999001/dcs/1> a ecm:Tenure ;" in fixed
    assert fixed.endswith("\n  No finding for ECM001: the graph conforms to the rule.\n")


def test_explain_runs_the_examples_for_real() -> None:
    explanation = explain_rule("21")
    assert [_name(f.shape) for f in explanation.breaks_findings] == ["ECM021-joint-dcs", "ECM021-joint-dcs"]
    assert {f.authority for f in explanation.breaks_findings} == {
        "https://w3id.org/ecmgraph/id/authority/E06999001",
        "https://w3id.org/ecmgraph/id/authority/E06999002",
    }
    assert explanation.fixed_findings == ()


@pytest.mark.parametrize("given", ["ECM099", "0", "lead member"])
def test_explain_an_unknown_rule_is_a_usage_error(run: Run, given: str) -> None:
    result = run(["validate", "--explain", given])
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr == (
        f"Error: --explain: unknown rule {given!r} (hint: give one of ECM001 to ECM027 (or its number, 1 to 27); "
        "ecmgraph rules lists them)\n"
    )


def test_explain_reads_no_data(run: Run) -> None:
    result = run(["validate", "--explain", "ECM001", "data/"])
    assert result.exit_code == 2
    assert "--explain reads no data" in result.stderr


def test_validate_help_shows_explain(run: Run) -> None:
    out = run(["validate", "--help"]).stdout
    assert "--explain RULE" in out
    assert "ecmgraph validate --explain ECM001" in out


@pytest.mark.parametrize("engine", ["ecmgraph", "pyshacl"])
def test_a_holder_not_recorded_says_when_the_last_tenure_ended(tmp_path: Path, engine: str) -> None:
    graph = tmp_path / "two-ended-tenures.ttl"
    graph.write_text(
        "@base <https://w3id.org/ecmgraph/id/> .\n@prefix ecm: <https://w3id.org/ecmgraph/def#> .\n"
        "@prefix org: <http://www.w3.org/ns/org#> .\n@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .\n"
        "@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .\n"
        '<authority/E06999001> a ecm:UnitaryAuthority ; rdfs:label "Exampleton"@en .\n'
        '<post/E06999001/dcs> a ecm:DirectorOfChildrensServices ; rdfs:label "DCS, Exampleton"@en ;\n'
        "    org:postIn <authority/E06999001> .\n"
        '<tenure/1> ecm:post <post/E06999001/dcs> ; ecm:holder <person/a> ; ecm:endDate "2007-03-31"^^xsd:date .\n'
        '<tenure/2> ecm:post <post/E06999001/dcs> ; ecm:holder <person/b> ; ecm:endDate "2008-12-31"^^xsd:date .\n',
        encoding="utf-8",
    )
    report = validate(load_dataset([str(graph)]), as_of=EXAMPLE_AS_OF, rules=["ECM001"], engine=engine)
    assert [f.message.split(", so whether")[0] for f in report.findings] == [
        "Exampleton: who held the post DCS, Exampleton on 2009-06-01 is not recorded (the last tenure recorded "
        "ended on 2008-12-31)"
    ]
