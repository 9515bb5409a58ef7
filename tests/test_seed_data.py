"""The seed authority graphs (data/seed/*.trig) and the seed documents (data/sources.ttl).

Every triple about a seed authority's posts, bodies and people must come from a paragraph of a seed document:
the seed files keep one named graph per paragraph, and the paragraph is described in data/sources.ttl. Nobody
is invented: every person's name is in the seed text that the person's graph cites.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import pyoxigraph as ox
import pytest
from conftest import load_script
from rdflib import Dataset, Graph, URIRef
from rdflib.namespace import DCTERMS, RDF

from ecmgraph.resources import data_dir, ontology_path

SEEDS = Path(__file__).resolve().parents[2] / "shared" / "seeds"

ECM = "https://w3id.org/ecmgraph/def#"
ID = "https://w3id.org/ecmgraph/id/"
SOURCE = ID + "source/"
PREFIXES = f"""
PREFIX ecm: <{ECM}>
PREFIX org: <http://www.w3.org/ns/org#>
PREFIX foaf: <http://xmlns.com/foaf/0.1/>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX dcterms: <http://purl.org/dc/terms/>
PREFIX id: <{ID}>
"""

SEED_FILES = {
    "seed000": "000_da9f827a7016b7bf.txt",
    "seed001": "001_d816d18687dce49c.txt",
    "seed002": "002_d00170b69079b3f2.txt",
    "seed003": "003_d41f3be8f1f7a191.txt",
    "seed004": "004_f56cb7e10c2cf65a.txt",
}
TRIG_FILES = ("staffordshire", "leicestershire", "nottinghamshire", "essex", "luton")
#: The authorities the seeds describe: children's services authorities and the two districts.
CSAS = {
    "E10000028": "Staffordshire",
    "E10000018": "Leicestershire",
    "E10000024": "Nottinghamshire",
    "E10000012": "Essex",
    "E06000032": "Luton",
}
DISTRICTS = {"E07000192": "Cannock Chase", "E07000075": "Rochford"}
#: The one seed that names the holder of a statutory post: seed 002, Nottinghamshire's DCS under its local title.
DCS_TENURES = {"E10000024": [f"{ID}tenure/E10000024/dcs/1"]}
#: Posts of the seed authorities for which no seed states a line of accountability (data/README.md, People and
#: lines): nothing is invented for them. Any other post's chain must end at its own authority's full Council.
NO_LINE_STATED = {
    f"{ID}post/E07000192/portfolio-holder-culture-and-sport",  # seed 000 front §2.1: proposed as the champion
    f"{ID}post/E10000018/dass",  # seed 001 App. B §4.15
    f"{ID}post/E10000018/head-of-knowledge-management",  # seed 001 App. B §4.16
    f"{ID}post/E07000075/corporate-director-finance-and-external-services",  # seed 004 signature
    f"{ID}post/E06000032/councillor-lawrence-patterson",  # seed 004 App. 1 signatures
    f"{ID}post/E06000032/executive-member-children-and-young-people",  # seed 004 App. 1 signatures
}
#: The title of the office of director of children's services, however a council words it (Children Act 2004
#: s18(4): the officer appointed "is to be known as" its director of children's services).
DCS_TITLE = re.compile(r"\bdirector (of|for) children", re.IGNORECASE)
#: Things whose IRI says which authority they belong to (ontology/README.md, Identifiers), and people.
_OWNED = re.compile(
    rf"{re.escape(ID)}(?:(?:post|body|membership|tenure|vacancy|decision|plan)/(?P<gss>E\d{{8}})/|person/)"
)


def _data_dir() -> Path:
    return data_dir()


def _ontology_path() -> Path:
    return ontology_path()


def _asset_files() -> Iterator[Path]:
    """Every file of the four packaged asset folders."""
    for name in ("ontology", "shapes", "data", "queries"):
        folder = _data_dir().parent / name if name != "data" else _data_dir()
        if folder.is_dir():
            yield from sorted(p for p in folder.rglob("*") if p.is_file())


def _format(path: Path) -> ox.RdfFormat | None:
    return {
        ".ttl": ox.RdfFormat.TURTLE,
        ".trig": ox.RdfFormat.TRIG,
        ".nt": ox.RdfFormat.N_TRIPLES,
        ".nq": ox.RdfFormat.N_QUADS,
    }.get(path.suffix)


@pytest.fixture(scope="module")
def seed_dir() -> Path:
    if not SEEDS.is_dir():
        pytest.skip(f"the seed texts are not beside the repository ({SEEDS} is absent)")
    return SEEDS


@pytest.fixture(scope="module")
def builder() -> ModuleType:
    """scripts/build_sources.py as a module."""
    return load_script("build_sources")


@pytest.fixture(scope="module")
def sources() -> Graph:
    return Graph().parse(_data_dir() / "sources.ttl", format="turtle")


@pytest.fixture(scope="module")
def paragraphs(sources: Graph) -> dict[str, str]:
    """Each described paragraph, with the seed file of its document."""
    found = {}
    for paragraph in sources.subjects(RDF.type, URIRef(ECM + "SourceParagraph")):
        document = sources.value(paragraph, DCTERMS.isPartOf)
        seed_file = sources.value(document, URIRef(ECM + "seedFile"))
        if seed_file is not None:
            found[str(paragraph)] = str(seed_file)
    return found


@pytest.fixture(scope="module")
def seed_store() -> ox.Store:
    """The five seed files, each keeping its named graphs."""
    store = ox.Store()
    for name in TRIG_FILES:
        store.load(path=str(_data_dir() / "seed" / f"{name}.trig"), format=ox.RdfFormat.TRIG)
    return store


@pytest.fixture(scope="module")
def data_store() -> ox.Store:
    """Every RDF file of data/: a triple file in a graph named by its path, a quad file with its own graphs."""
    store = ox.Store()
    for path in sorted(_data_dir().rglob("*")):
        fmt = _format(path)
        if fmt is None:
            continue
        if fmt in (ox.RdfFormat.TRIG, ox.RdfFormat.N_QUADS):
            store.load(path=str(path), format=fmt)
        else:
            store.load(path=str(path), format=fmt, to_graph=ox.NamedNode(path.resolve().as_uri()))
    return store


def _rows(store: ox.Store, query: str) -> list[tuple[str, ...]]:
    """A SELECT over the union of all graphs, each row as its values ("" where unbound)."""
    solutions = store.query(PREFIXES + query, use_default_graph_as_union=True)
    return [tuple(term.value if term is not None else "" for term in row) for row in solutions]


def _ask(store: ox.Store, query: str) -> bool:
    return bool(store.query(PREFIXES + query, use_default_graph_as_union=True))


# --- parsing ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", [*(f"seed/{n}.trig" for n in TRIG_FILES), "sources.ttl"])
def test_file_parses_to_the_same_quads_in_rdflib_and_pyoxigraph(name: str) -> None:
    path = _data_dir() / name
    fmt = "trig" if path.suffix == ".trig" else "turtle"
    dataset = Dataset()
    dataset.parse(path, format=fmt)
    rdflib_quads = sum(len(graph) for graph in dataset.graphs())
    store = ox.Store()
    store.load(path=str(path), format=ox.RdfFormat.TRIG if fmt == "trig" else ox.RdfFormat.TURTLE)
    assert len(store) == rdflib_quads > 0


# --- tracing: every triple to a paragraph of a seed ---------------------------------------------------------


def test_seed_files_put_nothing_in_the_default_graph(seed_store: ox.Store) -> None:
    assert not list(seed_store.quads_for_pattern(None, None, None, ox.DefaultGraph()))


def test_every_graph_of_the_seed_files_is_a_described_paragraph_of_a_seed(
    seed_store: ox.Store, paragraphs: dict[str, str]
) -> None:
    graphs = {graph.value for graph in seed_store.named_graphs()}
    assert len(graphs) > 40
    assert sorted(graphs - paragraphs.keys()) == []
    assert {paragraphs[graph] for graph in graphs} <= set(SEED_FILES.values())


def test_every_triple_about_a_seed_authoritys_posts_bodies_and_people_is_in_a_paragraph_graph(
    data_store: ox.Store, paragraphs: dict[str, str]
) -> None:
    """Across all of data/: not only the seed files may speak of these things, but only from a paragraph."""
    seed_codes = CSAS.keys() | DISTRICTS.keys()
    checked, outside = 0, []
    for quad in data_store:
        subject = quad.subject
        if not isinstance(subject, ox.NamedNode) or not (match := _OWNED.match(subject.value)):
            continue
        if match.group("gss") is not None and match.group("gss") not in seed_codes:
            continue
        checked += 1
        graph = quad.graph_name
        if not isinstance(graph, ox.NamedNode) or graph.value not in paragraphs:
            outside.append(f"{subject.value} {quad.predicate.value} in {graph}")
    assert checked > 300
    assert outside == []


def test_every_person_in_the_data_is_named_in_each_seed_that_cites_them(
    data_store: ox.Store, paragraphs: dict[str, str], seed_dir: Path
) -> None:
    """No invented people: each foaf:Person has one foaf:name, and the seed text behind each graph holds it."""
    people = _rows(data_store, "SELECT DISTINCT ?person ?g WHERE { GRAPH ?g { ?person a foaf:Person } }")
    assert len(people) >= 8
    texts = {
        name: " ".join((seed_dir / name).read_text(encoding="utf-8").split()).casefold() for name in SEED_FILES.values()
    }
    for person, graph in people:
        names = _rows(data_store, f"SELECT DISTINCT ?name WHERE {{ <{person}> foaf:name ?name }}")
        assert len(names) == 1, f"{person} has {len(names)} foaf:name"
        assert graph in paragraphs, f"{person} is typed outside a seed paragraph graph ({graph})"
        assert names[0][0].casefold() in texts[paragraphs[graph]], f"{names[0][0]!r} is not in {paragraphs[graph]}"
    for person, graph in _rows(data_store, "SELECT ?person ?g WHERE { GRAPH ?g { ?person foaf:name ?name } }"):
        assert graph in paragraphs, f"{person} is named outside a seed paragraph graph ({graph})"


@pytest.mark.parametrize("code", ["E10000028", "E10000018", "E07000192"])
def test_no_tenure_or_vacancy_where_no_seed_names_a_holder(data_store: ox.Store, code: str) -> None:
    """No seed names who held a post in Staffordshire, Cannock Chase or Leicestershire: unknown, not vacant."""
    rows = _rows(
        data_store,
        f"""SELECT ?record WHERE {{
              ?record ecm:post ?post . ?post org:postIn <{ID}authority/{code}> .
        }}""",
    )
    assert rows == []


# --- what the seed data says ----------------------------------------------------------------------------------


@pytest.mark.parametrize("code", sorted(CSAS))
def test_each_seed_childrens_services_authority_has_its_statutory_posts_without_invented_holders(
    seed_store: ox.Store, code: str
) -> None:
    posts = dict(
        _rows(
            seed_store,
            f"""SELECT ?kind ?post WHERE {{
                  VALUES ?kind {{ ecm:DirectorOfChildrensServices ecm:LeadMemberForChildrensServices
                                  ecm:ChiefExecutive ecm:Leader }}
                  ?post a ?kind ; org:postIn <{ID}authority/{code}> .
            }}""",
        )
    )
    key = {
        "DirectorOfChildrensServices": "dcs",
        "LeadMemberForChildrensServices": "lead-member",
        "ChiefExecutive": "chief-executive",
        "Leader": "leader",
    }
    assert posts == {ECM + kind: f"{ID}post/{code}/{tail}" for kind, tail in key.items()}
    assert _ask(seed_store, f"ASK {{ <{ID}post/{code}/dcs> org:reportsTo <{ID}post/{code}/chief-executive> }}")
    holders = _rows(seed_store, f"SELECT ?t WHERE {{ ?t ecm:post <{ID}post/{code}/dcs> }}")
    assert holders == [(tenure,) for tenure in DCS_TENURES.get(code, [])]


# --- one post per office; lines of accountability; what bodies do ------------------------------------------------


def _labels(store: ox.Store, post: str) -> list[tuple[str, str, str]]:
    """(property, label, graph) for each rdfs:label and skos:altLabel of a post."""
    return _rows(
        store,
        f"""SELECT ?p ?label ?g WHERE {{
        VALUES ?p {{ rdfs:label <http://www.w3.org/2004/02/skos/core#altLabel> }}
        GRAPH ?g {{ <{post}> ?p ?label }} }}""",
    )


def test_a_statutory_post_under_a_local_title_is_one_post(seed_store: ox.Store) -> None:
    """A post of any authority titled as the director of children's services is that authority's DCS post.

    Its label is the title a seed gives it (from that seed's paragraph) or, with none, the statutory name, which is
    otherwise an alternative label; a named holder holds the DCS post itself, never a second post for the office.
    """
    posts = {row[0] for row in _rows(seed_store, "SELECT DISTINCT ?post WHERE { ?post org:postIn ?owner }")}
    titled = {post for post in posts if any(DCS_TITLE.search(label) for _, label, _ in _labels(seed_store, post))}
    dcs = {row[0] for row in _rows(seed_store, "SELECT ?post WHERE { ?post a ecm:DirectorOfChildrensServices }")}
    assert titled == dcs == {f"{ID}post/{code}/dcs" for code in CSAS}
    councils = {
        "E10000028": "Staffordshire County Council",
        "E10000018": "Leicestershire County Council",
        "E10000024": "Nottinghamshire County Council",
        "E10000012": "Essex County Council",
        "E06000032": "Luton Borough Council",
    }
    for code, council in councils.items():
        labels = _labels(seed_store, f"{ID}post/{code}/dcs")
        main = [(label, graph) for p, label, graph in labels if p.endswith("#label")]
        assert len(main) == 1, (code, main)
        statutory = f"Director of Children's Services, {council}"
        assert statutory in {label for _, label, _ in labels}, code
        if main[0][0] != statutory:  # a local title, from the seed that gives it
            assert not main[0][1].startswith(SOURCE + "seed003/"), (code, main)
    # Nottinghamshire's Corporate Director for Children and Young People's Services, named in seed 002, is its DCS.
    assert _rows(seed_store, f"SELECT ?post WHERE {{ ?t ecm:holder <{ID}person/anthony-may> ; ecm:post ?post }}") == [
        (f"{ID}post/E10000024/dcs",)
    ]


def test_a_post_appointed_to_a_role_is_one_post_with_that_role(seed_store: ox.Store) -> None:
    """A paragraph that appoints a post to a role (a lead officer, a champion) declares one post of the role's kind,
    not the role's post beside a plain post of the same authority."""
    kinds = (
        "DistrictLeadOfficer",
        "ChildrensChampion",
        "DirectorOfChildrensServices",
        "LeadMemberForChildrensServices",
    )
    doubled = _rows(
        seed_store,
        f"""SELECT ?g ?role ?plain WHERE {{
        VALUES ?kind {{ {" ".join("ecm:" + k for k in kinds)} }}
        VALUES ?plainKind {{ org:Post ecm:OfficerPost ecm:MemberDesignation }}
        GRAPH ?g {{ ?role a ?kind ; org:postIn ?a . ?plain a ?plainKind ; org:postIn ?a . }}
        FILTER(?role != ?plain) }}""",
    )
    assert doubled == []
    lead_officer = f"{ID}post/E07000192/lead-officer"
    assert (
        "http://www.w3.org/2000/01/rdf-schema#label",
        "Head of Culture and Major Projects, Cannock Chase Council",
        SOURCE + "seed000/front-3.2",
    ) in _labels(seed_store, lead_officer)
    titled = _rows(
        seed_store,
        """SELECT DISTINCT ?post WHERE {
        ?post rdfs:label|<http://www.w3.org/2004/02/skos/core#altLabel> ?label
        FILTER(CONTAINS(LCASE(STR(?label)), "head of culture")) }""",
    )
    assert titled == [(lead_officer,)]


def _owner(store: ox.Store, node: str) -> str:
    rows = _rows(store, f"SELECT ?a WHERE {{ <{node}> org:postIn|ecm:bodyOf ?a }}")
    return rows[0][0] if rows else ""


def test_every_chain_of_accountability_ends_at_the_full_council_of_its_own_authority(seed_store: ox.Store) -> None:
    """From any post of a seed authority, org:reportsTo and ecm:accountableTo lead, within that authority, to its
    full Council and nowhere else; a post with no line at all is one no seed states a line for (NO_LINE_STATED)."""
    authorities = {f"{ID}authority/{code}" for code in CSAS.keys() | DISTRICTS.keys()}
    posts = {
        row[0]
        for row in _rows(seed_store, "SELECT DISTINCT ?post ?a WHERE { ?post org:postIn ?a }")
        if _owner(seed_store, row[0]) in authorities
    }
    lines: dict[str, set[str]] = {}
    for source, target in _rows(seed_store, "SELECT ?s ?o WHERE { ?s org:reportsTo|ecm:accountableTo ?o }"):
        lines.setdefault(source, set()).add(target)
    councils = {row[0] for row in _rows(seed_store, "SELECT ?c WHERE { ?c a ecm:FullCouncil }")}
    assert {post for post in posts if post not in lines} == NO_LINE_STATED
    for post in sorted(posts - NO_LINE_STATED):
        authority, seen, todo, ends = _owner(seed_store, post), set(), [post], set()
        while todo:
            node = todo.pop()
            if node in seen:
                continue
            seen.add(node)
            assert _owner(seed_store, node) == authority, f"{post}: the chain leaves its authority at {node}"
            if node in lines:
                todo.extend(lines[node])
            else:
                ends.add(node)
        assert ends and ends <= councils, f"{post}: its chain ends at {sorted(ends)}, not at the full Council"
    chief_executives = _rows(seed_store, "SELECT DISTINCT ?ce ?a WHERE { ?ce a ecm:ChiefExecutive ; org:postIn ?a }")
    assert len(chief_executives) == len(CSAS) + len(DISTRICTS)
    for chief_executive, authority in chief_executives:
        assert _ask(
            seed_store,
            f"""ASK {{ <{chief_executive}> ecm:accountableTo ?council .
            ?council a ecm:FullCouncil ; ecm:bodyOf <{authority}> }}""",
        ), chief_executive


def test_a_partnership_serves_the_outcomes_its_source_gives(seed_store: ox.Store, sources: Graph) -> None:
    """Staffordshire's Children's Trust serves the five Every Child Matters outcomes (seed 000 Section 1 ¶7); every
    outcome a body serves is in the graph of a paragraph that speaks of outcomes."""
    served = _rows(seed_store, "SELECT ?body ?outcome ?g WHERE { GRAPH ?g { ?body ecm:servesOutcome ?outcome } }")
    trust = {(outcome, graph) for body, outcome, graph in served if body == f"{ID}body/E10000028/childrens-trust"}
    assert trust == {
        (ECM + name, SOURCE + "seed000/s1-p7")
        for name in (
            "BeHealthy",
            "StaySafe",
            "EnjoyAndAchieve",
            "MakeAPositiveContribution",
            "AchieveEconomicWellBeing",
        )
    }
    for body, _, graph in served:
        assert _ask(seed_store, f"ASK {{ <{body}> a ?kind FILTER(?kind != ecm:Responsibility) }}"), body
        excerpt = str(sources.value(URIRef(graph), URIRef(ECM + "excerpt")))
        assert "outcome" in excerpt.casefold(), (body, graph)


def test_supporting_or_hosting_is_a_role_of_a_person_or_body_not_a_post(seed_store: ox.Store) -> None:
    """Supporting the East of England Children's Services Member Network and hosting its first meeting are roles
    people have in it (prov:hadRole of a prov:Association), not posts; no post is a supporter's or a host's."""
    prov = "http://www.w3.org/ns/prov#"
    posts = _rows(
        seed_store,
        """SELECT ?post WHERE { ?post org:postIn ?owner ;
        rdfs:label|<http://www.w3.org/2004/02/skos/core#altLabel> ?label
        FILTER(REGEX(STR(?label), "support|host", "i")) }""",
    )
    assert posts == []
    roles = _rows(
        seed_store,
        f"""SELECT ?activity ?agent ?role WHERE {{
        ?activity <{prov}qualifiedAssociation> ?association .
        ?association a <{prov}Association> ; <{prov}agent> ?agent ; <{prov}hadRole> ?role }}""",
    )
    meeting = f"{ID}event/east-of-england-childrens-services-member-network/first-meeting"
    assert sorted(roles) == [
        (meeting, f"{ID}person/lawrence-patterson", ECM + "HostRole"),
        (meeting, f"{ID}person/vic-sandel", ECM + "SupporterRole"),
    ]
    for _, agent, _ in roles:
        assert not _ask(seed_store, f"ASK {{ <{agent}> org:postIn ?owner }}"), agent


def test_cannock_chase_has_a_champion_and_a_lead_officer_but_no_statutory_childrens_posts(seed_store: ox.Store) -> None:
    cannock = f"<{ID}authority/E07000192>"
    kinds = {row[0] for row in _rows(seed_store, f"SELECT ?kind WHERE {{ ?post org:postIn {cannock} ; a ?kind }}")}
    assert {ECM + "ChildrensChampion", ECM + "DistrictLeadOfficer", ECM + "ChiefExecutive"} <= kinds
    assert not kinds & {ECM + "DirectorOfChildrensServices", ECM + "LeadMemberForChildrensServices"}
    champion, chief_executive = f"<{ID}post/E07000192/childrens-champion>", f"<{ID}post/E07000192/chief-executive>"
    assert _ask(seed_store, f"ASK {{ {champion} org:reportsTo {chief_executive} }}")
    assert _ask(seed_store, f"ASK {{ {chief_executive} ecm:accountableTo <{ID}body/E07000192/council> }}")


def test_every_post_belongs_to_exactly_one_authority_or_organisation(seed_store: ox.Store) -> None:
    posts = {q.subject.value for q in seed_store if q.subject.value.startswith(ID + "post/")}
    assert len(posts) > 30
    for post in sorted(posts):
        owners = _rows(seed_store, f"SELECT DISTINCT ?owner WHERE {{ <{post}> org:postIn ?owner }}")
        assert len(owners) == 1, f"{post}: {owners}"


def test_every_authority_the_seed_data_names_is_in_the_reference_data(seed_store: ox.Store) -> None:
    england = ox.Store()
    england.load(path=str(_data_dir() / "england.ttl"), format=ox.RdfFormat.TURTLE)
    described = {quad.subject.value for quad in england}
    named = {
        term.value
        for quad in seed_store
        for term in (quad.subject, quad.object)
        if isinstance(term, ox.NamedNode) and term.value.startswith(ID + "authority/")
    }
    assert {f"{ID}authority/{code}" for code in CSAS.keys() | DISTRICTS.keys()} <= named
    assert sorted(named - described) == []


def test_every_ecm_term_the_seed_data_uses_is_defined_in_the_ontology(seed_store: ox.Store) -> None:
    ontology = Graph().parse(_ontology_path(), format="turtle")
    defined = {str(s) for s in ontology.subjects() if str(s).startswith(ECM)}
    used = {
        term.value
        for quad in seed_store
        for term in (quad.subject, quad.predicate, quad.object)
        if isinstance(term, ox.NamedNode) and term.value.startswith(ECM)
    }
    assert used and sorted(used - defined) == []


# --- data/sources.ttl -----------------------------------------------------------------------------------------


def test_sources_describe_the_five_seed_documents(sources: Graph, seed_dir: Path) -> None:
    for key, seed_file in SEED_FILES.items():
        document = URIRef(SOURCE + key)
        assert (document, RDF.type, URIRef(ECM + "SourceDocument")) in sources
        assert str(sources.value(document, URIRef(ECM + "seedFile"))) == seed_file
        assert (seed_dir / seed_file).is_file()
        for predicate in (DCTERMS.title, DCTERMS.publisher, DCTERMS.rights):
            assert sources.value(document, predicate) is not None, (key, predicate)
    # No document states an open licence: none is asserted (dcterms:rights says what each states).
    assert not list(sources.triples((None, DCTERMS.license, None)))


def test_every_paragraph_has_one_reference_label_document_and_excerpt(
    sources: Graph, paragraphs: dict[str, str]
) -> None:
    assert len(paragraphs) > 250
    for paragraph in paragraphs:
        node = URIRef(paragraph)
        for predicate in (
            URIRef(ECM + "paragraphRef"),
            URIRef("http://www.w3.org/2000/01/rdf-schema#label"),
            DCTERMS.isPartOf,
            URIRef(ECM + "excerpt"),
        ):
            assert len(list(sources.objects(node, predicate))) == 1, (paragraph, predicate)
        assert len(str(sources.value(node, URIRef(ECM + "excerpt")))) <= 202


@pytest.mark.parametrize(
    ("iri", "ref"),
    [
        ("seed003/3.5", "§3.5"),
        ("seed003/fn10", "fn 10"),
        ("seed003/app1", "App. 1"),
        ("seed000/front-3.1", "front §3.1"),
        ("seed000/s8-8.5", "Section 8 §8.5"),
        ("seed000/s1-p8", "Section 1 ¶8"),
        ("seed000/s10-10", "Section 10 §10"),
        ("seed001/appB-4.5-s11", "App. B §4.5 (s11 row)"),
        ("seed001/appB-4.5-s13-16", "App. B §4.5 (ss13–16 row)"),
        ("seed001/appA-5.7", "App. A §5.7"),
        ("seed002/17", "§17"),
        ("seed004/app1-p1", "App. 1 ¶1"),
    ],
)
def test_paragraph_references_follow_the_modelling_guide(sources: Graph, iri: str, ref: str) -> None:
    assert str(sources.value(URIRef(SOURCE + iri), URIRef(ECM + "paragraphRef"))) == ref


def test_every_excerpt_is_the_opening_of_its_paragraph_in_the_seed_text(
    builder: ModuleType, sources: Graph, paragraphs: dict[str, str], seed_dir: Path
) -> None:
    """The excerpt's first eight words are in the seed text (read as the builder reads it, headings unmarked)."""
    texts = {
        name: builder.excerpt((seed_dir / name).read_text(encoding="utf-8").replace("#", ""), length=10**9)
        for name in SEED_FILES.values()
    }
    for paragraph, seed_file in paragraphs.items():
        opening = " ".join(str(sources.value(URIRef(paragraph), URIRef(ECM + "excerpt"))).split()[:8])
        assert opening.rstrip(" …") in texts[seed_file], paragraph


def test_every_seed_paragraph_cited_anywhere_in_the_packaged_assets_is_described(paragraphs: dict[str, str]) -> None:
    cited: dict[str, str] = {}
    prefixed = re.compile(r"\b(seed00[0-4]):([A-Za-z0-9][A-Za-z0-9.-]*[A-Za-z0-9])")
    full = re.compile(re.escape(SOURCE) + r"seed00[0-4]/[A-Za-z0-9][A-Za-z0-9.-]*[A-Za-z0-9]")
    for path in _asset_files():
        fmt = _format(path)
        if fmt is not None:
            store = ox.Store()
            store.load(path=str(path), format=fmt)
            for quad in store:
                for term in (quad.subject, quad.object, quad.graph_name):
                    if isinstance(term, ox.NamedNode) and full.fullmatch(term.value):
                        cited.setdefault(term.value, path.name)
        elif path.suffix == ".rq":
            text = path.read_text(encoding="utf-8")
            for match in full.finditer(text):
                cited.setdefault(match.group(0), path.name)
            for match in prefixed.finditer(text):
                cited.setdefault(f"{SOURCE}{match.group(1)}/{match.group(2)}", path.name)
    assert len(cited) > 50
    assert sorted(f"{iri} ({where})" for iri, where in cited.items() if iri not in paragraphs) == []


# --- the builder -----------------------------------------------------------------------------------------------


def test_sources_builder_check_passes_on_the_committed_file(builder: ModuleType, seed_dir: Path) -> None:
    assert builder.main(["--check", "--seeds", str(seed_dir), "-o", str(_data_dir() / "sources.ttl")]) == 0


def test_sources_builder_check_fails_on_a_stale_file(
    builder: ModuleType, seed_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    stale = tmp_path / "sources.ttl"
    stale.write_text("# stale\n", encoding="utf-8")
    assert builder.main(["--check", "--seeds", str(seed_dir), "-o", str(stale)]) == 1
    assert "out of date" in capsys.readouterr().err
    assert stale.read_text(encoding="utf-8") == "# stale\n"


def test_sources_builder_exits_3_when_a_seed_is_missing(
    builder: ModuleType, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert builder.main(["--check", "--seeds", str(tmp_path), "-o", str(tmp_path / "out.ttl")]) == 3
    assert "not found" in capsys.readouterr().err


def test_sources_builder_output_is_byte_identical_on_rerun(builder: ModuleType, seed_dir: Path, tmp_path: Path) -> None:
    first, second = tmp_path / "a.ttl", tmp_path / "b.ttl"
    assert builder.main(["--seeds", str(seed_dir), "-o", str(first)]) == 0
    assert builder.main(["--seeds", str(seed_dir), "-o", str(second)]) == 0
    assert first.read_bytes() == second.read_bytes()
