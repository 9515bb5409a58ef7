"""What the workers do (:mod:`ecmgraph.serve.workers`): SPARQL queries written in a results format, packaged
queries answered for the forms, and names looked up as people type them. Each function takes the
:class:`ServeState` the workers were forked with, and raises ServeError (or an EcmgraphError: 400) to refuse.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import pyoxigraph as ox

from ecmgraph import compliance, threads
from ecmgraph.engines import Engine, LocalEngine
from ecmgraph.errors import EcmgraphError, InputError
from ecmgraph.namespaces import PREFIXES
from ecmgraph.publish.model import SiteData
from ecmgraph.publish.pages import relative
from ecmgraph.queries import bound_text, explain_empty, get_query, look_up, run_packaged
from ecmgraph.results import compact
from ecmgraph.serve import formats
from ecmgraph.serve.workers import ServeError, Task
from ecmgraph.sparql_text import (
    check_query_text,
    is_update,
    lateral_optionals,
    refuse_service,
    syntax_error,
)
from ecmgraph.store import Dataset
from ecmgraph.validation import ValidationReport

#: Where the text of a query sent to ``/sparql`` is said to be, in error messages.
SOURCE = "query"
READ_ONLY = "this server answers queries only, and nothing can change its data"


@dataclass
class ServeState:
    """What every worker holds: the data, the site read from it, the limits, and the validation of the site's
    day (for the compliance matrix, which reads a validation report)."""

    dataset: Dataset
    site: SiteData
    max_rows: int
    report: ValidationReport
    store_dir: str | None = None
    _report_engines: dict[dt.date, Engine] = field(default_factory=dict)

    def report_engine(self, day: dt.date) -> Engine:
        """The engine over the data and its validation report as at ``day`` (made once per day and worker)."""
        if day not in self._report_engines:
            if len(self._report_engines) >= 8:
                self._report_engines.clear()
            known = self.report if day == self.report.as_of else None
            self._report_engines[day] = compliance.report_engine(self.dataset, None, None, day, report=known)
        return self._report_engines[day]


def reopen_store(state: object) -> None:
    """In a new worker: open an on-disk store again, read-only, rather than share the server's handle."""
    assert isinstance(state, ServeState)
    if state.store_dir is not None:
        state.dataset = Dataset(ox.Store.read_only(state.store_dir), state.dataset.sources)


@dataclass(frozen=True)
class Answer:
    """An HTTP answer made in a worker: its status, media type and body."""

    status: int
    content_type: str
    body: bytes
    rows: int = 0


def sparql(
    state: ServeState,
    query: str,
    accept: str | None = None,
    requested: str | None = None,
    default_graphs: Sequence[str] = (),
    named_graphs: Sequence[str] = (),
) -> Answer:
    """Run a SPARQL query (never an update, never a SERVICE) and write its answer in the format chosen by
    ``accept`` and ``requested`` (:func:`ecmgraph.serve.formats.choose`). Raises ServeError: 400 for a bad query
    or one over the limits, 403 for an update or a SERVICE clause, 406 for a format the answer cannot have."""
    try:
        mask = check_query_text(query, SOURCE)
    except InputError as exc:
        raise ServeError(400, exc.one_line()) from None
    if not mask.strip():
        raise ServeError(400, "the query is empty: give a SELECT, ASK, CONSTRUCT or DESCRIBE query")
    try:
        refuse_service(mask, SOURCE)
    except InputError as exc:
        raise ServeError(
            403,
            f"{exc.location()}: the query has a SERVICE clause, and this server never sends queries to other services",
        ) from None
    options: dict[str, Any] = {"prefixes": dict(PREFIXES)}
    if default_graphs or named_graphs:
        options["default_graph"] = [ox.NamedNode(g) for g in default_graphs] or None
        options["named_graphs"] = [ox.NamedNode(g) for g in named_graphs] or None
    else:
        options["use_default_graph_as_union"] = True
    text = lateral_optionals(query)
    store, cap = state.dataset.store, state.max_rows

    def evaluate() -> tuple[str, Any]:
        result = store.query(text, **options)
        if isinstance(result, ox.QuerySolutions):
            variables = [v.value for v in result.variables]
            rows: list[tuple[formats.Term | None, ...]] = []
            for solution in result:
                if len(rows) >= cap:
                    raise ServeError(400, _too_many(cap))
                rows.append(tuple(solution[v] for v in variables))
            return "select", (variables, rows)
        if isinstance(result, ox.QueryBoolean):
            return "ask", bool(result)
        triples: list[ox.Triple] = []
        for triple in result:
            if len(triples) >= cap:
                raise ServeError(400, _too_many(cap, "triples"))
            triples.append(triple)
        return "graph", triples

    try:
        kind, value = threads.run_guarded(evaluate)
    except SyntaxError as exc:  # an update never parses as a query, so it is never run: it is told here
        if is_update(query, mask):
            raise ServeError(403, f"the query is a SPARQL update: {READ_ONLY}") from None
        raise ServeError(400, syntax_error(exc, SOURCE).one_line()) from None
    except (OSError, RuntimeError, ValueError) as exc:  # pyoxigraph's evaluation errors
        raise ServeError(400, " ".join(f"the query failed: {exc}".split())) from None
    try:
        fmt = formats.choose("graph" if kind == "graph" else "select", accept, requested)
    except formats.NotAcceptable as exc:
        raise ServeError(406, str(exc)) from None
    if kind == "select":
        variables, rows = value
        body = formats.write_select(variables, rows, fmt)
        return Answer(200, formats.content_type(fmt), body, len(rows))
    if kind == "ask":
        return Answer(200, formats.content_type(fmt), formats.write_ask(value, fmt), 1)
    return Answer(200, formats.content_type(fmt), formats.write_graph(value, fmt), len(value))


def _too_many(cap: int, what: str = "rows") -> str:
    return (
        f"the answer has more than {cap:,} {what}, the limit of this server (--max-rows), so none is sent: "
        "add a LIMIT, or narrow the query"
    )


def packaged(state: ServeState, name: str, values: Mapping[str, str], page: str) -> dict[str, Any]:
    """A packaged query's answer for its form: columns, rows of cells (label, IRI, link relative to ``page``),
    why it is empty, and the SPARQL that was run (None for a query that reads a validation report)."""
    query = get_query(name)
    engine = LocalEngine(state.dataset)
    table = run_packaged(state.dataset, query, values, provider=state.report_engine)
    if len(table.rows) > state.max_rows:
        raise ServeError(400, _too_many(state.max_rows))
    site = state.site
    rows = [[_cell(site, page, term) for term in row] for row in table.rows]
    note = "" if table.rows else explain_empty(query, values, engine)
    text = None if query.requires else bound_text(query, values, engine)
    return {"columns": list(table.columns), "rows": rows, "note": note, "sparql": text}


def _cell(site: SiteData, page: str, term: object) -> dict[str, str]:
    if isinstance(term, ox.NamedNode):
        target = site.page_of(term.value)
        label = site.labels.get(term.value) or compact(term.value)
        return {"text": label, "iri": term.value, "href": relative(page, target) if target else ""}
    if isinstance(term, ox.Literal):
        return {"text": term.value, "iri": "", "href": ""}
    return {"text": "" if term is None else str(term), "iri": "", "href": ""}


def lookup(state: ServeState, text: str, kind: str | None, page: str, limit: int = 10) -> dict[str, Any]:
    """What ``text`` may name, as ``ecmgraph lookup`` finds it: the thing itself, the things it names, or the
    closest names; each with its label, kind, authority, IRI and page (relative to ``page``)."""
    try:
        answer = look_up(LocalEngine(state.dataset), text, kind=kind)
    except EcmgraphError as exc:
        raise ServeError(400, exc.one_line()) from None
    names = []
    columns = answer.table.columns
    for row in answer.table.rows[:limit]:
        cells = {c: (t.value if isinstance(t, ox.NamedNode | ox.Literal) else "") for c, t in zip(columns, row)}
        target = state.site.page_of(cells["iri"])
        names.append(
            {
                "label": cells["label"],
                "kind": cells["kind"],
                "authority": cells["authority"],
                "iri": cells["iri"],
                "page": relative(page, target) if target else "",
            }
        )
    return {"text": text, "status": answer.status, "note": answer.note(), "names": names}


#: The tasks a worker runs, by name.
TASKS: dict[str, Task] = {"sparql": sparql, "packaged": packaged, "lookup": lookup}
