"""The vocabularies ecmgraph speaks: its own ontology (``ecm:``), shapes (``ecmsh:``) and identifiers (``ecmid:``),
and the standard vocabularies it reuses.

Code refers to ontology terms through :class:`ECM` (``ECM.DirectorOfChildrensServices``), never as IRI strings.
:class:`ECM` is closed: a misspelt term raises ``AttributeError`` at once. It lists exactly the terms that
``ontology/ecm.ttl`` defines, in the same groups and order; ``tests/test_ontology.py`` proves the two are in step,
so a term added to the ontology must be added here too (and the other way round).

:data:`PREFIXES` is the one prefix table: Turtle and SPARQL written by ecmgraph, and prefixed names in tables,
all use it. :func:`sparql_prologue` turns it into ``PREFIX`` lines.
"""

from rdflib import URIRef
from rdflib.namespace import (
    DCAT,
    DCTERMS,
    FOAF,
    ORG,
    OWL,
    PROV,
    RDF,
    RDFS,
    SH,
    SKOS,
    TIME,
    XSD,
    DefinedNamespace,
    Namespace,
)
from rdflib.namespace import SDO as SCHEMA

__all__ = [
    "ADMINGEO",
    "BASE",
    "DATA_SLICE_GRAPH",
    "DCAT",
    "DCTERMS",
    "ECM",
    "ECMID",
    "ECMSH",
    "ENTAILED_GRAPH",
    "FOAF",
    "IANA_MEDIA_TYPES",
    "INFERRED_GRAPH",
    "LEG",
    "LEGISLATION_WEB",
    "LG",
    "ONTOLOGY_GRAPH",
    "ORG",
    "OWL",
    "PREFIXES",
    "PROV",
    "PROVENANCE_GRAPH",
    "QUERY_BASE",
    "RDF",
    "RDFS",
    "REPORT_GRAPH",
    "SCHEMA",
    "SH",
    "SHAPES_GRAPH",
    "SITEMAP",
    "SITE_METADATA_GRAPH",
    "SKOS",
    "SPDX",
    "STATGEO",
    "SVG",
    "TIME",
    "VALIDATION_BASE",
    "VOID",
    "XLINK",
    "XSD",
    "legislation_url",
    "sparql_prologue",
]


class ECM(DefinedNamespace):
    """The ecmgraph ontology, ``https://w3id.org/ecmgraph/def#``: every term ``ontology/ecm.ttl`` defines."""

    _NS = Namespace("https://w3id.org/ecmgraph/def#")
    _fail = True

    # --- Authorities and regions ---
    Authority: URIRef  # a principal council in England
    ChildrensServicesAuthority: URIRef  # an upper-tier authority (CA 2004 ss18-19)
    CountyCouncil: URIRef
    UnitaryAuthority: URIRef
    MetropolitanDistrictCouncil: URIRef
    LondonBoroughCouncil: URIRef
    SuiGenerisAuthority: URIRef  # City of London, Isles of Scilly
    DistrictCouncil: URIRef  # not a CSA: a relevant partner of its county
    Region: URIRef
    statisticalGeography: URIRef  # -> the ONS statistical-geography IRI
    region: URIRef  # authority -> Region
    parentCounty: URIRef  # district -> county
    startDate: URIRef  # xsd:date, inclusive
    endDate: URIRef  # xsd:date, inclusive; absent = open or not recorded

    # --- Posts ---
    OfficerPost: URIRef
    ElectedOffice: URIRef
    MemberDesignation: URIRef
    PoliticallyRestrictedPost: URIRef
    DirectorOfChildrensServices: URIRef  # DCS (CA 2004 s18)
    LeadMemberForChildrensServices: URIRef  # LM (CA 2004 s19)
    ChiefExecutive: URIRef  # head of paid service
    Leader: URIRef
    ElectedMayor: URIRef
    DirectorOfAdultSocialServices: URIRef  # DASS
    SupportingMember: URIRef
    LSCBChair: URIRef
    ChildrensChampion: URIRef  # a district's elected member for children's services
    DistrictLeadOfficer: URIRef
    Councillor: URIRef

    # --- Holding a post over time ---
    Tenure: URIRef
    Vacancy: URIRef
    post: URIRef  # tenure or vacancy -> org:Post
    holder: URIRef  # tenure -> foaf:Person
    isCover: URIRef  # xsd:boolean
    jointAppointmentWith: URIRef  # post <-> post, symmetric

    # --- Bodies and membership ---
    FullCouncil: URIRef
    Cabinet: URIRef
    SeniorManagementTeam: URIRef
    LocalSafeguardingChildrenBoard: URIRef  # LSCB
    ChildrensTrust: URIRef  # the cooperation arrangements (CA 2004 s10)
    ChildrensTrustBoard: URIRef  # CTB
    ChildrensTrustSubGroup: URIRef
    LocalStrategicPartnership: URIRef  # LSP
    LocalityBoard: URIRef
    OverviewAndScrutinyCommittee: URIRef
    MemberNetwork: URIRef
    bodyOf: URIRef  # body -> authority
    memberPost: URIRef  # org:Membership -> the post that sits on the body
    represents: URIRef  # org:Membership -> the organisation represented
    MemberRole: URIRef  # org:Role
    ChairRole: URIRef  # org:Role
    ParticipantObserverRole: URIRef  # org:Role (the LM on the LSCB)

    # --- Partners under the duty to cooperate ---
    PartnerBody: URIRef
    PrimaryCareTrust: URIRef
    StrategicHealthAuthority: URIRef
    PoliceAuthority: URIRef
    ChiefOfficerOfPolice: URIRef
    LocalProbationBoard: URIRef
    YouthOffendingTeam: URIRef
    LearningAndSkillsCouncil: URIRef
    School: URIRef
    College: URIRef
    JobcentrePlus: URIRef
    ConnexionsService: URIRef
    VoluntarySectorBody: URIRef
    relevantPartnerOf: URIRef  # organisation -> CSA
    takesPartIn: URIRef  # organisation -> ChildrensTrust
    cooperationArrangements: URIRef  # CSA -> ChildrensTrust

    # --- Plans and decisions ---
    ChildrenAndYoungPeoplesPlan: URIRef  # CYPP (CA 2004 s17)
    planOf: URIRef
    preparedBy: URIRef
    MeetingDecision: URIRef
    decidedBy: URIRef
    decision: URIRef  # the decision, in words
    SupporterRole: URIRef  # prov:Role (supporting an activity: a role, not a post)
    HostRole: URIRef  # prov:Role (hosting a meeting: a role, not a post)

    # --- Accountability ---
    accountableTo: URIRef  # post -> post or body
    holdsToAccount: URIRef  # inverse of accountableTo
    accountableFor: URIRef  # post -> StatutoryFunction or Topic
    FunctionAssignment: URIRef  # an authority's own assignment of a function to a post
    assignedTo: URIRef  # function assignment -> post
    assignedFunction: URIRef  # function assignment -> statutory function
    scrutinises: URIRef  # scrutiny committee -> post
    challenges: URIRef  # post -> post (LM -> DCS)
    coversChildrensServices: URIRef  # xsd:boolean, on a scrutiny committee
    combinedRoleJustification: URIRef  # on a DCS post also held as DASS
    vettingRegistration: URIRef  # on a person
    safeguardingTraining: URIRef  # on a person

    # --- Law and guidance ---
    Act: URIRef
    StatutoryInstrument: URIRef
    Provision: URIRef
    StatutoryGuidance: URIRef
    statutoryBasis: URIRef  # -> legislation.gov.uk provision
    guidanceBasis: URIRef  # -> source paragraph
    bringsIntoForce: URIRef  # commencement order -> provision
    citedOutsideSeeds: URIRef  # xsd:boolean, on a provision no seed quotes

    # --- Statutory functions, responsibilities, outcomes and topics ---
    StatutoryFunction: URIRef
    Responsibility: URIRef
    Topic: URIRef
    responsibilityOf: URIRef  # -> a post class, or a post or body
    concerns: URIRef  # -> StatutoryFunction or Topic
    servesOutcome: URIRef  # responsibility or body -> an Every Child Matters outcome
    subPointOf: URIRef  # responsibility -> the lettered item it is a point under
    listPosition: URIRef  # xsd:integer from 1, place in its list (item) or under its item (point)
    # The six groups of functions of CA 2004 s18(2)(a)-(f).
    EducationFunctions: URIRef
    ChildrensSocialServicesFunctions: URIRef
    LeavingCareFunctions: URIRef
    CooperationAndPlanningFunctions: URIRef
    NHSPartnershipFunctions: URIRef
    ChildcareFunctions: URIRef

    # --- Concept schemes ---
    # The five Every Child Matters outcomes.
    EveryChildMattersOutcomes: URIRef
    BeHealthy: URIRef
    StaySafe: URIRef
    EnjoyAndAchieve: URIRef
    MakeAPositiveContribution: URIRef
    AchieveEconomicWellBeing: URIRef
    # Kinds of authority (org:classification of an authority).
    AuthorityKinds: URIRef
    CountyKind: URIRef
    UnitaryKind: URIRef
    MetropolitanDistrictKind: URIRef
    LondonBoroughKind: URIRef
    SuiGenerisKind: URIRef
    DistrictKind: URIRef
    # Kinds of function (org:classification of a statutory function).
    FunctionKinds: URIRef
    EducationFunctionKind: URIRef
    SocialCareFunctionKind: URIRef
    PartnershipFunctionKind: URIRef
    HealthFunctionKind: URIRef
    EarlyYearsFunctionKind: URIRef
    YouthJusticeFunctionKind: URIRef
    # Topics (the concepts themselves are data).
    Topics: URIRef
    # Kinds of validation finding.
    FindingKinds: URIRef
    Breach: URIRef  # the data contradicts the rule
    Gap: URIRef  # the data lacks what the rule needs
    findingKind: URIRef  # shape or sh:ValidationResult -> Breach or Gap
    # When a rule applies (on shapes).
    inForceFrom: URIRef  # xsd:date
    severityBefore: URIRef  # sh:Severity before inForceFrom
    appliesTo: URIRef  # the kind of authority the rule applies to
    needsHolderOf: URIRef  # on a shape: the kind of post whose holder the rule judges
    fix: URIRef  # on a shape: what to add or change in the data to resolve its finding

    # --- Provenance ---
    SourceDocument: URIRef
    SourceParagraph: URIRef
    GuidanceParagraph: URIRef
    paragraphRef: URIRef  # "§3.5"
    excerpt: URIRef  # the paragraph's opening words
    seedFile: URIRef  # "003_d41f3be8f1f7a191.txt"


# --- ecmgraph's other namespaces ---

#: SHACL shapes, one or more per rule (``ecmsh:ECM004`` and the like).
ECMSH = Namespace("https://w3id.org/ecmgraph/shapes#")
#: Things in the data: ``ecmid:authority/{GSS}``, ``ecmid:post/{GSS}/{key}``, ``ecmid:source/{seed}/{paragraph}``...
ECMID = Namespace("https://w3id.org/ecmgraph/id/")

#: ecmgraph's base IRI: its ontology, shapes, identifiers, queries and graphs all sit under it.
BASE = "https://w3id.org/ecmgraph/"
#: Packaged queries: ``{QUERY_BASE}{name}``.
QUERY_BASE = BASE + "query/"
#: Validation reports: ``{VALIDATION_BASE}{digest}``.
VALIDATION_BASE = str(ECMID) + "validation/"
#: VoID, for the triple counts of the provenance graph and the published dataset's description.
VOID = Namespace("http://rdfs.org/ns/void#")
#: SPDX, for the SHA-256 checksums of the published dumps (``spdx:checksum``, as DCAT 3 uses it).
SPDX = Namespace("http://spdx.org/rdf/terms#")
#: The SPARQL service description vocabulary, W3C's format IRIs and the SPARQL XML results namespace (``serve``).
SD = Namespace("http://www.w3.org/ns/sparql-service-description#")
FORMATS = Namespace("http://www.w3.org/ns/formats/")
SPARQL_RESULTS = "http://www.w3.org/2005/sparql-results#"
#: IANA's media type registry, for DCAT's ``dcat:mediaType`` of each published distribution.
IANA_MEDIA_TYPES = Namespace("https://www.iana.org/assignments/media-types/")

# --- The named graphs ecmgraph writes ---

#: The packaged ontology's graph (the ontology's own IRI).
ONTOLOGY_GRAPH = "https://w3id.org/ecmgraph/def"
#: Where each source's provenance is recorded.
PROVENANCE_GRAPH = BASE + "graph/provenance"
#: Where the normalisation writes the entailments the shapes rely on.
ENTAILED_GRAPH = BASE + "graph/entailed"
#: Where ``--inference`` writes the entailments of an RDFS or OWL-RL closure.
INFERRED_GRAPH = BASE + "graph/inferred"
#: The shapes, in the compliance matrix's own store.
SHAPES_GRAPH = BASE + "graph/shapes"
#: The validation report of each day, in the compliance matrix's own store: ``{REPORT_GRAPH}{date}``.
REPORT_GRAPH = BASE + "graph/validation/"
#: The authorities read from the local data, in the compliance matrix's own store.
DATA_SLICE_GRAPH = BASE + "graph/authorities"
#: The published site's VoID and DCAT description, in its TriG dump.
SITE_METADATA_GRAPH = BASE + "graph/site-metadata"

# --- UK public-sector identifiers and vocabularies ---

#: legislation.gov.uk identifiers: ``LEG["ukpga/2004/31/section/18"]``.
LEG = Namespace("http://www.legislation.gov.uk/id/")
#: legislation.gov.uk's pages for people, where an identifier's text is read (``{LEGISLATION_WEB}ukpga/2004/31``).
LEGISLATION_WEB = "https://www.legislation.gov.uk/"


def legislation_url(iri: str) -> str | None:
    """The legislation.gov.uk page (for people) of a legislation identifier, else None: the same path under
    ``https://www.legislation.gov.uk/`` (``…/id/ukpga/2004/31/section/18/1`` is read at ``…/ukpga/2004/31/section/18/1``)."""
    return LEGISLATION_WEB + iri[len(str(LEG)) :] if iri.startswith(str(LEG)) and iri != str(LEG) else None


#: ONS statistical geographies, by GSS code: ``STATGEO["E10000028"]``.
STATGEO = Namespace("http://statistics.data.gov.uk/id/statistical-geography/")
#: Ordnance Survey administrative geography (kinds of area), aligned with the ecm:AuthorityKinds concepts.
ADMINGEO = Namespace("http://data.ordnancesurvey.co.uk/ontology/admingeo/")
#: The UK local-government vocabulary (proposed for reference.data.gov.uk), aligned with the authority classes.
LG = Namespace("http://reference.data.gov.uk/def/local-government#")

# --- Markup ---

#: SVG's XML namespace, for the accountability charts (:mod:`ecmgraph.diagram`).
SVG = "http://www.w3.org/2000/svg"
#: XLink's, which Graphviz's SVG declares.
XLINK = "http://www.w3.org/1999/xlink"
#: The sitemaps.org protocol's XML namespace, for the published site's ``sitemap.xml``.
SITEMAP = "http://www.sitemaps.org/schemas/sitemap/0.9"

# ORG, FOAF, SKOS, PROV, TIME, DCTERMS, OWL, RDF, RDFS, XSD and SH are rdflib's own, re-exported above; so are
# DCAT (DCAT 3) and SCHEMA (schema.org, rdflib's SDO), which only the published site's metadata uses.

#: Prefix -> namespace IRI, for every vocabulary ecmgraph writes or queries. Ordered: ecmgraph's own first,
#: then the reused W3C and Dublin Core vocabularies, then the UK ones. Turtle output sorts it itself.
PREFIXES: dict[str, str] = {
    # ecmgraph
    "ecm": str(ECM),
    "ecmsh": str(ECMSH),
    "ecmid": str(ECMID),
    # W3C and Dublin Core
    "org": str(ORG),
    "foaf": str(FOAF),
    "skos": str(SKOS),
    "prov": str(PROV),
    "time": str(TIME),
    "dcterms": str(DCTERMS),
    "rdf": str(RDF),
    "rdfs": str(RDFS),
    "owl": str(OWL),
    "xsd": str(XSD),
    "sh": str(SH),
    # UK public sector
    "leg": str(LEG),
    "statgeo": str(STATGEO),
    "admingeo": str(ADMINGEO),
    "lg": str(LG),
}


def sparql_prologue() -> str:
    """``PREFIX`` lines for every entry of :data:`PREFIXES`, one per line, ending in a newline."""
    return "".join(f"PREFIX {prefix}: <{iri}>\n" for prefix, iri in PREFIXES.items())
