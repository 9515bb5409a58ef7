"""What tells things apart, for people: each thing's label, kind, authorities, code and days, read in a few
small queries, and a list of things described so that no two look alike but for their IRIs."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import pyoxigraph as ox

from ecmgraph.engines import Engine
from ecmgraph.namespaces import PREFIXES, sparql_prologue
from ecmgraph.results import Term, compact


def _date_of(term: Term | None) -> dt.date | None:
    if isinstance(term, ox.Literal):
        try:
            return dt.date.fromisoformat(term.value)
        except ValueError:
            return None
    return None


@dataclass(frozen=True)
class Details:
    """What tells a thing apart, for people: its label, its kind, the authorities it belongs to, its code and days.

    ``authorities`` are (IRI, label) pairs: a post's or body's authority, a district's county, a partner's
    authority, the authorities of a person's posts and seats.
    """

    iri: str
    label: str
    kind: str
    authorities: tuple[tuple[str, str], ...] = ()
    code: str | None = None
    start: dt.date | None = None
    end: dt.date | None = None

    @property
    def authority(self) -> str:
        """The authorities' labels, joined: "Exampleshire, Sample Vale"."""
        return ", ".join(label for _, label in self.authorities)

    def days(self) -> str:
        """When it existed: "1996-04-01 to 2019-03-31", "from 2019-04-01", "until …", or ""."""
        if self.start and self.end:
            return f"{self.start.isoformat()} to {self.end.isoformat()}"
        if self.start:
            return f"from {self.start.isoformat()}"
        return f"until {self.end.isoformat()}" if self.end else ""


_LABEL_PREFERENCE = {
    PREFIXES["skos"] + "prefLabel": 0,
    PREFIXES["rdfs"] + "label": 1,
    PREFIXES["foaf"] + "name": 2,
    PREFIXES["dcterms"] + "title": 3,
}
_ECM = PREFIXES["ecm"]
_DETAIL_CHUNK = 400

_DETAIL_LABELS = """
SELECT ?thing ?p ?label WHERE {
  VALUES ?thing { %s }
  ?thing ?p ?label .
  FILTER(?p IN (skos:prefLabel, rdfs:label, foaf:name, dcterms:title))
}"""  # not a VALUES block of the four: Oxigraph joins that one with every label in the data, 15 times slower
_DETAIL_KINDS = """
SELECT ?thing ?type ?typeLabel WHERE {
  VALUES ?thing { %s }
  ?thing a ?type .
  OPTIONAL { ?type rdfs:label ?typeLabel }
  FILTER NOT EXISTS { ?thing a ?other . ?other rdfs:subClassOf+ ?type . FILTER(?other != ?type) }
}"""
_DETAIL_CLASSES = """
SELECT ?thing ?super WHERE {
  VALUES ?thing { %s }
  VALUES ?super { org:Post org:Organization skos:Concept }
  ?thing a owl:Class ; rdfs:subClassOf* ?super .
}"""
_DETAIL_FACTS = """
SELECT ?thing ?code ?start ?end WHERE {
  VALUES ?thing { %s }
  OPTIONAL { ?thing dcterms:identifier ?code }
  OPTIONAL { ?thing ecm:startDate ?start }
  OPTIONAL { ?thing ecm:endDate ?end }
}"""
_DETAIL_AUTHORITIES = """
SELECT DISTINCT ?thing ?authority ?pref ?label WHERE {
  VALUES ?thing { %s }
  { ?thing org:postIn|ecm:bodyOf|ecm:parentCounty|ecm:relevantPartnerOf ?authority }
  UNION { ?thing org:postIn/ecm:bodyOf ?authority }
  UNION { ?tenure ecm:holder ?thing ; ecm:post/(org:postIn|(org:postIn/ecm:bodyOf)) ?authority }
  UNION { ?membership org:member ?thing ; org:organization/ecm:bodyOf ?authority }
  FILTER(isIRI(?authority))
  OPTIONAL { ?authority skos:prefLabel ?pref }
  OPTIONAL { ?authority rdfs:label ?label }
}"""
_CLASS_KINDS = {
    PREFIXES["org"] + "Post": "kind of post",
    PREFIXES["org"] + "Organization": "kind of body",
    PREFIXES["skos"] + "Concept": "kind of concept",
}


def _words_of_local_name(iri: str) -> str:
    local = re.split(r"[#/]", iri)[-1]
    return " ".join(w.lower() for w in re.findall(r"[A-Z]?[a-z0-9]+|[A-Z]+(?![a-z])", local)) or local


def _preferred_literal(values: Sequence[tuple[int, ox.Literal]]) -> str:
    """The label to show among (preference, literal) pairs: by preference, English or untagged, shortest, first."""
    if not values:
        return ""
    rank, literal = min(
        values, key=lambda v: (v[0], 0 if v[1].language in (None, "", "en") else 1, len(v[1].value), v[1].value)
    )
    return literal.value


class Describer:
    """Reads and keeps the :class:`Details` of things on one engine."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._details: dict[str, Details] = {}

    # --- describing --------------------------------------------------------------------------------------------

    def details(self, iris: Sequence[str]) -> dict[str, Details]:
        """The :class:`Details` of each of ``iris`` (a few small queries, a few hundred IRIs at a time)."""
        missing = [iri for iri in dict.fromkeys(iris) if iri not in self._details]
        for start in range(0, len(missing), _DETAIL_CHUNK):
            self._read_details(missing[start : start + _DETAIL_CHUNK])
        return {iri: self._details[iri] for iri in iris}

    def labels(self, iris: Sequence[str]) -> dict[str, str]:
        """The label to show for each of ``iris`` that has one (skos:prefLabel, rdfs:label, foaf:name or
        dcterms:title, in that order of preference): one small query for a few hundred IRIs at a time."""
        out = {iri: self._details[iri].label for iri in iris if iri in self._details and self._details[iri].label}
        missing = [iri for iri in dict.fromkeys(iris) if iri not in self._details]
        for start in range(0, len(missing), _DETAIL_CHUNK):
            found: dict[str, list[tuple[int, ox.Literal]]] = {}
            for row in self._select(_DETAIL_LABELS, missing[start : start + _DETAIL_CHUNK]):
                thing, p, label = row.get("thing"), row.get("p"), row.get("label")
                if isinstance(thing, ox.NamedNode) and isinstance(p, ox.NamedNode) and isinstance(label, ox.Literal):
                    found.setdefault(thing.value, []).append((_LABEL_PREFERENCE.get(p.value, 9), label))
            out.update({iri: _preferred_literal(values) for iri, values in found.items()})
        return out

    def _select(self, template: str, iris: Sequence[str]) -> list[dict[str, Term | None]]:
        values = " ".join(str(ox.NamedNode(iri)) for iri in iris)
        table = self.engine.select(sparql_prologue() + template % values, source="<names>")
        return [dict(zip(table.columns, row)) for row in table.rows]

    def _read_details(self, iris: Sequence[str]) -> None:
        labels: dict[str, list[tuple[int, ox.Literal]]] = {iri: [] for iri in iris}
        for row in self._select(_DETAIL_LABELS, iris):
            thing, p, label = row.get("thing"), row.get("p"), row.get("label")
            if isinstance(thing, ox.NamedNode) and isinstance(p, ox.NamedNode) and isinstance(label, ox.Literal):
                labels[thing.value].append((_LABEL_PREFERENCE.get(p.value, 9), label))
        kinds: dict[str, list[tuple[int, str]]] = {iri: [] for iri in iris}
        for row in self._select(_DETAIL_KINDS, iris):
            thing, kind, kind_label = row.get("thing"), row.get("type"), row.get("typeLabel")
            if not isinstance(thing, ox.NamedNode) or not isinstance(kind, ox.NamedNode):
                continue
            if isinstance(kind_label, ox.Literal):
                kinds[thing.value].append((0 if kind.value.startswith(_ECM) else 1, kind_label.value))
            elif kind.value != PREFIXES["owl"] + "Class":
                kinds[thing.value].append((2, _words_of_local_name(kind.value)))
        for row in self._select(_DETAIL_CLASSES, iris):
            thing, sup = row.get("thing"), row.get("super")
            if isinstance(thing, ox.NamedNode) and isinstance(sup, ox.NamedNode) and sup.value in _CLASS_KINDS:
                kinds[thing.value].append((list(_CLASS_KINDS).index(sup.value) - 10, _CLASS_KINDS[sup.value]))
        facts: dict[str, dict[str, Any]] = {iri: {} for iri in iris}
        for row in self._select(_DETAIL_FACTS, iris):
            thing = row.get("thing")
            if not isinstance(thing, ox.NamedNode):
                continue
            entry = facts[thing.value]
            code = row.get("code")
            if isinstance(code, ox.Literal) and (entry.get("code") is None or code.value < entry["code"]):
                entry["code"] = code.value
            entry["start"] = entry.get("start") or _date_of(row.get("start"))
            entry["end"] = entry.get("end") or _date_of(row.get("end"))
        authorities: dict[str, dict[str, list[tuple[int, ox.Literal]]]] = {iri: {} for iri in iris}
        for row in self._select(_DETAIL_AUTHORITIES, iris):
            thing, authority = row.get("thing"), row.get("authority")
            if not isinstance(thing, ox.NamedNode) or not isinstance(authority, ox.NamedNode):
                continue
            if authority.value == thing.value:
                continue
            names = authorities[thing.value].setdefault(authority.value, [])
            for rank, column in ((0, "pref"), (1, "label")):
                value = row.get(column)
                if isinstance(value, ox.Literal):
                    names.append((rank, value))
        for iri in iris:
            shown_kind = min(kinds[iri])[1] if kinds[iri] else ""
            found = tuple(
                sorted(
                    ((a, _preferred_literal(n) or compact(a)) for a, n in authorities[iri].items()),
                    key=lambda p: (p[1].casefold(), p[0]),
                )
            )
            self._details[iri] = Details(
                iri,
                _preferred_literal(labels[iri]),
                shown_kind,
                found,
                facts[iri].get("code"),
                facts[iri].get("start"),
                facts[iri].get("end"),
            )

    def describe_all(self, candidates: Sequence[tuple[str, Sequence[str]]]) -> list[str]:
        """Each candidate as ``'Label' (kind, authority) <IRI>``, with its code, then its days, added where the
        text would otherwise be the same as another's: no two look alike but for their IRIs."""
        details = self.details([iri for iri, _ in candidates])
        labels: list[str] = []
        parts: list[list[str]] = []
        for iri, own in candidates:
            d = details[iri]
            labels.append(d.label or (sorted(own, key=lambda t: (len(t), t))[0] if own else compact(iri)))
            parts.append([p for p in (d.kind, d.authority) if p])
        for extra in ("code", "days"):
            shown = [f"{label} {part}" for label, part in zip(labels, parts)]
            for i, (iri, _) in enumerate(candidates):
                if shown.count(shown[i]) > 1:
                    d = details[iri]
                    value = d.code if extra == "code" else d.days()
                    if value:
                        parts[i].append(value)
        out = []
        for label, part, (iri, _) in zip(labels, parts, candidates):
            inside = f" ({', '.join(part)})" if part else ""
            out.append(f"{label!r}{inside} <{iri}>")
        return out
