"""A page per packaged query: its question, description, parameters, columns and SPARQL, and its answer on the
published data for the parameters of its example (the site's day for its date), with labels and links."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

import pyoxigraph as ox

from ecmgraph import compliance
from ecmgraph.engines import Engine, engine_for
from ecmgraph.errors import EcmgraphError
from ecmgraph.publish.model import SiteData
from ecmgraph.publish.pages import Pages, relative
from ecmgraph.queries import PackagedQuery, catalogue, run_packaged
from ecmgraph.queries.lookup import Resolver
from ecmgraph.results import Table
from ecmgraph.store import Dataset

#: The most rows a query's page shows of its answer.
MAX_ROWS = 200


def query_page(name: str) -> str:
    """The site path of a packaged query's page."""
    return f"queries/{name}.html"


def question_pages(
    dataset: Dataset, site: SiteData, pages: Pages, day: dt.date, known: Mapping[str, Table]
) -> dict[str, bytes]:
    """``queries/index.html`` and ``queries/NAME.html`` for every packaged query; ``known`` holds answers
    already computed, by query name (the compliance matrix's, which validates the data again)."""
    queries = catalogue()
    resolver = Resolver(engine_for(dataset))  # one for all the examples: the names it reads are read once
    out = {}
    for name, packaged in sorted(queries.items()):
        out[query_page(name)] = _page(dataset, site, pages, packaged, day, known.get(name), resolver)
    rows = [{"href": f"{name}.html", "text": q.summary, "name": name} for name, q in sorted(queries.items())]
    out["queries/index.html"] = pages.render(
        "queries.html", "queries/index.html", f"Questions: {len(rows)} packaged queries", rows=rows
    ).encode()
    return out


def _page(
    dataset: Dataset,
    site: SiteData,
    pages: Pages,
    packaged: PackagedQuery,
    day: dt.date,
    known: Table | None,
    resolver: Resolver,
) -> bytes:
    page = query_page(packaged.name)
    values = dict(packaged.example)
    if any(p.name == "date" for p in packaged.parameters):
        values["date"] = day.isoformat()
    if known is not None:  # computed for the whole site: with its day only
        values = {"date": day.isoformat()}

    def with_report(on: dt.date) -> Engine:
        return compliance.report_engine(dataset, None, None, on)

    answer: dict[str, Any] = {"columns": [], "rows": [], "error": "", "total": 0}
    try:
        table = known or run_packaged(dataset, packaged, values, today=day, provider=with_report, resolver=resolver)
    except EcmgraphError as exc:
        answer["error"] = exc.one_line()
    else:
        answer["columns"] = list(table.columns)
        answer["total"] = len(table.rows)
        answer["rows"] = [[_cell(site, page, term) for term in row] for row in table.rows[:MAX_ROWS]]
    view = {
        "name": packaged.name,
        "description": packaged.description,
        "parameters": [
            {
                "name": p.name,
                "type": p.type + (f" ({p.lookup})" if p.lookup else ""),
                "required": p.required,
                "description": p.description,
                "default": p.default or "",
            }
            for p in packaged.parameters
        ],
        "columns": [{"name": c, "description": d} for c, d in packaged.columns.items()],
        "given": sorted(values.items()),
        "text": packaged.text,
        "command": packaged.example_command(),
    }
    return pages.render("query.html", page, packaged.summary, query=view, answer=answer, max_rows=MAX_ROWS).encode()


def _cell(
    site: SiteData, page: str, term: ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple | None
) -> dict[str, Any]:
    if term is None:
        return {"text": "", "href": None, "iri": ""}
    if isinstance(term, ox.NamedNode):
        target = site.page_of(term.value)
        return {"text": site.label(term.value), "href": relative(page, target) if target else None, "iri": term.value}
    if isinstance(term, ox.Literal):
        return {"text": term.value, "href": None, "iri": ""}
    return {"text": str(term), "href": None, "iri": ""}
