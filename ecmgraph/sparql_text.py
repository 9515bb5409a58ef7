"""SPARQL text: values bound in a ``VALUES`` block, prefixes declared, updates refused, engine hints, syntax
errors with their line and column; and :func:`run_query`, the one place that runs a query on a loaded dataset
and turns pyoxigraph's results and errors into ecmgraph's (:class:`ecmgraph.engines.LocalEngine` calls it).
"""

from __future__ import annotations

import re
from collections.abc import Mapping

import pyoxigraph as ox

from ecmgraph import limits, threads
from ecmgraph.errors import InputError, QuerySyntaxError, QueryTimeout
from ecmgraph.results import Graph, QueryResult, Table
from ecmgraph.store import Dataset

_LOCATION = re.compile(r"^error at (\d+):(\d+): ?(.*)$", re.S)
# On the code mask (IRIs blanked): the prologue, then an update's first keyword.
_UPDATE = re.compile(
    r"^\s*(?:(?:PREFIX\s*[^\s:]*:|BASE)\s*)*(INSERT|DELETE|LOAD|CLEAR|DROP|CREATE|ADD|MOVE|COPY|WITH)\b", re.I
)
# SERVICE as a keyword: not a variable (?SERVICE), a prefix (SERVICE:) or a local name (ex:SERVICE).
_SERVICE = re.compile(r"(?<![\w:?$])SERVICE(?![\w:.-])", re.I)
_CODEPOINT_ESCAPE = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")


def syntax_error(exc: SyntaxError, source: str) -> QuerySyntaxError:
    """A pyoxigraph query SyntaxError as a QuerySyntaxError with line and column."""
    text = exc.msg or str(exc)
    match = _LOCATION.match(text)
    line, column, message = (int(match[1]), int(match[2]), match[3]) if match else (None, None, text)
    message = " ".join(message.split())
    hint = "check the query near there (SPARQL 1.1 Query; prefixes ecm:, org:, skos:… are predeclared)"
    if "Prefix not found" in message:
        message, hint = "unknown prefix", "declare it with PREFIX, or use a full <IRI>"
    elif len(message) > 140:  # the parser lists every token it would have accepted: keep the start
        message = message[:140].rsplit(",", 1)[0] + ", …"
    return QuerySyntaxError(f"SPARQL syntax error: {message}", file=source, line=line, column=column, hint=hint)


def values_clause(bindings: Mapping[str, ox.NamedNode | ox.BlankNode | ox.Literal]) -> str:
    """A SPARQL ``VALUES`` block binding each variable to one RDF term, written in N-Triples syntax.

    Terms are serialised by pyoxigraph, which escapes them: a value can never close the block or add syntax,
    so this is binding, not splicing (a literal such as ``y" } ; DROP ALL #`` stays one string literal).
    """
    names = sorted(bindings)
    for name in names:
        if not name.isidentifier():
            raise ValueError(f"not a SPARQL variable name: {name!r}")
        if isinstance(bindings[name], ox.BlankNode):
            raise ValueError("a blank node cannot be bound from outside a query")
    variables = " ".join(f"?{n}" for n in names)
    terms = " ".join(str(bindings[n]) for n in names)
    return f"VALUES ({variables}) {{ ({terms}) }}"


# The keyword stands after a space, a ")", "}", "*" or ">" (or at the start), never inside a name or an IRI.
_WHERE_BRACE = re.compile(r"(?<![^\s)}*>])(?:WHERE|ASK)\s*\{", re.I)


# What code_mask blanks, left to right: a comment to the end of its line; a string, long or short, to its closing
# quote (a backslash escapes the next character, newlines included) or the end of the text; an IRI reference.
_MASKED = re.compile(
    r"#[^\n]*"
    r'|"""(?:\\[\s\S]?|(?!""")[^\\])*(?:"""|\Z)'
    r"|'''(?:\\[\s\S]?|(?!''')[^\\])*(?:'''|\Z)"
    r'|"(?:\\[\s\S]?|[^"\\])*(?:"|\Z)'
    r"|'(?:\\[\s\S]?|[^'\\])*(?:'|\Z)"
    r'|<[^<>"{}|^`\\\x00-\x20]*>'
)
_NOT_NEWLINE = re.compile(r"[^\n]+")


def _blanked(match: re.Match[str]) -> str:
    found = match[0]
    if "\n" not in found:  # an IRI, most often: hundreds of them in a VALUES block
        return " " * len(found)
    return _NOT_NEWLINE.sub(lambda run: " " * len(run[0]), found)


def _hollowed(match: re.Match[str]) -> str:
    found = match[0]
    if found[0] == "#" or len(found) < 2:
        return _blanked(match)
    return found[0] + _NOT_NEWLINE.sub(lambda run: "_" * len(run[0]), found[1:-1]) + found[-1]


def code_mask(query: str, *, keep_ends: bool = False) -> str:
    """``query`` with its comments, string literals and IRIs blanked out (same length, newlines kept).

    What is left is SPARQL syntax only, so that a keyword or a brace inside a comment (a ``#+`` header line
    saying "where {"), a string or an IRI is never taken for the query's own. With ``keep_ends``, an IRI or a
    string keeps its first and last characters around ``_`` (``<___>``, ``"__"``), so that where a term stands
    is still seen (a comment is blanked either way).
    """
    return _MASKED.sub(_hollowed if keep_ends else _blanked, query)


def bind_values(query: str, bindings: Mapping[str, ox.NamedNode | ox.Literal]) -> str:
    """``query`` with a VALUES block for ``bindings`` as the first thing in its WHERE clause, and in the WHERE
    clause of each sub-SELECT: in each, the values of the variables it mentions, and no block where it mentions
    none of them.

    At the start of the WHERE group the values constrain every pattern and FILTER of the query (a trailing
    VALUES would join only after grouping). A sub-SELECT is evaluated on its own, before the rows around it, so
    it gets the values too: a parameter means the same value everywhere in the text, as when grlc substitutes it,
    and a sub-SELECT can use it to stay small. A query (or sub-SELECT) whose own text, its sub-SELECTs left out,
    never names a variable has no use for its value: left out, it changes no row, and Virtuoso 7.2, which gives
    a query whose outer VALUES repeats its sub-SELECT's fewer rows or none, answers as pyoxigraph does.
    Comments, strings and IRIs are skipped when looking for the ``WHERE {`` and the variables. Raises ValueError
    if the query has no ``WHERE {``.
    """
    if not bindings:
        return query
    masked = code_mask(query)
    ends = [match.end() for match in _WHERE_BRACE.finditer(masked)]
    if not ends:
        raise ValueError("the query has no WHERE { … } to bind values in")
    scopes = sub_selects(masked) if len(ends) > 1 else []  # each sub-SELECT has a WHERE of its own
    for end in reversed(ends):
        used = _variables_of(masked, _scope_of(end, scopes, len(masked)), scopes)
        named = {name: term for name, term in bindings.items() if name in used}
        if named:
            query = f"{query[:end]}\n  {values_clause(named)}\n{query[end:]}"
    return query


_SUB_SELECT = re.compile(r"\{\s*SELECT\b", re.I)
_VARIABLE = re.compile(r"[?$](\w+)")


_BRACE = re.compile(r"[{}]")


def sub_selects(masked: str) -> list[tuple[int, int]]:
    """The spans of the sub-SELECTs of a masked query (:func:`code_mask`), ``{ SELECT`` to just after its closing
    brace (to the end of the text where none closes it), outermost first."""
    starts = [m.start() for m in _SUB_SELECT.finditer(masked)]
    if not starts:
        return []
    closing: dict[int, int] = {}
    opened: list[int] = []
    for brace in _BRACE.finditer(masked):
        if brace[0] == "{":
            opened.append(brace.start())
        elif opened:
            closing[opened.pop()] = brace.end()
    return [(start, closing.get(start, len(masked))) for start in starts]


def _scope_of(position: int, scopes: list[tuple[int, int]], length: int) -> tuple[int, int]:
    """The innermost sub-SELECT holding ``position``, or the whole query."""
    holding = [s for s in scopes if s[0] < position < s[1]]
    return max(holding, key=lambda s: s[0]) if holding else (0, length)


def _variables_of(masked: str, scope: tuple[int, int], scopes: list[tuple[int, int]]) -> set[str]:
    """The variables a scope's own text names, the sub-SELECTs inside it left out."""
    start, end = scope
    inner = sorted(s for s in scopes if start <= s[0] and s[1] <= end and s != scope)
    text, at = [], start
    for s, e in inner:
        if s >= at:  # a sub-SELECT inside one already left out is left out with it
            text.append(masked[at:s])
            at = e
    text.append(masked[at:end])
    return set(_VARIABLE.findall("".join(text)))


# "# ecmgraph: lateral" on the line before an OPTIONAL (see queries/README.md, "Engine hints").
_LATERAL_HINT = re.compile(r"^[ \t]*#[ \t]*ecmgraph:[ \t]*lateral[ \t]*\n[ \t]*(OPTIONAL)\s*\{", re.M | re.I)


def lateral_optionals(query: str) -> str:
    """``query`` with each OPTIONAL that a ``# ecmgraph: lateral`` comment line marks written as
    ``LATERAL { OPTIONAL { … } }`` (SPARQL SEP-0006, which pyoxigraph implements).

    pyoxigraph evaluates an OPTIONAL's pattern once over the whole store and hash-joins it; laterally, it is
    evaluated for each row with that row's values, which is what a lookup of a few posts' holders wants. For a
    pattern whose variables shared with the rows are always bound there, both give the same rows. The hint is
    a comment, so the text stays standard SPARQL for every other engine. Comments, strings and IRIs are skipped
    when matching the OPTIONAL's braces.
    """
    if "lateral" not in query.casefold():  # no hint: no second mask of a long text
        return query
    mask = code_mask(query)
    inserts: list[tuple[int, str]] = []  # (position in the original text, what goes there)
    for match in _LATERAL_HINT.finditer(query):
        start, depth = match.start(1), 0
        if mask[start : match.end(1)].upper() != "OPTIONAL":
            continue  # the hint and OPTIONAL were inside a string
        for k in range(match.end() - 1, len(mask)):
            depth += {"{": 1, "}": -1}.get(mask[k], 0)
            if depth == 0:
                inserts += [(start, "LATERAL { "), (k + 1, " }")]
                break
    for position, text in sorted(inserts, reverse=True):  # from the end, so that nested hints stay in place
        query = query[:position] + text + query[position:]
    return query


_PREFIX_DECL = re.compile(r"\bPREFIX\s+([A-Za-z][\w.-]*)?:", re.I)


def declare_prefixes(query: str, prefixes: Mapping[str, str]) -> str:
    """``query`` with ``PREFIX`` lines in front for each of ``prefixes`` it does not declare itself.

    What ecmgraph predeclares locally (pyoxigraph's ``prefixes``) must be spelt out for a remote endpoint.
    """
    declared = {m.group(1) or "" for m in _PREFIX_DECL.finditer(code_mask(query))}
    missing = "".join(f"PREFIX {p}: <{iri}>\n" for p, iri in prefixes.items() if p not in declared)
    return missing + query


def unescape_codepoints(text: str) -> str:
    """``text`` with SPARQL's ``\\uXXXX`` and ``\\UXXXXXXXX`` escapes replaced by their characters, as parsers do
    before anything else (so that ``\\u0053ERVICE`` is the keyword SERVICE)."""
    if "\\u" not in text and "\\U" not in text:
        return text

    def char(match: re.Match[str]) -> str:
        code = int(match[1] or match[2], 16)
        return chr(code) if code <= 0x10FFFF and not 0xD800 <= code <= 0xDFFF else match[0]

    return _CODEPOINT_ESCAPE.sub(char, text)


def check_query_text(text: str, source: str) -> str:
    """The code mask (:func:`code_mask`) of ``text``, once it is known to be Unicode text within the limits of
    :mod:`ecmgraph.limits` (length, nesting, operators). Raises InputError or LimitExceeded."""
    if len(text) > limits.current().max_query_chars:  # before any work on it
        limits.check_query(text, source, "")
    mask = code_mask(unescape_codepoints(text))
    limits.check_query(text, source, mask)
    return mask


def is_update(text: str, mask: str | None = None) -> bool:
    """Whether ``text`` is a SPARQL update (or empty): rdflib's update parser reads it (nothing is executed), or
    it starts, after its prologue, with an update's keyword."""
    from pyparsing import ParseBaseException
    from rdflib.plugins.sparql.parser import parseUpdate

    if _UPDATE.match(mask if mask is not None else code_mask(unescape_codepoints(text))):
        return True
    try:
        parseUpdate(text)
    except (ParseBaseException, RecursionError, ValueError, TypeError):
        return False
    return True


def refuse_updates(text: str, source: str) -> None:
    """Raise QuerySyntaxError if ``text`` is a SPARQL update or empty (ecmgraph only runs queries), InputError or
    LimitExceeded if it is not UTF-8 text or over the limits. Called before any query leaves for an endpoint."""
    mask = check_query_text(text, source)
    if not mask.strip():
        raise QuerySyntaxError(
            "the query is empty", file=source, hint="give a SELECT, ASK, CONSTRUCT or DESCRIBE query"
        )
    if is_update(text, mask):
        raise _update_refused(source)


def _update_refused(source: str) -> QuerySyntaxError:
    return QuerySyntaxError(
        "this is a SPARQL update, and ecmgraph only runs queries",
        file=source,
        hint="use SELECT, ASK, CONSTRUCT or DESCRIBE; ecmgraph never modifies what it reads",
    )


def refuse_service(mask: str, source: str) -> None:
    """Raise InputError if the query whose code mask is ``mask`` has a SERVICE clause: run locally, it would send
    part of the query over the network."""
    # A quick look first ("SERV": the I of SERVICE also matches a dotless or dotted i, whose case folds apart).
    match = _SERVICE.search(mask) if "serv" in mask.casefold() else None
    if match:
        raise InputError(
            "the query has a SERVICE clause, which would send part of it over the network",
            file=source,
            line=mask.count("\n", 0, match.start()) + 1,
            column=match.start() - (mask.rfind("\n", 0, match.start()) + 1) + 1,
            hint="give --allow-service to let a local query reach the services it names",
        )


def run_query(
    dataset: Dataset,
    text: str,
    *,
    source: str = "<query>",
    prefixes: Mapping[str, str] | None = None,
    bindings: Mapping[str, ox.NamedNode | ox.Literal] | None = None,
    union: bool = True,
    timeout: float | None = None,
) -> QueryResult:
    """Run a SELECT, ASK, CONSTRUCT or DESCRIBE query over the union of the dataset's graphs (or, ``union``
    false, over its default graph).

    ``bindings`` gives variables their values through a VALUES block (:func:`bind_values`), the same way on
    every engine (pyoxigraph's own ``substitutions`` only reach projected variables). The query runs in a worker
    thread (:func:`ecmgraph.threads.run_guarded`): Ctrl-C stops it, and so does ``timeout`` (seconds). A SERVICE
    clause is refused unless the limits in force allow it (``--allow-service``).
    Raises QuerySyntaxError (with line and column in ``source``) for a query that does not parse or an update,
    InputError or LimitExceeded for text that is not UTF-8 or over the limits, QueryTimeout.
    """
    original, mask = text, check_query_text(text, source)
    if not limits.current().allow_service:
        refuse_service(mask, source)
    if bindings:
        text = bind_values(text, bindings)
    text = lateral_optionals(text)
    options = {"use_default_graph_as_union": union, "prefixes": dict(prefixes) if prefixes else None}

    def evaluate() -> QueryResult:
        result = dataset.store.query(text, **options)  # type: ignore[arg-type]
        if isinstance(result, ox.QuerySolutions):
            return Table.from_solutions(result)
        if isinstance(result, ox.QueryBoolean):
            return bool(result)
        return Graph(tuple(result))

    try:
        return threads.run_guarded(evaluate, timeout=timeout)
    except QueryTimeout as exc:
        exc.file = source
        raise
    except SyntaxError as exc:
        if is_update(original, mask):
            raise _update_refused(source) from exc
        raise syntax_error(exc, source) from exc
