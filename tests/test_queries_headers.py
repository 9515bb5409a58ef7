"""The packaged queries' catalogue and #+ headers: their stable interface, grlc's conventions, errors."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from ecmgraph import resources
from ecmgraph.errors import UnknownName
from ecmgraph.queries import (
    DATE_PARAMETER,
    QueryHeaderError,
    catalogue,
    get_query,
    load_query_file,
    render_readme,
)
from ecmgraph.queries.catalogue import parameter_variables

ROOT = Path(__file__).resolve().parents[1]
BAD = Path(__file__).parent / "fixtures" / "queries" / "bad"
#: The queries' interface: each query's name, its required parameters and its optional ones. Users, scripts and
#: published links rely on these names (queries/README.md says so); more queries and more parameters may be added
#: (as optional ones), none renamed or removed. This table is the reference: change it only to add.
INTERFACE: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "who-is-accountable": (("authority", "topic"), ()),
    "accountability-chain": (("authority", "post"), ()),
    "lscb-membership": (("authority",), ()),
    "statutory-basis": (("thing",), ()),
    "role-responsibilities": (("role",), ("authority",)),
    "relevant-partners": (("authority",), ()),
    "statutory-post-holders": ((), ("region", "date")),
    "joint-appointments": ((), ("date",)),
    "vacant-posts": ((), ("date",)),
    "two-tier-area": (("county",), ()),
    "direct-reports": (("post",), ()),
    "person-bodies": (("person",), ()),
    "scrutiny-bodies": (("authority",), ()),
    "outcome-coverage": ((), ("outcome",)),
    "board-chairs": ((), ("region",)),
    "post-history": (("post",), ()),
    "fact-sources": (("entity",), ()),
    "compliance-matrix": ((), ("region", "date")),
}
#: The questions about posts, holders or memberships: each is answered as at a date (queries/README.md, Time).
AS_AT_A_DATE = {
    "who-is-accountable",
    "accountability-chain",
    "lscb-membership",
    "statutory-post-holders",
    "joint-appointments",
    "vacant-posts",
    "two-tier-area",
    "direct-reports",
    "person-bodies",
    "board-chairs",
    "compliance-matrix",
}


def packaged() -> dict:
    return catalogue()


def test_the_readme_lists_the_interface() -> None:
    """queries/README.md's table of the queries, the catalogue users read, shows every query of the interface with
    its required parameters plain and its optional ones in brackets (and perhaps more optional ones)."""
    text = (resources.queries_dir() / "README.md").read_text(encoding="utf-8")
    found = {}
    for row in re.findall(r"^\| \[`([a-z-]+)`\]\(#\1\) \| .+ \| (.+) \|$", text, flags=re.M):
        name, params = row
        cells = [c.strip() for c in params.split(",")] if params != "—" else []
        required = tuple(c for c in cells if not c.startswith("["))
        found[name] = (required, tuple(c.strip("[]") for c in cells if c.startswith("[")))
    assert set(found) == set(INTERFACE)
    for name, (required, optional) in INTERFACE.items():
        assert found[name][0] == required, name
        assert set(optional) <= set(found[name][1]), name


@pytest.mark.parametrize("name", sorted(INTERFACE))
def test_each_question_has_its_query_with_its_parameters(name: str) -> None:
    queries = packaged()
    assert name in queries, f"question {name!r} has no packaged query"
    query = queries[name]
    required, optional = INTERFACE[name]
    params = {p.name: p for p in query.parameters}
    for p in required:
        assert p in params and params[p].required, (name, p)
    for p in optional:
        assert p in params and not params[p].required, (name, p)
    extra = set(params) - set(required) - set(optional)
    assert all(not params[p].required for p in extra), f"{name}: an added parameter must be optional"
    if name in AS_AT_A_DATE:
        assert DATE_PARAMETER in params and params[DATE_PARAMETER].type == "date"


def test_there_is_no_query_the_interface_does_not_know() -> None:
    assert set(packaged()) <= set(INTERFACE)


@pytest.mark.parametrize("name", sorted(p.stem for p in resources.queries_dir().glob("*.rq")))
def test_each_header_is_complete_and_agrees_with_its_query(name: str) -> None:
    query = get_query(name)
    assert query.summary.endswith("?"), "a summary is the question"
    assert len(query.description) > len(query.summary)
    assert query.tags
    variables = parameter_variables(query.text)
    assert set(variables) == {p.name for p in query.parameters}
    for p in query.parameters:
        assert p.description
        assert p.variable.startswith("__" if not p.required else "_") and not p.variable.startswith("___")
        if p.type == "iri" and p.name in (
            "authority",
            "county",
            "region",
            "post",
            "person",
            "topic",
            "role",
            "thing",
            "entity",
            "outcome",
        ):
            assert p.lookup, f"{name}: {p.name} names a thing and must be looked up by label"
        if p.type == "date":
            assert p.name == DATE_PARAMETER
    date = [p for p in query.parameters if p.name == DATE_PARAMETER]
    if date and name != "person-bodies":  # person-bodies lists every seat unless given a day (its description says)
        assert date[0].default == "today"
    assert set(query.example) <= {p.name for p in query.parameters}
    assert "ORDER BY" in query.text, "rows come in a deterministic order"


def test_enumerate_is_given_where_the_values_are_a_closed_list() -> None:
    outcome = get_query("outcome-coverage").parameter("outcome")
    assert len(outcome.enum) == 5 and all(v.startswith("https://w3id.org/ecmgraph/def#") for v in outcome.enum)


def test_the_headers_are_what_grlc_reads() -> None:
    """grlc: '#+ ' lines of YAML; parameters are ?_name (required) and ?__name (optional) with a type suffix."""
    for query in packaged().values():
        lines = [line for line in query.text.splitlines() if line.startswith("#+")]
        assert lines and query.text.startswith("#+ summary:")
        for p in query.parameters:
            suffix = {"iri": "iri", "date": "xsd_date", "string": "string"}[p.type]
            assert p.variable == ("_" if p.required else "__") + f"{p.name}_{suffix}"
            # a parameter must not be projected: grlc pastes its value where the variable is
            select = query.text[query.text.index("SELECT") : query.text.index("WHERE")]
            assert f"?{p.variable}" not in select


def test_the_queries_declare_their_own_prefixes() -> None:
    """Remote endpoints and grlc know no prefixes: every prefix a query uses is declared in it."""
    from ecmgraph.sparql_text import code_mask

    for query in packaged().values():
        body = code_mask(query.text)
        declared = set(re.findall(r"PREFIX\s+(\w+):", body))
        used = set(re.findall(r"(?<![\w?$<])([a-z][\w-]*):(?=[A-Za-z_])", body)) - {"http", "https"}
        assert used <= declared, (query.name, used - declared)


def test_readme_is_generated_from_the_headers_and_in_step() -> None:
    expected = render_readme(packaged())
    actual = (resources.queries_dir() / "README.md").read_text(encoding="utf-8")
    assert actual == expected, "regenerate it: python -m ecmgraph.queries > queries/README.md"


def test_the_readme_generator_runs_as_a_module() -> None:
    proc = subprocess.run([sys.executable, "-m", "ecmgraph.queries"], capture_output=True, text=True, cwd=ROOT)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout == render_readme(packaged())


@pytest.mark.parametrize(
    ("file", "message"),
    [
        ("not-yaml.rq", "not valid YAML"),
        ("unknown-key.rq", "unknown #+ header key 'exmaple'"),
        ("no-summary.rq", "needs a non-empty 'summary'"),
        ("undeclared-parameter.rq", "does not declare 'authority'"),
        ("type-mismatch.rq", "declared date, but ?__date_iri makes it iri"),
        ("default-on-required.rq", "is required (?_authority_iri) and cannot have a default"),
        ("example-without-required.rq", "must give the required parameter 'authority'"),
        ("unknown-lookup.rq", "lookup 'planet' is not one of"),
        ("no-header.rq", "has no #+ header"),
    ],
)
def test_a_broken_header_is_an_error_naming_the_file(file: str, message: str) -> None:
    with pytest.raises(QueryHeaderError) as caught:
        load_query_file(BAD / file)
    assert message in caught.value.message
    assert caught.value.file == str(BAD / file)
    assert caught.value.exit_code == 3


def test_a_yaml_error_points_at_its_line() -> None:
    with pytest.raises(QueryHeaderError) as caught:
        load_query_file(BAD / "not-yaml.rq")
    assert caught.value.line == 2


def test_an_unknown_query_names_the_closest() -> None:
    with pytest.raises(UnknownName) as caught:
        get_query("who-is-acountable")
    assert "who-is-accountable" in (caught.value.hint or "")
    assert caught.value.exit_code == 3


def test_a_query_name_cannot_reach_outside_the_folder() -> None:
    with pytest.raises(UnknownName):
        get_query("../pyproject")
