"""Query results as ecmgraph holds them, whatever engine gave them: a :class:`Table` (SELECT), a bool (ASK) or
a :class:`Graph` (CONSTRUCT, DESCRIBE), of pyoxigraph terms; and the canonical forms that make output the same
every run (sorted triples, blank nodes renamed in order, the prefixes a graph can use).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import pyoxigraph as ox

from ecmgraph.namespaces import PREFIXES

Term = ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple


@dataclass(frozen=True)
class Table:
    """The result of a SELECT query: column names and rows of terms (None where unbound)."""

    columns: tuple[str, ...]
    rows: tuple[tuple[Term | None, ...], ...]

    @classmethod
    def from_solutions(cls, solutions: ox.QuerySolutions) -> Table:
        """Read every row of a pyoxigraph SELECT result."""
        columns = tuple(v.value for v in solutions.variables)
        rows = tuple(tuple(solution[c] for c in columns) for solution in solutions)
        return cls(columns, rows)


@dataclass(frozen=True)
class Graph:
    """The result of a CONSTRUCT or DESCRIBE query: its triples."""

    triples: tuple[ox.Triple, ...]


QueryResult = Table | bool | Graph


def term_value(term: Term) -> str:
    """A term's plain text: an IRI or a blank node's id, a literal's lexical form (as SHACL engines write it)."""
    return term.value if isinstance(term, (ox.NamedNode, ox.BlankNode, ox.Literal)) else str(term)


def compact(iri: str) -> str:
    """An IRI as a short name for people to read (``ecm:ChiefExecutive``, ``ecmid:post/E10000028/dcs``).

    For display only: a ``/`` is kept in the local part, which Turtle would need escaped.
    """
    best = ""
    for prefix, ns in PREFIXES.items():
        if iri.startswith(ns) and len(ns) > len(PREFIXES.get(best, "")):
            local = iri[len(ns) :]
            if local and all(ch.isalnum() or ch in "_-./" for ch in local) and not local.endswith("."):
                best = prefix
    if best:
        return f"{best}:{iri[len(PREFIXES[best]) :]}"
    return f"<{iri}>"


def cell_text(term: Term | None, *, compact_iris: bool = True) -> str:
    """What a person reads for a term: IRIs compacted, literals as their lexical form."""
    if term is None:
        return ""
    if isinstance(term, ox.NamedNode):
        return compact(term.value) if compact_iris else term.value
    if isinstance(term, ox.BlankNode):
        return f"_:{term.value}"
    if isinstance(term, ox.Literal):
        return term.value
    return str(term)


def canonical_quads(quads: Iterable[ox.Quad]) -> list[ox.Quad]:
    """The quads, each once, sorted, with blank nodes renamed b0, b1… in that order: the same list for the same
    dataset, whatever labels a parser gave its blank nodes.

    Sorting alone cannot do that where two quads differ only in their blank nodes (the tie is broken by the random
    labels), so a dataset with blank nodes is first canonicalised (RDFC-1.0, W3C's RDF Dataset Canonicalization):
    its blank nodes then carry labels that depend on the graph's structure only.
    """
    unique = set(quads)
    if any(isinstance(term, ox.BlankNode) for q in unique for term in (q.subject, q.object, q.graph_name)):
        dataset = ox.Dataset(unique)
        dataset.canonicalize(ox.CanonicalizationAlgorithm.RDFC_1_0)
        unique = set(dataset)

    def shape(term: object) -> str:
        return "_:" if isinstance(term, ox.BlankNode) else "" if isinstance(term, ox.DefaultGraph) else str(term)

    ordered = sorted(
        unique, key=lambda q: (shape(q.graph_name), shape(q.subject), shape(q.predicate), shape(q.object), str(q))
    )
    names: dict[ox.BlankNode, ox.BlankNode] = {}

    def rename(term: Any) -> Any:
        if isinstance(term, ox.BlankNode):
            return names.setdefault(term, ox.BlankNode(f"b{len(names)}"))
        return term

    return [ox.Quad(rename(q.subject), q.predicate, rename(q.object), rename(q.graph_name)) for q in ordered]


def stable_blank_nodes(triples: Iterable[ox.Triple]) -> list[ox.Triple]:
    """The triples, each once, in the canonical order of :func:`canonical_quads` (the same bytes every run)."""
    return [q.triple for q in canonical_quads(ox.Quad(t.subject, t.predicate, t.object) for t in triples)]


def usable_prefixes(triples: Sequence[ox.Triple]) -> dict[str, str]:
    """The known prefixes that the triples use and that give clean prefixed names (no ``/`` to escape)."""
    iris = {
        t.value
        for triple in triples
        for t in (triple.subject, triple.predicate, triple.object)
        if isinstance(t, ox.NamedNode)
    }
    iris |= {triple.object.datatype.value for triple in triples if isinstance(triple.object, ox.Literal)}
    out = {}
    for prefix, ns in sorted(PREFIXES.items()):
        locals_ = [iri[len(ns) :] for iri in iris if iri.startswith(ns)]
        if locals_ and not any("/" in local or "#" in local for local in locals_):
            out[prefix] = ns
    return out
