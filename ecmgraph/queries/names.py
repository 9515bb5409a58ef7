"""Names for people: what a name resolves to (``ecmgraph lookup``), the names there are (``ecmgraph list``), and
the labels a table of IRIs is shown with.

Each answer is a :class:`~ecmgraph.results.Table` of ``label``, ``kind``, ``authority``, ``code``, ``existed``
(the days it existed, where recorded) and ``iri``, so that it renders like any query result (csv and json keep
the IRIs in full).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import pyoxigraph as ox

from ecmgraph.engines import Engine
from ecmgraph.errors import InputError
from ecmgraph.queries.lookup import LOOKUPS, TIERS, Candidate, Details, Match, Resolver
from ecmgraph.queries.matching import rule_hint
from ecmgraph.results import Table, Term

#: What ``ecmgraph list`` lists, and the lookup whose things it lists.
LIST_KINDS: dict[str, str] = {
    "authorities": "authority",
    "posts": "post",
    "people": "person",
    "bodies": "body",
    "functions": "function",
    "topics": "topic",
}
#: The kinds of thing ``ecmgraph lookup`` looks among when no ``--kind`` is given.
LOOKUP_KINDS = ("authority", "region", "post", "body", "person", "topic", "outcome")
#: The columns of every answer.
NAME_COLUMNS = ("label", "kind", "authority", "code", "existed", "iri")


@dataclass(frozen=True)
class NameAnswer:
    """What a name resolves to: ``status`` is ``resolved`` (one row), ``ambiguous`` (the candidates) or
    ``unknown`` (the closest names, closest first; none if nothing is close)."""

    text: str
    status: str
    table: Table
    tier: str | None = None

    def note(self) -> str:
        """One line for people on what the rows are."""
        count = len(self.table.rows)
        if self.status == "resolved":
            return f"{self.text!r} names one thing (matched: {self.tier})"
        if self.status == "ambiguous":
            return (
                f"{self.text!r} names {count} things: give one of them by its label with its authority, "
                "its code or its IRI"
            )
        hint = rule_hint(self.text)
        if hint is not None:
            return f"nothing is named {self.text!r}: {hint}"
        if count:
            return f"nothing is named {self.text!r}; the {count} closest name{'s are' if count > 1 else ' is'} listed"
        return f"nothing is named {self.text!r}, and no name is close ('ecmgraph list' shows the names there are)"


def _literal(text: str) -> ox.Literal | None:
    return ox.Literal(text) if text else None


def _rows(details: Iterable[Details]) -> tuple[tuple[Term | None, ...], ...]:
    return tuple(
        (
            _literal(d.label),
            _literal(d.kind),
            _literal(d.authority),
            _literal(d.code or ""),
            _literal(d.days()),
            ox.NamedNode(d.iri),
        )
        for d in details
    )


def look_up(engine: Engine, text: str, *, kind: str | None = None, day: dt.date | None = None) -> NameAnswer:
    """What ``text`` names among the things of ``kind`` (a key of LOOKUPS), or among authorities, regions, posts,
    bodies, people, topics and functions and outcomes: the best match of any kind wins (an authority's exact name
    before a post that has it among its words). Raises InputError for an unknown kind or an empty name."""
    if kind is not None and kind not in LOOKUPS:
        raise InputError(f"no kind of thing {kind!r}", hint="one of: " + ", ".join(sorted(LOOKUPS)))
    if not text.strip():
        raise InputError("an empty name names nothing", hint="give a name, a code or an IRI")
    resolver = Resolver(engine)
    found = [resolver.search(text, k, day=day) for k in ((kind,) if kind else LOOKUP_KINDS)]
    matched = [m for m in found if m.tier is not None]
    if matched:
        tier = min(m.tier for m in matched if m.tier is not None)
        best: list[Candidate] = []
        for m in matched:
            if m.tier == tier:
                best.extend(c for c in m.candidates if all(b.iri != c.iri for b in best))
        details = resolver.details([c.iri for c in best])
        ordered = sorted(details.values(), key=_order) if len(best) > 1 else list(details.values())
        status = "resolved" if len(best) == 1 else "ambiguous"
        return NameAnswer(text, status, Table(NAME_COLUMNS, _rows(ordered)), TIERS[tier])
    if rule_hint(text) is not None:  # a rule's id: nothing in the data is close to it, whatever its letters
        return NameAnswer(text, "unknown", Table(NAME_COLUMNS, ()))
    closest = _closest_overall(resolver, text, found)
    details = resolver.details([c.iri for c in closest])
    return NameAnswer(text, "unknown", Table(NAME_COLUMNS, _rows(details[c.iri] for c in closest)))


def _closest_overall(resolver: Resolver, text: str, found: Sequence[Match], limit: int = 5) -> list[Candidate]:
    """The closest things of every kind looked among, closest first."""
    pool: dict[str, Candidate] = {}
    for m in found:
        for c in resolver.candidates(m.kind):
            pool.setdefault(c.iri, c)
    return resolver.closest(text, list(pool.values()), limit)


def _order(d: Details) -> tuple[str, str, str]:
    return (d.label.casefold(), d.authority.casefold(), d.iri)


def list_names(engine: Engine, what: str, *, authority: str | None = None, day: dt.date | None = None) -> Table:
    """The things of ``what`` (a key of LIST_KINDS) with their label, kind, authority, code, days and IRI,
    sorted by label.

    ``authority`` (a name, code or IRI) keeps those of one authority: its posts, bodies, the people who hold its
    posts or sit on its bodies, and, for authorities, the authority and its districts. Raises InputError for an
    unknown ``what``, UnknownName for an authority that names nothing (or several things).
    """
    if what not in LIST_KINDS:
        raise InputError(f"nothing to list called {what!r}", hint="list one of: " + ", ".join(LIST_KINDS))
    resolver = Resolver(engine)
    candidates = resolver.candidates(LIST_KINDS[what])
    if what == "topics":
        candidates = [c for c in candidates if c.rank == 0]  # the topic lookup also finds functions, ranked after
    details = resolver.details([c.iri for c in candidates])
    chosen = list(details.values())
    if authority is not None:
        iri = resolver.resolve(authority, "authority", parameter="--authority", day=day)
        chosen = [d for d in chosen if d.iri == iri or any(a == iri for a, _ in d.authorities)]
    return Table(NAME_COLUMNS, _rows(sorted(chosen, key=_order)))


def without_empty_columns(table: Table) -> Table:
    """``table`` without the columns that are empty in every row (for people; csv and json keep them all)."""
    keep = [i for i in range(len(table.columns)) if any(row[i] is not None for row in table.rows)]
    if len(keep) == len(table.columns) or not table.rows:
        return table
    return Table(tuple(table.columns[i] for i in keep), tuple(tuple(row[i] for i in keep) for row in table.rows))


def table_labels(table: Table, engine: Engine) -> dict[str, str]:
    """The label of each IRI in ``table`` that has one in the data, to show the table with labels."""
    iris = sorted({t.value for row in table.rows for t in row if isinstance(t, ox.NamedNode)})
    return Resolver(engine).labels(iris) if iris else {}
