"""The one place where the benchmark touches ecmgraph's library API.

Each function either returns what the runner needs or raises :class:`Unavailable` with a reason ("ecmgraph.validation
is not importable"), so that a part whose code does not exist yet is skipped with that reason, and runs as soon as the
code lands. Findings are normalised to plain dicts ``{"focus", "rule", "severity", "kind"}`` (severity ``Violation``,
``Warning`` or ``Info``; kind ``breach`` or ``gap``) so that both engines and the manifest compare as equals.
"""

from __future__ import annotations

import importlib
import inspect
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]


class Unavailable(Exception):
    """The ecmgraph code a measurement needs is not there (yet)."""


def _module(name: str) -> Any:
    try:
        return importlib.import_module(name)
    except ModuleNotFoundError as exc:
        if exc.name and (exc.name == name or name.startswith(exc.name + ".")):
            raise Unavailable(f"{name} is not importable") from exc
        raise


def ontology_file() -> str | None:
    from ecmgraph import resources

    path = resources.ontology_path()
    return str(path) if path.is_file() else None


def load(file: str) -> tuple[Any, str]:
    """``ecmgraph.store.load_dataset([file])``; without the ontology (and say so) while ontology/ecm.ttl is missing."""
    from ecmgraph import store

    if ontology_file() is None:
        return store.load_dataset([file], with_ontology=False), "without the ontology: ontology/ecm.ttl is missing"
    return store.load_dataset([file]), ""


# --- validation --------------------------------------------------------------------------------------------------

_SEVERITIES = {"violation": "Violation", "warning": "Warning", "info": "Info"}


def _text(value: Any) -> str:
    if value is None:
        return ""
    for attr in ("value", "iri"):
        if hasattr(value, attr) and isinstance(getattr(value, attr), str):
            return getattr(value, attr)
    text = str(value)
    return text[1:-1] if text.startswith("<") and text.endswith(">") else text


def _field(result: Any, *names: str) -> Any:
    for name in names:
        if isinstance(result, dict) and name in result:
            return result[name]
        if hasattr(result, name):
            return getattr(result, name)
    return None


def normalise_finding(result: Any) -> dict[str, str]:
    """One validation result (ecmgraph's model object, or a dict of its JSON report) as a plain dict."""
    severity = _text(_field(result, "severity", "result_severity")).rsplit("#", 1)[-1].rsplit("/", 1)[-1]
    kind = _text(_field(result, "kind", "finding_kind", "findingKind")).rsplit("#", 1)[-1].lower()
    return {
        "focus": _text(_field(result, "focus", "focus_node", "focusNode")),
        "rule": _text(_field(result, "rule", "rule_id", "ruleId", "identifier")),
        "severity": _SEVERITIES.get(severity.lower(), severity),
        "kind": kind,
    }


def _results_of(report: Any) -> Iterable[Any]:
    for name in ("results", "findings"):
        value = _field(report, name)
        if value is not None:
            return value
    if isinstance(report, (list, tuple)):
        return report
    raise Unavailable(f"cannot read the results of a {type(report).__name__}")


def validator() -> Callable[..., list[dict[str, str]]]:
    """A function ``(dataset, *, as_of, engine, inference) -> findings`` over ecmgraph's validator."""
    validation = _module("ecmgraph.validation")
    for name in ("validate_dataset", "validate_graph", "validate"):
        function = getattr(validation, name, None)
        if callable(function):
            break
    else:
        raise Unavailable("ecmgraph.validation has no validate function")
    accepted = set(inspect.signature(function).parameters)

    def run(dataset: Any, *, as_of: str, engine: str, inference: str) -> list[dict[str, str]]:
        import datetime as dt

        options: dict[str, Any] = {}
        if "as_of" in accepted:
            options["as_of"] = dt.date.fromisoformat(as_of)
        if "engine" in accepted:
            options["engine"] = engine
        elif engine != "ecmgraph":
            raise Unavailable(f"ecmgraph.validation.{function.__name__} has no engine option")
        if "inference" in accepted:
            options["inference"] = inference
        elif inference != "none":
            raise Unavailable(f"ecmgraph.validation.{function.__name__} has no inference option")
        report = function(dataset, **options)
        return sorted((normalise_finding(r) for r in _results_of(report)),
                      key=lambda f: (f["rule"], f["focus"], f["severity"], f["kind"]))

    return run


def remote_validator() -> Callable[..., list[dict[str, str]]]:
    """A function ``(endpoint_url, *, as_of) -> findings`` that validates what a SPARQL endpoint holds."""
    validation = _module("ecmgraph.validation")
    _module("ecmgraph.endpoint")
    function = getattr(validation, "validate_endpoint", None)
    if not callable(function):
        raise Unavailable("ecmgraph.validation has no validate_endpoint function")

    def run(endpoint: str, *, as_of: str) -> list[dict[str, str]]:
        import datetime as dt

        report = function(endpoint, as_of=dt.date.fromisoformat(as_of))
        return sorted((normalise_finding(r) for r in _results_of(report)),
                      key=lambda f: (f["rule"], f["focus"], f["severity"], f["kind"]))

    return run


def export_for_server(file: str, out: str) -> int:
    """Load ``file`` as ecmgraph does (normalised where ecmgraph normalises) and write every quad as N-Quads."""
    import pyoxigraph as ox

    dataset, _ = load(file)
    for module_name in ("ecmgraph.normalise", "ecmgraph.validation"):
        try:
            module = importlib.import_module(module_name)
        except ModuleNotFoundError:
            continue
        if callable(getattr(module, "normalise", None)):
            module.normalise(dataset)
            break
    with open(out, "wb") as handle:
        dataset.store.dump(handle, format=ox.RdfFormat.N_QUADS)
    return len(dataset.store)


# --- packaged queries --------------------------------------------------------------------------------------------


def _catalogue() -> Any:
    queries = _module("ecmgraph.queries")
    from ecmgraph import resources

    if not any(resources.queries_dir().glob("*.rq")):
        raise Unavailable("no packaged query in queries/")
    for name in ("catalogue", "load_catalogue", "packaged_queries", "list_queries"):
        function = getattr(queries, name, None)
        if callable(function):
            return function()
    raise Unavailable("ecmgraph.queries has no catalogue function")


def _name(query: Any) -> str:
    return str(_field(query, "name"))


def packaged_queries() -> list[str]:
    """The names of every packaged query."""
    catalogue = _catalogue()
    items = catalogue.values() if isinstance(catalogue, dict) else catalogue
    return sorted(_name(q) for q in items)


def _parameters(query: Any, params: dict[str, str]) -> dict[str, str]:
    """The sample value of each parameter the query declares (from the manifest's ``samples``)."""
    declared = _field(query, "parameters", "params") or {}
    names = [_text(_field(p, "name")) if not isinstance(p, str) else p for p in
             (declared.values() if isinstance(declared, dict) else declared)]
    if isinstance(declared, dict):
        names = list(declared)
    return {n: params[n] for n in names if n in params and params[n]}


def query_runner(endpoint: str | None = None) -> Callable[[Any, str, dict[str, str]], int]:
    """A function ``(dataset, name, sample params) -> number of rows`` running one packaged query."""
    queries = _module("ecmgraph.queries")
    catalogue = _catalogue()
    by_name = {_name(q): q for q in (catalogue.values() if isinstance(catalogue, dict) else catalogue)}
    function = getattr(queries, "run_packaged", None) or getattr(queries, "run_query", None) or getattr(queries, "run", None)
    if not callable(function):
        raise Unavailable("ecmgraph.queries has no function to run a packaged query")
    accepted = set(inspect.signature(function).parameters)
    if endpoint is not None and "endpoint" not in accepted:
        raise Unavailable(f"ecmgraph.queries.{function.__name__} has no endpoint option")

    def run(dataset: Any, name: str, params: dict[str, str]) -> int:
        bound = _parameters(by_name[name], params)
        options: dict[str, Any] = {"endpoint": endpoint} if endpoint is not None else {}
        result = function(dataset, name, bound, **options) if endpoint is None else function(None, name, bound, **options)
        rows = _field(result, "rows")
        return len(rows) if rows is not None else len(list(result))

    return run


def bound_query_texts(params: dict[str, str]) -> dict[str, str]:
    """Each packaged query's SPARQL text with its sample parameters bound, as ecmgraph sends it to an endpoint."""
    queries = _module("ecmgraph.queries")
    catalogue = _catalogue()
    function = getattr(queries, "bound_text", None) or getattr(queries, "bind_parameters", None)
    if not callable(function):
        raise Unavailable("ecmgraph.queries has no function giving a query's text with its parameters bound")
    items = catalogue.values() if isinstance(catalogue, dict) else catalogue
    return {_name(q): function(q, _parameters(q, params)) for q in items}
