"""One source as ecmgraph reads it: its format, the IRI and label it is known by, and its bytes, checked against
the input policy (:mod:`ecmgraph.limits`) and parsed into a store. :mod:`ecmgraph.store` builds datasets of them.
"""

from __future__ import annotations

import contextlib
import os
import re
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import BinaryIO

import pyoxigraph as ox

from ecmgraph import limits, resources
from ecmgraph.errors import LimitExceeded, ParseError, SourceNotFound, UnknownFormat
from ecmgraph.namespaces import BASE, ONTOLOGY_GRAPH

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

#: Formats read whole into memory first, to check their nesting (and RDF/XML's entities) before parsing.
_CHECKED_WHOLE = {"jsonld", "rdfxml"}


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


def check_size(path: str, label: str, policy: limits.Limits | None = None) -> None:
    """Raise LimitExceeded if the file at ``path`` is over the file size limit (packaged files are not held to it:
    the limit is for what comes from elsewhere)."""
    if resources.packaged_iri(Path(path)) is None:
        limits.check_file_size(os.stat(path).st_size, label, policy)


@contextlib.contextmanager
def open_input(
    path: str, fmt: str, label: str, stdin: BinaryIO | None, policy: limits.Limits
) -> Iterator[bytes | BinaryIO]:
    """The input of one source, after the checks of the input policy: bytes, or a file positioned after any BOM."""
    if path == STDIN or fmt in _CHECKED_WHOLE:
        if path == STDIN:
            cap = policy.max_file_bytes
            data = (stdin or sys.stdin.buffer).read(-1 if cap is None else cap + 1)
        else:
            check_size(path, label, policy)
            data = Path(path).read_bytes()
        limits.check_file_size(len(data), label, policy)
        data = limits.strip_bom(data)
        if fmt == "jsonld":
            limits.check_json_depth(data, label, policy)
        elif fmt == "rdfxml":
            limits.check_rdfxml(data, label, policy)
        else:
            limits.NestingCheck(label, policy).feed(data)
        yield data
        return
    check_size(path, label, policy)
    with open(path, "rb") as handle:
        if handle.read(len(limits.UTF8_BOM)) != limits.UTF8_BOM:
            handle.seek(0)
        yield limits.CheckedReader(handle, limits.NestingCheck(label, policy))  # type: ignore[misc]


def parse_into(store: ox.Store, data: bytes | BinaryIO, fmt: str, iri: str) -> tuple[list[str], int]:
    """Parse ``data`` into ``store``: the graphs it filled and the number of statements it added."""
    graph = ox.NamedNode(iri)
    if not FORMATS[fmt].supports_datasets:
        before = len(store)
        store.load(data, FORMATS[fmt], base_iri=iri, to_graph=graph)
        return [iri], len(store) - before
    # Parse first, to know exactly which graphs this source names (another source may share them).
    quads = list(ox.parse(data, FORMATS[fmt], base_iri=iri, rename_blank_nodes=True))
    named = {q.graph_name for q in quads}
    quads = [
        ox.Quad(q.subject, q.predicate, q.object, graph) if isinstance(q.graph_name, ox.DefaultGraph) else q
        for q in quads
    ]
    store.extend(quads)
    graphs = sorted(
        {g.value for g in named if isinstance(g, ox.NamedNode)} | ({iri} if ox.DefaultGraph() in named else set())
    )
    return graphs, len(set(quads))


def token_too_long(path: str, label: str) -> LimitExceeded:
    """The token limit reached in ``path``, with the line where it can be told."""
    line = None
    if path != STDIN:
        with open(path, "rb") as handle:
            line = limits.long_token_line(iter(handle))
    return limits.token_too_long(label, line)


def display_label(path: str) -> str:
    """How a source is named to people: ``<stdin>``, ``data/seed/luton.trig`` for packaged files, else the path."""
    if path == STDIN:
        return "<stdin>"
    packaged = resources.packaged_iri(Path(path))
    if packaged:
        return packaged.removeprefix(BASE)
    return path


def parse_error(exc: SyntaxError, label: str, fmt: str) -> ParseError:
    message = exc.msg or str(exc)
    hint = f"the file was read as {fmt} (from its extension); fix the syntax there, or give --input-format"
    if "LoadDocumentCallback" in message or "remote context" in message:
        message = "the JSON-LD document refers to a remote @context"
        hint = "ecmgraph never fetches JSON-LD contexts: put the context inline in the document"
    # pyoxigraph says "Parser error at line 4 column 9: …"; keep only what follows the location.
    if ": " in message and message.startswith("Parser error"):
        message = message.split(": ", 1)[1]
    message = _LONG_WORD.sub(_shortened, message)
    if len(message) > _LONGEST_MESSAGE:  # RDF/XML's parser quotes a whole text event
        message = f"{message[: _LONGEST_MESSAGE - 100]}… ({len(message):,} characters)"
    return ParseError(f"invalid {fmt}: {message}", file=label, line=exc.lineno, column=exc.offset, hint=hint)


#: A run of text in a parser's message longer than anyone reads: the parsers quote the token they stopped at, and a
#: token may be megabytes long.
_LONG_WORD = re.compile(r"\S{101,}")
_LONGEST_MESSAGE = 500


def _shortened(match: re.Match[str]) -> str:
    return f"{match.group()[:60]}… ({len(match.group()):,} characters)"
