"""Validation against the statutory rules: the rules catalogue, as-of dates, both engines and the report model.

The rules live in ``shapes/`` as SHACL shapes (one or more per rule, each carrying its rule id, severity, kind of
finding, sources and message); :class:`Catalogue` reads them, nothing else keeps a copy. A validation
(:func:`validate`) goes:

1. **Date the shapes** (:func:`dated_shapes`): drop the shapes of rules not selected or not yet in force on the
   as-of date, lower the severity of those whose rule applied at a lower level then, and replace ``$asOf`` in every
   ``sh:select`` with the date. Both engines run this same shapes graph.
2. **Prepare the data**: :func:`ecmgraph.normalise.normalise` (the few entailments the shapes rely on), and only if
   asked, RDFS or OWL-RL inference; data from several sources is merged into the default graph (:func:`prepare`).
   A remote endpoint is not changed: it is first checked to hold the ontology and those entailments
   (:func:`ecmgraph.normalise.require_normalised`), and refused with the way to add them if it does not.
3. **Run an engine.** ``ecmgraph`` (:func:`run_shapes`): each constraint as *one* SPARQL query over all its
   focus nodes (the target joined with the constraint's body), on pyoxigraph or on the endpoint. ``pyshacl``
   (:func:`run_pyshacl`): the reference engine, on an rdflib copy of the data.
4. **Assemble the report** (:func:`assemble`), the same for both engines: one finding per focus node, shape and
   value; Core messages filled with labels; each finding placed in its authority; findings about an authority
   that does not exist on the date dropped; ``--only`` applied; a stable order.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Protocol

import pyoxigraph as ox
import rdflib
from rdflib.namespace import DCTERMS, RDF, RDFS, SH

from ecmgraph import resources
from ecmgraph.endpoint import Endpoint
from ecmgraph.errors import EcmgraphError, InputError, UnknownName
from ecmgraph.namespaces import ECM
from ecmgraph.sparql import syntax_error
from ecmgraph.store import Dataset
from ecmgraph.tables import Table, Term

#: Severities from the most to the least severe, by the names reports use.
SEVERITIES = ("Violation", "Warning", "Info")
KINDS = ("breach", "gap")
ENGINES = ("ecmgraph", "pyshacl")
INFERENCE = ("none", "rdfs", "owlrl")
#: Royal Assent of the Children Act 2004: before it there were no children's services authorities to check.
EARLIEST_AS_OF = dt.date(2004, 11, 15)
#: Where ``--inference`` writes the entailments it adds.
INFERRED_GRAPH = "https://w3id.org/ecmgraph/graph/inferred"

_SEVERITY_NAME = {SH.Violation: "Violation", SH.Warning: "Warning", SH.Info: "Info"}
_KIND_NAME = {ECM.Breach: "breach", ECM.Gap: "gap"}
_RULE_ID = re.compile(r"ECM\d{3}")
_AS_OF = re.compile(r"\$asOf\b")
_THIS = re.compile(r"[$?]this\b")
_PLACEHOLDER = re.compile(r"\{[$?](\w+)\}")
_SELECT = re.compile(r"^\s*SELECT\s+(?:DISTINCT\s+)?(?P<vars>.*?)\s*WHERE\s*\{", re.S | re.I)
_XSD_DATE = "http://www.w3.org/2001/XMLSchema#date"
_RDF_TYPE = str(RDF.type)
_SUBCLASS = str(RDFS.subClassOf)
#: The shape predicates ecmgraph's engine understands; any other SHACL predicate on a shape is an error.
_SUPPORTED = {SH.targetClass, SH.targetNode, SH.targetSubjectsOf, SH.targetObjectsOf, SH.sparql, SH.path, SH["class"],
              SH.minCount, SH.maxCount, SH.severity, SH.message, SH.deactivated, SH.name, SH.description}
_CORE_COMPONENTS = {SH["class"]: SH.ClassConstraintComponent, SH.minCount: SH.MinCountConstraintComponent,
                    SH.maxCount: SH.MaxCountConstraintComponent}


class ShapeError(EcmgraphError):
    """A shape uses a SHACL feature ecmgraph's engine does not implement, or is malformed."""


# --------------------------------------------------------------------------------------------------- catalogue


@dataclass(frozen=True)
class ShapeInfo:
    """One shape: which rule it checks, what it reports and how."""

    iri: str
    rule: str
    kind: str  # "breach" or "gap"
    severity: str  # as the shapes file gives it (today's level)
    description: str
    message: str
    sources: tuple[str, ...]
    in_force_from: dt.date | None = None
    severity_before: str | None = None


@dataclass(frozen=True)
class Rule:
    """A rule of RULES.md, as its shapes describe it."""

    id: str
    title: str
    level: str  # the most severe of its shapes' severities
    in_force_from: dt.date | None
    severity_before: str | None
    sources: tuple[str, ...]
    shapes: tuple[ShapeInfo, ...]

    def to_dict(self) -> dict[str, object]:
        """The rule as plain data (``ecmgraph rules --format json``)."""
        return {
            "id": self.id,
            "title": self.title,
            "level": self.level,
            "in_force_from": self.in_force_from.isoformat() if self.in_force_from else None,
            "level_before": self.severity_before,
            "sources": list(self.sources),
            "shapes": [
                {"shape": s.iri, "kind": s.kind, "severity": s.severity, "checks": s.description, "message": s.message}
                for s in self.shapes
            ],
        }


@dataclass(frozen=True)
class Catalogue:
    """Every rule the shapes graph checks, by id, in id order."""

    rules: dict[str, Rule]
    shapes: dict[str, ShapeInfo]

    @classmethod
    def from_graph(cls, graph: rdflib.Graph) -> Catalogue:
        """Read the rules from a shapes graph (raises ShapeError for a shape without id, kind or severity)."""
        shapes: dict[str, ShapeInfo] = {}
        for node in sorted(_shape_nodes(graph), key=str):
            rule = graph.value(node, DCTERMS.identifier)
            kind = graph.value(node, ECM.findingKind)
            severity = graph.value(node, SH.severity)
            if rule is None or kind not in _KIND_NAME or severity not in _SEVERITY_NAME:
                raise ShapeError(f"shape {node} needs dcterms:identifier, ecm:findingKind and sh:severity",
                                 hint="see shapes/README.md")
            in_force = graph.value(node, ECM.inForceFrom)
            before = graph.value(node, ECM.severityBefore)
            shapes[str(node)] = ShapeInfo(
                iri=str(node),
                rule=str(rule),
                kind=_KIND_NAME[kind],
                severity=_SEVERITY_NAME[severity],
                description=str(graph.value(node, RDFS.comment) or ""),
                message=_shape_message(graph, node),
                sources=tuple(sorted((str(s) for s in graph.objects(node, DCTERMS.source)), key=_source_order)),
                in_force_from=in_force.toPython() if isinstance(in_force, rdflib.Literal) else None,
                severity_before=_SEVERITY_NAME.get(before) if before is not None else None,  # type: ignore[arg-type]
            )
        rules: dict[str, Rule] = {}
        for rule_id in sorted({s.rule for s in shapes.values()}):
            own = tuple(s for s in shapes.values() if s.rule == rule_id)
            first = next(iter(graph.objects(rdflib.URIRef(own[0].iri), RDFS.label)), "")
            rules[rule_id] = Rule(
                id=rule_id,
                title=str(first),
                level=min((s.severity for s in own), key=SEVERITIES.index),
                in_force_from=min((s.in_force_from for s in own if s.in_force_from), default=None),
                severity_before=next((s.severity_before for s in own if s.severity_before), None),
                sources=tuple(sorted({src for s in own for src in s.sources}, key=_source_order)),
                shapes=own,
            )
        return cls(rules, shapes)

    def resolve(self, ids: Iterable[str], option: str = "--rule") -> tuple[str, ...]:
        """Rule ids as given (case-insensitive), checked; raise UnknownName with the closest ids for any other."""
        out: list[str] = []
        for given in ids:
            rule_id = given.strip().upper()
            if rule_id not in self.rules:
                close = difflib.get_close_matches(rule_id, list(self.rules), n=3, cutoff=0.5)
                hint = f"did you mean {', '.join(close)}?" if close else "ecmgraph rules lists them"
                raise UnknownName(f"{option}: unknown rule {given!r}", hint=hint + " (rules are ECM001 to "
                                  f"{max(self.rules)})")
            if rule_id not in out:
                out.append(rule_id)
        return tuple(out)

    def select(self, rules: Sequence[str] = (), ignore: Sequence[str] = ()) -> tuple[str, ...]:
        """The rule ids to check: ``rules`` (all if none), less ``ignore``; raise UnknownName for unknown ids."""
        chosen = self.resolve(rules, "--rule") if rules else tuple(self.rules)
        ignored = set(self.resolve(ignore, "--ignore"))
        return tuple(r for r in sorted(chosen) if r not in ignored)


def _source_order(iri: str) -> tuple[int, str]:
    """Legislation first, then seed paragraphs, each in a natural order (s18/2 before s18/10)."""
    key = re.sub(r"\d+", lambda m: m.group().zfill(6), iri)
    return (0 if "legislation.gov.uk" in iri else 1, key)


def _shape_nodes(graph: rdflib.Graph) -> set[rdflib.term.Node]:
    return {n for cls in (SH.NodeShape, SH.PropertyShape) for n in graph.subjects(RDF.type, cls)
            if graph.value(n, DCTERMS.identifier) is not None}


def _shape_message(graph: rdflib.Graph, node: rdflib.term.Node) -> str:
    message = graph.value(node, SH.message)
    if message is None:
        for constraint in graph.objects(node, SH.sparql):
            message = graph.value(constraint, SH.message) or message
    return str(message or "")


def shapes_files(folder: Path | None = None) -> list[Path]:
    """The Turtle files of the packaged shapes (or of ``folder``)."""
    return [p for p in resources.rdf_files(folder or resources.shapes_dir()) if p.suffix == ".ttl"]


@lru_cache(maxsize=4)
def _parse_shapes(paths: tuple[Path, ...]) -> rdflib.Graph:
    graph = rdflib.Graph()
    for path in paths:
        graph.parse(path, format="turtle")
    return graph


def load_shapes(folder: Path | None = None) -> rdflib.Graph:
    """The shapes graph: every Turtle file of the packaged ``shapes/`` folder (or of ``folder``). Do not modify it."""
    return _parse_shapes(tuple(shapes_files(folder)))


def load_catalogue(folder: Path | None = None) -> Catalogue:
    """The rules catalogue of the packaged shapes (or of ``folder``)."""
    return Catalogue.from_graph(load_shapes(folder))


# ------------------------------------------------------------------------------------------------------ dating


def check_as_of(as_of: dt.date) -> None:
    """Raise InputError for a date before the Children Act 2004 received Royal Assent."""
    if as_of < EARLIEST_AS_OF:
        raise InputError(f"--as-of {as_of.isoformat()} is before {EARLIEST_AS_OF.isoformat()}, when the Children Act "
                         "2004 received Royal Assent: there were no children's services authorities to check",
                         hint=f"give a date on or after {EARLIEST_AS_OF.isoformat()}")


def date_literal(as_of: dt.date) -> str:
    """The as-of date as a SPARQL typed literal, as it replaces ``$asOf`` in the shapes' queries."""
    return f'"{as_of.isoformat()}"^^<{_XSD_DATE}>'


def dated_shapes(graph: rdflib.Graph, catalogue: Catalogue, as_of: dt.date, rules: Sequence[str]) -> rdflib.Graph:
    """A copy of the shapes graph for validating as at ``as_of`` with ``rules`` only.

    Shapes of other rules, and of rules not yet in force with no earlier level, get ``sh:deactivated true``; a rule
    in force later at a lower level now gets that severity; ``$asOf`` in every ``sh:select`` becomes the date.
    """
    check_as_of(as_of)
    dated = rdflib.Graph()
    for prefix, namespace in graph.namespaces():
        dated.bind(prefix, namespace, override=True)
    for triple in graph:
        dated.add(triple)
    chosen = set(rules)
    for info in catalogue.shapes.values():
        node = rdflib.URIRef(info.iri)
        early = info.in_force_from is not None and as_of < info.in_force_from
        if info.rule not in chosen or (early and info.severity_before is None):
            dated.set((node, SH.deactivated, rdflib.Literal(True)))
        elif early:
            dated.set((node, SH.severity, SH[info.severity_before]))  # type: ignore[index]
    literal = date_literal(as_of)
    for constraint, select in list(dated.subject_objects(SH.select)):
        dated.set((constraint, SH.select, rdflib.Literal(_AS_OF.sub(literal, str(select)))))
    return dated


# ---------------------------------------------------------------------------------------------- both engines


@dataclass(frozen=True)
class RawResult:
    """One validation result as an engine reports it, before the report is assembled."""

    focus: Term
    shape: str
    severity: str
    value: Term | None
    path: str | None
    message: str
    component: str  # the SHACL constraint component that found it


class Runner(Protocol):
    """Where queries run: the local store or a remote endpoint."""

    def select(self, text: str) -> Table:
        """Run a SELECT query and return its table."""
        ...


@dataclass(frozen=True)
class LocalRunner:
    """Queries on a dataset :func:`prepare` made ready: over the merge of its graphs, each triple once.

    The merge is the default graph when :func:`prepare` wrote one there (data from several sources), otherwise the
    union of the named graphs, which is then the same set of triples.
    """

    dataset: Dataset
    union: bool = field(init=False)

    def __post_init__(self) -> None:
        merged = next(iter(self.dataset.store.quads_for_pattern(None, None, None, ox.DefaultGraph())), None)
        object.__setattr__(self, "union", merged is None)

    def select(self, text: str) -> Table:
        """Run a SELECT query on the merge of the dataset's graphs."""
        try:
            result = self.dataset.store.query(text, use_default_graph_as_union=self.union)
        except SyntaxError as exc:
            raise syntax_error(exc, "<validation query>") from exc
        assert isinstance(result, ox.QuerySolutions), "not a SELECT query"
        return Table.from_solutions(result)


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
    for node in sorted(_shape_nodes(graph), key=str):
        if graph.value(node, SH.deactivated) == rdflib.Literal(True):
            continue
        name = str(node)
        unsupported = sorted(str(p) for p in set(graph.predicates(node)) if str(p).startswith(str(SH))
                             and p not in _SUPPORTED)
        if unsupported:
            raise ShapeError(f"shape {name} uses {', '.join(unsupported)}, which ecmgraph's engine does not implement",
                             hint="use SHACL-SPARQL (sh:sparql) or one of sh:class, sh:minCount, sh:maxCount")
        severity = _SEVERITY_NAME.get(graph.value(node, SH.severity), "Violation")  # type: ignore[arg-type]
        target = _target_pattern(graph, node)
        by_triples = graph.value(node, SH.targetClass) is None and graph.value(node, SH.targetNode) is None
        is_property = (node, RDF.type, SH.PropertyShape) in graph
        path = graph.value(node, SH.path)
        for sparql in sorted(graph.objects(node, SH.sparql), key=lambda c: str(graph.value(c, SH.select))):
            constraints.append(_sparql_constraint(graph, name, severity, target, sparql, is_property, by_triples))
        if any(graph.value(node, p) is not None for p in _CORE_COMPONENTS):
            if not isinstance(path, rdflib.URIRef):
                raise ShapeError(f"shape {name}: ecmgraph's engine supports Core constraints only on a property shape "
                                 "whose sh:path is one IRI")
            message = str(graph.value(node, SH.message) or "")
            constraints.extend(_core_constraints(graph, node, name, severity, target, str(path), message))
    return constraints


def _target_patterns(graph: rdflib.Graph, node: rdflib.term.Node) -> list[str]:
    """One pattern binding ?this per target of the shape."""
    patterns = [f"?this <{_RDF_TYPE}>/<{_SUBCLASS}>* <{c}> ." for c in sorted(graph.objects(node, SH.targetClass))]
    patterns += [f"?this <{p}> ?ecmgraphTargetObject ." for p in sorted(graph.objects(node, SH.targetSubjectsOf))]
    patterns += [f"?ecmgraphTargetSubject <{p}> ?this ." for p in sorted(graph.objects(node, SH.targetObjectsOf))]
    nodes = sorted(graph.objects(node, SH.targetNode))
    if nodes:
        patterns.append("VALUES ?this { " + " ".join(f"<{n}>" for n in nodes) + " }")
    if not patterns:
        raise ShapeError(f"shape {node} has no target (sh:targetClass, sh:targetNode, sh:targetSubjectsOf or "
                         "sh:targetObjectsOf)", hint="ecmgraph only runs shapes with their own targets")
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


def _sparql_constraint(graph: rdflib.Graph, shape: str, severity: str, target: str, node: rdflib.term.Node,
                       is_property: bool, target_is_test: bool) -> Constraint:
    text = str(graph.value(node, SH.select) or "")
    match = _SELECT.match(text)
    end = text.rstrip().rfind("}")
    if match is None or end < match.end() or text.rstrip()[end + 1:].strip():
        raise ShapeError(f"shape {shape}: ecmgraph runs sh:select queries of the form SELECT vars WHERE {{ … }} with "
                         "nothing after the WHERE clause")
    variables = match.group("vars").split()
    if not all(re.fullmatch(r"[$?]\w+", v) for v in variables):
        raise ShapeError(f"shape {shape}: sh:select must project plain variables, not expressions")
    names = [v[1:] for v in variables if v[1:] != "this"]
    body = _THIS.sub("?this", text[match.end():end])
    if "$" in body:
        raise ShapeError(f"shape {shape}: its sh:select still holds a $variable after dating (only $this and $asOf "
                         "are known)")
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
    return Constraint(shape, severity, query, message, str(SH.SPARQLConstraintComponent),
                      value_is_focus=not is_property)


#: A constraint body whose first pattern is a class chain: ``?x a/rdfs:subClassOf* C`` (or ``rdf:type/…``).
_STARTS_FROM_CLASS = re.compile(r"\s*\?\w+\s+(?:a|rdf:type|<http://www\.w3\.org/1999/02/22-rdf-syntax-ns#type>)/"
                                r"(?:rdfs:subClassOf|<http://www\.w3\.org/2000/01/rdf-schema#subClassOf>)\*\s")


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


def _core_constraints(graph: rdflib.Graph, node: rdflib.term.Node, shape: str, severity: str, target: str,
                      path: str, message: str) -> list[Constraint]:
    out = []
    cls = graph.value(node, SH["class"])
    if cls is not None:
        values = _each_target(_target_patterns(graph, node), f"?this <{path}> ?value .")
        query = (f"SELECT DISTINCT ?this ?value WHERE {{\n{values}\n"
                 f"FILTER NOT EXISTS {{ ?value <{_RDF_TYPE}>/<{_SUBCLASS}>* <{cls}> }}\n}}")
        out.append(Constraint(shape, severity, query, message, str(SH.ClassConstraintComponent), path, False))
    for prop, compare in ((SH.minCount, "<"), (SH.maxCount, ">")):
        bound = graph.value(node, prop)
        if bound is not None:
            query = (f"SELECT ?this WHERE {{\n  {{ SELECT ?this (COUNT(DISTINCT ?v) AS ?count) WHERE {{\n{target}\n"
                     f"OPTIONAL {{ ?this <{path}> ?v }}\n  }} GROUP BY ?this }}\n  FILTER (?count {compare} {int(bound)})\n}}")
            out.append(Constraint(shape, severity, query, message, str(_CORE_COMPONENTS[prop]), path, False))
    return out


def _text(term: Term) -> str:
    """A term as pySHACL writes it into a message: an IRI or blank node id, or a literal's lexical form."""
    return term.value if isinstance(term, (ox.NamedNode, ox.BlankNode, ox.Literal)) else str(term)


def fill_message(template: str, bindings: dict[str, Term]) -> str:
    """``{?var}``/``{$var}`` in a message replaced by the bound values; unbound ones are left as they are."""
    return _PLACEHOLDER.sub(lambda m: _text(bindings[m[1]]) if m[1] in bindings else m[0], template)


def run_shapes(graph: rdflib.Graph, runner: Runner) -> list[RawResult]:
    """ecmgraph's engine: each constraint of the (dated) shapes graph as one query through ``runner``."""
    results: list[RawResult] = []
    for constraint in shape_constraints(graph):
        table = runner.select(constraint.query)
        for row in table.rows:
            bindings = {c: t for c, t in zip(table.columns, row) if t is not None}
            focus = bindings.get("this")
            if focus is None:
                raise ShapeError(f"shape {constraint.shape}: a solution of its query does not bind $this",
                                 hint="bind $this in every solution of the constraint's required patterns")
            value = bindings.get("value") or (focus if constraint.value_is_focus else None)
            path = bindings.get("path")
            message = fill_message(constraint.message, bindings) if constraint.path is None else constraint.message
            results.append(RawResult(focus, constraint.shape, constraint.severity, value,
                                     _text(path) if path is not None else constraint.path, message,
                                     constraint.component))
    return results


class _PreparedQueryGraph(rdflib.Graph):
    """An rdflib graph that parses each distinct query text once.

    pySHACL sends a constraint's query text once per focus node, and rdflib parses it every time (most of
    pySHACL's run time on national data); parsing once changes nothing else: the query and its pre-bound $this
    are evaluated by rdflib exactly as before.
    """

    def query(self, query_object, processor="sparql", result="sparql", initNs=None,  # type: ignore[no-untyped-def,override]  # noqa: N803
              initBindings=None, use_store_provided=True, **kwargs):  # noqa: N803
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

    from ecmgraph.inference import to_ox

    data = _PreparedQueryGraph(store=data.store, identifier=data.identifier)
    _, report, text = pyshacl.validate(data, shacl_graph=graph, advanced=False, inference="none",
                                       allow_warnings=True, abort_on_first=False, meta_shacl=False)
    if not isinstance(report, rdflib.Graph):
        raise ShapeError(f"pySHACL could not run the shapes: {text or report}")
    results = []
    for node in report.subjects(RDF.type, SH.ValidationResult):
        focus, value, path = (report.value(node, p) for p in (SH.focusNode, SH.value, SH.resultPath))
        messages = sorted(str(m) for m in report.objects(node, SH.resultMessage))
        results.append(RawResult(
            focus=to_ox(focus),  # type: ignore[arg-type]
            shape=str(report.value(node, SH.sourceShape)),
            severity=_SEVERITY_NAME[report.value(node, SH.resultSeverity)],  # type: ignore[index]
            value=to_ox(value) if value is not None else None,
            path=str(path) if path is not None else None,
            message=messages[0] if messages else "",
            component=str(report.value(node, SH.sourceConstraintComponent)),
        ))
    return results


# ------------------------------------------------------------------------------------------- the report model


@dataclass(frozen=True)
class AuthorityInfo:
    """An authority a report names: label, GSS code, the days it existed, and whether it has data of its own."""

    iri: str
    label: str
    code: str | None
    detailed: bool  # posts or bodies of its own are recorded (not reference data only)
    start: dt.date | None = None
    end: dt.date | None = None

    def exists_on(self, day: dt.date) -> bool:
        """Whether the authority existed on ``day`` (start and end inclusive, absent = open)."""
        return (self.start is None or self.start <= day) and (self.end is None or self.end >= day)

    @property
    def title(self) -> str:
        """"Staffordshire (E10000028)", or the label alone."""
        return f"{self.label} ({self.code})" if self.code else self.label


@dataclass(frozen=True)
class Finding:
    """One validation result, with its rule, kind and the authority it concerns."""

    rule: str
    severity: str
    kind: str
    focus: Term
    shape: str
    value: Term | None
    path: str | None
    message: str
    sources: tuple[str, ...]
    component: str
    authority: str | None = None
    focus_label: str | None = None

    def key(self) -> tuple[str, str, str, str]:
        """(focus node, rule id, severity, kind): what both engines must agree on."""
        return (_text(self.focus), self.rule, self.severity, self.kind)


@dataclass(frozen=True)
class ValidationReport:
    """The findings of one validation, and what was validated how."""

    as_of: dt.date
    engine: str
    inference: str
    rules: tuple[str, ...]
    only: str | None
    findings: tuple[Finding, ...]
    authorities: dict[str, AuthorityInfo] = field(default_factory=dict)
    source: str = "packaged data"

    @property
    def conforms(self) -> bool:
        """True when no finding is reported (SHACL's sh:conforms)."""
        return not self.findings

    def counts(self) -> dict[str, dict[str, int]]:
        """Number of findings by severity, then by kind."""
        out = {s: {k: 0 for k in KINDS} for s in SEVERITIES}
        for f in self.findings:
            out[f.severity][f.kind] += 1
        return out

    def fails(self, level: str) -> bool:
        """Whether any finding is at or above ``level`` (violation, warning, info; none never fails)."""
        if level == "none":
            return False
        threshold = SEVERITIES.index(level.capitalize())
        return any(SEVERITIES.index(f.severity) <= threshold for f in self.findings)


# ------------------------------------------------------------------------------------------------ assembling

_CONTEXT = """PREFIX ecm: <https://w3id.org/ecmgraph/def#>
PREFIX org: <http://www.w3.org/ns/org#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX foaf: <http://xmlns.com/foaf/0.1/>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
SELECT ?n ?label ?rank ?a WHERE {
  VALUES ?n { %(nodes)s }
  OPTIONAL { ?n rdfs:label ?l1 } OPTIONAL { ?n foaf:name ?l2 } OPTIONAL { ?n skos:prefLabel ?l3 }
  BIND (COALESCE(STR(?l1), STR(?l2), STR(?l3)) AS ?label)
  OPTIONAL {
    # The nodes again in each branch: an engine may evaluate this group on its own before joining it (pyoxigraph
    # 0.5 does, for an OPTIONAL of more than one pattern), and then it reads only theirs, not all of England's.
    { VALUES ?n { %(nodes)s } ?n a/rdfs:subClassOf* ecm:Authority . BIND (?n AS ?a) BIND (0 AS ?rank) }
    UNION { VALUES ?n { %(nodes)s } ?n org:postIn ?a . ?a a/rdfs:subClassOf* ecm:Authority . BIND (1 AS ?rank) }
    UNION { VALUES ?n { %(nodes)s }
            ?n org:postIn?/org:subOrganizationOf*/(ecm:bodyOf|^ecm:cooperationArrangements) ?a . BIND (2 AS ?rank) }
    UNION { VALUES ?n { %(nodes)s }
            ?t ecm:holder ?n ; ecm:post ?p . ?p org:postIn ?a . ?a a/rdfs:subClassOf* ecm:Authority . BIND (3 AS ?rank) }
  }
}
"""

_AUTHORITIES = """PREFIX ecm: <https://w3id.org/ecmgraph/def#>
PREFIX org: <http://www.w3.org/ns/org#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX dcterms: <http://purl.org/dc/terms/>
SELECT ?a ?label ?code ?start ?end ?detailed WHERE {
  VALUES ?a { %s }
  OPTIONAL { ?a rdfs:label ?label } OPTIONAL { ?a dcterms:identifier ?code }
  OPTIONAL { ?a ecm:startDate ?start } OPTIONAL { ?a ecm:endDate ?end }
  BIND (EXISTS { { ?d org:postIn ?a } UNION { ?d ecm:bodyOf ?a } } AS ?detailed)
}
"""

_DETAILED = """PREFIX ecm: <https://w3id.org/ecmgraph/def#>
PREFIX org: <http://www.w3.org/ns/org#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT DISTINCT ?a WHERE { { ?d org:postIn ?a } UNION { ?d ecm:bodyOf ?a } ?a a/rdfs:subClassOf* ecm:Authority }
"""

_BATCH = 400


def _batches(nodes: Sequence[ox.NamedNode]) -> Iterable[str]:
    for i in range(0, len(nodes), _BATCH):
        yield " ".join(str(n) for n in nodes[i:i + _BATCH])


def _min_text(values: Iterable[str | None]) -> str | None:
    present = [v for v in values if v]
    return min(present) if present else None


def _date(term: Term | None) -> dt.date | None:
    if isinstance(term, ox.Literal) and term.datatype.value == _XSD_DATE:
        try:
            return dt.date.fromisoformat(term.value)
        except ValueError:
            return None
    return None


_ONLY = {"breaches": "breach", "gaps": "gap"}


def assemble(raw: Sequence[RawResult], catalogue: Catalogue, runner: Runner, *, as_of: dt.date, engine: str,
             inference: str, rules: Sequence[str], only: str | None, source: str) -> ValidationReport:
    """Turn an engine's results into the report: the same steps whatever the engine (see the module docstring)."""
    unique: dict[tuple[str, str, str, str | None], RawResult] = {}
    for r in raw:
        key = (_text(r.focus), r.shape, _text(r.value) if r.value is not None else "", r.path)
        if key not in unique or r.message < unique[key].message:
            unique[key] = r
    nodes = sorted({n for r in unique.values() for n in (r.focus, r.value) if isinstance(n, ox.NamedNode)},
                   key=lambda n: n.value)
    labels, homes = _context(runner, nodes)
    detailed = {_text(row[0]) for row in runner.select(_DETAILED).rows if row[0] is not None}
    authorities = _authority_info(runner, sorted({a for _, a in homes.values()} | detailed))
    findings = []
    for r in unique.values():
        info = catalogue.shapes.get(r.shape)
        if info is None:
            raise ShapeError(f"a result names shape {r.shape}, which is not in the catalogue")
        focus = _text(r.focus)
        value = _text(r.value) if r.value is not None else None
        home = homes.get(focus)
        if home is not None and home[0] <= 2 and not authorities[home[1]].exists_on(as_of):
            continue  # about an authority (or its post or body) that does not exist on the date
        authority = home[1] if home else (homes[value][1] if value in homes else None)
        message = r.message
        if _PLACEHOLDER.search(message):  # a Core constraint's message: {$this} and {?value} become labels
            names = {"this": labels.get(focus, focus), "value": labels.get(value, value) if value else ""}
            message = _PLACEHOLDER.sub(lambda m: names.get(m[1], m[0]), message)
        findings.append(Finding(info.rule, r.severity, info.kind, r.focus, r.shape, r.value, r.path, message,
                                info.sources, r.component, authority, labels.get(focus)))
    if only is not None:
        findings = [f for f in findings if f.kind == _ONLY[only]]
    named = {f.authority for f in findings} | {a for a in detailed if authorities[a].exists_on(as_of)}
    kept = {iri: info for iri, info in authorities.items() if iri in named}
    findings.sort(key=lambda f: _finding_order(f, kept))
    return ValidationReport(as_of, engine, inference, tuple(rules), only, tuple(findings), kept, source)


def _context(runner: Runner, nodes: Sequence[ox.NamedNode]) -> tuple[dict[str, str], dict[str, tuple[int, str]]]:
    """Each node's label, and its authority: (how directly, authority IRI), the most direct and first by IRI."""
    labels: dict[str, str] = {}
    homes: dict[str, tuple[int, str]] = {}
    for values in _batches(nodes):
        table = runner.select(_CONTEXT % {"nodes": values})
        for n, label, rank, authority in table.rows:
            iri = _text(n)  # type: ignore[arg-type]
            if label is not None and (iri not in labels or _text(label) < labels[iri]):
                labels[iri] = _text(label)
            if authority is not None and rank is not None:
                candidate = (int(_text(rank)), _text(authority))
                homes[iri] = min(homes.get(iri, candidate), candidate)
    return labels, homes


def _authority_info(runner: Runner, iris: Sequence[str]) -> dict[str, AuthorityInfo]:
    """Label, code, dates and whether it has data of its own, for each authority (first label and code by order)."""
    seen: dict[str, list[Term | None]] = {}
    labels: dict[str, set[str]] = {}
    codes: dict[str, set[str]] = {}
    for values in _batches([ox.NamedNode(i) for i in iris]):
        table = runner.select(_AUTHORITIES % values)
        for a, label, code, start, end, detailed in table.rows:
            iri = _text(a)  # type: ignore[arg-type]
            entry = seen.setdefault(iri, [None, None, None])
            labels.setdefault(iri, set()).update([_text(label)] if label is not None else [])
            codes.setdefault(iri, set()).update([_text(code)] if code is not None else [])
            entry[0] = entry[0] or start
            entry[1] = entry[1] or end
            entry[2] = entry[2] or (detailed if detailed is not None and _text(detailed) == "true" else None)
    return {
        iri: AuthorityInfo(iri, _min_text(labels[iri]) or iri, _min_text(codes[iri]), e[2] is not None,
                           _date(e[0]), _date(e[1]))
        for iri, e in seen.items()
    }


def _finding_order(f: Finding, authorities: dict[str, AuthorityInfo]) -> tuple[object, ...]:
    auth = authorities.get(f.authority or "")
    return (auth is None, auth.label if auth else "", f.authority or "", f.rule, SEVERITIES.index(f.severity),
            KINDS.index(f.kind), _text(f.focus), _text(f.value) if f.value is not None else "", f.shape, f.message)


# ------------------------------------------------------------------------------------------------- validate


def validate(source: Dataset | Endpoint, *, as_of: dt.date, rules: Sequence[str] = (), ignore: Sequence[str] = (),
             engine: str = "ecmgraph", inference: str = "none", only: str | None = None,
             catalogue: Catalogue | None = None, shapes: rdflib.Graph | None = None) -> ValidationReport:
    """Validate a loaded dataset, or the data of a remote endpoint, as at ``as_of``; return the report.

    Raises InputError for a date before 2004-11-15, inference asked of an endpoint, or an endpoint that lacks the
    ontology or the links :mod:`ecmgraph.normalise` adds locally (its results would be wrong), UnknownName for an
    unknown rule id, EndpointError when the endpoint fails, ShapeError for a shape the engine cannot run.
    """
    check_as_of(as_of)
    if engine not in ENGINES:
        raise InputError(f"unknown engine {engine!r}", hint=f"use one of {', '.join(ENGINES)}")
    if inference not in INFERENCE:
        raise InputError(f"unknown inference {inference!r}", hint=f"use one of {', '.join(INFERENCE)}")
    if only is not None and only not in _ONLY:
        raise InputError(f"unknown finding kind {only!r}", hint="use breaches or gaps")
    shapes = shapes if shapes is not None else load_shapes()
    catalogue = catalogue or Catalogue.from_graph(shapes)
    chosen = catalogue.select(rules, ignore)
    dated = dated_shapes(shapes, catalogue, as_of, chosen)
    runner: Runner
    if isinstance(source, Endpoint):
        if inference != "none":
            raise InputError("--inference runs on data ecmgraph loads itself, not on a remote endpoint",
                             hint="run the inference where the data lives, or leave out --inference")
        from ecmgraph.normalise import require_normalised

        require_normalised(source)  # ecmgraph never writes to an endpoint: its data must be normalised already
        runner, label = source, source.url
    else:
        source = prepare(source, inference)
        runner, label = LocalRunner(source), _describe(source)
    if engine == "ecmgraph":
        raw = run_shapes(dated, runner)
    else:
        raw = run_pyshacl(_rdflib_data(source), dated)
    return assemble(raw, catalogue, runner, as_of=as_of, engine=engine, inference=inference, rules=chosen,
                    only=only, source=label)


_MERGE = "INSERT { ?s ?p ?o } WHERE { GRAPH ?g { ?s ?p ?o } }"


def prepare(dataset: Dataset, inference: str = "none") -> Dataset:
    """The dataset ready to validate: inference if asked, :func:`ecmgraph.normalise.normalise`, then, when the data
    came from more than one source, the merge of all its graphs written into its default graph, which the
    validation queries then read (:class:`LocalRunner`).

    Why the merge: pyoxigraph's union of named graphs is a multiset (a triple stated in five graphs matches five
    times), so joins over seed data with one graph per paragraph, or over fixtures that repeat each other's
    triples, multiply. Data from one source (a national N-Triples file, say) needs no merge: its graph, the
    ontology's and the normalisation's share no triple, so their union is already a set, and not copying it
    halves the memory validation takes. A read-only store (``--store DIR``) is copied into memory first: nothing
    ecmgraph reads is modified. An in-memory dataset is extended in place.
    """
    from ecmgraph.normalise import normalise

    try:
        dataset.store.extend([])  # cheap probe: raises on a read-only store
        writable = dataset
    except (OSError, RuntimeError):  # pyoxigraph: "Transaction are only possible on read-write instances"
        copy = ox.Store()
        copy.bulk_extend(dataset.store)
        writable = Dataset(store=copy, sources=list(dataset.sources))
    if inference != "none":
        from ecmgraph.inference import with_entailments

        with_entailments(writable, inference, INFERRED_GRAPH)
    normalise(writable)
    if len(_data_graphs(writable)) > 1:
        writable.store.update(_MERGE)
    return writable


def _data_graphs(dataset: Dataset) -> set[str]:
    """The named graphs of the data itself: not the ontology's, the provenance's, or those ecmgraph entails."""
    from ecmgraph.store import ENTAILED_GRAPH, ONTOLOGY_GRAPH, PROVENANCE_GRAPH

    ours = {ONTOLOGY_GRAPH, PROVENANCE_GRAPH, ENTAILED_GRAPH, INFERRED_GRAPH}
    return {g.value for g in dataset.store.named_graphs()} - ours


def _describe(dataset: Dataset) -> str:
    from ecmgraph.store import default_paths, source_iri

    packaged = {source_iri(p) for p in default_paths()}
    own = [s for s in dataset.sources if s.iri != "https://w3id.org/ecmgraph/def"]
    if own and {s.iri for s in own} == packaged:
        return "packaged data"
    return ", ".join(s.label for s in own) or "no data"


def _rdflib_data(source: Dataset | Endpoint) -> rdflib.Graph:
    """The data as one rdflib graph, for pySHACL: the local union (less provenance), or the endpoint's triples."""
    from ecmgraph.inference import to_rdflib

    if isinstance(source, Dataset):
        return to_rdflib(source)
    result = source.query("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }")
    graph = rdflib.Graph()
    triples = getattr(result, "triples", ())
    if triples:
        graph.parse(data=ox.serialize(sorted(triples, key=str), format=ox.RdfFormat.N_TRIPLES), format="nt")
    return graph
