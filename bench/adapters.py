"""The one place where the benchmark touches ecmgraph's library API.

Each function either returns what the runner needs or raises :class:`Unavailable` with a reason ("ecmgraph.validation
is not importable"), so that a part whose code does not exist yet is skipped with that reason, and runs as soon as the
code lands. Findings are normalised to plain dicts ``{"focus", "rule", "severity", "kind"}`` (severity ``Violation``,
``Warning`` or ``Info``; kind ``breach`` or ``gap``) so that both engines and the manifest compare as equals.
"""

from __future__ import annotations

import functools
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
        return sorted(
            (normalise_finding(r) for r in _results_of(report)),
            key=lambda f: (f["rule"], f["focus"], f["severity"], f["kind"]),
        )

    return run


def remote_validator() -> Callable[..., list[dict[str, str]]]:
    """A function ``(endpoint_url, *, as_of) -> findings`` that validates what a SPARQL endpoint holds."""
    validation = _module("ecmgraph.validation")
    endpoint = _module("ecmgraph.endpoint")
    function = getattr(validation, "validate", None)
    if not callable(function) or not hasattr(endpoint, "Endpoint"):
        raise Unavailable("ecmgraph.validation.validate cannot take an ecmgraph.endpoint.Endpoint")

    def run(url: str, *, as_of: str) -> list[dict[str, str]]:
        import datetime as dt

        report = function(endpoint.Endpoint(url, timeout=600.0), as_of=dt.date.fromisoformat(as_of))
        return sorted(
            (normalise_finding(r) for r in _results_of(report)),
            key=lambda f: (f["rule"], f["focus"], f["severity"], f["kind"]),
        )

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


def _values(query: Any, params: dict[str, str]) -> dict[str, str]:
    """The sample value (the manifest's ``samples``) of each parameter the query declares."""
    names = [p if isinstance(p, str) else _text(_field(p, "name")) for p in (_field(query, "parameters") or ())]
    return {n: params[n] for n in names if params.get(n)}


def query_runner(endpoint: str | None = None) -> Callable[[Any, str, dict[str, str]], int]:
    """A function ``(dataset, name, sample params) -> number of rows`` running one packaged query as ``ecmgraph
    query run`` does (on the loaded dataset, or on ``endpoint``, where labels are looked up too)."""
    api = _module("ecmgraph.api")
    catalogue = _catalogue()
    function = getattr(api, "query", None)
    if not callable(function) or "endpoint" not in inspect.signature(function).parameters:
        raise Unavailable("ecmgraph.api.query(query, values, data=…, endpoint=…) is not there")

    def run(dataset: Any, name: str, params: dict[str, str]) -> int:
        import datetime as dt

        query = catalogue[name]
        today = dt.date.fromisoformat(params["date"]) if params.get("date") else None
        data = None if endpoint is not None else dataset
        table = function(query, _values(query, params), data=data, endpoint=endpoint, today=today)
        return len(table.rows)

    return run


def queries_needing_validation() -> set[str]:
    """The packaged queries that read ecmgraph's validation report (``requires: validation-report``): on another
    engine their text alone answers nothing, since what they read is made by a validation first."""
    return {name for name, query in _catalogue().items() if "validation-report" in (_field(query, "requires") or ())}


def bound_query_texts(dataset: Any, params: dict[str, str]) -> dict[str, str]:
    """Each packaged query's SPARQL text with its sample parameters bound as ecmgraph binds them (an escaped
    VALUES block), with the prefixes ecmgraph predeclares: what another engine must run to answer the same.
    The queries that read a validation report are left out (see :func:`queries_needing_validation`)."""
    import datetime as dt

    queries = _module("ecmgraph.queries")
    from ecmgraph.engines import engine_for
    from ecmgraph.namespaces import sparql_prologue
    from ecmgraph.sparql_text import bind_values

    engine = engine_for(dataset)
    today = dt.date.fromisoformat(params["date"]) if params.get("date") else None
    texts = {}
    skip = queries_needing_validation()
    for name, query in sorted(_catalogue().items()):
        if name in skip:
            continue
        terms = queries.bind_parameters(query, _values(query, params), engine, today=today)
        texts[name] = sparql_prologue() + bind_values(query.text, terms)
    return texts


def site_writer(folder: str, jobs: int) -> Callable[[dict[str, bytes]], None]:
    """A function that writes files (site path -> bytes) under ``folder`` as ``ecmgraph publish``'s worker
    processes write theirs: ``jobs`` forked processes, a hundred files a task, each file opened new and written at
    once."""
    build = _module("ecmgraph.publish.build")
    if not hasattr(build, "write_into"):
        raise Unavailable("ecmgraph.publish.build.write_into is not there")

    def write(files: dict[str, bytes]) -> None:
        paths = list(files)
        chunks = [{p: files[p] for p in paths[i : i + 100]} for i in range(0, len(paths), 100)]
        build.run_tasks([functools.partial(build.write_into, folder, chunk) for chunk in chunks], jobs)

    return write


def usable_cpus() -> int:
    """The worker processes ``ecmgraph publish`` starts by default."""
    return int(_module("ecmgraph.threads").usable_cpus())
