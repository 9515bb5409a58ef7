"""Label lookup: the IRI a user means by a name, an alternative name, a code or an IRI.

Each kind of thing a query parameter may name (an authority, a post, a topic…) has a :class:`Lookup`, a SELECT
that lists the candidates; :class:`Resolver` runs it on an engine (where the data is) and matches in Python.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import pyoxigraph as ox

from ecmgraph.engines import Engine
from ecmgraph.errors import InputError, UnknownName
from ecmgraph.namespaces import PREFIXES, sparql_prologue
from ecmgraph.results import Term

_PREFIXED_NAME = re.compile(r"^([A-Za-z][\w-]*):([^\s<>\"{}|^`\\]*)$")
_ABSOLUTE_IRI = re.compile(r"^(?:https?|urn|file|tag|mailto):\S+$", re.I)


class AmbiguousName(UnknownName):
    """A label matches more than one thing: the user must choose one."""


_LABEL = "rdfs:label|skos:prefLabel|skos:altLabel|foaf:name|dcterms:identifier|skos:notation"


@dataclass(frozen=True)
class Lookup:
    """How to find the things a parameter may name: a SELECT of ?thing ?label, optionally ?scope ?start ?end.

    ``?scope`` is what the thing belongs to (a post's authority), for parameters narrowed ``within`` another;
    ``strict`` says whether a thing with no scope is left out when narrowing. ``?start``/``?end`` are the days
    the thing existed, and ``?rank`` a preference (lowest first), used to choose among things that share a
    label: two codes of one council, a kind of post and one authority's post named after it.
    """

    kind: str
    noun: str
    query: str
    strict: bool = True


_POST_SCOPE = """
    OPTIONAL { { ?thing org:postIn ?scope } UNION { ?thing org:postIn/ecm:bodyOf ?scope } }"""

LOOKUPS: dict[str, Lookup] = {
    lookup.kind: lookup
    for lookup in (
        Lookup(
            "authority",
            "authority",
            f"""
SELECT DISTINCT ?thing ?label ?start ?end WHERE {{
  ?thing a/rdfs:subClassOf* ecm:Authority ; {_LABEL} ?label .
  OPTIONAL {{ ?thing ecm:startDate ?start }} OPTIONAL {{ ?thing ecm:endDate ?end }}
}}""",
        ),
        Lookup(
            "county",
            "county council",
            f"""
SELECT DISTINCT ?thing ?label ?start ?end WHERE {{
  ?thing a/rdfs:subClassOf* ecm:CountyCouncil ; {_LABEL} ?label .
  OPTIONAL {{ ?thing ecm:startDate ?start }} OPTIONAL {{ ?thing ecm:endDate ?end }}
}}""",
        ),
        Lookup(
            "region",
            "region",
            f"""
SELECT DISTINCT ?thing ?label WHERE {{ ?thing a ecm:Region ; {_LABEL} ?label }}""",
        ),
        Lookup(
            "person",
            "person",
            f"""
SELECT DISTINCT ?thing ?label WHERE {{ ?thing a foaf:Person ; {_LABEL} ?label }}""",
        ),
        Lookup(
            "post",
            "post",
            f"""
SELECT DISTINCT ?thing ?label ?scope WHERE {{
  ?thing a/rdfs:subClassOf* org:Post .
  {{ ?thing {_LABEL} ?label }} UNION {{ ?thing a ?kind . ?kind rdfs:label|skos:altLabel ?label }}
  {_POST_SCOPE}
}}""",
        ),
        Lookup(
            "post-or-body",
            "post or body",
            f"""
SELECT DISTINCT ?thing ?label ?scope ?rank WHERE {{
  {{
    ?thing a/rdfs:subClassOf* org:Post .
    {{ ?thing {_LABEL} ?label }} UNION {{ ?thing a ?kind . ?kind rdfs:label|skos:altLabel ?label }}
    {_POST_SCOPE}
    BIND(0 AS ?rank)
  }} UNION {{
    ?thing ecm:bodyOf ?scope ; {_LABEL} ?label .
    BIND(1 AS ?rank)
  }}
}}""",
        ),
        Lookup(
            "post-or-person",
            "post or person",
            f"""
SELECT DISTINCT ?thing ?label ?scope WHERE {{
  {{
    ?thing a/rdfs:subClassOf* org:Post .
    {{ ?thing {_LABEL} ?label }} UNION {{ ?thing a ?kind . ?kind rdfs:label|skos:altLabel ?label }}
    {_POST_SCOPE}
  }} UNION {{
    ?thing a foaf:Person ; {_LABEL} ?label .
    OPTIONAL {{ ?tenure ecm:holder ?thing ; ecm:post ?post .
               {{ ?post org:postIn ?scope }} UNION {{ ?post org:postIn/ecm:bodyOf ?scope }} }}
  }}
}}""",
        ),
        Lookup(
            "topic",
            "topic or function",
            f"""
SELECT DISTINCT ?thing ?label ?rank WHERE {{
  {{ ?thing a ecm:Topic BIND(0 AS ?rank) }} UNION {{ ?thing skos:inScheme ecm:Topics BIND(0 AS ?rank) }}
  UNION {{ ?thing a ecm:StatutoryFunction BIND(1 AS ?rank) }}
  ?thing {_LABEL} ?label .
}}""",
        ),
        Lookup(
            "function",
            "statutory function",
            f"""
SELECT DISTINCT ?thing ?label WHERE {{ ?thing a ecm:StatutoryFunction ; {_LABEL} ?label }}""",
        ),
        Lookup(
            "outcome",
            "Every Child Matters outcome",
            f"""
SELECT DISTINCT ?thing ?label WHERE {{ ?thing skos:inScheme ecm:EveryChildMattersOutcomes ; {_LABEL} ?label }}""",
        ),
        Lookup(
            "role",
            "role (a kind of post or body, or one authority's own)",
            f"""
SELECT DISTINCT ?thing ?label ?scope ?rank WHERE {{
  {{ SELECT DISTINCT ?thing WHERE {{
       {{ ?responsibility ecm:responsibilityOf ?thing }}
       UNION {{ ?responsibility ecm:responsibilityOf ?own . ?own a ?thing }} }} }}
  ?thing {_LABEL} ?label .
  BIND(IF(EXISTS {{ ?thing a owl:Class }}, 0, 1) AS ?rank)
  OPTIONAL {{ {{ ?thing org:postIn ?scope }} UNION {{ ?thing org:postIn/ecm:bodyOf ?scope }}
             UNION {{ ?thing ecm:bodyOf ?scope }} }}
}}""",
            strict=False,
        ),
        Lookup(
            "thing",
            "post, body or function with a statutory basis",
            f"""
SELECT DISTINCT ?thing ?label ?rank WHERE {{
  {{ ?thing ecm:statutoryBasis|ecm:guidanceBasis ?basis }}
  UNION {{ ?thing a/rdfs:subClassOf* ?kind . ?kind ecm:statutoryBasis|ecm:guidanceBasis ?basis }}
  ?thing {_LABEL} ?label .
  BIND(IF(EXISTS {{ ?thing a owl:Class }}, 0, 1) AS ?rank)
}}""",
        ),
        Lookup(
            "entity",
            "thing",
            f"""
SELECT DISTINCT ?thing ?label WHERE {{ ?thing {_LABEL}|dcterms:title ?label . FILTER(isIRI(?thing)) }}""",
        ),
    )
}


@dataclass(frozen=True)
class Candidate:
    """A thing a label may name: its IRI, its labels, what it belongs to and the days it existed."""

    iri: str
    labels: tuple[str, ...]
    scopes: frozenset[str]
    start: dt.date | None = None
    end: dt.date | None = None
    rank: int = 0

    def exists_on(self, day: dt.date) -> bool:
        """True if the thing existed on ``day`` (no dates recorded: always)."""
        return (self.start is None or self.start <= day) and (self.end is None or self.end >= day)

    def describe(self) -> str:
        """``Label <IRI>`` for messages."""
        label = sorted(self.labels, key=lambda t: (len(t), t))[0] if self.labels else ""
        return f"{label} <{self.iri}>" if label else f"<{self.iri}>"


def normalise_label(text: str) -> str:
    """A label as compared: Unicode-normalised, curly quotes straightened, case-folded, spaces collapsed."""
    text = unicodedata.normalize("NFKC", text)
    text = text.replace("\u2019", "'").replace("\u2018", "'").replace("\u201c", '"').replace("\u201d", '"')
    return " ".join(text.casefold().split())


def _date_of(term: Term | None) -> dt.date | None:
    if isinstance(term, ox.Literal):
        try:
            return dt.date.fromisoformat(term.value)
        except ValueError:
            return None
    return None


def expand_iri(value: str) -> str | None:
    """``value`` as an absolute IRI if it is one (``<…>``, ``https://…``) or a known prefixed name, else None.

    Raises InputError for something written as an IRI that is not a valid one (``http://a>}``).
    """
    text = value.strip()
    iri = None
    if text.startswith("<") and text.endswith(">") and _ABSOLUTE_IRI.match(text[1:-1]):
        iri = text[1:-1]
    elif _ABSOLUTE_IRI.match(text):
        iri = text
    elif (match := _PREFIXED_NAME.match(text)) and match.group(1) in PREFIXES:
        iri = PREFIXES[match.group(1)] + match.group(2)
    if iri is not None:
        try:
            ox.NamedNode(iri)
        except ValueError as exc:
            raise InputError(f"{value!r} is not a valid IRI: {exc}", hint="check the IRI, or give a name") from None
    return iri


class Resolver:
    """Finds the IRI a user means by a label, an alternative label, a code or an IRI, on one engine.

    One query per lookup reads the candidates of a kind, narrowed where it can be: to the IRI given, or to things
    with a label containing the longest word of the name given (the matching itself is done in Python, where
    case folding and apostrophes are the same on every engine). Every candidate is read only to suggest the
    closest labels when nothing matches.
    """

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._cache: dict[tuple[str, str | None, str | None], list[Candidate]] = {}

    def candidates(self, kind: str, *, thing: str | None = None, word: str | None = None) -> list[Candidate]:
        """The things of ``kind`` with their labels, scopes, dates and rank: all, the one ``thing``, or those
        with a label containing ``word`` (lower case)."""
        key = (kind, thing, word)
        if key not in self._cache:
            lookup = LOOKUPS[kind]
            text = sparql_prologue() + lookup.query
            bindings: dict[str, ox.NamedNode | ox.Literal] = {}
            if thing is not None:
                bindings["thing"] = ox.NamedNode(thing)
            if word is not None:
                text = text.rstrip()[:-1] + "  FILTER(CONTAINS(LCASE(STR(?label)), ?word))\n}"
                bindings["word"] = ox.Literal(word)
            table = self.engine.select(text, bindings, source=f"<lookup of {kind}>")
            cols = table.columns
            found: dict[str, dict[str, Any]] = {}
            for row in table.rows:
                values = dict(zip(cols, row))
                iri = values.get("thing")
                if not isinstance(iri, ox.NamedNode):
                    continue
                entry = found.setdefault(
                    iri.value, {"labels": set(), "scopes": set(), "start": None, "end": None, "rank": None}
                )
                label = values.get("label")
                if isinstance(label, ox.Literal):
                    entry["labels"].add(label.value)
                scope = values.get("scope")
                if isinstance(scope, ox.NamedNode):
                    entry["scopes"].add(scope.value)
                entry["start"] = entry["start"] or _date_of(values.get("start"))
                entry["end"] = entry["end"] or _date_of(values.get("end"))
                rank = values.get("rank")
                if isinstance(rank, ox.Literal) and rank.value.lstrip("-").isdigit():
                    entry["rank"] = int(rank.value) if entry["rank"] is None else min(entry["rank"], int(rank.value))
            self._cache[key] = [
                Candidate(iri, tuple(sorted(e["labels"])), frozenset(e["scopes"]), e["start"], e["end"], e["rank"] or 0)
                for iri, e in sorted(found.items())
            ]
        return self._cache[key]

    def exists(self, iri: str) -> bool:
        """True if the data says anything about ``iri`` (as subject or object)."""
        table = self.engine.select(
            "SELECT ?p WHERE { { ?thing ?p ?o } UNION { ?s ?p ?thing } } LIMIT 1",
            {"thing": ox.NamedNode(iri)},
            source="<lookup>",
        )
        return bool(table.rows)

    def resolve(
        self,
        value: str,
        kind: str,
        *,
        parameter: str,
        scope: str | None = None,
        scope_label: str | None = None,
        day: dt.date | None = None,
    ) -> str:
        """The IRI that ``value`` names among the things of ``kind`` (narrowed to ``scope`` if given).

        Matching is case-insensitive on every label, alternative label and code; an exact match wins, then a
        match on whole words inside a label. Among several things with the label, the one that existed on
        ``day`` is preferred, then the one the lookup ranks first (a kind of post over one authority's post).
        Raises UnknownName (exit 3) with the closest labels when nothing matches, and AmbiguousName listing the
        matches when several do.
        """
        lookup = LOOKUPS[kind]
        where = f" of {scope_label or scope}" if scope is not None else ""

        def narrowed(pool: list[Candidate]) -> list[Candidate]:
            if scope is None:
                return pool
            return [c for c in pool if scope in c.scopes or (not lookup.strict and not c.scopes)]

        iri = expand_iri(value)
        if iri is not None:
            if narrowed(self.candidates(kind, thing=iri)):
                return iri
            if kind == "entity" and self.exists(iri):
                return iri
            article = "an" if lookup.noun[0] in "aeiouAEIOU" else "a"
            raise UnknownName(
                f"parameter {parameter}: <{iri}> is not {article} {lookup.noun}{where} in the data",
                hint=self._suggest(value, narrowed(self.candidates(kind))),
            )
        needle = normalise_label(value)
        if not needle:
            raise UnknownName(f"parameter {parameter}: an empty value names no {lookup.noun}")
        words = re.findall(r"[a-z0-9]+", unicodedata.normalize("NFKC", value).lower())
        pool = narrowed(self.candidates(kind, word=max(words, key=len)) if words else self.candidates(kind))
        exact = [c for c in pool if any(normalise_label(label) == needle for label in c.labels)]
        matches = exact or [
            c for c in pool if any(_contains_words(normalise_label(label), needle) for label in c.labels)
        ]
        if len(matches) > 1 and day is not None:
            living = [c for c in matches if c.exists_on(day)]
            if len(living) == 1:
                matches = living
        if len(matches) > 1:
            best = min(c.rank for c in matches)
            preferred = [c for c in matches if c.rank == best]
            if len(preferred) == 1:
                matches = preferred
        if len(matches) == 1:
            return matches[0].iri
        if not matches:
            raise UnknownName(
                f"parameter {parameter}: no {lookup.noun}{where} matches {value!r}",
                hint=self._suggest(value, narrowed(self.candidates(kind))),
            )
        shown = "; ".join(c.describe() for c in matches[:8])
        more = f" and {len(matches) - 8} more" if len(matches) > 8 else ""
        raise AmbiguousName(
            f"parameter {parameter}: {value!r} matches {len(matches)} things: {shown}{more}",
            hint="give one of them: its full name or its IRI",
        )

    @staticmethod
    def _suggest(value: str, pool: Sequence[Candidate]) -> str:
        by_label: dict[str, Candidate] = {}
        for c in pool:
            for label in c.labels:
                by_label.setdefault(normalise_label(label), c)
        close = difflib.get_close_matches(normalise_label(value), list(by_label), n=12, cutoff=0.6)
        if not close:
            return "no label is close; give an IRI, or list what there is with 'ecmgraph sparql'"
        shown: dict[str, str] = {}  # one suggestion per thing, under its closest label
        for label in close:
            c = by_label[label]
            if c.iri not in shown and len(shown) < 5:
                original = next(lbl for lbl in c.labels if normalise_label(lbl) == label)
                shown[c.iri] = f"{original!r} <{c.iri}>"
        return "closest: " + "; ".join(shown.values())


def _contains_words(label: str, needle: str) -> bool:
    """True if ``needle`` occurs in ``label`` starting and ending at word boundaries."""
    return re.search(r"(?<!\w)" + re.escape(needle) + r"(?!\w)", label) is not None
