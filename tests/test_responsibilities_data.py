"""data/responsibilities.ttl and data/topics.ttl: complete, traceable to the seeds, and countable from them.

The counts of the lists (Leicestershire's appendices A–C in seed 001; seed 003 §2.7, §3.17, §3.44, §4.5) are
computed from the seed texts; the narrative paragraphs of seed 003 are pinned in ``NARRATIVE`` below, so that a
responsibility added or lost shows up here.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, RDF, SKOS

from ecmgraph.resources import data_dir, ontology_path

ECM = Namespace("https://w3id.org/ecmgraph/def#")
ID = "https://w3id.org/ecmgraph/id/"
SEEDS = Path(__file__).resolve().parents[2] / "shared" / "seeds"
SEED_001 = SEEDS / "001_d816d18687dce49c.txt"
SEED_003 = SEEDS / "003_d41f3be8f1f7a191.txt"

RESPONSIBILITIES = data_dir() / "responsibilities.ttl"
TOPICS = data_dir() / "topics.ttl"

ROLES = ("lead-member", "dcs", "chief-executive", "leader", "lscb")
RESPONSIBILITY_IRI = re.compile(rf"^{ID}responsibility/(?:(E\d{{8}})/)?({'|'.join(ROLES)})/(\d{{3}})$")
SOURCE_IRI = re.compile(rf"^{ID}source/(seed00[0-4])/([A-Za-z0-9][A-Za-z0-9.\-]*)$")
LEGISLATION_IRI = re.compile(
    r"^http://www\.legislation\.gov\.uk/id/(ukpga|uksi)/\d{4}/\d+"
    r"((/(section|schedule|part|paragraph|regulation))?/[0-9A-Za-z]+)*$"
)
TOPIC_IRI = re.compile(rf"^{ID}topic/[a-z0-9][a-z0-9-]*$")

OUTCOMES = {
    ECM[name]
    for name in ("BeHealthy", "StaySafe", "EnjoyAndAchieve", "MakeAPositiveContribution", "AchieveEconomicWellBeing")
}
FUNCTIONS = {
    ECM[name]
    for name in (
        "EducationFunctions",
        "ChildrensSocialServicesFunctions",
        "LeavingCareFunctions",
        "CooperationAndPlanningFunctions",
        "NHSPartnershipFunctions",
        "ChildcareFunctions",
    )
}
# Whose responsibility each role's IRIs are: the post (or board) class for every authority …
ROLE_CLASSES = {
    "lead-member": {ECM.LeadMemberForChildrensServices},
    "dcs": {ECM.DirectorOfChildrensServices},
    "chief-executive": {ECM.ChiefExecutive},
    "leader": {ECM.Leader, ECM.ElectedMayor},
    "lscb": {ECM.LocalSafeguardingChildrenBoard},
}
# … and one authority's own post or body.
ROLE_INDIVIDUALS = {"lead-member": "post/{gss}/lead-member", "dcs": "post/{gss}/dcs", "lscb": "body/{gss}/lscb"}

# Words analysts type for a topic (QUESTIONS.md, and the brief for these files): each finds exactly one topic.
ANALYST_WORDS = (
    "safeguarding",
    "child protection",
    "school improvement",
    "school standards",
    "youth justice",
    "youth offending",
    "looked after children",
    "children in care",
    "corporate parenting",
    "leaving care",
    "early years",
    "childcare",
    "14-19",
    "14–19",
    "education",
    "special educational needs",
    "SEN",
    "children's social care",
    "social services",
    "health",
    "children's health",
    "information sharing",
    "Children and Young People's Plan",
    "CYPP",
    "children's trust",
    "cooperation",
    "partnership",
    "transition to adult services",
    "workforce",
    "commissioning",
    "participation",
    "voice of the child",
    "scrutiny",
    "performance management",
    "budget",
    "LSCB",
)

# Seed 003 paragraphs that are not lists: how many responsibilities each gives each role. The lists (§2.7,
# §3.17, §3.44, §4.5) are counted from the seed text by seed003_list_counts().
NARRATIVE: dict[str, dict[str, int]] = {
    "lead-member": {
        "1.2": 1,
        "1.3": 1,
        "1.6": 1,
        "1.8": 1,
        "1.9": 1,
        "2.1": 1,
        "2.2": 1,
        "2.3": 1,
        "2.4": 1,
        "2.5": 2,
        "2.6": 1,
        "2.8": 1,
        "2.9": 1,
        "2.10": 1,
        "2.11": 1,
        "2.12": 1,
        "2.13": 1,
        "2.14": 1,
        "2.15": 1,
        "2.16": 2,
        "2.17": 2,
        "2.18": 2,
        "2.19": 1,
        "2.20": 1,
        "2.21": 1,
        "2.22": 1,
        "2.23": 1,
        "2.24": 1,
        "2.25": 1,
        "2.26": 1,
        "2.27": 1,
        "3.29": 1,
        "4.1": 1,
        "4.2": 1,
        "4.3": 1,
        "4.4": 1,
    },
    "dcs": {
        "1.2": 1,
        "1.3": 1,
        "1.6": 1,
        "1.8": 1,
        "1.9": 1,
        "3.1": 1,
        "3.2": 1,
        "3.3": 1,
        "3.4": 1,
        "3.6": 1,
        "3.7": 1,
        "3.9": 1,
        "3.10": 1,
        "3.11": 1,
        "3.12": 2,
        "3.16": 1,
        "3.18": 1,
        "3.19": 1,
        "3.20": 1,
        "3.21": 1,
        "3.22": 1,
        "3.23": 1,
        "3.24": 1,
        "3.25": 1,
        "3.26": 1,
        "3.27": 1,
        "3.28": 1,
        "3.29": 1,
        "3.32": 1,
        "3.33": 1,
        "3.34": 1,
        "3.35": 1,
        "3.36": 1,
        "3.37": 1,
        "3.38": 1,
        "3.39": 1,
        "3.40": 1,
        "3.41": 1,
        "3.42": 1,
        "3.43": 1,
        "4.1": 1,
        "4.2": 1,
        "4.3": 1,
        "4.4": 1,
    },
    "chief-executive": {"1.1": 1, "1.4": 1, "1.13": 1, "3.29": 1, "3.30": 2, "3.31": 1, "3.37": 1, "3.44": 1},
    "leader": {"1.1": 1, "1.4": 1, "1.13": 1, "2.1": 1, "3.31": 1},
    "lscb": {"3.32": 1, "3.34": 1},
}
# Process duties that no shape checks (RULES.md, modelling notes): each is a responsibility with a scope note.
PROCESS_DUTIES = {("dcs", "3.33"), ("dcs", "3.36"), ("dcs", "4.1"), ("lead-member", "4.1")}

needs_seeds = pytest.mark.skipif(
    not SEED_001.is_file() or not SEED_003.is_file(), reason=f"the seed documents are not at {SEEDS}"
)


@pytest.fixture(scope="module")
def graph() -> Graph:
    g = Graph()
    g.parse(RESPONSIBILITIES, format="turtle")
    g.parse(TOPICS, format="turtle")
    return g


def responsibilities(g: Graph) -> Iterator[URIRef]:
    for subject in sorted(g.subjects(RDF.type, ECM.Responsibility)):
        assert isinstance(subject, URIRef)
        yield subject


def topics(g: Graph) -> list[URIRef]:
    return sorted(s for s in g.subjects(RDF.type, ECM.Topic) if isinstance(s, URIRef))


def role_key(iri: URIRef) -> tuple[str | None, str, int]:
    """(GSS code or None, role, n) of a responsibility IRI."""
    match = RESPONSIBILITY_IRI.match(str(iri))
    assert match, f"{iri} does not follow ecmid:responsibility/[{{GSS}}/]{{role}}/{{nnn}}"
    return match.group(1), match.group(2), int(match.group(3))


def source_key(g: Graph, responsibility: URIRef) -> str:
    """``seed003:2.7`` for the one paragraph a responsibility cites."""
    sources = list(g.objects(responsibility, DCTERMS.source))
    assert len(sources) == 1, f"{responsibility} cites {len(sources)} paragraphs; one is expected"
    match = SOURCE_IRI.match(str(sources[0]))
    assert match, f"{responsibility}: {sources[0]} is not a seed paragraph IRI"
    return f"{match.group(1)}:{match.group(2)}"


def counts_by_source(g: Graph, gss: str | None, role: str) -> Counter[str]:
    return Counter(source_key(g, r) for r in responsibilities(g) if role_key(r)[:2] == (gss, role))


# --- parsing ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize("path", [RESPONSIBILITIES, TOPICS], ids=lambda p: p.name)
def test_parses_in_rdflib_and_pyoxigraph_alike(path: Path) -> None:
    g = Graph().parse(path, format="turtle")
    store = ox.Store()
    store.load(path=str(path), format=ox.RdfFormat.TURTLE)
    assert len(g) > 0
    assert len(store) == len(g)


# --- responsibilities -------------------------------------------------------------------------------------


def test_every_responsibility_is_complete(graph: Graph) -> None:
    topic_set = set(topics(graph))
    problems: list[str] = []
    for r in responsibilities(graph):
        labels = list(graph.objects(r, SKOS.prefLabel))
        if len(labels) != 1 or not isinstance(labels[0], Literal) or labels[0].language != "en":
            problems.append(f"{r}: needs exactly one English skos:prefLabel")
        elif len(labels[0]) > 100:
            problems.append(f"{r}: label longer than 100 characters")
        if len(list(graph.objects(r, SKOS.definition))) != 1:
            problems.append(f"{r}: needs exactly one skos:definition")
        if not list(graph.objects(r, ECM.responsibilityOf)):
            problems.append(f"{r}: no ecm:responsibilityOf")
        source_key(graph, r)
        concerns = set(graph.objects(r, ECM.concerns))
        if not concerns:
            problems.append(f"{r}: concerns nothing")
        problems += [
            f"{r}: concerns {c}, neither a topic nor an s18(2) function" for c in concerns - topic_set - FUNCTIONS
        ]
        outcomes = set(graph.objects(r, ECM.servesOutcome))
        if not outcomes:
            problems.append(f"{r}: serves no outcome")
        problems += [f"{r}: {o} is not an Every Child Matters outcome" for o in outcomes - OUTCOMES]
        problems += [
            f"{r}: statutory basis {b} is not a legislation.gov.uk identifier"
            for b in [*graph.objects(r, ECM.statutoryBasis), *graph.objects(r, DCTERMS.relation)]
            if not LEGISLATION_IRI.match(str(b))
        ]
    assert not problems, "\n".join(problems)


def test_iris_are_numbered_per_role_from_001_without_gaps(graph: Graph) -> None:
    numbers: dict[tuple[str | None, str], list[int]] = {}
    for r in responsibilities(graph):
        gss, role, n = role_key(r)
        numbers.setdefault((gss, role), []).append(n)
    for key, found in numbers.items():
        assert sorted(found) == list(range(1, len(found) + 1)), key


def test_responsibility_of_matches_the_role_in_the_iri(graph: Graph) -> None:
    for r in responsibilities(graph):
        gss, role, _ = role_key(r)
        owners = set(graph.objects(r, ECM.responsibilityOf))
        if gss is None:
            assert owners and owners <= ROLE_CLASSES[role], f"{r}: {owners}"
        else:
            assert owners == {URIRef(ID + ROLE_INDIVIDUALS[role].format(gss=gss))}, f"{r}: {owners}"


def _document_position(key: str) -> tuple:
    """Where a cited paragraph stands in its seed, for the seeds the responsibilities cite (001 and 003)."""
    seed, _, paragraph = key.partition(":")
    if seed == "seed003":
        section, _, number = paragraph.partition(".")
        return (3, int(section), int(number)) if number else (3, 9, 0)  # App. 2 after the numbered paragraphs
    appendix, _, rest = paragraph[3:].partition("-")
    if appendix == "C":
        order = ["", "a", "a-i", "a-ii", "a-iii", "a-iv", "a-v", "a-vi", "b", "c", "d", "e"]
        return (1, "C", order.index(rest))
    number, _, row = rest.partition("-")
    if number == "elsewhere":
        return (1, appendix, 99, 0)
    major, minor = (int(part) for part in number.split("."))
    return (1, appendix, major, minor, int(re.findall(r"\d+", row)[0]) if row else 0)


def test_each_role_is_numbered_in_document_order(graph: Graph) -> None:
    by_role: dict[tuple[str | None, str], list[tuple[int, tuple]]] = {}
    for r in responsibilities(graph):
        gss, role, n = role_key(r)
        by_role.setdefault((gss, role), []).append((n, _document_position(source_key(graph, r))))
    for key, items in by_role.items():
        positions = [position for _, position in sorted(items)]
        assert positions == sorted(positions), f"{key} is not in document order"


def test_process_duties_are_responsibilities_with_a_scope_note(graph: Graph) -> None:
    noted = {
        (role_key(r)[1], source_key(graph, r).split(":")[1])
        for r in responsibilities(graph)
        if role_key(r)[0] is None and any("process" in str(note) for note in graph.objects(r, SKOS.scopeNote))
    }
    assert noted == PROCESS_DUTIES


def test_accountability_lines_of_seed_003_are_recorded(graph: Graph) -> None:
    """The CE holds the DCS to account (§3.29, §3.30), the LM challenges the DCS (§2.9, §3.29)."""
    wanted = {
        ("chief-executive", "seed003:3.29"),
        ("chief-executive", "seed003:3.30"),
        ("lead-member", "seed003:3.29"),
        ("lead-member", "seed003:2.9"),
        ("leader", "seed003:2.1"),
    }
    found = {
        (role_key(r)[1], source_key(graph, r))
        for r in responsibilities(graph)
        if URIRef(ID + "topic/accountability") in set(graph.objects(r, ECM.concerns))
    }
    assert wanted <= found


# --- counts against the seeds -------------------------------------------------------------------------------


def appendix_lines(text: str, appendix: str) -> list[str]:
    start = text.index(f"APPENDIX {appendix}")
    following = {"A": "APPENDIX B", "B": "APPENDIX C", "C": None}[appendix]
    end = text.index(following) if following else len(text)
    return text[start:end].splitlines()


def seed001_table_rows(appendix: str) -> Counter[str]:
    """Responsibility rows of seed 001 App. A or B, counted by the paragraph IRI key each row belongs to.

    A row starts with its paragraph cell (``\\t5.6``, or ``\\t`` under the number above) after a blank line, and its
    next line is the responsibility; a lead-in that ends with a colon (App. B §4.4, §4.16) heads the rows below it
    and is not a responsibility itself.
    """
    lines = appendix_lines(SEED_001.read_text(encoding="utf-8"), appendix)
    rows: Counter[str] = Counter()
    number = None
    for index in range(1, len(lines) - 1):
        line, previous, following = lines[index], lines[index - 1], lines[index + 1]
        if line.strip() == "RESPONSIBILITIES IDENTIFIED ELSEWHERE":
            number = "elsewhere"
            continue
        cell = re.fullmatch(r"\t(\d+\.\d+)?\s*", line)
        if not cell or previous.strip() or not re.match(r"\t\S", following):
            continue
        number = cell.group(1) or number
        text = following.strip()
        if text.endswith(":"):
            continue
        key = f"seed001:app{appendix}-{number}"
        if (act := re.match(r"Children Act\s+2004 Sections? ([^–-]+)", text)) is not None:
            sections = re.findall(r"\d+", act.group(1).split("(")[0])
            key += f"-s{sections[0]}" + (f"-{sections[-1]}" if len(sections) > 1 else "")
        rows[key] += 1
    return rows


def seed001_appendix_c_items() -> Counter[str]:
    """The LSCB's functions in seed 001 App. C: (a) and its points (i)–(vi), then (b)–(e)."""
    items: Counter[str] = Counter()
    for line in appendix_lines(SEED_001.read_text(encoding="utf-8"), "C"):
        text = line.strip()
        if text.startswith("‘To develop"):
            items["seed001:appC-a"] += 1
        elif match := re.match(r"\((i|ii|iii|iv|v|vi)\)", text):
            items[f"seed001:appC-a-{match.group(1)}"] += 1
        elif match := re.match(r"\(([b-e])\)", text):
            items[f"seed001:appC-{match.group(1)}"] += 1
    return items


def seed003_block(paragraph: str) -> list[str]:
    """The lines of a numbered paragraph of seed 003 after its first, up to the next paragraph or heading."""
    lines = SEED_003.read_text(encoding="utf-8").splitlines()
    start = next(i for i, line in enumerate(lines) if re.match(rf"^\s*(-\s*)?(\*\*)?{re.escape(paragraph)}\*\*", line))
    block = []
    for line in lines[start + 1 :]:
        if re.match(r"^\s*(-\s*)?(\*\*)?\d\.\d+\*\*", line) or line.startswith("#"):
            break
        block.append(line)
    return block


def seed003_list(paragraph: str) -> tuple[int, int]:
    """(lettered items ``a)``…, first-level bullets that are not lettered) of a paragraph of seed 003."""
    block = seed003_block(paragraph)
    lettered = sum(1 for line in block if re.match(r"^\s*(-\s+)?[a-i]\)\s", line))
    bullets = sum(1 for line in block if re.match(r"^\s{0,2}-\s+\S", line) and not re.match(r"^\s*-\s+[a-i]\)\s", line))
    return lettered, bullets


def seed003_items(paragraph: str) -> list[tuple[str | None, int]]:
    """The items of a list of seed 003, in order: (its letter, or None for an unlettered point; how many first-level
    points are under it). An unlettered list (§4.5) is its points, each an item with none under it."""
    items: list[tuple[str | None, int]] = []
    for line in seed003_block(paragraph):
        if lettered := re.match(r"^\s*(-\s+)?([a-i])\)\s", line):
            items.append((lettered.group(2), 0))
        elif re.match(r"^\s{0,2}-\s+\S", line):
            if items and items[-1][0] is not None:
                items[-1] = (items[-1][0], items[-1][1] + 1)
            else:
                items.append((None, 0))
    return items


def seed003_list_counts(role: str) -> Counter[str]:
    """§2.7 and §3.17: every item and every point under one; §3.44: its items and the lead-in; §4.5: its points
    and the lead-in (for the Chief Executive and the Leader each)."""
    counts: Counter[str] = Counter()
    if role == "lead-member":
        counts["seed003:2.7"] = sum(seed003_list("2.7"))
    elif role == "dcs":
        counts["seed003:3.17"] = sum(seed003_list("3.17"))
        counts["seed003:3.44"] = seed003_list("3.44")[0] + 1
    elif role in ("chief-executive", "leader"):
        counts["seed003:4.5"] = seed003_list("4.5")[1] + 1
    return counts


@needs_seeds
def test_seed_lists_have_the_shape_counted() -> None:
    """Guards the parsers: the counts of the seed lists, as read by a person."""
    assert seed003_list("2.7") == (9, 7)
    assert seed003_list("3.17") == (9, 20)
    assert seed003_list("3.44") == (9, 0)
    assert seed003_list("4.5") == (0, 4)
    assert seed003_items("2.7") == [("a", 0), ("b", 4), ("c", 3), *((letter, 0) for letter in "defghi")]
    assert seed003_items("3.17") == [
        ("a", 3),
        ("b", 7),
        ("c", 2),
        ("d", 2),
        ("e", 2),
        ("f", 4),
        ("g", 0),
        ("h", 0),
        ("i", 0),
    ]
    assert seed003_items("4.5") == [(None, 0)] * 4
    assert sum(seed001_table_rows("A").values()) == 20
    assert sum(seed001_table_rows("B").values()) == 30
    assert sum(seed001_appendix_c_items().values()) == 11


@needs_seeds
def test_leicestershire_lead_member_has_one_responsibility_per_row_of_appendix_a(graph: Graph) -> None:
    assert counts_by_source(graph, "E10000018", "lead-member") == seed001_table_rows("A")


@needs_seeds
def test_leicestershire_dcs_has_one_responsibility_per_row_of_appendix_b(graph: Graph) -> None:
    assert counts_by_source(graph, "E10000018", "dcs") == seed001_table_rows("B")


@needs_seeds
def test_lscb_has_one_responsibility_per_function_in_appendix_c_and_seed_003(graph: Graph) -> None:
    expected = seed001_appendix_c_items() + Counter({f"seed003:{p}": n for p, n in NARRATIVE["lscb"].items()})
    assert counts_by_source(graph, None, "lscb") == expected


@needs_seeds
@pytest.mark.parametrize("role", ["lead-member", "dcs", "chief-executive", "leader"])
def test_seed_003_roles_have_the_responsibilities_modelled(graph: Graph, role: str) -> None:
    expected = seed003_list_counts(role) + Counter({f"seed003:{p}": n for p, n in NARRATIVE[role].items()})
    assert counts_by_source(graph, None, role) == expected


#: The lists whose structure the data keeps: (role, paragraph) of seed 003, and the LSCB's functions of seed 001
#: App. C, where (a) has the points (i)-(vi) and each item and point is its own paragraph.
SEED_003_LISTS = (
    ("lead-member", "2.7"),
    ("dcs", "3.17"),
    ("dcs", "3.44"),
    ("chief-executive", "4.5"),
    ("leader", "4.5"),
)


def _structure(g: Graph, members: list[URIRef]) -> list[tuple[URIRef, list[URIRef]]]:
    """The items among ``members`` in list order, each with its points in order; fails on a malformed position."""

    def position(r: URIRef) -> int:
        values = list(g.objects(r, ECM.listPosition))
        assert len(values) == 1 and isinstance(values[0], Literal), f"{r}: needs one ecm:listPosition"
        return int(values[0])

    parents = {r: list(g.objects(r, ECM.subPointOf)) for r in members}
    items = sorted((r for r in members if not parents[r] and (r, ECM.listPosition, None) in g), key=position)
    assert [position(r) for r in items] == list(range(1, len(items) + 1))
    structure = []
    for item in items:
        points = sorted((r for r in members if parents[r] == [item]), key=position)
        assert [position(r) for r in points] == list(range(1, len(points) + 1)), item
        structure.append((item, points))
    orphans = [r for r in members if parents[r] and not any(r in points for _, points in structure)]
    assert not orphans, f"points whose item is not an item of the same list: {orphans}"
    return structure


@needs_seeds
@pytest.mark.parametrize(("role", "paragraph"), SEED_003_LISTS)
def test_a_lettered_list_keeps_its_items_and_their_points(graph: Graph, role: str, paragraph: str) -> None:
    """Each item of the list is one responsibility with its place; each point under an item is ecm:subPointOf it, and
    a definition that names the item's letter names the right one ("§3.17 b")."""
    members = [
        r
        for r in responsibilities(graph)
        if role_key(r)[:2] == (None, role) and source_key(graph, r) == f"seed003:{paragraph}"
    ]
    structure = _structure(graph, members)
    expected = seed003_items(paragraph)
    assert [len(points) for _, points in structure] == [n for _, n in expected]
    for (item, points), (letter, _) in zip(structure, expected, strict=True):
        for r in [item, *points]:
            marks = re.findall(rf"§{re.escape(paragraph)} ([a-i])\b", str(graph.value(r, SKOS.definition)))
            assert marks == ([letter] if letter else []), (r, marks, letter)
    # The rest of the paragraph (a lead-in) is neither an item nor a point.
    listed = {r for item, points in structure for r in [item, *points]}
    assert all((r, ECM.listPosition, None) not in graph for r in set(members) - listed)


@needs_seeds
def test_the_lscb_functions_keep_item_a_and_its_points(graph: Graph) -> None:
    members = [
        r
        for r in responsibilities(graph)
        if role_key(r)[:2] == (None, "lscb") and source_key(graph, r).startswith("seed001:appC")
    ]
    structure = _structure(graph, members)
    items = seed001_appendix_c_items()
    assert [source_key(graph, item) for item, _ in structure] == [
        key for key in items if not re.search(r"-a-[iv]+$", key)
    ]
    assert [[source_key(graph, r) for r in points] for _, points in structure] == [
        [key for key in items if re.search(r"-a-[iv]+$", key)],
        [],
        [],
        [],
        [],
    ]


def test_leicestershire_dcs_rows_carry_the_children_act_sections_they_cite(graph: Graph) -> None:
    ca2004 = "http://www.legislation.gov.uk/id/ukpga/2004/31/section/"
    for r in responsibilities(graph):
        key = source_key(graph, r)
        if role_key(r)[:2] == ("E10000018", "dcs") and (row := re.search(r"appB-4\.5-s(\d+)(?:-(\d+))?$", key)):
            first, last = int(row.group(1)), int(row.group(2) or row.group(1))
            expected = {URIRef(f"{ca2004}{n}") for n in range(first, last + 1)}
            assert set(graph.objects(r, ECM.statutoryBasis)) == expected, r


# --- topics -------------------------------------------------------------------------------------------------


def test_every_topic_is_complete(graph: Graph) -> None:
    topic_set = set(topics(graph))
    assert topic_set
    for t in topic_set:
        assert TOPIC_IRI.match(str(t)), t
        assert (t, RDF.type, SKOS.Concept) in graph
        assert (t, SKOS.inScheme, ECM.Topics) in graph
        assert len(list(graph.objects(t, SKOS.prefLabel))) == 1, t
        assert list(graph.objects(t, SKOS.altLabel)), t
        assert len(list(graph.objects(t, SKOS.definition))) == 1, t
        sources = list(graph.objects(t, DCTERMS.source))
        assert sources and all(SOURCE_IRI.match(str(s)) for s in sources), t
        for related in graph.objects(t, SKOS.related):
            assert related in topic_set or related in FUNCTIONS, (t, related)


def test_every_label_finds_one_topic_only(graph: Graph) -> None:
    owners: dict[str, set[URIRef]] = {}
    for t in topics(graph):
        for label in [*graph.objects(t, SKOS.prefLabel), *graph.objects(t, SKOS.altLabel)]:
            owners.setdefault(str(label).casefold(), set()).add(t)
    shared = {label: sorted(ts) for label, ts in owners.items() if len(ts) > 1}
    assert not shared, shared


@pytest.mark.parametrize("word", ANALYST_WORDS)
def test_an_analysts_word_finds_a_topic(graph: Graph, word: str) -> None:
    found = {
        t
        for t in topics(graph)
        for label in [*graph.objects(t, SKOS.prefLabel), *graph.objects(t, SKOS.altLabel)]
        if str(label).casefold() == word.casefold()
    }
    assert len(found) == 1, (word, found)


def test_every_topic_is_the_concern_of_some_responsibility(graph: Graph) -> None:
    concerned = set(graph.objects(None, ECM.concerns))
    assert set(topics(graph)) <= concerned, set(topics(graph)) - concerned


# --- links to the other packaged files ---------------------------------------------------------------------


def _subjects_of(path: Path, rdf_type: URIRef | None = None) -> set[URIRef]:
    g = Graph().parse(path)
    return {s for s in (g.subjects(RDF.type, rdf_type) if rdf_type else g.subjects()) if isinstance(s, URIRef)}


def test_cited_paragraphs_are_described_in_sources_ttl(graph: Graph) -> None:
    described = _subjects_of(data_dir() / "sources.ttl", ECM.SourceParagraph)
    cited = {o for o in graph.objects(None, DCTERMS.source) if isinstance(o, URIRef)}
    assert cited <= described, sorted(cited - described)


def test_statutory_bases_are_provisions_described_in_law_ttl(graph: Graph) -> None:
    """ecm:statutoryBasis points at a provision (its range); an Act or SI named without a section is a relation."""
    provisions = _subjects_of(data_dir() / "law.ttl", ECM.Provision)
    cited = {o for o in graph.objects(None, ECM.statutoryBasis) if isinstance(o, URIRef)}
    assert cited <= provisions, sorted(cited - provisions)
    law = data_dir() / "law.ttl"
    instruments = _subjects_of(law, ECM.Act) | _subjects_of(law, ECM.StatutoryInstrument)
    related = {o for o in graph.objects(None, DCTERMS.relation) if isinstance(o, URIRef)}
    assert related <= instruments, sorted(related - instruments)


def test_ontology_terms_used_are_declared(graph: Graph) -> None:
    declared = _subjects_of(ontology_path())
    used = {term for triple in graph for term in triple if isinstance(term, URIRef) and str(term).startswith(str(ECM))}
    assert used <= declared, sorted(used - declared)


def test_leicestershire_posts_are_the_ones_the_authority_data_names(graph: Graph) -> None:
    path = data_dir() / "seed" / "leicestershire.trig"
    store = ox.Store()
    store.load(path=str(path), format=ox.RdfFormat.TRIG)
    posts = {URIRef(q.subject.value) for q in store if isinstance(q.subject, ox.NamedNode)}
    owners = {o for o in graph.objects(None, ECM.responsibilityOf) if str(o).startswith(ID)}
    assert owners <= posts, sorted(owners - posts)
