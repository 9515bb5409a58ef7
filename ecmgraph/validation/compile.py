"""ecmgraph's engine: each SHACL constraint compiled to one SPARQL query over all its focus nodes."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

import rdflib
from rdflib.namespace import RDF, RDFS, SH

from ecmgraph.engines import Engine
from ecmgraph.portable import hinted
from ecmgraph.results import term_value
from ecmgraph.validation.catalogue import (
    SEVERITY_NAME,
    ShapeError,
    fill_message,
    shape_nodes,
)
from ecmgraph.validation.report import RawResult

_THIS = re.compile(r"[$?]this\b")
_SELECT = re.compile(r"^\s*SELECT\s+(?:DISTINCT\s+)?(?P<vars>.*?)\s*WHERE\s*\{", re.S | re.I)
_RDF_TYPE = str(RDF.type)
_SUBCLASS = str(RDFS.subClassOf)
#: The shape predicates ecmgraph's engine understands; any other SHACL predicate on a shape is an error.
_SUPPORTED = {
    SH.targetClass,
    SH.targetNode,
    SH.targetSubjectsOf,
    SH.targetObjectsOf,
    SH.sparql,
    SH.path,
    SH["class"],
    SH.minCount,
    SH.maxCount,
    SH.severity,
    SH.message,
    SH.deactivated,
    SH.name,
    SH.description,
}
_CORE_COMPONENTS = {
    SH["class"]: SH.ClassConstraintComponent,
    SH.minCount: SH.MinCountConstraintComponent,
    SH.maxCount: SH.MaxCountConstraintComponent,
}


@dataclass(frozen=True)
class Constraint:
    """One constraint of a shape as ecmgraph runs it: a SPARQL query, and how to read its rows."""

    shape: str
    severity: str
    query: str
    message: str
    component: str
    path: str | None = None
    value_is_focus: bool = True  # a node shape with no ?value: the value is the focus node (as in pySHACL)


def shape_constraints(graph: rdflib.Graph) -> list[Constraint]:
    """Every active constraint of the shapes graph as one SPARQL query over all its targets, in shape order.

    Raises ShapeError, naming the shape, for any SHACL feature ecmgraph's engine does not implement.
    """
    constraints: list[Constraint] = []
    for node in sorted(shape_nodes(graph), key=str):
        if graph.value(node, SH.deactivated) == rdflib.Literal(True):
            continue
        name = str(node)
        unsupported = sorted(
            str(p) for p in set(graph.predicates(node)) if str(p).startswith(str(SH)) and p not in _SUPPORTED
        )
        if unsupported:
            raise ShapeError(
                f"shape {name} uses {', '.join(unsupported)}, which ecmgraph's engine does not implement",
                hint="use SHACL-SPARQL (sh:sparql) or one of sh:class, sh:minCount, sh:maxCount",
            )
        given = graph.value(node, SH.severity)
        severity = SEVERITY_NAME.get(given, "Violation") if given is not None else "Violation"
        target = _target_pattern(graph, node)
        by_triples = graph.value(node, SH.targetClass) is None and graph.value(node, SH.targetNode) is None
        is_property = (node, RDF.type, SH.PropertyShape) in graph
        path = graph.value(node, SH.path)
        for sparql in sorted(graph.objects(node, SH.sparql), key=lambda c: str(graph.value(c, SH.select))):
            constraints.append(_sparql_constraint(graph, name, severity, target, sparql, is_property, by_triples))
        if any(graph.value(node, p) is not None for p in _CORE_COMPONENTS):
            if not isinstance(path, rdflib.URIRef):
                raise ShapeError(
                    f"shape {name}: ecmgraph's engine supports Core constraints only on a property shape "
                    "whose sh:path is one IRI"
                )
            message = str(graph.value(node, SH.message) or "")
            constraints.extend(_core_constraints(graph, node, name, severity, target, str(path), message))
    return constraints


def _target_patterns(graph: rdflib.Graph, node: rdflib.term.Node) -> list[str]:
    """One pattern binding ?this per target of the shape."""
    patterns = [
        f"?this <{_RDF_TYPE}>/<{_SUBCLASS}>* <{c}> ." for c in sorted(graph.objects(node, SH.targetClass), key=str)
    ]
    patterns += [
        f"?this <{p}> ?ecmgraphTargetObject ." for p in sorted(graph.objects(node, SH.targetSubjectsOf), key=str)
    ]
    patterns += [
        f"?ecmgraphTargetSubject <{p}> ?this ." for p in sorted(graph.objects(node, SH.targetObjectsOf), key=str)
    ]
    nodes = sorted(graph.objects(node, SH.targetNode), key=str)
    if nodes:
        patterns.append("VALUES ?this { " + " ".join(f"<{n}>" for n in nodes) + " }")
    if not patterns:
        raise ShapeError(
            f"shape {node} has no target (sh:targetClass, sh:targetNode, sh:targetSubjectsOf or sh:targetObjectsOf)",
            hint="ecmgraph only runs shapes with their own targets",
        )
    return patterns


def _target_pattern(graph: rdflib.Graph, node: rdflib.term.Node) -> str:
    """The shape's focus nodes as one pattern binding ?this (a UNION when it has several targets)."""
    return _each_target(_target_patterns(graph, node), "")


def _each_target(targets: Sequence[str], pattern: str) -> str:
    """``pattern`` joined with each target, the branches of a UNION: pyoxigraph evaluates a UNION on its own before
    joining what follows it, so a pattern after it would be read for the whole graph (measured at scale 1: ECM014's
    sh:class query 0.31 s with the pattern after the union of its two targets, 0.003 s inside each branch)."""
    if len(targets) == 1:
        return f"{targets[0]}\n{pattern}".rstrip()
    return "{ " + " } UNION { ".join(f"{t}\n{pattern}".rstrip() for t in targets) + " }"


def _prologue(graph: rdflib.Graph, constraint: rdflib.term.Node) -> str:
    lines = []
    for declarer in graph.objects(constraint, SH.prefixes):
        for decl in graph.objects(declarer, SH.declare):
            lines.append((str(graph.value(decl, SH.prefix)), str(graph.value(decl, SH.namespace))))
    return "".join(f"PREFIX {p}: <{ns}>\n" for p, ns in sorted(set(lines)))


def _sparql_constraint(
    graph: rdflib.Graph,
    shape: str,
    severity: str,
    target: str,
    node: rdflib.term.Node,
    is_property: bool,
    target_is_test: bool,
) -> Constraint:
    text = str(graph.value(node, SH.select) or "")
    match = _SELECT.match(text)
    end = text.rstrip().rfind("}")
    if match is None or end < match.end() or text.rstrip()[end + 1 :].strip():
        raise ShapeError(
            f"shape {shape}: ecmgraph runs sh:select queries of the form SELECT vars WHERE {{ … }} with "
            "nothing after the WHERE clause"
        )
    variables = match.group("vars").split()
    if not all(re.fullmatch(r"[$?]\w+", v) for v in variables):
        raise ShapeError(f"shape {shape}: sh:select must project plain variables, not expressions")
    names = [v[1:] for v in variables if v[1:] != "this"]
    body = _THIS.sub("?this", text[match.end() : end])
    if "$" in body:
        raise ShapeError(
            f"shape {shape}: its sh:select still holds a $variable after dating (only $this and $asOf are known)"
        )
    binds_this = re.search(r"\?this\b", _required_part(body)) is not None
    if target_is_test and binds_this:
        # A subjects-of/objects-of target yields one row per triple; when the body's required patterns bind ?this
        # anyway, the target is a test on each solution instead of a join (measured on pyoxigraph 0.5: the join was
        # hundreds of times slower).
        where = f"{body}\nFILTER EXISTS {{ {target} }}"
    elif binds_this and _STARTS_FROM_CLASS.match(body):
        # A body that starts from a class of its own (a plan, a board) and binds ?this leads, and the class target
        # joins after it: pyoxigraph 0.5 breaks ties between its size estimates in the order written, and the
        # body's class is the more selective start (measured at scale 1: ECM009, ECM015, ECM016 0.27-0.55 s with
        # the target first, 0.002-0.03 s with it last). Other bodies start from the target's class.
        where = f"{body}\n{target}"
    else:
        where = f"{target}\n{body}"
    query = f"{_prologue(graph, node)}SELECT DISTINCT ?this {' '.join('?' + n for n in names)} WHERE {{\n{where}\n}}"
    message = str(graph.value(node, SH.message) or graph.value(rdflib.URIRef(shape), SH.message) or "")
    return Constraint(
        shape, severity, query, message, str(SH.SPARQLConstraintComponent), value_is_focus=not is_property
    )


#: A constraint body whose first pattern is a class chain: ``?x a/rdfs:subClassOf* C`` (or ``rdf:type/…``).
_STARTS_FROM_CLASS = re.compile(
    r"\s*\?\w+\s+(?:a|rdf:type|" + re.escape(f"<{RDF.type}>") + r")/"
    r"(?:rdfs:subClassOf|" + re.escape(f"<{RDFS.subClassOf}>") + r")\*\s"
)


def _required_part(body: str) -> str:
    """The statements of a group that are not OPTIONAL, FILTER or BIND (one statement per line, as in shapes/)."""
    required: list[str] = []
    depth = 0
    keep = False
    for line in body.split("\n"):
        if depth == 0:
            word = re.split(r"[\s({]", line.strip(), maxsplit=1)[0].upper()
            keep = word not in ("OPTIONAL", "FILTER", "BIND")
        if keep:
            required.append(line)
        depth += line.count("{") - line.count("}")
    return "\n".join(required)


def _core_constraints(
    graph: rdflib.Graph, node: rdflib.term.Node, shape: str, severity: str, target: str, path: str, message: str
) -> list[Constraint]:
    out = []
    cls = graph.value(node, SH["class"])
    if cls is not None:
        values = _each_target(_target_patterns(graph, node), f"?this <{path}> ?value .")
        query = (
            f"SELECT DISTINCT ?this ?value WHERE {{\n{values}\n"
            f"FILTER NOT EXISTS {{ ?value <{_RDF_TYPE}>/<{_SUBCLASS}>* <{cls}> }}\n}}"
        )
        out.append(Constraint(shape, severity, query, message, str(SH.ClassConstraintComponent), path, False))
    for prop, compare in ((SH.minCount, "<"), (SH.maxCount, ">")):
        bound = graph.value(node, prop)
        if bound is not None:
            query = (
                f"SELECT ?this WHERE {{\n  {{ SELECT ?this (COUNT(DISTINCT ?v) AS ?count) WHERE {{\n{target}\n"
                f"OPTIONAL {{ ?this <{path}> ?v }}\n  }} GROUP BY ?this }}\n  FILTER (?count {compare} {int(str(bound))})\n}}"
            )
            out.append(Constraint(shape, severity, query, message, str(_CORE_COMPONENTS[prop]), path, False))
    return out


def run_shapes(graph: rdflib.Graph, engine: Engine) -> list[RawResult]:
    """ecmgraph's engine: each constraint of the (dated) shapes graph as one query on ``engine``."""
    results: list[RawResult] = []
    for constraint in shape_constraints(graph):
        table = engine.select(hinted(constraint.query), source="<validation query>")
        for row in table.rows:
            bindings = {c: t for c, t in zip(table.columns, row) if t is not None}
            focus = bindings.get("this")
            if focus is None:
                raise ShapeError(
                    f"shape {constraint.shape}: a solution of its query does not bind $this",
                    hint="bind $this in every solution of the constraint's required patterns",
                )
            value = bindings.get("value") or (focus if constraint.value_is_focus else None)
            path = bindings.get("path")
            message = fill_message(constraint.message, bindings) if constraint.path is None else constraint.message
            results.append(
                RawResult(
                    focus,
                    constraint.shape,
                    constraint.severity,
                    value,
                    term_value(path) if path is not None else constraint.path,
                    message,
                    constraint.component,
                )
            )
    return results
