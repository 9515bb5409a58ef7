"""The ``init`` command: a starter graph of one reference authority, for its officers to fill in."""

from __future__ import annotations

import datetime as dt

import click

from ecmgraph.cli.base import Date, cli, output_option


@cli.command()
@click.argument("authority")
@click.option(
    "--as-of",
    type=Date(),
    help="Write the authority, and a county's districts, as they were on DATE (default: today).",
)
@output_option
def init(authority: str, as_of: dt.date | None, output: str | None, force: bool = False) -> None:
    """Write a starter graph (Turtle) of AUTHORITY, to fill in and validate.

    AUTHORITY is a name, council name, GSS code or IRI of England's reference data, as a query's authority
    parameter takes it (an unknown one is an error naming the closest). The graph holds the authority with its GSS
    code, its statutory posts (a children's services authority's Director of Children's Services, Lead Member,
    Chief Executive and Leader; a district's Chief Executive) and bodies (Council, cabinet, senior management
    team, LSCB, children's trust, scrutiny committee) as placeholders, and a county's districts as its relevant
    partners; comments say what to fill in (holders with their dates, reporting lines, memberships), with the
    Turtle to uncomment. As written it validates with gaps and no breaches. docs/modelling.md explains the model.

    \b
    Example:
        ecmgraph init Staffordshire --as-of 2009-06-01 -o staffordshire.ttl
        ecmgraph validate staffordshire.ttl --as-of 2009-06-01 --gaps
    """
    from ecmgraph.output import write_output
    from ecmgraph.starter import render_starter, starter

    graph = starter(authority, as_of)
    text = render_starter(graph)
    if force:  # the shared -o option's --force: write through a link, into a FIFO or a device
        write_output(text, output, force=True)
    else:
        write_output(text, output)
    districts = len(graph.districts)
    also = f" and its {districts} district{'s' if districts != 1 else ''}" if districts else ""
    click.echo(f"Starter graph of {graph.authority.council}{also} as at {graph.as_of.isoformat()}.", err=True)
