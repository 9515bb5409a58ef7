"""The packaged queries on the packaged data: every header example runs, and the questions get their answers.

Every test runs twice: on the local store, and (slow) through --endpoint on a real Oxigraph server holding the
same data, so an answer is the same wherever the data is kept."""

from __future__ import annotations

import datetime as dt

import pytest

import ecmgraph
from ecmgraph.queries import catalogue
from ecmgraph.render.tables import rows_as_text
from ecmgraph.results import Table, term_value
from ecmgraph.store import load_dataset

ID = "https://w3id.org/ecmgraph/id/"
LEG = "http://www.legislation.gov.uk/id/"
STAFFORDSHIRE = ID + "authority/E10000028"
DAY = dt.date(2024, 6, 30)


@pytest.fixture(scope="module", params=["local", pytest.param("endpoint", marks=pytest.mark.slow)])
def packaged_data(request) -> dict[str, object]:
    """Where the packaged data is, as keyword arguments of ecmgraph.query: in process, or on a server."""
    dataset = load_dataset()
    if request.param == "local":
        return {"data": dataset}
    import pyoxigraph as ox

    from ecmgraph.normalise import normalise

    normalise(dataset)  # compliance-matrix validates on the endpoint, which must hold the links rules need
    return {"endpoint": request.getfixturevalue("oxigraph").serve(dataset.store.dump(format=ox.RdfFormat.N_QUADS))}


def answer(where: dict[str, object], name: str, **values: str) -> list[dict[str, str]]:
    table = ecmgraph.query(name, values, today=DAY, **where)  # type: ignore[arg-type]
    assert isinstance(table, Table)
    return rows_as_text(table)


@pytest.mark.parametrize("name", sorted(catalogue()))
def test_each_header_example_runs_on_the_packaged_data(packaged_data, name: str) -> None:
    query = catalogue()[name]
    table = ecmgraph.query(query, query.example, today=DAY, **packaged_data)  # type: ignore[arg-type]
    assert table.columns == tuple(query.columns)
    if name not in ("joint-appointments", "vacant-posts"):  # the seeds record no joint appointment, no vacancy
        assert table.rows, f"{name}: its example gives no rows on the packaged data"


def test_who_is_accountable_for_safeguarding_in_staffordshire(packaged_data) -> None:
    rows = answer(packaged_data, "who-is-accountable", authority="Staffordshire", topic="safeguarding")
    posts = {r["post"] for r in rows}
    assert {
        ID + "post/E10000028/dcs",
        ID + "post/E10000028/lead-member",
        ID + "post/E10000028/chief-executive",
        ID + "body/E10000028/lscb",
    } <= posts
    dcs = [r for r in rows if r["post"] == ID + "post/E10000028/dcs"]
    assert LEG + "ukpga/2004/31/section/18" in {r["provision"] for r in dcs}
    assert ID + "source/seed003/3.17" in {r["paragraph"] for r in dcs}
    assert all(r["reportsTo"] == ID + "post/E10000028/chief-executive" for r in dcs)
    assert all(r["holder"] == "" for r in rows), "no seed names a Staffordshire holder: unknown, not vacant"
    assert all(r["paragraph"] and r["paragraphLabel"] for r in rows)
    # Every row has its statutory basis, but the Leader's: neither the ontology nor the data give one.
    assert all(r["provision"] and r["provisionLabel"] for r in rows if r["post"] != ID + "post/E10000028/leader")


@pytest.mark.parametrize(
    ("authority", "topic"),
    [
        ("Staffordshire", "Safeguarding"),
        ("E10000028", "safeguarding"),
        ("staffordshire", "child protection"),
        (STAFFORDSHIRE, ID + "topic/safeguarding"),
        ("Staffordshire County Council", "SAFEGUARDING"),
    ],
)
def test_a_name_a_code_or_an_iri_give_the_same_answer(packaged_data, authority: str, topic: str) -> None:
    expected = answer(packaged_data, "who-is-accountable", authority=STAFFORDSHIRE, topic=ID + "topic/safeguarding")
    assert answer(packaged_data, "who-is-accountable", authority=authority, topic=topic) == expected


def test_the_chain_from_cannock_chase_s_childrens_champion(packaged_data) -> None:
    rows = answer(packaged_data, "accountability-chain", authority="Cannock Chase", post="children's champion")
    assert [(r["step"], r["post"], r["relation"], r["to"]) for r in rows][0] == (
        "1",
        ID + "post/E07000192/childrens-champion",
        "reports to",
        ID + "post/E07000192/chief-executive",
    )


def test_the_chain_from_staffordshire_s_dcs_ends_at_the_full_council(packaged_data) -> None:
    rows = answer(packaged_data, "accountability-chain", authority="Staffordshire", post="DCS")
    assert rows[0]["post"] == ID + "post/E10000028/dcs"
    assert rows[-1]["to"] == ID + "body/E10000028/council"
    assert [r["step"] for r in rows] == sorted(r["step"] for r in rows)


def test_the_responsibilities_of_the_lead_member_with_their_paragraphs(packaged_data) -> None:
    rows = answer(
        packaged_data, "role-responsibilities", role="Lead Member for Children's Services", authority="Leicestershire"
    )
    whose = {r["whose"] for r in rows}
    assert whose == {"https://w3id.org/ecmgraph/def#LeadMemberForChildrensServices", ID + "post/E10000018/lead-member"}
    assert all(r["paragraph"].startswith(ID + "source/seed00") and r["paragraphLabel"] for r in rows)
    assert any(r["paragraph"].startswith(ID + "source/seed001/appA") for r in rows)
    assert all(r["outcomes"] for r in rows)


def test_statutory_post_holders_cover_every_authority_of_the_region(packaged_data) -> None:
    def existing(kind: str) -> int:
        """How many authorities of the West Midlands of this kind (or its subclasses) exist on 2024-06-30."""
        table = ecmgraph.sparql(
            f"""
            PREFIX ecm: <https://w3id.org/ecmgraph/def#> PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
            SELECT (COUNT(DISTINCT ?a) AS ?n) WHERE {{
              ?a a/rdfs:subClassOf* {kind} ; ecm:region <{ID}region/E12000005> .
              FILTER NOT EXISTS {{ ?a ecm:endDate ?end FILTER(?end < "2024-06-30"^^<http://www.w3.org/2001/XMLSchema#date>) }}
            }}""",
            **packaged_data,  # type: ignore[arg-type]
        )
        assert isinstance(table, Table)
        return int(term_value(table.rows[0][0]))  # type: ignore[arg-type]

    rows = answer(packaged_data, "statutory-post-holders", region="West Midlands")
    # Three chief posts of each children's services authority, and each district council's Chief Executive.
    assert len(rows) == 3 * existing("ecm:ChildrensServicesAuthority") + existing("ecm:DistrictCouncil")
    staffordshire = [r for r in rows if r["authority"] == STAFFORDSHIRE]
    assert {r["post"] for r in staffordshire} == {
        ID + "post/E10000028/dcs",
        ID + "post/E10000028/lead-member",
        ID + "post/E10000028/chief-executive",
    }
    assert all(r["holder"] == "" and r["vacant"] == "" and r["confirmed"] == "" for r in staffordshire)
    cannock = [r for r in rows if r["authority"] == ID + "authority/E07000192"]
    assert [(r["role"], r["post"]) for r in cannock] == [
        ("https://w3id.org/ecmgraph/def#ChiefExecutive", ID + "post/E07000192/chief-executive")
    ]


def test_the_two_tier_area_of_staffordshire(packaged_data) -> None:
    rows = answer(packaged_data, "two-tier-area", county="Staffordshire")
    assert rows[0]["tier"] == "county" and rows[0]["district"] == STAFFORDSHIRE
    assert len(rows) == 9  # the county and its eight districts (seed 000 Section 1 ¶10)
    cannock = next(r for r in rows if r["district"] == ID + "authority/E07000192")
    assert cannock["champion"] == ID + "post/E07000192/childrens-champion"
    assert cannock["leadOfficer"] == ID + "post/E07000192/lead-officer"
    assert cannock["localityBoard"] == ID + "body/E07000192/locality-board"


def _rochford_s_chief_executive(packaged_data, day: str) -> list[tuple[str, str, str, str, str]]:
    rows = answer(packaged_data, "statutory-post-holders", region="East of England", date=day)
    return [
        (r["post"], r["holderName"], r["since"], r["knownOn"], r["confirmed"])
        for r in rows
        if r["authority"] == ID + "authority/E07000075"
    ]


def test_a_holder_a_dated_letter_names_holds_the_post_that_day_and_is_the_last_known_after(packaged_data) -> None:
    """Seed 004's letter of 11 February 2005 is addressed to Paul Warren, Rochford's Chief Executive: he is the
    holder that day, the last known holder (not confirmed) after it, and nobody before it (no start is made up)."""
    post = ID + "post/E07000075/chief-executive"
    assert _rochford_s_chief_executive(packaged_data, "2005-02-11") == [(post, "Paul Warren", "", "2005-02-11", "yes")]
    assert _rochford_s_chief_executive(packaged_data, "2009-06-01") == [(post, "Paul Warren", "", "2005-02-11", "no")]
    assert _rochford_s_chief_executive(packaged_data, "2005-02-10") == [(post, "", "", "", "")]
    history = answer(packaged_data, "post-history", post="Chief Executive, Rochford District Council")
    assert [(r["from"], r["knownOn"], r["holderName"]) for r in history] == [("", "2005-02-11", "Paul Warren")]
    assert answer(packaged_data, "direct-reports", post="Chief Executive, Rochford District Council") == []


def test_a_seat_known_from_a_dated_letter(packaged_data) -> None:
    """Councillor Patterson sits on Luton's executive through the post the letter of 11 February 2005 names."""
    cabinet = ID + "body/E06000032/cabinet"
    seats = answer(packaged_data, "person-bodies", person="Lawrence Patterson")
    assert [(r["body"], r["knownOn"], r["confirmed"]) for r in seats] == [(cabinet, "2005-02-11", "")]
    for day, confirmed in (("2005-02-11", "yes"), ("2009-06-01", "no")):
        seats = answer(packaged_data, "person-bodies", person="Lawrence Patterson", date=day)
        assert [(r["body"], r["knownOn"], r["confirmed"]) for r in seats] == [(cabinet, "2005-02-11", confirmed)]
    assert answer(packaged_data, "person-bodies", person="Lawrence Patterson", date="2005-02-10") == []


def test_where_a_fact_about_cannock_chase_s_champion_comes_from(packaged_data) -> None:
    rows = answer(packaged_data, "fact-sources", entity="Elected Member for Children's Services, Cannock Chase Council")
    reports = next(r for r in rows if r["property"] == "http://www.w3.org/ns/org#reportsTo")
    assert reports["source"] == ID + "source/seed000/front-3.2"
    assert reports["document"] == ID + "source/seed000"
    assert (reports["file"], reports["paragraph"]) == ("000_da9f827a7016b7bf.txt", "front §3.2")


# --- answers dated by their evidence; the law behind a post; the kinds of partner; where a rule comes from ------


def test_the_statutory_basis_of_the_dcs_with_its_order_and_the_guidance_s_own_basis(packaged_data) -> None:
    rows = answer(
        packaged_data, "statutory-basis", thing="Director of Children's Services, Staffordshire County Council"
    )
    found = [(r["basis"], r["via"], r["provision"], r["paragraph"]) for r in rows if r["basis"] != "guidance"]
    assert found == [
        ("provision", "https://w3id.org/ecmgraph/def#PoliticallyRestrictedPost", LEG + "ukpga/1989/42/section/2", ""),
        (
            "provision",
            "https://w3id.org/ecmgraph/def#DirectorOfChildrensServices",
            LEG + "ukpga/2004/31/section/18",
            "",
        ),
        # The order appointing the day of section 18(10) (seed 003 fn 34).
        ("statutory instrument", LEG + "uksi/2007/1792", LEG + "ukpga/2004/31/section/18/10", ""),
        # The guidance is issued under sections 18(7) and 19(2) (seed 003 §1.12).
        (
            "guidance issued under",
            ID + "source/seed003",
            LEG + "ukpga/2004/31/section/18/7",
            ID + "source/seed003/1.12",
        ),
        (
            "guidance issued under",
            ID + "source/seed003",
            LEG + "ukpga/2004/31/section/19/2",
            ID + "source/seed003/1.12",
        ),
    ]
    assert ID + "source/seed003/3.5" in {r["paragraph"] for r in rows if r["basis"] == "guidance"}


def test_the_statutory_basis_of_the_lead_member_includes_the_order_that_commenced_section_19(packaged_data) -> None:
    """SI 2008/752 brought section 19 into force on 21 March 2008 (seed 003 fn 35): made under the Act's
    commencement powers, it is a commencement order of the post, not an instrument made under section 19."""
    rows = answer(
        packaged_data, "statutory-basis", thing="Lead Member for Children's Services, Staffordshire County Council"
    )
    found = [(r["basis"], r["via"], r["provision"], r["paragraph"]) for r in rows if r["basis"] != "guidance"]
    assert found == [
        (
            "provision",
            "https://w3id.org/ecmgraph/def#LeadMemberForChildrensServices",
            LEG + "ukpga/2004/31/section/19",
            "",
        ),
        ("commencement order", LEG + "uksi/2008/752", LEG + "ukpga/2004/31/section/19", ""),
        (
            "guidance issued under",
            ID + "source/seed003",
            LEG + "ukpga/2004/31/section/18/7",
            ID + "source/seed003/1.12",
        ),
        (
            "guidance issued under",
            ID + "source/seed003",
            LEG + "ukpga/2004/31/section/19/2",
            ID + "source/seed003/1.12",
        ),
    ]


def test_the_statutory_basis_of_the_lscb_includes_the_regulations(packaged_data) -> None:
    """The LSCB Regulations 2006 are linked to the Children Act 2004 only by dcterms:relation (seed 001 App. C)."""
    rows = answer(packaged_data, "statutory-basis", thing="LSCB")
    regulations = [r for r in rows if r["via"] == LEG + "uksi/2006/90"]
    assert [(r["basis"], r["provision"], r["act"], r["actLabel"]) for r in regulations] == [
        ("statutory instrument", "", LEG + "ukpga/2004/31", "Children Act 2004")
    ]
    assert [r["provision"] for r in rows if r["basis"] == "provision"] == [LEG + "ukpga/2004/31/section/13"]


def test_the_kinds_of_relevant_partner_for_an_authority_with_no_partner_recorded(packaged_data) -> None:
    rows = answer(packaged_data, "relevant-partners", authority="Luton")
    kinds = {r["kind"].split("#")[1]: r["status"] for r in rows}
    assert kinds == {
        "PrimaryCareTrust": "in force",
        "StrategicHealthAuthority": "in force",
        "YouthOffendingTeam": "in force",
        "LocalProbationBoard": "in force",
        "PoliceAuthority": "in force",
        "ChiefOfficerOfPolice": "in force",
        "LearningAndSkillsCouncil": "in force, repeal proposed",
        "School": "proposed",
        "College": "proposed",
        "JobcentrePlus": "proposed",
    }  # a unitary: no district councils
    assert all(r["partner"] == "" and r["takesPart"] == "" for r in rows)
    assert {(r["statedInLabel"], r["statedOn"]) for r in rows} == {
        ("seed 003 §3.25", "2009"),
        ("seed 003 fn 23", "2009"),
        ("seed 003 fn 5", "2009"),
    }
    assert {r["provision"] for r in rows} == {LEG + "ukpga/2004/31/section/10"}
    assert {r["confirmed"] for r in rows} == {"no"}  # asked for 2024: the last the 2009 guidance says
    in_2009 = answer(packaged_data, "relevant-partners", authority="Luton", date="2009-06-01")
    assert {r["kind"].split("#")[1]: (r["status"], r["confirmed"]) for r in in_2009} == {
        kind: (status, "yes") for kind, status in kinds.items()
    }


def test_a_county_s_districts_are_its_relevant_partners(packaged_data) -> None:
    rows = answer(packaged_data, "relevant-partners", authority="Essex")
    districts = [
        (r["partnerLabel"], r["partnerFrom"], r["partnerTo"])
        for r in rows
        if r["kind"] == "https://w3id.org/ecmgraph/def#DistrictCouncil"
    ]
    assert len(districts) == 12 and ("Rochford", "1974-04-01", "") in districts
    bedfordshire = answer(packaged_data, "relevant-partners", authority="E10000001")  # a county until 2009
    assert {(r["partnerLabel"], r["partnerTo"]) for r in bedfordshire if r["kind"].endswith("#DistrictCouncil")} == {
        ("Bedford", "2009-03-31"),
        ("Mid Bedfordshire", "2009-03-31"),
        ("South Bedfordshire", "2009-03-31"),
    }


def test_where_a_rule_comes_from() -> None:
    """With the shapes beside the data, a rule's shape gives the rule's sources, as file name and paragraph, and
    the day it is in force from, for each shape of the rule."""
    from ecmgraph import resources

    data = load_dataset([str(resources.data_dir()), str(resources.shapes_dir() / "ecm-rules.ttl")])
    rows = answer({"data": data}, "fact-sources", entity="https://w3id.org/ecmgraph/shapes#ECM001-vacant")
    shapes = {r["subject"] for r in rows}
    assert len(shapes) == 4 and all(s.startswith("https://w3id.org/ecmgraph/shapes#ECM001-") for s in shapes)
    for shape in shapes:
        of = [r for r in rows if r["subject"] == shape]
        assert {r["object"] for r in of if r["property"].endswith("#inForceFrom")} == {"2008-01-01"}
        cited = {(r["file"], r["paragraph"]) for r in of if r["property"] == "http://purl.org/dc/terms/source"}
        assert ("003_d41f3be8f1f7a191.txt", "§1.2") in cited and ("003_d41f3be8f1f7a191.txt", "fn 34") in cited
        assert {r["sourceLabel"] for r in of if r["object"] == LEG + "uksi/2007/1792"} == {
            "Children Act 2004 (Director of Children's Services) Appointed Day Order 2007"
        }


# --- the model says what the sources say (issue 14 item 4) -------------------------------------------------------

RESP = ID + "responsibility/"


def test_the_dcs_s_key_roles_are_one_row_per_lettered_item(packaged_data) -> None:
    """Seed 003 §3.17 lists nine key roles a) to i): nine rows, and the twenty points under them only on request."""
    rows = answer(packaged_data, "role-responsibilities", role="DCS")
    items = [(r["responsibility"], r["pointOf"]) for r in rows if r["paragraph"] == ID + "source/seed003/3.17"]
    assert items == [(f"{RESP}dcs/{n:03d}", "") for n in (18, 22, 30, 33, 36, 39, 44, 45, 46)]
    assert len(rows) == 64
    detailed = answer(packaged_data, "role-responsibilities", role="DCS", detail="points")
    points = {
        18: (19, 20, 21),
        22: tuple(range(23, 30)),
        30: (31, 32),
        33: (34, 35),
        36: (37, 38),
        39: (40, 41, 42, 43),
        44: (),
        45: (),
        46: (),
    }
    assert [(r["responsibility"], r["pointOf"]) for r in detailed if r["paragraph"] == ID + "source/seed003/3.17"] == [
        pair
        for item, under in points.items()
        for pair in [(f"{RESP}dcs/{item:03d}", ""), *((f"{RESP}dcs/{n:03d}", f"{RESP}dcs/{item:03d}") for n in under)]
    ]
    assert len(detailed) == 84
    assert {r["pointOfLabel"] for r in detailed if r["pointOf"] == f"{RESP}dcs/033"} == {
        "Safeguard and promote the welfare of children"
    }


def test_the_lead_member_s_and_the_lscb_s_lists_keep_their_items(packaged_data) -> None:
    lead_member = answer(packaged_data, "role-responsibilities", role="Lead Member for Children's Services")
    assert [r["responsibility"] for r in lead_member if r["paragraph"] == ID + "source/seed003/2.7"] == [
        f"{RESP}lead-member/{n:03d}" for n in (13, 14, 19, 23, 24, 25, 26, 27, 28)
    ]
    lscb = answer(packaged_data, "role-responsibilities", role="LSCB")
    assert [(r["responsibility"], r["paragraphLabel"]) for r in lscb] == [
        (f"{RESP}lscb/001", "seed 001 App. C (a)"),
        (f"{RESP}lscb/008", "seed 001 App. C (b)"),
        (f"{RESP}lscb/009", "seed 001 App. C (c)"),
        (f"{RESP}lscb/010", "seed 001 App. C (d)"),
        (f"{RESP}lscb/011", "seed 001 App. C (e)"),
        (f"{RESP}lscb/012", "seed 003 §3.32"),
        (f"{RESP}lscb/013", "seed 003 §3.34"),
    ]


def test_who_is_accountable_gives_an_item_for_its_points(packaged_data) -> None:
    rows = answer(packaged_data, "who-is-accountable", authority="Staffordshire", topic="safeguarding")
    from_3_17 = sorted({r["responsibility"] for r in rows if r["paragraph"] == ID + "source/seed003/3.17"})
    assert from_3_17 == [f"{RESP}dcs/033"]  # item d); its two points are about safeguarding too
    lscb = sorted({r["responsibility"] for r in rows if r["post"] == ID + "body/E10000028/lscb"})
    assert lscb == [f"{RESP}lscb/{n:03d}" for n in (1, 8, 9, 10, 11, 12, 13)]  # App. C (a)(i)-(vi) under (a)
    lscb_boards = answer(packaged_data, "who-is-accountable", authority="Staffordshire", topic="LSCB")
    assert f"{RESP}dcs/035" in {r["responsibility"] for r in lscb_boards}  # its item d) is not about the LSCB


def test_the_outcomes_a_partnership_serves_come_with_their_paragraph(packaged_data) -> None:
    rows = answer(packaged_data, "outcome-coverage", outcome="stay safe")
    bodies = [
        (r["whose"], r["whoseLabel"], r["responsibility"], r["paragraph"], r["paragraphLabel"])
        for r in rows
        if not r["responsibility"]
    ]
    assert bodies == [
        (
            ID + "body/E07000192/locality-board",
            "Locality Board, Cannock Chase",
            "",
            ID + "source/seed000/s4-4.1",
            "seed 000 Section 4 §4.1",
        ),
        (
            ID + "body/E10000028/childrens-trust",
            "Staffordshire Children's Trust",
            "",
            ID + "source/seed000/s1-p7",
            "seed 000 Section 1 ¶7",
        ),
    ]
    assert all(r["paragraph"] for r in rows)


def test_nottinghamshire_s_director_is_its_dcs_under_its_local_title(packaged_data) -> None:
    """Seed 002's Corporate Director for Children and Young People's Services is the DCS post, not a second post."""
    history = answer(packaged_data, "post-history", post="Corporate Director for Children and Young People's Services")
    assert [(r["knownOn"], r["holder"], r["holderName"]) for r in history] == [
        ("2009-01-21", ID + "person/anthony-may", "Anthony May")
    ]
    assert answer(packaged_data, "post-history", post="Director of Children's Services, Nottinghamshire") == history


def test_district_chains_end_at_their_own_council(packaged_data) -> None:
    """Cannock Chase's lead officer (its Head of Culture and Major Projects) and Rochford's Chief Executive answer,
    in the end, to their own district's full Council (seed 003 §3.44), never to the county's."""
    for authority, post, council in (
        ("Cannock Chase", "Head of Culture and Major Projects", ID + "body/E07000192/council"),
        ("Cannock Chase", "children's champion", ID + "body/E07000192/council"),
        ("Rochford", "Chief Executive", ID + "body/E07000075/council"),
    ):
        rows = answer(packaged_data, "accountability-chain", authority=authority, post=post)
        assert rows and rows[-1]["to"] == council, (authority, post, rows)
        code = council.split("/")[-2]
        assert all(f"/{code}/" in r["post"] and f"/{code}/" in r["to"] for r in rows), rows


def test_an_authority_s_own_assignment_of_a_function_answers_while_it_is_current() -> None:
    """Exampleton's scheme of delegation gave its education functions to the DASS from 2009-04-01 to 2010-06-30
    (an ecm:FunctionAssignment): who-is-accountable names the DASS for them on a day inside, not after."""
    from pathlib import Path

    path = Path(__file__).parent / "fixtures" / "rules" / "ECM019" / "fail-own-assignment-to-another-post.ttl"
    data = {"data": load_dataset([str(path)])}
    dass = ID + "post/E06999001/dass"

    def rows_of_dass(day: str) -> set[tuple[str, str]]:
        rows = answer(data, "who-is-accountable", authority="Exampleton", topic="education functions", date=day)
        return {(r["responsibility"], r["provision"]) for r in rows if r["post"] == dass}

    assert rows_of_dass("2010-01-01") == {
        ("https://w3id.org/ecmgraph/def#EducationFunctions", LEG + "ukpga/2004/31/section/18")
    }
    assert rows_of_dass("2011-01-01") == set()
