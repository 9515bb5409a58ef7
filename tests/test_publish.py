"""``ecmgraph publish``: the site built once from the small fixture, and what every generator makes of it.

The site is built once for the module, from tests/fixtures/queries/exampleshire.trig read alone (no reference
data), as at 2009-06-01; the packaged data's site is built in the slow test at the end.
"""

from __future__ import annotations

import datetime as dt
import errno
import gzip
import hashlib
import json
import os
import re
import signal
import threading
import time
from pathlib import Path
from urllib.parse import unquote, urlsplit

import html5lib
import pyoxigraph as ox
import pytest
import rdflib
from click.testing import CliRunner
from rdflib.compare import isomorphic

import ecmgraph
from ecmgraph.cli import cli
from ecmgraph.errors import EcmgraphError, InputError
from ecmgraph.namespaces import ECM, ECMID, LEGISLATION_WEB, ONTOLOGY_GRAPH, PROVENANCE_GRAPH
from ecmgraph.publish import MARKER, BreachesFound, publish
from ecmgraph.publish import build as build_module
from ecmgraph.publish import site as site_module

ROOT = Path(__file__).resolve().parents[1]
FIXTURE = ROOT / "tests" / "fixtures" / "queries" / "exampleshire.trig"
BREACH = ROOT / "tests" / "fixtures" / "rules" / "ECM001" / "fail-recorded-vacancy.ttl"
BASE_URL = "https://example.org/ecm/"
DAY = dt.date(2009, 6, 1)
XHTML = "{http://www.w3.org/1999/xhtml}"


def build(folder: Path, **options: object) -> Path:
    data = ecmgraph.load(str(FIXTURE), reference=False)
    publish(data, folder, base_url=BASE_URL, as_of=DAY, **options)  # type: ignore[arg-type]
    return folder


@pytest.fixture(scope="module")
def data() -> ecmgraph.Dataset:
    return ecmgraph.load(str(FIXTURE), reference=False)


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory, data: ecmgraph.Dataset) -> Path:
    folder = tmp_path_factory.mktemp("published") / "site"
    publish(data, folder, base_url=BASE_URL, as_of=DAY)
    return folder


def files_of(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def pages_of(folder: Path) -> list[Path]:
    return sorted(folder.rglob("*.html"))


def parse_html(path: Path) -> object:
    parser = html5lib.HTMLParser(strict=False)
    return parser.parse(path.read_bytes(), transport_encoding="utf-8")


# --- the whole site -----------------------------------------------------------------------------------------


def test_the_same_input_gives_the_same_bytes_in_every_file(site: Path, tmp_path: Path) -> None:
    again = build(tmp_path / "again")
    assert files_of(again) == files_of(site)


def test_pages_made_in_several_processes_are_the_same_bytes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(build_module, "_CHUNK", 7)  # many chunks, so that the workers share them
    makers = tmp_path / "makers"
    files = build_module._ThingMaker.files

    def noted(self: build_module._ThingMaker, iris: list[str]) -> dict[str, bytes]:
        with makers.open("a") as out:  # written from whichever process makes the chunk
            out.write(f"{os.getpid()}\n")
        return files(self, iris)

    monkeypatch.setattr(build_module._ThingMaker, "files", noted)
    one = files_of(build(tmp_path / "one", jobs=1))
    assert set(makers.read_text().split()) == {str(os.getpid())}
    makers.unlink()
    two = files_of(build(tmp_path / "two", jobs=2))
    chunks = makers.read_text().split()
    assert len(chunks) > 2 and str(os.getpid()) not in chunks  # every chunk made in a worker
    assert one == two


def test_validation_runs_in_a_copy_of_the_process_while_the_site_is_read(tmp_path: Path) -> None:
    there, here = build_module.run_beside(os.getpid, os.getpid, jobs=2)
    assert there != here == os.getpid()  # the first in a forked child, the second here
    assert build_module.run_beside(os.getpid, os.getpid, jobs=1) == (os.getpid(), os.getpid())


def test_a_task_that_fails_beside_gives_none_for_the_caller_to_run_it_again() -> None:
    def fails() -> int:
        raise InputError("no", hint="none")

    assert build_module.run_beside(fails, lambda: 2, jobs=2) == (None, 2)


def test_an_error_of_validation_beside_the_read_is_raised_with_its_hint(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[int] = []

    def refused(*args: object, **kwargs: object) -> None:
        calls.append(os.getpid())
        raise InputError("no validation today", hint="try tomorrow")

    monkeypatch.setattr(site_module, "validate", refused)
    with pytest.raises(InputError) as caught:
        build(tmp_path / "site", jobs=2)
    assert caught.value.hint == "try tomorrow"
    assert calls == [os.getpid()]  # the child's call is not seen here: the one that raised ran here, again
    assert not (tmp_path / "site").exists()


def test_a_worker_killed_while_making_the_site_is_an_error_and_nothing_is_published(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    parent, files = os.getpid(), build_module._ThingMaker.files

    def killed(self: build_module._ThingMaker, iris: list[str]) -> dict[str, bytes]:
        if os.getpid() != parent:  # as the kernel's out-of-memory killer would
            os.kill(os.getpid(), signal.SIGKILL)
        return files(self, iris)

    monkeypatch.setattr(build_module._ThingMaker, "files", killed)
    with pytest.raises(EcmgraphError, match="worker process stopped") as caught:
        build(tmp_path / "site", jobs=2)  # an error, where a multiprocessing.Pool would wait for ever
    assert caught.value.exit_code == 3 and "--jobs 1" in (caught.value.hint or "")
    assert os.listdir(tmp_path) == []  # no site, and no half-built folder beside it


@pytest.mark.parametrize("sent", [signal.SIGINT, signal.SIGTERM])
def test_publish_stopped_by_a_signal_stops_its_workers_and_leaves_nothing(
    sent: signal.Signals, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    parent, files, handler = os.getpid(), build_module._ThingMaker.files, signal.getsignal(signal.SIGTERM)
    started = tmp_path / "workers"

    def slow(self: build_module._ThingMaker, iris: list[str]) -> dict[str, bytes]:
        if os.getpid() != parent:
            with started.open("a") as out:
                out.write(f"{os.getpid()}\n")
            time.sleep(600)  # busy for longer than any test may take: only being stopped ends it
        return files(self, iris)

    monkeypatch.setattr(build_module._ThingMaker, "files", slow)
    timer = threading.Timer(2.0, os.kill, (os.getpid(), sent))
    timer.start()
    try:
        with pytest.raises(KeyboardInterrupt):
            build(tmp_path / "out" / "site", jobs=2)
    finally:
        timer.cancel()
    workers = [int(pid) for pid in started.read_text().split()]
    assert workers and parent not in workers
    for pid in workers:  # stopped and reaped, not waited for
        with pytest.raises(ProcessLookupError):
            os.kill(pid, 0)
    assert os.listdir(tmp_path / "out") == []  # no site, and no half-built folder beside it
    assert signal.getsignal(signal.SIGTERM) == handler  # as it was before


@pytest.mark.parametrize("jobs", [1, 2])
def test_a_full_disk_is_an_input_error_and_the_earlier_site_stays(
    jobs: int, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    earlier = build(tmp_path / "site")
    before = files_of(earlier)

    def full(root: str, files: dict[str, bytes]) -> dict[str, int]:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), os.path.join(root, next(iter(files))))

    monkeypatch.setattr(build_module, "write_into", full)
    with pytest.raises(InputError, match="cannot write the site: No space left on device") as caught:
        build(earlier, jobs=jobs)
    assert caught.value.exit_code == 3 and caught.value.file == str(earlier)
    assert "nothing was published" in caught.value.message and "free space" in (caught.value.hint or "")
    assert files_of(earlier) == before  # the earlier site as it was
    assert sorted(os.listdir(tmp_path)) == ["site"]  # and no half-built folder beside it


def test_validation_killed_beside_the_read_is_done_again_here() -> None:
    def killed() -> int:
        os.kill(os.getpid(), signal.SIGKILL)
        return 1

    assert build_module.run_beside(killed, lambda: 2, jobs=2) == (None, 2)


def test_the_site_has_its_parts(site: Path) -> None:
    for name in (
        MARKER,
        "index.html",
        "checks.html",
        "data.html",
        "style.css",
        "search.js",
        "search-index.js",
        "sitemap.xml",
        ".well-known/void",
        "catalog.ttl",
        "dumps/SHA256SUMS",
        "dumps/ecmgraph.ttl",
        "dumps/ecmgraph.nt.gz",
        "dumps/ecmgraph.trig",
        ".htaccess",
        "serving/nginx.conf",
        "serving/w3id.htaccess",
        "doc/authority/E10999999.html",
        "doc/post/E10999999/dcs.html",
        "doc/body/E10999999/lscb.html",
        "doc/topic/safeguarding.html",
        "doc/source/example/p1.html",
        "doc/legislation/ukpga/2004/31/section/18.html",
    ):
        assert (site / name).is_file(), name


def test_every_thing_with_a_label_has_a_page_and_three_documents(site: Path, data: ecmgraph.Dataset) -> None:
    labelled = {
        row["s"].value
        for row in data.select(
            "SELECT DISTINCT ?s WHERE { ?s <http://www.w3.org/2000/01/rdf-schema#label>|"
            "<http://www.w3.org/2004/02/skos/core#prefLabel>|<http://purl.org/dc/terms/title> ?l FILTER(isIRI(?s)) }"
        )
    }
    things = sorted(iri[len(str(ECMID)) :] for iri in labelled if iri.startswith(str(ECMID)))
    assert len(things) > 40
    for rest in things:
        for ext in ("html", "ttl", "jsonld", "nt"):
            assert (site / "doc" / f"{rest}.{ext}").is_file(), f"{rest}.{ext}"


def test_a_target_that_is_not_a_site_is_refused_and_left_as_it_was(tmp_path: Path) -> None:
    target = tmp_path / "mine"
    target.mkdir()
    (target / "notes.txt").write_text("mine")
    with pytest.raises(InputError, match="not a site ecmgraph published"):
        build(target)
    assert [p.name for p in target.iterdir()] == ["notes.txt"]
    (tmp_path / "a-file").write_text("x")
    with pytest.raises(InputError, match="not a folder"):
        build(tmp_path / "a-file")


def test_an_empty_folder_or_an_earlier_site_is_replaced_whole(tmp_path: Path) -> None:
    target = tmp_path / "site"
    target.mkdir()
    build(target)
    (target / "stale.html").write_text("from an older build")
    build(target)
    assert not (target / "stale.html").exists()
    assert (target / MARKER).is_file()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"], "no building or old folder is left beside it"


def test_a_failed_build_leaves_the_earlier_site_and_no_temporary_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = build(tmp_path / "site")
    before = files_of(target)

    def broken(folder: Path, *args: object, **kwargs: object) -> dict[str, int]:
        (folder / "index.html").write_bytes(b"half")
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(site_module, "write_files", broken)
    with pytest.raises(InputError, match="No space"):
        build(target)
    assert files_of(target) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]


def test_a_bad_base_url_is_an_input_error(tmp_path: Path) -> None:
    data = ecmgraph.load(str(FIXTURE), reference=False)
    for url in ("example.org/ecm/", "ftp://example.org/", "https://example.org/?q=1", "/ecm/"):
        with pytest.raises(InputError, match="--base-url"):
            publish(data, tmp_path / "site", base_url=url, as_of=DAY)
    assert not (tmp_path / "site").exists()


# --- the SHACL gate ---------------------------------------------------------------------------------------------


def test_data_with_breaches_is_not_published(tmp_path: Path) -> None:
    data = ecmgraph.load(str(BREACH), reference=False)
    with pytest.raises(BreachesFound) as refused:
        publish(data, tmp_path / "site", base_url=BASE_URL, as_of=DAY)
    assert refused.value.exit_code == 1
    assert refused.value.report is not None and refused.value.report.breaches
    assert not (tmp_path / "site").exists()


def test_allow_breaches_publishes_them_and_the_checks_page_lists_them(tmp_path: Path) -> None:
    data = ecmgraph.load(str(BREACH), reference=False)
    published = publish(data, tmp_path / "site", base_url=BASE_URL, as_of=DAY, allow_breaches=True)
    checks = (tmp_path / "site" / "checks.html").read_text(encoding="utf-8")
    assert f"Breaches ({len(published.report.breaches)})" in checks
    assert "ECM001" in checks and "--allow-breaches" in checks


def test_the_checks_page_says_what_was_checked_when_and_counts_the_gaps(site: Path) -> None:
    checks = (site / "checks.html").read_text(encoding="utf-8")
    assert "as at 2009-06-01" in checks
    assert "Rules checked (27)" in checks
    assert re.search(r"Gaps \(\d+\)", checks)
    assert 'id="ECM001"' in checks


def test_each_rule_has_a_page_with_its_sources_shapes_and_findings(site: Path, data: ecmgraph.Dataset) -> None:
    report = ecmgraph.validate(data, as_of=DAY)
    for rule in ecmgraph.rules():
        page = (site / "rules" / f"{rule.id}.html").read_text(encoding="utf-8")
        assert f"<h1>{rule.id}: " in page
        gaps = [f for f in report.gaps if f.rule == rule.id]
        assert f"Gaps as at 2009-06-01 ({len(gaps)})" in page
        for shape in rule.shapes:
            assert shape.iri.rsplit("#", 1)[-1] in page
    ecm001 = (site / "rules/ECM001.html").read_text(encoding="utf-8")
    assert f'href="{LEGISLATION_WEB}ukpga/2004/31/section/18/1"' in ecm001
    assert 'href="../doc/authority/E06999997.html">Newtown</a>: ' in ecm001  # a gap, linked to its authority


def test_the_compliance_matrix_has_the_cells_of_the_packaged_query(site: Path, data: ecmgraph.Dataset) -> None:
    table = ecmgraph.query("compliance-matrix", {"date": "2009-06-01"}, data=data)
    column = {c: i for i, c in enumerate(table.columns)}
    expected = {
        (row[column["authorityLabel"]].value, row[column["rule"]].value): row[column["result"]].value  # type: ignore[union-attr]
        for row in table.rows
    }
    document = parse_html(site / "compliance.html")
    rules = [a.text for a in document.findall(f".//{XHTML}thead//{XHTML}a")]
    got = {}
    for row in document.findall(f".//{XHTML}tbody/{XHTML}tr"):
        name = "".join(row.find(f"{XHTML}th").itertext())
        for rule, cell in zip(rules, row.findall(f"{XHTML}td")):
            got[(name, f"ECM{rule}")] = cell.get("title").split(",")[0]
    assert got == expected
    assert set(got.values()) >= {"conforms", "not recorded", "not applicable"}


def test_each_packaged_query_has_a_page_with_its_question_and_answer(site: Path, data: ecmgraph.Dataset) -> None:
    queries = ecmgraph.packaged_queries()
    index = (site / "queries/index.html").read_text(encoding="utf-8")
    for name, packaged in queries.items():
        assert f'href="{name}.html"' in index
        page = parse_html(site / "queries" / f"{name}.html")
        assert "".join(page.find(f".//{XHTML}h1").itertext()) == packaged.summary
        sparql = "".join(page.find(f".//{XHTML}pre").itertext())
        assert sparql == packaged.text
    matrix = (site / "queries/compliance-matrix.html").read_text(encoding="utf-8")
    rows = len(ecmgraph.query("compliance-matrix", {"date": "2009-06-01"}, data=data).rows)
    assert f"<caption>{rows} rows</caption>" in matrix
    # An example that names what this data lacks says so, in one line, instead of an answer.
    chain = (site / "queries/accountability-chain.html").read_text(encoding="utf-8")
    assert "no authority matches &#39;Cannock Chase&#39;" in chain and "No rows." not in chain


# --- the command line ---------------------------------------------------------------------------------------


def test_the_command_publishes_and_says_what_it_wrote(tmp_path: Path) -> None:
    out = tmp_path / "site"
    args = ["publish", str(FIXTURE), "--no-reference", "-o", str(out), "--base-url", BASE_URL, "--as-of", "2009-06-01"]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 0, result.output
    assert result.stdout == ""
    assert re.match(r"Published \d+ pages and \d+ other files \(.*\) in .* as at 2009-06-01: 0 breaches", result.stderr)
    assert (out / "index.html").is_file()


def test_the_command_refuses_breaches_with_exit_code_1_and_lists_them(tmp_path: Path) -> None:
    args = [
        "publish",
        str(BREACH),
        "--no-reference",
        "-o",
        str(tmp_path / "site"),
        "--base-url",
        BASE_URL,
        "--as-of",
        "2009-06-01",
    ]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 1
    assert "ECM001 Violation" in result.stderr
    assert result.stderr.strip().splitlines()[-1].startswith("Error: the data has 1 breach")
    assert not (tmp_path / "site").exists()


def test_the_command_refuses_a_folder_of_other_files_with_exit_code_3(tmp_path: Path) -> None:
    (tmp_path / "keep.txt").write_text("x")
    args = ["publish", str(FIXTURE), "--no-reference", "-o", str(tmp_path), "--base-url", BASE_URL]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 3
    assert result.stderr.startswith("Error: ") and len(result.stderr.strip().splitlines()) == 1


def test_the_command_stopped_by_sigterm_says_so_in_one_line_with_exit_code_130(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def slow(self: build_module._ThingMaker, iris: list[str]) -> dict[str, bytes]:
        os.kill(os.getpid(), signal.SIGTERM)  # as ``kill`` would, while the pages are made (here: --jobs 1)
        raise AssertionError("SIGTERM did not stop publish")

    monkeypatch.setattr(build_module._ThingMaker, "files", slow)
    out = tmp_path / "site"
    args = ["publish", str(FIXTURE), "--no-reference", "-o", str(out), "--base-url", BASE_URL, "--as-of", "2009-06-01"]
    args += ["--jobs", "1"]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 130
    assert result.stderr == "Error: interrupted (stopped by SIGTERM): nothing was written\n"
    assert os.listdir(tmp_path) == []


def test_the_help_has_an_example() -> None:
    result = CliRunner().invoke(cli, ["publish", "--help"])
    assert result.exit_code == 0
    assert "Example:" in result.stdout and "ecmgraph publish -o site --base-url" in result.stdout


# --- pages ------------------------------------------------------------------------------------------------------


def test_every_page_parses_and_has_a_lang_a_title_and_one_h1(site: Path) -> None:
    for page in pages_of(site):
        parser = html5lib.HTMLParser(strict=True)
        try:
            document = parser.parse(page.read_bytes(), transport_encoding="utf-8")
        except html5lib.html5parser.ParseError as exc:  # pragma: no cover - the message says where
            pytest.fail(f"{page.relative_to(site)}: {exc}")
        assert document.get("lang") == "en", page
        titles = document.findall(f".//{XHTML}title")
        assert len(titles) >= 1 and (titles[0].text or "").strip(), page
        assert len(document.findall(f".//{XHTML}h1")) == 1, page


def _addresses(document: object) -> list[str]:
    out = []
    for element in document.iter():  # type: ignore[attr-defined]
        for attribute in ("href", "src"):
            value = element.get(attribute)
            if value is not None:
                out.append(value)
    return out


def test_every_internal_link_and_fragment_resolves(site: Path) -> None:
    ids: dict[Path, set[str]] = {}

    def ids_of(path: Path) -> set[str]:
        if path not in ids:
            ids[path] = {e.get("id") for e in parse_html(path).iter() if e.get("id")}  # type: ignore[attr-defined]
        return ids[path]

    broken = []
    for page in pages_of(site):
        for address in _addresses(parse_html(page)):
            parts = urlsplit(address)
            if parts.scheme:
                assert parts.scheme == "https", (page, address)
                continue
            target = (page.parent / unquote(parts.path)).resolve() if parts.path else page
            if not target.is_file() or not target.is_relative_to(site.resolve()):
                broken.append(f"{page.relative_to(site)}: {address}")
            elif parts.fragment and target.suffix == ".html" and parts.fragment not in ids_of(target):
                broken.append(f"{page.relative_to(site)}: {address} (no such fragment)")
    assert broken == []


def test_pages_load_nothing_from_elsewhere_and_have_no_inline_script_or_style(site: Path) -> None:
    for page in pages_of(site):
        document = parse_html(page)
        for element in document.iter():  # type: ignore[attr-defined]
            tag = element.tag.rsplit("}", 1)[-1]
            assert tag != "style", page
            assert element.get("style") is None, (page, tag)
            assert not any(name.startswith("on") for name in element.attrib), (page, tag)
            if tag == "script":
                assert element.get("src") or element.get("type") == "application/ld+json", page
            if tag in ("script", "img", "iframe") or (tag == "link" and element.get("rel") != "alternate"):
                source = element.get("src") or element.get("href")
                assert source is None or not urlsplit(source).scheme, (page, source)


def test_a_page_shows_statements_with_their_source_paragraph_and_file(site: Path) -> None:
    page = (site / "doc/post/E10999999/dcs.html").read_text(encoding="utf-8")
    assert "<h1>Director of Children&#39;s Services, Exampleshire County Council</h1>" in page
    assert 'href="../../source/example/p1.html"' in page
    assert "example §1 (example.txt)" in page
    assert 'href="chief-executive.html"' in page  # another thing, linked by its label
    assert "Holder on 2009-06-01" in page and "Alex Example" in page


def test_a_page_links_its_documents_as_alternates(site: Path) -> None:
    document = parse_html(site / "doc/authority/E10999999.html")
    alternates = {
        (e.get("type"), e.get("href"))
        for e in document.iter()
        if e.get("rel") == "alternate"  # type: ignore[attr-defined]
    }
    assert alternates == {
        ("text/turtle", "E10999999.ttl"),
        ("application/ld+json", "E10999999.jsonld"),
        ("application/n-triples", "E10999999.nt"),
    }


def test_statute_iris_link_to_legislation_gov_uk(site: Path) -> None:
    page = (site / "doc/responsibility/example/1.html").read_text(encoding="utf-8")
    assert f'href="{LEGISLATION_WEB}ukpga/2004/31/section/18"' in page
    assert 'href="../../legislation/ukpga/2004/31/section/18.html"' in page
    provision = (site / "doc/legislation/ukpga/2004/31/section/18.html").read_text(encoding="utf-8")
    assert f'href="{LEGISLATION_WEB}ukpga/2004/31/section/18"' in provision


def test_ontology_terms_have_pages_that_things_link_to(site: Path) -> None:
    dcs = (site / "doc/post/E10999999/dcs.html").read_text(encoding="utf-8")
    assert 'href="../../def/ChildrensSocialServicesFunctions.html"' in dcs  # ecm:accountableFor
    assert 'href="../../def/DirectorOfChildrensServices.html"' in dcs  # its type
    function = (site / "doc/def/ChildrensSocialServicesFunctions.html").read_text(encoding="utf-8")
    assert "<h1>children&#39;s social services functions</h1>" in function.lower()
    assert "Ontology term" in function and "ecm.ttl" in function  # the statement's source: the ontology file


def test_the_authority_page_embeds_its_chart_and_its_table_twin(site: Path) -> None:
    page = (site / "doc/authority/E10999999.html").read_text(encoding="utf-8")
    assert '<svg xmlns="http://www.w3.org/2000/svg" role="img"' in page
    assert 'class="ecm-chart-table"' in page
    assert 'href="../post/E10999999/dcs.html"' in page  # a box of the chart links to its page
    for heading in ("Posts", "Bodies", "Districts"):
        assert f"<h2>{heading}</h2>" in page
    reference_only = (site / "doc/authority/E06999997.html").read_text(encoding="utf-8")
    assert "no chart to draw" in reference_only


def test_the_authority_page_lists_its_statutory_posts_and_holders_with_the_evidence(site: Path) -> None:
    document = parse_html(site / "doc/authority/E10999999.html")
    table = _section(document, "statutory-posts")
    assert "".join(table.find(f"{XHTML}h2").itertext()) == "Statutory posts on 2009-06-01"  # type: ignore[attr-defined]
    rows = {
        "".join(r.find(f"{XHTML}th").itertext()): [
            " ".join("".join(td.itertext()).split()) for td in r.findall(f"{XHTML}td")
        ]
        for r in table.iter(f"{XHTML}tr")  # type: ignore[attr-defined]
        if r.findall(f"{XHTML}td")
    }
    assert rows["Director of Children's Services, Exampleshire County Council"] == [
        "Alex Example",
        "2008-01-01",
        "a tenure recorded with its dates [example §2 (example.txt)]",
    ]
    assert rows["Leader of the Council, Exampleshire County Council"] == ["not recorded", "", ""]
    hrefs = {a.get("href") for a in table.iter(f"{XHTML}a")}  # type: ignore[attr-defined]
    assert {"../person/alex-example.html", "../post/E10999999/dcs.html", "../source/example/p2.html"} <= hrefs


def test_a_post_page_shows_what_each_tenure_says(site: Path) -> None:
    tenures = _section(parse_html(site / "doc/post/E10999999/dcs.html"), "in-post")
    details = {
        "".join(dt_.itertext()): " ".join("".join(dd.itertext()).split())
        for dt_, dd in zip(tenures.iter(f"{XHTML}dt"), tenures.iter(f"{XHTML}dd"))  # type: ignore[attr-defined]
    }
    assert details["holder"] == "Alex Example" and details["start date"] == "2008-01-01 (xsd:date)"
    assert "../../person/alex-example.html" in {a.get("href") for a in tenures.iter(f"{XHTML}a")}  # type: ignore[attr-defined]


def test_a_long_list_of_things_pointing_to_a_page_shows_the_first_by_name_and_says_how_many(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from ecmgraph.publish import pages as pages_module

    whole = _section(parse_html(build(tmp_path / "whole") / "doc/def/Tenure.html"), "in-rdf-type")
    listed = [" ".join("".join(a.itertext()).split()) for a in whole.iter(f"{XHTML}li")]  # type: ignore[attr-defined]
    assert len(listed) > 2 and "There are" not in "".join(whole.itertext())  # type: ignore[attr-defined]
    monkeypatch.setattr(pages_module, "MAX_LISTED", 2)
    cut = _section(parse_html(build(tmp_path / "cut") / "doc/def/Tenure.html"), "in-rdf-type")
    assert [" ".join("".join(a.itertext()).split()) for a in cut.iter(f"{XHTML}li")] == listed[:2]  # type: ignore[attr-defined]
    note = " ".join("".join(cut.find(f"{XHTML}p").itertext()).split())  # type: ignore[attr-defined]
    assert note.endswith(f"There are {len(listed)}: the first 2 by name are listed here, and the dumps hold them all.")
    assert cut.find(f".//{XHTML}p/{XHTML}a[@href='../../data.html']") is not None  # type: ignore[attr-defined]


def test_a_tenure_known_from_a_dated_source_shows_each_part_of_its_instant_apart(site: Path) -> None:
    tenures = _section(parse_html(site / "doc/post/E07999998/chief-executive.html"), "in-post")
    details = {
        "".join(dt_.itertext()): " ".join("".join(dd.itertext()).split())
        for dt_, dd in zip(tenures.iter(f"{XHTML}dt"), tenures.iter(f"{XHTML}dd"))  # type: ignore[attr-defined]
    }
    assert details["time:inside"] == "(a node without a name) · time:Instant · 2007-01-24 (xsd:date)"


def test_every_page_footer_gives_the_licences_and_attribution(site: Path) -> None:
    for page in pages_of(site):
        text = page.read_text(encoding="utf-8")
        footer = text[text.index('<footer class="site">') :]
        assert "CC BY 4.0" in footer and "Open Government Licence v3.0" in footer, page
        assert 'rel="license"' in footer and "Attribution:" in footer


# --- the ontology's documentation -------------------------------------------------------------------------


def _section(document: object, term: str) -> object:
    return next(e for e in document.iter() if e.get("id") == term)  # type: ignore[attr-defined]


def _facts(section: object) -> dict[str, list[tuple[str, str | None]]]:
    """A term's facts: name -> [(text, href)]."""
    out: dict[str, list[tuple[str, str | None]]] = {}
    for dl in section.iter(f"{XHTML}dl"):  # type: ignore[attr-defined]
        for dt_, dd in zip(dl.findall(f"{XHTML}dt"), dl.findall(f"{XHTML}dd")):
            links = [(a.text, a.get("href")) for a in dd.iter() if a.tag in (f"{XHTML}a", f"{XHTML}span")]
            out[dt_.text] = links or [("".join(dd.itertext()), None)]
    return out


def test_the_ontology_page_has_a_section_for_every_class_and_property(site: Path) -> None:
    graph = rdflib.Graph().parse(ROOT / "ontology" / "ecm.ttl")
    owl = rdflib.OWL
    kinds = (owl.Class, owl.ObjectProperty, owl.DatatypeProperty, owl.AnnotationProperty)
    terms = {str(s) for k in kinds for s in graph.subjects(rdflib.RDF.type, k) if str(s).startswith(str(ECM))}
    assert len(terms) > 100
    document = parse_html(site / "doc/def/index.html")
    ids = {e.get("id") for e in document.iter() if e.get("id")}  # type: ignore[attr-defined]
    assert {t[len(str(ECM)) :] for t in terms} <= ids
    contents = {a.get("href") for a in _section(document, "contents").iter(f"{XHTML}a")}  # type: ignore[attr-defined]
    assert {"#" + t[len(str(ECM)) :] for t in terms} <= contents
    assert {"#classes", "#object-properties", "#datatype-properties", "#namespaces"} <= contents


def test_a_class_section_gives_its_label_iri_definition_superclasses_and_examples(site: Path) -> None:
    dcs = _section(parse_html(site / "doc/def/index.html"), "DirectorOfChildrensServices")
    text = " ".join("".join(dcs.itertext()).split())  # type: ignore[attr-defined]
    assert text.startswith("Director of Children's Services ecm:DirectorOfChildrensServices")
    assert f"IRI: {ECM}DirectorOfChildrensServices" in text
    assert "section 18 of the Children Act 2004" in text  # its skos:definition
    facts = _facts(dcs)
    assert ("ecm:OfficerPost", "#OfficerPost") in facts["Superclasses"]
    assert facts["Sources"]
    # An example from the data, linked to its page.
    assert "In the data: 2 things are of this class" in text
    hrefs = {a.get("href") for a in dcs.iter(f"{XHTML}a")}  # type: ignore[attr-defined]
    assert "../post/E10999999/dcs.html" in hrefs and "DirectorOfChildrensServices.html" in hrefs


def test_a_property_section_gives_its_domain_range_inverse_and_an_example(site: Path) -> None:
    document = parse_html(site / "doc/def/index.html")
    region = _facts(_section(document, "region"))
    assert region["Domain"] == [("ecm:Authority", "#Authority")]
    assert region["Range"] == [("ecm:Region", "#Region")]
    accountable = _section(document, "accountableTo")
    assert _facts(accountable)["Inverse of"] == [("ecm:holdsToAccount", "#holdsToAccount")]
    assert " → ecm:accountableTo → " in "".join(accountable.itertext())  # type: ignore[attr-defined]
    assert _facts(_section(document, "jointAppointmentWith"))["Characteristics"] == [("symmetric", None)]
    authority = _facts(_section(document, "Authority"))
    assert ("ecm:region", "#region") in authority["In the domain of"]


def test_the_ontology_page_gives_the_metadata_and_namespaces_and_every_page_links_it(site: Path) -> None:
    document = parse_html(site / "doc/def/index.html")
    about = _facts(_section(document, "metadata"))
    assert about["Version IRI"] == [("https://w3id.org/ecmgraph/def/0.1.0", None)]
    assert about["Version"] == [("0.1.0", None)]
    assert ("https://creativecommons.org/licenses/by/4.0/", "https://creativecommons.org/licenses/by/4.0/") in about[
        "Licence"
    ]
    assert "Imports" in about and "Builds on" in about
    rows = {
        "".join(r.findall(f"{XHTML}td")[0].itertext()): "".join(r.findall(f"{XHTML}td")[1].itertext())
        for r in _section(document, "namespaces").iter(f"{XHTML}tr")  # type: ignore[attr-defined]
        if r.findall(f"{XHTML}td")
    }
    assert rows["ecm"] == str(ECM) and rows["org"] == "http://www.w3.org/ns/org#"
    assert 'href="doc/def/index.html">Ontology</a>' in (site / "index.html").read_text(encoding="utf-8")
    assert 'href="../../def/index.html">Ontology</a>' in (site / "doc/post/E10999999/dcs.html").read_text("utf-8")


# --- the index and its search -----------------------------------------------------------------------------------


def test_the_index_lists_authorities_by_region_then_tier(site: Path) -> None:
    page = (site / "index.html").read_text(encoding="utf-8")
    region = page.index("<h3>Example Region</h3>")
    other = page.index("<h3>Other Region</h3>")
    county = page.index("<h4>County councils (1)</h4>", region)
    assert region < county < other
    assert page.index('href="doc/authority/E10999999.html">Exampleshire</a>', county) < other
    assert "until 2009-03-31" in page  # Old Testbury, abolished


def test_the_search_index_is_a_script_naming_every_page(site: Path) -> None:
    text = (site / "search-index.js").read_text(encoding="utf-8")
    prefix = "window.ECMGRAPH_SEARCH = "
    entries = json.loads(text[text.index(prefix) + len(prefix) :].rstrip().rstrip(";"))
    assert ["Exampleshire", "Authority", "doc/authority/E10999999.html"] in entries
    assert all((site / page).is_file() for _, _, page in entries)
    index = (site / "index.html").read_text(encoding="utf-8")
    assert '<script src="search-index.js" defer></script>' in index and 'id="search-box"' in index


def test_the_index_has_a_schema_org_dataset(site: Path) -> None:
    document = parse_html(site / "index.html")
    scripts = [e for e in document.iter() if e.get("type") == "application/ld+json"]  # type: ignore[attr-defined]
    assert len(scripts) == 1
    dataset = json.loads(scripts[0].text)
    assert dataset["@type"] == "Dataset" and dataset["url"] == BASE_URL
    assert dataset["license"] == "https://creativecommons.org/licenses/by/4.0/"
    assert {d["contentUrl"] for d in dataset["distribution"]} == {
        BASE_URL + p for p in ("dumps/ecmgraph.ttl", "dumps/ecmgraph.nt.gz", "dumps/ecmgraph.trig")
    }


# --- RDF documents ----------------------------------------------------------------------------------------------


def _description(data: ecmgraph.Dataset, iri: str) -> rdflib.Graph:
    """What the data says of ``iri`` and of the blank nodes it points to (but its provenance and the ontology)."""
    # The ontology's statements belong to the descriptions of its terms only.
    skipped = {ox.NamedNode(PROVENANCE_GRAPH)} | (set() if iri.startswith(str(ECM)) else {ox.NamedNode(ONTOLOGY_GRAPH)})
    out = ox.Store()
    todo: list[ox.NamedNode | ox.BlankNode] = [ox.NamedNode(iri)]
    seen = set()
    while todo:
        subject = todo.pop()
        seen.add(subject)
        for q in data.store.quads_for_pattern(subject, None, None, None):
            if q.graph_name in skipped or not isinstance(q.graph_name, ox.NamedNode):
                continue
            out.add(ox.Quad(q.subject, q.predicate, q.object))
            if isinstance(q.object, ox.BlankNode) and q.object not in seen:
                todo.append(q.object)
    triples = [ox.Triple(q.subject, q.predicate, q.object) for q in out]
    return rdflib.Graph().parse(data=ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES).decode(), format="nt")


def _graph(path: Path) -> rdflib.Graph:
    """A document read by pyoxigraph (its JSON-LD parser, not rdflib's), as an rdflib graph to compare."""
    fmt = {".ttl": ox.RdfFormat.TURTLE, ".nt": ox.RdfFormat.N_TRIPLES, ".jsonld": ox.RdfFormat.JSON_LD}[path.suffix]
    triples = ox.parse(path=str(path), format=fmt)
    return rdflib.Graph().parse(data=ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES).decode(), format="nt")


@pytest.mark.parametrize(
    "rest",
    [
        "authority/E10999999",
        "post/E10999999/dcs",
        "topic/safeguarding",
        "source/example/p1",
        "responsibility/example/6",
        "def/ChildrensSocialServicesFunctions",
        "def/LocalSafeguardingChildrenBoard",
    ],
)
def test_each_document_round_trips_to_the_things_description(site: Path, data: ecmgraph.Dataset, rest: str) -> None:
    iri = str(ECM) + rest[len("def/") :] if rest.startswith("def/") else str(ECMID) + rest
    expected = _description(data, iri)
    assert len(expected) > 2
    for ext, fmt in (("ttl", "turtle"), ("nt", "nt")):
        got = rdflib.Graph().parse(site / "doc" / f"{rest}.{ext}", format=fmt)
        assert isomorphic(got, expected), f"{rest}.{ext}"
    assert isomorphic(_graph(site / "doc" / f"{rest}.jsonld"), expected), f"{rest}.jsonld"


def test_every_document_of_every_thing_parses_to_the_same_graph(site: Path) -> None:
    for page in pages_of(site / "doc"):
        if page.name == "index.html":
            continue
        base = page.with_suffix("")
        graphs = [_graph(base.with_suffix(ext)) for ext in (".ttl", ".nt", ".jsonld")]
        assert isomorphic(graphs[0], graphs[1]) and isomorphic(graphs[0], graphs[2]), base


def test_the_jsonld_context_is_readable(site: Path) -> None:
    document = json.loads((site / "doc/post/E10999999/dcs.jsonld").read_text(encoding="utf-8"))
    context = document["@context"]
    assert context["id"] == "@id" and context["type"] == "@type"
    assert document["id"] == str(ECMID) + "post/E10999999/dcs"
    assert document["type"] == "ecm:DirectorOfChildrensServices"
    assert document["postIn"] == str(ECMID) + "authority/E10999999"
    assert context["postIn"] == {"@id": "http://www.w3.org/ns/org#postIn", "@type": "@id"}


# --- data for machines ------------------------------------------------------------------------------------------


def test_the_checksums_match_the_dumps(site: Path) -> None:
    lines = (site / "dumps/SHA256SUMS").read_text().splitlines()
    assert len(lines) == 3
    for line in lines:
        digest, name = line.split("  ")
        assert hashlib.sha256((site / "dumps" / name).read_bytes()).hexdigest() == digest


def test_the_gzip_dump_has_no_name_and_no_time(site: Path, data: ecmgraph.Dataset) -> None:
    raw = (site / "dumps/ecmgraph.nt.gz").read_bytes()
    assert raw[:2] == b"\x1f\x8b" and raw[3] & 0x08 == 0, "no FNAME"
    assert raw[4:8] == b"\0\0\0\0", "mtime 0"
    triples = list(ox.parse(gzip.decompress(raw), format=ox.RdfFormat.N_TRIPLES))
    assert len(triples) > 300


def test_the_dumps_sorted_by_their_lines_are_in_the_order_of_the_sort_key() -> None:
    from ecmgraph.publish.machine import _in_order
    from ecmgraph.publish.rdfdocs import sort_key

    iri, lit, blank = ox.NamedNode, ox.Literal, ox.BlankNode
    subjects: list[ox.NamedNode | ox.BlankNode] = [iri("http://ex/a"), iri("http://ex/a/b"), iri("http://ex/a%20b")]
    subjects += [blank("b1"), blank("b12"), iri("http://ex/\u00e9t\u00e9"), iri("http://ex/A")]
    objects: list[ox.NamedNode | ox.BlankNode | ox.Literal] = [lit("a"), lit("a b"), lit("a", language="en")]
    objects += [lit("a", datatype=iri("http://ex/t")), lit('a"b'), lit("a\nb"), lit("\u00e9"), lit("~"), lit("")]
    objects += [iri("http://ex/a"), iri("http://ex/a/"), blank("b1"), blank("b12"), lit("1", datatype=iri("http://x/"))]
    predicates = [iri("http://ex/p"), iri("http://ex/p2"), iri("http://ex/q")]
    graphs = [iri("http://ex/g"), iri("http://ex/g/2"), iri("http://ex/h")]
    triples = [ox.Triple(s, p, o) for s in reversed(subjects) for p in predicates[::-1] for o in objects[::-1]]
    quads = [ox.Quad(t.subject, t.predicate, t.object, g) for t in triples[::7] for g in graphs[::-1]]
    ordered, lines = _in_order(triples, ox.RdfFormat.N_TRIPLES)
    assert ordered == sorted(triples, key=sort_key)
    assert b"".join(lines) == ox.serialize(ordered, format=ox.RdfFormat.N_TRIPLES)
    in_graphs, quad_lines = _in_order(quads, ox.RdfFormat.N_QUADS)
    assert in_graphs == sorted(quads, key=sort_key)  # by graph first: not the order of the lines alone
    assert b"".join(quad_lines) == ox.serialize(in_graphs, format=ox.RdfFormat.N_QUADS)


def test_the_trig_dump_keeps_the_named_graphs(site: Path, data: ecmgraph.Dataset) -> None:
    quads = list(ox.parse(path=str(site / "dumps/ecmgraph.trig"), format=ox.RdfFormat.TRIG))
    graphs = {q.graph_name.value for q in quads if isinstance(q.graph_name, ox.NamedNode)}
    loaded = {q.graph_name.value for q in data.store.quads_for_pattern(None, None, None, None)}  # type: ignore[union-attr]
    assert {g for g in loaded if not g.startswith("file:")} <= graphs
    assert str(ECMID) + "source/example/p1" in graphs
    # The user's own file is named under the base URL: the dump does not publish the publisher's folders.
    assert BASE_URL + "graph/exampleshire.trig" in graphs
    assert "file:" not in (site / "dumps/ecmgraph.trig").read_text(encoding="utf-8")


ASK = {
    "void": [
        "ASK { ?d a void:Dataset ; void:triples ?n ; void:dataDump ?dump ; dcterms:license ?l ; void:uriSpace ?u "
        "FILTER(?n > 300) }",
        "ASK { ?d void:vocabulary <http://www.w3.org/ns/org#> }",
    ],
    "dcat": [
        "ASK { ?c a dcat:Catalog ; dcat:dataset ?d . ?d a dcat:Dataset ; dcterms:title ?t ; dcterms:license ?l ; "
        "dcat:landingPage ?p ; dcat:distribution ?x }",
        "ASK { FILTER NOT EXISTS { ?d dcat:distribution ?x FILTER NOT EXISTS { ?x a dcat:Distribution ; "
        "dcat:downloadURL ?u ; dcat:mediaType ?m ; dcat:byteSize ?b ; spdx:checksum [ spdx:checksumValue ?v ] } } }",
    ],
}
PREFIXES = (
    "PREFIX void: <http://rdfs.org/ns/void#> PREFIX dcat: <http://www.w3.org/ns/dcat#> "
    "PREFIX dcterms: <http://purl.org/dc/terms/> PREFIX spdx: <http://spdx.org/rdf/terms#> "
)


def _store(*paths: Path) -> ox.Store:
    store = ox.Store()
    for path in paths:
        store.load(path=str(path), format=ox.RdfFormat.TURTLE)
    return store


def test_void_is_at_well_known_and_in_the_dumps(site: Path) -> None:
    for path in (site / ".well-known/void", site / "dumps/ecmgraph.ttl"):
        store = _store(path)
        for query in ASK["void"]:
            assert store.query(PREFIXES + query), (path, query)


def test_the_dcat_catalogue_describes_each_dump_with_its_checksum_and_size(site: Path) -> None:
    store = _store(site / "catalog.ttl")
    for query in ASK["dcat"]:
        assert store.query(PREFIXES + query), query
    for line in (site / "dumps/SHA256SUMS").read_text().splitlines():
        digest, name = line.split("  ")
        size = (site / "dumps" / name).stat().st_size
        assert store.query(
            PREFIXES + f"ASK {{ ?x dcat:downloadURL <{BASE_URL}dumps/{name}> ; dcat:byteSize {size} ; "
            f'spdx:checksum [ spdx:checksumValue ?v ] FILTER(STR(?v) = "{digest}") }}'
        ), name


def test_the_sitemap_lists_every_page_under_the_base_url(site: Path) -> None:
    text = (site / "sitemap.xml").read_text()
    locations = re.findall(r"<loc>(.*?)</loc>", text)
    assert sorted(locations) == sorted(BASE_URL + p.relative_to(site).as_posix() for p in pages_of(site))


# --- the packaged data ------------------------------------------------------------------------------------------


@pytest.mark.slow
def test_the_packaged_data_publishes_and_every_page_parses(tmp_path: Path) -> None:
    data = ecmgraph.load()  # how long it takes is bench/'s to measure, not a test's
    published = publish(data, tmp_path / "site", base_url=BASE_URL, as_of=DAY)
    assert published.pages > 1000
    assert (tmp_path / "site/doc/authority/E10000028.html").is_file()  # Staffordshire
    staffordshire = (tmp_path / "site/doc/authority/E10000028.html").read_text(encoding="utf-8")
    assert 'role="img"' in staffordshire
    assert (
        'id="statutory-posts"' in staffordshire
        and "Director of Children&#39;s Services, Staffordshire" in staffordshire
    )
    for page in pages_of(tmp_path / "site"):
        document = html5lib.HTMLParser(strict=True).parse(page.read_bytes(), transport_encoding="utf-8")
        assert len(document.findall(f".//{XHTML}h1")) == 1, page


@pytest.mark.parametrize(
    ("page", "target", "address"),
    [
        ("index.html", "doc/authority/E1.html", "doc/authority/E1.html"),
        ("doc/authority/E1.html", "doc/post/E1/dcs.html", "../post/E1/dcs.html"),
        ("doc/post/E1/dcs.html", "doc/post/E1.html#x", "../E1.html#x"),
        ("doc/post/E1/dcs.html", "style.css", "../../../style.css"),
        ("rules/ECM001.html", "rules/ECM002.html", "ECM002.html"),
        ("checks.html", "#rules", "#rules"),
    ],
)
def test_links_are_relative_to_the_page(page: str, target: str, address: str) -> None:
    from ecmgraph.publish.pages import relative

    assert relative(page, target) == address


def test_every_jsonld_document_is_written_as_json_dumps_indents_it(site: Path) -> None:
    documents = sorted(site.rglob("*.jsonld"))
    assert len(documents) > 50
    for path in documents:
        text = path.read_text(encoding="utf-8")
        assert text == json.dumps(json.loads(text), ensure_ascii=False, indent=2) + "\n", path
