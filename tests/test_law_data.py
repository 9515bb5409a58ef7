"""data/law.ttl: the Acts, provisions, statutory instruments and guidance the rules and responsibilities cite."""

from __future__ import annotations

import re
from pathlib import Path

import pyoxigraph
import pytest
from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, RDF, RDFS

from ecmgraph.resources import data_dir, ontology_path

ECM = Namespace("https://w3id.org/ecmgraph/def#")
LEG = "http://www.legislation.gov.uk/id/"
SOURCE = "https://w3id.org/ecmgraph/id/source/"

#: legislation.gov.uk identifiers: an Act or SI, then sections, subsections, schedules, paragraphs, Parts.
LEGISLATION_ID = re.compile(
    r"http://www\.legislation\.gov\.uk/id/(ukpga|uksi)/\d{4}/\d+"
    r"(/(section|schedule|part)/\d+[A-Z]*(/\d+[A-Z]*)*(/paragraph/\d+[A-Z]*)?)?"
)
#: Seed paragraph IRIs, as ontology/README.md gives them (ecmid:source/seed003/3.5, …/seed001/appB-4.5-s11).
SEED_PARAGRAPH = re.compile(r"https://w3id\.org/ecmgraph/id/source/seed00[0-4]/[A-Za-z0-9][A-Za-z0-9.-]*")

XSD_GYEAR = URIRef("http://www.w3.org/2001/XMLSchema#gYear")
XSD_GYEARMONTH = URIRef("http://www.w3.org/2001/XMLSchema#gYearMonth")
CA2004 = LEG + "ukpga/2004/31"
CA1989 = LEG + "ukpga/1989/41"
SI = ECM.StatutoryInstrument


def _law_ttl() -> Path:
    return data_dir() / "law.ttl"


@pytest.fixture(scope="module")
def law() -> Graph:
    return Graph().parse(_law_ttl(), format="turtle")


def _typed(law: Graph, cls: URIRef) -> set[str]:
    return {str(s) for s in law.subjects(RDF.type, cls)}


def test_law_parses_in_both_toolkits(law: Graph) -> None:
    store = pyoxigraph.Store()
    store.load(path=str(_law_ttl()), format=pyoxigraph.RdfFormat.TURTLE)
    assert len(store) == len(law) > 0


def test_every_legislation_iri_follows_the_legislation_gov_uk_pattern(law: Graph) -> None:
    legislation = _typed(law, ECM.Act) | _typed(law, ECM.StatutoryInstrument) | _typed(law, ECM.Provision)
    assert legislation
    for iri in legislation:
        assert LEGISLATION_ID.fullmatch(iri), iri
    for iri in _typed(law, ECM.Act):
        assert iri.startswith(LEG + "ukpga/"), iri
    for iri in _typed(law, ECM.StatutoryInstrument):
        assert iri.startswith(LEG + "uksi/"), iri


@pytest.mark.parametrize(
    "path",
    [
        *(f"ukpga/2004/31/section/{n}" for n in ("10", "11", "12", "13", "17", "18", "18/1", "18/2", "18/8", "19")),
        "ukpga/2004/31/section/13/1",
        "ukpga/2004/31/section/19/1",
        "ukpga/2004/31/section/10/5",
        "ukpga/1989/41/section/17",
        *(f"ukpga/1989/41/section/{n}" for n in ("23C", "23D", "23E", "24", "24A", "24B", "24C", "24D")),
        "ukpga/1989/42/section/2",
        "ukpga/1989/42/section/4",
        "ukpga/2006/47/schedule/4",
        "ukpga/2006/47/schedule/4/paragraph/4",
        "ukpga/2006/41/section/75",
        "ukpga/2006/21/part/1",
        "uksi/2001/3384/schedule/1",
    ],
)
def test_cited_provision_is_described(law: Graph, path: str) -> None:
    assert (URIRef(LEG + path), RDF.type, ECM.Provision) in law


@pytest.mark.parametrize(
    ("path", "cls", "title"),
    [
        ("ukpga/2004/31", ECM.Act, "Children Act 2004"),
        ("ukpga/1989/41", ECM.Act, "Children Act 1989"),
        ("ukpga/1989/42", ECM.Act, "Local Government and Housing Act 1989"),
        ("ukpga/2006/47", ECM.Act, "Safeguarding Vulnerable Groups Act 2006"),
        ("ukpga/2006/41", ECM.Act, "National Health Service Act 2006"),
        ("ukpga/2006/21", ECM.Act, "Childcare Act 2006"),
        ("ukpga/1970/42", ECM.Act, "Local Authority Social Services Act 1970"),
        ("uksi/2001/3384", SI, "The Local Authorities (Standing Orders) (England) Regulations 2001"),
        ("uksi/2006/90", SI, "The Local Safeguarding Children Boards Regulations 2006"),
        ("uksi/2007/1792", SI, "The Children Act 2004 (Director of Children's Services) Appointed Day Order 2007"),
        ("uksi/2008/752", SI, "The Children Act 2004 (Commencement No. 9) Order 2008"),
    ],
)
def test_acts_and_instruments_have_their_titles(law: Graph, path: str, cls: URIRef, title: str) -> None:
    iri = URIRef(LEG + path)
    assert (iri, RDF.type, cls) in law
    assert list(law.objects(iri, DCTERMS.title)) == [Literal(title, lang="en")]


def _expected_label(law: Graph, iri: str) -> str:
    """A provision's label, from its IRI: "Children Act 2004, section 18(1)", "…, Schedule 4, paragraph 4"."""
    act = next(a for a in _typed(law, ECM.Act) | _typed(law, ECM.StatutoryInstrument) if iri.startswith(a + "/"))
    act_label = str(law.value(URIRef(act), RDFS.label))
    parts = iri.removeprefix(act + "/").split("/")
    words: list[str] = []
    while parts:
        head, number, *rest = parts
        if head == "section":
            words.append(f"section {number}" + "".join(f"({n})" for n in rest))
            rest = []
        elif head == "schedule":
            words.append(f"Schedule {number}")
        elif head == "paragraph":
            words.append(f"paragraph {number}")
        elif head == "part":
            words.append(f"Part {number}")
        else:
            raise AssertionError(f"unexpected step {head!r} in {iri}")
        parts = rest
    return ", ".join([act_label, *words])


def test_provision_labels_say_what_the_iri_says(law: Graph) -> None:
    for iri in _typed(law, ECM.Provision):
        labels = list(law.objects(URIRef(iri), RDFS.label))
        assert labels == [Literal(_expected_label(law, iri), lang="en")], iri


def test_provisions_are_part_of_their_act_and_enclosing_provision(law: Graph) -> None:
    acts = _typed(law, ECM.Act) | _typed(law, ECM.StatutoryInstrument)
    for iri in _typed(law, ECM.Provision):
        wholes = {str(o) for o in law.objects(URIRef(iri), DCTERMS.isPartOf)}
        act = next(a for a in acts if iri.startswith(a + "/"))
        assert act in wholes, iri
        # A subsection or paragraph is part of the provision it sits in, which is described too.
        for whole in wholes - {act}:
            assert iri.startswith(whole + "/") and (URIRef(whole), RDF.type, ECM.Provision) in law, iri


def test_each_provision_cites_a_seed_paragraph_or_is_marked_cited_outside_the_seeds(law: Graph) -> None:
    outside = {str(s) for s in law.subjects(ECM.citedOutsideSeeds, Literal(True))}
    assert outside == {CA2004 + "/section/13/1", CA1989 + "/section/17", LEG + "ukpga/1989/42/section/4"}
    for iri in _typed(law, ECM.Provision):
        sources = list(law.objects(URIRef(iri), DCTERMS.source))
        assert bool(sources) != (iri in outside), iri


def test_every_source_is_a_seed_paragraph(law: Graph) -> None:
    for _, source in law.subject_objects(DCTERMS.source):
        assert SEED_PARAGRAPH.fullmatch(str(source)), source


def test_the_2009_guidance_is_seed_003_issued_under_s18_7_and_s19_2(law: Graph) -> None:
    guidance = URIRef(SOURCE + "seed003")
    assert (guidance, RDF.type, ECM.StatutoryGuidance) in law
    assert (guidance, DCTERMS.identifier, Literal("DCSF-00686-2009")) in law
    assert set(law.objects(guidance, ECM.statutoryBasis)) == {
        URIRef(CA2004 + "/section/18/7"),
        URIRef(CA2004 + "/section/19/2"),
    }
    replaced = law.value(guidance, DCTERMS.replaces)
    assert replaced is not None and (replaced, RDF.type, ECM.StatutoryGuidance) in law
    assert law.value(replaced, DCTERMS.issued) == Literal("2005", datatype=XSD_GYEAR)
    assert (replaced, DCTERMS.isReplacedBy, guidance) in law


def test_the_2008_childrens_trust_guidance(law: Graph) -> None:
    guidance = URIRef(SOURCE + "guidance-2008-childrens-trusts")
    assert (guidance, RDF.type, ECM.StatutoryGuidance) in law
    assert law.value(guidance, DCTERMS.issued) == Literal("2008-11", datatype=XSD_GYEARMONTH)
    assert str(law.value(guidance, DCTERMS.title)).startswith("Children's Trusts: statutory guidance")


def test_commencement_instruments_name_their_dates(law: Graph) -> None:
    appointed_day = str(law.value(URIRef(LEG + "uksi/2007/1792"), DCTERMS.description))
    commencement = str(law.value(URIRef(LEG + "uksi/2008/752"), DCTERMS.description))
    assert "1 January 2008" in appointed_day and "section 18" in appointed_day
    assert "21 March 2008" in commencement and "section 19" in commencement


def test_statutory_basis_always_points_at_a_described_provision(law: Graph) -> None:
    for thing, provision in law.subject_objects(ECM.statutoryBasis):
        assert (provision, RDF.type, ECM.Provision) in law, (thing, provision)


def test_every_provision_the_packaged_graphs_cite_is_described_here(law: Graph) -> None:
    """A statutory basis or source anywhere in the ontology or data is labelled here, for statutory-basis answers."""
    described = {str(s) for s in law.subjects(RDF.type, None)}
    files = [ontology_path(), *sorted(data_dir().rglob("*.ttl")), *sorted(data_dir().rglob("*.trig"))]
    missing: set[tuple[str, str]] = set()
    for path in files:
        if not path.is_file():
            continue
        store = pyoxigraph.Store()
        fmt = pyoxigraph.RdfFormat.TRIG if path.suffix == ".trig" else pyoxigraph.RdfFormat.TURTLE
        store.load(path=str(path), format=fmt)
        for predicate in (ECM.statutoryBasis, DCTERMS.source):
            for quad in store.quads_for_pattern(None, pyoxigraph.NamedNode(str(predicate)), None, None):
                cited = quad.object
                if (
                    isinstance(cited, pyoxigraph.NamedNode)
                    and cited.value.startswith(LEG)
                    and cited.value not in described
                ):
                    missing.add((cited.value, path.name))
    assert not missing, sorted(missing)
