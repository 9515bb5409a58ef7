"""The fuzzer's inputs: seeds from the repository and the mutations made of them, all drawn from one seeded RNG.

A case is plain data (:class:`Case`): the command line, the files to write in a private folder before running it,
and the paths it may write. ``@HTTP@`` and ``@TCP@`` in its bytes and arguments stand for the ports of the
loopback listeners that record any connection; the runner puts in the real ports before writing the files.
"""

from __future__ import annotations

import base64
import random
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]
#: Seeds larger than this are left out: the fuzzer wants many quick runs, not a few slow ones.
MAX_SEED_BYTES = 64 * 1024
DATA_SUFFIXES = {".ttl", ".trig", ".nt", ".nq", ".jsonld", ".json", ".rdf", ".owl", ".xml"}

HTTP = "@HTTP@"
TCP = "@TCP@"
LOOPBACK_IRI = f"http://127.0.0.1:{HTTP}/fuzz"


@dataclass
class Case:
    """One run of the command line on generated files."""

    id: int
    command: str  # the command's name, for the summary: stats, validate, sparql, query run, load
    mutation: str  # what was done to the seed, for the summary and the reproduction
    args: list[str]
    files: dict[str, bytes] = field(default_factory=dict)
    env: dict[str, str] = field(default_factory=dict)
    #: Paths (relative to the case's folder) the command may create or change: its -o file, its --store folder
    #: (ending in "/").
    writes: list[str] = field(default_factory=list)
    #: Whether the command was allowed to connect to the listeners (a SERVICE clause with --allow-service).
    allow_connections: bool = False

    def to_json(self) -> dict[str, object]:
        """The case as JSON-ready data (file contents base64)."""
        return {
            "id": self.id,
            "command": self.command,
            "mutation": self.mutation,
            "args": self.args,
            "files": {name: base64.b64encode(data).decode() for name, data in self.files.items()},
            "env": self.env,
            "writes": self.writes,
            "allow_connections": self.allow_connections,
        }


@dataclass(frozen=True)
class Seeds:
    """The files mutations start from."""

    data: list[tuple[str, bytes]]  # (suffix, bytes)
    queries: list[bytes]
    packaged: dict[str, list[str]]  # packaged query name -> its parameters

    @classmethod
    def from_repository(cls, root: Path = ROOT) -> Seeds:
        """The packaged data, the test fixtures and the packaged queries (sorted, so a seed gives the same run)."""
        data: list[tuple[str, bytes]] = []
        for folder in (root / "data", root / "tests" / "fixtures"):
            for path in sorted(folder.rglob("*")):
                if path.suffix in DATA_SUFFIXES and path.is_file() and path.stat().st_size <= MAX_SEED_BYTES:
                    data.append((path.suffix, path.read_bytes()))
        queries = [p.read_bytes() for p in sorted((root / "queries").glob("*.rq"))]
        queries += [p.read_bytes() for p in sorted((root / "tests" / "fixtures").rglob("*.rq"))]
        packaged = {p.stem: _parameters(p.read_text(encoding="utf-8")) for p in sorted((root / "queries").glob("*.rq"))}
        return cls(data, queries, packaged)


def _parameters(query: str) -> list[str]:
    header = "\n".join(line[3:] for line in query.splitlines() if line.startswith("#+ ") or line == "#+")
    params = (yaml.safe_load(header) or {}).get("params") or {}
    return sorted(params)


# --- byte, line and token mutations ----------------------------------------------------------------------------

INTERESTING_TOKENS = [
    '"',
    "'",
    '"""',
    "'''",
    "<",
    ">",
    "{",
    "}",
    "(",
    ")",
    "[",
    "]",
    ".",
    ";",
    ",",
    "\\",
    "\\u0000",
    "\\U0010FFFF",
    "\\uD800",
    "^^",
    "@en",
    "@",
    "_:b0",
    "_:",
    "?x",
    "$x",
    "a",
    "<<",
    ">>",
    "<<(",
    ")>>",
    "#",
    "1e999999",
    "-0",
    "NaN",
    "INF",
    "9" * 400,
    "\x00",
    "\ufeff",
    "\u202e",
    "\U0001f600",
    "@prefix",
    "@base",
    "PREFIX",
    "BASE",
    '"2009-02-30"^^xsd:date',
    '"x"^^xsd:dateTime',
    '"-0"^^xsd:integer',
    '"1e400"^^xsd:double',
    "<>",
    "<#>",
    "<file:///etc/passwd>",
    f"<{LOOPBACK_IRI}>",
    "<javascript:alert(1)>",
    '{"@id":',
    '"@context"',
    "&lt;",
    "&x;",
    "<!--",
    "]]>",
    "<![CDATA[",
    "rdf:parseType",
    "GRAPH",
    "FILTER",
    "BIND",
    "VALUES",
    "OPTIONAL",
    "MINUS",
    "UNION",
]

#: Text spliced into a query: what would reach the network or change data if ecmgraph ran it.
NETWORK_AND_UPDATE = [
    f"SERVICE <{LOOPBACK_IRI}/sparql> {{ ?s ?p ?o }}",
    f"SERVICE SILENT <{LOOPBACK_IRI}/sparql> {{ ?s ?p ?o }}",
    "SERVICE ?endpoint { ?s ?p ?o }",
    f"service<http://127.0.0.1:{TCP}/>{{?s ?p ?o}}",
    f"LOAD <{LOOPBACK_IRI}/data.ttl>",
    f"LOAD SILENT <{LOOPBACK_IRI}/data.ttl> INTO GRAPH <urn:g>",
    "INSERT DATA { <urn:a> <urn:b> <urn:c> }",
    "DELETE WHERE { ?s ?p ?o }",
    "DROP ALL",
    "CLEAR DEFAULT",
    "; INSERT DATA { <urn:a> <urn:b> <urn:c> }",
    "PREFIX x: <urn:x#> INSERT DATA { x:a x:b x:c }",
    "\rDROP\rALL",
    f"CREATE GRAPH <{LOOPBACK_IRI}/g>",
    f"FROM <{LOOPBACK_IRI}/from.ttl>",
    f"FROM NAMED <http://127.0.0.1:{TCP}/named>",
]

#: Text spliced into data: what a parser that follows links would fetch.
NETWORK_IN_DATA = {
    "turtle": [
        f"<urn:fuzz> <http://www.w3.org/2002/07/owl#imports> <{LOOPBACK_IRI}/imported.ttl> .\n",
        f"@base <{LOOPBACK_IRI}/> .\n<x> <y> <z> .\n",
        f"@prefix fz: <http://127.0.0.1:{TCP}/> .\nfz:a fz:b fz:c .\n",
        f"<urn:fuzz> <http://www.w3.org/2000/01/rdf-schema#seeAlso> <{LOOPBACK_IRI}/see.ttl> .\n",
    ],
    "jsonld": [
        f'{{"@context": "{LOOPBACK_IRI}/context.jsonld", "@id": "urn:x", "name": "x"}}',
        f'{{"@context": ["{LOOPBACK_IRI}/a.jsonld", {{"@import": "{LOOPBACK_IRI}/b.jsonld"}}], "@id": "urn:x"}}',
        f'[{{"@id": "urn:x", "http://www.w3.org/2002/07/owl#imports": {{"@id": "{LOOPBACK_IRI}/o.ttl"}}}}]',
    ],
    "rdfxml": [
        f'<?xml version="1.0"?>\n<!DOCTYPE rdf:RDF SYSTEM "{LOOPBACK_IRI}/x.dtd">\n'
        '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"/>\n',
        f'<?xml version="1.0"?>\n<!DOCTYPE rdf:RDF [<!ENTITY ext SYSTEM "{LOOPBACK_IRI}/ext.txt">]>\n'
        '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:e="urn:e#">'
        '<rdf:Description rdf:about="urn:x"><e:p>&ext;</e:p></rdf:Description></rdf:RDF>\n',
        f'<?xml version="1.0"?>\n<!DOCTYPE r [<!ENTITY % p SYSTEM "http://127.0.0.1:{TCP}/p.dtd"> %p;]>\n<r/>\n',
        '<?xml version="1.0"?>\n<!DOCTYPE r [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">'
        '<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;"><!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;">]>\n'
        '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:e="urn:e#">'
        '<rdf:Description rdf:about="urn:x"><e:p>&d;&d;&d;&d;</e:p></rdf:Description></rdf:RDF>\n',
    ],
}

NESTING = {
    "turtle": ("<urn:s> <urn:p> ", "[ <urn:p> ", "] ", " .\n"),
    "list": ("<urn:s> <urn:p> ", "( ", ") ", " .\n"),
    "triple": ("", "<< ", "<urn:p> <urn:o> >> ", ""),  # filled as << << … <urn:s> … >> >>
    "triple-commented": ("<urn:s> <urn:p> ", "<<( <urn:s> <urn:p> # >>\n", " )>>", " .\n"),
    "jsonld": ("", '{"urn:p": ', "}", ""),
    "jsonarray": ("", "[", "]", ""),
    "rdfxml": (
        '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:e="urn:e#">',
        '<rdf:Description><e:p rdf:parseType="Resource">',
        "</e:p></rdf:Description>",
        "</rdf:RDF>",
    ),
    "query_braces": ("SELECT * WHERE ", "{ ", "} ", ""),
    "query_parens": ("SELECT * WHERE { FILTER ", "(", ")", " }"),
    "query_optional": ("SELECT * WHERE { ", "OPTIONAL { ?s ?p ?o ", "} ", "}"),
    "query_ops": ("SELECT * WHERE { FILTER (1", " + 1", "", ") }"),
}


class Mutator:
    """Mutations of bytes, drawn from ``rng``; ``huge`` is the largest token a mutation may make (bytes)."""

    def __init__(self, rng: random.Random, seeds: Seeds, huge: int) -> None:
        self.rng, self.seeds, self.huge = rng, seeds, huge
        self.operations: dict[str, Callable[[bytes], bytes]] = {
            "flip": self.flip,
            "truncate": self.truncate,
            "duplicate": self.duplicate,
            "splice": self.splice,
            "lines": self.lines,
            "token": self.token,
            "nesting": self.nesting,
            "huge-token": self.huge_token,
            "encoding": self.encoding,
            "line-breaks": self.line_breaks,
            "loopback-iris": self.loopback_iris,
        }

    def mutate(self, data: bytes, rounds: int | None = None) -> tuple[str, bytes]:
        """``data`` after one to three mutations, with their names."""
        names = []
        for _ in range(rounds or self.rng.choice((1, 1, 1, 2, 3))):
            name = self.rng.choice(list(self.operations))
            data = self.operations[name](data)
            names.append(name)
        return "+".join(names), data

    def _at(self, data: bytes) -> int:
        return self.rng.randrange(len(data) + 1)

    def flip(self, data: bytes) -> bytes:
        if not data:
            return bytes([self.rng.randrange(256)])
        buf = bytearray(data)
        for _ in range(self.rng.choice((1, 1, 2, 8, 64))):
            i = self.rng.randrange(len(buf))
            buf[i] = self.rng.choice((buf[i] ^ (1 << self.rng.randrange(8)), self.rng.randrange(256)))
        return bytes(buf)

    def truncate(self, data: bytes) -> bytes:
        return data[: self._at(data)]

    def duplicate(self, data: bytes) -> bytes:
        i = self._at(data)
        j = min(len(data), i + self.rng.choice((1, 16, 256, 4096)))
        times = self.rng.choice((2, 10, 100))
        return data[:i] + data[i:j] * times + data[j:]

    def splice(self, data: bytes) -> bytes:
        other = self.rng.choice(self.seeds.queries if self.rng.random() < 0.3 else [d for _, d in self.seeds.data])
        i, j = sorted((self.rng.randrange(len(other) + 1), self.rng.randrange(len(other) + 1)))
        at = self._at(data)
        return data[:at] + other[i:j] + data[at:]

    def lines(self, data: bytes) -> bytes:
        rows = data.split(b"\n")
        i, j = self.rng.randrange(len(rows)), self.rng.randrange(len(rows))
        how = self.rng.choice(("delete", "swap", "repeat"))
        if how == "delete":
            del rows[i]
        elif how == "swap":
            rows[i], rows[j] = rows[j], rows[i]
        else:
            rows[i:i] = [rows[j]] * self.rng.choice((1, 5, 50))
        return b"\n".join(rows)

    def token(self, data: bytes) -> bytes:
        pieces = re.split(rb"(\s+)", data)
        words = [k for k, p in enumerate(pieces) if p and not p.isspace()]
        new = self.rng.choice(INTERESTING_TOKENS).encode("utf-8", "surrogatepass")
        if not words:
            return data + new
        k = self.rng.choice(words)
        if self.rng.random() < 0.5:
            pieces[k] = new
        else:
            pieces[k] = pieces[k] + new if self.rng.random() < 0.5 else new + pieces[k]
        return b"".join(pieces)

    def nesting(self, data: bytes) -> bytes:
        kind = self.rng.choice(list(NESTING))
        depth = self.rng.choice((999, 1001, 5000, 50000))
        head, open_, close, tail = NESTING[kind]
        if kind == "triple":
            core = "<< " * depth + "<urn:s> <urn:p> <urn:o> " + ">> " * depth
            text = core + "<urn:p> <urn:o> .\n"
        elif kind == "query_ops":
            text = head + open_ * depth + tail
        else:
            middle = '"x"' if kind in ("jsonld", "jsonarray") else ("?s ?p ?o " if kind.startswith("query") else "")
            if kind == "turtle":
                middle = "<urn:o> "
            if kind == "list":
                middle = "1 "
            if kind == "rdfxml":
                middle = "<e:q>x</e:q>"
            if kind == "triple-commented":
                middle = '"a >> b" '  # ">>" in comments and strings closes nothing
            text = head + open_ * depth + middle + close * depth + tail
        blob = text.encode()
        return blob if self.rng.random() < 0.5 else data[: self._at(data)] + blob

    def huge_token(self, data: bytes) -> bytes:
        n = self.rng.choice([k for k in (1000, 100_000, 1 << 20, 16 << 20, (16 << 20) + 1) if k <= self.huge])
        filler = self.rng.choice((b"a", b"\xc3\xa9", b"9", b"\\u0041"))
        body = filler * (n // len(filler))
        form = self.rng.choice(('<urn:s> <urn:p> "{}" .\n', "<urn:s> <urn:p> <urn:{}> .\n", "{}", '"{}"'))
        before, after = form.encode().split(b"{}")
        blob = before + body + after
        return data + blob if self.rng.random() < 0.5 else blob

    def encoding(self, data: bytes) -> bytes:
        how = self.rng.choice(
            ("utf16", "utf16be", "utf32", "latin1", "bom", "double-bom", "bom-mid", "bad-utf8", "nul", "surrogate")
        )
        text = data.decode("utf-8", "replace")
        if how == "utf16":
            return text.encode("utf-16")
        if how == "utf16be":
            return text.encode("utf-16-be")
        if how == "utf32":
            return text.encode("utf-32")
        if how == "latin1":
            return text.encode("latin-1", "replace")
        if how == "bom":
            return b"\xef\xbb\xbf" + data
        if how == "double-bom":
            return b"\xef\xbb\xbf\xef\xbb\xbf" + data
        at = self._at(data)
        insert = {
            "bom-mid": b"\xef\xbb\xbf",
            "bad-utf8": b"\xc0\xaf\xff\xfe",
            "nul": b"\x00",
            "surrogate": b"\xed\xa0\x80",
        }
        return data[:at] + insert[how] + data[at:]

    def line_breaks(self, data: bytes) -> bytes:
        return data.replace(b"\n", self.rng.choice((b"\r", b"\r\n", b"\n\r", b"\x0b", b"\xe2\x80\xa8")))

    def loopback_iris(self, data: bytes) -> bytes:
        iri = self.rng.choice((LOOPBACK_IRI, f"http://127.0.0.1:{TCP}/x", f"https://127.0.0.1:{HTTP}/s"))
        return re.sub(rb"https?://[^\s<>\"'{}|\\^`]+", iri.encode(), data, count=self.rng.choice((1, 5, 0)))

    def splice_in(self, data: bytes, texts: list[str]) -> bytes:
        at = self.rng.choice((0, len(data), self._at(data)))
        return data[:at] + b"\n" + self.rng.choice(texts).encode() + b"\n" + data[at:]


# --- the command lines ------------------------------------------------------------------------------------------

HOSTILE_VALUES = [
    "Staffordshire",
    "staffordshire county council",
    "E10000028",
    "https://w3id.org/ecmgraph/id/authority/E10000028",
    'y" } ; DROP ALL #',
    "'} UNION { ?s ?p ?o } #",
    "<urn:x>",
    "",
    " ",
    "\x00",
    "\\",
    '"',
    "?x",
    "%00",
    "\ufeff",
    LOOPBACK_IRI,
    f"http://127.0.0.1:{TCP}/",
    "file:///etc/passwd",
    "DCS",
    "safeguarding",
    "a" * 100_000,
    "\u202eabc",
    "\U0001f600",
    "2009-06-01",
    "20090601",
    "2009-W14-2",
    "2009-02-30",
    "-9999-01-01",
    "9999-12-31",
    "today",
    "SERVICE <x> {}",
    "}}}}}}}}",
    "{" * 2000,
    "(" * 2000,
]
ODD_TIMEOUTS = ["0", "0.001", "-1", "nan", "inf", "1e300", "86401", "abc", "1", "30"]
ODD_DATES = ["2009-06-01", "20090601", "2009-W14-2", "2009-02-30", "0001-01-01", "9999-12-31", "2004-11-14", "x", ""]
ODD_SIZES = ["0", "1", "10", "10K", "1M", "1G", "abc", "-5", "1.5M", "99999999999999999999T"]


def _format_of(suffix: str) -> str:
    return {".jsonld": "jsonld", ".json": "jsonld", ".rdf": "rdfxml", ".owl": "rdfxml", ".xml": "rdfxml"}.get(
        suffix, "turtle"
    )


class Generator:
    """Cases drawn from one seed: the same seed gives the same cases."""

    COMMANDS = ("stats", "validate", "sparql", "query run", "load")

    def __init__(self, seed: int, seeds: Seeds | None = None, huge: int = 1 << 20) -> None:
        self.rng = random.Random(seed)
        self.seeds = seeds or Seeds.from_repository()
        self.mutator = Mutator(self.rng, self.seeds, huge)
        self.count = 0

    def __iter__(self) -> Generator:
        return self

    def __next__(self) -> Case:
        self.count += 1
        command = self.COMMANDS[(self.count - 1) % len(self.COMMANDS)]
        return getattr(self, "_" + command.replace(" ", "_"))(self.count)

    def _data_file(self, mutate: bool = True) -> tuple[str, bytes, str]:
        suffix, data = self.rng.choice(self.seeds.data)
        mutation = "none"
        if mutate:
            if self.rng.random() < 0.15:
                data = self.mutator.splice_in(data, NETWORK_IN_DATA[_format_of(suffix)])
                mutation = "network-link"
            else:
                mutation, data = self.mutator.mutate(data)
        if self.rng.random() < 0.1:  # told from the extension: give it the wrong one now and then
            suffix = self.rng.choice(sorted(DATA_SUFFIXES))
        return "input" + suffix, data, mutation

    def _query(self) -> tuple[bytes, str]:
        query = self.rng.choice(self.seeds.queries)
        if self.rng.random() < 0.35:
            return self.mutator.splice_in(query, NETWORK_AND_UPDATE), "network-or-update"
        mutation, query = self.mutator.mutate(query)
        return query, mutation

    def _globals(self, case: Case) -> list[str]:
        options: list[str] = []
        if self.rng.random() < 0.1:
            options += ["--max-file-size", self.rng.choice(ODD_SIZES)]
        if self.rng.random() < 0.05:
            case.env["ECMGRAPH_MAX_FILE_SIZE"] = self.rng.choice(ODD_SIZES)
        if self.rng.random() < 0.05:
            case.env["ECMGRAPH_MAX_RESPONSE"] = self.rng.choice(ODD_SIZES)
        return options

    def _output(self, case: Case, args: list[str]) -> None:
        if self.rng.random() < 0.3:
            name = self.rng.choice(("out.txt", "sub/out.txt", "input.ttl", ".", "out dir/x"))
            args += ["-o", name]
            case.writes.append(name)
            if self.rng.random() < 0.2 and "/" not in name and name != ".":
                case.files[name] = b"an older file\n"  # a file there already, to be replaced whole
            if self.rng.random() < 0.3:
                args.append("--force")

    def _maybe(self, args: list[str], option: str, values: list[str], p: float = 0.2) -> None:
        if self.rng.random() < p:
            args += [option, self.rng.choice(values)]

    def _stats(self, n: int) -> Case:
        name, data, mutation = self._data_file()
        case = Case(n, "stats", mutation, [], {name: data})
        args = ["stats", name]
        if self.rng.random() < 0.5:
            args.append("--no-reference")
        self._maybe(args, "--as-of", ODD_DATES)
        self._maybe(args, "--format", ["text", "json"], 0.3)
        self._output(case, args)
        case.args = self._globals(case) + args
        return case

    def _validate(self, n: int) -> Case:
        name, data, mutation = self._data_file()
        case = Case(n, "validate", mutation, [], {name: data})
        args = ["validate", name]
        if self.rng.random() < 0.5:
            args.append("--no-reference")
        self._maybe(args, "--as-of", ODD_DATES)
        self._maybe(args, "--format", ["text", "json", "turtle", "junit"], 0.3)
        self._maybe(args, "--rule", ["ECM001", "ECM004,ECM012", "ECM999", "x"], 0.2)
        self._output(case, args)
        case.args = self._globals(case) + args
        return case

    def _sparql(self, n: int) -> Case:
        query, mutation = self._query()
        name, data, data_mutation = self._data_file(mutate=self.rng.random() < 0.2)
        case = Case(n, "sparql", mutation if data_mutation == "none" else f"{mutation}; data {data_mutation}", [])
        case.files = {"query.rq": query, name: data}
        args = ["sparql", "-f", "query.rq", name]
        if self.rng.random() < 0.15:  # the query on the command line rather than in a file
            args = ["sparql", query.decode("utf-8", "replace").replace("\x00", ""), name]
        args.append("--no-reference")
        self._maybe(args, "--timeout", ODD_TIMEOUTS, 0.3)
        self._maybe(args, "--format", ["table", "csv", "tsv", "json", "markdown", "turtle", "ntriples", "jsonld"], 0.3)
        if self.rng.random() < 0.05:
            args.append("--allow-service")
            case.mutation += "; --allow-service"
            case.allow_connections = True  # a SERVICE allowed may reach the listener: not a failure
        self._output(case, args)
        case.args = self._globals(case) + args
        return case

    def _query_run(self, n: int) -> Case:
        name = self.rng.choice(sorted(self.seeds.packaged))
        params = self.seeds.packaged[name]
        data_name, data, data_mutation = self._data_file(mutate=self.rng.random() < 0.3)
        case = Case(n, "query run", f"data {data_mutation}", [], {data_name: data})
        if self.rng.random() < 0.25:  # a packaged query's text, mutated, as an .rq file with its header
            text = (ROOT / "queries" / f"{name}.rq").read_bytes()
            mutation, text = self.mutator.mutate(text)
            case.files["mine.rq"] = text
            case.mutation = f"query {mutation}; " + case.mutation
            name = "mine.rq"
        args = ["query", "run", name]
        for param in params + (["nosuch"] if self.rng.random() < 0.05 else []):
            if self.rng.random() < 0.8:
                value = self.rng.choice(HOSTILE_VALUES)
                if self.rng.random() < 0.3:
                    value = self.mutator.mutate(value.encode())[1].decode("utf-8", "replace")
                args += ["-p", param, value.replace("\x00", "")]  # an argument cannot hold a NUL
        args.append(data_name)
        if self.rng.random() < 0.5:
            args.append("--no-reference")
        self._maybe(args, "--as-of", ODD_DATES)
        self._maybe(args, "--timeout", ODD_TIMEOUTS)
        self._maybe(args, "--format", ["table", "csv", "tsv", "json", "markdown"], 0.3)
        self._output(case, args)
        case.args = self._globals(case) + args
        return case

    def _load(self, n: int) -> Case:
        name, data, mutation = self._data_file()
        case = Case(n, "load", mutation, [], {name: data}, writes=["db/"])
        args = ["load", "--store", "db", name]
        if self.rng.random() < 0.2:
            args.append("--replace")
        case.args = self._globals(case) + args
        return case
