"""Query results as the SPARQL 1.1 Protocol serves them: the W3C results formats (JSON, XML, CSV, TSV) for SELECT
and ASK, RDF (Turtle, N-Triples, RDF/XML, JSON-LD) for CONSTRUCT and DESCRIBE, chosen by the request's ``Accept``
header or its ``format`` parameter.

Rows are serialised here, from terms already read, rather than by pyoxigraph's own writers, which read a result
once: the rows are counted first, so that an answer over the row limit is refused whole, never cut.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from xml.sax.saxutils import escape, quoteattr

import pyoxigraph as ox

from ecmgraph.namespaces import PREFIXES, SPARQL_RESULTS, XSD
from ecmgraph.render.tables import json_term

Term = ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple
Row = Sequence[Term | None]


@dataclass(frozen=True)
class Format:
    """One way of writing an answer: its ``format`` parameter name, its media type, and the answers it writes
    (``select``: SELECT and ASK; ``graph``: CONSTRUCT and DESCRIBE)."""

    name: str
    media_type: str
    kind: str


#: The formats, the preferred one of each kind first (what is served when ``Accept`` prefers none).
FORMATS = (
    Format("json", "application/sparql-results+json", "select"),
    Format("xml", "application/sparql-results+xml", "select"),
    Format("csv", "text/csv", "select"),
    Format("tsv", "text/tab-separated-values", "select"),
    Format("turtle", "text/turtle", "graph"),
    Format("ntriples", "application/n-triples", "graph"),
    Format("rdfxml", "application/rdf+xml", "graph"),
    Format("jsonld", "application/ld+json", "graph"),
)
#: Other names a ``format`` parameter may give (what other endpoints take).
ALIASES = {"srj": "json", "srx": "xml", "ttl": "turtle", "nt": "ntriples", "rdf": "rdfxml", "json-ld": "jsonld"}
#: Media types of the ``Accept`` header that stand for one of the formats.
ACCEPT_ALIASES = {"application/json": "json", "application/xml": "xml", "text/xml": "xml", "text/plain": "ntriples"}
_RDF_FORMATS = {
    "turtle": ox.RdfFormat.TURTLE,
    "ntriples": ox.RdfFormat.N_TRIPLES,
    "rdfxml": ox.RdfFormat.RDF_XML,
    "jsonld": ox.RdfFormat.JSON_LD,
}


class NotAcceptable(Exception):
    """No format of the answer's kind is one the request accepts, or ``format`` names none."""


def _by_name(name: str) -> Format | None:
    name = ALIASES.get(name.lower(), name.lower())
    return next((f for f in FORMATS if f.name == name or f.media_type == name), None)


def choose(kind: str, accept: str | None, requested: str | None) -> Format:
    """The format an answer of ``kind`` is written in: ``requested`` (a ``format`` parameter: a name or a media
    type) if given, else the one the ``Accept`` header prefers (by its q-values, the table's order breaking
    ties), else the kind's first. Raises NotAcceptable."""
    of_kind = [f for f in FORMATS if f.kind == kind]
    if requested:
        chosen = _by_name(requested)
        if chosen is None or chosen.kind != kind:
            names = ", ".join(f.name for f in of_kind)
            raise NotAcceptable(f"format={requested} is not a format of this answer: give one of {names}")
        return chosen
    if not accept or not accept.strip():
        return of_kind[0]
    best: tuple[float, int, Format] | None = None
    for part in accept.split(","):
        media, _, params = part.strip().partition(";")
        media = media.strip().lower()
        q = _quality(params)
        if q <= 0:
            continue
        for rank, f in enumerate(of_kind):
            alias = ACCEPT_ALIASES.get(media)
            wildcard = media == "*/*" or (media.endswith("/*") and f.media_type.startswith(media[:-1]))
            if media == f.media_type or alias == f.name or wildcard:
                # An exact media type beats a wildcard of the same quality.
                score = (q, -rank - (100 if wildcard else 0), f)
                if best is None or score[:2] > best[:2]:
                    best = score
    if best is None:
        names = ", ".join(f.media_type for f in of_kind)
        raise NotAcceptable(f"the Accept header names no format of this answer: it can be one of {names}")
    return best[2]


def _quality(params: str) -> float:
    for param in params.split(";"):
        key, _, value = param.strip().partition("=")
        if key.strip().lower() == "q":
            try:
                return float(value)
            except ValueError:
                return 0.0
    return 1.0


def content_type(fmt: Format) -> str:
    """The ``Content-Type`` header of an answer written in ``fmt``."""
    return f"{fmt.media_type}; charset=utf-8"


def write_select(variables: Sequence[str], rows: Iterable[Row], fmt: Format) -> bytes:
    """A SELECT answer in one of the W3C results formats."""
    if fmt.name == "json":
        bindings = [{v: json_term(t) for v, t in zip(variables, row) if t is not None} for row in rows]
        return json.dumps({"head": {"vars": list(variables)}, "results": {"bindings": bindings}}).encode()
    if fmt.name == "xml":
        out = [_XML_HEAD, "<head>", *(f"<variable name={quoteattr(v)}/>" for v in variables), "</head><results>"]
        for row in rows:
            cells = "".join(
                f"<binding name={quoteattr(v)}>{_xml_term(t)}</binding>"
                for v, t in zip(variables, row)
                if t is not None
            )
            out.append(f"<result>{cells}</result>")
        out.append("</results></sparql>\n")
        return "".join(out).encode()
    if fmt.name == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\r\n")
        writer.writerow(variables)
        writer.writerows([_csv_term(t) for t in row] for row in rows)
        return buffer.getvalue().encode()
    lines = ["\t".join(f"?{v}" for v in variables)]
    lines += ["\t".join("" if t is None else str(t) for t in row) for row in rows]
    return ("\n".join(lines) + "\n").encode()


def write_ask(answer: bool, fmt: Format) -> bytes:
    """An ASK answer in one of the W3C results formats (CSV and TSV: one line, ``true`` or ``false``)."""
    word = "true" if answer else "false"
    if fmt.name == "json":
        return json.dumps({"head": {}, "boolean": answer}).encode()
    if fmt.name == "xml":
        return f"{_XML_HEAD}<head/><boolean>{word}</boolean></sparql>\n".encode()
    return f"{word}\n".encode()


def write_graph(triples: Sequence[ox.Triple], fmt: Format) -> bytes:
    """A CONSTRUCT or DESCRIBE answer as RDF, with ecmgraph's prefixes where the syntax has them."""
    rdf = _RDF_FORMATS[fmt.name]
    prefixes = dict(PREFIXES) if rdf in (ox.RdfFormat.TURTLE, ox.RdfFormat.RDF_XML) else None
    return ox.serialize(triples, format=rdf, prefixes=prefixes) or b""


_XML_HEAD = f'<?xml version="1.0" encoding="UTF-8"?>\n<sparql xmlns="{SPARQL_RESULTS}">'


def _xml_term(term: Term) -> str:
    if isinstance(term, ox.NamedNode):
        return f"<uri>{escape(term.value)}</uri>"
    if isinstance(term, ox.BlankNode):
        return f"<bnode>{escape(term.value)}</bnode>"
    if isinstance(term, ox.Literal):
        if term.language:
            return f"<literal xml:lang={quoteattr(term.language)}>{escape(term.value)}</literal>"
        if term.datatype.value != _XSD_STRING:
            return f"<literal datatype={quoteattr(term.datatype.value)}>{escape(term.value)}</literal>"
        return f"<literal>{escape(term.value)}</literal>"
    parts = "".join(f"<{k}>{_xml_term(getattr(term, k))}</{k}>" for k in ("subject", "predicate", "object"))
    return f"<triple>{parts}</triple>"


def _csv_term(term: Term | None) -> str:
    if term is None:
        return ""
    if isinstance(term, ox.BlankNode):
        return f"_:{term.value}"
    if isinstance(term, ox.NamedNode | ox.Literal):
        return term.value
    return str(term)


_XSD_STRING = str(XSD.string)
