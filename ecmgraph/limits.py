"""The input policy: how deep, long and large what ecmgraph reads may be, checked at the edges.

The parsers below ecmgraph (pyoxigraph's, rdflib's) recurse on nested input and can take the whole process
down (a stack overflow is a segmentation fault, not an exception), expand RDF/XML entities without limit, and
never stop a query on their own. So every file and query is checked cheaply first (nesting depth, entity
expansion, length), each limit reached is an :class:`ecmgraph.errors.LimitExceeded` naming the file, the line and
the limit, and parsing and query evaluation run in a worker thread with a large stack (:func:`run_guarded`),
which leaves the main thread free to honour Ctrl-C and a time limit.

The limits are :class:`Limits`; :func:`current` gives the ones in force, :func:`using` changes them for a block.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import re
from collections.abc import Iterator
from contextvars import ContextVar
from dataclasses import dataclass
from typing import BinaryIO, TypeVar
from xml.parsers import expat

from ecmgraph.errors import InputError, LimitExceeded, ParseError

T = TypeVar("T")

MIB = 1024 * 1024
UTF8_BOM = b"\xef\xbb\xbf"
#: Bytes of one literal or IRI: pyoxigraph's parsers hold a token in a buffer of at most 16 MiB.
MAX_TOKEN_BYTES = 16 * MIB


@dataclass(frozen=True)
class Limits:
    """What ecmgraph accepts from a file or a query; ``None`` is no limit."""

    #: Nesting of JSON-LD objects and arrays, and of RDF/XML elements.
    max_depth: int = 1000
    #: Characters that RDF/XML internal entities may add to one file, all references together.
    max_entity_expansion: int = 16 * MIB
    #: Bytes of one data file (none by default: national data runs to gigabytes).
    max_file_bytes: int | None = None
    #: Characters of one SPARQL query.
    max_query_chars: int = 1 * MIB
    #: Nesting of braces, parentheses and brackets in a SPARQL query.
    max_query_depth: int = 1000
    #: Operators and group keywords in a SPARQL query (a chain of them nests as deep in the parser).
    max_query_operators: int = 20000
    #: Whether a local query may run its SERVICE clauses (which reach the network): no unless asked.
    allow_service: bool = False


DEFAULT = Limits()
_CURRENT: ContextVar[Limits] = ContextVar("ecmgraph_limits", default=DEFAULT)


def current() -> Limits:
    """The limits in force."""
    return _CURRENT.get()


@contextlib.contextmanager
def using(limits: Limits) -> Iterator[Limits]:
    """Put ``limits`` in force for the duration of a ``with`` block."""
    token = _CURRENT.set(limits)
    try:
        yield limits
    finally:
        _CURRENT.reset(token)


def set_current(limits: Limits) -> None:
    """Put ``limits`` in force from now on (the command line does, from its options)."""
    _CURRENT.set(limits)


def size(value: int) -> str:
    """A byte count as people read it: ``16 MiB``, ``1,000 bytes``."""
    if value >= MIB and value % MIB == 0:
        return f"{value // MIB:,} MiB"
    return f"{value:,} bytes"


_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}", re.A)


def parse_date(text: str) -> dt.date:
    """A date written YYYY-MM-DD, and only so (not 20090331, nor the week date 2009-W14-2). Raises ValueError."""
    if not _ISO_DATE.fullmatch(text):
        raise ValueError(f"not a date of the form YYYY-MM-DD: {text!r}")
    return dt.date.fromisoformat(text)


# --- data files ---------------------------------------------------------------------------------------------------


def strip_bom(data: bytes) -> bytes:
    """``data`` without a leading UTF-8 byte-order mark: accepted, and ignored, in every format."""
    return data[len(UTF8_BOM) :] if data.startswith(UTF8_BOM) else data


def check_file_size(nbytes: int, label: str, limits: Limits | None = None) -> None:
    """Raise LimitExceeded if a file of ``nbytes`` is over the file size limit."""
    limit = (limits or current()).max_file_bytes
    if limit is not None and nbytes > limit:
        raise LimitExceeded(
            f"the file is {size(nbytes)}, over the limit of {size(limit)} per file",
            file=label,
            hint="raise the limit with --max-file-size, or split the file",
        )


_JSON_STRING = re.compile(rb'"(?:[^"\\\n]|\\.)*"')
_JSON_KEEP = b"{}[]\n"
_JSON_DROP = bytes(b for b in range(256) if b not in _JSON_KEEP)


def check_json_depth(data: bytes, label: str, limits: Limits | None = None) -> None:
    """Raise LimitExceeded, with the line, if JSON ``data`` nests objects and arrays deeper than the limit."""
    limit = (limits or current()).max_depth
    if data.count(b"{") + data.count(b"[") <= limit:
        return
    # Strings cannot hold a raw line break, so blanking them keeps the lines; then only brackets are left.
    brackets = _JSON_STRING.sub(b'""', data).translate(None, _JSON_DROP)
    depth, line = 0, 1
    for byte in brackets:
        if byte == 10:
            line += 1
        elif byte in (123, 91):
            depth += 1
            if depth > limit:
                raise _too_deep("JSON-LD objects and arrays", limit, label, line)
        else:
            depth -= 1


def _too_deep(what: str, limit: int, label: str, line: int | None) -> LimitExceeded:
    return LimitExceeded(
        f"{what} nest more than {limit:,} deep, the limit",
        file=label,
        line=line,
        hint="flatten the document (give nested nodes IRIs of their own)",
    )


class _DoctypeRead(Exception):
    """Raised at the first element: the DTD, if any, has been read."""


_ENTITY_REFERENCE = re.compile(rb"&([A-Za-z_:][\w.:-]*);")


def check_rdfxml(data: bytes, label: str, limits: Limits | None = None) -> None:
    """Raise ParseError if RDF/XML ``data`` declares entities that nest or refer to something outside the file, and
    LimitExceeded if its entities would add more text than the limit or its elements nest deeper than the limit.

    Entities that only abbreviate (``<!ENTITY owl "http://www.w3.org/2002/07/owl#">``, as ontology editors write)
    are accepted. Nothing is fetched: an external DTD is never read.
    """
    chosen = limits or current()
    if b"<!ENTITY" in data or b"<!entity" in data:
        _check_entities(data, label, chosen)
    if data.count(b"<") <= chosen.max_depth:
        return
    depth = 0

    def start(name: str, attributes: object) -> None:
        nonlocal depth
        depth += 1
        if depth > chosen.max_depth:
            raise _too_deep("RDF/XML elements", chosen.max_depth, label, parser.CurrentLineNumber)

    def end(name: str) -> None:
        nonlocal depth
        depth -= 1

    parser = _xml_parser()
    parser.StartElementHandler = start
    parser.EndElementHandler = end
    try:
        parser.Parse(data, True)
    except expat.ExpatError:
        return  # not well-formed: pyoxigraph says so, with its own message


def _xml_parser() -> expat.XMLParserType:
    parser = expat.ParserCreate()
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
    return parser


def _check_entities(data: bytes, label: str, limits: Limits) -> None:
    values: dict[str, str] = {}
    parser = _xml_parser()

    def refuse(why: str) -> ParseError:
        return ParseError(
            f"the RDF/XML document declares {why}",
            file=label,
            line=parser.CurrentLineNumber,
            hint="ecmgraph accepts only entities that stand for plain text; write the text out instead",
        )

    def entity(
        name: str,
        is_parameter: bool,
        value: str | None,
        base: str | None,
        system_id: str | None,
        public_id: str | None,
        notation: str | None,
    ) -> None:
        if is_parameter:
            raise refuse(f"a parameter entity (%{name};)")
        if value is None:
            raise refuse(f"an external entity (&{name};), which ecmgraph never fetches")
        if "&" in value or "%" in value:
            raise refuse(f"an entity (&{name};) that refers to other entities")
        values[name] = value

    def first_element(name: str, attributes: object) -> None:
        raise _DoctypeRead

    parser.EntityDeclHandler = entity
    parser.StartElementHandler = first_element
    try:
        parser.Parse(data, True)
    except _DoctypeRead:
        pass
    except expat.ExpatError as exc:
        raise ParseError(
            f"invalid rdfxml: {expat.errors.messages.get(exc.code, str(exc)) if exc.code else exc}",
            file=label,
            line=exc.lineno,
            column=exc.offset + 1,
            hint="the document declares entities and is not well-formed XML",
        ) from exc
    # Every reference to an entity adds its text; count them all (a comment's too: an upper bound is enough).
    added = sum(len(values.get(m.group(1).decode("utf-8", "replace"), "")) for m in _ENTITY_REFERENCE.finditer(data))
    if added > limits.max_entity_expansion:
        raise LimitExceeded(
            f"the RDF/XML document's entities would add {added:,} characters, over the limit of "
            f"{limits.max_entity_expansion:,}",
            file=label,
            hint="write the text out instead of through entities",
        )


# Outside strings, IRIs and comments: the tokens that open and close a triple term, and those that start a string,
# an IRI or a comment, which are passed over whole (a ">>" in a comment or a string closes nothing).
_TRIPLE_TOKEN = re.compile(rb'<<|>>|"""|\'\'\'|["\'#<]')
#: What ends each string, IRI or comment; a backslash escapes the byte after it (a line break ends a short string,
#: and anything an IRI cannot hold ends it, a ">" included).
_TOKEN_END = {
    b'"': re.compile(rb'\\.|["\n]', re.S),
    b"'": re.compile(rb"\\.|['\n]", re.S),
    b'"""': re.compile(rb'\\.|"""', re.S),
    b"'''": re.compile(rb"\\.|\'\'\'", re.S),
    b"<": re.compile(rb'\\.|[<>"{}|^`\x00-\x20]', re.S),
    b"#": re.compile(rb"\n"),
}
#: What a line break does not end: a long string.
_SPANS_LINES = (b'"""', b"'''")
#: What makes the lines before it worth reading: a triple term, a long string.
_AHEAD = (b"<<", *_SPANS_LINES)
#: Bytes held back at the end of a piece, to be followed with the next: a token that begins there ("<<", ">>",
#: '"""', an escape) may end in it.
_HOLD = 2


class NestingCheck:
    """Follows the nesting of RDF 1.2 triple terms (``<< … >>``) through Turtle, TriG, N-Triples or N-Quads read in
    pieces, and raises LimitExceeded past the depth limit: pyoxigraph's parsers recurse on them, and so does any
    code that hashes or compares such a term.

    Strings, IRIs and comments are passed over, so that no ``>>`` in them can hide the nesting around them (a
    ``<<`` in a string counts, though: an upper bound is enough), and what one piece leaves open is followed into
    the next. Outside triple terms, only the lines with a ``<<`` or a long string, and the last, are read token
    by token: nothing but a long string carries on past a line break.
    """

    def __init__(self, label: str, limits: Limits | None = None) -> None:
        self.label, self.limit = label, (limits or current()).max_depth
        self.depth, self.line = 0, 1
        self.inside: bytes | None = None  # the opening token of the string, IRI or comment being read
        self.held = b""

    def feed(self, chunk: bytes) -> None:
        """Follow ``chunk``, the next piece of the text (``b""`` at its end)."""
        data, self.held = self.held + chunk, b""
        self._follow(data, final=not chunk)

    def _follow(self, data: bytes, final: bool) -> None:
        n, pos, ahead, counted = len(data), 0, -1, 0  # counted: the line breaks before it are in self.line
        while pos < n:
            if self.depth == 0 and self.inside not in _SPANS_LINES:
                # Outside triple terms, skip to the line of the next "<<" or long string: at each line break before
                # it, nothing is open (the lines between cannot change that, and bytes.find skips them fast).
                if ahead < pos:
                    ahead = min((i for i in (data.find(t, pos) for t in _AHEAD) if i >= 0), default=n)
                newline = data.rfind(b"\n", pos, ahead)
                if newline >= 0:
                    self.line += data.count(b"\n", counted, newline + 1)
                    pos = counted = newline + 1
                    self.inside = None
                    if pos >= n:
                        break
            if self.inside is not None:
                opening, done = self.inside, pos
                for end in _TOKEN_END[opening].finditer(data, pos):
                    done = end.end()
                    if end.group()[:1] != b"\\":
                        self.inside = None
                        if opening == b"<" and end.group() != b">":
                            done = end.start()  # not part of the IRI: followed as what it is
                        break
                if self.inside is not None and not final:  # open to the end: its end may begin in the held bytes
                    cut = max(done, n - _HOLD)
                    self.held, n = data[cut:], cut
                pos = done if self.inside is None else n
                continue
            match = _TRIPLE_TOKEN.search(data, pos)
            if match is None:
                break
            if not final and match.start() >= n - _HOLD:
                self.held, n = data[match.start() :], match.start()
                break
            token, pos = match.group(), match.end()
            if token == b"<<":
                self.depth += 1
                if self.depth > self.limit:
                    line = self.line + data.count(b"\n", counted, pos)
                    raise _too_deep("triple terms (<< … >>)", self.limit, self.label, line)
            elif token == b">>":
                self.depth = max(0, self.depth - 1)
            else:
                self.inside = token
        self.line += data.count(b"\n", counted, n)


class CheckedReader:
    """A binary file that a :class:`NestingCheck` follows as a parser reads it."""

    def __init__(self, raw: BinaryIO, check: NestingCheck) -> None:
        self.raw, self.check = raw, check

    def read(self, size: int = -1) -> bytes:
        chunk = self.raw.read(size)
        self.check.feed(chunk)
        return chunk


def is_token_overflow(exc: MemoryError) -> bool:
    """Whether ``exc`` is pyoxigraph's "Reached the buffer maximal size": a token over :data:`MAX_TOKEN_BYTES`."""
    return "buffer maximal size" in str(exc)


def long_token_line(lines: Iterator[bytes]) -> int | None:
    """The number of the first of ``lines`` longer than the token limit, if any (to say where a token is)."""
    for number, line in enumerate(lines, 1):
        if len(line) > MAX_TOKEN_BYTES:
            return number
    return None


def token_too_long(label: str, line: int | None) -> LimitExceeded:
    """The error for a literal or IRI longer than the token limit."""
    return LimitExceeded(
        f"a literal or IRI is longer than {size(MAX_TOKEN_BYTES)}, the limit",
        file=label,
        line=line,
        hint="split the value, or keep it outside the graph and link to it",
    )


# --- SPARQL query text ------------------------------------------------------------------------------------------

_QUERY_OPERATOR = re.compile(
    r"&&|\|\||[-+*/!^|]|\b(?:UNION|OPTIONAL|MINUS|FILTER|EXISTS|BIND|GRAPH|SERVICE|LATERAL|SELECT)\b", re.I
)


def decode_query(data: bytes, source: str) -> str:
    """Query text from the bytes of a file: UTF-8, a byte-order mark ignored. Raises InputError otherwise."""
    try:
        return strip_bom(data).decode("utf-8")
    except UnicodeDecodeError as exc:
        raise _not_utf8(source, data[: exc.start].count(b"\n") + 1) from exc


def _not_utf8(source: str, line: int | None) -> InputError:
    return InputError(
        "the query is not UTF-8 text", file=source, line=line, hint="save the query as UTF-8 (SPARQL text is Unicode)"
    )


_QUERY_BRACKET = re.compile(r"[{}()\[\]]")


def check_query(text: str, source: str, mask: str, limits: Limits | None = None) -> None:
    """Raise InputError if ``text`` is not Unicode text (a lone surrogate, as an undecodable argument gives), or
    LimitExceeded if it is longer, nests deeper or chains more operators than the limits.

    ``mask`` is ``text`` with comments, strings and IRIs blanked (:func:`ecmgraph.sparql_text.code_mask`): only
    the query's own syntax counts.
    """
    chosen = limits or current()
    try:
        text.encode("utf-8")
    except UnicodeEncodeError as exc:
        raise _not_utf8(source, text.count("\n", 0, exc.start) + 1) from exc
    if len(text) > chosen.max_query_chars:
        raise LimitExceeded(
            f"the query is {len(text):,} characters long, over the limit of {chosen.max_query_chars:,}",
            file=source,
            hint="shorten the query (a long VALUES list can often be a file of data instead)",
        )
    depth = 0
    for match in _QUERY_BRACKET.finditer(mask):  # the brackets alone: a long VALUES block is mostly IRIs
        if match[0] in "{([":
            depth += 1
            if depth > chosen.max_query_depth:
                raise LimitExceeded(
                    f"the query nests braces and parentheses more than {chosen.max_query_depth:,} deep, the limit",
                    file=source,
                    line=mask.count("\n", 0, match.start()) + 1,
                    hint="flatten the query",
                )
        else:
            depth -= 1
    operators = sum(1 for _ in _QUERY_OPERATOR.finditer(mask)) if len(mask) > chosen.max_query_operators else 0
    if operators > chosen.max_query_operators:
        raise LimitExceeded(
            f"the query has {operators:,} operators and group keywords, over the limit of "
            f"{chosen.max_query_operators:,}",
            file=source,
            hint="shorten the query",
        )
