"""The HTML pages of a published site, from the Jinja2 templates in ``ecmgraph/publish/templates/``.

Pages link only relatively (the site works from ``file://`` and under any base URL), load one stylesheet and, on
the index, two scripts of the site's own; no inline script or style, so a strict Content-Security-Policy holds.
What the templates show is prepared here as plain dictionaries, every address already relative to the page.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
import re
from collections import defaultdict
from collections.abc import Mapping, Sequence
from typing import Any

import jinja2
import pyoxigraph as ox
from markupsafe import Markup

from ecmgraph.namespaces import ECM, LEGISLATION_WEB, ORG, RDF, SCHEMA, STATGEO, XSD, legislation_url
from ecmgraph.publish.metadata import SiteMetadata
from ecmgraph.publish.model import SiteData, Source, Statement, Thing, category_title

#: Headings of the sections that list what points to a thing, by the property that points.
INCOMING_TITLES = {
    str(ORG.postIn): "Posts",
    str(ECM.bodyOf): "Bodies",
    str(ECM.parentCounty): "Districts",
    str(ECM.relevantPartnerOf): "Relevant partners",
    str(ECM.region): "Authorities in the region",
    str(ECM.post): "Tenures and vacancies",
    str(ECM.holder): "Tenures held",
    str(ORG.subOrganizationOf): "Parts",
}
#: The most things a section of a thing's page lists of those that point to it (by name, then IRI): a class's
#: page would otherwise list every instance, tens of thousands for England. The section says how many there are,
#: and the dumps hold them all.
MAX_LISTED = 500
#: The RDF documents of each thing, as (extension, media type, name).
ALTERNATES = (
    ("ttl", "text/turtle", "Turtle"),
    ("jsonld", "application/ld+json", "JSON-LD"),
    ("nt", "application/n-triples", "N-Triples"),
)

_RDF_TYPE = str(RDF.type)


def term(v: Mapping[str, Any]) -> Markup:
    """A term as a page shows it: its label, linked to its page (the IRI as its title), with its language or
    datatype, and a link to the text of a statute on legislation.gov.uk or to the ONS page of a code. Written in
    Python rather than as a template macro, and kept for the next page that shows the same term the same way: it
    is called for every value of every page, and most are the same few properties, posts and sources."""
    text = v["text"]
    return _term(text, isinstance(text, Markup), v.get("href"), v.get("iri"), v.get("note"), v.get("external"))


@functools.lru_cache(maxsize=1 << 16)
def _term(text: str, markup: bool, href: str | None, iri: str | None, note: str | None, external: str | None) -> Markup:
    """:func:`term` of a term's parts (``markup``: the text is HTML already; a Markup equals the same str)."""
    shown = str(text) if markup else _escape(text)
    if href:
        title = f' title="{_escape(iri)}"' if iri else ""
        out = f'<a href="{_escape(href)}"{title}>{shown}</a>'
    elif iri:
        out = f'<span title="{_escape(iri)}">{shown}</span>'
    else:
        out = shown
    if note:
        out += f' <span class="note">({_escape(note)})</span>'
    if external:
        words = "text on legislation.gov.uk" if external.startswith(LEGISLATION_WEB) else "ONS"
        out += f' <a class="external" href="{_escape(external)}">{words}</a>'
    return Markup(out)


def sources(rows: Sequence[Mapping[str, Any]]) -> Markup:
    """Sources as a page shows them: each linked to its page where it has one, "; " between them."""
    parts = []
    for s in rows:
        title = f' title="{_escape(s["title"])}"' if s.get("title") else ""
        if s.get("href"):
            parts.append(f'<a href="{_escape(s["href"])}"{title}>{_escape(s["text"])}</a>')
        else:
            parts.append(f"<span{title}>{_escape(s['text'])}</span>")
    return Markup("; ".join(parts))


def statement_table(rows: Sequence[Mapping[str, Any]]) -> Markup:
    """A thing's statements (:meth:`Viewer.statement`) as a table of property, value (with its nested
    statements) and sources. Python, like :func:`term`: a page may have hundreds of rows."""
    out = [
        '<table class="statements">\n<thead><tr><th scope="col">Property</th><th scope="col">Value</th>'
        '<th scope="col">Source</th></tr></thead>\n<tbody>\n'
    ]
    for s in rows:
        out.append(f'<tr><th scope="row">{term(s["property"])}</th><td>{term(s["value"])}\n')
        if s["nested"]:
            out.append('<dl class="nested">\n')
            out.extend(f"<dt>{term(n['property'])}</dt><dd>{term(n['value'])}</dd>\n" for n in s["nested"])
            out.append("</dl>\n")
        out.append(f'</td><td class="source">{sources(s["sources"])}</td></tr>\n')
    out.append("</tbody>\n</table>\n")
    return Markup("".join(out))


def incoming_rows(rows: Sequence[Mapping[str, Any]]) -> Markup:
    """The items of a list of things that point to a page's thing: each linked, with its sources and its other
    statements (:meth:`Pages.thing`'s sections)."""
    out = []
    for row in rows:
        out.append(f'<li>{term(row["value"])} <span class="source">[{sources(row["sources"])}]</span>\n')
        if row["details"]:
            out.append('<dl class="nested">\n')
            for n in row["details"]:
                nested = " · ".join(str(term(m["value"])) for m in n["nested"])
                out.append(
                    f"<dt>{term(n['property'])}</dt><dd>{term(n['value'])}{' · ' if nested else ''}{nested}</dd>\n"
                )
            out.append("</dl>\n")
        out.append("</li>\n")
    return Markup("".join(out))


def _escape(value: object) -> str:
    """``value`` escaped for HTML text and attributes, as ``markupsafe.escape`` does (the same entities), without
    making a Markup of every piece: it is called for every label, address and title of every page."""
    if hasattr(value, "__html__"):
        return str(value.__html__())
    text = str(value)
    if "&" in text or "<" in text or ">" in text or '"' in text or "'" in text:
        return (
            text.replace("&", "&amp;")
            .replace(">", "&gt;")
            .replace("<", "&lt;")
            .replace("'", "&#39;")
            .replace('"', "&#34;")
        )
    return text


def environment() -> jinja2.Environment:
    """The templates, escaping everything they are given, with :func:`term` and :func:`sources`."""
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("ecmgraph.publish", "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        auto_reload=False,  # the package's templates do not change while a site is built
    )
    env.globals.update(term=term, sources=sources, statement_table=statement_table, incoming_rows=incoming_rows)
    return env


def relative(page: str, target: str) -> str:
    """The address of ``target`` (a site path; may end in ``#fragment``) relative to the page at ``page``."""
    path, _, fragment = target.partition("#")
    rel = _relative_path(path, page) if path else ""
    return rel + (f"#{fragment}" if fragment else "")


def _relative_path(path: str, page: str) -> str:
    """``posixpath.relpath(path, dirname(page))`` for site paths, without its calls to the file system (it is
    called for every link of every page)."""
    folder, _, name = path.rpartition("/")
    return _folder_prefix(folder, page.rpartition("/")[0]) + name


@functools.lru_cache(maxsize=4096)
def _folder_prefix(folder: str, here: str) -> str:
    """The relative address of site folder ``folder`` from site folder ``here``, with a final "/" (or "")."""
    mine = here.split("/") if here else []
    theirs = folder.split("/") if folder else []
    common = 0
    for a, b in zip(mine, theirs):
        if a != b:
            break
        common += 1
    return "".join(["../"] * (len(mine) - common) + [f"{part}/" for part in theirs[common:]])


class Pages:
    """Renders the site's pages; every page is given the site-wide context (metadata, build, root)."""

    def __init__(self, site: SiteData, metadata: SiteMetadata, build: Mapping[str, Any]) -> None:
        self.site = site
        self.metadata = metadata
        self.build = build
        self.env = environment()
        self._chromes: dict[str, dict[str, Markup]] = {}

    def render(self, template: str, page: str, title: str, **context: Any) -> str:
        """One page at site path ``page``."""

        def link(target: str) -> str:
            return relative(page, target)

        return self.env.get_template(template).render(
            page=page,
            title=title,
            link=link,
            meta=self.metadata,
            build=self.build,
            chrome=self._chrome(page.rpartition("/")[0]),
            **context,
        )

    def _chrome(self, folder: str) -> dict[str, Markup]:
        """The header and footer of the pages of ``folder``: the same on each of them, so made once."""
        if folder not in self._chromes:
            page = f"{folder}/page.html" if folder else "page.html"

            def link(target: str) -> str:
                return relative(page, target)

            self._chromes[folder] = {
                part: Markup(
                    self.env.get_template(f"{part}.html").render(link=link, meta=self.metadata, build=self.build)
                )
                for part in ("header", "footer")
            }
        return self._chromes[folder]

    # ----------------------------------------------------------------------------------------------- things

    def thing(self, thing: Thing, extras: Mapping[str, Any]) -> str:
        """A thing's page: its statements with their sources, what points to it, and ``extras`` (a chart…)."""
        page = thing.page
        view = Viewer(self.site, page)
        incoming: dict[str, list[tuple[str, Sequence[Source]]]] = defaultdict(list)
        for subject, predicate, sources in thing.referenced_by:
            incoming[predicate].append((subject, sources))
        sections: list[dict[str, Any]] = []
        for p in sorted(incoming, key=lambda p: (p not in INCOMING_TITLES, p)):
            referrers = sorted(incoming[p], key=lambda r: (self.site.label(r[0]).lower(), r[0]))
            sections.append(
                {
                    "id": "in-" + "-".join(re.findall(r"[a-z0-9]+", self.site.label(p).lower())),
                    "title": INCOMING_TITLES.get(p, f"Referenced as {self.site.label(p)}"),
                    "property": view.iri(p),
                    "rows": [self._referrer(view, s, p, sources) for s, sources in referrers[:MAX_LISTED]],
                    "total": len(referrers),
                }
            )
        base = thing.page[: -len(".html")]
        return self.render(
            "thing.html",
            page,
            thing.label,
            thing=thing,
            kind=category_title(thing.category),
            types=[view.iri(t) for t in thing.types],
            statements=[view.statement(s) for s in thing.statements],
            sections=sections,
            alternates=[
                {"href": relative(page, f"{base}.{ext}"), "type": media, "name": name}
                for ext, media, name in ALTERNATES
            ],
            legislation=legislation_url(thing.iri),
            **extras,
        )

    def _referrer(self, view: Viewer, subject: str, predicate: str, sources: Sequence[Source]) -> dict[str, Any]:
        """A thing that points to a page's thing by ``predicate``, with its sources and its other statements."""
        details = self.site.details.get(subject, ())
        return {
            "value": view.iri(subject),
            "sources": [view.source(s) for s in sources],
            "details": [view.statement(d) for d in details if d.predicate != predicate],
        }


class Viewer:
    """Terms, statements and sources as the templates show them, with addresses relative to one page."""

    def __init__(self, site: SiteData, page: str) -> None:
        self.site = site
        self.page = page
        self.folder = page.rpartition("/")[0]

    def iri(self, iri: str) -> dict[str, Any]:
        """An IRI as the page shows it: its label, its page's address, its page on legislation.gov.uk or the ONS
        (a new dictionary, which the caller may change: made once a folder and kept in ``SiteData.views``)."""
        key = (self.folder, iri)
        view = self.site.views.get(key)
        if view is None:
            target = self.site.page_of(iri)
            external = legislation_url(iri)
            if external is None and iri.startswith(_STATGEO):
                external = iri
            view = self.site.views[key] = {
                "text": self.site.label(iri),
                "iri": iri,
                "href": relative(self.page, target) if target else None,
                "external": external,
                "note": "",
            }
        return dict(view)

    def value(self, term: ox.NamedNode | ox.BlankNode | ox.Literal) -> dict[str, Any]:
        if isinstance(term, ox.NamedNode):
            return self.iri(term.value)
        if isinstance(term, ox.BlankNode):
            return {"text": "(a node without a name)", "iri": "", "href": None, "external": None, "note": ""}
        note = term.language or (self.site.label(term.datatype.value) if term.datatype.value != _XSD_STRING else "")
        return {"text": term.value, "iri": "", "href": None, "external": None, "note": note}

    def source(self, source: Source) -> dict[str, Any]:
        target = self.site.page_of(source.graph)
        words = source.label
        if source.file:
            words += f" ({source.file})"
        title = f"in {source.data_file}" if source.data_file and source.data_file != source.label else ""
        return {"text": words, "href": relative(self.page, target) if target else None, "title": title}

    def statement(self, statement: Statement) -> dict[str, Any]:
        return {
            "property": self.iri(statement.predicate),
            "value": self.value(statement.value),
            "sources": [self.source(s) for s in statement.sources],
            "nested": [self.statement(n) for n in statement.nested],
            "is_type": statement.predicate == _RDF_TYPE,
        }


_XSD_STRING = str(XSD.string)
_STATGEO = str(STATGEO)


def schema_dataset(metadata: SiteMetadata, base_url: str, distributions: Sequence[tuple[str, str]]) -> str:
    """The schema.org ``Dataset`` of the index page, as JSON-LD text safe inside a ``<script>`` element."""
    document = {
        "@context": str(SCHEMA),
        "@type": "Dataset",
        "@id": base_url + "#dataset",
        "name": metadata.title,
        "description": metadata.description,
        "url": base_url,
        "inLanguage": metadata.language,
        "keywords": list(metadata.keywords),
        "license": metadata.licence.url,
        "creditText": metadata.attribution,
        "publisher": {"@type": "Organization", "name": metadata.publisher, "url": metadata.homepage},
        "distribution": [
            {"@type": "DataDownload", "encodingFormat": media, "contentUrl": base_url + path}
            for path, media in distributions
        ],
    }
    text = json.dumps(document, ensure_ascii=False, indent=2)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def dated(day: dt.date | None) -> str:
    """A day as the pages write it."""
    return day.isoformat() if day else "not recorded"
