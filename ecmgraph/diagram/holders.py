"""Who holds a post on a day, as the packaged queries find it (``accountability-chain``,
``statutory-post-holders``): a tenure (or a recorded vacancy) within its dates holds on the day; one known only
from a dated source (``time:inside``, no dates) holds on that day and is, after it, the last known holder, not
confirmed for the day asked, until the data records anything of the post after that day (a tenure or vacancy
beginning, or a source's later day; a year counts as its first day, compared as text as the queries do). No start
date is made up from a source's date, and a post with nothing recorded has its holder not recorded: never vacant.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

import pyoxigraph as ox

from ecmgraph.engines import Engine
from ecmgraph.namespaces import sparql_prologue
from ecmgraph.results import Term

__all__ = ["Holding", "holdings", "is_current", "iri_of", "select_rows", "text_of"]

_PERIODS = """
SELECT DISTINCT ?post ?period ?holder ?name ?vacancy ?start ?end ?instant ?day WHERE {
  VALUES ?post { %(iris)s }
  ?period ecm:post ?post .
  { ?period ecm:holder ?holder OPTIONAL { ?holder foaf:name ?name } }
  UNION { ?period a ecm:Vacancy BIND(true AS ?vacancy) }
  OPTIONAL { ?period ecm:startDate ?start }
  OPTIONAL { ?period ecm:endDate ?end }
  OPTIONAL { ?period time:inside ?instant . ?instant ?on ?day FILTER(?on IN (time:inXSDDate, time:inXSDgYear)) }
}"""
_CHUNK = 300


@dataclass(frozen=True)
class Holding:
    """Who holds a post on the chart's day (``vacant``: a recorded vacancy), since when, and on what evidence.

    ``known_on`` is the day (or year) of the source that names them, where they are known only from it;
    ``confirmed`` is false for the last known holder of an earlier day."""

    name: str
    iri: str | None = None
    since: str | None = None
    known_on: str | None = None
    confirmed: bool = True
    vacant: bool = False

    def text(self, day: dt.date) -> str:
        """The holding in words: "Anthony May (known on 2009-01-21, not confirmed for 2026-12-03)"."""
        words = "vacant" if self.vacant else self.name
        if self.since:
            words += f" since {self.since}"
        if self.known_on and not self.confirmed:
            words += f" (known on {self.known_on}, not confirmed for {day.isoformat()})"
        elif self.known_on:
            words += f" (known on {self.known_on})"
        return words


def select_rows(engine: Engine, template: str, iris: Sequence[str]) -> list[dict[str, Term | None]]:
    """Rows of ``template`` with ``%(iris)s`` the IRIs, a few hundred a query (written by pyoxigraph, as
    :class:`ecmgraph.queries.describe.Describer` writes them: an IRI that is not valid cannot be written)."""
    out: list[dict[str, Term | None]] = []
    for start in range(0, len(iris), _CHUNK):
        values = " ".join(str(ox.NamedNode(iri)) for iri in iris[start : start + _CHUNK])
        table = engine.select(sparql_prologue() + template % {"iris": values}, source="<diagram>")
        out += [dict(zip(table.columns, row)) for row in table.rows]
    return out


def iri_of(term: Term | None) -> str | None:
    return term.value if isinstance(term, ox.NamedNode) else None


def text_of(term: Term | None) -> str | None:
    return term.value if isinstance(term, ox.Literal) else None


def is_current(start: str | None, end: str | None, day_seen: str | None, day: dt.date) -> bool:
    """Within its dates on ``day``; one known only from a source's day, from that day on."""
    if start or end or not day_seen:
        return (not start or start <= day.isoformat()) and (not end or end >= day.isoformat())
    return day_seen <= day.isoformat()


def holdings(engine: Engine, posts: Sequence[str], day: dt.date) -> dict[str, tuple[Holding, ...]]:
    """Each post's holders (or recorded vacancy) on ``day``, as the packaged queries find them."""
    periods: dict[str, list[dict[str, str | None]]] = {}
    names: dict[str, str] = {}
    for row in select_rows(engine, _PERIODS, posts):
        post, holder, name = iri_of(row.get("post")), iri_of(row.get("holder")), text_of(row.get("name"))
        if post is None:
            continue
        if holder and name and (holder not in names or name < names[holder]):
            names[holder] = name
        periods.setdefault(post, []).append(
            {
                "holder": iri_of(row.get("holder")),
                "vacant": "yes" if row.get("vacancy") is not None else None,
                "start": text_of(row.get("start")),
                "end": text_of(row.get("end")),
                "instant": "yes" if row.get("instant") is not None else None,
                "day": text_of(row.get("day")),
            }
        )
    today = day.isoformat()
    out: dict[str, tuple[Holding, ...]] = {}
    for post, rows in periods.items():
        found = set()
        for p in rows:
            dated = bool(p["start"] or p["end"] or not p["instant"])
            if dated:
                if not is_current(p["start"], p["end"], None, day):
                    continue
                known = None
            else:
                seen = p["day"] or ""
                later = any(
                    (q["start"] or q["day"] or "") > seen and (q["start"] or q["day"] or "") <= today for q in rows
                )
                if not seen or seen > today or later:
                    continue
                known = seen
            holder = p["holder"]
            found.add(
                Holding(
                    names.get(holder, holder) if holder else "vacant",
                    holder,
                    p["start"],
                    known,
                    known is None or known == today,
                    bool(p["vacant"]),
                )
            )
        if found:
            out[post] = tuple(sorted(found, key=lambda h: (h.vacant, h.name.casefold(), h.iri or "")))
    return out
