"""The ``push`` command: the data's named graphs into a triple store, by the SPARQL 1.1 Graph Store Protocol."""

from __future__ import annotations

import datetime as dt
import os

import click

from ecmgraph.cli.base import Date, Seconds, cli, data_options, reference_option, store_option

#: The environment variable the password of --user is read from (else it is asked for); never an option.
PASSWORD_VARIABLE = "ECMGRAPH_PASSWORD"


@cli.command()
@data_options
@reference_option
@store_option
@click.option("--endpoint", required=True, metavar="URL", help="The store's SPARQL 1.1 query URL (…/query).")
@click.option(
    "--graph-store",
    metavar="URL",
    help="Its Graph Store Protocol URL (default: the query URL with /query replaced by /store, as Oxigraph has it).",
)
@click.option(
    "--graph",
    "graphs",
    multiple=True,
    metavar="IRI",
    help="Push only this named graph of the data (repeatable; default: every graph of the files given).",
)
@click.option("--replace", is_flag=True, help="Replace each graph on the server (PUT), instead of adding to it.")
@click.option("--dry-run", is_flag=True, help="Say what would change, graph by graph, and send nothing.")
@click.option(
    "--with-reference",
    is_flag=True,
    help="Push what ecmgraph reads beside the data too: the ontology, the packaged reference data and the links "
    "its rules need (normalised), so that a fresh store answers the packaged queries as ecmgraph does locally.",
)
@click.option(
    "--user",
    metavar="NAME",
    help=f"Authenticate as NAME (HTTP Basic); the password is read from ${PASSWORD_VARIABLE}, else asked for.",
)
@click.option("--as-of", type=Date(), help="Validate as at DATE first (default: today).")
@click.option("--allow-breaches", is_flag=True, help="Push even if the data breaches a rule.")
@click.option(
    "--timeout",
    type=Seconds(),
    help="Seconds each request to the server may take, its answer included (default: 60).",
)
def push(
    paths: tuple[str, ...],
    input_format: str | None,
    no_reference: bool,
    store_dir: str | None,
    endpoint: str,
    graph_store: str | None,
    graphs: tuple[str, ...],
    replace: bool,
    dry_run: bool,
    with_reference: bool,
    user: str | None,
    as_of: dt.date | None,
    allow_breaches: bool,
    timeout: float | None,
) -> None:
    """Push the named graphs of the PATHs (the packaged data when none is given) to a triple store.

    Each graph of the files (each file is one, a TriG file one per graph; --graph chooses) is sent to the store
    by the SPARQL 1.1 Graph Store Protocol, in parts that fit, replacing the graph (--replace) or adding to it;
    then the store's query endpoint counts the graph again, and a count that does not fit what was sent is an
    error. The data is validated first (with the packaged reference data beside the PATHs): with breaches,
    nothing is pushed (exit code 1, the breaches on standard error) unless --allow-breaches. --dry-run says what
    would change and sends nothing. A store that holds nothing of ecmgraph's yet wants --with-reference, which
    sends the ontology, the reference data and the links the rules need with the data, so that the packaged
    queries and 'validate --endpoint' answer there as they do locally. The password of --user comes from the
    environment, never from an option.

    \b
    Example:
        ecmgraph push my-authority.ttl --endpoint http://localhost:7878/query --dry-run
        ecmgraph push my-authority.ttl --endpoint http://localhost:7878/query --replace
        ecmgraph push my-authority.ttl --endpoint http://localhost:7878/query --with-reference   # a fresh store
        ECMGRAPH_PASSWORD=… ecmgraph push my-authority.ttl --endpoint https://example.org/sparql --user me
    """
    from ecmgraph.api import load
    from ecmgraph.api import push as push_data
    from ecmgraph.errors import BreachesFound
    from ecmgraph.graphstore import GraphPlan, PushedGraph, basic_authorization
    from ecmgraph.render.reports import render_text
    from ecmgraph.validation import ValidationReport
    from ecmgraph.words import counted

    authorization = None
    if user is not None:
        password = os.environ.get(PASSWORD_VARIABLE)
        if password is None:
            password = click.prompt(f"Password for {user}", hide_input=True, err=True)
        authorization = basic_authorization(user, password)
    data = load(*paths, input_format=input_format, store=store_dir, reference=not no_reference)
    try:
        done = push_data(
            data,
            endpoint,
            graph_store=graph_store,
            graphs=graphs,
            replace=replace,
            dry_run=dry_run,
            authorization=authorization,
            timeout=timeout,
            as_of=as_of,
            allow_breaches=allow_breaches,
            with_reference=with_reference,
        )
    except BreachesFound as refused:
        if isinstance(refused.report, ValidationReport):
            click.echo(render_text(refused.report).rstrip("\n"), err=True)
        raise
    for item in done:
        if isinstance(item, GraphPlan):
            click.echo(f"<{item.graph}>: {item.describe(done=False)} (dry run: nothing sent)")
        else:
            click.echo(
                f"<{item.plan.graph}>: {item.plan.describe(done=True)}, in {counted(item.requests, 'request')}; "
                f"the store now holds {counted(item.after, 'triple')} in it (checked)"
            )
    if any(isinstance(item, PushedGraph) and item.in_default_graph is False for item in done):
        click.echo(
            "Warning: a query of the store's default graph finds none of what was pushed, so the packaged queries and "
            "validate --endpoint will find nothing there: serve the union of the named graphs as the default graph "
            "(Oxigraph: oxigraph serve --union-default-graph)",
            err=True,
        )
    if not done:
        click.echo("nothing to push: the data has no graph of its own", err=True)
