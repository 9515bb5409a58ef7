"""The ``query`` commands: list, show and run the packaged SPARQL queries (``queries/*.rq``)."""

from __future__ import annotations

import datetime as dt

import click

from ecmgraph.cli.base import Date, Seconds, cli, data_options, output_option, reference_option, store_option
from ecmgraph.render.tables import TABLE_FORMATS


@cli.group()
def query() -> None:
    """The packaged SPARQL queries: the questions analysts ask, answered without writing SPARQL.

    Each query answers one question analysts ask ("who is accountable for safeguarding in Staffordshire?");
    queries/README.md documents each, with its parameters, columns and an example. Parameters that name an
    authority, a post, a person, a body, a topic or a function take its name, an alternative name, a code or an
    IRI.

    \b
    Example:
        ecmgraph query list
        ecmgraph query run who-is-accountable -p authority Staffordshire -p topic safeguarding
    """


@query.command("list")
@click.option("--format", "fmt", type=click.Choice(TABLE_FORMATS), default="table", show_default=True)
@output_option
def list_queries(fmt: str, output: str | None, force: bool) -> None:
    """List the packaged queries: name, question and parameters ([optional] ones in brackets).

    \b
    Example:
        ecmgraph query list --format markdown
    """
    from ecmgraph.output import write_output
    from ecmgraph.queries import catalogue, catalogue_table
    from ecmgraph.render.tables import render_table

    write_output(render_table(catalogue_table(catalogue().values()), fmt), output, force=force)


@query.command()
@click.argument("name")
@output_option
def show(name: str, output: str | None, force: bool) -> None:
    """Print a packaged query as it is: its #+ header (question, parameters, example) and its SPARQL.

    \b
    Example:
        ecmgraph query show who-is-accountable
    """
    from ecmgraph.output import write_output
    from ecmgraph.queries import get_query

    write_output(get_query(name).text, output, force=force)


@query.command()
@click.argument("name")
@click.option(
    "-p",
    "--param",
    "params",
    nargs=2,
    multiple=True,
    metavar="PARAM VALUE",
    help="Give a parameter a value (repeat for each): a name, code or IRI for things, YYYY-MM-DD for dates.",
)
@data_options
@reference_option
@store_option
@click.option("--as-of", type=Date(), help="Answer as at DATE: sets the query's date parameter (default today).")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(TABLE_FORMATS),
    default="table",
    show_default=True,
    help="table fits the terminal and wraps long cells; json is the W3C SPARQL results format.",
)
@click.option(
    "--iris",
    is_flag=True,
    help="Show the IRIs in the table and markdown too, beside the labels (csv, tsv and json always have them).",
)
@click.option("--endpoint", metavar="URL", help="Run on this SPARQL 1.1 endpoint instead of on local data.")
@click.option(
    "--timeout",
    type=Seconds(),
    help="Seconds after which a query is stopped (an input error): none by default for local data, 60 for "
    "--endpoint. Ctrl-C stops a local query at any time.",
)
@output_option
def run(
    name: str,
    params: tuple[tuple[str, str], ...],
    paths: tuple[str, ...],
    input_format: str | None,
    no_reference: bool,
    store_dir: str | None,
    as_of: dt.date | None,
    fmt: str,
    iris: bool,
    endpoint: str | None,
    timeout: float | None,
    output: str | None,
    force: bool,
) -> None:
    """Run the packaged query NAME on the data (the packaged data when no PATH is given).

    NAME is a packaged query's name (see 'ecmgraph query list') or the path of an .rq file with a #+ header.
    Answers about posts, holders and memberships are as at --as-of (default today); a holder the data does not
    record is shown empty, never as vacant.

    \b
    Example:
        ecmgraph query run who-is-accountable -p authority Staffordshire -p topic safeguarding
        ecmgraph query run accountability-chain -p authority 'Cannock Chase' -p post "children's champion"
        ecmgraph query run statutory-post-holders -p region 'West Midlands' --as-of 2009-03-31 --format csv
    """
    from ecmgraph.api import load, query
    from ecmgraph.engines import engine_for
    from ecmgraph.output import write_output
    from ecmgraph.queries import explain_empty, get_query, parameter_values, table_labels
    from ecmgraph.render.pivot import render_pivot
    from ecmgraph.render.tables import render_table

    if endpoint is not None and (paths or store_dir):
        raise click.UsageError("give data (PATHs or --store) or --endpoint, not both")
    packaged = get_query(name)
    values = parameter_values(packaged, params, as_of)
    dataset = (
        None
        if endpoint is not None
        else load(*paths, input_format=input_format, store=store_dir, reference=not no_reference)
    )
    table = query(packaged, values, data=dataset, endpoint=endpoint, timeout=timeout)
    engine = engine_for(dataset, endpoint, timeout)
    if fmt == "table" and packaged.pivot is not None and table.rows:  # a grid, as its header says (csv: long)
        write_output(render_pivot(table, packaged.pivot), output, force=force)
    else:
        labels = table_labels(table, engine) if fmt in ("table", "markdown") and not iris else None
        write_output(render_table(table, fmt, labels=labels, iris=iris), output, force=force)
    if not table.rows:  # an empty answer says why, on stderr
        click.echo(f"No rows: {explain_empty(packaged, values, engine)}.", err=True)
