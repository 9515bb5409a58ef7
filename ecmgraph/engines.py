"""Where SPARQL runs: one interface over the in-process store, a store on disk, and a remote SPARQL endpoint.

Packaged queries, label lookups, the validator's constraint queries, the normalisation checks and ``ecmgraph
sparql`` all run through an :class:`Engine`: :class:`LocalEngine` on a loaded :class:`ecmgraph.store.Dataset`
(in memory, or on disk with ``--store DIR``), :class:`RemoteEngine` on a SPARQL 1.1 endpoint. Both bind values
the same way (an escaped ``VALUES`` block, :func:`ecmgraph.sparql_text.bind_values`), both refuse updates, and both
give results as :mod:`ecmgraph.results`.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Mapping
from dataclasses import dataclass

import pyoxigraph as ox

from ecmgraph.endpoint import DEFAULT_TIMEOUT, Endpoint, understands_lateral
from ecmgraph.errors import EndpointError, InputError
from ecmgraph.portable import for_endpoint
from ecmgraph.results import Graph, QueryResult, Table
from ecmgraph.sparql_text import (
    bind_values,
    declare_prefixes,
    lateral_optionals,
    refuse_updates,
    run_query,
)
from ecmgraph.store import Dataset

#: Values for query variables, by variable name (without ``?``).
Bindings = Mapping[str, ox.NamedNode | ox.Literal]


class Engine(ABC):
    """Runs SPARQL queries (never updates) with bound variables, and says what it runs on."""

    @property
    @abstractmethod
    def label(self) -> str:
        """What the queries run on, for messages: an endpoint's URL, or "local data"."""

    @abstractmethod
    def query(
        self,
        text: str,
        bindings: Bindings | None = None,
        *,
        source: str = "<query>",
        prefixes: Mapping[str, str] | None = None,
    ) -> QueryResult:
        """Run a SELECT, ASK, CONSTRUCT or DESCRIBE query. Raises QuerySyntaxError for an update or bad syntax,
        EndpointError when a remote endpoint fails."""

    def select(self, text: str, bindings: Bindings | None = None, *, source: str = "<query>") -> Table:
        """The rows of a SELECT query; raises InputError if ``text`` is another kind of query."""
        result = self.query(text, bindings, source=source)
        if not isinstance(result, Table):
            raise self._not_answered("a SELECT query with a table of results", source)
        return result

    def ask(self, text: str, bindings: Bindings | None = None, *, source: str = "<query>") -> bool:
        """The answer of an ASK query; raises InputError if ``text`` is another kind of query."""
        result = self.query(text, bindings, source=source)
        if not isinstance(result, bool):
            raise self._not_answered("an ASK query with true or false", source)
        return result

    def _not_answered(self, what: str, source: str) -> Exception:
        return InputError(f"this is not {what.split(' with ')[0]}", file=source)


@dataclass(frozen=True)
class LocalEngine(Engine):
    """Queries on a loaded dataset: over the union of its named graphs (``union``), or over its default graph
    alone when that holds the merge of them (as :func:`ecmgraph.validation.prepare` writes it). Each query is
    stopped after ``timeout`` seconds (none by default), and by Ctrl-C at any time."""

    dataset: Dataset
    union: bool = True
    timeout: float | None = None

    @property
    def label(self) -> str:
        return "local data"

    def query(
        self,
        text: str,
        bindings: Bindings | None = None,
        *,
        source: str = "<query>",
        prefixes: Mapping[str, str] | None = None,
    ) -> QueryResult:
        return run_query(
            self.dataset,
            text,
            source=source,
            bindings=bindings,
            prefixes=prefixes,
            union=self.union,
            timeout=self.timeout,
        )


@dataclass(frozen=True)
class RemoteEngine(Engine):
    """Queries sent to a SPARQL 1.1 endpoint (:mod:`ecmgraph.endpoint`), bound the same way as locally; hinted
    OPTIONALs go as LATERAL to an endpoint that understands it, and a query hinted so goes in the portable form
    (:mod:`ecmgraph.portable`; queries/README.md, "Engine hints")."""

    url: str
    timeout: float = DEFAULT_TIMEOUT
    max_bytes: int | None = None  # the largest answer read; None: ecmgraph.endpoint.response_limit's

    @property
    def label(self) -> str:
        return self.url

    @property
    def endpoint(self) -> Endpoint:
        """The HTTP client of the endpoint."""
        return Endpoint(self.url, self.timeout, self.max_bytes)

    def query(
        self,
        text: str,
        bindings: Bindings | None = None,
        *,
        source: str = "<query>",
        prefixes: Mapping[str, str] | None = None,
    ) -> QueryResult:
        # The update check sees exactly the text that is POSTed (values bound, prefixes written out), and runs
        # before anything is sent, the LATERAL probe included: an endpoint would run an update it is sent.
        text = for_endpoint(text)  # class chains as capped sub-SELECTs where the query asks (Virtuoso)
        if bindings:
            text = bind_values(text, bindings)
        sent = declare_prefixes(text, prefixes or {})
        refuse_updates(sent, source)
        hinted = lateral_optionals(text)
        if hinted != text and understands_lateral(self.url, self.timeout):
            sent = declare_prefixes(hinted, prefixes or {})
            refuse_updates(sent, source)
        return self.endpoint.query(sent)

    def _not_answered(self, what: str, source: str) -> Exception:
        return EndpointError(f"{self.url} did not answer {what}")

    def construct(self, text: str) -> tuple[ox.Triple, ...]:
        """The triples of a CONSTRUCT query; raises EndpointError if the endpoint answers anything else."""
        result = self.query(text)
        if not isinstance(result, Graph):
            raise self._not_answered("a CONSTRUCT query with triples", "<query>")
        return result.triples


def engine_for(dataset: Dataset | None = None, endpoint: str | None = None, timeout: float | None = None) -> Engine:
    """The engine a query runs on: the remote ``endpoint`` if given, else the local ``dataset``; ``timeout`` bounds
    each query (for an endpoint, 60 s when not given; locally, nothing when not given)."""
    if endpoint is not None:
        return RemoteEngine(endpoint, timeout if timeout is not None else DEFAULT_TIMEOUT)
    if dataset is None:
        raise ValueError("give a dataset or an endpoint")
    return LocalEngine(dataset, timeout=timeout)
