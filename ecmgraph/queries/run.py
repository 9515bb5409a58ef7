"""A packaged query run on an engine, with its parameters bound."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping

from ecmgraph.engines import Engine, engine_for
from ecmgraph.errors import InputError
from ecmgraph.queries.binding import bind_parameters
from ecmgraph.queries.catalogue import DATE_PARAMETER, PackagedQuery, get_query
from ecmgraph.queries.lookup import Resolver
from ecmgraph.results import Table
from ecmgraph.store import Dataset


def query_day(query: PackagedQuery, terms: Mapping[str, object], today: dt.date | None = None) -> dt.date:
    """The day a query is answered as at: its bound ``date`` parameter, else ``today`` (default: the clock's)."""
    day = terms.get(f"__{DATE_PARAMETER}_xsd_date")
    value = getattr(day, "value", None)
    return dt.date.fromisoformat(value) if isinstance(value, str) else today or dt.date.today()


def run_packaged(
    dataset: Dataset | None,
    query: PackagedQuery | str,
    values: Mapping[str, str] | None = None,
    *,
    endpoint: str | None = None,
    timeout: float | None = None,
    today: dt.date | None = None,
    provider: Callable[[dt.date], Engine] | None = None,
    resolver: Resolver | None = None,
) -> Table:
    """Run a packaged query (or one named so) with its parameters bound (see :func:`bind_parameters`).

    On the local ``dataset``, or, given ``endpoint``, on that SPARQL endpoint (``dataset`` is then ignored):
    labels are looked up, and the query run, where the data is. A query that ``requires`` more than the data runs
    on the engine ``provider`` makes for its day (:func:`ecmgraph.query` gives the compliance matrix one). Raises what
    :func:`bind_parameters` raises, InputError for a query whose requirements no engine was given for,
    QuerySyntaxError, and EndpointError when the endpoint fails. ``resolver``, a :class:`Resolver` on the same data
    kept between calls, remembers the names it looked up (for many queries on one dataset).
    """
    packaged = get_query(query) if isinstance(query, str) else query
    where = engine_for(dataset, endpoint, timeout)
    terms = bind_parameters(packaged, values or {}, where, today=today, resolver=resolver)
    if packaged.requires:
        if provider is None:
            raise InputError(
                f"query {packaged.name!r} requires {', '.join(packaged.requires)}",
                hint="run it with 'ecmgraph query run' or ecmgraph.query(), which provide it",
            )
        where = provider(query_day(packaged, terms, today))
    return where.select(packaged.text, terms, source=str(packaged.path))
