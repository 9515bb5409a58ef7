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
from ecmgraph.errors import EcmgraphError

F = TypeVar("F", bound=Callable[..., Any])

#: Exit code for an unexpected failure inside ecmgraph (a bug), distinct from the input errors' 0–3.
INTERNAL_ERROR = 4


class EcmgraphGroup(click.Group):
    """Turns library errors into one-line messages unless ``--debug`` asks for the traceback."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except EcmgraphError as exc:  # one line, the error's own exit code
            if _debug(ctx):
                raise
            click.echo(f"Error: {exc.one_line()}", err=True)
            ctx.exit(exc.exit_code)
        except (click.ClickException, click.exceptions.Exit, click.Abort, KeyboardInterrupt):
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
    """An ISO date (YYYY-MM-DD)."""

    name = "DATE"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> dt.date:
        if isinstance(value, dt.date):
            return value
        try:
            return dt.date.fromisoformat(str(value))
        except ValueError:
            self.fail(f"{value!r} is not a date of the form YYYY-MM-DD", param, ctx)


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
    """``-o FILE``: write the result to FILE, whole or not at all, instead of stdout."""
    return click.option(
        "-o", "--output", "output", metavar="FILE", help="Write to FILE (whole or not at all) instead of stdout."
    )(func)


@click.group(name="ecmgraph", cls=EcmgraphGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "--version", prog_name="ecmgraph")
@click.option("--debug", is_flag=True, help="Show the full traceback of any error.")
@click.pass_context
def cli(ctx: click.Context, debug: bool) -> None:
    """Who is responsible for children's services in English local government.

    ecmgraph loads authority graphs (the packaged data when no PATH is given), checks them against the
    statutory rules of the Children Act 2004 and its guidance, and answers questions about them.

    \b
    Example:
        ecmgraph stats
    """
    ctx.ensure_object(dict)["debug"] = debug
