"""``ecmgraph serve`` in a real headless browser (Playwright driving Debian's chromium, tests/browsing.py): the
query page's SPARQL editor, a packaged query's form with its name suggestions, its answer, the rows' links and
the link that reproduces the query; and, with JavaScript off, the plain forms that stand in for the editor and
the suggestions.

The server (tests/serving.py) serves the six county councils of tests/test_serve.py beside Exampleshire, the
fictional county of the packaged-query tests, without the reference data. It sends its strict
Content-Security-Policy (``script-src 'self'``), whose violations the browser reports as console errors; every
request that leaves it is refused and recorded. Each test asserts there was none of either.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from browsing import (  # noqa: F401 (browser_type_launch_args: the fixture pytest-playwright uses)
    MARKS,
    Watch,
    browser_type_launch_args,
    playwright_api,
    wait_until,
    watch,
)
from serving import Server

pytestmark = MARKS

FIXTURES = Path(__file__).parent / "fixtures"
DATA = (FIXTURES / "serve" / "six-counties.ttl", FIXTURES / "queries" / "exampleshire.trig")
ID = "https://w3id.org/ecmgraph/id/"
#: The editor's example (every county council by name): the six counties and Exampleshire.
COUNTIES = [
    (f"{ID}authority/E10000001", "Alphashire"),
    (f"{ID}authority/E10000002", "Betashire"),
    (f"{ID}authority/E10000004", "Deltashire"),
    (f"{ID}authority/E10000005", "Epsilonshire"),
    (f"{ID}authority/E10999999", "Exampleshire"),
    (f"{ID}authority/E10000003", "Gammashire"),
    (f"{ID}authority/E10000006", "Zetashire"),
]
#: How the editor's table shows a county's name: Exampleshire's label is tagged @en, the six counties' are not.
SHOWN = {"Exampleshire": '"Exampleshire"@en'}
COMMITTEE = "Children's Scrutiny Committee, Exampleshire County Council"
DCS = "Director of Children's Services, Exampleshire County Council"
LEAD_MEMBER = "Lead Member for Children's Services, Exampleshire County Council"
#: scrutiny-bodies for Exampleshire (tests/fixtures/queries/expected/scrutiny-bodies.csv), as the form shows it.
SCRUTINY_COLUMNS = [
    "body",
    "bodyLabel",
    "coversChildrensServices",
    "scrutinises",
    "scrutinisesLabel",
    "basis",
    "basisLabel",
]
SCRUTINY_ROWS = [
    [COMMITTEE, COMMITTEE, "true", DCS, DCS, "example §5", "example §5"],
    [COMMITTEE, COMMITTEE, "true", LEAD_MEMBER, LEAD_MEMBER, "example §5", "example §5"],
]


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    log = tmp_path_factory.mktemp("serve-browser") / "serve.log"
    running = Server([*map(str, DATA), "--no-reference", "--workers", "1", "--as-of", "2009-06-01"], log)
    yield running.url
    assert running.stop() == 0, running.log.read_text()


@pytest.fixture
def watched(page: object, server: str) -> Iterator[tuple[object, Watch]]:
    """The page, with every request that leaves the server refused and recorded, and errors recorded."""
    seen = watch(page, server)
    yield page, seen
    seen.assert_clean()


def answer_rows(page: object) -> list[list[str]]:
    """The cells of the form's answer table, row by row."""
    rows = page.locator("table.answer tbody tr").all()  # type: ignore[attr-defined]
    return [row.locator("td").all_inner_texts() for row in rows]


def run_scrutiny_bodies_for_exampleshire(page: object, server: str) -> None:
    """The scrutiny-bodies form: 'exampl' typed in its authority field, the suggestion Exampleshire picked, run."""
    page.goto(server + "query/scrutiny-bodies")  # type: ignore[attr-defined]
    field = page.locator("#param-authority")  # type: ignore[attr-defined]
    assert field.input_value() == "Leicestershire"  # the query's example, until one runs it
    field.fill("")
    field.press_sequentially("exampl")
    suggestions = page.locator("#param-authority-suggestions button.suggestion")  # type: ignore[attr-defined]
    # Retried until it holds: a lookup of fewer letters may answer first, and is replaced by the last one's.
    playwright_api.expect(suggestions).to_have_text(
        ["Exampleshire (county council)", "Sample Vale (district council, Exampleshire)"]
    )
    suggestions.filter(has_text="Exampleshire (county council)").click()
    assert field.input_value() == "Exampleshire"
    assert page.locator("#param-authority-suggestions li").count() == 0  # type: ignore[attr-defined]
    page.get_by_role("button", name="Answer").click()  # type: ignore[attr-defined]
    page.wait_for_url("**/query/scrutiny-bodies?run=1&authority=Exampleshire")  # type: ignore[attr-defined]


def test_the_editor_loads_from_the_server_alone_and_runs_its_example(
    watched: tuple[object, Watch], server: str
) -> None:
    page, seen = watched
    page.goto(server + "query")  # type: ignore[attr-defined]
    assert page.locator("h1").inner_text() == "Query the data"  # type: ignore[attr-defined]
    editor = page.locator("#yasgui .yasqe .CodeMirror")  # type: ignore[attr-defined]
    editor.wait_for()
    assert editor.is_visible()
    assert page.locator("form.sparql").is_hidden()  # type: ignore[attr-defined]  # the form for browsers without it
    text = page.evaluate("window.ecmgraphYasgui.getTab().getYasqe().getValue()")  # type: ignore[attr-defined]
    assert text == page.locator("#sparql-text").input_value()  # type: ignore[attr-defined]
    with page.expect_response("**/sparql") as sent:  # type: ignore[attr-defined]
        page.locator(".yasqe_queryButton").click()  # type: ignore[attr-defined]
    assert sent.value.request.method == "POST"
    assert sent.value.status == 200
    rows = page.locator(".yasr table.dataTable tbody tr")  # type: ignore[attr-defined]
    rows.first.wait_for()
    cells = [row.locator("td").all_inner_texts() for row in rows.all()]
    assert cells == [[str(n), f"<{iri}>", SHOWN.get(name, name)] for n, (iri, name) in enumerate(COUNTIES, start=1)]
    # The data's own IRIs lead to this server's pages of them (the IRI itself is the link's title).
    first = page.locator(".yasr table.dataTable tbody tr").first.locator("a").first  # type: ignore[attr-defined]
    assert first.get_attribute("href") == server + "id/authority/E10000001"
    assert first.get_attribute("title") == f"{ID}authority/E10000001"
    with page.context.expect_page() as opened:  # type: ignore[attr-defined]
        first.click()  # YASR opens a link in a new tab
    opened.value.wait_for_load_state()
    assert opened.value.url == server + "doc/authority/E10000001.html"
    assert opened.value.locator("h1").inner_text() == "Alphashire"
    opened.value.close()
    # Typing asks nothing of other servers: the prefixes it completes are shipped with the editor.
    editor.click()
    page.keyboard.press("Control+Home")  # type: ignore[attr-defined]
    page.keyboard.type("PREFIX fo")  # type: ignore[attr-defined]
    page.wait_for_timeout(500)  # type: ignore[attr-defined]
    assert seen.left == []


def test_a_form_suggests_a_name_answers_with_its_rows_and_leads_to_their_pages(
    watched: tuple[object, Watch], server: str
) -> None:
    page, _ = watched
    run_scrutiny_bodies_for_exampleshire(page, server)
    assert page.locator("#answer h2").inner_text() == "Answer"  # type: ignore[attr-defined]
    assert page.locator("table.answer caption").inner_text() == "2 rows"  # type: ignore[attr-defined]
    headers = page.locator("table.answer thead th").all_inner_texts()  # type: ignore[attr-defined]
    assert headers == SCRUTINY_COLUMNS
    assert answer_rows(page) == SCRUTINY_ROWS
    assert page.locator("#answer code").inner_text() == (  # type: ignore[attr-defined]
        "ecmgraph query run scrutiny-bodies -p authority Exampleshire"
    )
    second = page.locator("table.answer tbody tr").nth(1)  # type: ignore[attr-defined]
    second.get_by_role("link", name=LEAD_MEMBER).click()
    page.wait_for_url("**/doc/post/E10999999/lead-member.html")  # type: ignore[attr-defined]
    assert page.locator("h1").inner_text() == LEAD_MEMBER  # type: ignore[attr-defined]
    page.go_back()  # type: ignore[attr-defined]
    page.locator("table.answer tbody tr").first.get_by_role("link", name=COMMITTEE).click()  # type: ignore[attr-defined]
    page.wait_for_url("**/doc/body/E10999999/scrutiny-children.html")  # type: ignore[attr-defined]
    assert page.locator("h1").inner_text() == COMMITTEE  # type: ignore[attr-defined]


def test_the_link_to_this_answer_and_the_sparql_link_give_the_same_rows(
    watched: tuple[object, Watch], server: str
) -> None:
    page, _ = watched
    run_scrutiny_bodies_for_exampleshire(page, server)
    page.locator("#permalink").click()  # type: ignore[attr-defined]
    page.wait_for_url("**/query/scrutiny-bodies?authority=Exampleshire&run=1")  # type: ignore[attr-defined]
    assert answer_rows(page) == SCRUTINY_ROWS
    links = page.locator("#answer ul.links li").all_inner_texts()  # type: ignore[attr-defined]
    assert links == ["Link to this answer", "The SPARQL query run, on this server (as JSON; as CSV, XML)"]
    with page.expect_navigation() as went:  # type: ignore[attr-defined]
        page.locator("#sparql-link").click()  # type: ignore[attr-defined]
    assert page.url.startswith(server + "sparql?query=")  # type: ignore[attr-defined]
    response = went.value
    assert response.status == 200
    assert response.headers["content-type"] == "application/sparql-results+json; charset=utf-8"
    answer = json.loads(page.locator("pre").first.inner_text())  # type: ignore[attr-defined]  # shown, not saved
    assert answer["head"]["vars"] == SCRUTINY_COLUMNS
    labels = [
        [b["bodyLabel"]["value"], b["coversChildrensServices"]["value"], b["scrutinisesLabel"]["value"]]
        for b in answer["results"]["bindings"]
    ]
    assert labels == [[row[1], row[2], row[4]] for row in SCRUTINY_ROWS]
    assert [b["scrutinises"]["value"] for b in answer["results"]["bindings"]] == [
        f"{ID}post/E10999999/dcs",
        f"{ID}post/E10999999/lead-member",
    ]


def test_the_watch_sees_a_script_the_policy_refuses(page: object, server: str) -> None:
    seen = watch(page, server)
    page.goto(server + "query")  # type: ignore[attr-defined]
    page.evaluate(  # type: ignore[attr-defined]
        "document.head.appendChild(Object.assign(document.createElement('script'), {src: 'https://example.com/x.js'}))"
    )
    wait_until(page, lambda: bool(seen.errors))
    assert seen.left == []  # refused by the policy before any request
    assert len(seen.errors) == 1 and "Content Security Policy" in seen.errors[0]


def test_without_javascript_the_plain_forms_still_answer(browser: object, server: str) -> None:
    context = browser.new_context(java_script_enabled=False)  # type: ignore[attr-defined]
    page = context.new_page()
    seen = watch(page, server)
    page.goto(server + "query")
    assert page.locator("form.sparql").is_visible()  # the editor's stand-in
    page.get_by_role("button", name="Run").click()
    page.wait_for_url("**/sparql?query=*&format=json")
    answer = json.loads(page.locator("pre").first.inner_text())
    assert [(b["authority"]["value"], b["name"]["value"]) for b in answer["results"]["bindings"]] == COUNTIES
    page.goto(server + "query/scrutiny-bodies")
    page.fill("#param-authority", "Exampleshire")  # typed in full: no suggestions without the script
    page.get_by_role("button", name="Answer").click()
    page.wait_for_url("**/query/scrutiny-bodies?run=1&authority=Exampleshire")
    assert answer_rows(page) == SCRUTINY_ROWS
    context.close()
    seen.assert_clean()
