"""The site's data for machines: dumps with SHA-256 checksums, VoID, a DCAT 3 catalogue and the sitemap.

All of it comes from the one metadata block (:mod:`ecmgraph.publish.metadata`). The dumps are the data as loaded:
Turtle and N-Triples (gzip) of the union of its graphs, TriG with its named graphs (the provenance graph
included; the graphs of the user's own files are named under the base URL, not by their ``file:`` IRIs); each
holds the VoID description too (in TriG, in a graph of its own). The gzip file is deterministic
(no file name, modification time 0), so the checksums are the same for the same data.
"""

from __future__ import annotations

import gzip
import hashlib
import io
from collections.abc import Mapping, Sequence
from typing import Any, TypeVar
from xml.sax.saxutils import escape

import pyoxigraph as ox

from ecmgraph.namespaces import (
    DCAT,
    DCTERMS,
    ECMID,
    FOAF,
    IANA_MEDIA_TYPES,
    PROVENANCE_GRAPH,
    RDF,
    SITE_METADATA_GRAPH,
    SITEMAP,
    SPDX,
    VOID,
    XSD,
)
from ecmgraph.publish.metadata import SiteMetadata
from ecmgraph.publish.model import SiteData
from ecmgraph.publish.rdfdocs import canonical_blank_nodes, serialize
from ecmgraph.store import Dataset
from ecmgraph.validation import ValidationReport

#: The dumps: (site path, media type, format name).
DUMPS = (
    ("dumps/ecmgraph.ttl", "text/turtle", "Turtle, the union of the graphs"),
    ("dumps/ecmgraph.nt.gz", "application/n-triples", "N-Triples, gzip, the union of the graphs"),
    ("dumps/ecmgraph.trig", "application/trig", "TriG, with the named graphs"),
)
DUMPS_FOR_SCHEMA = tuple((path, media) for path, media, _ in DUMPS)
CHECKSUMS = "dumps/SHA256SUMS"
_RDF_TYPE = str(RDF.type)
T = TypeVar("T", ox.Triple, ox.Quad)


def machine_files(
    dataset: Dataset, site: SiteData, *, base_url: str, metadata: SiteMetadata, report: ValidationReport
) -> dict[str, bytes]:
    """The dumps, ``dumps/SHA256SUMS``, ``.well-known/void`` and ``catalog.ttl``."""
    quads = canonical_blank_nodes(
        [q for q in dataset.store.quads_for_pattern(None, None, None, None) if isinstance(q.graph_name, ox.NamedNode)]
    )
    provenance = ox.NamedNode(PROVENANCE_GRAPH)
    data_triples = {q.triple for q in quads if q.graph_name != provenance}
    void = void_description(base_url, metadata, data_triples, site, report)
    graph = ox.NamedNode(SITE_METADATA_GRAPH)
    named = public_graph_names(quads, base_url)
    union, union_lines = _in_order([*data_triples, *void], ox.RdfFormat.N_TRIPLES)
    renamed, _ = _in_order(
        [*_renamed(quads, named), *(ox.Quad(t.subject, t.predicate, t.object, graph) for t in void)],
        ox.RdfFormat.N_QUADS,
    )
    out = {
        DUMPS[0][0]: serialize(union, ox.RdfFormat.TURTLE, ordered=True),
        DUMPS[1][0]: deterministic_gzip(b"".join(union_lines)),
        DUMPS[2][0]: serialize(renamed, ox.RdfFormat.TRIG, ordered=True),
    }
    sums = {path: hashlib.sha256(data).hexdigest() for path, data in out.items()}
    out[CHECKSUMS] = "".join(f"{sums[p]}  {p.rsplit('/', 1)[-1]}\n" for p in sorted(sums)).encode()
    out[".well-known/void"] = serialize(void, ox.RdfFormat.TURTLE)
    out["catalog.ttl"] = serialize([*void, *dcat_description(base_url, metadata, out, sums)], ox.RdfFormat.TURTLE)
    return out


def _in_order(rows: Sequence[T], fmt: ox.RdfFormat) -> tuple[list[T], list[bytes]]:
    """``rows`` (triples, or quads) in the order of :func:`~ecmgraph.publish.rdfdocs.sort_key`, and their lines
    in ``fmt`` (N-Triples, or N-Quads) in that order: the same order as sorting by the key, found by sorting the
    lines, which is many times quicker for a million rows. (A line is its terms as the key has them, each
    followed by a space, and no term is a prefix of another but where the space, the least character in a line,
    comes first; a quad's graph, last on its line, is compared first.)"""
    data = ox.serialize(list(rows), format=fmt)
    assert data is not None
    lines = data.splitlines(keepends=True)
    if len(lines) != len(rows):  # a line break inside a term: never, as N-Triples escapes it
        raise AssertionError("one line per statement expected")
    if fmt == ox.RdfFormat.N_QUADS:  # by graph first (as sort_key), then by line
        keys: list[Any] = [(_graph_of(q), line) for q, line in zip(rows, lines)]
    else:
        keys = lines
    order = sorted(range(len(rows)), key=keys.__getitem__)
    return [rows[i] for i in order], [lines[i] for i in order]


def _graph_of(row: ox.Triple | ox.Quad) -> str:
    graph = row.graph_name if isinstance(row, ox.Quad) else None
    return str(graph) if isinstance(graph, ox.NamedNode) else ""


def public_graph_names(quads: Sequence[ox.Quad], base_url: str) -> dict[ox.NamedNode, ox.NamedNode]:
    """A name under ``{base_url}graph/`` for each graph named by a local ``file:`` IRI (the user's own files),
    which would publish the folders of the publisher's machine and differ from one machine to the next."""
    local = sorted(
        {
            q.graph_name.value
            for q in quads
            if isinstance(q.graph_name, ox.NamedNode) and q.graph_name.value.startswith("file:")
        }
    )
    names: dict[ox.NamedNode, ox.NamedNode] = {}
    used: set[str] = set()
    for iri in local:
        name = iri.rstrip("/").rsplit("/", 1)[-1] or "graph"
        candidate, n = name, 1
        while candidate in used:
            n += 1
            candidate = f"{name}-{n}"
        used.add(candidate)
        names[ox.NamedNode(iri)] = ox.NamedNode(f"{base_url}graph/{candidate}")
    return names


def _renamed(quads: Sequence[ox.Quad], names: Mapping[ox.NamedNode, ox.NamedNode]) -> list[ox.Quad]:
    if not names:
        return list(quads)

    def rename(term: Any) -> Any:
        return names.get(term, term) if isinstance(term, ox.NamedNode) else term

    return [ox.Quad(rename(q.subject), q.predicate, rename(q.object), rename(q.graph_name)) for q in quads]


def deterministic_gzip(data: bytes) -> bytes:
    """``data`` gzipped with no file name and modification time 0: the same bytes for the same data."""
    buffer = io.BytesIO()
    with gzip.GzipFile(filename="", mode="wb", fileobj=buffer, mtime=0, compresslevel=6) as out:
        out.write(data)
    return buffer.getvalue()


def dataset_iri(base_url: str) -> ox.NamedNode:
    """The published dataset's IRI: the index page's ``#dataset``."""
    return ox.NamedNode(base_url + "#dataset")


def _n(iri: str) -> ox.NamedNode:
    return ox.NamedNode(iri)


def _text(value: str, language: str | None = "en") -> ox.Literal:
    return ox.Literal(value, language=language) if language else ox.Literal(value)


def void_description(
    base_url: str, metadata: SiteMetadata, triples: set[ox.Triple], site: SiteData, report: ValidationReport
) -> list[ox.Triple]:
    """The dataset as a VoID dataset (and a DCAT one): title, licence, counts, dumps, URI space, vocabularies."""
    dataset = dataset_iri(base_url)
    lang = metadata.language
    out = [
        ox.Triple(dataset, _n(RDF.type), _n(VOID.Dataset)),
        ox.Triple(dataset, _n(RDF.type), _n(DCAT.Dataset)),
        ox.Triple(dataset, _n(DCTERMS.title), _text(metadata.title, lang)),
        ox.Triple(dataset, _n(DCTERMS.description), _text(metadata.description, lang)),
        ox.Triple(dataset, _n(DCTERMS.rights), _text(metadata.attribution, lang)),
        ox.Triple(dataset, _n(DCTERMS.temporal), ox.Literal(report.as_of.isoformat(), datatype=_n(XSD.date))),
        ox.Triple(dataset, _n(VOID.triples), ox.Literal(str(len(triples)), datatype=_n(XSD.integer))),
        ox.Triple(
            dataset,
            _n(VOID.distinctSubjects),
            ox.Literal(str(len({t.subject for t in triples})), datatype=_n(XSD.integer)),
        ),
        ox.Triple(dataset, _n(VOID.uriSpace), ox.Literal(str(ECMID))),
        ox.Triple(dataset, _n(VOID.rootResource), _n(base_url)),
        ox.Triple(dataset, _n(FOAF.homepage), _n(base_url)),
    ]
    out += [ox.Triple(dataset, _n(DCTERMS.license), _n(licence.url)) for licence in metadata.licences]
    out += [ox.Triple(dataset, _n(VOID.dataDump), _n(base_url + path)) for path, _, _ in DUMPS]
    out += [ox.Triple(dataset, _n(VOID.vocabulary), _n(v)) for v in _namespaces(triples)]
    examples = [t for t in site.things.values() if t.category == "authority"][:3]
    out += [ox.Triple(dataset, _n(VOID.exampleResource), _n(t.iri)) for t in examples]
    return out


def _namespaces(triples: set[ox.Triple]) -> list[str]:
    """The namespaces of the data's properties and classes (up to the last ``#`` or ``/``)."""
    found = set()
    for t in triples:
        typed = t.predicate.value == _RDF_TYPE and isinstance(t.object, ox.NamedNode)
        terms = [t.predicate.value] + ([t.object.value] if typed and isinstance(t.object, ox.NamedNode) else [])
        for iri in terms:
            cut = max(iri.rfind("#"), iri.rfind("/"))
            if cut > 0:
                found.add(iri[: cut + 1])
    return sorted(found)


def dcat_description(
    base_url: str, metadata: SiteMetadata, files: Mapping[str, bytes], sums: Mapping[str, str]
) -> list[ox.Triple]:
    """A DCAT 3 catalogue of the dataset and its distributions (the dumps, with size, media type and checksum)."""
    dataset = dataset_iri(base_url)
    catalog = _n(base_url + "catalog.ttl#catalog")
    publisher = _n(base_url + "#publisher")
    lang = metadata.language
    out = [
        ox.Triple(catalog, _n(RDF.type), _n(DCAT.Catalog)),
        ox.Triple(catalog, _n(DCTERMS.title), _text(metadata.title, lang)),
        ox.Triple(catalog, _n(DCAT.dataset), dataset),
        ox.Triple(catalog, _n(DCTERMS.publisher), publisher),
        ox.Triple(dataset, _n(DCAT.landingPage), _n(base_url)),
        ox.Triple(dataset, _n(DCTERMS.publisher), publisher),
        ox.Triple(dataset, _n(DCTERMS.language), ox.Literal(metadata.language)),
        ox.Triple(publisher, _n(RDF.type), _n(FOAF.Agent)),
        ox.Triple(publisher, _n(FOAF.name), ox.Literal(metadata.publisher)),
        ox.Triple(publisher, _n(FOAF.homepage), _n(metadata.homepage)),
    ]
    out += [ox.Triple(dataset, _n(DCAT.keyword), _text(k, lang)) for k in metadata.keywords]
    for path, media, name in DUMPS:
        distribution = _n(f"{base_url}{path}#distribution")
        checksum = ox.BlankNode(f"checksum{hashlib.sha256(path.encode()).hexdigest()[:12]}")
        out += [
            ox.Triple(dataset, _n(DCAT.distribution), distribution),
            ox.Triple(distribution, _n(RDF.type), _n(DCAT.Distribution)),
            ox.Triple(distribution, _n(DCTERMS.title), _text(name, lang)),
            ox.Triple(distribution, _n(DCAT.downloadURL), _n(base_url + path)),
            ox.Triple(distribution, _n(DCAT.accessURL), _n(base_url + "data.html")),
            ox.Triple(distribution, _n(DCAT.mediaType), _n(IANA_MEDIA_TYPES[media])),
            ox.Triple(
                distribution, _n(DCAT.byteSize), ox.Literal(str(len(files[path])), datatype=_n(XSD.nonNegativeInteger))
            ),
            ox.Triple(distribution, _n(DCTERMS.license), _n(metadata.licence.url)),
            ox.Triple(distribution, _n(SPDX.checksum), checksum),
            ox.Triple(checksum, _n(RDF.type), _n(SPDX.Checksum)),
            ox.Triple(checksum, _n(SPDX.algorithm), _n(SPDX.checksumAlgorithm_sha256)),
            ox.Triple(checksum, _n(SPDX.checksumValue), ox.Literal(sums[path], datatype=_n(XSD.hexBinary))),
        ]
        if path.endswith(".gz"):
            out.append(ox.Triple(distribution, _n(DCAT.compressFormat), _n(IANA_MEDIA_TYPES["application/gzip"])))
    return out


def dump_rows(files: Mapping[str, bytes]) -> list[dict[str, Any]]:
    """The dumps as the data page lists them, with their sizes and checksums."""
    return [
        {
            "name": path.rsplit("/", 1)[-1],
            "href": path,
            "format": name,
            "size": f"{len(files[path]):,}",
            "sha256": hashlib.sha256(files[path]).hexdigest(),
        }
        for path, _, name in DUMPS
    ]


def sitemap(base_url: str, pages: Sequence[str]) -> bytes:
    """The sitemaps.org sitemap of the pages (absolute addresses under ``base_url``)."""
    lines = ['<?xml version="1.0" encoding="UTF-8"?>', f'<urlset xmlns="{SITEMAP}">']
    lines += [f"  <url><loc>{escape(base_url + page)}</loc></url>" for page in pages]
    lines.append("</urlset>")
    return ("\n".join(lines) + "\n").encode()
