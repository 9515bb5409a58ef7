"""The ``lookup`` and ``list`` commands: what a name resolves to, and the names there are to give."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar

import click

from ecmgraph.cli.base import Date, Seconds, cli, data_options, output_option, reference_option, store_option
from ecmgraph.queries.lookup import LOOKUPS
from ecmgraph.queries.names import LIST_KINDS
from ecmgraph.render.tables import TABLE_FORMATS

if TYPE_CHECKING:
    from ecmgraph.engines import Engine

F = TypeVar("F", bound=Callable[..., Any])


def _source_options(func: F) -> F:
    """Where the names are: data (PATHs, --store) or --endpoint, and the table format and output."""
    func = output_option(func)
    func = click.option(
        "--timeout",
        type=Seconds(),
        help="Seconds after which a query is stopped (an input error): none by default for local data, 60 for "
        "--endpoint. Ctrl-C stops a local query at any time.",
    )(func)
    func = click.option("--endpoint", metavar="URL", help="Look on this SPARQL 1.1 endpoint instead of local data.")(
        func
    )
    func = click.option("--format", "fmt", type=click.Choice(TABLE_FORMATS), default="table", show_default=True)(func)
    func = store_option(func)
    func = reference_option(func)
    return data_options(func)


def _engine(
    paths: tuple[str, ...],
    input_format: str | None,
    store_dir: str | None,
    endpoint: str | None,
    timeout: float | None,
    no_reference: bool,
) -> Engine:
    from ecmgraph.api import load
    from ecmgraph.engines import engine_for

    if endpoint is not None and (paths or store_dir):
        raise click.UsageError("give data (PATHs or --store) or --endpoint, not both")
    dataset = (
        None
        if endpoint is not None
        else load(*paths, input_format=input_format, store=store_dir, reference=not no_reference)
    )
    return engine_for(dataset, endpoint, timeout)


@cli.command()
@click.argument("text")
@click.option(
    "--kind",
    type=click.Choice(sorted(LOOKUPS)),
    help="Look only among things of this kind (as a query parameter's lookup does); default: authorities, "
    "regions, posts, bodies, people, topics, functions and outcomes.",
)
@click.option("--as-of", type=Date(), help="Prefer, among things of the same name, the one that existed on DATE.")
@_source_options
def lookup(
    text: str,
    kind: str | None,
    as_of: dt.date | None,
    paths: tuple[str, ...],
    input_format: str | None,
    no_reference: bool,
    store_dir: str | None,
    fmt: str,
    endpoint: str | None,
    timeout: float | None,
    output: str | None,
    force: bool,
) -> None:
    """Show what the name TEXT resolves to: its label, kind, authority and IRI, as a query parameter takes it.

    Names are matched as people type them: any case, punctuation and word order, without "the", "of", "and"
    or "council", with abbreviations (CC, DC, BC, MBC, Cllr, LSCB, DCS, LM, CE) and a person's title (Mr,
    Dr, Cllr…), and a post by its kind and authority ("Chief Executive of Rochford"). When TEXT names several
    things, they are all listed, with what tells them apart; when it names nothing, the closest names are.
    A line on stderr says which. The exit code is 0 in each case (3 for an empty TEXT or an invalid IRI).

    \b
    Example:
        ecmgraph lookup 'Rochford DC'
        ecmgraph lookup 'Chief Executive of Rochford' --kind post
        ecmgraph lookup 'Cllr Dennis Skinner' --format csv
    """
    from ecmgraph.output import write_output
    from ecmgraph.queries.names import look_up, without_empty_columns
    from ecmgraph.render.tables import render_table

    answer = look_up(
        _engine(paths, input_format, store_dir, endpoint, timeout, no_reference), text, kind=kind, day=as_of
    )
    table = without_empty_columns(answer.table) if fmt in ("table", "markdown") else answer.table
    write_output(render_table(table, fmt, iris=True), output, force=force)
    click.echo(answer.note(), err=True)


@cli.command("list")
@click.argument("what", type=click.Choice(list(LIST_KINDS)), metavar="|".join(LIST_KINDS))
@click.option("--authority", metavar="NAME", help="Only those of this authority (a name, code or IRI).")
@_source_options
def list_names(
    what: str,
    authority: str | None,
    paths: tuple[str, ...],
    input_format: str | None,
    no_reference: bool,
    store_dir: str | None,
    fmt: str,
    endpoint: str | None,
    timeout: float | None,
    output: str | None,
    force: bool,
) -> None:
    """List the names there are to give: label, kind, authority and IRI of every authority, post, person,
    body, function or topic in the data, sorted by label.

    --authority keeps those of one authority: its posts and bodies, the people who hold its posts or sit on
    its bodies, and (for authorities) itself and its districts. Any of the names listed, its code or its IRI
    may be given to a query's parameter or to 'ecmgraph lookup'.

    \b
    Example:
        ecmgraph list authorities
        ecmgraph list posts --authority Staffordshire
        ecmgraph list topics --format csv -o topics.csv
    """
    from ecmgraph.output import write_output
    from ecmgraph.queries.names import list_names as names_of
    from ecmgraph.queries.names import without_empty_columns
    from ecmgraph.render.tables import render_table

    table = names_of(
        _engine(paths, input_format, store_dir, endpoint, timeout, no_reference), what, authority=authority
    )
    if fmt in ("table", "markdown"):
        table = without_empty_columns(table)
    write_output(render_table(table, fmt, iris=True), output, force=force)
