"""RDF documents of a published site: each thing's description as Turtle, N-Triples and JSON-LD, and the dumps.

Output is byte-identical for the same input: triples are sorted, and blank nodes, whose labels pyoxigraph draws
at random on each parse, are named from a digest of what they say (:func:`canonical_blank_nodes`).
"""

from __future__ import annotations

import functools
import hashlib
import json
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from json.encoder import encode_basestring
from typing import Any

import pyoxigraph as ox

from ecmgraph.namespaces import PREFIXES, RDF, XSD

_RDF_TYPE = str(RDF.type)

Subject = ox.NamedNode | ox.BlankNode
Term = ox.NamedNode | ox.BlankNode | ox.Literal

_XSD_STRING = str(XSD.string)
_LANG_STRING = str(RDF.langString)


@functools.lru_cache(maxsize=65536)
def prefixed(iri: str) -> str | None:
    """``ecm:Post`` for an IRI in one of the usual namespaces (the longest that fits), else None (remembered: a
    site's documents name the same properties and classes again and again)."""
    best = max((ns for ns in PREFIXES.values() if iri.startswith(ns)), key=len, default=None)
    if best is None or len(iri) == len(best):
        return None
    prefix = next(p for p, ns in PREFIXES.items() if ns == best)
    return f"{prefix}:{iri[len(best) :]}"


def canonical_blank_nodes(quads: Sequence[ox.Quad]) -> list[ox.Quad]:
    """The quads with each blank node renamed after a digest of its statements and of those that point to it,
    so that the same data gives the same labels on every parse. Blank nodes that say the same are numbered in
    the order of their digests' ties (they are then interchangeable)."""
    lines: dict[ox.BlankNode, list[str]] = defaultdict(list)
    for q in quads:
        graph = str(q.graph_name) if isinstance(q.graph_name, ox.NamedNode) else ""
        if isinstance(q.subject, ox.BlankNode):
            other = "_" if isinstance(q.object, ox.BlankNode) else str(q.object)
            lines[q.subject].append(f"out {graph} {q.predicate} {other}")
        if isinstance(q.object, ox.BlankNode):
            other = "_" if isinstance(q.subject, ox.BlankNode) else str(q.subject)
            lines[q.object].append(f"in {graph} {other} {q.predicate}")
    if not lines:
        return list(quads)
    digests = {b: hashlib.sha256("\n".join(sorted(ls)).encode()).hexdigest()[:16] for b, ls in lines.items()}
    names: dict[ox.BlankNode, ox.BlankNode] = {}
    used: dict[str, int] = defaultdict(int)
    for b in sorted(digests, key=lambda b: (digests[b], b.value)):
        n = used[digests[b]]
        used[digests[b]] += 1
        names[b] = ox.BlankNode(f"b{digests[b]}" + (f"x{n}" if n else ""))

    def rename(term: Any) -> Any:
        return names.get(term, term) if isinstance(term, ox.BlankNode) else term

    return [ox.Quad(rename(q.subject), q.predicate, rename(q.object), q.graph_name) for q in quads]


def sort_key(quad: ox.Quad | ox.Triple) -> tuple[str, str, str, str]:
    """Graph, subject, predicate, object, as N-Triples terms: the order of every RDF file written."""
    graph = str(quad.graph_name) if isinstance(quad, ox.Quad) and isinstance(quad.graph_name, ox.NamedNode) else ""
    return (graph, str(quad.subject), str(quad.predicate), str(quad.object))


def serialize(triples: Iterable[ox.Triple] | Iterable[ox.Quad], fmt: ox.RdfFormat, *, ordered: bool = False) -> bytes:
    """Triples (or quads, for TriG and N-Quads) in ``fmt``, sorted (``ordered``: they already are, by
    :func:`sort_key`), with ecmgraph's prefixes where the format has them."""
    rows: list[Any] = list(triples) if ordered else sorted(triples, key=sort_key)
    prefixes = dict(PREFIXES) if fmt in (ox.RdfFormat.TURTLE, ox.RdfFormat.TRIG) else None
    data = ox.serialize(rows, format=fmt, prefixes=prefixes)
    assert data is not None
    return data


def description_quads(triples: Sequence[ox.Triple]) -> list[ox.Triple]:
    """A thing's triples with their blank nodes canonically named."""
    quads = canonical_blank_nodes([ox.Quad(t.subject, t.predicate, t.object) for t in triples])
    return [ox.Triple(q.subject, q.predicate, q.object) for q in quads]


def jsonld_document(iri: str, triples: Sequence[ox.Triple]) -> str:
    """A thing's description as JSON-LD with a readable ``@context``: ``id`` and ``type``, and short names (the
    local names, prefixed where two clash) for its properties; blank nodes embedded where they are used."""
    by_subject: dict[Subject, list[ox.Triple]] = defaultdict(list)
    for t in triples:
        if isinstance(t.subject, ox.NamedNode | ox.BlankNode):
            by_subject[t.subject].append(t)
    predicates = sorted({t.predicate.value for t in triples if t.predicate.value != _RDF_TYPE})
    names = _short_names(predicates)
    context: dict[str, object] = {"id": "@id", "type": "@type"}
    for predicate in predicates:
        objects = [t.object for t in triples if t.predicate.value == predicate]
        entry: dict[str, str] = {"@id": predicate}
        if all(isinstance(o, ox.NamedNode) for o in objects):
            entry["@type"] = "@id"
        context[names[predicate]] = entry
    for prefix in sorted(PREFIXES):
        context.setdefault(prefix, PREFIXES[prefix])
    node = _node(ox.NamedNode(iri), by_subject, names, context, set())
    document = {"@context": context, **node}
    return _indented(document, "") + "\n"


def _indented(value: object, indent: str) -> str:
    """``value`` as ``json.dumps(value, ensure_ascii=False, indent=2)`` writes it, the same characters, without
    the generators of its pure-Python encoder (which ``indent`` chooses): a site has a JSON-LD document a thing."""
    if isinstance(value, str):
        return encode_basestring(value)
    inner = indent + "  "
    if isinstance(value, dict):
        if not value:
            return "{}"
        items = ",\n".join(f"{inner}{encode_basestring(str(k))}: {_indented(v, inner)}" for k, v in value.items())
        return "{\n" + items + "\n" + indent + "}"
    if isinstance(value, list):
        if not value:
            return "[]"
        return "[\n" + ",\n".join(inner + _indented(v, inner) for v in value) + "\n" + indent + "]"
    return json.dumps(value)


def _short_names(predicates: Sequence[str]) -> dict[str, str]:
    def local(iri: str) -> str:
        for sep in ("#", "/"):
            if sep in iri:
                iri = iri.rsplit(sep, 1)[-1]
        return iri or "property"

    counts: dict[str, int] = defaultdict(int)
    for p in predicates:
        counts[local(p)] += 1
    out = {}
    for p in predicates:
        name = local(p)
        if counts[name] > 1 or name in ("id", "type") or name.startswith("@"):
            prefix = next((k for k, ns in sorted(PREFIXES.items()) if p.startswith(ns)), "p")
            name = f"{prefix}_{name}"
        out[p] = name
    return out


def _node(
    subject: Subject,
    by_subject: Mapping[Subject, list[ox.Triple]],
    names: Mapping[str, str],
    context: Mapping[str, object],
    seen: set[Subject],
) -> dict[str, object]:
    seen.add(subject)
    node: dict[str, object] = {}
    if isinstance(subject, ox.NamedNode):
        node["id"] = subject.value
    types = sorted(
        prefixed(t.object.value) or t.object.value
        for t in by_subject.get(subject, [])
        if t.predicate.value == _RDF_TYPE and isinstance(t.object, ox.NamedNode)
    )
    if types:
        node["type"] = types[0] if len(types) == 1 else types
    values: dict[str, list[object]] = defaultdict(list)
    for t in sorted(by_subject.get(subject, []), key=sort_key):
        if t.predicate.value == _RDF_TYPE:
            continue
        name = names[t.predicate.value]
        entry = context[name]
        iri_typed = isinstance(entry, dict) and entry.get("@type") == "@id"
        value = t.object
        if isinstance(value, ox.BlankNode):
            values[name].append(_node(value, by_subject, names, context, seen) if value not in seen else {})
        elif isinstance(value, ox.NamedNode):
            values[name].append(value.value if iri_typed else {"id": value.value})
        elif isinstance(value, ox.Literal):
            values[name].append(_literal(value))
    for name in sorted(values):
        node[name] = values[name][0] if len(values[name]) == 1 else values[name]
    return node


def _literal(value: ox.Literal) -> object:
    if value.language:
        return {"@value": value.value, "@language": value.language}
    if value.datatype.value == _XSD_STRING:
        return value.value
    return {"@value": value.value, "type": value.datatype.value}
