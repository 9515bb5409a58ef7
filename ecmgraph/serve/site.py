"""The site ``ecmgraph publish`` writes, made in memory at start-up and served as it is: the same files from the
same templates, with ``/id/…`` sent to ``/doc/…`` by the route table of the published serving rules
(:mod:`ecmgraph.publish.routes`)."""

from __future__ import annotations

import datetime as dt
import mimetypes
from dataclasses import dataclass
from importlib.resources import files as package_files

import jinja2

from ecmgraph.publish.build import build_files, site_pages
from ecmgraph.publish.metadata import DEFAULT_METADATA
from ecmgraph.publish.model import SiteData
from ecmgraph.publish.pages import Pages, relative
from ecmgraph.publish.routes import EXTRA_TYPES, ROUTES, choose, resolve
from ecmgraph.store import Dataset
from ecmgraph.validation import ValidationReport, validate

#: serve's own files (the query page's scripts, YASGUI), under this folder of the site.
ASSETS = "assets/"
#: Media types by file extension: the route table's first, then the usual ones.
_TYPES = {f".{r.extension}": r.media_type for r in (*ROUTES, *EXTRA_TYPES)} | {
    ".css": "text/css",
    ".js": "text/javascript",
    ".svg": "image/svg+xml",
    ".xml": "application/xml",
    ".json": "application/json",
    ".txt": "text/plain",
}
#: Files with no extension that the site serves, and their media type.
_NAMED_TYPES = {".well-known/void": "text/turtle", "dumps/SHA256SUMS": "text/plain"}
#: Files of a published site that are not for a live server: its rules for other servers.
_NOT_SERVED = (".htaccess", "serving/", ".ecmgraph-site")


@dataclass(frozen=True)
class SiteFile:
    """One file of the site: its bytes and media type."""

    body: bytes
    media_type: str


@dataclass
class LiveSite:
    """The site's files by path, the site's reading of the data, its validation, and the page renderer."""

    files: dict[str, SiteFile]
    site: SiteData
    report: ValidationReport
    pages: Pages

    def lookup(self, path: str, accept: str | None) -> tuple[int, str | SiteFile] | None:
        """What a request for ``path`` (without its leading ``/``) gets: (200, the file), (303, where to, relative
        to the path), or None when there is nothing there."""
        if any(path == p or (p.endswith("/") and path.startswith(p)) for p in _NOT_SERVED):
            return None
        if path == "" or path.endswith("/"):
            path += "index.html"
        found = self.files.get(path)
        if found is not None:
            return 200, found
        sent = resolve(path, accept)
        if sent is not None:
            return sent[0], relative(path, sent[1])
        if path.startswith("doc/") and f"{path}.html" in self.files:  # a document named without its extension
            return 303, relative(path, f"{path}.{choose(accept).extension}")
        if f"{path}/index.html" in self.files:
            return 303, relative(path, f"{path}/index.html")
        return None


def media_type(path: str) -> str:
    """The ``Content-Type`` of a site file."""
    if path in _NAMED_TYPES:
        media = _NAMED_TYPES[path]
    else:
        suffix = path[path.rfind(".") :] if "." in path.rsplit("/", 1)[-1] else ""
        media = _TYPES.get(suffix) or mimetypes.guess_type(path)[0] or "application/octet-stream"
    textual = media.startswith("text/") or media.endswith(("json", "xml", "turtle", "n-triples", "trig"))
    return f"{media}; charset=utf-8" if textual else media


def build_site(dataset: Dataset, *, base_url: str, as_of: dt.date | None = None) -> LiveSite:
    """Validate the data as at ``as_of`` (default today) and make every file of its site, as ``ecmgraph
    publish`` would for ``base_url`` (breaches are listed on the checks page, as ``--allow-breaches`` does)."""
    report = validate(dataset, as_of=as_of or dt.date.today())
    site, pages = site_pages(dataset, report, DEFAULT_METADATA)
    made = build_files(
        dataset,
        report,
        base_url=base_url,
        metadata=DEFAULT_METADATA,
        allowed=bool(report.breaches),
        prepared=(site, pages),
    )
    assets = package_files("ecmgraph.serve") / "static"
    for item in sorted(assets.iterdir(), key=lambda i: i.name):
        if item.is_file() and not item.name.startswith("."):
            made[ASSETS + item.name] = item.read_bytes()
    # serve's own pages extend the site's base.html: its templates first, then the site's.
    pages.env.loader = jinja2.ChoiceLoader([jinja2.PackageLoader("ecmgraph.serve", "templates"), pages.env.loader])  # type: ignore[list-item]
    files = {path: SiteFile(body, media_type(path)) for path, body in made.items()}
    return LiveSite(files, site, report, pages)
