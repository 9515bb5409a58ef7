#!/usr/bin/env python3
"""Build ``shapes/ecm-rules.ttl`` from its source in ``shapes/src/``: each rule written once, in YAML, and the
patterns the rules' queries share written once as named macros.

The source (``shapes/README.md``, "The source of the shapes", says how to write it):

- ``shapes/src/shapes.yaml``: the shapes graph's own description, its prefixes, the header comment of the
  generated file, and the rule files in the order they are read;
- ``shapes/src/macros.yaml``: the macros every rule file may use, such as ``{{current ?tenure}}`` (the tenure is
  current on the as-of date) or ``{{body-of}}`` (the path from a body to its authority, at any depth);
- the rule files: per rule its id, title, level, in-force date, sources and target, and per shape its kind of
  finding, what it checks, its message and its query (the projected variables and the WHERE clause, with macro
  calls). A rule file may define macros of its own for patterns only its rules share.

The output is standard SHACL-SPARQL (nothing beyond what ecmgraph's engine and pySHACL both run) and the same source
always gives the same bytes; every query is checked to parse (pyoxigraph) before anything is written.

    python scripts/build_shapes.py              # regenerate shapes/ecm-rules.ttl
    python scripts/build_shapes.py --check      # exit 1 if shapes/ecm-rules.ttl is out of date with shapes/src/
    python scripts/build_shapes.py --check-caps [DATA...] [--as-of DATE]
        # run every capped sub-SELECT of the shapes on DATA (default: the packaged data), as ecmgraph's engine
        # evaluates it; exit 1 if one of them reaches its cap

Exit codes: 0 success (up to date; no cap reached), 1 out of date (a cap reached), 3 the source is malformed (the
message names the file, the rule and the shape) or the data cannot be read.
"""

from __future__ import annotations

import argparse
import datetime as dt
import re
import sys
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pyoxigraph as ox
import yaml

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_SOURCE = ROOT / "shapes" / "src"
DEFAULT_OUTPUT = ROOT / "shapes" / "ecm-rules.ttl"
INDEX = "shapes.yaml"
MACROS = "macros.yaml"

if str(ROOT / "scripts") not in sys.path:
    sys.path.append(str(ROOT / "scripts"))
from build_output import write_or_check  # noqa: E402

from ecmgraph.namespaces import legislation_url  # noqa: E402
from ecmgraph.render.reports import cite  # noqa: E402

SEVERITIES = ("Violation", "Warning", "Info")
KINDS = {"breach": "ecm:Breach", "gap": "ecm:Gap"}
TARGETS = {
    "target-class": "sh:targetClass",
    "target-subjects-of": "sh:targetSubjectsOf",
    "target-objects-of": "sh:targetObjectsOf",
}
#: SHACL Core constraints a property shape may carry (the ones ecmgraph's engine implements), by source key.
CORE = {"class": "sh:class", "min-count": "sh:minCount", "max-count": "sh:maxCount"}
RULE_KEYS = {
    "id",
    "title",
    "severity",
    "in-force-from",
    "severity-before",
    "applies-to",
    "needs-holder-of",
    "sources",
    "statute",
    "shapes",
    *TARGETS,
}
#: The kind of authority a rule applies to when its source says nothing else.
DEFAULT_APPLIES_TO = ("ecm:ChildrensServicesAuthority",)
SHAPE_KEYS = {"name", "kind", "checks", "severity", "message", "fix", "select", "where", "path", *CORE, *TARGETS}
MACRO_KEYS = {"params", "doc", "text"}
INDEX_KEYS = {"header", "prefixes", "declare", "ontology", "rules"}
ONTOLOGY_KEYS = {"iri", "title", "description", "license", "requires"}

_CALL = re.compile(r"\{\{\s*([A-Za-z][\w-]*)((?:\s+[^\s{}]+)*)\s*\}\}")
_PARAM = re.compile(r"([?$]?)\$\{([A-Za-z][\w-]*)\}")
_PLACEHOLDER = re.compile(r"\{[$?](\w+)\}")
#: Where a message names the statute: replaced by its citation and legislation.gov.uk link.
STATUTE = "{statute}"
#: The as-of date in a message: ecmgraph writes the date there before any engine sees the shapes.
AS_OF = "{$asOf}"
_VARIABLE = re.compile(r"[?$]\w+")
_RULE_ID = re.compile(r"ECM\d{3}")
_SHAPE_NAME = re.compile(r"[a-z][a-z0-9-]*")
_PREFIXED = re.compile(r"([A-Za-z][\w-]*)?:([\w.-]*[\w-])?")
_LIMIT = re.compile(r"\bLIMIT\s+(\d+)", re.I)
#: How far a query sits inside its ``sh:select`` string, and its WHERE clause inside the query.
_QUERY_INDENT = " " * 8
_BODY_INDENT = " " * 4


class ShapeSourceError(Exception):
    """The source of the shapes is malformed: the message names the file, and the rule and shape concerned."""


# ------------------------------------------------------------------------------------------------------ macros


@dataclass(frozen=True)
class Macro:
    """A named piece of query text with parameters: ``{{name arg…}}`` in a query is replaced by its expansion."""

    name: str
    params: tuple[str, ...]
    defaults: Mapping[str, str]
    text: str
    doc: str
    origin: str  # the file that defines it

    def apply(self, args: Sequence[str], where: str) -> str:
        """The text with each ``${param}`` replaced by its argument (``?${p}Start`` with ``?tenure`` gives
        ``?tenureStart``: a sigil written before the parameter replaces the argument's own)."""
        if len(args) > len(self.params) or len(args) < len(self.params) - len(self.defaults):
            raise ShapeSourceError(
                f"{where}: {{{{{self.name}}}}} takes {self._signature()}, given "
                f"{len(args)} argument(s): {' '.join(args) or '(none)'}"
            )
        values = dict(self.defaults)
        values.update(zip(self.params, args))

        def substitute(match: re.Match[str]) -> str:
            sigil, name = match.groups()
            value = values[name]
            if sigil and value[:1] in "?$":
                value = value[1:]
            return sigil + value

        return _PARAM.sub(substitute, self.text)

    def _signature(self) -> str:
        return " ".join(f"[{p}]" if p in self.defaults else p for p in self.params) or "no arguments"


def _macros(data: object, origin: str) -> dict[str, Macro]:
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise ShapeSourceError(f"{origin}: macros must be a mapping of names to macros")
    macros: dict[str, Macro] = {}
    for name, spec in data.items():
        where = f"{origin}: macro {name}"
        if not isinstance(name, str) or not _SHAPE_NAME.fullmatch(name):
            raise ShapeSourceError(f"{where}: a macro's name is lower case letters, digits and hyphens")
        if not isinstance(spec, dict) or "text" not in spec or "doc" not in spec:
            raise ShapeSourceError(f"{where}: needs a doc (what it means) and a text (what it expands to)")
        _no_unknown_keys(spec, MACRO_KEYS, where)
        params: list[str] = []
        defaults: dict[str, str] = {}
        for param in spec.get("params") or []:
            param_name, eq, default = str(param).partition("=")
            params.append(param_name)
            if eq:
                defaults[param_name] = default
            elif defaults:
                raise ShapeSourceError(f"{where}: parameter {param_name} without a default after one with")
        text = str(spec["text"]).rstrip("\n")
        used = {m.group(2) for m in _PARAM.finditer(text)}
        if used != set(params):
            raise ShapeSourceError(f"{where}: its text uses {sorted(used)} but its params are {params}")
        macros[name] = Macro(name, tuple(params), defaults, text, " ".join(str(spec["doc"]).split()), origin)
    return macros


def expand(text: str, macros: Mapping[str, Macro], where: str) -> str:
    """``text`` with every macro call expanded, macros within macros too.

    A macro whose expansion spans several lines must be called at the start of a line (after its indentation): its
    following lines get the same indentation, so that the generated query keeps one statement per line.
    """
    for _ in range(10_000):
        match = _CALL.search(text)
        if match is None:
            break
        name, args = match.group(1), match.group(2).split()
        macro = macros.get(name)
        if macro is None:
            raise ShapeSourceError(f"{where}: unknown macro {{{{{name}}}}} (known: {', '.join(sorted(macros))})")
        body = macro.apply(args, where)
        if "\n" in body:
            start = text.rfind("\n", 0, match.start()) + 1
            indent = text[start : match.start()]
            if indent.strip():
                raise ShapeSourceError(f"{where}: {{{{{name}}}}} spans several lines, so it must start its line")
            body = body.replace("\n", "\n" + indent)
        text = text[: match.start()] + body + text[match.end() :]
    else:
        raise ShapeSourceError(f"{where}: macros expand without end (a macro calls itself?)")
    if "{{" in text or "${" in text:
        raise ShapeSourceError(f"{where}: a malformed macro call or parameter is left after expansion:\n{text}")
    return text


# ------------------------------------------------------------------------------------------------- the source


@dataclass(frozen=True)
class Shape:
    """One shape of a rule, as the generated file writes it."""

    rule: Rule
    name: str
    kind: str
    severity: str
    checks: str
    message: str  # as the generated file writes it: the finding, with the statute cited, then the fix
    fix: str
    targets: Mapping[str, tuple[str, ...]]
    select: tuple[str, ...] = ()  # the projected variables of a SPARQL constraint
    where: str = ""  # its WHERE clause, macros expanded
    path: str | None = None  # a property shape's sh:path (SHACL Core)
    core: Mapping[str, str] = field(default_factory=dict)

    @property
    def iri(self) -> str:
        return f"ecmsh:{self.rule.id}-{self.name}"


@dataclass
class Rule:
    """A rule, written once: what all its shapes carry."""

    id: str
    title: str
    severity: str
    in_force_from: dt.date | None
    severity_before: str | None
    sources: tuple[str, ...]
    origin: str
    statute: tuple[str, ...] = ()
    shapes: list[Shape] = field(default_factory=list)
    applies_to: tuple[str, ...] = DEFAULT_APPLIES_TO
    needs_holder_of: tuple[str, ...] = ()


@dataclass(frozen=True)
class Source:
    """The whole source: the graph's description, the prefixes, the macros and the rules in id order."""

    header: str
    prefixes: Mapping[str, str]
    declare: Mapping[str, str]
    ontology: Mapping[str, str]
    macros: Mapping[str, Macro]
    rules: tuple[Rule, ...]
    files: tuple[str, ...]


def _load_yaml(path: Path) -> Any:
    try:
        return yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as error:
        raise ShapeSourceError(f"{path}: cannot be read ({error.strerror})") from error
    except yaml.YAMLError as error:
        raise ShapeSourceError(f"{path}: not valid YAML: {error}") from error


def _no_unknown_keys(data: Mapping[str, object], known: set[str], where: str) -> None:
    unknown = sorted(str(k) for k in data if k not in known)
    if unknown:
        raise ShapeSourceError(f"{where}: unknown key(s) {', '.join(unknown)} (known: {', '.join(sorted(known))})")


def _text(value: object, where: str, key: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise ShapeSourceError(f"{where}: {key} must be a non-empty text")
    return " ".join(value.split())


def _date(value: object, where: str) -> dt.date | None:
    if value is None or isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError as error:
        raise ShapeSourceError(f"{where}: in-force-from must be a date (YYYY-MM-DD), not {value!r}") from error


def _severity(value: object, where: str, key: str = "severity") -> str:
    if value not in SEVERITIES:
        raise ShapeSourceError(f"{where}: {key} must be one of {', '.join(SEVERITIES)}, not {value!r}")
    return str(value)


def _names(value: object, where: str, key: str, prefixes: Mapping[str, str]) -> tuple[str, ...]:
    """An IRI or a list of them, each a prefixed name of the source's prefixes or a full http(s) IRI."""
    values = value if isinstance(value, list) else [value]
    for v in values:
        if not isinstance(v, str):
            raise ShapeSourceError(f"{where}: {key} holds {v!r}, not an IRI")
        _turtle_iri(v, prefixes, f"{where}: {key}")
    return tuple(values)


def _turtle_iri(value: str, prefixes: Mapping[str, str], where: str) -> str:
    if value.startswith(("http://", "https://")):
        if any(c in value for c in '<>"{}|^`\\ '):
            raise ShapeSourceError(f"{where}: {value!r} is not an IRI Turtle can write")
        return f"<{value}>"
    match = _PREFIXED.fullmatch(value)
    if match is None or (match.group(1) or "") not in prefixes:
        raise ShapeSourceError(f"{where}: {value!r} is neither a full IRI nor a name with a known prefix")
    return value


def read_source(folder: Path = DEFAULT_SOURCE) -> Source:
    """Read and check the whole source (raises ShapeSourceError naming what is wrong, and where)."""
    index_path = folder / INDEX
    index = _load_yaml(index_path)
    if not isinstance(index, dict):
        raise ShapeSourceError(f"{index_path}: must be a mapping")
    _no_unknown_keys(index, INDEX_KEYS, str(index_path))
    prefixes = {str(k): str(v) for k, v in (index.get("prefixes") or {}).items()}
    for key in ("ecm", "ecmsh", "sh", "rdfs", "xsd", "owl", "dcterms"):
        if key not in prefixes:
            raise ShapeSourceError(f"{index_path}: prefixes must include {key}")
    declare = {str(k): str(v) for k, v in (index.get("declare") or {}).items()}
    if not declare:
        raise ShapeSourceError(f"{index_path}: declare gives the prefixes the queries use")
    ontology = index.get("ontology") or {}
    _no_unknown_keys(ontology, ONTOLOGY_KEYS, f"{index_path}: ontology")
    if set(ontology) != ONTOLOGY_KEYS:
        raise ShapeSourceError(f"{index_path}: ontology needs {', '.join(sorted(ONTOLOGY_KEYS))}")
    files = [str(f) for f in index.get("rules") or []]
    if not files:
        raise ShapeSourceError(f"{index_path}: rules must list the rule files")
    on_disk = sorted(p.name for p in folder.glob("*.yaml") if p.name not in (INDEX, MACROS))
    if sorted(files) != on_disk:
        raise ShapeSourceError(
            f"{index_path}: rules lists {sorted(files)} but the folder holds {on_disk}: every rule file is listed once"
        )

    macros = _macros(_load_yaml(folder / MACROS), f"shapes/src/{MACROS}")
    documents: list[tuple[str, dict[str, Any]]] = []
    for name in files:
        where = f"shapes/src/{name}"
        data = _load_yaml(folder / name)
        if not isinstance(data, dict) or not isinstance(data.get("rules"), list):
            raise ShapeSourceError(f"{where}: must be a mapping with a list of rules (and optionally macros)")
        _no_unknown_keys(data, {"rules", "macros"}, where)
        for macro in _macros(data.get("macros"), where).values():
            if macro.name in macros:
                raise ShapeSourceError(f"{where}: macro {macro.name} is already defined in {macros[macro.name].origin}")
            macros[macro.name] = macro
        documents.append((where, data))

    rules: dict[str, Rule] = {}
    for where, data in documents:
        for spec in data["rules"]:
            rule = _rule(spec, where, prefixes, macros, declare)
            if rule.id in rules:
                raise ShapeSourceError(f"{where}: rule {rule.id} is already written in {rules[rule.id].origin}")
            rules[rule.id] = rule
    header = str(index.get("header") or "").rstrip("\n")
    return Source(
        header,
        prefixes,
        declare,
        {k: str(v) for k, v in ontology.items()},
        macros,
        tuple(rules[k] for k in sorted(rules)),
        tuple(files),
    )


def _rule(
    spec: object, origin: str, prefixes: Mapping[str, str], macros: Mapping[str, Macro], declare: Mapping[str, str]
) -> Rule:
    if not isinstance(spec, dict) or not _RULE_ID.fullmatch(str(spec.get("id", ""))):
        raise ShapeSourceError(f"{origin}: every rule needs an id ECMnnn (found {spec!r:.80})")
    where = f"{origin}: {spec['id']}"
    _no_unknown_keys(spec, RULE_KEYS, where)
    before = spec.get("severity-before")
    rule = Rule(
        id=str(spec["id"]),
        title=_text(spec.get("title"), where, "title"),
        severity=_severity(spec.get("severity"), where),
        in_force_from=_date(spec.get("in-force-from"), where),
        severity_before=None if before is None else _severity(before, where, "severity-before"),
        sources=_names(spec.get("sources") or [], where, "sources", prefixes),
        origin=origin,
        applies_to=_names(spec.get("applies-to") or list(DEFAULT_APPLIES_TO), where, "applies-to", prefixes),
        needs_holder_of=_names(spec.get("needs-holder-of") or [], where, "needs-holder-of", prefixes),
    )
    if (rule.in_force_from is None) != (rule.severity_before is None):
        raise ShapeSourceError(f"{where}: in-force-from and severity-before go together")
    if not rule.sources:
        raise ShapeSourceError(f"{where}: sources must cite at least one provision or paragraph")
    rule.statute = _statute(spec.get("statute"), rule, where, prefixes)
    shapes = spec.get("shapes")
    if not isinstance(shapes, list) or not shapes:
        raise ShapeSourceError(f"{where}: shapes must list the rule's shapes")
    rule_targets = {k: _names(spec[k], where, k, prefixes) for k in TARGETS if k in spec}
    for shape_spec in shapes:
        shape = _shape(shape_spec, rule, where, rule_targets, prefixes, macros, declare)
        if any(s.name == shape.name for s in rule.shapes):
            raise ShapeSourceError(f"{where}: two shapes are named {shape.name}")
        rule.shapes.append(shape)
    most_severe = SEVERITIES[min(SEVERITIES.index(s.severity) for s in rule.shapes)]
    if most_severe != rule.severity:
        raise ShapeSourceError(
            f"{where}: the rule's severity is its most severe shape's, {most_severe}, not {rule.severity}"
        )
    return rule


def _statute(value: object, rule: Rule, where: str, prefixes: Mapping[str, str]) -> tuple[str, ...]:
    """The provisions a rule's findings cite: ``statute`` as given, else the first legislation its sources cite."""
    if value is None:
        first = next((s for s in rule.sources if legislation_url(s)), None)
        if first is None:
            raise ShapeSourceError(
                f"{where}: statute must name the provision its findings cite (its sources cite no legislation)"
            )
        return (first,)
    statute = _names(value, where, "statute", prefixes)
    for iri in statute:
        if legislation_url(iri) is None:
            raise ShapeSourceError(f"{where}: statute {iri!r} is not a legislation.gov.uk identifier")
    return statute


def statute_text(rule: Rule) -> str:
    """What ``{statute}`` in a message becomes: each provision cited, with its legislation.gov.uk page, and the
    day the rule is in force from where it has one."""
    since = f"in force from {rule.in_force_from.isoformat()}, " if rule.in_force_from else ""
    return " and ".join(f"{cite(iri)} ({since}{legislation_url(iri)})" for iri in rule.statute)


def _message(spec: Mapping[str, Any], rule: Rule, where: str) -> tuple[str, str]:
    """The shape's message as written (the finding, naming the statute, then the fix) and its fix."""
    message = _text(spec.get("message"), where, "message")
    fix = _text(spec.get("fix"), where, "fix")
    if message.count(STATUTE) != 1:
        raise ShapeSourceError(f"{where}: the message names the statute once, as {STATUTE}")
    dates = [m.group(1) for m in _PLACEHOLDER.finditer(message) if m.group(1) == "asOf" or m.group(1).endswith("End")]
    if not dates:
        raise ShapeSourceError(f"{where}: the message says since when: {AS_OF}, or the date the situation began")
    for text, key in ((message, "message"), (fix, "fix")):
        if not text[:1].isupper() and not text.startswith("{") or not text.endswith("."):
            raise ShapeSourceError(f"{where}: the {key} is a sentence: a capital first, a full stop last")
    return f"{message.replace(STATUTE, statute_text(rule))} {fix}", fix


def _shape(
    spec: object,
    rule: Rule,
    origin: str,
    rule_targets: Mapping[str, tuple[str, ...]],
    prefixes: Mapping[str, str],
    macros: Mapping[str, Macro],
    declare: Mapping[str, str],
) -> Shape:
    if not isinstance(spec, dict) or not _SHAPE_NAME.fullmatch(str(spec.get("name", ""))):
        raise ShapeSourceError(f"{origin}: every shape needs a name in lower case and hyphens (found {spec!r:.80})")
    where = f"{origin}-{spec['name']}"
    _no_unknown_keys(spec, SHAPE_KEYS, where)
    kind = spec.get("kind")
    if kind not in KINDS:
        raise ShapeSourceError(f"{where}: kind must be breach or gap, not {kind!r}")
    targets = dict(rule_targets)
    targets.update({k: _names(spec[k], where, k, prefixes) for k in TARGETS if k in spec})
    if not targets:
        raise ShapeSourceError(f"{where}: no target (target-class, target-subjects-of or target-objects-of)")
    message, fix = _message(spec, rule, where)
    common: dict[str, Any] = {
        "message": message,
        "fix": fix,
        "rule": rule,
        "name": str(spec["name"]),
        "kind": str(kind),
        "severity": _severity(spec.get("severity", rule.severity), where),
        "checks": _text(spec.get("checks"), where, "checks"),
        "targets": targets,
    }
    if "path" in spec:
        core = {k: str(spec[k]) for k in CORE if k in spec}
        if "select" in spec or "where" in spec or not core:
            raise ShapeSourceError(
                f"{where}: a property shape (path) has SHACL Core constraints ({', '.join(CORE)}), not a query"
            )
        if "class" in core:
            _turtle_iri(core["class"], prefixes, f"{where}: class")
        for key in ("min-count", "max-count"):
            if key in core and not core[key].isdigit():
                raise ShapeSourceError(f"{where}: {key} must be a whole number")
        path = _names(spec["path"], where, "path", prefixes)
        if len(path) != 1:
            raise ShapeSourceError(f"{where}: path must be one IRI")
        return Shape(**common, path=path[0], core=core)
    if any(k in spec for k in CORE):
        raise ShapeSourceError(f"{where}: SHACL Core constraints need a path (a property shape)")
    select = str(spec.get("select") or "").split()
    if not select or select[0] != "$this" or not all(_VARIABLE.fullmatch(v) for v in select):
        raise ShapeSourceError(f"{where}: select lists the projected variables, $this first")
    source_where = str(spec.get("where") or "")
    if not source_where.strip():
        raise ShapeSourceError(f"{where}: where (the query's WHERE clause) is missing")
    if _LIMIT.search(source_where):
        raise ShapeSourceError(
            f"{where}: a query never cuts its answers with LIMIT: where the planner needs a "
            "bound on a sub-SELECT, write a planner hint (shapes/README.md, 'Planner hints')"
        )
    body = expand(source_where.strip("\n"), macros, where)
    shape = Shape(**common, select=tuple(select), where=body)
    _check_query(shape, where, declare)
    return shape


def _check_query(shape: Shape, where: str, declare: Mapping[str, str]) -> None:
    """The query parses, and the message only names variables the query projects."""
    projected = {v[1:] for v in shape.select}
    unknown = sorted({m.group(1) for m in _PLACEHOLDER.finditer(shape.message)} - projected - {"asOf"})
    if unknown:
        raise ShapeSourceError(f"{where}: the message names {', '.join(unknown)}, which the query does not project")
    prologue = "".join(f"PREFIX {p}: <{ns}>\n" for p, ns in declare.items())
    text = prologue + query_text(shape).replace("$asOf", '"2009-01-01"^^<http://www.w3.org/2001/XMLSchema#date>')
    try:
        ox.Store().query(text)
    except SyntaxError as error:
        raise ShapeSourceError(f"{where}: the query does not parse: {error}\n{query_text(shape)}") from error


def query_text(shape: Shape) -> str:
    """The shape's ``sh:select`` as the generated file writes it: SELECT, WHERE clause, nothing after."""
    body = "\n".join((_BODY_INDENT + line).rstrip() for line in shape.where.split("\n"))
    return f"SELECT {' '.join(shape.select)}\nWHERE {{\n{body}\n}}"


# ------------------------------------------------------------------------------------------------------ output


def _literal(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _long_literal(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace('"""', '\\"\\"\\"')
    if escaped.endswith('"'):
        escaped = escaped[:-1] + '\\"'
    return '"""' + escaped + '"""'


def _banner(text: str) -> str:
    line = "# " + "=" * 109
    return f"{line}\n# {text}\n{line}\n"


def _shape_turtle(shape: Shape, source: Source) -> str:
    rule = shape.rule
    lines = [
        shape.iri,
        f"    a {'sh:PropertyShape' if shape.path else 'sh:NodeShape'} ;",
        f"    dcterms:identifier {_literal(rule.id)} ;",
        f"    rdfs:label {_literal(rule.title)}@en ;",
        f"    rdfs:comment {_literal(shape.checks)}@en ;",
        f"    ecm:findingKind {KINDS[shape.kind]} ;",
        f"    sh:severity sh:{shape.severity} ;",
    ]
    if rule.in_force_from is not None:
        lines.append(f'    ecm:inForceFrom "{rule.in_force_from.isoformat()}"^^xsd:date ;')
        lines.append(f"    ecm:severityBefore sh:{rule.severity_before} ;")
    kinds = [_turtle_iri(k, source.prefixes, rule.id) for k in rule.applies_to]
    lines.append(f"    ecm:appliesTo {' , '.join(kinds)} ;")
    if rule.needs_holder_of:
        needed = [_turtle_iri(k, source.prefixes, rule.id) for k in rule.needs_holder_of]
        lines.append(f"    ecm:needsHolderOf {' , '.join(needed)} ;")
    sources = [_turtle_iri(s, source.prefixes, rule.id) for s in rule.sources]
    lines.append("    dcterms:source " + " ,\n        ".join(sources) + " ;")
    statute = [_turtle_iri(s, source.prefixes, rule.id) for s in rule.statute]
    lines.append(f"    ecm:statutoryBasis {' , '.join(statute)} ;")
    lines.append(f"    ecm:fix {_literal(shape.fix)}@en ;")
    for key, predicate in TARGETS.items():
        if key in shape.targets:
            names = [_turtle_iri(t, source.prefixes, shape.iri) for t in shape.targets[key]]
            lines.append(f"    {predicate} {' , '.join(names)} ;")
    if shape.path is not None:
        lines.append(f"    sh:path {_turtle_iri(shape.path, source.prefixes, shape.iri)} ;")
        for key, value in shape.core.items():
            lines.append(f"    {CORE[key]} {value} ;")
        lines.append(f"    sh:message {_literal(shape.message)}@en .")
        return "\n".join(lines) + "\n"
    query = "\n".join((_QUERY_INDENT + line).rstrip() for line in query_text(shape).split("\n"))
    lines += [
        "    sh:sparql [",
        "        a sh:SPARQLConstraint ;",
        f"        sh:prefixes <{source.ontology['iri']}> ;",
        f"        sh:message {_literal(shape.message)}@en ;",
        f"        sh:select {_long_literal(chr(10) + query + chr(10) + _QUERY_INDENT)}",
        "    ] .",
    ]
    return "\n".join(lines) + "\n"


GENERATED = """\
# GENERATED by scripts/build_shapes.py from shapes/src/ ({files}): do not edit by hand.
# Edit the source (shapes/README.md, "The source of the shapes"), then regenerate: python scripts/build_shapes.py
# Verify it is in step with the source: python scripts/build_shapes.py --check
#
"""


def render(source: Source) -> str:
    """The Turtle text of the shapes graph: the same source always gives the same text."""
    out = [GENERATED.format(files=f"{INDEX}, {MACROS} and the rule files")]
    out.append("\n".join(("# " + line).rstrip() for line in source.header.split("\n")) + "\n\n")
    width = max(len(p) for p in source.prefixes) + 1
    out.extend(f"@prefix {(p + ':').ljust(width)} <{ns}> .\n" for p, ns in source.prefixes.items())
    o = source.ontology
    out.append(
        f"\n<{o['iri']}>\n"
        "    a owl:Ontology ;\n"
        f"    dcterms:title {_literal(o['title'])}@en ;\n"
        f"    dcterms:description {_literal(o['description'])}@en ;\n"
        f"    dcterms:license <{o['license']}> ;\n"
        f"    dcterms:requires <{o['requires']}> ;\n"
        "    sh:declare\n        "
        + " ,\n        ".join(
            f"[ sh:prefix {_literal(p)} ; sh:namespace {_literal(ns)}^^xsd:anyURI ]" for p, ns in source.declare.items()
        )
        + " .\n"
    )
    for rule in source.rules:
        out.append("\n\n" + _banner(f"{rule.id} ({rule.severity}): {rule.title}"))
        out.extend("\n" + _shape_turtle(shape, source) for shape in rule.shapes)
    return "".join(out)


def build(folder: Path = DEFAULT_SOURCE) -> str:
    """The text of shapes/ecm-rules.ttl for the source in ``folder``. Raises ShapeSourceError."""
    return render(read_source(folder))


# -------------------------------------------------------------------------------------------- checking the caps


@dataclass(frozen=True)
class CappedSelect:
    """A sub-SELECT of a shape's query that ends with a planner hint's LIMIT."""

    shape: str
    cap: int
    text: str  # SELECT … WHERE { … } LIMIT cap


def capped_selects(shapes_text: str) -> list[CappedSelect]:
    """Every sub-SELECT of the generated shapes that ends with a LIMIT, each once per shape.

    A LIMIT in these shapes is only ever a planner hint (shapes/README.md, "Planner hints"), set far above any
    answer; :func:`check_caps` runs each of these sub-SELECTs on its own to show that no answer reaches it.
    """
    import rdflib
    from rdflib.namespace import SH

    graph = rdflib.Graph().parse(data=shapes_text, format="turtle")
    found: dict[tuple[str, str], CappedSelect] = {}
    for constraint, select in sorted(graph.subject_objects(SH.select), key=lambda so: str(so[1])):
        shape = next(iter(graph.subjects(SH.sparql, constraint)), constraint)
        text = str(select)
        for limit in _LIMIT.finditer(text):
            sub = _sub_select(text, limit.start())
            found.setdefault(
                (str(shape), sub + limit.group(0)), CappedSelect(str(shape), int(limit.group(1)), sub + limit.group(0))
            )
    return list(found.values())


def _sub_select(text: str, limit_at: int) -> str:
    """The ``SELECT … WHERE { … } `` that the LIMIT at ``limit_at`` ends."""
    close = text.rstrip()[:limit_at].rstrip()
    if not close.endswith("}"):
        raise ValueError(f"a LIMIT that does not end a sub-SELECT: {text[limit_at - 40 : limit_at + 20]!r}")
    depth, i = 0, len(close) - 1
    while i >= 0:
        depth += {"}": 1, "{": -1}.get(close[i], 0)
        if depth == 0:
            break
        i -= 1
    head = close[:i]
    select = max(head.rfind("SELECT "), head.rfind("SELECT\n"))
    if select < 0 or not re.fullmatch(r"SELECT\s+(DISTINCT\s+)?[$?\w\s]+WHERE\s*", head[select:]):
        raise ValueError(f"a LIMIT whose group is not a sub-SELECT's WHERE clause: {head[-80:]!r}")
    return text[select:limit_at]


def check_caps(store: ox.Store, shapes_text: str, as_of: dt.date) -> list[tuple[CappedSelect, int]]:
    """Each capped sub-SELECT with the number of solutions it gives on ``store`` (counted up to its cap).

    Each runs on its own, with ``$this`` unbound, as ecmgraph's engine evaluates a sub-SELECT (pySHACL binds
    ``$this`` first, so it only ever sees fewer solutions), over the graphs ecmgraph's engine reads: the default
    graph when validation's preparation merged the data into it, else the union of the named graphs. A count equal
    to the cap means the cap was reached.
    """
    literal = f'"{as_of.isoformat()}"^^<http://www.w3.org/2001/XMLSchema#date>'
    union = next(iter(store.quads_for_pattern(None, None, None, ox.DefaultGraph())), None) is None
    prologue = _declared_prefixes(shapes_text)
    results = []
    for capped in capped_selects(shapes_text):
        query = f"{prologue}SELECT (COUNT(*) AS ?n) WHERE {{ {{ {capped.text.replace('$asOf', literal)} }} }}"
        solutions = store.query(query, use_default_graph_as_union=union)
        assert isinstance(solutions, ox.QuerySolutions)
        count = int(next(iter(solutions))["n"].value)
        results.append((capped, count))
    return results


def _declared_prefixes(shapes_text: str) -> str:
    """PREFIX lines for the prefixes the shapes graph declares for its queries (sh:declare)."""
    import rdflib
    from rdflib.namespace import SH

    graph = rdflib.Graph().parse(data=shapes_text, format="turtle")
    declared = {
        (str(graph.value(d, SH.prefix)), str(graph.value(d, SH.namespace))) for d in graph.objects(None, SH.declare)
    }
    return "".join(f"PREFIX {p}: <{ns}>\n" for p, ns in sorted(declared))


def _check_caps_main(paths: Sequence[str], as_of: dt.date, output: Path) -> int:
    # The data is read and normalised as `ecmgraph validate` reads it (the package beside this script).
    if str(ROOT) not in sys.path:
        sys.path.append(str(ROOT))
    from ecmgraph.store import load_dataset
    from ecmgraph.validation import prepare

    text = output.read_text(encoding="utf-8")
    try:
        dataset = prepare(load_dataset(list(paths)))
    except Exception as error:  # any failure to read the data is reported the same way
        print(f"Error: cannot read the data: {error}", file=sys.stderr)
        return 3
    results = check_caps(dataset.store, text, as_of)
    reached = [(c, n) for c, n in results if n >= c.cap]
    print(f"{len(results)} capped sub-SELECTs on {', '.join(paths) or 'the packaged data'} as at {as_of}:")
    for cap in sorted({c.cap for c, _ in results}):
        capped, count = max(((c, n) for c, n in results if c.cap == cap), key=lambda r: r[1])
        print(
            f"  LIMIT {cap:,}: {sum(1 for c, _ in results if c.cap == cap)} sub-SELECTs, the largest answer "
            f"{count:,} solutions ({capped.shape.rsplit('#', 1)[-1]})"
        )
    for capped, count in reached:
        print(
            f"Error: {capped.shape} reaches its cap ({count:,} solutions, LIMIT {capped.cap:,}): its answers "
            f"would be cut; raise the hint in shapes/src/macros.yaml\n{capped.text}",
            file=sys.stderr,
        )
    return 1 if reached else 0


# --------------------------------------------------------------------------------------------------------- main


def main(argv: Sequence[str] | None = None) -> int:
    """Regenerate shapes/ecm-rules.ttl, check it is in step with shapes/src/, or check the caps on some data."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--src", type=Path, default=DEFAULT_SOURCE, help="the source folder (default: %(default)s)")
    parser.add_argument(
        "-o", "--output", type=Path, default=DEFAULT_OUTPUT, help="the Turtle file (default: %(default)s)"
    )
    parser.add_argument("--check", action="store_true", help="write nothing; exit 1 if the output is out of date")
    parser.add_argument(
        "--check-caps",
        nargs="*",
        metavar="DATA",
        help="run each capped sub-SELECT of the output on DATA (default: the packaged data); "
        "exit 1 if one reaches its cap",
    )
    parser.add_argument("--macros", action="store_true", help="list the macros of the source and what each means")
    parser.add_argument(
        "--as-of",
        type=dt.date.fromisoformat,
        default=dt.date.today(),
        help="the date for --check-caps (default: today)",
    )
    args = parser.parse_args(argv)
    if args.check_caps is not None:
        return _check_caps_main(args.check_caps, args.as_of, args.output)
    try:
        if args.macros:
            for macro in sorted(read_source(args.src).macros.values(), key=lambda m: (m.origin, m.name)):
                print(f"{{{{{' '.join((macro.name, *macro.params))}}}}}  ({macro.origin})\n    {macro.doc}")
            return 0
    except ShapeSourceError as error:
        print(f"Error: {error}", file=sys.stderr)
        return 3
    try:
        text = build(args.src)
    except ShapeSourceError as error:
        print(f"Error: {error}", file=sys.stderr)
        return 3
    return write_or_check(
        args.output, text, check=args.check, source=args.src, command="python scripts/build_shapes.py"
    )


if __name__ == "__main__":
    sys.exit(main())
