"""Names as people type them: lookup, `ecmgraph lookup` and `ecmgraph list`, and why an empty answer is empty."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from ecmgraph.engines import LocalEngine
from ecmgraph.errors import InputError, UnknownName
from ecmgraph.queries import (
    AmbiguousName,
    Resolver,
    explain_empty,
    get_query,
    list_names,
    look_up,
    match_tier,
    name_words,
)
from ecmgraph.store import load_dataset

DATA = str(Path(__file__).parent / "fixtures" / "queries" / "exampleshire.trig")
ID = "https://w3id.org/ecmgraph/id/"
EXAMPLESHIRE = ID + "authority/E10999999"
SAMPLE_VALE = ID + "authority/E07999998"
DAY = dt.date(2024, 6, 30)
EXAMPLE_AUTHORITY = ID + "authority/E10000028"  # Staffordshire, of the packaged data


@pytest.fixture(scope="module")
def dataset():
    return load_dataset([DATA])


@pytest.fixture(scope="module")
def packaged():
    return load_dataset([])


@pytest.fixture
def resolver(dataset) -> Resolver:
    return Resolver(LocalEngine(dataset))


# --- how names are compared -------------------------------------------------------------------------------------


def test_words_are_compared_without_case_punctuation_possessives_or_plurals() -> None:
    assert name_words("Director of Children's Services, Exampleshire") == name_words(
        "director of childrens service exampleshire"
    )
    assert name_words("DCS") == ("director", "of", "children", "service")
    assert name_words("Rochford DC") == ("rochford", "district", "council")
    assert name_words("Cllr Bea Sample") == ("councillor", "bea", "sample")


@pytest.mark.parametrize(
    ("value", "tier"),
    [
        ("Exampleshire County Council", 0),  # a label as it is written
        ("county council of exampleshire", 1),  # the same words, in another order, with a stop word
        ("Exampleshire CC", 1),  # an abbreviation
        ("exampleshire", 0),
        ("Mr Exampleshire", 1),  # a title is left aside
        ("Exampleshire Council", 1),  # 'council' is a stop word
        ("Sample Vale", None),
    ],
)
def test_match_tiers(value: str, tier: int | None) -> None:
    assert match_tier(value, ["Exampleshire", "Exampleshire County Council"]) == tier


# --- lookup tolerates what people type (each of these matched nothing before) ----------------------------------


@pytest.mark.parametrize(
    ("value", "kind", "expected"),
    [
        ("exampleshire cc", "authority", EXAMPLESHIRE),
        ("County Council of Exampleshire", "authority", EXAMPLESHIRE),
        ("The Exampleshire County Council", "authority", EXAMPLESHIRE),
        ("Sample Vale DC", "authority", SAMPLE_VALE),
        ("vale, sample", "authority", SAMPLE_VALE),
        ("Demoton BC", "authority", ID + "authority/E06999999"),
        ("Chief Executive of Sample Vale", "post", ID + "post/E07999998/chief-executive"),
        ("Sample Vale Chief Executive", "post", ID + "post/E07999998/chief-executive"),
        ("CE of Demoton", "post", ID + "post/E06999999/chief-executive"),
        ("DCS of Demoton", "post", ID + "post/E06999999/dcs"),
        ("LM Exampleshire", "post", ID + "post/E10999999/lead-member"),
        ("Director of Childrens Services, Exampleshire", "post", ID + "post/E10999999/dcs"),
        ("Demoton LSCB", "post-or-body", ID + "body/E06999999/lscb"),
        ("LSCB of Exampleshire", "post-or-body", ID + "body/E10999999/lscb"),
        ("Mr Alex Example", "person", ID + "person/alex-example"),
        ("Dr Chris Test", "person", ID + "person/chris-test"),
        ("Example, Alex", "person", ID + "person/alex-example"),
        ("Cllr Bea Sample", "person", ID + "person/bea-sample"),
        ("Councillor Bea Sample", "post-or-person", ID + "person/bea-sample"),
    ],
)
def test_names_as_people_type_them(resolver, value: str, kind: str, expected: str) -> None:
    assert resolver.resolve(value, kind, parameter="p") == expected


def test_an_exact_label_wins_over_one_with_the_same_words(resolver) -> None:
    # "Exampleshire Children's Trust" is a label; the Board's label has every one of its words too
    assert (
        resolver.resolve("Exampleshire Children's Trust", "post-or-body", parameter="p")
        == ID + "body/E10999999/childrens-trust"
    )
    assert (
        resolver.resolve("children's trust exampleshire", "post-or-body", parameter="p")
        == ID + "body/E10999999/childrens-trust"
    )


def test_a_post_of_an_authority_is_named_by_its_kind_and_the_authority(resolver) -> None:
    assert (
        resolver.resolve("Chief Executive of Exampleshire", "post-or-person", parameter="post", scope=EXAMPLESHIRE)
        == ID + "post/E10999999/chief-executive"
    )


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("Staffordshire CC", "authority/E10000028"),
        ("staffs", "authority/E10000028"),
        ("County Council of Staffordshire", "authority/E10000028"),
        ("Rochford DC", "authority/E07000075"),
        ("Newcastle under Lyme", "authority/E07000195"),
        ("Hull City Council", "authority/E06000010"),
    ],
)
def test_authorities_of_the_packaged_data_as_people_type_them(packaged, value: str, expected: str) -> None:
    assert Resolver(LocalEngine(packaged)).resolve(value, "authority", parameter="authority") == ID + expected


@pytest.mark.parametrize(
    ("value", "kind", "expected"),
    [
        ("Chief Executive of Rochford", "post", "post/E07000075/chief-executive"),
        ("CE Rochford DC", "post", "post/E07000075/chief-executive"),
        ("Mr Paul Warren", "person", "person/paul-warren"),
        ("Warren, Paul", "person", "person/paul-warren"),
        ("Leicestershire LSCB", "post-or-body", "body/E10000018/lscb"),
    ],
)
def test_posts_people_and_bodies_of_the_packaged_data(packaged, value: str, kind: str, expected: str) -> None:
    assert Resolver(LocalEngine(packaged)).resolve(value, kind, parameter="p") == ID + expected


def test_ambiguity_lists_what_tells_the_candidates_apart(resolver) -> None:
    with pytest.raises(AmbiguousName) as caught:
        resolver.resolve("Newtown", "authority", parameter="authority")
    assert caught.value.one_line() == (
        "parameter authority: 'Newtown' matches 2 things: "
        f"'Newtown' (unitary authority, E06999996) <{ID}authority/E06999996>; "
        f"'Newtown' (unitary authority, E06999997) <{ID}authority/E06999997> "
        "(hint: give one of them: its full name, its code or its IRI)"
    )


def test_ambiguous_posts_are_told_apart_by_their_authority(resolver) -> None:
    with pytest.raises(AmbiguousName) as caught:
        resolver.resolve("Cllr Bea Sample", "post", parameter="post")
    assert caught.value.message == (
        "parameter post: 'Cllr Bea Sample' matches 2 things: "
        f"'Councillor (Bea Sample), Exampleshire County Council' (councillor, Exampleshire) "
        f"<{ID}post/E10999999/councillor-bea-sample>; "
        f"'Councillor (Bea Sample), Sample Vale District Council' (councillor, Sample Vale) "
        f"<{ID}post/E07999998/councillor-bea-sample>"
    )


def test_no_match_suggests_the_most_similar_names_not_the_alphabetically_nearest(resolver) -> None:
    with pytest.raises(UnknownName) as caught:
        resolver.resolve("Exampelshire", "authority", parameter="authority")
    assert caught.value.hint == f"closest: 'Exampleshire' (county council) <{EXAMPLESHIRE}>"
    with pytest.raises(UnknownName) as caught:
        resolver.resolve("Demotn Borogh", "authority", parameter="authority")
    assert (caught.value.hint or "").startswith(f"closest: 'Demoton' (unitary authority) <{ID}authority/E06999999>")
    with pytest.raises(UnknownName) as caught:
        resolver.resolve("zzzz qqqq", "authority", parameter="authority")
    assert caught.value.hint == "no label is close; give an IRI, or a name: 'ecmgraph list authorities' lists them"


def test_names_looked_up_after_every_thing_was_read_give_the_candidates_a_query_gives(packaged) -> None:
    from ecmgraph.queries.lookup import LOOKUPS

    words = ["staff", "chief", "children", "safe", "lscb", "e10000028", "director of", "é", "council", "zz-none"]
    for kind in sorted(LOOKUPS):
        fresh, warm = Resolver(LocalEngine(packaged)), Resolver(LocalEngine(packaged))
        every = warm.candidates(kind)  # read whole: the words below are then looked for among its rows
        own = [every[0].labels[0].split()[0].lower(), every[-1].labels[-1][-4:].lower()]  # words that match
        for word in [*words, *own]:
            assert warm.candidates(kind, word=word) == fresh.candidates(kind, word=word), (kind, word)
        assert all(warm.candidates(kind, word=w) for w in own) and not warm.candidates(kind, word="zz-none"), kind


def test_a_name_within_an_authority_is_matched_among_its_things_read_alone(packaged) -> None:
    from ecmgraph.queries.lookup import LOOKUPS

    asked: list[str] = []

    class Counting(LocalEngine):
        def query(self, text, bindings=None, *, source="<query>", prefixes=None):  # type: ignore[no-untyped-def]
            asked.append(text)
            return super().query(text, bindings, source=source, prefixes=prefixes)

    warm = Resolver(LocalEngine(packaged))
    authorities = [c.iri for c in warm.candidates("authority")][::4] + [EXAMPLE_AUTHORITY]
    scoped = sorted(kind for kind, lookup in LOOKUPS.items() if lookup.scoped)
    assert scoped == ["body", "post", "post-or-body", "post-or-person", "role"]
    for kind in scoped:
        every = warm.candidates(kind)
        for authority in authorities:
            strict = LOOKUPS[kind].strict
            kept = [c for c in every if authority in c.scopes or (not strict and not c.scopes)]
            assert Resolver(Counting(packaged)).within(kind, authority) == kept, (kind, authority)
            assert warm.within(kind, authority) == kept, (kind, authority)  # from the rows read already
    asked.clear()
    fresh = Resolver(Counting(packaged))
    found = fresh.search("DCS", "post", scope=ID + "authority/E10000028")
    assert [c.iri for c in found.candidates] == [ID + "post/E10000028/dcs"]
    posts = [text for text in asked if "org:Post" in text]  # the lookups of posts it ran: never one of every post
    assert len(posts) == 2 and all("VALUES ?thing" in text or "FILTER(?scope IN" in text for text in posts)


def test_a_name_with_its_authority_finds_what_reading_every_thing_finds(packaged) -> None:
    from ecmgraph.queries.lookup import LOOKUPS

    authorities = Resolver(LocalEngine(packaged)).candidates("authority")
    names = [
        f"{post}{joint}{sorted(a.labels, key=len)[-1]}"
        for a in authorities[::8] + [a for a in authorities if a.iri.endswith(("E10000028", "E10000012", "E07000192"))]
        for post in ("DCS", "Chief Executive", "Lead Member for Children's Services", "Cabinet")
        for joint in (", ", " of ")
    ] + ["Zzqx, Staffordshire"]
    for kind in sorted(k for k, lookup in LOOKUPS.items() if lookup.scoped):
        narrowed, warm = Resolver(LocalEngine(packaged)), Resolver(LocalEngine(packaged))
        warm.candidates(kind)  # every thing read: what the name is matched against without narrowing
        found = [narrowed.search(name, kind) for name in names]
        assert found == [warm.search(name, kind) for name in names], kind
        assert kind == "role" or any(f.resolved for f in found), kind  # roles: kinds, not named with a place
    reads: list[str] = []

    class Counting(LocalEngine):
        def query(self, text, bindings=None, *, source="<query>", prefixes=None):  # type: ignore[no-untyped-def]
            reads.append(text)
            return super().query(text, bindings, source=source, prefixes=prefixes)

    found_one = Resolver(Counting(packaged)).search("Chief Executive, Staffordshire County Council", "post")
    assert [c.iri for c in found_one.candidates] == [ID + "post/E10000028/chief-executive"]
    posts = [text for text in reads if "org:Post" in text]
    assert posts and all("VALUES ?thing" in text or "FILTER" in text for text in posts)  # never every post


# --- ecmgraph lookup and ecmgraph list ----------------------------------------------------------------------------


def test_look_up_one_thing(dataset) -> None:
    answer = look_up(LocalEngine(dataset), "Chief Executive of Sample Vale")
    assert answer.status == "resolved"
    assert [[str(t) if t is not None else None for t in row] for row in answer.table.rows] == [
        [
            '"Chief Executive, Sample Vale District Council"',
            '"Chief Executive"',
            '"Sample Vale"',
            None,
            None,
            f"<{ID}post/E07999998/chief-executive>",
        ]
    ]


def test_look_up_prefers_the_best_match_of_any_kind(dataset) -> None:
    answer = look_up(LocalEngine(dataset), "Exampleshire")
    assert answer.status == "resolved" and answer.table.rows[0][-1].value == EXAMPLESHIRE


def test_look_up_is_refused_for_an_unknown_kind_or_an_empty_name(dataset) -> None:
    with pytest.raises(InputError):
        look_up(LocalEngine(dataset), "Exampleshire", kind="colour")
    with pytest.raises(InputError):
        look_up(LocalEngine(dataset), "  ")


def test_lookup_command_resolved(run, monkeypatch) -> None:
    monkeypatch.setenv("COLUMNS", "100")
    result = run(["lookup", "exampleshire cc", DATA])
    assert result.exit_code == 0
    assert result.stdout == (
        "label         kind            code       existed          iri\n"
        "------------  --------------  ---------  ---------------  -------------------------\n"
        "Exampleshire  county council  E10999999  from 1974-04-01  ecmid:authority/E10999999\n"
        "(1 row)\n"
    )
    assert result.stderr == "'exampleshire cc' names one thing (matched: same words)\n"


def test_lookup_command_candidates(run, monkeypatch) -> None:
    monkeypatch.setenv("COLUMNS", "100")
    result = run(["lookup", "Newtown", DATA])
    assert result.exit_code == 0
    assert result.stdout == (
        "label    kind               code       existed                   iri\n"
        "-------  -----------------  ---------  ------------------------  -------------------------\n"
        "Newtown  unitary authority  E06999996  from 2019-04-01           ecmid:authority/E06999996\n"
        "Newtown  unitary authority  E06999997  1996-04-01 to 2019-03-31  ecmid:authority/E06999997\n"
        "(2 rows)\n"
    )
    assert result.stderr == (
        "'Newtown' names 2 things: give one of them by its label with its authority, its code or its IRI\n"
    )


def test_lookup_command_closest(run) -> None:
    result = run(["lookup", "Exampelshire", DATA, "--no-reference", "--kind", "authority", "--format", "csv"])
    assert result.exit_code == 0
    assert (
        result.stdout == "label,kind,authority,code,existed,iri\n"
        f"Exampleshire,county council,,E10999999,from 1974-04-01,{EXAMPLESHIRE}\n"
    )
    assert result.stderr == "nothing is named 'Exampelshire'; the 1 closest name is listed\n"


def test_a_rule_id_is_pointed_to_the_rules_not_matched_to_a_gss_code(run, resolver) -> None:
    """'ECM001' is not a name in the data: the answer says where rules are shown, and offers no E06000001."""
    result = run(["lookup", "ecm001", "--format", "csv"])
    assert result.exit_code == 0
    assert result.stdout == "label,kind,authority,code,existed,iri\n"
    assert result.stderr == (
        "nothing is named 'ecm001': ECM001 is one of ecmgraph's rules, not a name in the data: "
        "'ecmgraph rules ECM001' shows its text, sources and in-force dates\n"
    )
    with pytest.raises(UnknownName) as caught:
        resolver.resolve("ECM014", "entity", parameter="entity")
    assert (caught.value.hint or "").startswith("ECM014 is one of ecmgraph's rules")


def test_list_authorities_sorted_with_their_county(run) -> None:
    result = run(["list", "authorities", DATA, "--no-reference", "--format", "csv"])
    assert result.exit_code == 0
    assert result.stdout.splitlines() == [
        "label,kind,authority,code,existed,iri",
        f"Demoton,unitary authority,,E06999999,from 1998-04-01,{ID}authority/E06999999",
        f"Exampleshire,county council,,E10999999,from 1974-04-01,{EXAMPLESHIRE}",
        f"Newtown,unitary authority,,E06999996,from 2019-04-01,{ID}authority/E06999996",
        f"Newtown,unitary authority,,E06999997,1996-04-01 to 2019-03-31,{ID}authority/E06999997",
        f"Old Testbury,district council,Exampleshire,E07999999,1974-04-01 to 2009-03-31,{ID}authority/E07999999",
        f"Sample Vale,district council,Exampleshire,E07999998,from 1974-04-01,{SAMPLE_VALE}",
    ]


def test_list_people_of_one_authority(run, monkeypatch) -> None:
    monkeypatch.setenv("COLUMNS", "100")
    result = run(["list", "people", "--authority", "Sample Vale DC", DATA])
    assert result.exit_code == 0
    assert result.stdout == (
        "label       kind    authority                  iri\n"
        "----------  ------  -------------------------  -----------------------\n"
        "Bea Sample  person  Exampleshire, Sample Vale  ecmid:person/bea-sample\n"
        "Fran Mock   person  Sample Vale                ecmid:person/fran-mock\n"
        "Gus Dummy   person  Sample Vale                ecmid:person/gus-dummy\n"
        "(3 rows)\n"
    )


@pytest.mark.parametrize(
    ("what", "labels"),
    [
        ("topics", ["Education", "Safeguarding children", "Youth justice"]),
        (
            "bodies",
            [
                "Cabinet, Exampleshire County Council",
                "Children's Scrutiny Committee, Exampleshire County Council",
                "Demoton Children's Trust Board",
                "Demoton Safeguarding Children Board",
                "Exampleshire Children's Trust",
                "Exampleshire Children's Trust Board",
                "Exampleshire County Council (full Council)",
                "Exampleshire Safeguarding Children Board",
                "Sample Vale District Council (full Council)",
                "Sample Vale Locality Board",
            ],
        ),
    ],
)
def test_list_each_kind(dataset, what: str, labels: list[str]) -> None:
    assert [row[0].value for row in list_names(LocalEngine(dataset), what).rows] == labels


def test_list_with_an_unknown_authority_is_exit_3(run) -> None:
    result = run(["list", "posts", "--authority", "Nowhereshire", DATA])
    assert result.exit_code == 3 and result.stdout == ""
    assert result.stderr.startswith("Error: parameter --authority: no authority matches 'Nowhereshire'")


# --- an empty answer says why --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("args", "line"),
    [
        (
            ["relevant-partners", "-p", "authority", "Sample Vale"],
            "No rows: the rule does not apply: Sample Vale is a district council, not a children's services authority, "
            "and only children's services authorities have relevant partners (Children Act 2004, section 10); ask about "
            "its county, Exampleshire.",
        ),
        (
            ["lscb-membership", "-p", "authority", "Old Testbury", "--as-of", "2024-06-30"],
            "No rows: Old Testbury did not exist on 2024-06-30: it existed from 1974-04-01 until 2009-03-31.",
        ),
        (
            ["scrutiny-bodies", "-p", "authority", "Demoton"],
            "No rows: no overview and scrutiny committee of Demoton is recorded.",
        ),
        (
            ["post-history", "-p", "post", "lead officer of sample vale"],
            "No rows: no holder or vacancy of Lead officer for children, Sample Vale District Council is recorded.",
        ),
        (
            [
                "who-is-accountable",
                "-p",
                "authority",
                "Exampleshire",
                "-p",
                "topic",
                "education functions",
                "--as-of",
                "2024-06-30",
            ],
            "No rows: no responsibility in the data concerns the function education functions, and no post or body is "
            "recorded as accountable for it.",
        ),
        (
            ["person-bodies", "-p", "person", "Gus Dummy"],
            "No rows: Gus Dummy sits on no body in the data, as a member or through a post.",
        ),
        (
            ["person-bodies", "-p", "person", "Bea Sample", "-p", "date", "2000-01-01"],
            "No rows: Bea Sample sat on no body on 2000-01-01: the seats recorded are on other days.",
        ),
    ],
)
def test_an_empty_answer_says_why_on_stderr(run, args: list[str], line: str) -> None:
    result = run(["query", "run", *args, DATA, "--no-reference", "--format", "csv"])
    assert result.exit_code == 0
    assert len(result.stdout.splitlines()) == 1  # the header, no rows
    assert result.stderr == line + "\n"


def test_an_answer_with_rows_says_nothing_on_stderr(run) -> None:
    result = run(["query", "run", "relevant-partners", "-p", "authority", "Exampleshire", DATA, "--format", "csv"])
    assert result.exit_code == 0 and result.stderr == ""


def test_an_authority_described_only_by_its_name(packaged) -> None:
    line = explain_empty(get_query("scrutiny-bodies"), {"authority": "Rochford"}, LocalEngine(packaged))
    assert line == "no overview and scrutiny committee of Rochford is recorded"
    line = explain_empty(get_query("relevant-partners"), {"authority": "Tamworth"}, LocalEngine(packaged))
    assert line.startswith("the rule does not apply: Tamworth is a district council")
    line = explain_empty(get_query("scrutiny-bodies"), {"authority": "Hull City Council"}, LocalEngine(packaged))
    assert line == (
        "the data records nothing about Kingston upon Hull, City of but its name, code and area: no "
        "posts, bodies or partners ('ecmgraph stats' lists the authorities it describes)"
    )
