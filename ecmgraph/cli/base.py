"""The ``ecmgraph`` group, the options commands share, and the error handling.

Expected failures are EcmgraphError subclasses: one ``Error: …`` line on stderr and the exit code of the
README's table; a traceback only with ``--debug``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any, TypeVar

import click

from ecmgraph import __version__
from ecmgraph.errors import EcmgraphError, InputError

F = TypeVar("F", bound=Callable[..., Any])

#: Exit code for an unexpected failure inside ecmgraph (a bug), distinct from the input errors' 0–3.
INTERNAL_ERROR = 4
#: Exit code when Ctrl-C (SIGINT) stops a command: 128 + the signal's number, as shells report it.
INTERRUPTED = 130


class EcmgraphGroup(click.Group):
    """Turns library errors into one-line messages unless ``--debug`` asks for the traceback."""

    def main(self, *args: Any, **kwargs: Any) -> Any:
        # What click writes itself (--help, --version) fails outside invoke: standard output full, one line too.
        try:
            return super().main(*args, **kwargs)
        except OSError as exc:
            from ecmgraph.output import stdout_failed

            error = stdout_failed(exc)
            click.echo(f"Error: {error.one_line()}", err=True)
            raise SystemExit(error.exit_code) from None

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except EcmgraphError as exc:  # one line, the error's own exit code
            if _debug(ctx):
                raise
            click.echo(f"Error: {exc.one_line()}", err=True)
            ctx.exit(exc.exit_code)
        except (click.Abort, KeyboardInterrupt) as exc:  # Ctrl-C: one line, not click's "Aborted!" with exit code 1
            if _debug(ctx):
                raise
            how = (str(exc) if isinstance(exc, KeyboardInterrupt) else "") or "Ctrl-C"  # publish: "stopped by SIGTERM"
            click.echo(f"Error: interrupted ({how}): nothing was written", err=True)
            ctx.exit(INTERRUPTED)
        except (click.ClickException, click.exceptions.Exit):
            raise
        except Exception as exc:  # a bug: say so in one line, keep the traceback for --debug
            if _debug(ctx):
                raise
            message = " ".join(f"internal error: {type(exc).__name__}: {exc}".split())
            click.echo(f"Error: {message} (hint: run again with --debug for the traceback, and report it)", err=True)
            ctx.exit(INTERNAL_ERROR)


def _debug(ctx: click.Context) -> bool:
    return bool(ctx.obj and ctx.obj.get("debug"))


class Date(click.ParamType):  # type: ignore[type-arg]  # click 8.2+ is generic, earlier is not
    """An ISO date, written YYYY-MM-DD and only so: another ISO 8601 form is an input error (exit code 3) naming
    the date it stands for, anything else a usage error (exit code 2)."""

    name = "DATE"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> dt.date:
        if isinstance(value, dt.date):
            return value
        from ecmgraph.limits import parse_date

        try:
            return parse_date(str(value))
        except ValueError:
            pass
        try:  # another ISO 8601 form (20090331, 2009-W14-2): an input error (exit code 3) that names the date
            meant = dt.date.fromisoformat(str(value))
        except ValueError:
            self.fail(f"{value!r} is not a date of the form YYYY-MM-DD", param, ctx)
        option = param.opts[0] if param is not None and param.opts else "DATE"
        raise InputError(
            f"{option} {value}: write the date as YYYY-MM-DD, the one form ecmgraph takes",
            hint=f"{option} {meant.isoformat()}",
        )


class Seconds(click.ParamType):  # type: ignore[type-arg]
    """A number of seconds to wait: finite, above 0 and at most a day (every ``--timeout`` uses this type).

    A value that is not a number is a usage error (exit code 2); a number out of that range (``0``, ``nan``,
    ``inf``, ``1e300``) an input error (exit code 3), refused here rather than deep in the socket layer."""

    name = "SECONDS"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> float:
        from ecmgraph.endpoint import MAX_TIMEOUT

        try:
            seconds = float(value)
        except (TypeError, ValueError):
            self.fail(f"{value!r} is not a number of seconds", param, ctx)
        if not 0 < seconds <= MAX_TIMEOUT:  # NaN fails the comparison too
            option = param.opts[0] if param is not None and param.opts else "--timeout"
            raise InputError(
                f"{option} {value}: not a number of seconds above 0 and at most {MAX_TIMEOUT:g} (a day)",
                hint=f"give the seconds to wait, e.g. {option} 60",
            )
        return seconds


_SIZE_UNITS = {"": 1, "K": 2**10, "M": 2**20, "G": 2**30, "T": 2**40}


class ByteSize(click.ParamType):  # type: ignore[type-arg]
    """A size in bytes: a whole number, optionally with K, M, G or T (binary: 1K is 1024; ``KiB``, ``MB`` too).
    Anything else, zero included, is a usage error (exit code 2)."""

    name = "SIZE"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> int:
        if isinstance(value, int):
            return value
        text = str(value).strip().upper().removesuffix("B").removesuffix("I")
        number, unit = (text[:-1], text[-1]) if text and text[-1] in "KMGT" else (text, "")
        if not number.isdigit():
            self.fail(f"{value!r} is not a size (a number of bytes, or with K, M, G: 512M, 2G)", param, ctx)
        size = int(number) * _SIZE_UNITS[unit]
        if size < 1:  # a usage error: the group's own options are parsed before any command runs
            self.fail(f"{value!r}: a size must be at least one byte (e.g. 512M or 2G)", param, ctx)
        return size


def data_options(func: F) -> F:
    """The options of every command that reads data: paths (none = packaged data) and the input format."""
    from ecmgraph.store import FORMATS

    func = click.option(
        "--input-format",
        type=click.Choice(list(FORMATS)),
        help="Read every PATH in this RDF format instead of guessing it from the file extension.",
    )(func)
    func = click.argument("paths", nargs=-1, metavar="[PATH]...", type=click.Path())(func)
    return func


def reference_option(func: F) -> F:
    """``--no-reference``: read the PATHs alone, without the packaged reference data beside them."""
    return click.option(
        "--no-reference",
        is_flag=True,
        help="Read the PATHs alone, without the packaged reference data (England's authorities, the law, the "
        "source documents, responsibilities, topics) that is otherwise loaded beside them.",
    )(func)


def store_option(func: F) -> F:
    """``--store DIR``: read an on-disk store built by ``ecmgraph load`` instead of parsing PATHs."""
    return click.option(
        "--store",
        "store_dir",
        metavar="DIR",
        type=click.Path(file_okay=False),
        help="Read the on-disk store built by 'ecmgraph load --store DIR' instead of PATHs (nothing is parsed).",
    )(func)


def output_option(func: F) -> F:
    """``-o FILE``: write the result to FILE, whole or not at all, instead of stdout; ``--force``: even to a
    symbolic link, a FIFO or a device there (the command takes ``output`` and ``force``)."""
    func = click.option(
        "--force",
        is_flag=True,
        help="With -o: write even if FILE is not a regular file: follow a symbolic link (the file it points to is "
        "replaced), write into a FIFO or a device. Without it, those are refused. "
        "Example: ecmgraph rules -o /dev/stdout --force",
    )(func)
    return click.option(
        "-o",
        "--output",
        "output",
        metavar="FILE",
        help="Write to FILE instead of stdout: whole or not at all (a temporary file renamed into place), a regular "
        "file only, a new one with the mode the umask gives.",
    )(func)


@click.group(name="ecmgraph", cls=EcmgraphGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "--version", prog_name="ecmgraph")
@click.option("--debug", is_flag=True, help="Show the full traceback of any error.")
@click.option(
    "--max-response",
    type=ByteSize(),
    envvar="ECMGRAPH_MAX_RESPONSE",
    help="The largest answer read from an --endpoint (default 256M); a larger one is an error. "
    "Also ECMGRAPH_MAX_RESPONSE. Example: ecmgraph --max-response 1G validate --endpoint URL",
)
@click.option(
    "--max-file-size",
    type=ByteSize(),
    envvar="ECMGRAPH_MAX_FILE_SIZE",
    help="The largest data file read (default: no limit); a larger one is an input error. "
    "Also ECMGRAPH_MAX_FILE_SIZE. Example: ecmgraph --max-file-size 100M validate their-file.ttl",
)
@click.pass_context
def cli(ctx: click.Context, debug: bool, max_response: int | None, max_file_size: int | None) -> None:
    """Who is responsible for children's services in English local government.

    ecmgraph loads authority graphs (the packaged data when no PATH is given), checks them against the
    statutory rules of the Children Act 2004 and its guidance, and answers questions about them.

    \b
    Example:
        ecmgraph stats
    """
    ctx.ensure_object(dict)["debug"] = debug
    from ecmgraph.errors import OneLineWarnings

    OneLineWarnings.install(debug)
    if max_file_size is not None:
        from dataclasses import replace

        from ecmgraph import limits

        ctx.with_resource(limits.using(replace(limits.current(), max_file_bytes=max_file_size)))
    if max_response is not None:
        from ecmgraph.endpoint import response_limit

        ctx.with_resource(response_limit(max_response))
