"""Label lookup: the IRI a user means by a name, an alternative name, a code or an IRI.

Each kind of thing a query parameter may name (an authority, a post, a topic…) has a :class:`Lookup`, a SELECT
that lists the candidates; :class:`Resolver` runs it on an engine (where the data is) and matches in Python.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import pyoxigraph as ox

from ecmgraph.engines import Engine
from ecmgraph.errors import UnknownName
from ecmgraph.namespaces import sparql_prologue
from ecmgraph.portable import hinted
from ecmgraph.queries.describe import Describer, Details, _date_of
from ecmgraph.queries.lookups import LOOKUP_COLUMNS, LOOKUPS, Lookup
from ecmgraph.queries.matching import (
    ABBREVIATIONS,
    EXACT,
    STOP_WORDS,
    TIERS,
    TITLES,
    NameKey,
    _filter_word,
    expand_iri,
    match_tier,
    name_key,
    name_words,
    normalise_label,
    rule_hint,
)
from ecmgraph.results import Table, Term

__all__ = [
    "ABBREVIATIONS",
    "LOOKUPS",
    "STOP_WORDS",
    "TIERS",
    "TITLES",
    "AmbiguousName",
    "Candidate",
    "Details",
    "Lookup",
    "Match",
    "NameKey",
    "Resolver",
    "expand_iri",
    "match_tier",
    "name_key",
    "name_words",
    "normalise_label",
]


class AmbiguousName(UnknownName):
    """A label matches more than one thing: the user must choose one."""


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


@dataclass(frozen=True)
class Match:
    """What a name found among the things of ``kind``: the matches at the best ``tier`` (one: it is resolved), or,
    when nothing matches (``tier`` None), the things with the closest labels, closest first."""

    kind: str
    tier: int | None
    candidates: tuple[Candidate, ...]

    @property
    def resolved(self) -> bool:
        """True if the name names exactly one thing."""
        return self.tier is not None and len(self.candidates) == 1


#: Things whose rows one lookup query reads by IRI.
_CHUNK = 400


def _has_word(row: tuple[Term | None, ...], word: str) -> bool:
    """True if a lookup row's label contains ``word`` (lower case), as the lookup's word filter tests it."""
    label = row[1]
    return isinstance(label, (ox.Literal, ox.NamedNode)) and word in label.value.lower()


def _candidates(rows: Sequence[tuple[Term | None, ...]]) -> list[Candidate]:
    """The candidates of a lookup's rows (:data:`LOOKUP_COLUMNS`), one an IRI, in the order of their IRIs."""
    found: dict[str, dict[str, Any]] = {}
    for iri, label, scope, start, end, rank in rows:
        if not isinstance(iri, ox.NamedNode):
            continue
        entry = found.setdefault(
            iri.value, {"labels": set(), "scopes": set(), "start": None, "end": None, "rank": None}
        )
        if isinstance(label, ox.Literal):
            entry["labels"].add(label.value)
        if isinstance(scope, ox.NamedNode):
            entry["scopes"].add(scope.value)
        entry["start"] = entry["start"] or _date_of(start)
        entry["end"] = entry["end"] or _date_of(end)
        if isinstance(rank, ox.Literal) and rank.value.lstrip("-").isdigit():
            entry["rank"] = int(rank.value) if entry["rank"] is None else min(entry["rank"], int(rank.value))
    return [
        Candidate(iri, tuple(sorted(e["labels"])), frozenset(e["scopes"]), e["start"], e["end"], e["rank"] or 0)
        for iri, e in sorted(found.items())
    ]


class Resolver:
    """Finds the IRI a user means by a label, an alternative label, a code or an IRI, on one engine.

    Names are compared as people type them: any case and punctuation, words in any order, stop words, common
    abbreviations ("DC", "Cllr", "DCS") and a person's title left aside, and a thing may be named with the
    authority it belongs to ("Chief Executive of Rochford"); see :func:`match_tier`. One query per lookup reads
    the candidates of a kind, narrowed where it can be: to the IRI given, to the things of the authority a name is
    looked for within (:meth:`within`), or to things with a label containing the longest plain word of the name
    given, then to those and the things of the authorities whose names contain it (:meth:`near`); all of them
    are read when that finds nothing (the matching itself is done in Python, where case folding and apostrophes
    are the same on every engine).
    """

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._cache: dict[tuple[str, str | None, str | None], list[Candidate]] = {}
        self._rows: dict[str, list[tuple[Term | None, ...]]] = {}  # every thing's rows, by kind, once read
        self._scoped_rows: dict[tuple[str, str], list[tuple[Term | None, ...]]] = {}  # by kind and scope
        self._narrowed: dict[tuple[str, str, str, str | None], list[Candidate]] = {}  # by kind, how, what, word
        self.describer = Describer(engine)
        self._scope_words: dict[str, frozenset[str]] | None = None

    def details(self, iris: Sequence[str]) -> dict[str, Details]:
        """The :class:`~ecmgraph.queries.describe.Details` of each of ``iris``."""
        return self.describer.details(iris)

    def labels(self, iris: Sequence[str]) -> dict[str, str]:
        """The label to show for each of ``iris`` that has one."""
        return self.describer.labels(iris)

    def describe_all(self, candidates: Sequence[Candidate]) -> list[str]:
        """Each candidate as ``'Label' (kind, authority) <IRI>``, no two alike but for their IRIs."""
        return self.describer.describe_all([(c.iri, c.labels) for c in candidates])

    def within(self, kind: str, scope: str, *, word: str | None = None) -> list[Candidate]:
        """The things of ``kind`` that belong to ``scope`` (and, for a lookup that is not strict, those that belong
        to nothing), each with all its labels and scopes: the candidates :meth:`candidates` gives that
        :meth:`search` keeps for ``scope``, read without reading every thing of the kind. With ``word``, only
        their labels containing it."""
        key = (kind, "within", scope, word)
        if key not in self._narrowed:
            if (kind, scope) not in self._scoped_rows:
                self._scoped_rows[kind, scope] = self._rows_in(kind, [scope], unscoped=not LOOKUPS[kind].strict)
            rows = self._scoped_rows[kind, scope]
            self._narrowed[key] = _candidates(rows if word is None else [r for r in rows if _has_word(r, word)])
        return self._narrowed[key]

    def near(self, kind: str, word: str) -> list[Candidate]:
        """The things of ``kind`` with a label containing ``word`` or belonging to an authority with one, each with
        all its labels and scopes: every candidate :meth:`candidates` gives that a name with ``word`` may match
        when the name of the authority counts (:func:`match_tier`), read without reading every thing of the kind."""
        key = (kind, "near", word, None)
        if key not in self._narrowed:
            authorities = [c.iri for c in self.candidates("authority", word=word)]
            rows = self._rows_in(kind, authorities, unscoped=False) if authorities else []
            got = {r[0] for r in rows}
            labelled = sorted(c.iri for c in self.candidates(kind, word=word) if ox.NamedNode(c.iri) not in got)
            self._narrowed[key] = _candidates(rows + self._rows_of(kind, labelled))
        return self._narrowed[key]

    def _rows_in(self, kind: str, scopes: Sequence[str], *, unscoped: bool) -> list[tuple[Term | None, ...]]:
        """All the rows of the things of ``kind`` that belong to one of ``scopes`` (with ``unscoped``, and those
        that belong to nothing): from the rows of every thing where they were read, else by a query of the things
        (a FILTER the engine runs early) and one of their rows."""
        every = self._rows.get(kind)
        if every is None:
            test = "?scope IN ({})".format(", ".join(str(ox.NamedNode(s)) for s in scopes))
            test = f"!BOUND(?scope) || {test}" if unscoped else test
            text = hinted(sparql_prologue() + LOOKUPS[kind].query.rstrip()[:-1] + f"  FILTER({test})\n}}")
            table = self.engine.select(text, source=f"<lookup of {kind}>")
            return self._rows_of(kind, sorted({r[0].value for r in table.rows if isinstance(r[0], ox.NamedNode)}))
        wanted = set(scopes)
        inside = {r[0] for r in every if isinstance(r[2], ox.NamedNode) and r[2].value in wanted}
        if unscoped:
            scoped = {r[0] for r in every if r[2] is not None}
            inside |= {r[0] for r in every if r[0] not in scoped}
        return [r for r in every if r[0] in inside]

    def _rows_of(self, kind: str, things: Sequence[str]) -> list[tuple[Term | None, ...]]:
        """The lookup's rows of each of ``things``, a few hundred things a query (an endpoint is sent the portable
        form: Virtuoso follows the class chain from the first of the VALUES alone)."""
        rows: list[tuple[Term | None, ...]] = []
        for start in range(0, len(things), _CHUNK):
            values = " ".join(str(ox.NamedNode(iri)) for iri in things[start : start + _CHUNK])
            query = LOOKUPS[kind].query.replace("WHERE {", f"WHERE {{\n  VALUES ?thing {{ {values} }}", 1)
            text = hinted(sparql_prologue() + query)
            rows += self._table_rows(self.engine.select(text, source=f"<lookup of {kind}>"))
        return rows

    def candidates(self, kind: str, *, thing: str | None = None, word: str | None = None) -> list[Candidate]:
        """The things of ``kind`` with their labels, scopes, dates and rank: all, the one ``thing``, or those
        with a label containing ``word`` (lower case)."""
        key = (kind, thing, word)
        if key not in self._cache:
            every = self._rows.get(kind)
            if word is not None and thing is None and every is not None:  # read already: no query to scan again
                rows = [r for r in every if _has_word(r, word)]
            else:
                rows = self._select(kind, thing, word)
            self._cache[key] = _candidates(rows)
        return self._cache[key]

    def _select(self, kind: str, thing: str | None, word: str | None) -> list[tuple[Term | None, ...]]:
        """The lookup's rows as (thing, label, scope, start, end, rank); those of every thing are kept."""
        text = sparql_prologue() + LOOKUPS[kind].query
        bindings: dict[str, ox.NamedNode | ox.Literal] = {}
        if thing is not None:
            bindings["thing"] = ox.NamedNode(thing)
        if word is not None:
            text = text.rstrip()[:-1] + "  FILTER(CONTAINS(LCASE(STR(?label)), ?word))\n}"
            bindings["word"] = ox.Literal(word)
        rows = self._table_rows(self.engine.select(text, bindings, source=f"<lookup of {kind}>"))
        if thing is None and word is None:
            self._rows[kind] = rows
        return rows

    @staticmethod
    def _table_rows(table: Table) -> list[tuple[Term | None, ...]]:
        """A lookup's rows in the order of :data:`LOOKUP_COLUMNS`, None for a column it has no use for."""
        at = [table.columns.index(c) if c in table.columns else None for c in LOOKUP_COLUMNS]
        return [tuple(None if i is None else row[i] for i in at) for row in table.rows]

    def exists(self, iri: str) -> bool:
        """True if the data says anything about ``iri`` (as subject or object)."""
        table = self.engine.select(
            "SELECT ?p WHERE { { ?thing ?p ?o } UNION { ?s ?p ?thing } } LIMIT 1",
            {"thing": ox.NamedNode(iri)},
            source="<lookup>",
        )
        return bool(table.rows)

    # --- matching ----------------------------------------------------------------------------------------------

    def search(self, value: str, kind: str, *, scope: str | None = None, day: dt.date | None = None) -> Match:
        """What ``value`` names among the things of ``kind`` (narrowed to those of ``scope`` if given).

        The best tier of :func:`match_tier` wins. Among several matches at that tier, those that also carry the
        title given ("Councillor …") are preferred, then the one that existed on ``day``, then the one the lookup
        ranks first (a kind of post over one authority's post). When nothing matches, the :class:`Match` holds the
        things with the closest labels instead (:meth:`closest`). Raises InputError for an IRI that is not valid.
        """
        lookup = LOOKUPS[kind]

        def narrowed(pool: list[Candidate]) -> list[Candidate]:
            if scope is None:
                return pool
            return [c for c in pool if scope in c.scopes or (not lookup.strict and not c.scopes)]

        def pool(word: str | None = None) -> list[Candidate]:  # the candidates of scope, read as few as can be
            if scope is not None and lookup.scoped:
                return self.within(kind, scope, word=word)
            return narrowed(self.candidates(kind, word=word))

        iri = expand_iri(value)
        if iri is not None:
            found = narrowed(self.candidates(kind, thing=iri))
            if found:
                return Match(kind, EXACT, (found[0],))
            if kind == "entity" and self.exists(iri):
                return Match(kind, EXACT, (Candidate(iri, (), frozenset()),))
            return Match(kind, None, tuple(self.closest(value, pool())))
        key = name_key(value)
        word = _filter_word(value)
        matches: list[tuple[int, Candidate]] = []
        if word is not None:
            matches = self._matches(value, key, pool(word), with_scopes=False)
        if not matches and word is not None and scope is None and lookup.scoped:  # named with its authority?
            matches = self._matches(value, key, self.near(kind, word), with_scopes=True)
        if not matches:
            matches = self._matches(value, key, pool(), with_scopes=True)
        if not matches:
            return Match(kind, None, tuple(self.closest(value, pool())))
        tier = min(t for t, _ in matches)
        best = [c for t, c in matches if t == tier]
        if len(best) > 1 and key.words != key.core:  # "Cllr Bea Sample": the councillor's post before others
            titled = [c for c in best if any(key.words <= name_key(label).words for label in c.labels)]
            best = titled or best
        if len(best) > 1 and day is not None:
            living = [c for c in best if c.exists_on(day)]
            if len(living) == 1:
                best = living
        if len(best) > 1:
            first = min(c.rank for c in best)
            preferred = [c for c in best if c.rank == first]
            if len(preferred) == 1:
                best = preferred
        return Match(kind, tier, tuple(best))

    def _matches(
        self, value: str, key: NameKey, pool: Sequence[Candidate], *, with_scopes: bool
    ) -> list[tuple[int, Candidate]]:
        scope_words = self._authority_words() if with_scopes and any(c.scopes for c in pool) else {}
        out = []
        for c in pool:
            words = [scope_words[s] for s in sorted(c.scopes) if s in scope_words]
            tier = match_tier(value, c.labels, words, key=key)
            if tier is not None:
                out.append((tier, c))
        return out

    def _authority_words(self) -> dict[str, frozenset[str]]:
        """Each authority's IRI with the words of all its names."""
        if self._scope_words is None:
            self._scope_words = {
                c.iri: frozenset().union(*(name_key(label).words for label in c.labels))
                for c in self.candidates("authority")
            }
        return self._scope_words

    def closest(self, value: str, pool: Sequence[Candidate], limit: int = 5) -> list[Candidate]:
        """The things of ``pool`` whose labels are the most similar to ``value`` (rapidfuzz's weighted ratio of
        their words, 60 or more out of 100, then its plain ratio), most similar first; at most ``limit``."""
        from rapidfuzz import fuzz

        needle = " ".join(name_words(value)) or normalise_label(value)
        best: dict[str, tuple[float, float, str]] = {}
        for c in pool:
            for label in c.labels:
                text = " ".join(name_words(label)) or normalise_label(label)
                score = fuzz.WRatio(needle, text, score_cutoff=60)
                if not score:
                    continue
                key = (-score, -fuzz.ratio(needle, text), text)
                if c.iri not in best or key < best[c.iri]:
                    best[c.iri] = key
        by_iri = {c.iri: c for c in pool}
        ranked = sorted(best, key=lambda iri: (*best[iri], iri))
        return [by_iri[iri] for iri in ranked[:limit]]

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

        Matching is on every label, alternative label and code, as people type names (:meth:`search`); an exact
        match wins. Raises UnknownName (exit 3) with the closest labels when nothing matches, and AmbiguousName
        listing the matches, each with what tells it apart (its kind, its authority, its code, its days), when
        several do.
        """
        lookup = LOOKUPS[kind]
        where = f" of {scope_label or scope}" if scope is not None else ""
        if expand_iri(value) is None and not normalise_label(value):
            raise UnknownName(f"parameter {parameter}: an empty value names no {lookup.noun}")
        found = self.search(value, kind, scope=scope, day=day)
        if found.resolved:
            return found.candidates[0].iri
        if found.tier is None:
            iri = expand_iri(value)
            if iri is not None:
                article = "an" if lookup.noun[0] in "aeiouAEIOU" else "a"
                message = f"parameter {parameter}: <{iri}> is not {article} {lookup.noun}{where} in the data"
            else:
                message = f"parameter {parameter}: no {lookup.noun}{where} matches {value!r}"
            raise UnknownName(message, hint=self.suggestion(found.candidates, kind, value))
        details = self.details([c.iri for c in found.candidates])
        matches = sorted(
            found.candidates, key=lambda c: (details[c.iri].label.casefold(), details[c.iri].authority, c.iri)
        )
        shown = "; ".join(self.describe_all(matches[:8]))
        more = f" and {len(matches) - 8} more" if len(matches) > 8 else ""
        raise AmbiguousName(
            f"parameter {parameter}: {value!r} matches {len(matches)} things: {shown}{more}",
            hint="give one of them: its full name, its code or its IRI",
        )

    def suggestion(self, closest: Sequence[Candidate], kind: str, value: str = "") -> str:
        """The hint for a name that matches nothing: the closest things, described, or where to list names (or,
        for a rule's id, where rules are shown)."""
        hint = rule_hint(value)
        if hint is not None:
            return hint
        listing = _LIST_COMMAND.get(kind)
        where = f"'ecmgraph list {listing}' lists them" if listing else "'ecmgraph lookup NAME' shows what a name is"
        if not closest:
            return f"no label is close; give an IRI, or a name: {where}"
        return "closest: " + "; ".join(self.describe_all(closest))


#: The ``ecmgraph list`` category that shows the names a lookup takes.
_LIST_COMMAND = {
    "authority": "authorities",
    "county": "authorities",
    "post": "posts",
    "post-or-person": "posts",
    "post-or-body": "posts",
    "person": "people",
    "body": "bodies",
    "topic": "topics",
    "function": "functions",
}
