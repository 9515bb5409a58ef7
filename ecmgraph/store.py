"""Sources into a pyoxigraph store: one named graph per source, with provenance, never any network access.

Every command that reads data calls :func:`load_dataset`. Triple formats (Turtle, N-Triples, JSON-LD, RDF/XML)
go into one named graph per source; quad formats (TriG, N-Quads) keep the graphs they name, and their
default-graph triples go to the source's graph. The packaged ontology is always loaded, into the graph named by
the ontology's IRI. With no paths, the packaged ``data/`` is loaded. Queries see the union of all graphs.

pyoxigraph never dereferences anything while parsing: ``owl:imports`` are plain triples, remote JSON-LD contexts
are refused, and RDF/XML DTDs are not fetched.
"""

from __future__ import annotations

import io
import sys
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

import pyoxigraph as ox

from ecmgraph import resources
from ecmgraph.errors import ParseError, SourceNotFound, UnknownFormat

#: Format names accepted by ``--input-format``, and what pyoxigraph calls them.
FORMATS: dict[str, ox.RdfFormat] = {
    "turtle": ox.RdfFormat.TURTLE,
    "trig": ox.RdfFormat.TRIG,
    "ntriples": ox.RdfFormat.N_TRIPLES,
    "nquads": ox.RdfFormat.N_QUADS,
    "jsonld": ox.RdfFormat.JSON_LD,
    "rdfxml": ox.RdfFormat.RDF_XML,
}

STDIN = "-"
STDIN_IRI = "urn:ecmgraph:stdin"
ONTOLOGY_GRAPH = "https://w3id.org/ecmgraph/def"
#: The graph that records where every other graph came from (PROV-O).
PROVENANCE_GRAPH = "https://w3id.org/ecmgraph/graph/provenance"
#: The graph that holds the few entailments added at load (see :func:`normalise`).
ENTAILED_GRAPH = "https://w3id.org/ecmgraph/graph/entailed"

_PROV = "http://www.w3.org/ns/prov#"
_DCTERMS = "http://purl.org/dc/terms/"
_RDF_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
_RDFS_LABEL = ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#label")
_MEDIA_TYPES = {name: fmt.media_type for name, fmt in FORMATS.items()}


@dataclass(frozen=True)
class Source:
    """One loaded source: what the user named, the IRI it was given, its format and what it added."""

    label: str
    iri: str
    format: str
    graphs: tuple[str, ...]
    quads: int
    path: str | None = None


@dataclass
class Dataset:
    """A pyoxigraph store holding the loaded sources, and the list of those sources."""

    store: ox.Store
    sources: list[Source] = field(default_factory=list)

    def select(self, query: str, **options: object) -> ox.QuerySolutions:
        """Run a SELECT query over the union of all graphs."""
        result = self.store.query(query, use_default_graph_as_union=True, **options)  # type: ignore[arg-type]
        assert isinstance(result, ox.QuerySolutions), "not a SELECT query"
        return result


def format_for(path: str, override: str | None = None) -> str:
    """The format name for a path: ``override`` if given, else from the extension; stdin defaults to Turtle.

    Raises UnknownFormat if neither tells.
    """
    if override is not None:
        if override not in FORMATS:
            raise UnknownFormat(
                f"unknown input format {override!r}",
                hint=f"use one of {', '.join(FORMATS)}",
            )
        return override
    if path == STDIN:
        return "turtle"
    suffix = Path(path).suffix.lower()
    if suffix in resources.RDF_EXTENSIONS:
        return resources.RDF_EXTENSIONS[suffix]
    raise UnknownFormat(
        f"cannot tell the RDF format of {path!r} from its extension {suffix or '(none)'}",
        file=path,
        hint=f"name it with one of {', '.join(sorted(resources.RDF_EXTENSIONS))} or give --input-format",
    )


def expand_paths(paths: Sequence[str]) -> list[str]:
    """Paths as the user gave them, with folders replaced by the RDF files inside them (sorted).

    Raises SourceNotFound for a path that does not exist or a folder with no RDF file in it.
    """
    expanded: list[str] = []
    for path in paths:
        if path == STDIN:
            expanded.append(path)
            continue
        p = Path(path)
        if p.is_dir():
            found = resources.rdf_files(p)
            if not found:
                raise SourceNotFound(
                    f"folder {path!r} holds no RDF file",
                    file=path,
                    hint=f"ecmgraph reads files ending in {', '.join(sorted(resources.RDF_EXTENSIONS))}",
                )
            expanded.extend(str(f) for f in found)
        elif p.is_file():
            expanded.append(path)
        else:
            raise SourceNotFound(
                f"no such file or folder: {path!r}",
                file=path,
                hint="check the path; with no path at all, ecmgraph uses its packaged data",
            )
    return expanded


def source_iri(path: str) -> str:
    """The IRI that names a source: stable for packaged files, a file: URI otherwise, a URN for stdin."""
    if path == STDIN:
        return STDIN_IRI
    p = Path(path)
    if p.resolve() == resources.ontology_path().resolve():
        return ONTOLOGY_GRAPH
    return resources.packaged_iri(p) or p.resolve().as_uri()


def new_store(store_dir: str | Path | None = None) -> ox.Store:
    """An in-memory store, or an on-disk one at ``store_dir``."""
    return ox.Store(str(store_dir)) if store_dir is not None else ox.Store()


def load_source(
    store: ox.Store,
    path: str,
    *,
    input_format: str | None = None,
    stdin: BinaryIO | None = None,
) -> Source:
    """Load one file (or ``-`` for stdin) into ``store`` as its own named graph(s) and record its provenance.

    Raises UnknownFormat, SourceNotFound or ParseError (with file, line and column).
    """
    fmt = format_for(path, input_format)
    iri = source_iri(path)
    graph = ox.NamedNode(iri)
    before = len(store)
    label = display_label(path)
    try:
        data: bytes | None = (stdin or sys.stdin.buffer).read() if path == STDIN else None
        if FORMATS[fmt].supports_datasets:
            # Parse first, to know exactly which graphs this source names (another source may share them).
            quads = list(ox.parse(data, FORMATS[fmt], path=None if data is not None else path, base_iri=iri,
                                  rename_blank_nodes=True))
            named = {q.graph_name for q in quads}
            quads = [ox.Quad(q.subject, q.predicate, q.object, graph) if isinstance(q.graph_name, ox.DefaultGraph)
                     else q for q in quads]
            store.extend(quads)
            added = len(set(quads))
            graphs = sorted({g.value for g in named if isinstance(g, ox.NamedNode)}
                            | ({iri} if ox.DefaultGraph() in named else set()))
        else:
            if data is not None:
                store.load(io.BytesIO(data), FORMATS[fmt], base_iri=iri, to_graph=graph)
            else:
                store.load(path=path, format=FORMATS[fmt], base_iri=iri, to_graph=graph)
            graphs = [iri]
            added = len(store) - before
    except SyntaxError as exc:
        raise _parse_error(exc, label, fmt) from exc
    except (OSError, UnicodeDecodeError) as exc:
        raise SourceNotFound(f"cannot read {label!r}: {exc}", file=label, hint="check that the file is readable") from exc
    source = Source(label=label, iri=iri, format=fmt, graphs=tuple(graphs), quads=added,
                    path=None if path == STDIN else path)
    _record_provenance(store, source)
    return source


def display_label(path: str) -> str:
    """How a source is named to people: ``<stdin>``, ``data/seed/luton.trig`` for packaged files, else the path."""
    if path == STDIN:
        return "<stdin>"
    packaged = resources.packaged_iri(Path(path))
    if packaged:
        return packaged.removeprefix("https://w3id.org/ecmgraph/")
    return path


def _parse_error(exc: SyntaxError, label: str, fmt: str) -> ParseError:
    message = exc.msg or str(exc)
    hint = f"the file was read as {fmt} (from its extension); fix the syntax there, or give --input-format"
    if "LoadDocumentCallback" in message or "remote context" in message:
        message = "the JSON-LD document refers to a remote @context"
        hint = "ecmgraph never fetches JSON-LD contexts: put the context inline in the document"
    # pyoxigraph says "Parser error at line 4 column 9: …"; keep only what follows the location.
    if ": " in message and message.startswith("Parser error"):
        message = message.split(": ", 1)[1]
    return ParseError(f"invalid {fmt}: {message}", file=label, line=exc.lineno, column=exc.offset, hint=hint)


def _record_provenance(store: ox.Store, source: Source) -> None:
    """Say in the provenance graph which file each graph came from, and in what format."""
    prov_graph = ox.NamedNode(PROVENANCE_GRAPH)
    file_node = ox.NamedNode(source.iri)
    quads = [
        ox.Quad(file_node, _RDF_TYPE, ox.NamedNode(_PROV + "Entity"), prov_graph),
        ox.Quad(file_node, ox.NamedNode(_DCTERMS + "format"), ox.Literal(_MEDIA_TYPES[source.format]), prov_graph),
        ox.Quad(file_node, _RDFS_LABEL, ox.Literal(source.label), prov_graph),
    ]
    for g in source.graphs:
        if g != source.iri:
            quads.append(ox.Quad(ox.NamedNode(g), ox.NamedNode(_PROV + "wasDerivedFrom"), file_node, prov_graph))
    store.extend(quads)


def read_source(source: Source) -> list[ox.Quad]:
    """The statements of one loaded file, read again from disk (not from the store, where sources merge).

    Raises SourceNotFound if the source was standard input or the file has gone.
    """
    if source.path is None:
        raise SourceNotFound(f"{source.label} cannot be read twice", file=source.label)
    try:
        return list(ox.parse(path=source.path, format=FORMATS[source.format], base_iri=source.iri))
    except (OSError, SyntaxError) as exc:
        raise SourceNotFound(f"cannot read {source.label!r} again: {exc}", file=source.label) from exc


def default_paths() -> list[str]:
    """The packaged data files: what commands read when given no data paths."""
    return [str(p) for p in resources.rdf_files(resources.data_dir())]


def load_dataset(
    paths: Sequence[str] = (),
    *,
    input_format: str | None = None,
    store_dir: str | Path | None = None,
    with_ontology: bool = True,
    stdin: BinaryIO | None = None,
) -> Dataset:
    """Load ``paths`` (files, folders, ``-``; none = the packaged data) and the packaged ontology into a store.

    Raises SourceNotFound, UnknownFormat or ParseError; nothing is half-loaded from a file that fails to parse.
    """
    files = expand_paths(paths) if paths else default_paths()
    if sum(1 for f in files if f == STDIN) > 1:
        raise SourceNotFound("standard input ('-') can be read only once", file="-")
    dataset = Dataset(store=new_store(store_dir))
    ontology = str(resources.ontology_path())
    if with_ontology:
        dataset.sources.append(load_source(dataset.store, ontology))
    seen = {source_iri(ontology)} if with_ontology else set()
    for path in files:
        iri = source_iri(path)
        if iri in seen:  # the same file named twice, or the packaged ontology named explicitly
            continue
        seen.add(iri)
        dataset.sources.append(load_source(dataset.store, path, input_format=input_format, stdin=stdin))
    return dataset


def triples(dataset: Dataset) -> Iterable[ox.Triple]:
    """Every distinct triple of the union of the dataset's graphs (provenance included)."""
    seen: set[ox.Triple] = set()
    for quad in dataset.store:
        triple = quad.triple
        if triple not in seen:
            seen.add(triple)
            yield triple
