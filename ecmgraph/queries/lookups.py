"""The kinds of thing a query parameter may name (an authority, a post, a topic…): for each, a :class:`Lookup`,
the SELECT that lists the candidates with their labels, scopes, days and rank, which
:class:`ecmgraph.queries.lookup.Resolver` runs where the data is."""

from __future__ import annotations

from dataclasses import dataclass

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

    @property
    def scoped(self) -> bool:
        """True if the lookup gives each thing's ``?scope``, and so can be narrowed to one."""
        return "?scope" in self.query.split("WHERE", 1)[0]


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
    ?thing ecm:bodyOf ?scope .
    {{ ?thing {_LABEL} ?label }} UNION {{ ?thing a ?kind . ?kind rdfs:label|skos:altLabel ?label }}
    BIND(1 AS ?rank)
  }}
}}""",
        ),
        Lookup(
            "body",
            "body",
            f"""
SELECT DISTINCT ?thing ?label ?scope WHERE {{
  ?thing ecm:bodyOf ?scope .
  {{ ?thing {_LABEL} ?label }} UNION {{ ?thing a ?kind . ?kind rdfs:label|skos:altLabel ?label }}
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
  OPTIONAL {{ ?thing a owl:Class BIND(0 AS ?classRank) }}
  BIND(COALESCE(?classRank, 1) AS ?rank)
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


#: The columns of a lookup's rows, in order (a lookup leaves out those it has no use for).
LOOKUP_COLUMNS = ("thing", "label", "scope", "start", "end", "rank")
