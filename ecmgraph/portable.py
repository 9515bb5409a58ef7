"""Queries as ecmgraph sends them to a SPARQL endpoint when they carry the hint ``# ecmgraph: portable`` (the
validation queries, and the packaged queries that need it): the same meaning, written so that Virtuoso 7.2.5
answers them as pyoxigraph does. :class:`ecmgraph.engines.RemoteEngine` applies :func:`for_endpoint`.

Virtuoso follows a transitive path whose start an earlier pattern binds (after a join, or VALUES) for the first
input row only: ``VALUES ?n { <a> <b> <c> } ?n a/rdfs:subClassOf* ecm:Authority`` gives ``<a>`` alone. The
subclasses as a capped sub-SELECT, ``?n a ?k . { SELECT ?k WHERE { ?k (rdfs:subClassOf)* ecm:Authority } LIMIT
1000000000 }``, give all three: the sub-SELECT has no bound start, and its LIMIT keeps Virtuoso from merging it
back into the outer pattern. Every class chain of a hinted query is sent so: for validation, the shapes' queries,
their class targets and the report's queries of each node's authority.

Locally the queries keep the plain path: on pyoxigraph 0.5 the sub-SELECT form makes the shapes' queries 35-70 %
slower (measured at scale 0.1), since it reads a class's members by a join over every rdf:type triple instead of
following the path from the class.
"""

from __future__ import annotations

import itertools
import re

from ecmgraph.namespaces import RDF, RDFS

#: The comment line that asks for a query to be sent to an endpoint in the portable form (queries/README.md,
#: "Engine hints"): the validation queries carry it, and packaged queries that need it.
HINT = "# ecmgraph: portable"
_HINTED = re.compile(r"^[ \t]*#[ \t]*ecmgraph:[ \t]*portable[ \t]*$", re.M | re.I)

_RDF_TYPE = f"<{RDF.type}>"
_SUBCLASS = f"<{RDFS.subClassOf}>"
#: Far above any answer the sub-SELECT can have (a class's subclasses): the LIMIT is there for Virtuoso's planner.
_CAP = "LIMIT 1000000000"
_TERM = r"(?:[?$]\w+|<[^<>\s]+>|[A-Za-z][\w-]*:[\w.-]*[\w-]|[A-Za-z][\w-]*:)"
_TYPE = rf"(?:a|rdf:type|{re.escape(_RDF_TYPE)})"
_SUB = rf"(?:rdfs:subClassOf|{re.escape(_SUBCLASS)})"
#: ``S a/rdfs:subClassOf* C`` or ``?k rdfs:subClassOf* C``, after its subject or a ``;`` (the statement's subject),
#: ended by ``.``, ``;`` or ``}``.
_CHAIN = re.compile(
    rf"(?:(?P<s>{_TERM})|(?P<semi>;))\s+(?:(?P<chain>{_TYPE}/{_SUB}\*)|{_SUB}\*)\s+(?P<o>{_TERM})\s*"
    r"(?P<end>[.;]|(?=\}))"
)
#: The tokens that matter for finding a statement's subject: IRIs and literals whole, then ``.``, ``{`` and ``}``.
_TOKENS = re.compile(r'<[^<>\s]*>|"(?:[^"\\]|\\.)*"(?:\^\^<[^<>\s]*>|@[\w-]+)?|[.{}]|[^\s.{}<"]+')


def portable(query: str) -> str:
    """``query`` with every class chain written as a capped sub-SELECT of the class's subclasses (see the module
    docstring); a chain after a ``;`` becomes a statement of its own, with the subject of the one it was in."""
    fresh = itertools.count(1)

    def rewrite(match: re.Match[str]) -> str:
        s, o = match["s"] or _subject(match.string[: match.start()]), match["o"]
        if match["chain"]:
            k = f"?ecmgraphClass{next(fresh)}"
            text = f"{s} {_RDF_TYPE} {k} . {{ SELECT {k} WHERE {{ {k} ({_SUBCLASS})* {o} }} {_CAP} }}"
        else:
            text = f"{{ SELECT {s} WHERE {{ {s} ({_SUBCLASS})* {o} }} {_CAP} }}"
        # Virtuoso wants the "." between a group and the triple after it, which SPARQL makes optional.
        end = {";": f" . {s}", ".": " .", "": " "}[match["end"]]
        return (". " if match["semi"] else "") + text + end

    # Again until nothing is left: a chain after a ``;`` may follow what a rewrite wrote. What it writes is never
    # matched again (its subclass path is in parentheses).
    while True:
        rewritten = _CHAIN.sub(rewrite, query)
        if rewritten == query:
            return query
        query = rewritten


def _subject(before: str) -> str:
    """The subject of the statement that ``before`` ends inside: the term after its last ``.``, ``{`` or ``}``."""
    tokens = _TOKENS.findall(before)
    starts = [i for i, t in enumerate(tokens) if t in ".{}"]
    start = starts[-1] + 1 if starts else 0
    if start >= len(tokens) or not re.fullmatch(_TERM, tokens[start]):
        raise ValueError(f"a class chain after ';' with no subject before it: {before[-80:]!r}")
    return str(tokens[start])


def hinted(query: str) -> str:
    """``query`` with the hint that asks for the portable form on an endpoint (a comment: locally, nothing)."""
    return f"{HINT}\n{query}"


def for_endpoint(query: str) -> str:
    """``query`` as ecmgraph sends it to an endpoint: :func:`portable` where it carries the hint, else as it is."""
    return portable(query) if _HINTED.search(query) else query
