"""The published site in a real headless browser: Playwright driving Debian's chromium, from ``file://`` and from
a local static server that sends a strict Content-Security-Policy.

Every request is watched through route interception: one that leaves the site is recorded and refused, and the
tests assert there is none. Skipped where chromium or Playwright is absent.
"""

from __future__ import annotations

import datetime as dt
import functools
import http.server
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from browsing import MARKS, browser_type_launch_args, wait_until, watch  # noqa: F401 (the fixture pytest-playwright uses)

import ecmgraph
from ecmgraph.namespaces import LEGISLATION_WEB
from ecmgraph.publish import publish

pytestmark = MARKS

ROOT = Path(__file__).resolve().parents[1]
FIXTURE = ROOT / "tests" / "fixtures" / "queries" / "exampleshire.trig"
CSP = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'none'"


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("browser") / "site"
    data = ecmgraph.load(str(FIXTURE), reference=False)
    publish(data, folder, base_url="https://example.org/ecm/", as_of=dt.date(2009, 6, 1))
    return folder


class _Handler(http.server.SimpleHTTPRequestHandler):
    def end_headers(self) -> None:
        self.send_header("Content-Security-Policy", CSP)
        super().end_headers()

    def log_message(self, format: str, *args: object) -> None:  # quiet
        pass


@pytest.fixture(scope="module")
def server(site: Path) -> Iterator[str]:
    handler = functools.partial(_Handler, directory=str(site))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}/"
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture(params=["file", "http"])
def root(request: pytest.FixtureRequest, site: Path) -> str:
    if request.param == "file":
        return site.as_uri() + "/"
    return str(request.getfixturevalue("server"))


@pytest.fixture
def watched(page: object, root: str) -> Iterator[tuple[object, list[str], list[str]]]:
    """The page, with every request outside the site refused and recorded, and console errors recorded."""
    seen = watch(page, root)
    yield page, seen.left, seen.errors
    seen.assert_clean()


def test_search_for_an_authority_reach_its_page_see_its_chart_and_dcs_holder(
    watched: tuple[object, list[str], list[str]], root: str
) -> None:
    page, _, _ = watched
    page.goto(root + "index.html")  # type: ignore[attr-defined]
    assert page.title().startswith("ecmgraph")  # type: ignore[attr-defined]
    page.fill("#search-box", "examplesh")  # type: ignore[attr-defined]
    result = page.locator("#search-results a", has_text="Exampleshire").first  # type: ignore[attr-defined]
    result.wait_for()
    result.click()
    page.wait_for_url("**/doc/authority/E10999999.html")  # type: ignore[attr-defined]
    assert page.locator("h1").inner_text() == "Exampleshire"  # type: ignore[attr-defined]
    chart = page.locator("#chart svg[role=img]")  # type: ignore[attr-defined]
    assert chart.is_visible()
    assert "Alex Example" in (chart.text_content() or "")  # the DCS holder on the day
    page.locator("#chart details summary").click()  # type: ignore[attr-defined]
    row = page.locator("#chart tr", has_text="Director of Children's Services").first  # type: ignore[attr-defined]
    assert "Alex Example since 2008-01-01" in row.inner_text()


def test_a_chart_box_and_a_statute_link_lead_where_they_should(
    watched: tuple[object, list[str], list[str]], root: str
) -> None:
    page, _, _ = watched
    page.goto(root + "doc/authority/E10999999.html")  # type: ignore[attr-defined]
    page.locator("#chart svg a[href$='dcs.html']").first.click()  # type: ignore[attr-defined]
    page.wait_for_url("**/doc/post/E10999999/dcs.html")  # type: ignore[attr-defined]
    page.goto(root + "doc/responsibility/example/1.html")  # type: ignore[attr-defined]
    statute = page.locator("a.external", has_text="legislation.gov.uk").first  # type: ignore[attr-defined]
    assert statute.get_attribute("href") == f"{LEGISLATION_WEB}ukpga/2004/31/section/18"


def test_the_search_finds_nothing_and_says_so(watched: tuple[object, list[str], list[str]], root: str) -> None:
    page, _, _ = watched
    page.goto(root + "index.html?q=zzzz-nowhere")  # type: ignore[attr-defined]
    assert page.locator("#search-results li").inner_text() == "Nothing matches."  # type: ignore[attr-defined]
    page.goto(root + "checks.html")  # type: ignore[attr-defined]
    assert page.locator("h1").inner_text() == "What was checked"  # type: ignore[attr-defined]


def test_the_compliance_matrix_opens_and_leads_to_a_rule(
    watched: tuple[object, list[str], list[str]], root: str
) -> None:
    page, _, _ = watched
    page.goto(root + "index.html")  # type: ignore[attr-defined]
    page.get_by_role("link", name="Compliance").click()  # type: ignore[attr-defined]
    page.wait_for_url("**/compliance.html")  # type: ignore[attr-defined]
    cell = page.locator("table.matrix tr", has_text="Exampleshire").locator("td").first  # type: ignore[attr-defined]
    assert cell.get_attribute("title") == "conforms"
    page.locator("table.matrix thead a", has_text="001").click()  # type: ignore[attr-defined]
    page.wait_for_url("**/rules/ECM001.html")  # type: ignore[attr-defined]
    assert page.locator("h1").inner_text().startswith("ECM001: ")  # type: ignore[attr-defined]


def test_the_watch_catches_a_request_that_leaves_the_site(page: object, site: Path) -> None:
    seen = watch(page, "file:")
    page.goto((site / "index.html").as_uri())  # type: ignore[attr-defined]
    page.evaluate("new Image().src = 'https://example.com/tracker.png'")  # type: ignore[attr-defined]
    wait_until(page, lambda: bool(seen.left))
    assert seen.left == ["https://example.com/tracker.png"]
