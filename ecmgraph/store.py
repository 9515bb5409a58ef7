"""Sources into a pyoxigraph store: one named graph per source, with provenance, never any network access.

Every command that reads data calls :func:`load_dataset`. Triple formats (Turtle, N-Triples, JSON-LD, RDF/XML)
go into one named graph per source; quad formats (TriG, N-Quads) keep the graphs they name, and their
default-graph triples go to the source's graph. The packaged ontology is always loaded, into the graph named by
the ontology's IRI. With no paths, the packaged ``data/`` is loaded. Queries see the union of all graphs.

pyoxigraph never dereferences anything while parsing: ``owl:imports`` are plain triples, remote JSON-LD contexts
are refused, and RDF/XML DTDs are not fetched.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import uuid
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO

import pyoxigraph as ox

from ecmgraph import limits, resources, threads
from ecmgraph.errors import InputError, SourceNotFound, StoreError
from ecmgraph.namespaces import (
    DCTERMS,
    ONTOLOGY_GRAPH,
    PROV,
    PROVENANCE_GRAPH,
    RDF,
    RDFS,
    VOID,
    XSD,
)
from ecmgraph.sources import (
    FORMATS,
    STDIN,
    STDIN_IRI,
    check_size,
    display_label,
    expand_paths,
    format_for,
    open_input,
    parse_error,
    parse_into,
    source_iri,
    token_too_long,
)

# What reads one source is ecmgraph.sources; its names are found here too, as they always were.
__all__ = [
    "FORMATS",
    "STDIN",
    "STDIN_IRI",
    "Dataset",
    "Source",
    "build_store",
    "default_paths",
    "display_label",
    "expand_paths",
    "format_for",
    "load_dataset",
    "load_source",
    "open_store",
    "read_source",
    "source_iri",
    "sources_in_store",
    "triples",
]

#: The graph that records where every other graph came from (PROV-O).
#: The graph that holds the few entailments added at load (see :func:`normalise`).

_PROV = str(PROV)
_DCTERMS = str(DCTERMS)
_RDF_TYPE = ox.NamedNode(RDF.type)
_RDFS_LABEL = ox.NamedNode(RDFS.label)
_MEDIA_TYPES = {name: fmt.media_type for name, fmt in FORMATS.items()}
_XSD_INTEGER = ox.NamedNode(XSD.integer)
_VOID_TRIPLES = ox.NamedNode(VOID.triples)
_PROV_WAS_DERIVED_FROM = ox.NamedNode(_PROV + "wasDerivedFrom")
#: How much of an N-Triples file goes to the bulk loader at once when building a store on disk.
_CHUNK_BYTES = 16 * 1024 * 1024

#: Told how many more bytes of input have been read.
Progress = Callable[[int], None]


@dataclass(frozen=True)
class Source:
    """One loaded source: what the user named, the IRI it was given, its format and what it added."""

    label: str
    iri: str
    format: str
    graphs: tuple[str, ...]
    quads: int
    path: str | None = None
    #: Packaged reference data loaded beside the user's files (:mod:`ecmgraph.background`), not the user's own.
    background: bool = False


@dataclass
class Dataset:
    """A pyoxigraph store holding the loaded sources, and the list of those sources."""

    store: ox.Store
    sources: list[Source] = field(default_factory=list)
    #: The authorities the user's own files describe, when reference data was loaded beside them: the ones the
    #: rules judge (None: every authority in the data).
    scope: frozenset[str] | None = None
    #: Authorities of the user's files recognised as reference authorities (same GSS code): their IRI -> the
    #: reference authority's IRI, which their facts were joined to.
    aliases: dict[str, str] = field(default_factory=dict)

    def select(self, query: str, **options: object) -> ox.QuerySolutions:
        """Run a SELECT query over the union of all graphs."""
        result = self.store.query(query, use_default_graph_as_union=True, **options)  # type: ignore[arg-type]
        assert isinstance(result, ox.QuerySolutions), "not a SELECT query"
        return result


def load_source(
    store: ox.Store,
    path: str,
    *,
    input_format: str | None = None,
    stdin: BinaryIO | None = None,
) -> Source:
    """Load one file (or ``-`` for stdin) into ``store`` as its own named graph(s) and record its provenance.

    The input policy (:mod:`ecmgraph.limits`) is applied first: file size, nesting depth, RDF/XML entities; a
    UTF-8 byte-order mark is ignored in every format. Raises UnknownFormat, SourceNotFound, LimitExceeded or
    ParseError (with file, line and column).
    """
    fmt = format_for(path, input_format)
    iri = source_iri(path)
    label = display_label(path)
    policy = limits.current()
    try:
        with open_input(path, fmt, label, stdin, policy) as data:
            graphs, added = threads.run_guarded(lambda: parse_into(store, data, fmt, iri), what=f"reading {label}")
    except SyntaxError as exc:
        raise parse_error(exc, label, fmt) from exc
    except MemoryError as exc:
        if not limits.is_token_overflow(exc):
            raise
        raise token_too_long(path, label) from exc
    except (OSError, UnicodeDecodeError) as exc:
        raise SourceNotFound(
            f"cannot read {label!r}: {exc}", file=label, hint="check that the file is readable"
        ) from exc
    source = Source(
        label=label, iri=iri, format=fmt, graphs=tuple(graphs), quads=added, path=None if path == STDIN else path
    )
    _record_provenance(store, source)
    return source


def _record_provenance(store: ox.Store, source: Source) -> None:
    """Say in the provenance graph which file each graph came from, and in what format."""
    prov_graph = ox.NamedNode(PROVENANCE_GRAPH)
    file_node = ox.NamedNode(source.iri)
    quads = [
        ox.Quad(file_node, _RDF_TYPE, ox.NamedNode(_PROV + "Entity"), prov_graph),
        ox.Quad(file_node, ox.NamedNode(_DCTERMS + "format"), ox.Literal(_MEDIA_TYPES[source.format]), prov_graph),
        ox.Quad(file_node, _RDFS_LABEL, ox.Literal(source.label), prov_graph),
        ox.Quad(file_node, _VOID_TRIPLES, ox.Literal(str(source.quads), datatype=_XSD_INTEGER), prov_graph),
    ]
    for g in source.graphs:
        if g != source.iri:
            quads.append(ox.Quad(ox.NamedNode(g), _PROV_WAS_DERIVED_FROM, file_node, prov_graph))
    store.extend(quads)


def read_source(source: Source) -> list[ox.Quad]:
    """The statements of one loaded file, read again from disk (not from the store, where sources merge).

    Raises SourceNotFound if the source was standard input or the file has gone.
    """
    if source.path is None:
        raise SourceNotFound(f"{source.label} cannot be read twice", file=source.label)
    path = source.path
    try:
        with open_input(path, source.format, source.label, None, limits.current()) as data:
            return threads.run_guarded(
                lambda: list(ox.parse(data, FORMATS[source.format], base_iri=source.iri)),
                what=f"reading {source.label}",
            )
    except (OSError, SyntaxError, MemoryError) as exc:
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
    """Load ``paths`` (files, folders, ``-``; none = the packaged data) and the packaged ontology into memory.

    With ``store_dir``, open that on-disk store (built by :func:`build_store`) instead, parsing nothing.
    Raises SourceNotFound, UnknownFormat or ParseError; nothing is half-loaded from a file that fails to parse;
    InputError if both paths and a store are given.
    """
    if store_dir is not None:
        if paths:
            raise InputError(
                "give data PATHs or --store DIR, not both",
                hint="add files to a store with: ecmgraph load --store DIR PATH...",
            )
        return open_store(store_dir)
    files = expand_paths(paths) if paths else default_paths()
    if sum(1 for f in files if f == STDIN) > 1:
        raise SourceNotFound("standard input ('-') can be read only once", file="-")
    dataset = Dataset(store=ox.Store())
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


def build_store(
    store_dir: str | Path,
    paths: Sequence[str] = (),
    *,
    input_format: str | None = None,
    replace: bool = False,
    progress: Progress | None = None,
    chunk_bytes: int | None = None,
) -> Dataset:
    """Load ``paths`` (none = the packaged data) and the ontology into an on-disk store at ``store_dir``.

    The store is built once and then read by any command with ``--store DIR``, without parsing again. Sources
    already in the store are skipped unless ``replace`` starts afresh. The store is built in a new folder beside
    ``store_dir`` (from a copy of the store there, if any) and takes its place only when every source has
    loaded: a failure leaves ``store_dir`` as it was. ``progress`` is called with the number of bytes read since
    its last call; N-Triples files go to the bulk loader ``chunk_bytes`` at a time (16 MiB by default). Returns the store, opened
    read-only. Raises SourceNotFound, UnknownFormat, ParseError, LimitExceeded, or StoreError if ``store_dir``
    is something other than a store.
    """
    files = expand_paths(paths) if paths else default_paths()
    if STDIN in files:
        raise SourceNotFound(
            "a store on disk cannot be built from standard input", file="-", hint="save the data to a file first"
        )
    target = Path(store_dir)
    existing = None if replace and _replaceable(target) else _existing_store(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    building = Path(tempfile.mkdtemp(prefix=f".{target.name}.building-", dir=target.parent))
    try:
        store = _new_store(building, None if replace else existing)
        present = {s.iri for s in sources_in_store(store)}
        for path in [str(resources.ontology_path()), *files]:
            iri = source_iri(path)
            if iri in present:
                if progress:
                    progress(Path(path).stat().st_size)
                continue
            present.add(iri)
            _bulk_load_source(store, path, input_format if path in files else None, progress, chunk_bytes)
        store.flush()
        del store, existing  # closes them: the folders can move
        _swap_in(building, target)
    except BaseException:
        shutil.rmtree(building, ignore_errors=True)
        raise
    return open_store(target)


def _replaceable(target: Path) -> bool:
    """Whether ``load --replace`` may put a new store at ``target``: nothing there, an empty folder or a store
    (a RocksDB folder, damaged or not), never a folder of other files."""
    if not target.exists() or (target.is_dir() and not any(target.iterdir())):
        return True
    if target.is_dir() and (target / "CURRENT").is_file():
        return True
    raise StoreError(
        f"{str(target)!r} is not a store, and --replace would delete what it holds",
        file=str(target),
        hint="give a new or empty folder, or one made by ecmgraph load",
    )


def _existing_store(target: Path) -> ox.Store | None:
    """The store already at ``target`` (read-only), None if there is none; StoreError if it is something else."""
    if not target.exists():
        return None
    if not target.is_dir():
        raise StoreError(f"{str(target)!r} is a file, not a store", file=str(target), hint="give a folder")
    if not any(target.iterdir()):
        return None
    try:
        return ox.Store.read_only(str(target))
    except (OSError, RuntimeError) as exc:
        raise StoreError(
            f"{str(target)!r} is not a store, or a damaged one: {_first_line(exc)}",
            file=str(target),
            hint="give a new or empty folder; a damaged store is built again with --replace",
        ) from exc


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__


def _new_store(folder: Path, copy_of: ox.Store | None) -> ox.Store:
    """A writable store in the new ``folder``: empty, or a copy of ``copy_of``."""
    folder.rmdir()  # pyoxigraph creates it
    try:
        if copy_of is not None:
            copy_of.backup(str(folder))  # hard links to the immutable files where it can
        return ox.Store(str(folder))
    except (OSError, RuntimeError) as exc:
        raise StoreError(
            f"cannot create a store in {str(folder.parent)!r}: {exc}",
            file=str(folder.parent),
            hint="check that the folder is writable and the disk not full",
        ) from exc


def _swap_in(building: Path, target: Path) -> None:
    """Put the store built in ``building`` at ``target``, moving aside and then removing what was there."""
    aside = building.with_name(building.name.replace(".building-", ".old-"))
    if target.exists():
        os.replace(target, aside)
    os.replace(building, target)
    shutil.rmtree(aside, ignore_errors=True)


def _bulk_load_source(
    store: ox.Store, path: str, input_format: str | None, progress: Progress | None, chunk_bytes: int | None = None
) -> Source:
    """Load one file into an on-disk store with pyoxigraph's bulk loader, reporting progress by bytes."""
    fmt = format_for(path, input_format)
    if FORMATS[fmt].supports_datasets or fmt != "ntriples":
        # Quad formats need their graph names; other formats cannot be cut at line ends: load them whole.
        mem = ox.Store()
        source = load_source(mem, path, input_format=fmt)
        store.bulk_extend(mem)
        if progress:
            progress(Path(path).stat().st_size)
        return source
    iri = source_iri(path)
    label = display_label(path)
    check_size(path, label)
    try:
        threads.run_guarded(
            lambda: _bulk_load_ntriples(store, path, iri, progress, chunk_bytes or _CHUNK_BYTES),
            what=f"reading {label}",
        )
    except MemoryError as exc:
        if not limits.is_token_overflow(exc):
            raise
        raise token_too_long(path, label) from exc
    except SyntaxError as exc:
        raise parse_error(exc, label, fmt) from exc
    count = store.query(f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{iri}> {{ ?s ?p ?o }} }}")
    quads = int(next(iter(count))[0].value)  # type: ignore[arg-type]
    source = Source(label=label, iri=iri, format=fmt, graphs=(iri,), quads=quads, path=path)
    _record_provenance(store, source)
    return source


def _bulk_load_ntriples(store: ox.Store, path: str, iri: str, progress: Progress | None, chunk_bytes: int) -> None:
    """Bulk load an N-Triples file ``chunk_bytes`` at a time (cut at line ends), keeping its blank nodes whole.

    The bulk loader renames blank nodes on every call, so a chunk that holds any is parsed here instead and its
    blank nodes given labels of this load's own: one node named in two chunks stays one node.
    """
    graph = ox.NamedNode(iri)
    salt = uuid.uuid4().hex
    line = 0
    nesting = limits.NestingCheck(display_label(path))
    with open(path, "rb") as handle:
        first = True
        while chunk := handle.read(chunk_bytes):
            chunk += handle.readline()  # end the chunk at a line end
            if first:
                chunk, first = limits.strip_bom(chunk), False
            nesting.feed(chunk)
            try:
                if b"_:" in chunk:
                    store.bulk_extend(
                        ox.Quad(_relabel(q.subject, salt), q.predicate, _relabel(q.object, salt), graph)  # type: ignore[arg-type]
                        for q in ox.parse(chunk, ox.RdfFormat.N_TRIPLES, base_iri=iri)
                    )
                else:
                    store.bulk_load(chunk, ox.RdfFormat.N_TRIPLES, base_iri=iri, to_graph=graph)
            except SyntaxError as exc:
                if exc.lineno is not None:
                    exc.lineno += line
                raise
            line += chunk.count(b"\n")
            if progress:
                progress(len(chunk))


def _relabel(term: ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple, salt: str) -> object:
    """``term`` with its blank nodes (nested ones included) labelled ``{salt}{label}``: the same label, the same node."""
    if isinstance(term, ox.BlankNode):
        return ox.BlankNode(salt + term.value)
    if isinstance(term, ox.Triple):
        return ox.Triple(_relabel(term.subject, salt), term.predicate, _relabel(term.object, salt))  # type: ignore[arg-type]
    return term


def sources_in_store(store: ox.Store) -> list[Source]:
    """The sources a store on disk was built from, read back from its provenance graph."""
    prov = ox.NamedNode(PROVENANCE_GRAPH)
    media = {m: name for name, m in _MEDIA_TYPES.items()}
    sources: dict[str, dict[str, Any]] = {}
    for quad in store.quads_for_pattern(None, None, None, prov):
        node = quad.subject.value  # type: ignore[union-attr]
        if quad.predicate == _PROV_WAS_DERIVED_FROM:
            sources.setdefault(quad.object.value, {}).setdefault("graphs", set()).add(node)  # type: ignore[union-attr]
            continue
        entry = sources.setdefault(node, {})
        if quad.predicate == _RDFS_LABEL:
            entry["label"] = quad.object.value  # type: ignore[union-attr]
        elif quad.predicate.value == _DCTERMS + "format":
            entry["format"] = media.get(quad.object.value, "turtle")  # type: ignore[union-attr]
        elif quad.predicate == _VOID_TRIPLES:
            entry["quads"] = int(quad.object.value)  # type: ignore[union-attr]
    out = []
    for iri, entry in sources.items():
        if "label" not in entry:
            continue
        graphs = entry.get("graphs") or {iri}
        out.append(
            Source(
                label=str(entry["label"]),
                iri=iri,
                format=str(entry.get("format", "turtle")),
                graphs=tuple(sorted(graphs)),
                quads=int(entry.get("quads", 0)),
            )
        )
    order = {ONTOLOGY_GRAPH: 0}
    return sorted(out, key=lambda s: (order.get(s.iri, 1), s.label))


def open_store(store_dir: str | Path) -> Dataset:
    """Open a store built by :func:`build_store`, read-only: nothing is parsed again.

    Raises SourceNotFound if there is no ecmgraph store at ``store_dir``, StoreError if it is damaged.
    """
    hint = f"build it first: ecmgraph load --store {store_dir} [PATH]..."
    if not Path(store_dir).is_dir():
        raise SourceNotFound(f"no store at {str(store_dir)!r}", file=str(store_dir), hint=hint)
    try:
        store = ox.Store.read_only(str(store_dir))
        sources = sources_in_store(store)
    except OSError as exc:
        raise SourceNotFound(f"{str(store_dir)!r} is not a store: {exc}", file=str(store_dir), hint=hint) from exc
    except RuntimeError as exc:  # RocksDB's "Corruption: …", "Invalid argument: …"
        raise StoreError(
            f"the store at {str(store_dir)!r} is damaged or not a store: {_first_line(exc)}",
            file=str(store_dir),
            hint=f"build it again: ecmgraph load --replace --store {store_dir} [PATH]...",
        ) from exc
    if not sources:
        raise SourceNotFound(f"the store at {str(store_dir)!r} holds no ecmgraph data", file=str(store_dir), hint=hint)
    return Dataset(store=store, sources=sources)


def triples(dataset: Dataset) -> Iterable[ox.Triple]:
    """Every distinct triple of the union of the dataset's graphs (provenance included)."""
    seen: set[ox.Triple] = set()
    for quad in dataset.store:
        triple = quad.triple
        if triple not in seen:
            seen.add(triple)
            yield triple
