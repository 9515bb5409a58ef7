"""Parameter values turned into RDF terms and bound to a packaged query.

Values are never spliced into the query text. A value is first turned into one RDF term (an IRI found by label
lookup, a typed date, a plain literal), then bound through an escaped ``VALUES`` block at the start of the
query's WHERE clause (:func:`ecmgraph.sparql_text.bind_values`), the same way on the local store and on a remote
endpoint.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping

import pyoxigraph as ox

from ecmgraph import limits
from ecmgraph.engines import Engine
from ecmgraph.errors import InputError, UnknownName
from ecmgraph.namespaces import XSD
from ecmgraph.queries.catalogue import DATE_PARAMETER, PackagedQuery, get_query
from ecmgraph.queries.lookup import Resolver, expand_iri
from ecmgraph.sparql_text import bind_values

_XSD_DATE = ox.NamedNode(XSD.date)


def parse_date(value: str, *, parameter: str, today: dt.date) -> dt.date:
    """``today`` or an ISO date (YYYY-MM-DD). Raises InputError otherwise."""
    text = value.strip()
    if text.casefold() == "today":
        return today
    try:
        return limits.parse_date(text)  # YYYY-MM-DD only: not 20090331, nor a week date
    except ValueError:
        raise InputError(
            f"parameter {parameter}: {value!r} is not a date", hint="write it YYYY-MM-DD, or 'today'"
        ) from None


def bind_parameters(
    query: PackagedQuery,
    values: Mapping[str, str],
    engine: Engine | None = None,
    *,
    today: dt.date | None = None,
    resolver: Resolver | None = None,
) -> dict[str, ox.NamedNode | ox.Literal]:
    """The RDF term of each parameter, by query variable: given values resolved, defaults filled in.

    Labels are looked up on ``engine`` (the data the query will run on); with no engine, a parameter that names
    a thing must be given as an IRI. Raises UnknownName for an unknown parameter or a label that names nothing
    (or several things), and InputError for a missing required parameter, a malformed date or IRI, or a value
    outside ``enumerate``. ``resolver``, one on the same data kept between calls, remembers what it looked up.
    """
    today = today or dt.date.today()
    for name in values:
        query.parameter(name)  # raises UnknownName for an unknown parameter
    missing = [p.name for p in query.parameters if p.required and p.name not in values]
    if missing:
        raise InputError(
            f"query {query.name!r} needs {', '.join(missing)}", hint=f"for example: {query.example_command()}"
        )
    given = {p.name: values.get(p.name, p.default) for p in query.parameters}
    day = None
    for p in query.parameters:
        if p.type == "date" and given.get(p.name) is not None:
            day = parse_date(str(given[p.name]), parameter=p.name, today=today)
    if resolver is None and engine is not None:
        resolver = Resolver(engine)
    resolved: dict[str, str] = {}
    terms: dict[str, ox.NamedNode | ox.Literal] = {}
    # Parameters that others are narrowed by come first.
    order = sorted(query.parameters, key=lambda p: p.within is not None)
    for p in order:
        raw = given.get(p.name)
        if raw is None:
            continue
        if p.type == "date":
            term: ox.NamedNode | ox.Literal = ox.Literal(
                parse_date(raw, parameter=p.name, today=today).isoformat(), datatype=_XSD_DATE
            )
        elif p.type == "string":
            term = ox.Literal(raw)
        else:
            if p.lookup is not None and resolver is not None:
                scope = resolved.get(p.within) if p.within else None
                iri = resolver.resolve(
                    raw,
                    p.lookup,
                    parameter=p.name,
                    scope=scope,
                    scope_label=values.get(p.within) if p.within else None,
                    day=day,
                )
            else:
                expanded = expand_iri(raw)
                if expanded is None:
                    raise UnknownName(
                        f"parameter {p.name}: {raw!r} is not an IRI"
                        + (", and there is no data to look the name up in" if p.lookup else ""),
                        hint="give an absolute IRI (https://…) or a prefixed name (ecmid:…)",
                    )
                iri = expanded
            term = ox.NamedNode(iri)  # resolved IRIs come from the data or were checked by expand_iri
            resolved[p.name] = iri
        if p.enum and _enum_value(term) not in p.enum:
            raise InputError(
                f"parameter {p.name}: {raw!r} is not one of the values it takes", hint="one of: " + ", ".join(p.enum)
            )
        terms[p.variable] = term
    return terms


def _enum_value(term: ox.NamedNode | ox.Literal) -> str:
    return term.value


def parameter_values(
    query: PackagedQuery,
    pairs: Iterable[tuple[str, str]],
    as_of: dt.date | None = None,
) -> dict[str, str]:
    """The values given on the command line (``-p NAME VALUE``…, ``--as-of DATE``) as one mapping.

    Raises UnknownName for a parameter the query does not have (``--as-of`` needs a ``date`` parameter), and
    InputError for a parameter given twice with different values.
    """
    values: dict[str, str] = {}
    for name, value in pairs:
        query.parameter(name)
        if name in values and values[name] != value:
            raise InputError(
                f"parameter {name} is given twice ({values[name]!r} and {value!r})", hint="give each parameter once"
            )
        values[name] = value
    if as_of is not None:
        if not any(p.name == DATE_PARAMETER for p in query.parameters):
            raise UnknownName(
                f"query {query.name!r} is not answered as at a date: it has no {DATE_PARAMETER} parameter",
                hint="leave out --as-of",
            )
        if DATE_PARAMETER in values and values[DATE_PARAMETER] != as_of.isoformat():
            raise InputError(
                f"--as-of {as_of.isoformat()} and -p {DATE_PARAMETER} {values[DATE_PARAMETER]} disagree",
                hint="give the date once",
            )
        values[DATE_PARAMETER] = as_of.isoformat()
    return values


def bound_text(
    query: PackagedQuery | str,
    values: Mapping[str, str] | None = None,
    engine: Engine | None = None,
    *,
    today: dt.date | None = None,
) -> str:
    """The query's text with its parameters bound in a VALUES block: what ecmgraph sends to an engine."""
    packaged = get_query(query) if isinstance(query, str) else query
    return bind_values(packaged.text, bind_parameters(packaged, values or {}, engine, today=today))
