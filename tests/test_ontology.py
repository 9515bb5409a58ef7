"""ontology/ecm.ttl: it loads everywhere ecmgraph loads it, every term is documented and sourced, the namespace
module is in step with it, and its domains and ranges entail nothing absurd about the data."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import owlrl
import pyoxigraph
import pytest
from rdflib import BNode, Graph, Literal, URIRef

from ecmgraph import namespaces as ns
from ecmgraph.namespaces import DCTERMS, ECM, FOAF, ORG, OWL, PREFIXES, PROV, RDF, RDFS, SKOS, sparql_prologue
from ecmgraph.resources import asset_dir, ontology_path

ECM_NS = str(ECM)
ONTOLOGY_IRI = URIRef("https://w3id.org/ecmgraph/def")

#: A seed document or one of its paragraphs, as ontology/README.md gives them (…/source/seed003/3.5).
SEED_SOURCE = re.compile(r"https://w3id\.org/ecmgraph/id/source/seed00[0-4](/[A-Za-z0-9][A-Za-z0-9.-]*)?")
#: A legislation.gov.uk identifier: an Act or SI, optionally a section, Part or schedule of it.
LEGISLATION = re.compile(
    r"http://www\.legislation\.gov\.uk/id/(ukpga|uksi)/\d{4}/\d+(/(section|part|schedule)/\d+[A-Z]*)?"
)
#: The one reference-data source the ontology cites (ONS codes and regions are not in the seeds); data/england.ttl
#: describes it.
REFERENCE_SOURCES = {"https://w3id.org/ecmgraph/id/source/ons-chd-2024-07"}

#: RDF, RDFS and OWL terms an OWL 2 ontology may use without declaring them.
BUILT_IN_PREDICATES = {
    RDF.type,
    RDF.first,
    RDF.rest,
    RDFS.subClassOf,
    RDFS.subPropertyOf,
    RDFS.domain,
    RDFS.range,
    RDFS.label,
    RDFS.comment,
    RDFS.seeAlso,
    OWL.versionIRI,
    OWL.versionInfo,
    OWL.inverseOf,
    OWL.unionOf,
    OWL.disjointWith,
    OWL.members,
}
TERM_TYPES = (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty, OWL.NamedIndividual, SKOS.ConceptScheme)

S18_FUNCTIONS = {
    ECM.EducationFunctions,
    ECM.ChildrensSocialServicesFunctions,
    ECM.LeavingCareFunctions,
    ECM.CooperationAndPlanningFunctions,
    ECM.NHSPartnershipFunctions,
    ECM.ChildcareFunctions,
}
OUTCOMES = {
    ECM.BeHealthy,
    ECM.StaySafe,
    ECM.EnjoyAndAchieve,
    ECM.MakeAPositiveContribution,
    ECM.AchieveEconomicWellBeing,
}


def _asset(folder: str, name: str) -> Path:
    """A packaged asset."""
    return asset_dir(folder) / name


def _ontology_path() -> Path:
    return ontology_path()


@pytest.fixture(scope="module")
def ontology() -> Graph:
    return Graph().parse(_ontology_path(), format="turtle")


def _is_ecm(node: object) -> bool:
    return isinstance(node, URIRef) and str(node).startswith(ECM_NS)


def _defined_terms(ontology: Graph) -> set[URIRef]:
    """The ecm: IRIs the ontology declares (as a class, property, individual or concept scheme)."""
    return {s for t in TERM_TYPES for s in ontology.subjects(RDF.type, t) if _is_ecm(s)}


def _used_terms(ontology: Graph) -> Iterator[URIRef]:
    for triple in ontology:
        yield from (node for node in triple if _is_ecm(node))


def _namespace_terms() -> set[URIRef]:
    return set(dir(ECM))


# --- it loads -------------------------------------------------------------------------------------------------


def test_ontology_parses_in_rdflib(ontology: Graph) -> None:
    assert (ONTOLOGY_IRI, RDF.type, OWL.Ontology) in ontology
    assert len(ontology) > 1000


def test_ontology_parses_in_pyoxigraph_to_the_same_triples(ontology: Graph) -> None:
    store = pyoxigraph.Store()
    store.load(path=str(_ontology_path()), format=pyoxigraph.RdfFormat.TURTLE)
    assert len(store) == len(ontology)


def test_ontology_has_no_imports(ontology: Graph) -> None:
    # ecmgraph never fetches anything: reused vocabularies are listed with dcterms:requires instead.
    assert not list(ontology.triples((None, OWL.imports, None)))
    assert set(ontology.objects(ONTOLOGY_IRI, DCTERMS.requires)) >= {
        URIRef("http://www.w3.org/ns/org#"),
        URIRef("http://xmlns.com/foaf/0.1/"),
        URIRef("http://www.w3.org/2004/02/skos/core"),
        URIRef("http://www.w3.org/ns/prov-o#"),
        URIRef("http://www.w3.org/2006/time"),
        URIRef("http://purl.org/dc/terms/"),
    }


def test_ontology_metadata_gives_version_licence_and_creator(ontology: Graph) -> None:
    assert ontology.value(ONTOLOGY_IRI, OWL.versionIRI) == URIRef("https://w3id.org/ecmgraph/def/0.1.0")
    assert ontology.value(ONTOLOGY_IRI, OWL.versionInfo) == Literal("0.1.0")
    assert ontology.value(ONTOLOGY_IRI, DCTERMS.license) == URIRef("https://creativecommons.org/licenses/by/4.0/")
    assert ontology.value(ONTOLOGY_IRI, DCTERMS.creator) == Literal("ecmgraph developers")
    assert ontology.value(ONTOLOGY_IRI, DCTERMS.created).datatype == ns.XSD.date
    for prop in (DCTERMS.title, DCTERMS.description):
        assert ontology.value(ONTOLOGY_IRI, prop).language == "en"


# --- every term is documented and sourced ---------------------------------------------------------------------


def test_every_term_has_an_english_label_and_definition(ontology: Graph) -> None:
    undocumented = []
    for term in sorted(_defined_terms(ontology)):
        labels = [o for o in ontology.objects(term, RDFS.label) if isinstance(o, Literal) and o.language == "en"]
        definitions = [
            o for o in ontology.objects(term, SKOS.definition) if isinstance(o, Literal) and o.language == "en"
        ]
        if len(labels) != 1 or len(definitions) != 1:
            undocumented.append(term)
    assert not undocumented


def test_every_term_cites_a_seed_paragraph_or_legislation_as_its_source(ontology: Graph) -> None:
    unsourced = [term for term in _defined_terms(ontology) if not list(ontology.objects(term, DCTERMS.source))]
    assert not unsourced
    for term in _defined_terms(ontology):
        for source in ontology.objects(term, DCTERMS.source):
            assert isinstance(source, URIRef), (term, source)
            assert SEED_SOURCE.fullmatch(source) or LEGISLATION.fullmatch(source) or str(source) in REFERENCE_SOURCES, (
                term,
                source,
            )


def test_every_cited_source_is_described_in_the_packaged_data(ontology: Graph) -> None:
    # data/sources.ttl lists every seed paragraph that can be cited; data/england.ttl the reference sources.
    described = Graph()
    for name in ("sources.ttl", "england.ttl"):
        described.parse(_asset("data", name), format="turtle")
    cited = {
        source
        for prop in (DCTERMS.source, ECM.guidanceBasis)
        for source in ontology.objects(None, prop)
        if str(source).startswith("https://w3id.org/ecmgraph/id/source/")
    }
    assert cited
    assert sorted(s for s in cited if (s, None, None) not in described) == []


def test_statutory_bases_are_legislation_gov_uk_provisions(ontology: Graph) -> None:
    for subject, basis in ontology.subject_objects(ECM.statutoryBasis):
        assert LEGISLATION.fullmatch(basis), (subject, basis)


# --- the namespace module and the ontology are in step ----------------------------------------------------------


def test_namespace_module_lists_exactly_the_terms_of_the_ontology(ontology: Graph) -> None:
    in_module = _namespace_terms()
    in_ontology = _defined_terms(ontology)
    assert sorted(in_module - in_ontology) == [], "in ecmgraph/namespaces.py but not defined in ontology/ecm.ttl"
    assert sorted(in_ontology - in_module) == [], "defined in ontology/ecm.ttl but missing from ECM"


def test_namespace_module_rejects_a_term_the_ontology_lacks() -> None:
    with pytest.raises(AttributeError):
        ECM.DirectorOfChildrenServices  # noqa: B018 (misspelt on purpose)


def test_every_ecm_iri_used_in_the_ontology_is_defined_in_it(ontology: Graph) -> None:
    assert sorted(set(_used_terms(ontology)) - _defined_terms(ontology)) == []


def test_readme_names_every_term(ontology: Graph) -> None:
    readme = (_ontology_path().parent / "README.md").read_text(encoding="utf-8")
    named = set(re.findall(r"ecm:([A-Za-z]+)", readme))
    missing = sorted(str(t)[len(ECM_NS) :] for t in _defined_terms(ontology) if str(t)[len(ECM_NS) :] not in named)
    assert missing == []


def test_readme_counts_the_terms_right(ontology: Graph) -> None:
    readme = (_ontology_path().parent / "README.md").read_text(encoding="utf-8")
    match = re.search(
        r"defines (\d+) terms: (\d+) classes, (\d+) object properties, (\d+) datatype properties and (\d+) named "
        r"individuals\s+\((\d+) of them concept schemes\)",
        readme,
    )
    assert match, "the Terms section states the counts"

    def count(kind: URIRef) -> int:
        return sum(1 for s in ontology.subjects(RDF.type, kind) if _is_ecm(s))

    assert [int(n) for n in match.groups()] == [
        len(_defined_terms(ontology)),
        count(OWL.Class),
        count(OWL.ObjectProperty),
        count(OWL.DatatypeProperty),
        count(OWL.NamedIndividual),
        count(SKOS.ConceptScheme),
    ]


def test_readme_names_no_term_the_ontology_lacks(ontology: Graph) -> None:
    readme = (_ontology_path().parent / "README.md").read_text(encoding="utf-8")
    defined = {str(t)[len(ECM_NS) :] for t in _defined_terms(ontology)}
    # `ecm:Term` is the identifier pattern's placeholder, not a term.
    assert sorted(set(re.findall(r"ecm:([A-Za-z]+)", readme)) - defined - {"Term"}) == []


def test_prefixes_cover_the_vocabularies_and_make_a_prologue() -> None:
    assert PREFIXES["ecm"] == ECM_NS
    assert PREFIXES["ecmid"] == "https://w3id.org/ecmgraph/id/"
    assert PREFIXES["ecmsh"] == "https://w3id.org/ecmgraph/shapes#"
    for prefix in ("org", "foaf", "skos", "prov", "time", "dcterms", "rdf", "rdfs", "owl", "xsd", "sh", "leg"):
        assert prefix in PREFIXES
    prologue = sparql_prologue()
    assert prologue.count("PREFIX ") == len(PREFIXES)
    store = pyoxigraph.Store()
    store.load(path=str(_ontology_path()), format=pyoxigraph.RdfFormat.TURTLE)
    assert bool(store.query(prologue + "ASK { ecm:DirectorOfChildrensServices rdfs:subClassOf+ org:Post . }"))


# --- the concept schemes and the s18(2) functions ----------------------------------------------------------------


def test_five_outcomes_are_the_top_concepts_of_their_scheme(ontology: Graph) -> None:
    scheme = ECM.EveryChildMattersOutcomes
    assert (scheme, RDF.type, SKOS.ConceptScheme) in ontology
    assert set(ontology.subjects(SKOS.inScheme, scheme)) == OUTCOMES
    assert set(ontology.objects(scheme, SKOS.hasTopConcept)) == OUTCOMES
    for outcome in OUTCOMES:
        assert (outcome, RDF.type, SKOS.Concept) in ontology
        assert ontology.value(outcome, SKOS.prefLabel).language == "en"


@pytest.mark.parametrize(
    ("scheme", "size"), [(ECM.AuthorityKinds, 6), (ECM.FunctionKinds, 6), (ECM.FindingKinds, 2), (ECM.Topics, 0)]
)
def test_each_concept_scheme_has_its_concepts_as_top_concepts(ontology: Graph, scheme: URIRef, size: int) -> None:
    members = set(ontology.subjects(SKOS.inScheme, scheme))
    assert len(members) == size
    assert set(ontology.objects(scheme, SKOS.hasTopConcept)) == members
    assert {c for c in members if (c, SKOS.topConceptOf, scheme) in ontology} == members


def test_six_s18_2_functions_each_have_a_statutory_basis_and_a_kind(ontology: Graph) -> None:
    assert set(ontology.subjects(RDF.type, ECM.StatutoryFunction)) == S18_FUNCTIONS
    kinds = set(ontology.subjects(SKOS.inScheme, ECM.FunctionKinds))
    for function in S18_FUNCTIONS:
        bases = list(ontology.objects(function, ECM.statutoryBasis))
        assert bases, function
        assert all(LEGISLATION.fullmatch(basis) for basis in bases), function
        assert ontology.value(function, ORG.classification) in kinds, function
    assert set(ontology.objects(ECM.ChildcareFunctions, ECM.statutoryBasis)) == {
        URIRef("http://www.legislation.gov.uk/id/ukpga/2006/21/part/1")
    }
    assert set(ontology.objects(ECM.NHSPartnershipFunctions, ECM.statutoryBasis)) == {
        URIRef("http://www.legislation.gov.uk/id/ukpga/2006/41/section/75")
    }


def test_membership_roles_are_org_roles(ontology: Graph) -> None:
    roles = set(ontology.subjects(RDF.type, ORG.Role))
    assert roles == {ECM.MemberRole, ECM.ChairRole, ECM.ParticipantObserverRole}


def test_district_councils_are_never_childrens_services_authorities(ontology: Graph) -> None:
    assert (ECM.DistrictCouncil, OWL.disjointWith, ECM.ChildrensServicesAuthority) in ontology
    for kind in (
        ECM.CountyCouncil,
        ECM.UnitaryAuthority,
        ECM.MetropolitanDistrictCouncil,
        ECM.LondonBoroughCouncil,
        ECM.SuiGenerisAuthority,
    ):
        assert (kind, RDFS.subClassOf, ECM.ChildrensServicesAuthority) in ontology


def test_accountable_to_and_holds_to_account_are_inverses(ontology: Graph) -> None:
    assert (ECM.accountableTo, OWL.inverseOf, ECM.holdsToAccount) in ontology
    assert (ECM.holdsToAccount, OWL.inverseOf, ECM.accountableTo) in ontology


# --- OWL 2 DL hygiene -------------------------------------------------------------------------------------------


def _declared(ontology: Graph, *types: URIRef) -> set[URIRef]:
    return {s for t in types for s in ontology.subjects(RDF.type, t) if isinstance(s, URIRef)}


def test_every_predicate_is_built_in_or_declared(ontology: Graph) -> None:
    properties = _declared(ontology, OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty)
    undeclared = {p for p in ontology.predicates() if p not in BUILT_IN_PREDICATES and p not in properties}
    assert sorted(undeclared) == []


def test_no_property_is_declared_with_two_kinds(ontology: Graph) -> None:
    kinds = (OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty)
    for i, first in enumerate(kinds):
        for second in kinds[i + 1 :]:
            assert _declared(ontology, first) & _declared(ontology, second) == set()


def _class_expressions(ontology: Graph) -> Iterator[object]:
    for prop in (RDFS.subClassOf, OWL.disjointWith):
        yield from ontology.objects(None, prop)
    for prop in _declared(ontology, OWL.ObjectProperty):
        yield from ontology.objects(prop, RDFS.domain)
        yield from ontology.objects(prop, RDFS.range)
    for prop in _declared(ontology, OWL.DatatypeProperty):
        yield from ontology.objects(prop, RDFS.domain)


def test_every_class_an_axiom_mentions_is_declared(ontology: Graph) -> None:
    assert sorted(set(_class_expressions(ontology)) - _declared(ontology, OWL.Class)) == []


def test_ontology_has_no_blank_nodes(ontology: Graph) -> None:
    # Blank-node classes (an owl:unionOf domain, say) would type inferred data with fresh blank nodes on every
    # run: `ecmgraph infer` output must stay byte-identical.
    assert [t for t in ontology if any(isinstance(n, BNode) for n in t)] == []


def _superclasses(ontology: Graph, cls: URIRef) -> set[URIRef]:
    return set(ontology.transitive_objects(cls, RDFS.subClassOf))


ORG_ORGANISATION_KINDS = {ORG.FormalOrganization, ORG.OrganizationalUnit, ORG.OrganizationalCollaboration}


def test_every_kind_of_organisation_reaches_org_organization_without_org_loaded(ontology: Graph) -> None:
    # Queries and shapes reach kinds through rdfs:subClassOf* over the ontology alone (no closure, no ORG).
    organisations = [
        c
        for c in _defined_terms(ontology)
        if (c, RDF.type, OWL.Class) in ontology and _superclasses(ontology, c) & ORG_ORGANISATION_KINDS
    ]
    assert ECM.CountyCouncil in organisations and ECM.ChildrensTrust in organisations
    assert sorted(c for c in organisations if ORG.Organization not in _superclasses(ontology, c)) == []


@pytest.mark.parametrize(
    ("top", "kinds"),
    [
        (
            ORG.Post,
            {
                ECM.DirectorOfChildrensServices,
                ECM.LeadMemberForChildrensServices,
                ECM.ChiefExecutive,
                ECM.Leader,
                ECM.ElectedMayor,
                ECM.LSCBChair,
                ECM.ChildrensChampion,
                ECM.Councillor,
            },
        ),
        (
            ORG.Organization,
            {
                ECM.CountyCouncil,
                ECM.DistrictCouncil,
                ECM.FullCouncil,
                ECM.LocalSafeguardingChildrenBoard,
                ECM.ChildrensTrust,
                ECM.ChildrensTrustBoard,
                ECM.School,
            },
        ),
        (
            ECM.ChildrensServicesAuthority,
            {
                ECM.CountyCouncil,
                ECM.UnitaryAuthority,
                ECM.MetropolitanDistrictCouncil,
                ECM.LondonBoroughCouncil,
                ECM.SuiGenerisAuthority,
            },
        ),
    ],
)
def test_subclass_paths_reach_the_kinds_queries_ask_for(ontology: Graph, top: URIRef, kinds: set[URIRef]) -> None:
    for kind in kinds:
        assert top in _superclasses(ontology, kind), kind
    if top == ECM.ChildrensServicesAuthority:
        assert top not in _superclasses(ontology, ECM.DistrictCouncil)


def test_datatype_properties_range_over_xsd_datatypes(ontology: Graph) -> None:
    for prop in _declared(ontology, OWL.DatatypeProperty):
        for datatype in ontology.objects(prop, RDFS.range):
            assert str(datatype).startswith(str(ns.XSD)), (prop, datatype)


# --- domains and ranges entail nothing absurd ------------------------------------------------------------------

#: The guide's patterns, one of each: posts, a tenure, a membership by post, accountability, scrutiny, a
#: responsibility, partners, a plan and a decision.
PATTERNS = """
@prefix ecm: <https://w3id.org/ecmgraph/def#> .
@prefix org: <http://www.w3.org/ns/org#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix dcterms: <http://purl.org/dc/terms/> .
@base <https://w3id.org/ecmgraph/id/> .

<authority/X> a ecm:CountyCouncil ; ecm:cooperationArrangements <body/X/childrens-trust> .
<authority/D> a ecm:DistrictCouncil ; ecm:parentCounty <authority/X> ; ecm:relevantPartnerOf <authority/X> ;
    ecm:takesPartIn <body/X/childrens-trust> .
<post/X/dcs> a ecm:DirectorOfChildrensServices ; org:postIn <authority/X> ; org:reportsTo <post/X/chief-executive> ;
    ecm:accountableTo <post/X/chief-executive> ; ecm:accountableFor ecm:EducationFunctions ;
    ecm:jointAppointmentWith <post/Y/dcs> .
<post/X/chief-executive> a ecm:ChiefExecutive ; ecm:accountableTo <body/X/council> ;
    ecm:holdsToAccount <post/X/dcs> .
<post/X/lead-member> a ecm:LeadMemberForChildrensServices ; ecm:challenges <post/X/dcs> ;
    ecm:accountableTo <post/X/leader> .
<body/X/council> a ecm:FullCouncil ; ecm:bodyOf <authority/X> .
<body/X/lscb> a ecm:LocalSafeguardingChildrenBoard ; ecm:bodyOf <authority/X> .
<body/X/scrutiny-children> a ecm:OverviewAndScrutinyCommittee ; ecm:scrutinises <post/X/lead-member> ;
    ecm:coversChildrensServices true .
<tenure/X/dcs/1> a ecm:Tenure ; ecm:post <post/X/dcs> ; ecm:holder <person/someone> ;
    ecm:startDate "2008-01-01"^^xsd:date ; ecm:isCover false .
<person/someone> ecm:vettingRegistration "2009-10-12"^^xsd:date .
<vacancy/X/lead-member/1> a ecm:Vacancy ; ecm:post <post/X/lead-member> .
<membership/X/lscb/1> a org:Membership ; org:organization <body/X/lscb> ; ecm:memberPost <post/X/dcs> ;
    org:role ecm:MemberRole ; ecm:represents <authority/X> .
<responsibility/dcs/1> a ecm:Responsibility ; ecm:responsibilityOf ecm:DirectorOfChildrensServices ;
    ecm:concerns ecm:EducationFunctions ; ecm:servesOutcome ecm:EnjoyAndAchieve ;
    ecm:guidanceBasis <https://w3id.org/ecmgraph/id/source/seed003/3.9> .
<plan/X> a ecm:ChildrenAndYoungPeoplesPlan ; ecm:planOf <authority/X> ; ecm:preparedBy <body/X/childrens-trust> .
<decision/D/1> a ecm:MeetingDecision ; ecm:decidedBy <body/D/council> ; ecm:decision "Approved."@en .
"""


@pytest.fixture(scope="module", params=["rdfs", "owlrl"])
def entailed(ontology: Graph, request: pytest.FixtureRequest) -> Graph:
    """The patterns and the ontology, closed under RDFS or OWL 2 RL (as `ecmgraph --inference` would)."""
    graph = Graph()
    for triple in ontology:
        graph.add(triple)
    graph.parse(data=PATTERNS, format="turtle")
    semantics = owlrl.RDFS_Semantics if request.param == "rdfs" else owlrl.OWLRL_Semantics
    owlrl.DeductiveClosure(semantics).expand(graph)
    return graph


#: Kinds of thing that nothing may be two of at once.
INCOMPATIBLE = [
    (ORG.Post, FOAF.Person),
    (ORG.Post, ORG.Organization),
    (ORG.Post, ORG.Membership),
    (ORG.Post, ns.TIME.ProperInterval),
    (ORG.Post, PROV.Agent),
    (FOAF.Person, ORG.Organization),
    (FOAF.Person, ns.TIME.ProperInterval),
    (ORG.Organization, ns.TIME.ProperInterval),
    (ORG.Organization, ORG.Membership),
    (ECM.Responsibility, ORG.Post),
    (ECM.Provision, ORG.Post),
]


@pytest.mark.parametrize(("first", "second"), INCOMPATIBLE)
def test_domains_and_ranges_never_make_one_kind_of_thing_another(
    entailed: Graph, first: URIRef, second: URIRef
) -> None:
    both = set(entailed.subjects(RDF.type, first)) & set(entailed.subjects(RDF.type, second))
    assert sorted(str(x) for x in both if not isinstance(x, BNode)) == []


def test_entailment_types_the_pattern_resources_as_expected(entailed: Graph) -> None:
    ecmid = "https://w3id.org/ecmgraph/id/"
    expected = [
        ("post/X/chief-executive", ORG.Post),
        ("person/someone", FOAF.Person),
        ("body/X/lscb", ORG.Organization),
        ("body/X/childrens-trust", ECM.ChildrensTrust),
        ("authority/X", ECM.ChildrensServicesAuthority),
        ("authority/D", ECM.Authority),
        ("tenure/X/dcs/1", ns.TIME.ProperInterval),
        ("plan/X", PROV.Entity),
    ]
    for local, cls in expected:
        assert (URIRef(ecmid + local), RDF.type, cls) in entailed, (local, cls)


def test_owlrl_adds_the_inverse_of_accountable_to(ontology: Graph) -> None:
    graph = Graph()
    for triple in ontology:
        graph.add(triple)
    graph.parse(data=PATTERNS, format="turtle")
    owlrl.DeductiveClosure(owlrl.OWLRL_Semantics).expand(graph)
    ecmid = "https://w3id.org/ecmgraph/id/"
    assert (URIRef(ecmid + "post/X/leader"), ECM.holdsToAccount, URIRef(ecmid + "post/X/lead-member")) in graph
    # scrutinises is a kind of holding to account, so the Lead Member is accountable to the scrutiny committee.
    assert (
        URIRef(ecmid + "post/X/lead-member"),
        ECM.accountableTo,
        URIRef(ecmid + "body/X/scrutiny-children"),
    ) in graph
