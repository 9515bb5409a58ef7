"""The ``serve`` command: a read-only SPARQL endpoint over the data, with the published site and a query page."""

from __future__ import annotations

import datetime as dt

import click

from ecmgraph.cli.base import ByteSize, Date, Seconds, cli, data_options, reference_option, store_option


@cli.command()
@data_options
@reference_option
@store_option
@click.option(
    "--host", default="127.0.0.1", show_default=True, help="The address to listen on (loopback only by default)."
)
@click.option(
    "--port", type=click.IntRange(0, 65535), default=7878, show_default=True, help="The port (0: any free one)."
)
@click.option(
    "--timeout",
    type=Seconds(),
    default=10.0,
    show_default=True,
    help="Seconds after which a query is stopped (its worker killed and replaced): an error 504, never a cut answer.",
)
@click.option(
    "--max-rows",
    type=click.IntRange(1),
    default=10_000,
    show_default=True,
    help="The most rows (or triples) an answer has; a larger answer is an error that says so, never cut.",
)
@click.option(
    "--max-request",
    type=ByteSize(),
    default="1M",
    show_default=True,
    help="The largest request body taken; a larger one is refused (413).",
)
@click.option(
    "--workers",
    type=click.IntRange(1, 64),
    help="Worker processes answering queries at once (default: one per core); others queue, or get 503.",
)
@click.option(
    "--base-url",
    metavar="URL",
    help="The address the site is reached at, behind a reverse proxy (default: http://HOST:PORT/).",
)
@click.option("--as-of", type=Date(), help="Validate the data and draw the site's charts as at DATE (default: today).")
@click.option("--no-access-log", is_flag=True, help="Do not log each request on standard error.")
def serve(
    paths: tuple[str, ...],
    input_format: str | None,
    no_reference: bool,
    store_dir: str | None,
    host: str,
    port: int,
    timeout: float,
    max_rows: int,
    max_request: int,
    workers: int | None,
    base_url: str | None,
    as_of: dt.date | None,
    no_access_log: bool,
) -> None:
    """Serve the data (the packaged data when no PATH is given) over HTTP, read-only, until Ctrl-C or SIGTERM.

    A SPARQL 1.1 Protocol endpoint at /sparql (GET and POST; JSON, XML, CSV, TSV, and RDF for CONSTRUCT and
    DESCRIBE, by content negotiation or ?format=; its service description without a query); updates, LOAD and
    SERVICE are refused. Each query runs in a worker process, stopped after --timeout and answering at most
    --max-rows rows. The site 'ecmgraph publish' writes is served live (/id/… answers 303 to /doc/…), with a
    query page at /query: a SPARQL editor and a form per packaged query. Listens on 127.0.0.1 unless --host says
    otherwise (with a warning: there is no authentication; put it behind a reverse proxy).

    \b
    Example:
        ecmgraph serve
        curl -H 'Accept: text/csv' --data-urlencode 'query=SELECT * WHERE { ?s a ecm:CountyCouncil } LIMIT 5' http://127.0.0.1:7878/sparql
    """
    from ecmgraph.api import load
    from ecmgraph.publish.site import check_base_url
    from ecmgraph.serve import ServeOptions, bind, warn_if_exposed
    from ecmgraph.serve import serve as run_server

    if base_url is not None:
        base_url = check_base_url(base_url)
    warn_if_exposed(host, lambda line: click.echo(line, err=True))
    sock = bind(host, port)
    try:
        data = load(*paths, input_format=input_format, store=store_dir, reference=not no_reference)
        options = ServeOptions(
            host=host,
            port=port,
            timeout=timeout,
            max_rows=max_rows,
            max_request=max_request,
            workers=workers or 0,
            base_url=base_url,
            as_of=as_of,
            access_log=not no_access_log,
        )
        run_server(data, sock, options, store_dir=store_dir, say=lambda line: click.echo(line, err=True))
    finally:
        sock.close()
    click.echo("ecmgraph serve stopped.", err=True)
