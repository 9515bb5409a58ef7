"""The packaged SPARQL queries: their catalogue, ``#+`` headers, parameters, label lookup and binding.

Each packaged query is one ``queries/NAME.rq`` file whose name is the query's name. It opens with a YAML header
on lines starting ``#+`` that grlc (https://github.com/CLARIAH/grlc) also reads: ``summary``, ``description``,
``tags``, ``defaults`` and ``enumerate`` as grlc has them, and ecmgraph's own keys ``params`` (each
parameter's type, what it names and a description), ``example`` and ``columns``. Parameters are written in
the query as grlc names them: ``?_name_iri`` (required), ``?__name_iri`` (optional), ``?__date_xsd_date``; the
name between the underscores is the parameter's user-facing name (``authority``, ``topic``, ``date``…).

Values are never spliced into the query text. A value is first turned into one RDF term (an IRI found by label
lookup, a typed date, a plain literal), then bound through an escaped ``VALUES`` block at the start of the
query's WHERE clause (:func:`ecmgraph.sparql.bind_values`), the same way on the local store and on a remote
endpoint. A header that does not parse or does not agree with its query is an error, never ignored.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

import pyoxigraph as ox
import yaml

from ecmgraph import resources
from ecmgraph.errors import InputError, UnknownName
from ecmgraph.namespaces import PREFIXES, sparql_prologue
from ecmgraph.sparql import bind_values, code_mask
from ecmgraph.tables import Table

_XSD_DATE = ox.NamedNode("http://www.w3.org/2001/XMLSchema#date")

#: Header keys grlc defines (ecmgraph reads the first five and lets the others through untouched).
GRLC_KEYS = frozenset({"summary", "description", "tags", "defaults", "enumerate", "endpoint", "pagination",
                       "method", "endpoint_in_url", "transform"})
#: Header keys of ecmgraph's own (grlc ignores them).
ECMGRAPH_KEYS = frozenset({"params", "example", "columns", "requires"})
#: What a query may require besides the data (see :data:`REQUIREMENTS`).
REQUIREMENTS = frozenset({"validation-report"})
#: Parameter types, and the grlc variable suffix each is written with.
PARAMETER_TYPES = {"iri": "iri", "date": "xsd_date", "string": "string"}
#: Parameters of this name are answered "as at" their value, and ``--as-of`` sets them.
DATE_PARAMETER = "date"

# A grlc parameter variable: ?_name_type or ?__name_type (the name holds no underscore).
_PARAMETER_VARIABLE = re.compile(r"[?$](__?)([A-Za-z0-9]+)(?:_([A-Za-z0-9_]+))?\b")
_PREFIXED_NAME = re.compile(r"^([A-Za-z][\w-]*):([^\s<>\"{}|^`\\]*)$")
_ABSOLUTE_IRI = re.compile(r"^(?:https?|urn|file|tag|mailto):\S+$", re.I)


class QueryHeaderError(InputError):
    """A query's ``#+`` header does not parse, or does not agree with its query."""


class AmbiguousName(UnknownName):
    """A label matches more than one thing: the user must choose one."""


# --------------------------------------------------------------------------------------------------------------
# The catalogue and the headers
# --------------------------------------------------------------------------------------------------------------


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
        return f"https://w3id.org/ecmgraph/query/{self.name}"

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
        raise QueryHeaderError("the query has no #+ header", file=source, line=1,
                               hint="start the file with '#+ summary: …' lines (see queries/README.md)")
    # grlc strips "#+" and any further leading '#' or '+'; ecmgraph strips "#+" only and keeps the indentation.
    yaml_text = "\n".join(body for _, body in lines)
    try:
        header = yaml.safe_load(yaml_text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = lines[min(mark.line, len(lines) - 1)][0] if mark is not None else lines[0][0]
        problem = getattr(exc, "problem", None) or str(exc)
        raise QueryHeaderError(f"the #+ header is not valid YAML: {problem}", file=source, line=line,
                               hint="each header line starts with '#+' followed by YAML") from exc
    if not isinstance(header, dict):
        raise QueryHeaderError("the #+ header must be a YAML mapping (key: value lines)", file=source,
                               line=lines[0][0])
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
        raise QueryHeaderError(f"'{key}' must be a list of one-key mappings, as grlc has it "
                               f"('#+   - name: value')", file=source)
    out: dict[str, Any] = {}
    for item in value:
        (name, item_value), = item.items()
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
        raise QueryHeaderError(f"unknown #+ header key {unknown[0]!r}", file=source,
                               hint=_closest_hint(unknown[0], sorted(GRLC_KEYS | ECMGRAPH_KEYS), "known keys are"))
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
            raise QueryHeaderError(f"the header declares parameter {pname!r}, but the query has no ?_{pname}_… "
                                   f"or ?__{pname}_… variable", file=source)
    for pname, (variable, _, _) in variables.items():
        if pname not in declared:
            raise QueryHeaderError(f"the query uses ?{variable}, but the header's 'params' does not declare "
                                   f"{pname!r}", file=source)
    defaults = _single_key_list(header, "defaults", source)
    enumerate_ = _single_key_list(header, "enumerate", source)
    for key, mapping in (("defaults", defaults), ("enumerate", enumerate_)):
        for pname in mapping:
            if pname not in declared:
                raise QueryHeaderError(f"'{key}' names {pname!r}, which is not a parameter of the query",
                                       file=source)
    parameters = []
    for pname, spec in declared.items():
        variable, required, vtype = variables[pname]
        if not isinstance(spec, dict):
            raise QueryHeaderError(f"parameter {pname!r}: give its type and description as a mapping", file=source)
        extra = sorted(set(spec) - {"type", "description", "lookup", "within"})
        if extra:
            raise QueryHeaderError(f"parameter {pname!r}: unknown key {extra[0]!r}", file=source,
                                   hint="a parameter has type, description, lookup and within")
        ptype = spec.get("type")
        if ptype not in PARAMETER_TYPES:
            raise QueryHeaderError(f"parameter {pname!r}: type must be one of {', '.join(PARAMETER_TYPES)}",
                                   file=source)
        if ptype != vtype:
            raise QueryHeaderError(f"parameter {pname!r} is declared {ptype}, but ?{variable} makes it {vtype}",
                                   file=source, hint=f"write the variable ?{'_' if required else '__'}{pname}_"
                                   f"{PARAMETER_TYPES[ptype]}")
        pdescription = spec.get("description")
        if not isinstance(pdescription, str) or not pdescription.strip():
            raise QueryHeaderError(f"parameter {pname!r} needs a description", file=source)
        lookup = spec.get("lookup")
        if lookup is not None and (ptype != "iri" or lookup not in LOOKUPS):
            raise QueryHeaderError(f"parameter {pname!r}: lookup {lookup!r} is not one of {', '.join(LOOKUPS)} "
                                   f"(and only iri parameters have one)", file=source)
        within = spec.get("within")
        if within is not None and (within not in declared or within == pname):
            raise QueryHeaderError(f"parameter {pname!r}: within {within!r} is not another parameter", file=source)
        default = defaults.get(pname)
        if default is not None:
            default = str(default)
            if required:
                raise QueryHeaderError(f"parameter {pname!r} is required (?{variable}) and cannot have a default",
                                       file=source, hint=f"write it ?__{variable.lstrip('_')} to make it optional")
        enum = enumerate_.get(pname)
        if enum is not None and (not isinstance(enum, list) or not enum):
            raise QueryHeaderError(f"'enumerate' for {pname!r} must be a non-empty list of values", file=source)
        parameters.append(Parameter(
            name=pname, variable=variable, type=ptype, required=required, description=" ".join(pdescription.split()),
            lookup=lookup, within=within, default=default, enum=tuple(str(v) for v in enum or ()),
        ))
    for p in parameters:
        if p.type == "date" and p.default is not None and p.default != "today":
            try:
                dt.date.fromisoformat(p.default)
            except ValueError:
                raise QueryHeaderError(f"parameter {p.name!r}: default {p.default!r} is not a date or 'today'",
                                       file=source) from None
    example = header.get("example")
    if not isinstance(example, dict) or any(not isinstance(v, (str, int, float, dt.date)) for v in example.values()):
        raise QueryHeaderError("the #+ header needs an 'example': a mapping of parameter names to values",
                               file=source, hint="e.g. '#+ example: {authority: Staffordshire}' ('{}' for none)")
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
    return PackagedQuery(
        name=name, path=path or Path(source), text=text, summary=summary, description=description,
        tags=tuple(tags), parameters=tuple(parameters),
        example={str(k): str(v) for k, v in example.items()},
        columns={str(k): " ".join(v.split()) for k, v in columns.items()},
        requires=tuple(requires), header=header,
    )


def load_query_file(path: Path) -> PackagedQuery:
    """Read one ``.rq`` file with its header. Raises SourceNotFound-like InputError or QueryHeaderError."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"cannot read query file {str(path)!r}: {exc}", file=str(path),
                         hint="check the path") from exc
    return parse_query(path.stem, text, str(path), path)


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
    raise UnknownName(f"no packaged query {name!r}",
                      hint=_closest_hint(name, names, "'ecmgraph query list' lists them; closest:"))


def _closest_hint(word: str, choices: Sequence[str], lead: str) -> str:
    close = difflib.get_close_matches(word, choices, n=5, cutoff=0.5)
    shown = close or list(choices)[:8]
    return f"{lead} {', '.join(shown)}"


# --------------------------------------------------------------------------------------------------------------
# Engines: where the query runs
# --------------------------------------------------------------------------------------------------------------


Bindings = Mapping[str, ox.NamedNode | ox.Literal]


class Engine(Protocol):
    """Runs a SELECT query with bound variables: on the local store, or on a remote SPARQL endpoint."""

    def select(self, text: str, bindings: Bindings | None = None, *, source: str = "<query>") -> Table:
        """The rows of a SELECT query."""
        ...


@dataclass
class LocalEngine:
    """Queries on a loaded :class:`ecmgraph.store.Dataset` (the union of its graphs)."""

    dataset: Any  # ecmgraph.store.Dataset

    def select(self, text: str, bindings: Bindings | None = None, *, source: str = "<query>") -> Table:
        from ecmgraph.sparql import run_query

        result = run_query(self.dataset, text, source=source, bindings=bindings)
        if not isinstance(result, Table):
            raise InputError("a packaged query must be a SELECT query", file=source)
        return result


@dataclass
class RemoteEngine:
    """Queries sent to a SPARQL 1.1 endpoint (:mod:`ecmgraph.endpoint`), bound the same way as locally."""

    url: str
    timeout: float | None = None

    def select(self, text: str, bindings: Bindings | None = None, *, source: str = "<query>") -> Table:
        from ecmgraph.endpoint import DEFAULT_TIMEOUT, Endpoint, understands_lateral
        from ecmgraph.sparql import lateral_optionals

        timeout = self.timeout if self.timeout is not None else DEFAULT_TIMEOUT
        text = bind_values(text, bindings) if bindings else text
        hinted = lateral_optionals(text)
        if hinted != text and understands_lateral(self.url, timeout):
            text = hinted  # queries/README.md, "Engine hints": the endpoint runs the hinted OPTIONALs laterally too
        return Endpoint(self.url, timeout).select(text)


def engine_for(dataset: Any = None, endpoint: str | None = None, timeout: float | None = None) -> Engine:
    """The engine a query runs on: the remote ``endpoint`` if given, else the local ``dataset``."""
    if endpoint is not None:
        return RemoteEngine(endpoint, timeout)
    if dataset is None:
        raise ValueError("give a dataset or an endpoint")
    return LocalEngine(dataset)


# --------------------------------------------------------------------------------------------------------------
# Label lookup
# --------------------------------------------------------------------------------------------------------------

_LABEL = "rdfs:label|skos:prefLabel|skos:altLabel|foaf:name|dcterms:identifier|skos:notation"


@dataclass(frozen=True)
class Lookup:
    """How to find the things a parameter may name: a SELECT of ?thing ?label, optionally ?scope ?start ?end.

    ``?scope`` is what the thing belongs to (a post's authority), for parameters narrowed ``within`` another;
    ``strict`` says whether a thing with no scope is left out when narrowing. ``?start``/``?end`` are the days
    the thing existed, and ``?rank`` a preference (lowest first), used to choose among things that share a
    label: two codes of one council, a kind of post and one authority's post named after it.
    """

    kind: str
    noun: str
    query: str
    strict: bool = True


_POST_SCOPE = """
    OPTIONAL { { ?thing org:postIn ?scope } UNION { ?thing org:postIn/ecm:bodyOf ?scope } }"""

LOOKUPS: dict[str, Lookup] = {
    lookup.kind: lookup
    for lookup in (
        Lookup("authority", "authority", f"""
SELECT DISTINCT ?thing ?label ?start ?end WHERE {{
  ?thing a/rdfs:subClassOf* ecm:Authority ; {_LABEL} ?label .
  OPTIONAL {{ ?thing ecm:startDate ?start }} OPTIONAL {{ ?thing ecm:endDate ?end }}
}}"""),
        Lookup("county", "county council", f"""
SELECT DISTINCT ?thing ?label ?start ?end WHERE {{
  ?thing a/rdfs:subClassOf* ecm:CountyCouncil ; {_LABEL} ?label .
  OPTIONAL {{ ?thing ecm:startDate ?start }} OPTIONAL {{ ?thing ecm:endDate ?end }}
}}"""),
        Lookup("region", "region", f"""
SELECT DISTINCT ?thing ?label WHERE {{ ?thing a ecm:Region ; {_LABEL} ?label }}"""),
        Lookup("person", "person", f"""
SELECT DISTINCT ?thing ?label WHERE {{ ?thing a foaf:Person ; {_LABEL} ?label }}"""),
        Lookup("post", "post", f"""
SELECT DISTINCT ?thing ?label ?scope WHERE {{
  ?thing a/rdfs:subClassOf* org:Post .
  {{ ?thing {_LABEL} ?label }} UNION {{ ?thing a ?kind . ?kind rdfs:label|skos:altLabel ?label }}
  {_POST_SCOPE}
}}"""),
        Lookup("post-or-body", "post or body", f"""
SELECT DISTINCT ?thing ?label ?scope ?rank WHERE {{
  {{
    ?thing a/rdfs:subClassOf* org:Post .
    {{ ?thing {_LABEL} ?label }} UNION {{ ?thing a ?kind . ?kind rdfs:label|skos:altLabel ?label }}
    {_POST_SCOPE}
    BIND(0 AS ?rank)
  }} UNION {{
    ?thing ecm:bodyOf ?scope ; {_LABEL} ?label .
    BIND(1 AS ?rank)
  }}
}}"""),
        Lookup("post-or-person", "post or person", f"""
SELECT DISTINCT ?thing ?label ?scope WHERE {{
  {{
    ?thing a/rdfs:subClassOf* org:Post .
    {{ ?thing {_LABEL} ?label }} UNION {{ ?thing a ?kind . ?kind rdfs:label|skos:altLabel ?label }}
    {_POST_SCOPE}
  }} UNION {{
    ?thing a foaf:Person ; {_LABEL} ?label .
    OPTIONAL {{ ?tenure ecm:holder ?thing ; ecm:post ?post .
               {{ ?post org:postIn ?scope }} UNION {{ ?post org:postIn/ecm:bodyOf ?scope }} }}
  }}
}}"""),
        Lookup("topic", "topic or function", f"""
SELECT DISTINCT ?thing ?label ?rank WHERE {{
  {{ ?thing a ecm:Topic BIND(0 AS ?rank) }} UNION {{ ?thing skos:inScheme ecm:Topics BIND(0 AS ?rank) }}
  UNION {{ ?thing a ecm:StatutoryFunction BIND(1 AS ?rank) }}
  ?thing {_LABEL} ?label .
}}"""),
        Lookup("function", "statutory function", f"""
SELECT DISTINCT ?thing ?label WHERE {{ ?thing a ecm:StatutoryFunction ; {_LABEL} ?label }}"""),
        Lookup("outcome", "Every Child Matters outcome", f"""
SELECT DISTINCT ?thing ?label WHERE {{ ?thing skos:inScheme ecm:EveryChildMattersOutcomes ; {_LABEL} ?label }}"""),
        Lookup("role", "role (a kind of post or body, or one authority's own)", f"""
SELECT DISTINCT ?thing ?label ?scope ?rank WHERE {{
  {{ SELECT DISTINCT ?thing WHERE {{
       {{ ?responsibility ecm:responsibilityOf ?thing }}
       UNION {{ ?responsibility ecm:responsibilityOf ?own . ?own a ?thing }} }} }}
  ?thing {_LABEL} ?label .
  BIND(IF(EXISTS {{ ?thing a owl:Class }}, 0, 1) AS ?rank)
  OPTIONAL {{ {{ ?thing org:postIn ?scope }} UNION {{ ?thing org:postIn/ecm:bodyOf ?scope }}
             UNION {{ ?thing ecm:bodyOf ?scope }} }}
}}""", strict=False),
        Lookup("thing", "post, body or function with a statutory basis", f"""
SELECT DISTINCT ?thing ?label ?rank WHERE {{
  {{ ?thing ecm:statutoryBasis|ecm:guidanceBasis ?basis }}
  UNION {{ ?thing a/rdfs:subClassOf* ?kind . ?kind ecm:statutoryBasis|ecm:guidanceBasis ?basis }}
  ?thing {_LABEL} ?label .
  BIND(IF(EXISTS {{ ?thing a owl:Class }}, 0, 1) AS ?rank)
}}"""),
        Lookup("entity", "thing", f"""
SELECT DISTINCT ?thing ?label WHERE {{ ?thing {_LABEL}|dcterms:title ?label . FILTER(isIRI(?thing)) }}"""),
    )
}


@dataclass(frozen=True)
class Candidate:
    """A thing a label may name: its IRI, its labels, what it belongs to and the days it existed."""

    iri: str
    labels: tuple[str, ...]
    scopes: frozenset[str]
    start: dt.date | None = None
    end: dt.date | None = None
    rank: int = 0

    def exists_on(self, day: dt.date) -> bool:
        """True if the thing existed on ``day`` (no dates recorded: always)."""
        return (self.start is None or self.start <= day) and (self.end is None or self.end >= day)

    def describe(self) -> str:
        """``Label <IRI>`` for messages."""
        label = sorted(self.labels, key=lambda t: (len(t), t))[0] if self.labels else ""
        return f"{label} <{self.iri}>" if label else f"<{self.iri}>"


def normalise_label(text: str) -> str:
    """A label as compared: Unicode-normalised, curly quotes straightened, case-folded, spaces collapsed."""
    text = unicodedata.normalize("NFKC", text)
    text = text.replace("\u2019", "'").replace("\u2018", "'").replace("\u201c", '"').replace("\u201d", '"')
    return " ".join(text.casefold().split())


def _date_of(term: ox.NamedNode | ox.Literal | None) -> dt.date | None:
    if isinstance(term, ox.Literal):
        try:
            return dt.date.fromisoformat(term.value)
        except ValueError:
            return None
    return None


def expand_iri(value: str) -> str | None:
    """``value`` as an absolute IRI if it is one (``<…>``, ``https://…``) or a known prefixed name, else None.

    Raises InputError for something written as an IRI that is not a valid one (``http://a>}``).
    """
    text = value.strip()
    iri = None
    if text.startswith("<") and text.endswith(">") and _ABSOLUTE_IRI.match(text[1:-1]):
        iri = text[1:-1]
    elif _ABSOLUTE_IRI.match(text):
        iri = text
    elif (match := _PREFIXED_NAME.match(text)) and match.group(1) in PREFIXES:
        iri = PREFIXES[match.group(1)] + match.group(2)
    if iri is not None:
        try:
            ox.NamedNode(iri)
        except ValueError as exc:
            raise InputError(f"{value!r} is not a valid IRI: {exc}", hint="check the IRI, or give a name") from None
    return iri


class Resolver:
    """Finds the IRI a user means by a label, an alternative label, a code or an IRI, on one engine.

    One query per lookup reads the candidates of a kind, narrowed where it can be: to the IRI given, or to things
    with a label containing the longest word of the name given (the matching itself is done in Python, where
    case folding and apostrophes are the same on every engine). Every candidate is read only to suggest the
    closest labels when nothing matches.
    """

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._cache: dict[tuple[str, str | None, str | None], list[Candidate]] = {}

    def candidates(self, kind: str, *, thing: str | None = None, word: str | None = None) -> list[Candidate]:
        """The things of ``kind`` with their labels, scopes, dates and rank: all, the one ``thing``, or those
        with a label containing ``word`` (lower case)."""
        key = (kind, thing, word)
        if key not in self._cache:
            lookup = LOOKUPS[kind]
            text = sparql_prologue() + lookup.query
            bindings: dict[str, ox.NamedNode | ox.Literal] = {}
            if thing is not None:
                bindings["thing"] = ox.NamedNode(thing)
            if word is not None:
                text = text.rstrip()[:-1] + "  FILTER(CONTAINS(LCASE(STR(?label)), ?word))\n}"
                bindings["word"] = ox.Literal(word)
            table = self.engine.select(text, bindings, source=f"<lookup of {kind}>")
            cols = table.columns
            found: dict[str, dict[str, Any]] = {}
            for row in table.rows:
                values = dict(zip(cols, row))
                iri = values.get("thing")
                if not isinstance(iri, ox.NamedNode):
                    continue
                entry = found.setdefault(iri.value, {"labels": set(), "scopes": set(), "start": None, "end": None,
                                                     "rank": None})
                label = values.get("label")
                if isinstance(label, ox.Literal):
                    entry["labels"].add(label.value)
                scope = values.get("scope")
                if isinstance(scope, ox.NamedNode):
                    entry["scopes"].add(scope.value)
                entry["start"] = entry["start"] or _date_of(values.get("start"))
                entry["end"] = entry["end"] or _date_of(values.get("end"))
                rank = values.get("rank")
                if isinstance(rank, ox.Literal) and rank.value.lstrip("-").isdigit():
                    entry["rank"] = int(rank.value) if entry["rank"] is None else min(entry["rank"], int(rank.value))
            self._cache[key] = [
                Candidate(iri, tuple(sorted(e["labels"])), frozenset(e["scopes"]), e["start"], e["end"],
                          e["rank"] or 0)
                for iri, e in sorted(found.items())
            ]
        return self._cache[key]

    def exists(self, iri: str) -> bool:
        """True if the data says anything about ``iri`` (as subject or object)."""
        table = self.engine.select(
            "SELECT ?p WHERE { { ?thing ?p ?o } UNION { ?s ?p ?thing } } LIMIT 1",
            {"thing": ox.NamedNode(iri)}, source="<lookup>")
        return bool(table.rows)

    def resolve(
        self,
        value: str,
        kind: str,
        *,
        parameter: str,
        scope: str | None = None,
        scope_label: str | None = None,
        day: dt.date | None = None,
    ) -> str:
        """The IRI that ``value`` names among the things of ``kind`` (narrowed to ``scope`` if given).

        Matching is case-insensitive on every label, alternative label and code; an exact match wins, then a
        match on whole words inside a label. Among several things with the label, the one that existed on
        ``day`` is preferred, then the one the lookup ranks first (a kind of post over one authority's post).
        Raises UnknownName (exit 3) with the closest labels when nothing matches, and AmbiguousName listing the
        matches when several do.
        """
        lookup = LOOKUPS[kind]
        where = f" of {scope_label or scope}" if scope is not None else ""

        def narrowed(pool: list[Candidate]) -> list[Candidate]:
            if scope is None:
                return pool
            return [c for c in pool if scope in c.scopes or (not lookup.strict and not c.scopes)]

        iri = expand_iri(value)
        if iri is not None:
            if narrowed(self.candidates(kind, thing=iri)):
                return iri
            if kind == "entity" and self.exists(iri):
                return iri
            article = "an" if lookup.noun[0] in "aeiouAEIOU" else "a"
            raise UnknownName(f"parameter {parameter}: <{iri}> is not {article} {lookup.noun}{where} in the data",
                              hint=self._suggest(value, narrowed(self.candidates(kind))))
        needle = normalise_label(value)
        if not needle:
            raise UnknownName(f"parameter {parameter}: an empty value names no {lookup.noun}")
        words = re.findall(r"[a-z0-9]+", unicodedata.normalize("NFKC", value).lower())
        pool = narrowed(self.candidates(kind, word=max(words, key=len)) if words else self.candidates(kind))
        exact = [c for c in pool if any(normalise_label(label) == needle for label in c.labels)]
        matches = exact or [c for c in pool if any(_contains_words(normalise_label(label), needle)
                                                    for label in c.labels)]
        if len(matches) > 1 and day is not None:
            living = [c for c in matches if c.exists_on(day)]
            if len(living) == 1:
                matches = living
        if len(matches) > 1:
            best = min(c.rank for c in matches)
            preferred = [c for c in matches if c.rank == best]
            if len(preferred) == 1:
                matches = preferred
        if len(matches) == 1:
            return matches[0].iri
        if not matches:
            raise UnknownName(f"parameter {parameter}: no {lookup.noun}{where} matches {value!r}",
                              hint=self._suggest(value, narrowed(self.candidates(kind))))
        shown = "; ".join(c.describe() for c in matches[:8])
        more = f" and {len(matches) - 8} more" if len(matches) > 8 else ""
        raise AmbiguousName(
            f"parameter {parameter}: {value!r} matches {len(matches)} things: {shown}{more}",
            hint="give one of them: its full name or its IRI",
        )

    @staticmethod
    def _suggest(value: str, pool: Sequence[Candidate]) -> str:
        by_label: dict[str, Candidate] = {}
        for c in pool:
            for label in c.labels:
                by_label.setdefault(normalise_label(label), c)
        close = difflib.get_close_matches(normalise_label(value), list(by_label), n=12, cutoff=0.6)
        if not close:
            return "no label is close; give an IRI, or list what there is with 'ecmgraph sparql'"
        shown: dict[str, str] = {}  # one suggestion per thing, under its closest label
        for label in close:
            c = by_label[label]
            if c.iri not in shown and len(shown) < 5:
                original = next(lbl for lbl in c.labels if normalise_label(lbl) == label)
                shown[c.iri] = f"{original!r} <{c.iri}>"
        return "closest: " + "; ".join(shown.values())


def _contains_words(label: str, needle: str) -> bool:
    """True if ``needle`` occurs in ``label`` starting and ending at word boundaries."""
    return re.search(r"(?<!\w)" + re.escape(needle) + r"(?!\w)", label) is not None


# --------------------------------------------------------------------------------------------------------------
# Binding values and running
# --------------------------------------------------------------------------------------------------------------


def parse_date(value: str, *, parameter: str, today: dt.date) -> dt.date:
    """``today`` or an ISO date (YYYY-MM-DD). Raises InputError otherwise."""
    text = value.strip()
    if text.casefold() == "today":
        return today
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise InputError(f"parameter {parameter}: {value!r} is not a date",
                         hint="write it YYYY-MM-DD, or 'today'") from None


def bind_parameters(
    query: PackagedQuery,
    values: Mapping[str, str],
    engine: Engine | None = None,
    *,
    today: dt.date | None = None,
) -> dict[str, ox.NamedNode | ox.Literal]:
    """The RDF term of each parameter, by query variable: given values resolved, defaults filled in.

    Labels are looked up on ``engine`` (the data the query will run on); with no engine, a parameter that names
    a thing must be given as an IRI. Raises UnknownName for an unknown parameter or a label that names nothing
    (or several things), and InputError for a missing required parameter, a malformed date or IRI, or a value
    outside ``enumerate``.
    """
    today = today or dt.date.today()
    for name in values:
        query.parameter(name)  # raises UnknownName for an unknown parameter
    missing = [p.name for p in query.parameters if p.required and p.name not in values]
    if missing:
        raise InputError(f"query {query.name!r} needs {', '.join(missing)}",
                         hint=f"for example: {query.example_command()}")
    given = {p.name: values[p.name] if p.name in values else p.default for p in query.parameters}
    day = None
    for p in query.parameters:
        if p.type == "date" and given.get(p.name) is not None:
            day = parse_date(str(given[p.name]), parameter=p.name, today=today)
    resolver = Resolver(engine) if engine is not None else None
    resolved: dict[str, str] = {}
    terms: dict[str, ox.NamedNode | ox.Literal] = {}
    # Parameters that others are narrowed by come first.
    order = sorted(query.parameters, key=lambda p: p.within is not None)
    for p in order:
        raw = given.get(p.name)
        if raw is None:
            continue
        if p.type == "date":
            term: ox.NamedNode | ox.Literal = ox.Literal(
                parse_date(raw, parameter=p.name, today=today).isoformat(), datatype=_XSD_DATE)
        elif p.type == "string":
            term = ox.Literal(raw)
        else:
            if p.lookup is not None and resolver is not None:
                scope = resolved.get(p.within) if p.within else None
                iri = resolver.resolve(raw, p.lookup, parameter=p.name, scope=scope,
                                       scope_label=values.get(p.within) if p.within else None, day=day)
            else:
                iri = expand_iri(raw)
                if iri is None:
                    raise UnknownName(f"parameter {p.name}: {raw!r} is not an IRI"
                                      + (", and there is no data to look the name up in" if p.lookup else ""),
                                      hint="give an absolute IRI (https://…) or a prefixed name (ecmid:…)")
            term = ox.NamedNode(iri)  # resolved IRIs come from the data or were checked by expand_iri
            resolved[p.name] = iri
        if p.enum and _enum_value(term) not in p.enum:
            raise InputError(f"parameter {p.name}: {raw!r} is not one of the values it takes",
                             hint="one of: " + ", ".join(p.enum))
        terms[p.variable] = term
    return terms


def _enum_value(term: ox.NamedNode | ox.Literal) -> str:
    return term.value


def parameter_values(
    query: PackagedQuery,
    pairs: Iterable[tuple[str, str]],
    as_of: dt.date | None = None,
) -> dict[str, str]:
    """The values given on the command line (``-p NAME VALUE``…, ``--as-of DATE``) as one mapping.

    Raises UnknownName for a parameter the query does not have (``--as-of`` needs a ``date`` parameter), and
    InputError for a parameter given twice with different values.
    """
    values: dict[str, str] = {}
    for name, value in pairs:
        query.parameter(name)
        if name in values and values[name] != value:
            raise InputError(f"parameter {name} is given twice ({values[name]!r} and {value!r})",
                             hint="give each parameter once")
        values[name] = value
    if as_of is not None:
        if not any(p.name == DATE_PARAMETER for p in query.parameters):
            raise UnknownName(f"query {query.name!r} is not answered as at a date: it has no {DATE_PARAMETER} "
                              f"parameter", hint="leave out --as-of")
        if DATE_PARAMETER in values and values[DATE_PARAMETER] != as_of.isoformat():
            raise InputError(f"--as-of {as_of.isoformat()} and -p {DATE_PARAMETER} {values[DATE_PARAMETER]} disagree",
                             hint="give the date once")
        values[DATE_PARAMETER] = as_of.isoformat()
    return values


def bound_text(
    query: PackagedQuery | str,
    values: Mapping[str, str] | None = None,
    engine: Engine | None = None,
    *,
    today: dt.date | None = None,
) -> str:
    """The query's text with its parameters bound in a VALUES block: what ecmgraph sends to an engine."""
    packaged = get_query(query) if isinstance(query, str) else query
    return bind_values(packaged.text, bind_parameters(packaged, values or {}, engine, today=today))


def run_packaged(
    dataset: Any,
    query: PackagedQuery | str,
    values: Mapping[str, str] | None = None,
    *,
    endpoint: str | None = None,
    timeout: float | None = None,
    today: dt.date | None = None,
) -> Table:
    """Run a packaged query (or one named so) with its parameters bound (see :func:`bind_parameters`).

    On the local ``dataset``, or, given ``endpoint``, on that SPARQL endpoint (``dataset`` is then ignored):
    labels are looked up, and the query run, where the data is. Raises what :func:`bind_parameters` raises,
    QuerySyntaxError, and EndpointError when the endpoint fails.
    """
    packaged = get_query(query) if isinstance(query, str) else query
    engine = engine_for(dataset, endpoint, timeout)
    terms = bind_parameters(packaged, values or {}, engine, today=today)
    if "validation-report" in packaged.requires:
        day = terms.get(f"__{DATE_PARAMETER}_xsd_date")
        engine = with_validation_report(dataset, endpoint, timeout,
                                        dt.date.fromisoformat(day.value) if day else today or dt.date.today())
    return engine.select(packaged.text, terms, source=str(packaged.path))


#: Named graphs the compliance matrix adds: the shapes, and the validation report of each day.
SHAPES_GRAPH = "https://w3id.org/ecmgraph/graph/shapes"
REPORT_GRAPH = "https://w3id.org/ecmgraph/graph/validation/"

_AUTHORITIES_SLICE = """PREFIX ecm: <https://w3id.org/ecmgraph/def#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
CONSTRUCT { ?a a ?kind ; rdfs:label ?label ; ecm:region ?region ; ecm:startDate ?start ; ecm:endDate ?end }
WHERE {
  ?a a ?kind . ?kind rdfs:subClassOf* ecm:Authority .
  OPTIONAL { ?a rdfs:label ?label } OPTIONAL { ?a ecm:region ?region }
  OPTIONAL { ?a ecm:startDate ?start } OPTIONAL { ?a ecm:endDate ?end }
}"""


def with_validation_report(dataset: Any, endpoint: str | None, timeout: float | None, day: dt.date) -> Engine:
    """An engine over the data, the packaged shapes and ecmgraph's validation report as at ``day``.

    The report is :func:`ecmgraph.validation.validate`'s, as ``ecmgraph validate --format turtle`` writes it, with
    each result's authority as ``dcterms:coverage`` (the authority the text report files it under). ecmgraph
    validates the data where it is (on the endpoint, or the local dataset, which is left as it was), then reads
    the authorities the query needs (their kinds, names, regions and days) into a small store of their own with
    the ontology, the shapes and the report: the data is never copied whole (at national scale a copy would
    double the memory the query takes). Raises what validation raises (InputError for a date before 2004-11-15,
    EndpointError).
    """
    from ecmgraph import store as store_module
    from ecmgraph import validation
    from ecmgraph.endpoint import DEFAULT_TIMEOUT, Endpoint
    from ecmgraph.reports import report_triples

    copy = ox.Store()
    copy.load(path=str(resources.ontology_path()), format=ox.RdfFormat.TURTLE,
              to_graph=ox.NamedNode(store_module.ONTOLOGY_GRAPH))
    if endpoint is not None:
        remote = Endpoint(endpoint, timeout if timeout is not None else DEFAULT_TIMEOUT)
        report = validation.validate(remote, as_of=day)
        slice_ = getattr(remote.query(_AUTHORITIES_SLICE), "triples", ())
        origin = ox.NamedNode(endpoint)
    else:
        report = _validate_leaving_data_as_it_was(dataset, day)
        slice_ = dataset.store.query(_AUTHORITIES_SLICE, use_default_graph_as_union=True)
        origin = ox.NamedNode(DATA_SLICE_GRAPH)
    copy.bulk_extend(ox.Quad(t.subject, t.predicate, t.object, origin) for t in slice_)
    shapes = ox.NamedNode(SHAPES_GRAPH)
    for path in validation.shapes_files():
        copy.load(path=str(path), format=ox.RdfFormat.TURTLE, to_graph=shapes)
    graph = ox.NamedNode(REPORT_GRAPH + day.isoformat())
    triples = report_triples(report)
    results = sorted({t.subject.value for t in triples if t.predicate.value == _SH_RESULT_TYPE[0]
                      and t.object.value == _SH_RESULT_TYPE[1]}, key=lambda iri: int(iri.rsplit("/", 1)[-1]))
    coverage = [
        ox.Triple(ox.NamedNode(iri), _DCTERMS_COVERAGE, ox.NamedNode(finding.authority))
        for iri, finding in zip(results, report.findings) if finding.authority is not None
    ]
    copy.bulk_extend(ox.Quad(t.subject, t.predicate, t.object, graph) for t in [*triples, *coverage])
    return LocalEngine(store_module.Dataset(store=copy))


def _validate_leaving_data_as_it_was(dataset: Any, day: dt.date) -> Any:
    """:func:`ecmgraph.validation.validate` of a local dataset as at ``day``, then the graphs validation wrote into
    it (the normalisation's links, the merge into the default graph) taken out again: what ecmgraph reads is
    never changed, and the data is not copied to keep it so. A read-only store is copied by validation itself."""
    from ecmgraph import validation

    store = dataset.store
    graphs = set(store.named_graphs())
    default_was_empty = _graph_is_empty(store, ox.DefaultGraph())
    try:
        return validation.validate(dataset, as_of=day)
    finally:
        for graph in set(store.named_graphs()) - graphs:
            store.remove_graph(graph)
        if default_was_empty and not _graph_is_empty(store, ox.DefaultGraph()):
            store.clear_graph(ox.DefaultGraph())


def _graph_is_empty(store: ox.Store, graph: ox.NamedNode | ox.DefaultGraph) -> bool:
    return next(iter(store.quads_for_pattern(None, None, None, graph)), None) is None


#: The graph, in the compliance matrix's own store, of the authorities read from the local data.
DATA_SLICE_GRAPH = "https://w3id.org/ecmgraph/graph/authorities"

_SH_RESULT_TYPE = ("http://www.w3.org/1999/02/22-rdf-syntax-ns#type", "http://www.w3.org/ns/shacl#ValidationResult")
_DCTERMS_COVERAGE = ox.NamedNode("http://purl.org/dc/terms/coverage")


# --------------------------------------------------------------------------------------------------------------
# Listing and documentation
# --------------------------------------------------------------------------------------------------------------


def parameter_synopsis(query: PackagedQuery) -> str:
    """``authority, topic, [date]``: required parameters plain, optional ones in brackets."""
    return ", ".join(p.name if p.required else f"[{p.name}]" for p in query.parameters)


def catalogue_table(queries: Iterable[PackagedQuery]) -> Table:
    """The catalogue as a table: name, summary, parameters."""
    rows = tuple((ox.Literal(q.name), ox.Literal(q.summary), ox.Literal(parameter_synopsis(q))) for q in queries)
    return Table(("name", "summary", "parameters"), rows)


def _md(text: str) -> str:
    return text.replace("|", "\\|")


def render_readme(queries: Mapping[str, PackagedQuery]) -> str:
    """``queries/README.md``, generated from the headers (``python -m ecmgraph.queries`` writes it)."""
    out = [README_INTRO.strip(), "", "## The queries", "",
           "| query | question | parameters |", "|---|---|---|"]
    for q in queries.values():
        out.append(f"| [`{q.name}`](#{q.name}) | {_md(q.summary)} | {_md(parameter_synopsis(q)) or '—'} |")
    for q in queries.values():
        out += ["", f"### {q.name}", "", f"**{_md(q.summary)}**", "", q.description, ""]
        if q.tags:
            out += ["Tags: " + ", ".join(f"`{t}`" for t in q.tags) + ".", ""]
        if q.parameters:
            out += ["| parameter | type | required | default | names | description |", "|---|---|---|---|---|---|"]
            for p in q.parameters:
                names = p.lookup or ""
                if p.within:
                    names += f" (of the `{p.within}`)"
                if p.enum:
                    names = (names + "; " if names else "") + "one of " + ", ".join(f"`{v}`" for v in p.enum)
                out.append(f"| `{p.name}` | {p.type} | {'yes' if p.required else 'no'} | "
                           f"{('`' + p.default + '`') if p.default else ''} | {_md(names)} | {_md(p.description)} |")
            out.append("")
        else:
            out += ["No parameters.", ""]
        if q.requires:
            out += ["Requires: " + ", ".join(q.requires) + " (see below).", ""]
        out += ["| column | holds |", "|---|---|"]
        out += [f"| `{c}` | {_md(d)} |" for c, d in q.columns.items()]
        out += ["", "```", q.example_command(), "```"]
    out += ["", README_OUTRO.strip(), ""]
    return "\n".join(out)


README_INTRO = """
# queries/ — the packaged SPARQL queries

GENERATED from the `#+` headers of the `.rq` files by `python -m ecmgraph.queries > queries/README.md`; a test
keeps it in step. Edit the headers, not this file.

Each query answers one question of `QUESTIONS.md`; its file name is its name, which users, scripts and
published links rely on. Run one with `ecmgraph query run NAME -p PARAM VALUE…` (`ecmgraph query list` lists
them, `ecmgraph query show NAME` prints one), on the packaged data, on your own files, or on a SPARQL 1.1
endpoint with `--endpoint URL`.

## How a query file is written

A `.rq` file opens with a YAML header on lines starting `#+`, compatible with
[grlc](https://github.com/CLARIAH/grlc), which turns such files into a web API:

- grlc's keys: `summary` (the question), `description`, `tags`, `defaults` (`- name: value`) and `enumerate`
  (`- name: [values]`, for parameters whose values are a closed list);
- ecmgraph's own keys, which grlc ignores: `params` (for each parameter its `type` — `iri`, `date` or `string`
  —, a `description`, and for an IRI the kind of thing it names, `lookup`, and the parameter it is narrowed by,
  `within`), `example` (values that give rows on the packaged data), `columns` (what each result column holds)
  and `requires`.

Parameters are query variables named as grlc names them: `?_name_iri` for a required IRI, `?__name_iri` for an
optional one, `?__date_xsd_date` for a date. The header must declare exactly the parameters the query uses,
with the same types; a header that does not parse, has an unknown key or disagrees with its query is an error
(exit 3), never ignored.

**Values are bound, never spliced.** ecmgraph turns each value into one RDF term — an IRI found by lookup, a
typed date, a plain literal — and binds it in an escaped `VALUES` block at the start of the WHERE clause (and
of each sub-SELECT's, which SPARQL evaluates first), both on the local store and on a remote endpoint. A value
such as `x" } ; DROP ALL #` is one literal that matches nothing. Optional parameters left out stay unbound, and
the queries are written so that unbound means "any": `FILTER(?region = COALESCE(?__region_iri, ?region))`. The same text works under grlc, which substitutes the
values.

**Names, not IRIs.** Where a parameter names an authority, a county, a region, a post, a person, a role, a
topic or function, an outcome or any other thing (`lookup`), the value may be its label, an alternative label,
its code (GSS codes such as `E10000028`) or its IRI, in any case: `staffordshire`, `Staffordshire County
Council`, `E10000028` and `https://w3id.org/ecmgraph/id/authority/E10000028` are the same authority. An exact
label wins; otherwise a label containing the words given. When nothing matches, ecmgraph exits with code 3
and the closest labels; when several things match, it names them and asks for one (among authorities with the
same name, the one that existed on the `date` is taken). A post may be named by its kind (`DCS`) when the
query narrows it to an authority.

**Time.** Every question about posts, holders or memberships is answered as at a date: the parameter `date`
(default today; `--as-of DATE` sets it). As the modelling guide defines it, a tenure, membership or vacancy is
current on that day when its `ecm:startDate` (if recorded) is on or before it and its `ecm:endDate` (if
recorded) on or after it; one with neither date but a `time:inside` (a source names the holder on its own date)
is only attested, and never current on an as-of date: histories (`post-history`, `person-bodies` without a
date) show it with that day. **Unknown is not vacant**: a post whose holder is not recorded shows an empty holder,
never "vacant"; only a recorded `ecm:Vacancy` makes a post vacant. Run by grlc or on an endpoint without `date`,
the queries take today from the endpoint's clock (`NOW()`); grlc's default `today` means the same.
"""

README_OUTRO = """
## Engine hints

A comment line `# ecmgraph: lateral` just before an `OPTIONAL` asks ecmgraph's own engine to run that OPTIONAL
for each row, with the row's values (`LATERAL { OPTIONAL { … } }`, SPARQL
[SEP-0006](https://github.com/w3c/sparql-dev/blob/main/SEP/SEP-0006/sep-0006.md), which pyoxigraph implements),
instead of evaluating its pattern once over the whole store and joining. It is for lookups such as "the holder
of each post of this chain on the date", where the rows are few and the pattern alone matches every tenure in
England: `accountability-chain` takes 3 ms instead of 150 ms on a synthetic England of a million triples. Being a
comment, the hint leaves the text standard SPARQL: grlc and rdflib run the plain OPTIONAL, with the same rows (a
test runs each hinted query both ways). With `--endpoint`, ecmgraph asks the endpoint once (`ASK { LATERAL { } }`)
whether it understands LATERAL: one that does (Oxigraph's server) is sent the lateral form, any other the plain
OPTIONAL. Use it only where every variable the OPTIONAL shares with the rows is bound in them: there, both forms
have the same answer.

## On a remote endpoint

`ecmgraph query run NAME --endpoint URL` sends the same query text, with the same `VALUES` block, to a SPARQL
1.1 endpoint (SPARQL 1.1 Protocol, POST, JSON results, `--timeout` seconds); label lookups run there too. The
endpoint must hold the data and the ontology (the queries follow `rdfs:subClassOf` through the ontology), with
its default graph the union of the named graphs (Oxigraph: `--union-default-graph`), as ecmgraph's own store
has it. A down, slow or misbehaving endpoint is an error (exit 3), never an empty answer.

## The compliance matrix and the validation report

`compliance-matrix` (`requires: validation-report`) reads ecmgraph's validation results from a SHACL validation
report graph: an `sh:ValidationReport` whose `dcterms:temporal` is the date, and whose results carry their rule
(`dcterms:identifier`), severity (`sh:resultSeverity`), kind (`ecm:findingKind`) and authority (`dcterms:coverage`,
the authority `ecmgraph validate` files the finding under), beside the shapes (for the rules, their titles and
the days they come into force). So the matrix is `ecmgraph validate`'s answer, cell by cell (a test checks it):

- **locally**, ecmgraph validates the data as at the date (exactly as `ecmgraph validate --as-of DATE`), takes
  out again what validation wrote into the store (the data is left as it was, and never copied), and runs the
  query on a store of its own holding the authorities' kinds, names, regions and days, the ontology, the shapes
  and the report;
- **with `--endpoint URL`**, ecmgraph validates the endpoint's data on the endpoint (as `ecmgraph validate
  --endpoint URL` does), reads from it the authorities' kinds, names, regions and days, and runs the query on a
  local store of those, the ontology, the shapes and the report: nothing is written to the endpoint;
- **anywhere else** (grlc, an endpoint queried directly), the query runs on what the store holds: load the
  shapes and such a report into it. Without a report for the date every cell says "not validated", never
  "conforms".

A finding that `ecmgraph validate` files under no authority (one about a statutory function, say) has no cell.
"""


def main(argv: Sequence[str] | None = None) -> int:
    """``python -m ecmgraph.queries``: print queries/README.md generated from the headers."""
    import sys

    args = list(sys.argv[1:] if argv is None else argv)
    if args:
        print("usage: python -m ecmgraph.queries > queries/README.md", file=sys.stderr)
        return 2
    sys.stdout.write(render_readme(catalogue()))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
