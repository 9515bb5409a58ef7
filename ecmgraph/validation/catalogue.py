"""The rules catalogue, read from the shapes, and the shapes dated for an as-of day."""

from __future__ import annotations

import datetime as dt
import difflib
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import rdflib
from rdflib.namespace import DCTERMS, RDF, RDFS, SH

from ecmgraph import resources
from ecmgraph.errors import EcmgraphError, InputError, UnknownName
from ecmgraph.namespaces import ECM, XSD
from ecmgraph.results import Term, term_value

#: Severities from the most to the least severe, by the names reports use.
SEVERITIES = ("Violation", "Warning", "Info")
KINDS = ("breach", "gap")
ENGINES = ("ecmgraph", "pyshacl")
INFERENCE = ("none", "rdfs", "owlrl")
#: Royal Assent of the Children Act 2004: before it there were no children's services authorities to check.
EARLIEST_AS_OF = dt.date(2004, 11, 15)

#: SHACL severities by the names reports use.
SEVERITY_NAME: dict[rdflib.term.Node, str] = {SH.Violation: "Violation", SH.Warning: "Warning", SH.Info: "Info"}
_KIND_NAME: dict[rdflib.term.Node, str] = {ECM.Breach: "breach", ECM.Gap: "gap"}
_RULE_ID = re.compile(r"ECM\d{3}")
_AS_OF = re.compile(r"\$asOf\b")
#: A value placeholder in a message: ``{?var}`` or ``{$var}``.
PLACEHOLDER = re.compile(r"\{[$?](\w+)\}")
#: The as-of date in a message: the date is written there, as in the queries, before any engine runs.
AS_OF_PLACEHOLDER = "{$asOf}"
_XSD_DATE = str(XSD.date)


class ShapeError(EcmgraphError):
    """A shape uses a SHACL feature ecmgraph's engine does not implement, or is malformed."""


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
    fix: str = ""  # what to add or change to resolve the finding (the end of its message)
    statute: tuple[str, ...] = ()  # the legislation.gov.uk provisions its finding cites


@dataclass(frozen=True)
class Rule:
    """A rule (ECM001…ECM027, docs/rules.md), as its shapes describe it."""

    id: str
    title: str
    level: str  # the most severe of its shapes' severities
    in_force_from: dt.date | None
    severity_before: str | None
    sources: tuple[str, ...]
    shapes: tuple[ShapeInfo, ...]
    statute: tuple[str, ...] = ()  # the provisions its findings cite

    def to_dict(self) -> dict[str, object]:
        """The rule as plain data (``ecmgraph rules --format json``)."""
        return {
            "id": self.id,
            "title": self.title,
            "level": self.level,
            "in_force_from": self.in_force_from.isoformat() if self.in_force_from else None,
            "level_before": self.severity_before,
            "sources": list(self.sources),
            "statute": list(self.statute),
            "shapes": [
                {
                    "shape": s.iri,
                    "kind": s.kind,
                    "severity": s.severity,
                    "checks": s.description,
                    "message": s.message,
                    "fix": s.fix,
                }
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
        for node in sorted(shape_nodes(graph), key=str):
            rule = graph.value(node, DCTERMS.identifier)
            kind = graph.value(node, ECM.findingKind)
            severity = graph.value(node, SH.severity)
            if (
                rule is None
                or kind is None
                or severity is None
                or kind not in _KIND_NAME
                or severity not in SEVERITY_NAME
            ):
                raise ShapeError(
                    f"shape {node} needs dcterms:identifier, ecm:findingKind and sh:severity",
                    hint="see shapes/README.md",
                )
            in_force = graph.value(node, ECM.inForceFrom)
            before = graph.value(node, ECM.severityBefore)
            shapes[str(node)] = ShapeInfo(
                iri=str(node),
                rule=str(rule),
                kind=_KIND_NAME[kind],
                severity=SEVERITY_NAME[severity],
                description=str(graph.value(node, RDFS.comment) or ""),
                message=_shape_message(graph, node),
                sources=tuple(sorted((str(s) for s in graph.objects(node, DCTERMS.source)), key=_source_order)),
                in_force_from=in_force.toPython() if isinstance(in_force, rdflib.Literal) else None,
                severity_before=SEVERITY_NAME.get(before) if before is not None else None,
                fix=str(graph.value(node, ECM.fix) or ""),
                statute=tuple(sorted((str(s) for s in graph.objects(node, ECM.statutoryBasis)), key=_source_order)),
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
                statute=tuple(sorted({i for s in own for i in s.statute}, key=_source_order)),
            )
        return cls(rules, shapes)

    def resolve(self, ids: Iterable[str], option: str = "--rule") -> tuple[str, ...]:
        """Rule ids as given (case-insensitive; ``1``, ``01`` and ``ecm001`` are ECM001), checked; raise UnknownName
        with the closest ids for any other."""
        out: list[str] = []
        for given in ids:
            rule_id = rule_id_of(given)
            if rule_id not in self.rules:
                close = difflib.get_close_matches(rule_id, list(self.rules), n=3, cutoff=0.5)
                hint = f"did you mean {', '.join(close)}?" if close else "ecmgraph rules lists them"
                raise UnknownName(
                    f"{option}: unknown rule {given!r}", hint=hint + f" (rules are ECM001 to {max(self.rules)})"
                )
            if rule_id not in out:
                out.append(rule_id)
        return tuple(out)

    def select(self, rules: Sequence[str] = (), ignore: Sequence[str] = ()) -> tuple[str, ...]:
        """The rule ids to check: ``rules`` (all if none), less ``ignore``; raise UnknownName for unknown ids."""
        chosen = self.resolve(rules, "--rule") if rules else tuple(self.rules)
        ignored = set(self.resolve(ignore, "--ignore"))
        return tuple(r for r in sorted(chosen) if r not in ignored)


def rule_id_of(given: str) -> str:
    """A rule id as people type it, in its canonical form: ``ecm001``, ``1`` and ``01`` are ``ECM001``."""
    text = given.strip().upper()
    if text.isdigit() and len(text) <= 3:
        return f"ECM{int(text):03d}"
    return text


def _source_order(iri: str) -> tuple[int, str]:
    """Legislation first, then seed paragraphs, each in a natural order (s18/2 before s18/10)."""
    key = re.sub(r"\d+", lambda m: m.group().zfill(6), iri)
    return (0 if "legislation.gov.uk" in iri else 1, key)


def shape_nodes(graph: rdflib.Graph) -> set[rdflib.term.Node]:
    return {
        n
        for cls in (SH.NodeShape, SH.PropertyShape)
        for n in graph.subjects(RDF.type, cls)
        if graph.value(n, DCTERMS.identifier) is not None
    }


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
        raise InputError(
            f"--as-of {as_of.isoformat()} is before {EARLIEST_AS_OF.isoformat()}, when the Children Act "
            "2004 received Royal Assent: there were no children's services authorities to check",
            hint=f"give a date on or after {EARLIEST_AS_OF.isoformat()}",
        )


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
            dated.set((node, SH.severity, SH[info.severity_before]))
    literal = date_literal(as_of)
    for constraint, select in list(dated.subject_objects(SH.select)):
        dated.set((constraint, SH.select, rdflib.Literal(_AS_OF.sub(literal, str(select)))))
    for holder, message in list(dated.subject_objects(SH.message)):
        if isinstance(message, rdflib.Literal) and AS_OF_PLACEHOLDER in message:
            dated_message = rdflib.Literal(
                str(message).replace(AS_OF_PLACEHOLDER, as_of.isoformat()), lang=message.language
            )
            dated.set((holder, SH.message, dated_message))
    return dated


def fill_message(template: str, bindings: dict[str, Term]) -> str:
    """``{?var}``/``{$var}`` in a message replaced by the bound values; unbound ones are left as they are."""
    return PLACEHOLDER.sub(lambda m: term_value(bindings[m[1]]) if m[1] in bindings else m[0], template)
