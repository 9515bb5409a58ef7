"""The reference engine: pySHACL on an rdflib copy of the data."""

from __future__ import annotations

from functools import lru_cache

import rdflib
from rdflib.namespace import RDF, SH

from ecmgraph.inference import to_ox
from ecmgraph.validation.catalogue import SEVERITY_NAME, ShapeError
from ecmgraph.validation.report import RawResult


class _PreparedQueryGraph(rdflib.Graph):
    """An rdflib graph that parses each distinct query text once.

    pySHACL sends a constraint's query text once per focus node, and rdflib parses it every time (most of
    pySHACL's run time on national data); parsing once changes nothing else: the query and its pre-bound $this
    are evaluated by rdflib exactly as before.
    """

    def query(  # type: ignore[no-untyped-def]  # rdflib's own signature, untyped there
        self,
        query_object,
        processor="sparql",
        result="sparql",
        initNs=None,
        initBindings=None,
        use_store_provided=True,
        **kwargs,
    ):
        if isinstance(query_object, str) and processor == "sparql" and not initNs:
            query_object = _prepare(query_object)
        return super().query(query_object, processor, result, initNs, initBindings, use_store_provided, **kwargs)


@lru_cache(maxsize=512)
def _prepare(text: str) -> object:
    from rdflib.plugins.sparql import prepareQuery

    return prepareQuery(text)


def run_pyshacl(data: rdflib.Graph, graph: rdflib.Graph) -> list[RawResult]:
    """The reference engine: pySHACL on ``data`` (ontology included) with the (dated) shapes graph, no inference."""
    import pyshacl  # imported here: slow to import, and only this engine needs it

    data = _PreparedQueryGraph(store=data.store, identifier=data.identifier)
    _, report, text = pyshacl.validate(
        data,
        shacl_graph=graph,
        advanced=False,
        inference="none",
        allow_warnings=True,
        abort_on_first=False,
        meta_shacl=False,
    )
    if not isinstance(report, rdflib.Graph):
        raise ShapeError(f"pySHACL could not run the shapes: {text or report}")
    results = []
    for node in report.subjects(RDF.type, SH.ValidationResult):
        focus, value, path = (report.value(node, p) for p in (SH.focusNode, SH.value, SH.resultPath))
        messages = sorted(str(m) for m in report.objects(node, SH.resultMessage))
        results.append(
            RawResult(
                focus=to_ox(focus),  # type: ignore[arg-type]
                shape=str(report.value(node, SH.sourceShape)),
                severity=SEVERITY_NAME[report.value(node, SH.resultSeverity)],  # type: ignore[index]
                value=to_ox(value) if value is not None else None,
                path=str(path) if path is not None else None,
                message=messages[0] if messages else "",
                component=str(report.value(node, SH.sourceConstraintComponent)),
            )
        )
    return results
