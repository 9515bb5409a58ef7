"""The query page for people: the SPARQL editor (YASGUI, vendored), and each packaged query as a form with its
parameters, whose answer is a table of labels linked to the site's pages.

Pages live at site paths ``query`` and ``query/NAME`` and link relatively, as the site's own pages do, so that
they work behind a reverse proxy under any path. No inline script: the scripts are files of the site
(``assets/``), so that ``script-src 'self'`` holds.
"""

from __future__ import annotations

import shlex
from collections.abc import Mapping
from typing import Any
from urllib.parse import urlencode

from ecmgraph.namespaces import ECMID
from ecmgraph.publish.pages import Pages, relative
from ecmgraph.queries import DATE_PARAMETER, PackagedQuery, catalogue
from ecmgraph.results import compact

#: The site path of the editor and the list of forms.
QUERY_PAGE = "query"
#: The example the editor opens with.
EXAMPLE_QUERY = """SELECT ?authority ?name WHERE {
  ?authority a ecm:CountyCouncil ; rdfs:label ?name .
}
ORDER BY ?name
LIMIT 20
"""


def form_page(name: str) -> str:
    """The site path of a packaged query's form."""
    return f"{QUERY_PAGE}/{name}"


def editor_page(pages: Pages, max_rows: int, timeout: float) -> bytes:
    """The editor, with the packaged queries' forms listed under it."""
    queries = [
        {"href": relative(QUERY_PAGE, form_page(n)), "text": q.summary, "name": n}
        for n, q in sorted(catalogue().items())
    ]
    return pages.render(
        "serve-query.html",
        QUERY_PAGE,
        "Query the data",
        queries=queries,
        example=EXAMPLE_QUERY,
        max_rows=max_rows,
        timeout=timeout,
        ids=str(ECMID),
    ).encode()


def given_values(query: PackagedQuery, params: Mapping[str, str]) -> dict[str, str]:
    """The parameter values a form request gives: those of the query's parameters that are not empty."""
    return {p.name: params[p.name].strip() for p in query.parameters if params.get(p.name, "").strip()}


def form_view(query: PackagedQuery, values: Mapping[str, str]) -> list[dict[str, Any]]:
    """Each parameter as a form field: its input type, value, whether it is required, and the kind of thing it
    names (the names suggested as one types), or its choices."""
    fields = []
    for p in query.parameters:
        value = values.get(p.name, "")
        field: dict[str, Any] = {
            "name": p.name,
            "id": f"param-{p.name}",
            "description": p.description,
            "required": p.required,
            "value": value,
            "input": "date" if p.type == "date" else ("select" if p.enum else "text"),
            "lookup": p.lookup or "",
            "choices": [{"value": v, "text": _choice_text(v)} for v in p.enum],
            "placeholder": "today" if p.name == DATE_PARAMETER and p.default == "today" else (p.default or ""),
        }
        fields.append(field)
    return fields


def _choice_text(value: str) -> str:
    text = compact(value)
    return text.split(":", 1)[1] if ":" in text and not value.startswith(text) else text


def command_line(query: PackagedQuery, values: Mapping[str, str]) -> str:
    """The ``ecmgraph query run`` command that gives the same answer."""
    parts = ["ecmgraph", "query", "run", query.name]
    for name, value in values.items():
        parts += ["-p", name, shlex.quote(value)]
    return " ".join(parts)


def answer_page(
    pages: Pages,
    query: PackagedQuery,
    values: Mapping[str, str],
    *,
    answer: Mapping[str, Any] | None,
    error: str,
) -> bytes:
    """A packaged query's form, with its answer (or the error that stopped it) once it is run."""
    page = form_page(query.name)
    links = {"permalink": "", "sparql": "", "csv": "", "xml": ""}
    if answer is not None:
        links["permalink"] = f"{query.name}?{urlencode({**values, 'run': '1'})}"
        if answer.get("sparql"):
            sparql = relative(page, "sparql")
            # The link that reproduces the query names JSON, which a browser shows: left to its Accept header
            # (which prefers application/xml to */*), it would be given SPARQL XML, which a browser downloads.
            for fmt, key in (("json", "sparql"), ("csv", "csv"), ("xml", "xml")):
                links[key] = f"{sparql}?{urlencode({'query': answer['sparql'], 'format': fmt})}"
    return pages.render(
        "serve-form.html",
        page,
        query.summary,
        query={"name": query.name, "description": query.description, "text": query.text},
        fields=form_view(query, values),
        answer=answer,
        error=error,
        links=links,
        command=command_line(query, values),
        back=relative(page, QUERY_PAGE),
        lookup_url=relative(page, "lookup"),
    ).encode()
