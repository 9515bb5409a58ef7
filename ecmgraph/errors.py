"""The errors ecmgraph raises on purpose, each with the exit code of the README's table (Exit codes).

Exit codes: 0 success; 1 results at or above the failure level; 2 usage error (click's own);
3 input error (a file missing, unreadable, unparseable or over a limit, a SPARQL syntax error, an unknown query, rule or
parameter). The command line prints one ``Error: …`` line from :meth:`EcmgraphError.one_line`.
"""

from __future__ import annotations

import logging
import sys
import traceback
from dataclasses import dataclass, field

#: The longest message an error line gives whole (characters).
MAX_MESSAGE = 1000


@dataclass
class EcmgraphError(Exception):
    """Base class: a message, and where known the file, line, column and a hint for the user."""

    message: str
    file: str | None = None
    line: int | None = None
    column: int | None = None
    hint: str | None = None
    exit_code: int = field(default=3, init=False)

    def __post_init__(self) -> None:
        super().__init__(self.message)

    def __str__(self) -> str:
        return self.one_line()

    def location(self) -> str:
        """``file:line:column`` as far as it is known, or an empty string."""
        if not self.file:
            return ""
        parts = [self.file]
        if self.line is not None:
            parts.append(str(self.line))
            if self.column is not None:
                parts.append(str(self.column))
        return ":".join(parts)

    def one_line(self) -> str:
        """The message as one line: location, message, hint; a message over :data:`MAX_MESSAGE` characters (one
        quoting a value someone pasted, say) is cut, saying how long it was."""
        text = " ".join(self.message.split())
        if len(text) > MAX_MESSAGE:
            text = f"{text[:MAX_MESSAGE]}… (the message is {len(text):,} characters long, cut here)"
        where = self.location()
        out = f"{where}: {text}" if where else text
        if self.hint:
            out += f" (hint: {' '.join(self.hint.split())})"
        return out


@dataclass
class UsageProblem(EcmgraphError):
    """A command given an argument it cannot take (an unknown rule for ``--explain``): exit code 2, as click's own
    usage errors."""

    exit_code: int = field(default=2, init=False)


class InputError(EcmgraphError):
    """Something the user gave cannot be used: exit code 3."""


class SourceNotFound(InputError):
    """A data path does not exist or cannot be read."""


class ParseError(InputError):
    """A data file is not valid RDF in its format."""


class UnknownFormat(InputError):
    """The RDF format of a file cannot be told from its name."""


class QuerySyntaxError(InputError):
    """A SPARQL query does not parse."""


class UnknownName(InputError):
    """An unknown query, rule, parameter or label."""


class EndpointError(InputError):
    """A remote SPARQL endpoint is down, too slow or answers something that is not SPARQL results."""


class LimitExceeded(InputError):
    """Input over one of the limits of :mod:`ecmgraph.limits` (nesting, entities, token or file size, query
    length or depth): refused before a parser below could crash or exhaust memory on it."""


class QueryTimeout(InputError):
    """A query ran longer than the time limit it was given."""


class StoreError(InputError):
    """An on-disk store cannot be opened: damaged, locked, or not a store."""


@dataclass
class BreachesFound(EcmgraphError):
    """The data breaks rules, and what was asked (publish, push) refuses such data unless allowed: exit code 1.
    ``report`` is the validation report that found them."""

    report: object = None
    exit_code: int = field(default=1, init=False)


class OneLineWarnings(logging.Handler):
    """The warnings the libraries below log (rdflib's, about an ill-formed literal), as one ``Warning: …`` line each
    on standard error, each message once, without the traceback rdflib attaches to them unless ``debug``."""

    def __init__(self, debug: bool = False) -> None:
        super().__init__(logging.WARNING)
        self.debug = debug
        self.seen: set[str] = set()

    def emit(self, record: logging.LogRecord) -> None:
        text = record.getMessage().split(", Converter=")[0]
        if record.exc_info and record.exc_info[1] is not None:
            text += f" ({record.exc_info[1]})"
        line = f"Warning: {record.name.split('.')[0]}: {' '.join(text.split())}"
        if line in self.seen:
            return
        self.seen.add(line)
        if self.debug and record.exc_info:
            line += "\n" + "".join(traceback.format_exception(*record.exc_info)).rstrip()
        print(line, file=sys.stderr)

    @classmethod
    def install(cls, debug: bool = False, logger: str = "rdflib") -> OneLineWarnings:
        """Send ``logger``'s records through a new handler of this kind only (replacing an earlier one)."""
        log = logging.getLogger(logger)
        for handler in [h for h in log.handlers if isinstance(h, cls)]:
            log.removeHandler(handler)
        handler = cls(debug)
        log.addHandler(handler)
        log.propagate = False
        return handler
