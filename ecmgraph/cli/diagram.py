"""The ``diagram`` command: an authority's accountability chart, as SVG, DOT or its table twin."""

from __future__ import annotations

import datetime as dt

import click

from ecmgraph.cli.base import Date, cli, data_options, output_option, reference_option, store_option

#: The forms ``--format`` takes (ecmgraph.diagram.draw.FORMATS), and the file extensions that choose them when
#: ``--format`` is not given.
FORMATS = ("svg", "dot", "table", "html")
_EXTENSIONS = {".svg": "svg", ".dot": "dot", ".gv": "dot", ".txt": "table", ".html": "html", ".htm": "html"}


@cli.command()
@click.argument("authority")
@data_options
@reference_option
@store_option
@click.option("--as-of", type=Date(), help="Show the posts' holders as known on DATE (default: today).")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(FORMATS),
    help="svg (the default, or what -o's extension says: .svg, .dot, .txt, .html), dot (Graphviz source), table "
    "(the table twin as text) or html (a page with the chart and its table twin).",
)
@click.option(
    "--engine",
    type=click.Choice(["auto", "graphviz", "python"]),
    default="auto",
    show_default=True,
    help="Lay the chart out with Graphviz's dot (auto: where it is installed) or with ecmgraph's own layout.",
)
@output_option
def diagram(
    authority: str,
    paths: tuple[str, ...],
    input_format: str | None,
    no_reference: bool,
    store_dir: str | None,
    as_of: dt.date | None,
    fmt: str | None,
    engine: str,
    output: str | None,
    force: bool = False,
) -> None:
    """Draw AUTHORITY's accountability chart: its Council, Leader, Chief Executive, DCS, Lead Member, boards,
    scrutiny, districts and partners, with the kind of each line.

    AUTHORITY is a name, council name, GSS code or IRI, as a query's authority parameter takes it. The chart
    holds what the data records (the packaged data when no PATH is given): the authority's posts and bodies and
    what one line reaches from them, with each post's holder as known on --as-of (a holder known only from an
    earlier source is shown with its day, not confirmed; unknown is not vacant). The SVG has a title, a
    description and text labels; --format table gives the same nodes and lines as text.

    \b
    Example:
        ecmgraph diagram Staffordshire --as-of 2009-01-01 -o staffordshire.svg
        ecmgraph diagram E10000018 --format table
    """
    from pathlib import Path

    from ecmgraph.api import load
    from ecmgraph.diagram.draw import draw
    from ecmgraph.diagram.svg import resolve_engine
    from ecmgraph.output import write_output
    from ecmgraph.words import counted

    if fmt is None:
        fmt = _EXTENSIONS.get(Path(output).suffix.lower(), "svg") if output else "svg"
    if fmt in ("svg", "html"):
        resolve_engine(engine)  # before loading: Graphviz asked for and missing is said at once
    data = load(*paths, input_format=input_format, store=store_dir, reference=not no_reference)
    drawing = draw(data, authority, as_of=as_of, format=fmt, engine=engine)
    if drawing.fallback:
        click.echo(f"{drawing.fallback}: laid out by ecmgraph instead.", err=True)
    if force:  # the shared -o option's --force: write through a link, into a FIFO or a device
        write_output(drawing.text, output, force=True)
    else:
        write_output(drawing.text, output)
    drawn = drawing.chart
    laid_out = {"graphviz": ", laid out by Graphviz", "python": ", laid out by ecmgraph"}.get(
        drawing.laid_out_by or "", ""
    )
    nodes, lines = counted(len(drawn.nodes), "node"), counted(len(drawn.lines), "line")
    click.echo(f"{drawn.title}: {nodes}, {lines}{laid_out}.", err=True)
    if len(drawn.nodes) <= 1:  # an empty chart says why
        click.echo(drawn.notes[0], err=True)
