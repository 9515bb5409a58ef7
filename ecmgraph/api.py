"""ecmgraph's public Python API: load data, validate it, ask the packaged questions, run SPARQL.

Every function here is what one ``ecmgraph`` command does, without the printing::

    import ecmgraph

    data = ecmgraph.load()                                   # the packaged data (or paths, or store=DIR)
    report = ecmgraph.validate(data, as_of=datetime.date(2009, 6, 1))
    table = ecmgraph.query("who-is-accountable", {"authority": "Staffordshire", "topic": "safeguarding"}, data=data)

Nothing returned shares mutable state with what was passed in: validation leaves the dataset as it was, results
are immutable (frozen dataclasses of pyoxigraph terms), and the same input gives the same result every run.
Errors are :class:`ecmgraph.errors.EcmgraphError` subclasses, each with the exit code the command line uses.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from ecmgraph import compliance
from ecmgraph.background import load_with_reference
from ecmgraph.endpoint import DEFAULT_TIMEOUT, Endpoint
from ecmgraph.engines import Engine, engine_for
from ecmgraph.errors import InputError
from ecmgraph.graphstore import GraphPlan, PushedGraph, graph_store_url, graphs_of, plan
from ecmgraph.graphstore import push as push_graphs
from ecmgraph.namespaces import ENTAILED_GRAPH, ONTOLOGY_GRAPH, PREFIXES, PROVENANCE_GRAPH
from ecmgraph.normalise import normalise
from ecmgraph.queries import PackagedQuery, catalogue, get_query, run_packaged
from ecmgraph.results import QueryResult, Table
from ecmgraph.store import Dataset
from ecmgraph.validation import Rule, ValidationReport, load_catalogue, refuse_breaches
from ecmgraph.validation import validate as validate_source

# draw_chart and publish_site are named so because ecmgraph.diagram and ecmgraph.publish are the packages they use.
if TYPE_CHECKING:  # imported where used: publishing and drawing need modules the other functions do not
    from ecmgraph.diagram.draw import Drawing
    from ecmgraph.publish import PublishedSite

__all__ = [
    "Dataset",
    "draw_chart",
    "load",
    "packaged_queries",
    "publish_site",
    "push",
    "query",
    "rules",
    "sparql",
    "validate",
]


def load(*paths: str, input_format: str | None = None, store: str | None = None, reference: bool = True) -> Dataset:
    """Load RDF files or folders (the packaged data when none is given), or open an on-disk store (``store``).

    Each source is a named graph of its own, with its provenance; the packaged ontology is always there, and,
    beside the files given, the packaged reference data (England's authorities, the law, the source documents,
    responsibilities and topics), each in its own named graph, unless ``reference`` is false. An authority of the
    files with the GSS code of a reference authority is recognised as it. Raises SourceNotFound, UnknownFormat or
    ParseError (with file, line and column).
    """
    return load_with_reference(list(paths), input_format=input_format, store_dir=store, reference=reference)


def validate(
    data: Dataset | None = None,
    *,
    as_of: dt.date | None = None,
    rules: Sequence[str] = (),
    ignore: Sequence[str] = (),
    only: str | None = None,
    engine: str = "ecmgraph",
    inference: str = "none",
    endpoint: str | None = None,
    timeout: float | None = None,
    all_authorities: bool = False,
) -> ValidationReport:
    """Check ``data`` (default: the packaged data), or a SPARQL endpoint's data, against the statutory rules as at
    ``as_of`` (default today). ``data`` is left as it was.

    ``rules``/``ignore`` choose rule ids, ``only`` is ``"breaches"`` or ``"gaps"``, ``engine`` is ``"ecmgraph"`` or
    ``"pyshacl"``. Data loaded with reference data beside the user's files is judged for the authorities those
    files describe only, unless ``all_authorities``. Raises InputError, UnknownName (an unknown rule id),
    EndpointError.
    """
    source: Dataset | Endpoint
    if endpoint is not None:
        source = Endpoint(endpoint, timeout if timeout is not None else DEFAULT_TIMEOUT)
    else:
        source = data if data is not None else load()
    return validate_source(
        source,
        as_of=as_of or dt.date.today(),
        rules=rules,
        ignore=ignore,
        engine=engine,
        inference=inference,
        only=only,
        all_authorities=all_authorities,
    )


def query(
    name: str | PackagedQuery,
    values: Mapping[str, str] | None = None,
    *,
    data: Dataset | None = None,
    endpoint: str | None = None,
    timeout: float | None = None,
    today: dt.date | None = None,
) -> Table:
    """Answer a packaged question (``packaged_queries()`` lists them; an ``.rq`` path also works) with its parameters
    given by name: ``{"authority": "Staffordshire", "date": "2009-03-31"}``. Names, codes and IRIs are looked up
    where the data is: ``data`` (default: the packaged data) or ``endpoint``.

    Raises UnknownName (no such query, parameter or name; AmbiguousName when a name fits several things),
    InputError, QuerySyntaxError, EndpointError.
    """
    packaged = get_query(name) if isinstance(name, str) else name
    if endpoint is None and data is None:
        data = load()

    def with_report(day: dt.date) -> Engine:
        return compliance.report_engine(data, endpoint, timeout, day)

    return run_packaged(data, packaged, values, endpoint=endpoint, timeout=timeout, today=today, provider=with_report)


def sparql(
    text: str,
    data: Dataset | None = None,
    *,
    endpoint: str | None = None,
    timeout: float | None = None,
    source: str = "<query>",
) -> QueryResult:
    """Run a SPARQL 1.1 query (never an update) on ``data`` (default: the packaged data) or an ``endpoint``, with
    ecmgraph's usual prefixes predeclared: a :class:`Table` (SELECT), a bool (ASK) or a Graph (CONSTRUCT,
    DESCRIBE). Errors name ``source`` (a file name, say). Raises QuerySyntaxError, EndpointError."""
    if endpoint is None and data is None:
        data = load()
    return engine_for(data, endpoint, timeout).query(text, source=source, prefixes=PREFIXES)


def rules(*ids: str) -> list[Rule]:
    """The statutory rules ECM001–ECM027 as the packaged shapes define them (all, or those of ``ids``).

    Raises UnknownName, with the closest ids, for an unknown one.
    """
    chosen = load_catalogue()
    return [chosen.rules[i] for i in (chosen.resolve(list(ids), "rules") if ids else chosen.rules)]


def packaged_queries() -> dict[str, PackagedQuery]:
    """The packaged queries by name, each with its question, parameters, columns and example."""
    return catalogue()


def push(
    data: Dataset,
    endpoint: str,
    *,
    graph_store: str | None = None,
    graphs: Sequence[str] = (),
    replace: bool = False,
    dry_run: bool = False,
    authorization: str | None = None,
    timeout: float | None = None,
    as_of: dt.date | None = None,
    allow_breaches: bool = False,
    with_reference: bool = False,
) -> list[GraphPlan] | list[PushedGraph]:
    """Push the named graphs of the user's own sources in ``data`` (or only ``graphs``) to the triple store whose
    query URL is ``endpoint``, by the SPARQL 1.1 Graph Store Protocol at ``graph_store`` (default: the query URL
    with ``/query`` replaced by ``/store``, as Oxigraph serves it): replacing each graph, or adding to it. The
    data is validated as at ``as_of`` first (default today), and data with breaches is refused unless
    ``allow_breaches``. With ``with_reference``, what ecmgraph reads beside the data is pushed too: the ontology,
    the reference data and the entailments the rules need (:func:`ecmgraph.normalise.normalise`, of all of it),
    so that a fresh store answers the packaged queries and ``validate --endpoint`` as the local store does. With
    ``dry_run``, the plans (what would change) are returned and nothing is sent; else each graph is counted on
    the server afterwards (:func:`ecmgraph.graphstore.push`).

    Raises BreachesFound (exit code 1), InputError (a graph the data lacks), EndpointError.
    """
    day = as_of or dt.date.today()
    report = validate_source(data, as_of=day)
    if not allow_breaches:
        refuse_breaches(report, refused="nothing pushed")
    own = sorted({g for s in data.sources if not s.background for g in s.graphs} - {ONTOLOGY_GRAPH, PROVENANCE_GRAPH})
    if with_reference:
        normalise(data)
        everything = {g for s in data.sources for g in s.graphs} | {ONTOLOGY_GRAPH, ENTAILED_GRAPH}
        own = sorted(everything - {PROVENANCE_GRAPH})
    unknown = [g for g in graphs if g not in own]
    if unknown:
        raise InputError(
            f"the data has no graph <{unknown[0]}> to push",
            hint="its graphs: " + ", ".join(f"<{g}>" for g in own[:5]) + (" …" if len(own) > 5 else ""),
        )
    local = graphs_of(data.store, list(graphs) or own)
    remote = Endpoint(endpoint, timeout if timeout is not None else DEFAULT_TIMEOUT, authorization=authorization)
    if dry_run:
        return plan(remote, local, replace=replace)
    return push_graphs(remote, graph_store_url(endpoint, graph_store), local, replace=replace)


def draw_chart(
    authority: str,
    data: Dataset | None = None,
    *,
    as_of: dt.date | None = None,
    format: str = "svg",
    engine: str = "auto",
) -> Drawing:
    """The accountability chart of ``authority`` (a name, council name, GSS code or IRI) in ``data`` (default: the
    packaged data) as at ``as_of`` (default today), as ``ecmgraph diagram`` draws it: ``format`` "svg", "dot",
    "table" (the table twin as text) or "html"; laid out by ``engine`` ("auto": Graphviz where installed, else
    ecmgraph's own layout). The :class:`~ecmgraph.diagram.draw.Drawing` holds the text, the chart as data and
    what laid it out. Raises UnknownName or AmbiguousName for the authority, InputError for a bad form or engine.
    """
    from ecmgraph.diagram.draw import draw

    return draw(data if data is not None else load(), authority, as_of=as_of, format=format, engine=engine)


def publish_site(
    data: Dataset,
    folder: str | Path,
    *,
    base_url: str,
    as_of: dt.date | None = None,
    allow_breaches: bool = False,
    jobs: int | None = None,
) -> PublishedSite:
    """Validate ``data`` as at ``as_of`` (default today) and publish it as a static site in ``folder`` under
    ``base_url``, as ``ecmgraph publish`` does: the whole site or nothing, an earlier site there replaced only
    once the new one is complete. ``jobs``: the processes that make the files (default one a CPU). Raises
    BreachesFound (exit code 1) for data with breaches unless ``allow_breaches``, InputError for a bad base URL or
    a folder that is not a site's (:func:`ecmgraph.publish.publish`)."""
    from ecmgraph.publish import publish as publish_site

    return publish_site(data, folder, base_url=base_url, as_of=as_of, allow_breaches=allow_breaches, jobs=jobs)
