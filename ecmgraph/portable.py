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

Three more rewrites, each of the same meaning, for what else Virtuoso 7.2.5 gets wrong in them:

- a sub-SELECT's projected variable that its pattern never names (``{ SELECT $this ?value WHERE { ?value a C } }``,
  as SHACL has sub-SELECTs project ``$this``) is left out of its projection: it is unbound in every row, so it
  changes no join, but Virtuoso joins such a sub-SELECT with nothing;
- the path from a body to its authority, ``(X|Y|P+/(X|Y))``, becomes ``(P*/(X|Y))``: Virtuoso gives each subject
  of the first a second row with the object unbound (``?b a C . ?b (X|P+/(X|^Z)) ?a``: an alternative with a
  transitive step before an alternative with an inverse);
- ``VALUES ?v { t1 … tn } ?v PATH ?o`` with a transitive or optional step in the path becomes one ``UNION`` branch
  per value, ``{ t1 PATH ?o . BIND (t1 AS ?v) }``, and a leading ``X?/R`` in it ``(R|X/R)``: Virtuoso follows such
  a path from none of the values (``VALUES ?n { … } ?n org:postIn? ?x`` is an error, "transitive start not
  given"), and from a constant it gets ``X?/P*/R`` wrong where ``P*/R`` and ``X/P*/R`` are right.
"""

from __future__ import annotations

import itertools
import re

from ecmgraph.namespaces import RDF, RDFS
from ecmgraph.sparql_text import code_mask, sub_selects

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
            break
        query = rewritten
    return _unprojected(_values_paths(_body_paths(query)))


def _subject(before: str) -> str:
    """The subject of the statement that ``before`` ends inside: the term after its last ``.``, ``{`` or ``}``."""
    tokens = _TOKENS.findall(before)
    starts = [i for i, t in enumerate(tokens) if t in ".{}"]
    start = starts[-1] + 1 if starts else 0
    if start >= len(tokens) or not re.fullmatch(_TERM, tokens[start]):
        raise ValueError(f"a class chain after ';' with no subject before it: {before[-80:]!r}")
    return str(tokens[start])


# --- the other rewrites: each finds its pattern in the query with IRIs, literals and comments masked -----------
# (code_mask with their ends kept: a position in the masked text is the same in the query).

#: One step of a path: an IRI or a prefixed name, or its inverse.
_STEP = r"\^?(?:<[^<>\s]*>|[^\s()|/^*+?<>]+)"
#: ``(X|Y|P+/(X|Y))``: the two alternatives the same.
_BODY_PATH = re.compile(rf"\((?P<alt>{_STEP}(?:\|{_STEP})+)\|(?P<step>{_STEP})\+/\((?P=alt)\)\)")


def _body_paths(query: str) -> str:
    """Every ``(X|Y|P+/(X|Y))`` as ``(P*/(X|Y))``, the same paths (the module docstring)."""
    masked = code_mask(query, keep_ends=True)
    out, last = [], 0
    for match in _BODY_PATH.finditer(masked):
        original = _BODY_PATH.fullmatch(query, match.start(), match.end())  # the IRIs themselves the same too
        if original is None:
            continue
        out += [query[last : match.start()], f"({original['step']}*/({original['alt']}))"]
        last = match.end()
    return "".join(out) + query[last:]


#: ``VALUES ?v { … } ?s PATH ?o`` ended by ``.`` or ``}``: the rewrite is for ``?s`` the same as ``?v``.
_VALUES_PATH = re.compile(
    r"VALUES\s+(?P<v>[?$]\w+)\s*\{(?P<terms>[^{}]*)\}\s*(?P<s>[?$]\w+)\s+(?P<path>[^\s{}.;,]+)\s+"
    r"(?P<o>[?$]\w+)\s*(?P<end>\.|(?=\}))",
    re.I,
)


def _values_paths(query: str) -> str:
    """Every ``VALUES ?v { … } ?v PATH ?o`` whose path has a ``*``, ``+`` or ``?`` as a ``UNION`` of one branch per
    value, the value in the path's place (the module docstring)."""
    masked = code_mask(query, keep_ends=True)
    out, last = [], 0
    for match in _VALUES_PATH.finditer(masked):
        terms_at = [(m.start(), m.end()) for m in re.finditer(r"\S+", match["terms"])]
        if (
            match["s"][1:] != match["v"][1:]
            or match["o"][1:] == match["v"][1:]
            or match["path"][0] in "?$"
            or not re.search(r"[*+?]", match["path"])
            or not terms_at
            or any(match["terms"][a:b].upper() == "UNDEF" for a, b in terms_at)
        ):
            continue
        start = match.start("terms")
        terms = [query[start + a : start + b] for a, b in terms_at]
        path = _optional_first_step(query[match.start("path") : match.end("path")], match["path"])
        o, v = match["o"], match["v"]
        branches = " UNION ".join(f"{{ {t} {path} {o} . BIND ({t} AS {v}) }}" for t in terms)
        out += [query[last : match.start()], branches + (" ." if match["end"] else " ")]
        last = match.end()
    return "".join(out) + query[last:]


def _optional_first_step(path: str, masked: str) -> str:
    """``X?/R`` as ``(R|X/R)``, the same paths; any other path as it is (``masked`` is the path masked)."""
    first = re.match(rf"{_STEP}\?/", masked)
    depth, alternative = 0, False
    for c in masked:
        depth += {"(": 1, ")": -1}.get(c, 0)
        alternative = alternative or (c == "|" and depth == 0)
    if first is None or alternative:
        return path
    step, rest = path[: first.end() - 2], path[first.end() :]
    return f"({rest}|{step}/{rest})"


_SUB_SELECT = re.compile(r"\{\s*SELECT\s+(?:(?:DISTINCT|REDUCED)\s+)?(?P<vars>(?:[?$]\w+\s+)+)(?=WHERE\b|\{)", re.I)


def _unprojected(query: str) -> str:
    """Every sub-SELECT with the variables its pattern never names left out of its projection (the module
    docstring); one that would project nothing is left as it is. Again until nothing changes: leaving a variable
    out of an inner sub-SELECT may leave an outer one not naming it either."""
    while True:
        masked = code_mask(query, keep_ends=True)
        ends = dict(sub_selects(masked))
        for match in reversed(list(_SUB_SELECT.finditer(masked))):
            inside = masked[match.end("vars") : ends[match.start()]]
            names = match["vars"].split()
            kept = [n for n in names if re.search(rf"[?$]{n[1:]}\b", inside)]
            if kept and kept != names:
                query = query[: match.start("vars")] + " ".join(kept) + " " + query[match.end("vars") :]
                break
        else:
            return query


def hinted(query: str) -> str:
    """``query`` with the hint that asks for the portable form on an endpoint (a comment: locally, nothing)."""
    return f"{HINT}\n{query}"


def for_endpoint(query: str) -> str:
    """``query`` as ecmgraph sends it to an endpoint: :func:`portable` where it carries the hint, else as it is."""
    return portable(query) if _HINTED.search(query) else query
