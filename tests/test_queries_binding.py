"""Parameters: label lookup (match, no match, ambiguous), binding as RDF terms, and SPARQL injection made inert."""

from __future__ import annotations

import datetime as dt
import random
import re
from pathlib import Path

import pyoxigraph as ox
import pytest

import ecmgraph
from ecmgraph.engines import LocalEngine
from ecmgraph.errors import EcmgraphError, InputError, QuerySyntaxError, UnknownName
from ecmgraph.queries import (
    AmbiguousName,
    Resolver,
    bind_parameters,
    bound_text,
    catalogue,
    expand_iri,
    get_query,
    load_query_file,
    normalise_label,
    parameter_values,
)
from ecmgraph.sparql_text import bind_values, code_mask, declare_prefixes, lateral_optionals, run_query, values_clause
from ecmgraph.store import load_dataset

HERE = Path(__file__).parent / "fixtures" / "queries"
DATA = HERE / "exampleshire.trig"
ID = "https://w3id.org/ecmgraph/id/"
EXAMPLESHIRE = ID + "authority/E10999999"
DAY = dt.date(2024, 6, 30)


@pytest.fixture(scope="module")
def dataset():
    return load_dataset([str(DATA)])


@pytest.fixture
def resolver(dataset) -> Resolver:
    return Resolver(LocalEngine(dataset))


# --- label lookup ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "value",
    [
        "Exampleshire",
        "exampleshire",
        "EXAMPLESHIRE",
        "  Exampleshire  ",
        "Exampleshire County Council",
        "exampleshire county council",
        "E10999999",
        "e10999999",
        EXAMPLESHIRE,
        f"<{EXAMPLESHIRE}>",
        "ecmid:authority/E10999999",
    ],
)
def test_an_authority_by_label_alternative_label_code_or_iri(resolver, value: str) -> None:
    assert resolver.resolve(value, "authority", parameter="authority") == EXAMPLESHIRE


def test_every_way_of_naming_gives_the_same_rows(dataset) -> None:
    answers = {
        value: ecmgraph.query("who-is-accountable", {"authority": value, "topic": topic}, today=DAY, data=dataset).rows
        for value in ("Exampleshire", "E10999999", "exampleshire", EXAMPLESHIRE)
        for topic in ("safeguarding", "Safeguarding", "child protection", ID + "topic/safeguarding")
    }
    assert len(set(answers.values())) == 1 and next(iter(answers.values()))


def test_curly_and_straight_apostrophes_are_the_same(resolver) -> None:
    assert normalise_label("Children\u2019s  Services") == normalise_label("children's services")
    assert (
        resolver.resolve(
            "Elected Member for Children\u2019s Services, Sample Vale District Council", "post", parameter="post"
        )
        == ID + "post/E07999998/childrens-champion"
    )


def test_whole_words_inside_a_label_match_when_only_one_thing_has_them(resolver) -> None:
    assert resolver.resolve("Sample", "authority", parameter="authority") == ID + "authority/E07999998"


def test_no_match_is_an_unknown_name_with_the_closest_labels(resolver) -> None:
    with pytest.raises(UnknownName) as caught:
        resolver.resolve("Exampelshire", "authority", parameter="authority")
    error = caught.value
    assert error.exit_code == 3
    assert "no authority matches 'Exampelshire'" in error.message
    assert "Exampleshire" in (error.hint or "") and EXAMPLESHIRE in (error.hint or "")


def test_an_iri_of_the_wrong_kind_is_refused(resolver) -> None:
    with pytest.raises(UnknownName) as caught:
        resolver.resolve(ID + "region/E12999999", "authority", parameter="authority")
    assert "is not an authority in the data" in caught.value.message


def test_several_matches_are_named_and_one_is_asked_for(resolver) -> None:
    with pytest.raises(AmbiguousName) as caught:
        resolver.resolve("Newtown", "authority", parameter="authority")
    error = caught.value
    assert error.exit_code == 3
    assert "matches 2 things" in error.message
    assert ID + "authority/E06999996" in error.message and ID + "authority/E06999997" in error.message
    assert "give one of them" in (error.hint or "")


def test_among_same_named_authorities_the_one_existing_on_the_date_is_taken(resolver) -> None:
    newtown = ID + "authority/E0699999"
    assert resolver.resolve("Newtown", "authority", parameter="a", day=dt.date(2024, 1, 1)) == newtown + "6"
    assert resolver.resolve("Newtown", "authority", parameter="a", day=dt.date(2010, 1, 1)) == newtown + "7"


def test_a_query_without_a_date_asks_which_newtown(dataset) -> None:
    with pytest.raises(AmbiguousName):
        ecmgraph.query("scrutiny-bodies", {"authority": "Newtown"}, data=dataset)


def test_a_topic_is_preferred_to_a_function_of_the_same_label(resolver) -> None:
    # "education" is an alternative label of the topic and of ecm:EducationFunctions
    assert resolver.resolve("education", "topic", parameter="topic") == ID + "topic/education"
    assert (
        resolver.resolve("education functions", "topic", parameter="topic")
        == "https://w3id.org/ecmgraph/def#EducationFunctions"
    )


def test_a_kind_of_post_is_preferred_to_one_authority_s_post(resolver) -> None:
    assert (
        resolver.resolve("Lead Member for Children's Services", "role", parameter="role")
        == "https://w3id.org/ecmgraph/def#LeadMemberForChildrensServices"
    )


def test_a_post_named_by_its_kind_within_an_authority(resolver) -> None:
    assert resolver.resolve("DCS", "post-or-person", parameter="post", scope=EXAMPLESHIRE) == ID + "post/E10999999/dcs"
    assert (
        resolver.resolve("Bea Sample", "post-or-person", parameter="post", scope=EXAMPLESHIRE)
        == ID + "person/bea-sample"
    )
    with pytest.raises(AmbiguousName):  # two DCS posts in the data
        resolver.resolve("DCS", "post", parameter="post")
    with pytest.raises(UnknownName):  # Demoton's DCS is not a post of Exampleshire
        resolver.resolve(ID + "post/E06999999/dcs", "post-or-person", parameter="post", scope=EXAMPLESHIRE)


def test_any_thing_the_data_mentions_is_an_entity(resolver) -> None:
    tenure = ID + "tenure/E10999999/dcs/1"
    assert resolver.resolve(tenure, "entity", parameter="entity") == tenure
    with pytest.raises(UnknownName):
        resolver.resolve(ID + "tenure/nowhere", "entity", parameter="entity")


def test_prefixed_names_expand_with_ecmgraph_s_prefixes() -> None:
    assert expand_iri("ecm:StaySafe") == "https://w3id.org/ecmgraph/def#StaySafe"
    assert expand_iri("ecmid:post/E10000028/dcs") == ID + "post/E10000028/dcs"
    assert expand_iri("Staffordshire") is None and expand_iri("nope:thing") is None
    assert expand_iri("Improving outcomes: all children") is None


# --- binding ---------------------------------------------------------------------------------------------------


def test_values_are_bound_as_typed_rdf_terms(dataset) -> None:
    terms = bind_parameters(
        get_query("who-is-accountable"),
        {"authority": "Exampleshire", "topic": "safeguarding", "date": "2010-01-01"},
        LocalEngine(dataset),
    )
    assert terms == {
        "_authority_iri": ox.NamedNode(EXAMPLESHIRE),
        "_topic_iri": ox.NamedNode(ID + "topic/safeguarding"),
        "__date_xsd_date": ox.Literal("2010-01-01", datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#date")),
    }


def test_defaults_fill_in_and_today_means_today(dataset) -> None:
    terms = bind_parameters(get_query("vacant-posts"), {}, LocalEngine(dataset), today=DAY)
    assert terms["__date_xsd_date"].value == "2024-06-30"
    assert bind_parameters(get_query("vacant-posts"), {"date": "Today"}, None, today=DAY) == terms


def test_an_optional_parameter_left_out_is_left_unbound() -> None:
    assert bind_parameters(get_query("outcome-coverage"), {}) == {}


def test_a_value_outside_enumerate_is_refused() -> None:
    with pytest.raises(InputError) as caught:
        bind_parameters(get_query("outcome-coverage"), {"outcome": "https://w3id.org/ecmgraph/def#Breach"})
    assert "https://w3id.org/ecmgraph/def#StaySafe" in (caught.value.hint or "")


@pytest.mark.parametrize(
    ("values", "error", "message"),
    [
        ({"authority": "Exampleshire"}, InputError, "needs topic"),
        (
            {"authority": "Exampleshire", "topic": "safeguarding", "colour": "blue"},
            UnknownName,
            "no parameter 'colour'",
        ),
        ({"authority": "Exampleshire", "topic": "safeguarding", "date": "30/06/2024"}, InputError, "is not a date"),
    ],
)
def test_bad_values_are_input_errors(dataset, values, error, message) -> None:
    with pytest.raises(error) as caught:
        bind_parameters(get_query("who-is-accountable"), values, LocalEngine(dataset))
    assert message in caught.value.message
    assert caught.value.exit_code == 3


def test_command_line_values_and_as_of() -> None:
    query = get_query("vacant-posts")
    assert parameter_values(query, [], dt.date(2010, 1, 2)) == {"date": "2010-01-02"}
    assert parameter_values(query, [("date", "2010-01-02")], dt.date(2010, 1, 2)) == {"date": "2010-01-02"}
    with pytest.raises(InputError):
        parameter_values(query, [("date", "2011-01-01")], dt.date(2010, 1, 2))
    with pytest.raises(InputError):
        parameter_values(query, [("date", "2011-01-01"), ("date", "2012-01-01")])
    with pytest.raises(UnknownName) as caught:
        parameter_values(get_query("fact-sources"), [("entity", "x")], dt.date(2010, 1, 2))
    assert "not answered as at a date" in caught.value.message


def test_without_data_a_name_cannot_be_looked_up_but_an_iri_binds() -> None:
    text = bound_text("scrutiny-bodies", {"authority": EXAMPLESHIRE})
    assert f"VALUES (?_authority_iri) {{ (<{EXAMPLESHIRE}>) }}" in text
    with pytest.raises(UnknownName):
        bound_text("scrutiny-bodies", {"authority": "Exampleshire"})


def test_bind_values_skips_comments_strings_and_iris() -> None:
    query = (
        "#+ description: a header line that says where { in words\n"
        "SELECT ?x # not here: where {\n"
        'WHERE { ?x <http://example.org/where{> "WHERE {" }'
    )
    bound = bind_values(query, {"x": ox.NamedNode("http://example.org/a")})
    assert bound.index("VALUES") > bound.index("\nWHERE {") > bound.index("not here")
    assert bound.count("VALUES") == 1
    assert bound.splitlines()[0].startswith("#+ description")
    assert "where {" not in code_mask(query).splitlines()[0]


def test_the_mask_can_keep_where_each_term_stands() -> None:
    query = 'SELECT * WHERE { <http://e/x> ?p """a\n{b""" . # c {\n}'
    blank = code_mask(query)
    assert blank == "SELECT * WHERE { " + " " * 12 + " ?p " + " " * 4 + "\n" + " " * 5 + " . " + " " * 5 + "\n}"
    kept = code_mask(query, keep_ends=True)
    assert kept == "SELECT * WHERE { <" + "_" * 10 + '> ?p "___\n____" . ' + " " * 5 + "\n}"


def test_a_sub_select_gets_the_values_it_names_and_a_group_naming_none_gets_none(dataset) -> None:
    query = (
        "SELECT ?post WHERE {\n"
        "  { SELECT ?post WHERE { ?post <http://www.w3.org/ns/org#postIn> ?_authority_iri } LIMIT 1000 }\n"
        "}"
    )
    authority = {"_authority_iri": ox.NamedNode(EXAMPLESHIRE)}
    bound = bind_values(query, authority)
    block = f"VALUES (?_authority_iri) {{ (<{EXAMPLESHIRE}>) }}"
    assert bound.count(block) == 1
    assert bound.index(block) > bound.index("{ SELECT ?post WHERE {")
    posts = {row[0] for row in run_query(dataset, query, bindings=authority).rows}
    assert posts and all(str(post).startswith("<https://w3id.org/ecmgraph/id/post/E10999999/") for post in posts)
    # The outer group naming the variable too (a comment or an IRI does not count) gets the block as well.
    outer = query.replace("SELECT ?post WHERE {\n", "SELECT ?post WHERE {\n  # ?_post_iri <urn:?x>\n", 1)
    both = bind_values(outer.replace("\n}", "\n  FILTER(?_authority_iri != ?post)\n}"), authority)
    assert both.count(block) == 2
    assert bind_values(outer, {**authority, "_post_iri": ox.NamedNode(EXAMPLESHIRE)}).count("VALUES") == 1


def test_prefixes_are_declared_for_a_remote_endpoint_unless_the_query_does() -> None:
    text = declare_prefixes(
        "PREFIX ecm: <urn:mine#>\nSELECT * WHERE { ?s a ecm:X ; org:p ?o }",
        {"ecm": "https://w3id.org/ecmgraph/def#", "org": "http://www.w3.org/ns/org#"},
    )
    assert text.startswith("PREFIX org: <http://www.w3.org/ns/org#>\nPREFIX ecm: <urn:mine#>")
    assert "ecmgraph/def#" not in text


def test_the_lateral_hint_wraps_the_marked_optional_and_nothing_else() -> None:
    query = (
        "SELECT * WHERE {\n"
        "  ?p a <urn:Post> .\n"
        "  # ecmgraph: lateral\n"
        '  OPTIONAL { ?t <urn:post> ?p . OPTIONAL { ?t <urn:note> "a } in a string" } }\n'
        "  OPTIONAL { ?p <urn:label> ?l }\n"
        '  FILTER(?l != "# ecmgraph: lateral\n  OPTIONAL {")\n'
        "}"
    )
    text = lateral_optionals(query)
    assert (
        'LATERAL { OPTIONAL { ?t <urn:post> ?p . OPTIONAL { ?t <urn:note> "a } in a string" } } }\n'
        "  OPTIONAL { ?p <urn:label> ?l }\n"
    ) in text
    assert text.count("LATERAL") == 1 and text.count("\n") == query.count("\n")
    assert lateral_optionals("SELECT * WHERE { OPTIONAL { ?s ?p ?o } }") == "SELECT * WHERE { OPTIONAL { ?s ?p ?o } }"


def test_nested_lateral_hints_each_wrap_their_own_optional() -> None:
    query = (
        "SELECT * WHERE { ?p a <urn:Post> .\n"
        "# ecmgraph: lateral\n"
        "OPTIONAL { ?t <urn:post> ?p .\n"
        "  # ecmgraph: lateral\n"
        "  OPTIONAL { ?t <urn:holder> ?h } } }"
    )
    assert lateral_optionals(query) == (
        "SELECT * WHERE { ?p a <urn:Post> .\n"
        "# ecmgraph: lateral\n"
        "LATERAL { OPTIONAL { ?t <urn:post> ?p .\n"
        "  # ecmgraph: lateral\n"
        "  LATERAL { OPTIONAL { ?t <urn:holder> ?h } } } } }"
    )


HINTED = sorted(name for name, query in catalogue().items() if "# ecmgraph: lateral" in query.text)


HINTED_VALUES = {"accountability-chain": {"authority": EXAMPLESHIRE, "post": ID + "post/E10999999/dcs"}}


@pytest.mark.parametrize("name", HINTED)
def test_a_query_with_lateral_hints_gives_the_rows_it_gives_without_them(dataset, name: str) -> None:
    query = get_query(name)
    for day in ("2024-06-30", "2010-06-01"):
        terms = bind_parameters(query, {**HINTED_VALUES[name], "date": day}, LocalEngine(dataset))
        hinted = run_query(dataset, query.text, bindings=terms)
        plain = run_query(dataset, query.text.replace("# ecmgraph: lateral", "#"), bindings=terms)
        assert hinted.rows == plain.rows and hinted.rows


def test_the_packaged_query_that_needs_the_lateral_hint_carries_it() -> None:
    assert HINTED == ["accountability-chain"]


# --- SPARQL injection --------------------------------------------------------------------------------------------

INJECTIONS = [
    'x" } ; DROP ALL #',
    "x' } ; DROP ALL #",
    '"""\n} DELETE WHERE { ?s ?p ?o } #',
    "> } INSERT DATA { <urn:a> <urn:b> <urn:c> } #",
    "http://example.org/a> } DROP ALL { <urn:x",
    "http://example.org/a>}DROP",
    'Exampleshire" } UNION { ?s ?p ?o } #',
    "?_authority_iri",
    '2024-06-30"^^<urn:x> } DROP ALL #',
    "\\u0022 } DROP ALL #",
]


def _quads(dataset) -> set:
    return set(dataset.store)


@pytest.mark.parametrize("name", sorted(catalogue()))
def test_injection_in_every_parameter_is_inert(dataset, name: str) -> None:
    """Every value is one RDF term or an input error: no syntax error, no change to the data, no extra rows."""
    query = get_query(name)
    before = _quads(dataset)
    for p in query.parameters:
        for attack in INJECTIONS:
            values = {q.name: v for q, v in ((q, query.example.get(q.name)) for q in query.parameters) if v}
            values = {k: v for k, v in values.items() if k != p.name}
            values[p.name] = attack
            try:
                table = ecmgraph.query(query, values, today=DAY, data=dataset)
            except QuerySyntaxError as exc:  # the value reached the query text
                pytest.fail(f"{name}: {p.name}={attack!r} made the query not parse: {exc}")
            except EcmgraphError as exc:
                assert exc.exit_code == 3, (name, p.name, attack)
            else:
                assert table.rows == (), (name, p.name, attack)
    assert _quads(dataset) == before


def test_an_injected_string_is_one_literal_that_matches_nothing(dataset) -> None:
    query = load_query_file(HERE / "custom" / "label-search.rq")
    before = _quads(dataset)
    assert [str(r[0]) for r in ecmgraph.query(query, {"label": "Exampleshire"}, data=dataset).rows] == [
        f"<{EXAMPLESHIRE}>"
    ]
    for attack in INJECTIONS:
        assert ecmgraph.query(query, {"label": attack}, data=dataset).rows == ()
        text = bound_text(query, {"label": attack})
        assert text.count("VALUES") == 1 and "DROP ALL" not in code_mask(text)
    assert _quads(dataset) == before


def test_values_clause_writes_each_value_as_one_escaped_term() -> None:
    clause = values_clause({"label": ox.Literal('x" } ; DROP ALL #')})
    assert clause == 'VALUES (?label) { ("x\\" } ; DROP ALL #") }'
    with pytest.raises(ValueError):
        values_clause({"not a name": ox.Literal("x")})
    with pytest.raises(ValueError):
        ox.NamedNode("http://example.org/a> } DROP ALL { <urn:x")


def test_an_update_is_refused_even_behind_a_header(dataset) -> None:
    with pytest.raises(QuerySyntaxError):
        run_query(dataset, "#+ summary: sneaky\n# another comment\nDROP ALL")


def _scanned_mask(query: str) -> str:
    """The code mask by a plain scan, character by character: what :func:`code_mask` must give."""
    out, i, n = list(query), 0, len(query)
    iri = re.compile(r'<[^<>"{}|^`\\\x00-\x20]*>')

    def blank(start: int, end: int) -> None:
        out[start:end] = ["\n" if c == "\n" else " " for c in query[start:end]]

    while i < n:
        if query[i] == "#":
            end = query.find("\n", i)
            end = n if end < 0 else end
        elif query[i] in "\"'":
            quote = query[i : i + 3] if query[i : i + 3] in ('"""', "'''") else query[i]
            j = i + len(quote)
            while j < n and query[j : j + len(quote)] != quote:
                j += 2 if query[j] == "\\" else 1
            end = min(n, j + len(quote))
        elif query[i] == "<" and (match := iri.match(query, i)):
            end = match.end()
        else:
            i += 1
            continue
        blank(i, end)
        i = end
    return "".join(out)


def test_the_code_mask_blanks_comments_strings_and_iris_and_keeps_newlines() -> None:
    query = "SELECT * # where {\nWHERE { ?s <urn:a#b> \"x { \\\" }\" , '''a\nb''' . FILTER(?a < ?b) }"
    expected = "SELECT *" + " " * 10 + "\nWHERE { ?s " + " " * 9 + " " + " " * 10 + " , " + " " * 4 + "\n"
    assert code_mask(query) == expected + " " * 4 + " . FILTER(?a < ?b) }"  # the IRI, the string, the long string
    assert code_mask('"unterminated \\') == " " * 15
    assert code_mask("'''open\n") == "       \n"


def test_the_code_mask_is_what_a_character_scan_gives_on_every_text() -> None:
    pieces = ['"', "'", "\\", "#", "<", ">", "\n", " ", "{", "a", '"""', "'''", "\\\n", "<urn:x>"]
    rng = random.Random(2004)
    texts = [path.read_text(encoding="utf-8") for path in sorted((HERE.parents[2] / "queries").glob("*.rq"))]
    texts += ["".join(rng.choice(pieces) for _ in range(rng.randint(0, 30))) for _ in range(20000)]
    for text in texts:
        assert code_mask(text) == _scanned_mask(text), text
