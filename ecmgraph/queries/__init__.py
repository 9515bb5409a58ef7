"""The packaged SPARQL queries: their catalogue, ``#+`` headers, label lookup, parameter binding and running.

Each packaged query is one ``queries/NAME.rq`` file whose name is the query's name. It opens with a YAML header
on lines starting ``#+`` that grlc (https://github.com/CLARIAH/grlc) also reads: ``summary``, ``description``,
``tags``, ``defaults`` and ``enumerate`` as grlc has them, and ecmgraph's own keys ``params`` (each
parameter's type, what it names and a description), ``example`` and ``columns``. Parameters are written in
the query as grlc names them: ``?_name_iri`` (required), ``?__name_iri`` (optional), ``?__date_xsd_date``; the
name between the underscores is the parameter's user-facing name (``authority``, ``topic``, ``date``…).

- :mod:`~ecmgraph.queries.catalogue`: the ``.rq`` files and their headers, read and checked;
- :mod:`~ecmgraph.queries.lookup`: names, codes and IRIs to the things they name, as people type them;
- :mod:`~ecmgraph.queries.names`: what a name resolves to, the names there are, the labels a table is shown with;
- :mod:`~ecmgraph.queries.explain`: why a query answered nothing;
- :mod:`~ecmgraph.queries.binding`: values to RDF terms, bound in a ``VALUES`` block, never spliced;
- :mod:`~ecmgraph.queries.run`: a packaged query run on an engine;
- :mod:`~ecmgraph.queries.docs`: the catalogue as a table and as ``queries/README.md``.
"""

from ecmgraph.queries.binding import (
    bind_parameters,
    bound_text,
    parameter_values,
    parse_date,
)
from ecmgraph.queries.catalogue import (
    DATE_PARAMETER,
    PackagedQuery,
    Parameter,
    Pivot,
    QueryHeaderError,
    catalogue,
    get_query,
    load_query_file,
    parse_query,
)
from ecmgraph.queries.docs import catalogue_table, render_readme
from ecmgraph.queries.explain import explain_empty
from ecmgraph.queries.lookup import (
    LOOKUPS,
    AmbiguousName,
    Candidate,
    Details,
    Lookup,
    Match,
    Resolver,
    expand_iri,
    match_tier,
    name_key,
    name_words,
    normalise_label,
)
from ecmgraph.queries.names import (
    LIST_KINDS,
    LOOKUP_KINDS,
    NameAnswer,
    list_names,
    look_up,
    table_labels,
)
from ecmgraph.queries.run import run_packaged

__all__ = [
    "DATE_PARAMETER",
    "LIST_KINDS",
    "LOOKUPS",
    "LOOKUP_KINDS",
    "AmbiguousName",
    "Candidate",
    "Details",
    "Lookup",
    "Match",
    "NameAnswer",
    "PackagedQuery",
    "Pivot",
    "Parameter",
    "QueryHeaderError",
    "Resolver",
    "bind_parameters",
    "bound_text",
    "catalogue",
    "catalogue_table",
    "expand_iri",
    "explain_empty",
    "get_query",
    "list_names",
    "load_query_file",
    "look_up",
    "match_tier",
    "name_key",
    "name_words",
    "normalise_label",
    "parameter_values",
    "parse_date",
    "parse_query",
    "render_readme",
    "run_packaged",
    "table_labels",
]
