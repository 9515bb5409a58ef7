"""The packaged query catalogue: ``.rq`` files and their ``#+`` headers, read and checked.

A header that does not parse or does not agree with its query is an error (:class:`QueryHeaderError`), never
ignored.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from ecmgraph import resources
from ecmgraph.errors import InputError, UnknownName
from ecmgraph.limits import decode_query
from ecmgraph.namespaces import QUERY_BASE
from ecmgraph.queries.lookup import LOOKUPS
from ecmgraph.sparql_text import code_mask

#: Header keys grlc defines (ecmgraph reads the first five and lets the others through untouched).
GRLC_KEYS = frozenset(
    {
        "summary",
        "description",
        "tags",
        "defaults",
        "enumerate",
        "endpoint",
        "pagination",
        "method",
        "endpoint_in_url",
        "transform",
    }
)
#: Header keys of ecmgraph's own (grlc ignores them).
ECMGRAPH_KEYS = frozenset({"params", "example", "columns", "requires", "pivot"})
#: What a query may require besides the data (see :data:`REQUIREMENTS`).
REQUIREMENTS = frozenset({"validation-report"})
#: Parameter types, and the grlc variable suffix each is written with.
PARAMETER_TYPES = {"iri": "iri", "date": "xsd_date", "string": "string"}
#: Parameters of this name are answered "as at" their value, and ``--as-of`` sets them.
DATE_PARAMETER = "date"

# A grlc parameter variable: ?_name_type or ?__name_type (the name holds no underscore).
_PARAMETER_VARIABLE = re.compile(r"[?$](__?)([A-Za-z0-9]+)(?:_([A-Za-z0-9_]+))?\b")


class QueryHeaderError(InputError):
    """A query's ``#+`` header does not parse, or does not agree with its query."""


@dataclass(frozen=True)
class Parameter:
    """One parameter of a packaged query, as its header and its query variable declare it."""

    name: str
    variable: str  # the query variable, without "?": "_authority_iri"
    type: str  # iri, date or string
    required: bool
    description: str
    lookup: str | None = None  # the kind of thing an iri parameter names (see LOOKUPS)
    within: str | None = None  # another parameter that narrows the lookup (a post *of* the authority)
    default: str | None = None
    enum: tuple[str, ...] = ()


@dataclass(frozen=True)
class Pivot:
    """How a query's long table reads as a grid (its header's ``pivot``): ``rows`` down, one column per value of
    ``column``, each cell the ``value`` as its one-character ``symbols`` (a legend says what each means)."""

    rows: tuple[str, ...]
    column: str
    value: str
    symbols: Mapping[str, str]


@dataclass(frozen=True)
class PackagedQuery:
    """A ``.rq`` file with its header read and checked."""

    name: str
    path: Path
    text: str
    summary: str
    description: str
    tags: tuple[str, ...]
    parameters: tuple[Parameter, ...]
    example: Mapping[str, str]
    columns: Mapping[str, str]
    requires: tuple[str, ...] = ()
    header: Mapping[str, Any] = field(default_factory=dict)
    pivot: Pivot | None = None

    def parameter(self, name: str) -> Parameter:
        """The parameter called ``name``; raises UnknownName (with the closest names) if there is none."""
        for p in self.parameters:
            if p.name == name:
                return p
        names = [p.name for p in self.parameters]
        raise UnknownName(
            f"query {self.name!r} has no parameter {name!r}",
            hint=_closest_hint(name, names, "its parameters are") if names else "it takes no parameters",
        )

    @property
    def iri(self) -> str:
        """The query's stable identifier, ``https://w3id.org/ecmgraph/query/{name}``."""
        return QUERY_BASE + self.name

    def example_command(self) -> str:
        """The header's example as an ``ecmgraph query run`` command line."""
        parts = ["ecmgraph", "query", "run", self.name]
        for name, value in self.example.items():
            parts += ["-p", name, _shell_quote(str(value))]
        return " ".join(parts)


def _shell_quote(text: str) -> str:
    if re.fullmatch(r"[\w@%+=:,./-]+", text):
        return text
    return "'" + text.replace("'", "'\\''") + "'"


def header_lines(text: str) -> list[tuple[int, str]]:
    """The ``#+`` lines of a query (line number, YAML text), as grlc reads them."""
    out = []
    for number, line in enumerate(text.splitlines(), 1):
        if line.startswith("#+"):
            out.append((number, line[2:]))
    return out


def read_header(text: str, source: str) -> dict[str, Any]:
    """The YAML header of a query as a mapping. Raises QueryHeaderError if it does not parse."""
    lines = header_lines(text)
    if not lines:
        raise QueryHeaderError(
            "the query has no #+ header",
            file=source,
            line=1,
            hint="start the file with '#+ summary: …' lines (see queries/README.md)",
        )
    # grlc strips "#+" and any further leading '#' or '+'; ecmgraph strips "#+" only and keeps the indentation.
    yaml_text = "\n".join(body for _, body in lines)
    try:
        header = yaml.safe_load(yaml_text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = lines[min(mark.line, len(lines) - 1)][0] if mark is not None else lines[0][0]
        problem = getattr(exc, "problem", None) or str(exc)
        raise QueryHeaderError(
            f"the #+ header is not valid YAML: {problem}",
            file=source,
            line=line,
            hint="each header line starts with '#+' followed by YAML",
        ) from exc
    if not isinstance(header, dict):
        raise QueryHeaderError("the #+ header must be a YAML mapping (key: value lines)", file=source, line=lines[0][0])
    return header


def parameter_variables(text: str) -> dict[str, tuple[str, bool, str]]:
    """The grlc parameter variables a query uses: name -> (variable, required, type).

    Comments, strings and IRIs are skipped (a header line may mention ``?_name`` in words).
    Raises ValueError for a variable whose type suffix ecmgraph does not know, or a name used two ways.
    """
    found: dict[str, tuple[str, bool, str]] = {}
    suffixes = {suffix: kind for kind, suffix in PARAMETER_TYPES.items()}
    suffixes["literal"] = "string"
    for match in _PARAMETER_VARIABLE.finditer(code_mask(text)):
        underscores, name, suffix = match.group(1), match.group(2), match.group(3) or "string"
        variable = match.group(0)[1:]
        if suffix not in suffixes:
            raise ValueError(f"?{variable}: unknown parameter type {suffix!r} (use _iri, _xsd_date or _string)")
        entry = (variable, underscores == "_", suffixes[suffix])
        if name in found and found[name] != entry:
            raise ValueError(f"parameter {name!r} is written two ways: ?{found[name][0]} and ?{variable}")
        found[name] = entry
    return found


def _require_text(header: Mapping[str, Any], key: str, source: str) -> str:
    value = header.get(key)
    if not isinstance(value, str) or not value.strip():
        raise QueryHeaderError(f"the #+ header needs a non-empty '{key}' text", file=source)
    return " ".join(value.split())


def _single_key_list(header: Mapping[str, Any], key: str, source: str) -> dict[str, Any]:
    """grlc's list-of-one-key-mappings form (``defaults``, ``enumerate``) as one mapping."""
    value = header.get(key, [])
    if value is None:
        return {}
    if not isinstance(value, list) or not all(isinstance(item, dict) and len(item) == 1 for item in value):
        raise QueryHeaderError(
            f"'{key}' must be a list of one-key mappings, as grlc has it ('#+   - name: value')", file=source
        )
    out: dict[str, Any] = {}
    for item in value:
        ((name, item_value),) = item.items()
        if name in out:
            raise QueryHeaderError(f"'{key}' names parameter {name!r} twice", file=source)
        out[str(name)] = item_value
    return out


def parse_query(name: str, text: str, source: str, path: Path | None = None) -> PackagedQuery:
    """Read and check a query's header against its text.

    Raises QueryHeaderError naming the file and the problem: YAML that does not parse, an unknown key, a
    missing summary or description, a parameter the header declares that the query does not use (or the other
    way round), a type that disagrees with the variable's suffix, a default or an example for an unknown
    parameter, an enumerated default outside its list.
    """
    header = read_header(text, source)
    unknown = sorted(set(header) - GRLC_KEYS - ECMGRAPH_KEYS)
    if unknown:
        raise QueryHeaderError(
            f"unknown #+ header key {unknown[0]!r}",
            file=source,
            hint=_closest_hint(unknown[0], sorted(GRLC_KEYS | ECMGRAPH_KEYS), "known keys are"),
        )
    summary = _require_text(header, "summary", source)
    description = _require_text(header, "description", source)
    tags = header.get("tags", [])
    if not isinstance(tags, list) or not all(isinstance(t, str) for t in tags):
        raise QueryHeaderError("'tags' must be a list of words", file=source)
    try:
        variables = parameter_variables(text)
    except ValueError as exc:
        raise QueryHeaderError(str(exc), file=source) from exc
    declared = header.get("params") or {}
    if not isinstance(declared, dict):
        raise QueryHeaderError("'params' must map each parameter name to its description", file=source)
    for pname in declared:
        if pname not in variables:
            raise QueryHeaderError(
                f"the header declares parameter {pname!r}, but the query has no ?_{pname}_… or ?__{pname}_… variable",
                file=source,
            )
    for pname, (variable, _, _) in variables.items():
        if pname not in declared:
            raise QueryHeaderError(
                f"the query uses ?{variable}, but the header's 'params' does not declare {pname!r}", file=source
            )
    defaults = _single_key_list(header, "defaults", source)
    enumerate_ = _single_key_list(header, "enumerate", source)
    for key, mapping in (("defaults", defaults), ("enumerate", enumerate_)):
        for pname in mapping:
            if pname not in declared:
                raise QueryHeaderError(f"'{key}' names {pname!r}, which is not a parameter of the query", file=source)
    parameters = []
    for pname, spec in declared.items():
        variable, required, vtype = variables[pname]
        if not isinstance(spec, dict):
            raise QueryHeaderError(f"parameter {pname!r}: give its type and description as a mapping", file=source)
        extra = sorted(set(spec) - {"type", "description", "lookup", "within"})
        if extra:
            raise QueryHeaderError(
                f"parameter {pname!r}: unknown key {extra[0]!r}",
                file=source,
                hint="a parameter has type, description, lookup and within",
            )
        ptype = spec.get("type")
        if ptype not in PARAMETER_TYPES:
            raise QueryHeaderError(
                f"parameter {pname!r}: type must be one of {', '.join(PARAMETER_TYPES)}", file=source
            )
        if ptype != vtype:
            raise QueryHeaderError(
                f"parameter {pname!r} is declared {ptype}, but ?{variable} makes it {vtype}",
                file=source,
                hint=f"write the variable ?{'_' if required else '__'}{pname}_{PARAMETER_TYPES[ptype]}",
            )
        pdescription = spec.get("description")
        if not isinstance(pdescription, str) or not pdescription.strip():
            raise QueryHeaderError(f"parameter {pname!r} needs a description", file=source)
        lookup = spec.get("lookup")
        if lookup is not None and (ptype != "iri" or lookup not in LOOKUPS):
            raise QueryHeaderError(
                f"parameter {pname!r}: lookup {lookup!r} is not one of {', '.join(LOOKUPS)} "
                f"(and only iri parameters have one)",
                file=source,
            )
        within = spec.get("within")
        if within is not None and (within not in declared or within == pname):
            raise QueryHeaderError(f"parameter {pname!r}: within {within!r} is not another parameter", file=source)
        default = defaults.get(pname)
        if default is not None:
            default = str(default)
            if required:
                raise QueryHeaderError(
                    f"parameter {pname!r} is required (?{variable}) and cannot have a default",
                    file=source,
                    hint=f"write it ?__{variable.lstrip('_')} to make it optional",
                )
        enum = enumerate_.get(pname)
        if enum is not None and (not isinstance(enum, list) or not enum):
            raise QueryHeaderError(f"'enumerate' for {pname!r} must be a non-empty list of values", file=source)
        parameters.append(
            Parameter(
                name=pname,
                variable=variable,
                type=ptype,
                required=required,
                description=" ".join(pdescription.split()),
                lookup=lookup,
                within=within,
                default=default,
                enum=tuple(str(v) for v in enum or ()),
            )
        )
    for p in parameters:
        if p.type == "date" and p.default is not None and p.default != "today":
            try:
                dt.date.fromisoformat(p.default)
            except ValueError:
                raise QueryHeaderError(
                    f"parameter {p.name!r}: default {p.default!r} is not a date or 'today'", file=source
                ) from None
    example = header.get("example")
    if not isinstance(example, dict) or any(not isinstance(v, (str, int, float, dt.date)) for v in example.values()):
        raise QueryHeaderError(
            "the #+ header needs an 'example': a mapping of parameter names to values",
            file=source,
            hint="e.g. '#+ example: {authority: Staffordshire}' ('{}' for none)",
        )
    for pname in example:
        if pname not in declared:
            raise QueryHeaderError(f"the example names {pname!r}, which is not a parameter of the query", file=source)
    for p in parameters:
        if p.required and p.name not in example:
            raise QueryHeaderError(f"the example must give the required parameter {p.name!r}", file=source)
    columns = header.get("columns")
    if not isinstance(columns, dict) or not columns or not all(isinstance(v, str) for v in columns.values()):
        raise QueryHeaderError("the #+ header needs 'columns': each result column with what it holds", file=source)
    requires = header.get("requires", [])
    if not isinstance(requires, list) or set(requires) - REQUIREMENTS:
        raise QueryHeaderError(f"'requires' must be a list of: {', '.join(sorted(REQUIREMENTS))}", file=source)
    pivot = _pivot(header.get("pivot"), columns, source)
    return PackagedQuery(
        name=name,
        path=path or Path(source),
        text=text,
        summary=summary,
        description=description,
        tags=tuple(tags),
        parameters=tuple(parameters),
        example={str(k): str(v) for k, v in example.items()},
        columns={str(k): " ".join(v.split()) for k, v in columns.items()},
        requires=tuple(requires),
        header=header,
        pivot=pivot,
    )


def _pivot(spec: object, columns: Mapping[str, str], source: str) -> Pivot | None:
    """The header's ``pivot``, checked against its ``columns``."""
    if spec is None:
        return None
    if not isinstance(spec, dict) or set(spec) != {"rows", "columns", "value", "symbols"}:
        raise QueryHeaderError("'pivot' needs rows (a list of columns), columns, value and symbols", file=source)
    rows, column, value, symbols = spec["rows"], spec["columns"], spec["value"], spec["symbols"]
    if not isinstance(rows, list) or not rows or not all(isinstance(r, str) for r in [*rows, column, value]):
        raise QueryHeaderError(
            "'pivot': rows is a list of column names, columns and value are column names", file=source
        )
    unknown = [c for c in [*rows, column, value] if c not in columns]
    if unknown:
        raise QueryHeaderError(f"'pivot' names {unknown[0]!r}, which is not one of the query's columns", file=source)
    if not isinstance(symbols, dict) or not all(isinstance(s, str) and len(s) == 1 for s in symbols.values()):
        raise QueryHeaderError("'pivot': symbols maps each value to one character", file=source)
    return Pivot(tuple(rows), column, value, {str(k): v for k, v in symbols.items()})


def load_query_file(path: Path) -> PackagedQuery:
    """Read one ``.rq`` file with its header. Raises SourceNotFound-like InputError or QueryHeaderError."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(f"cannot read query file {str(path)!r}: {exc}", file=str(path), hint="check the path") from exc
    return parse_query(path.stem, decode_query(data, str(path)), str(path), path)


def catalogue(folder: Path | None = None) -> dict[str, PackagedQuery]:
    """Every packaged query by name, in name order. A broken header anywhere is an error."""
    folder = folder or resources.queries_dir()
    return {p.stem: load_query_file(p) for p in sorted(folder.glob("*.rq"))}


def get_query(name: str, folder: Path | None = None) -> PackagedQuery:
    """The packaged query called ``name``, or an ``.rq`` file at that path.

    Raises UnknownName with the closest names when there is no such query.
    """
    if name.endswith(".rq") and Path(name).is_file():
        return load_query_file(Path(name))
    folder = folder or resources.queries_dir()
    path = folder / f"{name}.rq"
    if re.fullmatch(r"[a-z0-9][a-z0-9-]*", name) and path.is_file():
        return load_query_file(path)
    names = sorted(p.stem for p in folder.glob("*.rq"))
    raise UnknownName(
        f"no packaged query {name!r}", hint=_closest_hint(name, names, "'ecmgraph query list' lists them; closest:")
    )


def _closest_hint(word: str, choices: Sequence[str], lead: str) -> str:
    close = difflib.get_close_matches(word, choices, n=5, cutoff=0.5)
    shown = close or list(choices)[:8]
    return f"{lead} {', '.join(shown)}"
