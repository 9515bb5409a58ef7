"""The catalogue for people: ``ecmgraph query list``'s table and ``queries/README.md``, generated from the headers."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

import pyoxigraph as ox

from ecmgraph.queries.catalogue import PackagedQuery, catalogue
from ecmgraph.results import Table


def parameter_synopsis(query: PackagedQuery) -> str:
    """``authority, topic, [date]``: required parameters plain, optional ones in brackets."""
    return ", ".join(p.name if p.required else f"[{p.name}]" for p in query.parameters)


def catalogue_table(queries: Iterable[PackagedQuery]) -> Table:
    """The catalogue as a table: name, summary, parameters."""
    rows = tuple((ox.Literal(q.name), ox.Literal(q.summary), ox.Literal(parameter_synopsis(q))) for q in queries)
    return Table(("name", "summary", "parameters"), rows)


def _md(text: str) -> str:
    return text.replace("|", "\\|")


def render_readme(queries: Mapping[str, PackagedQuery]) -> str:
    """``queries/README.md``, generated from the headers (``python -m ecmgraph.queries`` writes it)."""
    out = [README_INTRO.strip(), "", "## The queries", "", "| query | question | parameters |", "|---|---|---|"]
    for q in queries.values():
        out.append(f"| [`{q.name}`](#{q.name}) | {_md(q.summary)} | {_md(parameter_synopsis(q)) or '—'} |")
    for q in queries.values():
        out += ["", f"### {q.name}", "", f"**{_md(q.summary)}**", "", q.description, ""]
        if q.tags:
            out += ["Tags: " + ", ".join(f"`{t}`" for t in q.tags) + ".", ""]
        if q.parameters:
            out += ["| parameter | type | required | default | names | description |", "|---|---|---|---|---|---|"]
            for p in q.parameters:
                names = p.lookup or ""
                if p.within:
                    names += f" (of the `{p.within}`)"
                if p.enum:
                    names = (names + "; " if names else "") + "one of " + ", ".join(f"`{v}`" for v in p.enum)
                out.append(
                    f"| `{p.name}` | {p.type} | {'yes' if p.required else 'no'} | "
                    f"{('`' + p.default + '`') if p.default else ''} | {_md(names)} | {_md(p.description)} |"
                )
            out.append("")
        else:
            out += ["No parameters.", ""]
        if q.requires:
            out += ["Requires: " + ", ".join(q.requires) + " (see below).", ""]
        out += ["| column | holds |", "|---|---|"]
        out += [f"| `{c}` | {_md(d)} |" for c, d in q.columns.items()]
        out += ["", "```", q.example_command(), "```"]
    out += ["", README_OUTRO.strip(), ""]
    return "\n".join(out)


README_INTRO = """
# queries/ — the packaged SPARQL queries

GENERATED from the `#+` headers of the `.rq` files by `python -m ecmgraph.queries > queries/README.md`; a test
keeps it in step. Edit the headers, not this file.

Each query answers one question policy analysts ask of one authority, of a region or of England; the table
below lists them, and each section gives a query's question, parameters, columns and an example. Run one with
`ecmgraph query run NAME -p PARAM VALUE…` (`ecmgraph query list` lists them, `ecmgraph query show NAME` prints
one), on the packaged data, on your own files, or on a SPARQL 1.1 endpoint with `--endpoint URL`.

**The names are an interface.** A query's name (its file name) and the names of its parameters are stable:
users, scripts and published links rely on them. Queries may be added, and optional parameters added to a query;
none is renamed or removed, and no optional parameter becomes required (`tests/test_queries_headers.py` holds
the list and checks every header against it).

## How a query file is written

A `.rq` file opens with a YAML header on lines starting `#+`, compatible with
[grlc](https://github.com/CLARIAH/grlc), which turns such files into a web API:

- grlc's keys: `summary` (the question), `description`, `tags`, `defaults` (`- name: value`) and `enumerate`
  (`- name: [values]`, for parameters whose values are a closed list);
- ecmgraph's own keys, which grlc ignores: `params` (for each parameter its `type` — `iri`, `date` or `string`
  —, a `description`, and for an IRI the kind of thing it names, `lookup`, and the parameter it is narrowed by,
  `within`), `example` (values that give rows on the packaged data), `columns` (what each result column holds)
  and `requires`.

Parameters are query variables named as grlc names them: `?_name_iri` for a required IRI, `?__name_iri` for an
optional one, `?__date_xsd_date` for a date. The header must declare exactly the parameters the query uses,
with the same types; a header that does not parse, has an unknown key or disagrees with its query is an error
(exit 3), never ignored.

**Values are bound, never spliced.** ecmgraph turns each value into one RDF term — an IRI found by lookup, a
typed date, a plain literal — and binds it in an escaped `VALUES` block at the start of the WHERE clause (and
of each sub-SELECT's, which SPARQL evaluates first), both on the local store and on a remote endpoint. A value
such as `x" } ; DROP ALL #` is one literal that matches nothing. Optional parameters left out stay unbound, and
the queries are written so that unbound means "any": `FILTER(?region = COALESCE(?__region_iri, ?region))`. The same text works under grlc, which substitutes the
values.

**Names, not IRIs.** Where a parameter names an authority, a county, a region, a post, a person, a role, a
topic or function, an outcome or any other thing (`lookup`), the value may be its label, an alternative label,
its code (GSS codes such as `E10000028`) or its IRI, in any case: `staffordshire`, `Staffordshire County
Council`, `E10000028` and `https://w3id.org/ecmgraph/id/authority/E10000028` are the same authority. An exact
label wins; otherwise a label containing the words given. When nothing matches, ecmgraph exits with code 3
and the closest labels; when several things match, it names them and asks for one (among authorities with the
same name, the one that existed on the `date` is taken). A post may be named by its kind (`DCS`) when the
query narrows it to an authority.

**Time.** Every question about posts, holders or memberships is answered as at a date: the parameter `date`
(default today; `--as-of DATE` sets it). As the modelling guide (`ontology/README.md`) defines it, a tenure,
membership or vacancy is current on that day when its `ecm:startDate` (if recorded) is on or before it and its
`ecm:endDate` (if recorded) on or after it. One with neither date but a `time:inside` (a source names the holder
on its own date) is *attested*: its holder holds the post on that day, and for a later date the answer gives them
as the last known holder, with the day they were known on and "no" in a `confirmed` column, until the data
records something later of the post; no start date is ever inferred from a source's date. (The rules judge only
what is confirmed: an attested tenure is current for them on its own day alone.) **Unknown is not vacant**: a post whose holder is not recorded shows an empty holder,
never "vacant"; only a recorded `ecm:Vacancy` makes a post vacant. Run by grlc or on an endpoint without `date`,
the queries take today from the endpoint's clock (`NOW()`); grlc's default `today` means the same.
"""

README_OUTRO = """
## Engine hints

A comment line `# ecmgraph: lateral` just before an `OPTIONAL` asks ecmgraph's own engine to run that OPTIONAL
for each row, with the row's values (`LATERAL { OPTIONAL { … } }`, SPARQL
[SEP-0006](https://github.com/w3c/sparql-dev/blob/main/SEP/SEP-0006/sep-0006.md), which pyoxigraph implements),
instead of evaluating its pattern once over the whole store and joining. It is for lookups such as "the holder
of each post of this chain on the date", where the rows are few and the pattern alone matches every tenure in
England: `accountability-chain` takes 3 ms instead of 150 ms on a synthetic England of a million triples. Being a
comment, the hint leaves the text standard SPARQL: grlc and rdflib run the plain OPTIONAL, with the same rows (a
test runs each hinted query both ways). With `--endpoint`, ecmgraph asks the endpoint once (`ASK { LATERAL { } }`)
whether it understands LATERAL: one that does (Oxigraph's server) is sent the lateral form, any other the plain
OPTIONAL. Use it only where every variable the OPTIONAL shares with the rows is bound in them: there, both forms
have the same answer.

A comment line `# ecmgraph: portable` anywhere in a query asks that, sent to an endpoint, its class chains
(`?x a/rdfs:subClassOf* C`, `?k rdfs:subClassOf* C`) go as capped sub-SELECTs of the class's subclasses
(`ecmgraph/portable.py`), which Virtuoso 7.2.5 answers right where it follows the plain path for one row only
("Other engines"); on ecmgraph's own engine the query runs as written, which pyoxigraph runs faster. The
validation queries carry it; so do `joint-appointments`, `role-responsibilities` and the CONSTRUCT with which
`compliance-matrix` reads the authorities from an endpoint (`ecmgraph/compliance.py`).

## On a remote endpoint

`ecmgraph query run NAME --endpoint URL` sends the same query text, with the same `VALUES` block, to a SPARQL
1.1 endpoint (SPARQL 1.1 Protocol, POST, JSON results, `--timeout` seconds); label lookups run there too. The
endpoint must hold the data and the ontology (the queries follow `rdfs:subClassOf` through the ontology), with
its default graph the union of the named graphs (Oxigraph: `--union-default-graph`), as ecmgraph's own store
has it. A down, slow or misbehaving endpoint is an error (exit 3), never an empty answer.

## The compliance matrix and the validation report

`compliance-matrix` (`requires: validation-report`) reads ecmgraph's validation results from a SHACL validation
report graph: an `sh:ValidationReport` whose `dcterms:temporal` is the date, and whose results carry their rule
(`dcterms:identifier`), severity (`sh:resultSeverity`), kind (`ecm:findingKind`) and authority (`dcterms:coverage`,
the authority `ecmgraph validate` files the finding under), beside the shapes (for the rules, their titles and
the days they come into force). So the matrix is `ecmgraph validate`'s answer, cell by cell (a test checks it):

- **locally**, ecmgraph validates the data as at the date (exactly as `ecmgraph validate --as-of DATE`), takes
  out again what validation wrote into the store (the data is left as it was, and never copied), and runs the
  query on a store of its own holding the authorities' kinds, names, regions and days, the ontology, the shapes
  and the report;
- **with `--endpoint URL`**, ecmgraph validates the endpoint's data on the endpoint (as `ecmgraph validate
  --endpoint URL` does), reads from it the authorities' kinds, names, regions and days, and runs the query on a
  local store of those, the ontology, the shapes and the report: nothing is written to the endpoint;
- **anywhere else** (grlc, an endpoint queried directly), the query runs on what the store holds: load the
  shapes and such a report into it. Without a report for the date every cell says "not validated", never
  "conforms".

A finding that `ecmgraph validate` files under no authority (one about a statutory function, say) has no cell.

## Other engines

The queries are standard SPARQL 1.1, and the test suite runs them on three engines: ecmgraph's own store
(pyoxigraph), a real Oxigraph server, and a real Virtuoso Open Source server (`tests/test_virtuoso.py`, with the
slow tests; it skips where `virtuoso-t` is not installed). On Oxigraph every query gives the local rows. On
**Virtuoso Open Source 7.2.5** (Debian's `virtuoso-opensource`, its default graph the union of all graphs), with
its row and time limits lifted (`ResultSetMaxRows`, `MaxQueryExecutionTime`: by default Virtuoso cuts an answer
at 10,000 rows, or turns a slow query into a partial one, without an error), what it gets wrong:

- **`sameTerm` with a bound term, inside an expression.** `BIND(IF(sameTerm(?o, ecm:StaySafe), "y", "n") AS ?x)`
  gives "n" for `ecm:StaySafe`, `COALESCE(sameTerm(?o, ?p), "unbound")` (`?p` from `VALUES`) gives "unbound",
  and `FILTER(!sameTerm(?kind, ecm:DistrictCouncil) || BOUND(?partner))` keeps a district council beside no
  partner; `FILTER(sameTerm(?o, ?p))` alone is right. Even of two pattern variables, `FILTER(!sameTerm(?postIn,
  ?otherPostIn))` drops every row of `joint-appointments`' sub-SELECT, where `FILTER(?postIn != ?otherPostIn)`
  is right. On IRIs `=` and `!=` are `sameTerm` and its negation, and `relevant-partners` is written with `!=`.
- **`COALESCE` keeps the error of a comparison with an unbound variable**: `FILTER(COALESCE(?o = ?nope, true))`
  drops every row. So the filter of an optional parameter is written `FILTER(!BOUND(?__p_iri) || ?x =
  ?__p_iri)` (on IRIs `=` is `sameTerm`), which every engine reads alike.
- **`ORDER BY LCASE(STR(?label))`** sorts some labels before all others ("Cornwall and Isles of Scilly" before
  "Bedfordshire", "make a positive contribution" before "be healthy"), where `ORDER BY STR(LCASE(STR(?label)))`,
  the same string, is right. So the queries sort by the latter.
- **`BIND(IF(EXISTS { … }, …))`** whose variable the `ORDER BY` then sorts by is an internal error (SQ156 "subq
  ot was supposed to be found"), and `EXISTS` over a variable that `BIND(COALESCE(…))` made, as in `?p
  ecm:relevantPartnerOf ?a BIND(COALESCE(?p, ?a) AS ?key) BIND(IF(EXISTS { ?key ecm:takesPartIn ?x }, "yes",
  ?none) AS ?t)`, is refused (SP031 "sparp_check_field_mapping_spo(): field is neither variable nor literal").
  So the queries are written without it: an `OPTIONAL` binding a variable, and `BOUND` or `COALESCE` of it.
- **A path that can be of length zero, from a variable that a later `NOT EXISTS` refers to**: `{ ?r
  ecm:responsibilityOf ?whose . ?post (a/rdfs:subClassOf*)? ?whose }` (or `rdfs:subClassOf*`), then a `FILTER`
  of the group, then `OPTIONAL { ?t ecm:post ?post … FILTER(… NOT EXISTS { ?later ecm:post ?post … }) }`, is an
  internal error (SQ200 "No column … post"). So `who-is-accountable` writes the path as a `UNION` of its two
  lengths: the post itself, or `?post a/rdfs:subClassOf* ?kind`.
- **`(a/rdfs:subClassOf*)?`, zero or one of a sequence ending in a star**, is evaluated wrongly: `VALUES ?t
  { ecmid:… } ?t (a/rdfs:subClassOf*)? ?c . ?c ecm:statutoryBasis ?p` misses the kinds above the thing's own
  (for a Director of Children's Services, `ecm:PoliticallyRestrictedPost`), and in `statutory-basis` the path is
  an internal error (SQ156 "unknown table for a column dfe"). The same path written `(a?|a/rdfs:subClassOf*)` is
  right, and `statutory-basis` is written so.
- **`rdfs:subClassOf*` from a variable bound elsewhere** is evaluated wrongly, in ways that vary with the rest
  of the query. `?t ecm:post ?post . ?post a ?kind` with `FILTER NOT EXISTS { ?kind rdfs:subClassOf*
  ecm:ElectedOffice }` keeps every kind, and so do `MINUS`, `OPTIONAL { … BIND(1 AS ?elected) }` with
  `!BOUND(?elected)`, `rdfs:subClassOf+` and `^rdfs:subClassOf*` in its place (counting, `GROUP BY ?kind HAVING
  (MAX(?elected) = 0)` over `{ ?kind rdfs:subClassOf* org:Post BIND(0 AS ?elected) } UNION { ?kind
  rdfs:subClassOf* ecm:ElectedOffice BIND(1 AS ?elected) }`, is right). From a `BIND` variable, `?p org:postIn
  ?x OPTIONAL { ?x ecm:bodyOf ?b } BIND(COALESCE(?b, ?x) AS ?a) ?a a/rdfs:subClassOf* ecm:Authority` finds two
  of the three authorities, joined or in `FILTER EXISTS`, and split into `?a a ?k . ?k rdfs:subClassOf* …` too.
  And `{ ?p ecm:relevantPartnerOf ?a } UNION { ?p ecm:parentCounty ?a } ?p a ?type . ?type rdfs:subClassOf*
  ?kind` gives no rows (the one path `?p ecm:relevantPartnerOf|ecm:parentCounty ?a` is right, and
  `relevant-partners` is written so). `joint-appointments`, which needs the first two, gave no rows on the test
  data; it carries the hint `# ecmgraph: portable` ("Engine hints"), and sent with its class chains as capped
  sub-SELECTs (the transitive path below) it gives the local rows, on a freshly loaded server too. Written so in
  the file, it would take 0.14–0.27 s instead of 0.06 s on pyoxigraph at a million triples.
- **`BOUND` of a variable of an `OPTIONAL` that matched nothing** can be true, after a `UNION` one of whose
  branches has an `OPTIONAL`: `{ ?m org:member ?p } UNION { ?m ecm:memberPost ?x OPTIONAL { ?x rdfs:label ?l } }
  OPTIONAL { ?m ecm:startDate ?s } BIND(IF(BOUND(?s), "b", "u") AS ?b)` gives "b" on the second branch's rows
  without a `?s` (without the branch's `OPTIONAL`, "u"). So does `BOUND` of a variable of an `OPTIONAL` in the
  branch, in some queries, and of a `BIND` made from such variables (`?from`, the later of two start days, in
  `person-bodies`); and `BIND(IF(BOUND(?holder), …))` gave "yes" beside an unbound `?holder` after an `OPTIONAL`
  whose `FILTER` dropped the row, in some runs. A variable that the `OPTIONAL` binds itself, `BIND(1 AS ?held)`,
  is right: `direct-reports`, `person-bodies` and `who-is-accountable` test those.
- **`BIND(COALESCE(?a, ?b) AS ?c)` of two `OPTIONAL`s' variables, after a `UNION`**, can unbind `?a` itself:
  in `fact-sources`, `OPTIONAL { ?source a ecm:SourceParagraph ; dcterms:isPartOf ?paragraphOf … } OPTIONAL {
  ?source a ecm:SourceDocument . BIND(?source AS ?wholeDocument) } BIND(COALESCE(?paragraphOf, ?wholeDocument) AS
  ?document)` left `?paragraphOf` and `?document` unbound for a rule's sources (without the `BIND`, `?paragraphOf`
  is right); and with both `OPTIONAL`s binding `?document`, the second's not matching unbound the first's. So
  `fact-sources` binds the document in one `OPTIONAL` over a `UNION` of the two cases.
- **The parameters' `VALUES`**, at the start of the WHERE clause and of each sub-SELECT's that names them
  (where ecmgraph binds them), are read right, but for two cases: the same `VALUES` in a query and in its
  sub-SELECT can give fewer rows than the sub-SELECT has, or none (`accountability-chain`'s example lost a row,
  and with more columns asked for never finished), so ecmgraph leaves a parameter's `VALUES` out of a group that
  does not name it, its sub-SELECTs apart; and a sub-SELECT as a branch of a `UNION` whose other branch uses a
  parameter itself, as in `VALUES ?t { … } { SELECT ?c WHERE { VALUES ?t { … } ?t a ?c } } UNION { ?t a ?c }`,
  gives none of its rows, and a `{ VALUES … }` group as a branch of a `UNION` none either (no packaged query
  has either).
- **Queries it never finishes**, after which it stops answering other requests until it is restarted (give
  `--timeout`): none of the packaged queries now, each written in a form it finishes. The lookup of a role's name
  did not finish either while its rank was `BIND(IF(EXISTS { ?thing a owl:Class }, 0, 1) AS ?rank)` beside its
  `OPTIONAL` of a `UNION` of scopes (each finished alone); it is now `OPTIONAL { ?thing a owl:Class BIND(0 AS
  ?classRank) } BIND(COALESCE(?classRank, 1) AS ?rank)`, which does, and `role-responsibilities` carries the hint
  `# ecmgraph: portable` ("Engine hints"; the transitive path below), so its header example gives the local rows.
  `two-tier-area` did not finish either, for three reasons, each with a portable form that the query now uses.
  `VALUES (?c) { (ecmid:…) } ?d ecm:parentCounty? ?c BIND(IF(sameTerm(?d, ?c), "county", "district") AS ?tier)`
  never finishes (any `BIND` over `?d` and `?c` there, `=` as well; `BIND("x" AS ?t)` does): the county's row and
  the districts' are a `UNION` of `{ ?c a ?kind . BIND(?c AS ?d) BIND("county" AS ?tier) }` and `{ ?d
  ecm:parentCounty ?c . BIND("district" AS ?tier) }`. A holder's `FILTER(… NOT EXISTS { ?later ecm:post ?key … })`
  over `BIND(COALESCE(?post, ?district) AS ?key)` never finishes, the champion's alone already (an earlier note had
  it finish, on a server in another state): the later tenures are those of the tenure's own post, `NOT EXISTS {
  ?tenure ecm:post ?heldPost . ?later ecm:post ?heldPost … }` (a tenure is of one post). And then the posts' and
  boards' `OPTIONAL`s after the district's dates' `FILTER`, and the day a holder is known on bound after the
  holder's `OPTIONAL`, came back unbound: the county, the districts, their tiers and the kinds of their posts are a
  sub-SELECT with a `LIMIT` far above its rows (the capped sub-SELECT below), and the day is bound inside the
  `OPTIONAL`. It then gives the local rows on the test data, the dated test data and the packaged data, on a
  freshly loaded server too, and takes the same time as before on pyoxigraph (6 ms at a million triples).
  `lscb-membership` did not finish either (with any `BIND` after its member's holder's `OPTIONAL`, even
  `BIND(?tenureDay AS ?x)`), and once it did, gave other rows; it now uses the same forms, and gives the local rows
  on the three data sets, on a freshly loaded server too, 19 ms instead of 23 ms on pyoxigraph: the memberships,
  and around them the holders, are capped sub-SELECTs; the later tenures are those of the tenure's own post; a day
  known on is bound inside its `OPTIONAL`; `sameTerm` in expressions is `=`; the chair's last known posts, whose
  `NOT EXISTS` of a later tenure never matched inside the `OPTIONAL`, are a capped sub-SELECT of their own, joined
  by `OPTIONAL`; and `BOUND` of a variable from a sub-SELECT, which was true where it is unbound (every membership
  "not confirmed"), is `COALESCE(STR(?x), "") != ""`, or `BOUND` of a flag that the `OPTIONAL` binds itself.
  `statutory-post-holders` stopped finishing at the first `BIND` after its holder's `OPTIONAL`, whose `FILTER`'s
  `NOT EXISTS { ?laterTenure ecm:post ?postKey … }` is over `BIND(COALESCE(?post, ?authority) AS ?postKey)` (over
  the tenure's own post it finished, but gave other rows on a freshly loaded server). It now uses the same forms:
  the holders inside the capped sub-SELECT of the authorities and their posts, the later tenures and vacancies
  those of their own post, the days bound inside their `OPTIONAL`s, `COALESCE` for `BOUND` after the sub-SELECT,
  and the children's services authorities, which `EXISTS { ?authority a/rdfs:subClassOf*
  ecm:ChildrensServicesAuthority }` missed, losing 28 of the header example's 61 rows (the transitive path below),
  an `OPTIONAL` of their kinds as a capped sub-SELECT. It gives the local rows on the three data sets, on a freshly
  loaded server too, 50 ms instead of 56 ms on pyoxigraph.
- **`accountability-chain`**, as it was first written, gave no rows, for reasons that each have a portable
  form, which the query now uses: its `FILTER(sameTerm(?startIn, ?_authority_iri) || EXISTS { … })` dropped every
  row (`=` is right); after `{ ?_post_iri a/rdfs:subClassOf* org:Post . BIND(?_post_iri AS ?start) } UNION { …
  }`, the path `?start (org:reportsTo|ecm:accountableTo)* ?between` gave no rows (an `OPTIONAL` of the person's
  posts and `BIND(COALESCE(?personsPost, ?_post_iri) AS ?start)` is right), and so did the `UNION` of the two
  kinds of line (a `VALUES` of the two properties with their words is right); `BOUND(?tenureStart)` after the
  holder's `OPTIONAL` was true where the tenure has no start (the `BIND` of `?knownOn` inside the `OPTIONAL` is
  right); and with the chain numbered in the same group as the holders, the header example missed its second
  step. The chain and its numbering are a sub-SELECT that alone names the parameters, and ecmgraph puts a
  parameter's `VALUES` only in the groups that name it (next item).
- **A transitive path whose start an earlier pattern binds is followed for the first row only**: `VALUES ?n {
  ecmid:a ecmid:b ecmid:c } ?n a/rdfs:subClassOf* ecm:Authority` gives `ecmid:a` alone, and so do `?n a ?k . ?k
  rdfs:subClassOf* ecm:Authority`, `rdfs:subClassOf+`, a join in place of the `VALUES`, a `FILTER EXISTS` and a
  plain sub-SELECT of the classes; a path of fixed length is right, and so is the sub-SELECT with a `LIMIT`, `?n a
  ?k . { SELECT ?k WHERE { ?k rdfs:subClassOf* ecm:Authority } LIMIT 100000 }`, which Virtuoso evaluates apart.
  So `ecmgraph validate --endpoint` sends every class chain in that form (`ecmgraph/portable.py`): in
  the rules' bodies, their class targets and the report's queries of each finding's authority, `?x
  a/rdfs:subClassOf* C` becomes `?x a ?k . { SELECT ?k WHERE { ?k (rdfs:subClassOf)* C } LIMIT 1000000000 }`
  (the LIMIT far above any class's subclasses: it is there for Virtuoso's planner, never to cut). Sent the plain
  path, 14 of the 27 rules gave other findings on a freshly loaded server (the report found the authority of the
  first finding only, and ECM005, ECM011 and ECM017 none of their gaps), and 3 after the server had answered the
  other tests, its plans changing with its state; sent so, 24 gave the local findings, in both states, and with
  the three forms below all 27 do. The shapes themselves keep the plain path, which ecmgraph's own engine runs:
  on pyoxigraph 0.5 the sub-SELECT form makes their queries 35-70 % slower (measured at scale 0.1), a class's
  members then being read by a join over every `rdf:type` triple.
- **A sub-SELECT that projects a variable its pattern never names joins with nothing**: `?this a
  ecm:DirectorOfChildrensServices . { SELECT ?this ?value WHERE { ?value a ecm:ChildrensTrustBoard } }` gives no
  rows, where the variable, unbound in every row of the sub-SELECT, joins with anything; without `?this` in the
  projection it is right. The rules' sub-SELECTs project `$this` (SHACL asks for it), and ECM006 found none of its
  3 gaps so (its sub-SELECT of the boards of the DCS's authority). So `ecmgraph validate --endpoint` leaves such a
  variable out of a sub-SELECT's projection (`ecmgraph/portable.py`; the same rows: it changes no join).
- **An alternative of a transitive step and an alternative with an inverse gives a row with the object
  unbound**: `?b a ecm:ChildrensTrustBoard . ?b (ecm:bodyOf|org:subOrganizationOf+/(ecm:bodyOf|
  ^ecm:cooperationArrangements)) ?a` gives each board a second row with `?a` unbound (without the `^`, or
  without the inner alternative, it is right). The rules' path from a body to its authority is of that form,
  `(ecm:bodyOf|^ecm:cooperationArrangements|org:subOrganizationOf+/(ecm:bodyOf|^ecm:cooperationArrangements))`,
  and on ECM012 and ECM026 the `OPTIONAL` of `?a`'s label then gave every authority's, their messages naming the
  least (Adur). So it is sent as the same path written `(org:subOrganizationOf*/(ecm:bodyOf|
  ^ecm:cooperationArrangements))`, which is right; ecmgraph's own engine runs the path as written.
- **A path with a `?`, `*` or `+` from a variable of `VALUES` to a variable** is followed from none of the
  values: `VALUES ?n { … } ?n org:postIn? ?x` (or `org:subOrganizationOf*`) is an error ("transitive start not
  given"), and the report's query of each finding's authority, `VALUES ?n { … } ?n
  org:postIn?/org:subOrganizationOf*/(ecm:bodyOf|^ecm:cooperationArrangements) ?a`, found no board's authority
  (ECM012's and ECM026's findings had none, nor an authority's code or label). From a constant the path is followed, but
  `org:postIn?/org:subOrganizationOf*/(…)` gives nothing where `org:subOrganizationOf*/(…)` and
  `org:postIn/org:subOrganizationOf*/(…)` are right; with neither end bound (a capped sub-SELECT, as for the
  class chains) it is an error or gives nothing. So such a path is sent as one `UNION` branch per value, the
  value in its place, `{ ecmid:a (org:subOrganizationOf*/(…)|org:postIn/org:subOrganizationOf*/(…)) ?a . BIND
  (ecmid:a AS ?n) }`, its leading `X?/R` written `(R|X/R)` (the same paths); and since Virtuoso refuses such a
  query of 150 values ("Query too large"), the report asks an endpoint of 50 nodes a query (400 locally, where
  the query goes as written).
- **`xsd:boolean` in JSON results is written `1` and `0`**: `"true"^^xsd:boolean` from the data, or from
  `STRDT("true", xsd:boolean)`, comes as `"1"^^xsd:boolean`, the same value but another term (its XML results and
  N-Triples write `true`). ecmgraph reads an endpoint's `xsd:boolean` `1` and `0` as `true` and `false`
  (`ecmgraph/endpoint.py`), so `scrutiny-bodies`' `coversChildrensServices` and the report's test of an
  authority's own data give the local terms.
- **A CONSTRUCT is answered in the format the Accept header puts first**, SPARQL JSON results included: a table of
  `?s ?p ?o` whose blank nodes are written as IRIs, `{"type": "uri", "value": "_:vb10000"}`, which no reader takes
  for a blank node (pyoxigraph: "Invalid IRI code point ':'"). `CONSTRUCT { ?t time:inside ?i } WHERE { ?t
  time:inside ?i }`, asked for `application/sparql-results+json` first, shows it; asked for `application/n-triples`
  first, Virtuoso sends N-Triples, `_:b10000` right. And in a SELECT's JSON results it labels a blank node
  `nodeID://b10000`, which is not a blank node label. So ecmgraph asks for N-Triples first for a CONSTRUCT or
  DESCRIBE query (SPARQL JSON results not at all), reads a JSON `"uri"` `_:…` as a blank node and gives a label
  such as `nodeID://…` a blank node of its own, the same for the same label (`ecmgraph/endpoint.py`).
  `compliance-matrix` hit it: ecmgraph validates the endpoint's data, then reads the authorities the matrix needs
  with a CONSTRUCT (`ecmgraph/compliance.py`), whose tenures' `time:inside` instants are blank nodes; this failed
  with "not SPARQL JSON results", after the validation had finished (it was never a query that did not finish).
  Read as N-Triples, that CONSTRUCT also lost facts to the transitive path above, after a sub-SELECT: `{ SELECT
  DISTINCT ?a WHERE { ?a a ?k . ?k rdfs:subClassOf* ecm:Authority } } ?post org:postIn ?a . ?tenure ecm:post ?post
  ; ecm:endDate ?to` gives one of the test data's five tenures' end dates, and its branch of the authorities' kinds
  one authority's. It carries the hint `# ecmgraph: portable`, and sent so it gives the local triples; the matrix's
  cases and header example then give the local rows.

`accountability-chain`, `board-chairs`, `compliance-matrix`, `direct-reports`, `fact-sources`, `outcome-coverage`,
`lscb-membership`, `person-bodies`, `post-history`, `relevant-partners`, `role-responsibilities`, `scrutiny-bodies`,
`statutory-basis`, `statutory-post-holders`, `two-tier-area`, `vacant-posts` and `who-is-accountable` give the local
rows on the test data and on the packaged data: every packaged query. Virtuoso 7.2.5 is not an endpoint whose answers
ecmgraph can be trusted on; Oxigraph's server is.
"""


def main(argv: Sequence[str] | None = None) -> int:
    """``python -m ecmgraph.queries``: print queries/README.md generated from the headers."""
    import sys

    args = list(sys.argv[1:] if argv is None else argv)
    if args:
        print("usage: python -m ecmgraph.queries > queries/README.md", file=sys.stderr)
        return 2
    sys.stdout.write(render_readme(catalogue()))
    return 0
