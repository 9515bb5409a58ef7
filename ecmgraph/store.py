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
    before_graphs = set(store.named_graphs())
    before = len(store)
    label = "<stdin>" if path == STDIN else path
    try:
        if path == STDIN:
            data = (stdin or sys.stdin.buffer).read()
            store.load(io.BytesIO(data), FORMATS[fmt], base_iri=iri, to_graph=graph)
        else:
            store.load(path=path, format=FORMATS[fmt], base_iri=iri, to_graph=graph)
    except SyntaxError as exc:
        raise _parse_error(exc, label, fmt) from exc
    except (OSError, UnicodeDecodeError) as exc:
        raise SourceNotFound(f"cannot read {label!r}: {exc}", file=label, hint="check that the file is readable") from exc
    graphs = sorted(g.value for g in set(store.named_graphs()) - before_graphs if isinstance(g, ox.NamedNode))
    if graph.value not in graphs and store.contains_named_graph(graph):
        graphs.append(graph.value)
    source = Source(label=label, iri=iri, format=fmt, graphs=tuple(sorted(set(graphs))), quads=len(store) - before)
    _record_provenance(store, source)
    return source


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
        ox.Quad(file_node, _RDFS_LABEL, ox.Literal(Path(source.label).name if source.label != "<stdin>" else source.label), prov_graph),
    ]
    for g in source.graphs:
        if g != source.iri:
            quads.append(ox.Quad(ox.NamedNode(g), ox.NamedNode(_PROV + "wasDerivedFrom"), file_node, prov_graph))
    store.extend(quads)


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
