"""docs/rules.md, the rules reference: in step with the shapes, and naming every rule, shape, source and document."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
import rdflib

from ecmgraph import resources
from ecmgraph.render.reports import cite
from ecmgraph.render.rulesdoc import COMMAND, main, rules_reference, source_documents
from ecmgraph.validation import EARLIEST_AS_OF, load_catalogue

ROOT = Path(__file__).resolve().parents[1]
REFERENCE = ROOT / "docs" / "rules.md"


@pytest.fixture(scope="module")
def reference() -> str:
    return rules_reference()


def test_the_committed_reference_is_in_step_with_the_shapes(reference: str) -> None:
    if not REFERENCE.is_file():
        pytest.skip("docs/ is not in this tree (an installed wheel)")
    assert REFERENCE.read_text(encoding="utf-8") == reference, f"regenerate it: {COMMAND}"


def test_each_rule_has_its_section_with_title_level_dates_and_sources(reference: str) -> None:
    rules = load_catalogue().rules
    assert len(rules) == 27
    sections = re.split(r"^### ", reference, flags=re.M)
    by_id = {s.split("\n", 1)[0]: s for s in sections[1:]}
    for rule in rules.values():
        section = by_id[rule.id]
        assert f"**{rule.title}**" in section
        if rule.in_force_from:
            assert (
                f"**Level:** {rule.level} from {rule.in_force_from.isoformat()}; {rule.severity_before} before"
                in section
            )
        else:
            assert f"**Level:** {rule.level} on every date from {EARLIEST_AS_OF.isoformat()}." in section
        for source in rule.sources:
            citation = cite(source)
            if source.startswith("http://www.legislation.gov.uk/"):
                assert f"[{citation}]({source})" in section
            else:
                document, _, paragraph = citation.partition(" ")[2].partition(" ")
                assert f"[seed {document}](#seed-{document})" in section
                assert paragraph in section.split("**Sources:**", 1)[1].split("\n", 1)[0]
        for shape in rule.shapes:
            name = shape.iri.rsplit("#", 1)[-1]
            assert f"`ecmsh:{name}`: a **{shape.kind}**" in section
            assert shape.description in section and shape.message in section


def test_the_citations_read_as_people_cite_them(reference: str) -> None:
    ecm001 = reference.split("### ECM001", 1)[1].split("###", 1)[0]
    assert "[Children Act 2004 s18(1)](http://www.legislation.gov.uk/id/ukpga/2004/31/section/18/1)" in ecm001
    ecm004 = reference.split("### ECM004", 1)[1].split("###", 1)[0]
    assert "[seed 003](#seed-003) §3.2, §3.5, §3.44" in ecm004


def test_each_seed_document_is_named_by_title_and_file(reference: str) -> None:
    documents = source_documents(rdflib.Graph().parse(resources.data_dir() / "sources.ttl"))
    assert [d.label for d in documents.values()] == [f"seed 00{i}" for i in range(5)]
    for document in documents.values():
        assert re.fullmatch(r"\d{3}_[0-9a-f]{16}\.txt", document.file)
        entry = reference.split(f"### {document.label}\n", 1)[1].split("\n###", 1)[0]
        assert f"*{document.title}* (file `{document.file}`;" in entry
    seed003 = documents["seed003"]
    assert seed003.title.startswith("The Roles and Responsibilities of the Lead Member")
    assert "DCSF-00686-2009" in seed003.identifiers


def test_every_cited_provision_is_listed_with_its_title(reference: str) -> None:
    law = rdflib.Graph().parse(resources.data_dir() / "law.ttl")
    table = reference.split("## Legislation cited", 1)[1]
    cited = {s for r in load_catalogue().rules.values() for s in r.sources if "legislation.gov.uk" in s}
    assert cited
    for iri in cited:
        title = law.value(rdflib.URIRef(iri), rdflib.RDFS.label)
        assert title is not None, f"data/law.ttl has no label for {iri}"
        assert f"| {cite(iri)} | [{title}]({iri}) |" in table


def test_every_link_inside_the_reference_has_its_anchor(reference: str) -> None:
    anchors = {h.strip().lower().replace(" ", "-") for h in re.findall(r"^#+ (.+)$", reference, flags=re.M)}
    for target in re.findall(r"\]\(#([^)]+)\)", reference):
        assert target in anchors, target


def test_the_generator_refuses_arguments(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--help"]) == 2
    assert COMMAND in capsys.readouterr().err


def test_the_command_writes_the_reference(reference: str) -> None:
    out = subprocess.run([sys.executable, "-m", "ecmgraph.render.rulesdoc"], capture_output=True, check=True)
    assert out.stdout.decode("utf-8") == reference
