"""Every file of a published site, made in memory: pages, each thing's documents, the index and its search, the
checks, the dumps and their descriptions, and the serving rules. :func:`build_files` gives them by site path."""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import gc
import json
import multiprocessing
import os
from collections import defaultdict
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from importlib.resources import files as package_files
from pathlib import Path
from typing import Any, Generic, TypeVar

import pyoxigraph as ox

from ecmgraph.diagram.holders import Holding
from ecmgraph.engines import Engine, engine_for
from ecmgraph.errors import EcmgraphError
from ecmgraph.namespaces import ECM, ORG
from ecmgraph.publish import charts, checks, machine, questions, routes
from ecmgraph.publish.metadata import SiteMetadata
from ecmgraph.publish.model import AUTHORITY_CLASSES, SiteData, Thing, category_title, read_site
from ecmgraph.publish.ontology import ONTOLOGY_PAGE, ontology_page
from ecmgraph.publish.pages import Pages, relative, schema_dataset
from ecmgraph.publish.rdfdocs import description_quads, jsonld_document, serialize, sort_key
from ecmgraph.store import Dataset
from ecmgraph.validation import ValidationReport

T = TypeVar("T")

#: The site's own static files, copied as they are.
STATIC = ("style.css", "search.js")


def site_pages(
    dataset: Dataset, report: ValidationReport, metadata: SiteMetadata, site: SiteData | None = None
) -> tuple[SiteData, Pages]:
    """The data as the site shows it (``site``, when :func:`~ecmgraph.publish.model.read_site` gave it already),
    and the page renderer that knows the build (date, rules, findings)."""
    site = site or read_site(dataset)
    build = {
        "as_of": report.as_of.isoformat(),
        "rules_checked": len(report.rules),
        "breaches": len(report.breaches),
        "gaps": len(report.gaps),
    }
    return site, Pages(site, metadata, build)


def build_files(
    dataset: Dataset,
    report: ValidationReport,
    *,
    base_url: str,
    metadata: SiteMetadata,
    allowed: bool,
    prepared: tuple[SiteData, Pages] | None = None,
    jobs: int = 1,
) -> dict[str, bytes]:
    """Every file of the site, by site path (``doc/authority/E10000028.html``…), in memory; ``prepared`` is what
    :func:`site_pages` gave for the same data, report and metadata, when the caller needs it too; ``jobs``, the
    number of processes that make the files (:func:`run_tasks`; the files are the same for any number)."""
    return _build(dataset, report, base_url, metadata, allowed, prepared, jobs, _in_memory)


def write_files(
    folder: Path,
    dataset: Dataset,
    report: ValidationReport,
    *,
    base_url: str,
    metadata: SiteMetadata,
    allowed: bool,
    jobs: int = 1,
    site: SiteData | None = None,
) -> dict[str, int]:
    """Make every file of the site, as :func:`build_files` does, and write each into ``folder`` (new files only:
    one there already is an error) where it is made, in the worker process that made it; the size of each, by
    site path. ``site``: what :func:`~ecmgraph.publish.model.read_site` gave for ``dataset``, if read already."""
    prepared = site_pages(dataset, report, metadata, site)
    keep = functools.partial(write_into, str(folder))
    return _build(dataset, report, base_url, metadata, allowed, prepared, jobs, keep)


def _in_memory(files: dict[str, bytes]) -> dict[str, bytes]:
    return files


def write_into(root: str, files: dict[str, bytes]) -> dict[str, int]:
    """Write each of ``files`` (site path -> bytes) as a new file under the folder ``root`` (one there already is
    an error), making the folders they need; the size of each, by site path."""
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0)
    for folder in sorted({path.rpartition("/")[0] for path in files} - {""}):
        os.makedirs(os.path.join(root, folder), exist_ok=True)
    for path, data in files.items():
        # os.open and one os.write: a third of the system calls of Path.write_bytes, for hundreds of thousands of
        # files.
        fd = os.open(os.path.join(root, path), flags, 0o666)
        try:
            view = memoryview(data)
            while view:
                view = view[os.write(fd, view) :]
        finally:
            os.close(fd)
    return {path: len(data) for path, data in files.items()}


def _build(
    dataset: Dataset,
    report: ValidationReport,
    base_url: str,
    metadata: SiteMetadata,
    allowed: bool,
    prepared: tuple[SiteData, Pages] | None,
    jobs: int,
    keep: Callable[[dict[str, bytes]], dict[str, T]],
) -> dict[str, T]:
    """Every file of the site, each batch passed to ``keep`` where it is made; what ``keep`` gives, by path."""
    site, pages = prepared or site_pages(dataset, report, metadata)
    static = package_files("ecmgraph.publish") / "templates" / "static"
    maker = _thing_maker(dataset, site, pages, report)
    iris = list(site.things)

    def checked() -> dict[str, bytes]:  # the gate's pages, and the compliance matrix's question page
        matrix = checks.compliance_table(dataset, report.as_of, report)
        made = checks.check_pages(site, pages, report, allowed, matrix)
        return made | questions.question_pages(dataset, site, pages, report.as_of, {"compliance-matrix": matrix})

    def dumps() -> dict[str, bytes]:  # and the data page, which lists them with their sizes and checksums
        made = machine.machine_files(dataset, site, base_url=base_url, metadata=metadata, report=report)
        rows = machine.dump_rows(made)
        made["data.html"] = pages.render("data.html", "data.html", "The data", dumps=rows).encode()
        return made

    def contents() -> dict[str, bytes]:  # the index, the lists of each kind, the ontology's page, the search
        made = {"index.html": _index(site, pages, base_url, metadata)} | _category_pages(site, pages)
        made[ONTOLOGY_PAGE] = ontology_page(dataset, site, pages)  # the ontology's terms: its documentation
        made["search-index.js"] = _search_index(site)
        made.update((name, static.joinpath(name).read_bytes()) for name in STATIC)
        made.update(routes.rule_files(base_url))
        return made

    # In worker processes where there are several: the checks and questions, the dumps and the contents first
    # (one task each), then the things, a chunk of them a task. Each task's files are kept where it ran.
    tasks: list[Callable[[], dict[str, bytes]]] = [checked, dumps, contents]
    tasks += [functools.partial(maker.files, iris[i : i + _CHUNK]) for i in range(0, len(iris), _CHUNK)]
    out: dict[str, T] = {}
    for kept in run_tasks([_Kept(task, keep) for task in tasks], jobs):
        out.update(kept)
    pages_made = sorted(p for p in out if p.endswith(".html"))
    out.update(keep({"sitemap.xml": machine.sitemap(base_url, pages_made)}))
    return out


@dataclass(frozen=True)
class _Kept(Generic[T]):
    """A task whose files are passed to ``keep`` where it runs."""

    task: Callable[[], dict[str, bytes]]
    keep: Callable[[dict[str, bytes]], dict[str, T]]

    def __call__(self) -> dict[str, T]:
        return self.keep(self.task())


#: Things a worker process is given at a time (an authority's chart takes as long as a few hundred pages).
_CHUNK = 100


@dataclass(frozen=True)
class _ThingMaker:
    """What every thing's files are made from: the site, its renderer, the engine and the day."""

    site: SiteData
    pages: Pages
    engine: Engine
    day: dt.date

    def files(self, iris: Sequence[str]) -> dict[str, bytes]:
        """The page and the three RDF documents of each of ``iris``, by site path."""
        out: dict[str, bytes] = {}
        found = self._holdings(iris)
        for iri in iris:
            thing = self.site.things[iri]
            base = thing.page[: -len(".html")]
            triples = sorted(description_quads(self.site.descriptions[iri]), key=sort_key)
            out[f"{base}.ttl"] = serialize(triples, ox.RdfFormat.TURTLE, ordered=True)
            out[f"{base}.nt"] = serialize(triples, ox.RdfFormat.N_TRIPLES, ordered=True)
            out[f"{base}.jsonld"] = jsonld_document(iri, triples).encode()
            extras: dict[str, Any] = {"holders": (), "statutory": (), "chart_svg": "", "chart_note": ""}
            if thing.category == "post":
                extras["holders"] = charts.holders(found, iri, self.day)
            if thing.category == "authority":
                extras["statutory"] = charts.statutory_posts(self.site, thing, found, self.day)
                extras.update(charts.authority_chart(self.engine, self.site, thing, self.day))
            out[thing.page] = self.pages.thing(thing, extras).encode()
        return out

    def _holdings(self, iris: Sequence[str]) -> dict[str, tuple[Holding, ...]]:
        """The holdings on the day of the posts among ``iris`` and of the posts in its authorities (which their
        pages list), read in one pass where the pages are made."""
        posts = {iri for iri in iris if self.site.things[iri].category == "post"}
        for iri in iris:
            if self.site.things[iri].category == "authority":
                posts.update(s for s, p, _ in self.site.things[iri].referenced_by if p == _POST_IN)
        kept = sorted(p for p in posts if (t := self.site.things.get(p)) is not None and t.category == "post")
        return charts.post_holdings(self.engine, kept, self.day)


_POST_IN = str(ORG.postIn)


def _thing_maker(dataset: Dataset, site: SiteData, pages: Pages, report: ValidationReport) -> _ThingMaker:
    return _ThingMaker(site, pages, engine_for(dataset), report.as_of)


#: The tasks forked worker processes inherit (set only while they run).
_TASKS: Sequence[Callable[[], Any]] = ()


def _run_task(index: int) -> Any:
    return _TASKS[index]()


def run_tasks(tasks: Sequence[Callable[[], T]], jobs: int) -> list[T]:
    """Each task's result, in the order of ``tasks``. With ``jobs`` above 1, where processes can be forked, the
    tasks run in that many worker processes, each a copy of this one made once all that the tasks read is
    ready, and their results come back pickled; else here, one after the other. The results are the same."""
    global _TASKS
    if jobs <= 1 or len(tasks) < 2 or not _can_fork():
        return [task() for task in tasks]
    _TASKS = tasks
    try:
        with _frozen(), _workers(min(jobs, len(tasks))) as pool:
            return list(pool.map(_run_task, range(len(tasks)), chunksize=1))
    except BrokenProcessPool as exc:  # a worker killed (by the kernel, short of memory): not a hang, an error
        raise EcmgraphError(
            "a worker process stopped before its part of the site was made (killed: out of memory?); "
            "nothing was published",
            hint="give --jobs 1 to make the site in one process, which takes less memory, or free some",
        ) from exc
    finally:
        _TASKS = ()


def run_beside(there: Callable[[], T], here: Callable[[], Any], jobs: int) -> tuple[T | None, Any]:
    """``there()`` in a forked copy of this process while ``here()`` runs in this one, where ``jobs`` is above 1
    and processes can be forked; else both here, one after the other. ``there``'s result comes back pickled: None
    when it raised (the caller runs it again to raise here, where the exception keeps all it holds)."""
    global _TASKS
    if jobs <= 1 or not _can_fork():
        return there(), here()
    _TASKS = (functools.partial(_or_none, there),)
    try:
        with _frozen(), _workers(1) as pool:
            pending = pool.submit(_run_task, 0)
            done_here = here()
            try:
                return pending.result(), done_here
            except BrokenProcessPool:  # the copy was killed: the caller runs the task here
                return None, done_here
    finally:
        _TASKS = ()


def _or_none(task: Callable[[], T]) -> T | None:
    try:
        return task()
    except Exception:  # told to the caller as None: it runs the task again, here
        return None


@contextlib.contextmanager
def _workers(count: int) -> Iterator[ProcessPoolExecutor]:
    """``count`` worker processes forked from this one (all at once, before the pool's own thread starts): a
    worker that dies breaks the pool, and its caller hears of it, where a multiprocessing.Pool would wait for ever
    for the task it lost. When the block raises (Ctrl-C, SIGTERM, a task's error), the workers are killed at once
    rather than left to finish the tasks still queued."""
    pool = ProcessPoolExecutor(count, mp_context=multiprocessing.get_context("fork"))
    try:
        yield pool
    except BaseException:
        for process in list((getattr(pool, "_processes", None) or {}).values()):
            process.kill()
        pool.shutdown(wait=True, cancel_futures=True)
        raise
    pool.shutdown(wait=True)


def _can_fork() -> bool:
    return "fork" in multiprocessing.get_all_start_methods()


@contextlib.contextmanager
def _frozen() -> Iterator[None]:
    """The objects made so far left out of garbage collection while forked processes run: a collection in a child
    would write to every object it visits, and so copy the parent's memory page by page."""
    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()


def _authorities(site: SiteData) -> list[Thing]:
    return [t for t in site.things.values() if t.category == "authority" and set(t.types) & set(AUTHORITY_CLASSES)]


def _value_of(thing: Thing, predicate: str) -> str | None:
    return next((s.value.value for s in thing.statements if s.predicate == predicate), None)


def _index(site: SiteData, pages: Pages, base_url: str, metadata: SiteMetadata) -> bytes:
    """Authorities by region, then by tier (the ontology's classes of authority, in their order)."""
    regions: dict[str, dict[str, list[dict[str, str]]]] = defaultdict(lambda: defaultdict(list))
    for thing in _authorities(site):
        region = _value_of(thing, str(ECM.region)) or ""
        tier = next(c for c in AUTHORITY_CLASSES if c in thing.types)
        end = _value_of(thing, str(ECM.endDate))
        regions[region][tier].append(
            {"href": thing.page, "text": thing.label, "note": f"until {end}" if end else "", "iri": thing.iri}
        )
    view: list[dict[str, Any]] = []
    for region in sorted(regions, key=lambda r: (not r, site.label(r).lower() if r else "")):
        title = site.label(region) if region else "No region recorded"
        tiers: list[dict[str, Any]] = [
            {"title": _plural(_capitalised(site.label(c))), "rows": sorted(regions[region][c], key=_by_text)}
            for c in AUTHORITY_CLASSES
            if c in regions[region]
        ]
        view.append(
            {"id": "region-" + (region.rsplit("/", 1)[-1] if region else "none"), "title": title, "tiers": tiers}
        )
    categories = _categories(site)
    return pages.render(
        "index.html",
        "index.html",
        metadata.title,
        regions=view,
        authority_count=len(_authorities(site)),
        things_count=len(site.things),
        categories=[
            {
                "href": f"doc/{c}/index.html",
                "title": "The ontology: its documentation and terms" if c == "def" else _plural(category_title(c)),
                "count": len(ts),
            }
            for c, ts in categories.items()
        ],
        dataset_jsonld=schema_dataset(metadata, base_url, machine.DUMPS_FOR_SCHEMA),
    ).encode()


def _by_text(row: dict[str, str]) -> tuple[str, str]:
    return (row["text"], row["iri"])


_PLURALS = {"Person": "People", "Legislation": "Legislation"}


def _plural(label: str) -> str:
    """ "County councils", "Unitary authorities", "Bodies"; a label that ends in s stays as it is."""
    if label in _PLURALS:
        return _PLURALS[label]
    if label.endswith("s"):
        return label
    if label.endswith("y") and label[-2:-1] not in ("a", "e", "o", "u"):
        return label[:-1] + "ies"
    return label + "s"


def _capitalised(label: str) -> str:
    return label[:1].upper() + label[1:]


def _categories(site: SiteData) -> dict[str, list[Thing]]:
    found: dict[str, list[Thing]] = defaultdict(list)
    for thing in site.things.values():
        found[thing.category].append(thing)
    return dict(sorted(found.items()))


def _category_pages(site: SiteData, pages: Pages) -> dict[str, bytes]:
    out = {}
    for category, things in _categories(site).items():
        page = f"doc/{category}/index.html"
        if page == ONTOLOGY_PAGE:
            continue
        title = f"{_plural(category_title(category))}: {len(things)}"
        rows = [
            {"href": relative(page, t.page), "text": t.label}
            for t in sorted(things, key=lambda t: (t.label.lower(), t.iri))
        ]
        out[page] = pages.render("category.html", page, title, rows=rows).encode()
    return out


def _search_index(site: SiteData) -> bytes:
    """Every thing's label, kind and page, as a script that sets a global (``file://`` forbids fetching)."""
    entries = [
        [t.label, category_title(t.category), t.page]
        for t in sorted(site.things.values(), key=lambda t: (t.category != "authority", t.label.lower(), t.iri))
    ]
    text = json.dumps(entries, ensure_ascii=False, separators=(",", ":"))
    text = text.replace("<", "\\u003c").replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")
    return f"// The names the search box of index.html looks through: [label, kind, page].\nwindow.ECMGRAPH_SEARCH = {text};\n".encode()
