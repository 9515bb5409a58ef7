"""Commands that read and report on data: ``stats``, ``sparql``, ``infer``."""

from __future__ import annotations

import datetime as dt
import json
import sys

import click

from ecmgraph.cli.base import Date, Seconds, cli, data_options, output_option, reference_option, store_option
from ecmgraph.errors import InputError


@cli.command()
@data_options
@reference_option
@store_option
@click.option("--as-of", type=Date(), help="Count the authorities in existence on DATE (default: today).")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@output_option
def stats(
    paths: tuple[str, ...],
    input_format: str | None,
    no_reference: bool,
    store_dir: str | None,
    as_of: dt.date | None,
    fmt: str,
    output: str | None,
    force: bool,
) -> None:
    """Count what the data holds: triples, graphs, authorities, posts, people and bodies, per source.

    \b
    Example:
        ecmgraph stats --as-of 2009-03-31 --format json
    """
    from ecmgraph.api import load
    from ecmgraph.output import write_output
    from ecmgraph.stats import dataset_stats, render_stats_text

    data = load(*paths, input_format=input_format, store=store_dir, reference=not no_reference)
    figures = dataset_stats(data, as_of)
    text = json.dumps(figures.to_dict(), indent=2) + "\n" if fmt == "json" else render_stats_text(figures)
    write_output(text, output, force=force)


@cli.command()
@click.argument("query", required=False)
@click.option("-f", "--file", "query_file", type=click.Path(), help="Read the query from FILE ('-' for stdin).")
@data_options
@reference_option
@store_option
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["table", "csv", "tsv", "json", "markdown", "turtle", "ntriples", "jsonld"]),
    help="Output format: table (default), csv, tsv, json or markdown for SELECT and ASK; "
    "turtle (default), ntriples or jsonld for CONSTRUCT and DESCRIBE.",
)
@click.option(
    "--iris",
    is_flag=True,
    help="Show IRIs in the table and markdown, not their labels (csv, tsv and json always have the IRIs).",
)
@click.option("--endpoint", metavar="URL", help="Run the query on this SPARQL 1.1 endpoint instead of on local data.")
@click.option(
    "--timeout",
    type=Seconds(),
    help="Seconds after which the query is stopped (an input error): none by default for local data, 60 for "
    "--endpoint. Ctrl-C stops a local query at any time.",
)
@click.option(
    "--allow-service",
    is_flag=True,
    help="Let a local query run its SERVICE clauses, which send part of it to the URLs they name (refused "
    "otherwise: ecmgraph reaches the network only when asked).",
)
@output_option
def sparql(
    query: str | None,
    query_file: str | None,
    paths: tuple[str, ...],
    input_format: str | None,
    no_reference: bool,
    store_dir: str | None,
    fmt: str | None,
    iris: bool,
    endpoint: str | None,
    timeout: float | None,
    allow_service: bool,
    output: str | None,
    force: bool,
) -> None:
    """Run a SPARQL query (SELECT, ASK, CONSTRUCT, DESCRIBE) over the data.

    The prefixes ecm:, ecmid:, org:, foaf:, skos:, dcterms:, prov:, time:, rdfs:, owl: and xsd: are
    predeclared. The query sees the union of all loaded graphs; GRAPH ?g reaches each source's graph.
    With --endpoint, the same query goes to a SPARQL 1.1 endpoint (the prefixes written out in front).

    \b
    Example:
        ecmgraph sparql 'SELECT ?post ?kind WHERE { ?post org:postIn ?a ; a ?kind } LIMIT 5'
        ecmgraph sparql -f my-query.rq data/ --format csv
        ecmgraph sparql -f my-query.rq --endpoint http://localhost:7878/query
        ecmgraph sparql -f slow-query.rq --timeout 30
        ecmgraph sparql -f federated.rq --allow-service
    """
    from ecmgraph.api import load, sparql
    from ecmgraph.output import write_output
    from ecmgraph.render.tables import render_boolean, render_graph, render_table
    from ecmgraph.results import Graph, Table

    if query_file is not None and query is not None:  # with -f, the first argument is a data path
        paths, query = (query, *paths), None
    if endpoint is not None and (paths or store_dir):
        raise click.UsageError("give data (PATHs or --store) or --endpoint, not both")
    text, source = _query_text(query, query_file)
    dataset = (
        None
        if endpoint is not None
        else load(*paths, input_format=input_format, store=store_dir, reference=not no_reference)
    )
    if allow_service:
        from dataclasses import replace

        from ecmgraph import limits

        click.get_current_context().with_resource(limits.using(replace(limits.current(), allow_service=True)))
    result = sparql(text, dataset, endpoint=endpoint, timeout=timeout, source=source)
    if isinstance(result, Graph):
        fmt = fmt or "turtle"
        if fmt not in ("turtle", "ntriples", "jsonld"):
            raise InputError(f"--format {fmt} is for SELECT and ASK results", hint="use turtle, ntriples or jsonld")
        write_output(render_graph(result, fmt), output, force=force)
        return
    fmt = fmt or "table"
    if fmt in ("turtle", "ntriples", "jsonld"):
        raise InputError(
            f"--format {fmt} is for CONSTRUCT and DESCRIBE results", hint="use table, csv, tsv, json or markdown"
        )
    if isinstance(result, Table):
        labels = None
        if fmt in ("table", "markdown") and not iris:
            from ecmgraph.engines import engine_for
            from ecmgraph.queries import table_labels

            labels = table_labels(result, engine_for(dataset, endpoint, timeout))
        write_output(render_table(result, fmt, labels=labels, iris=iris), output, force=force)
    else:
        write_output(render_boolean(result, fmt), output, force=force)


def _query_text(query: str | None, query_file: str | None) -> tuple[str, str]:
    """The query text and a name for it in error messages, from the argument or ``-f FILE``."""
    if (query is None) == (query_file is None):
        raise click.UsageError("give the query as an argument or with -f FILE (one of them, not both)")
    if query is not None:
        return query, "<query>"
    assert query_file is not None
    from ecmgraph.limits import decode_query

    if query_file == "-":
        return decode_query(sys.stdin.buffer.read(), "<stdin>"), "<stdin>"
    try:
        with open(query_file, "rb") as handle:
            return decode_query(handle.read(), query_file), query_file
    except OSError as exc:
        raise InputError(
            f"cannot read query file {query_file!r}: {exc.strerror or exc}", file=query_file, hint="check the path"
        ) from exc


@cli.command()
@data_options
@store_option
@click.option(
    "--profile",
    type=click.Choice(["rdfs", "owlrl", "normalise"]),
    required=True,
    help="rdfs or owlrl (the OWL 2 RL rules, slower): an entailment regime; normalise: the few links "
    "ecmgraph's rules need (inverse and sub-properties, post holders), what validation adds itself.",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["turtle", "ntriples", "jsonld", "nquads", "trig"]),
    default="turtle",
    show_default=True,
    help="nquads and trig keep the input's named graphs and put the entailments in a graph of their own.",
)
@click.option("--include-input", is_flag=True, help="Write the input triples too, not only the entailments.")
@click.option(
    "--endpoint",
    metavar="URL",
    help="With --profile normalise: write the links the data of this SPARQL "
    "1.1 endpoint lacks, computed there, instead of reading PATHs.",
)
@click.option(
    "--timeout",
    type=Seconds(),
    default=60.0,
    show_default=True,
    metavar="SECONDS",
    help="How long to wait for each answer of --endpoint.",
)
@output_option
def infer(
    paths: tuple[str, ...],
    input_format: str | None,
    store_dir: str | None,
    profile: str,
    fmt: str,
    include_input: bool,
    endpoint: str | None,
    timeout: float,
    output: str | None,
    force: bool,
) -> None:
    """Write the triples that RDFS or OWL-RL inference, or ecmgraph's normalisation, adds to the data.

    The ontology is always loaded with the data. Trivial entailments that every resource gets (x a rdfs:Resource,
    x owl:sameAs x) are left out. Validation never needs rdfs or owlrl. The normalise profile writes what
    validation adds itself, to load into a SPARQL endpoint with the data (then 'ecmgraph validate --endpoint'
    gives the local report); with --endpoint, it writes what that endpoint's data lacks, computed there.

    \b
    Example:
        ecmgraph infer --profile rdfs -o inferred.ttl
        ecmgraph infer --profile normalise --include-input --format nquads my-data.ttl -o all.nq
        ecmgraph infer --profile normalise --endpoint http://localhost:7878/query --format ntriples -o missing.nt
    """
    from ecmgraph.output import write_output

    if endpoint is not None:
        if profile != "normalise":
            raise click.UsageError("--endpoint works with --profile normalise only")
        if paths or store_dir:
            raise click.UsageError("give data (PATHs or --store) or --endpoint, not both")
        if include_input:
            raise click.UsageError("--include-input reads local data: it does not go with --endpoint")
        write_output(_missing_on_endpoint(endpoint, timeout, fmt), output, force=force)
        return

    from ecmgraph.inference import (
        QUAD_FORMATS,
        entailed_quads,
        entailments,
        render_quads,
    )
    from ecmgraph.render.tables import render_graph
    from ecmgraph.results import Graph
    from ecmgraph.store import load_dataset

    dataset = load_dataset(paths, input_format=input_format, store_dir=store_dir)
    if fmt in QUAD_FORMATS:
        write_output(
            render_quads(entailed_quads(dataset, profile, include_input=include_input), fmt), output, force=force
        )
    else:
        write_output(
            render_graph(Graph(entailments(dataset, profile, include_input=include_input)), fmt), output, force=force
        )


def _missing_on_endpoint(url: str, timeout: float, fmt: str) -> str:
    """The normalisation's triples that the endpoint lacks, rendered; a line on stderr says how many."""
    import pyoxigraph as ox

    from ecmgraph.engines import RemoteEngine
    from ecmgraph.inference import PROFILE_GRAPHS, QUAD_FORMATS, render_quads
    from ecmgraph.normalise import missing_triples
    from ecmgraph.render.tables import render_graph
    from ecmgraph.results import Graph

    triples = missing_triples(RemoteEngine(url, timeout))
    blank = sum(1 for t in triples if isinstance(t.subject, ox.BlankNode) or isinstance(t.object, ox.BlankNode))
    note = (
        f"{len(triples)} triples missing on {url}"
        if triples
        else f"nothing missing: {url} holds every link ecmgraph's rules need"
    )
    if blank:
        note += f" ({blank} about blank nodes, which a store cannot match once reloaded: give those nodes IRIs)"
    click.echo(note, err=True)
    if fmt in QUAD_FORMATS:
        graph = ox.NamedNode(PROFILE_GRAPHS["normalise"])
        return render_quads([ox.Quad(t.subject, t.predicate, t.object, graph) for t in triples], fmt)
    return render_graph(Graph(triples), fmt)


@cli.command()
@click.option(
    "--store",
    "store_dir",
    required=True,
    metavar="DIR",
    type=click.Path(file_okay=False),
    help="The folder of the on-disk store to create or add to.",
)
@data_options
@click.option("--replace", is_flag=True, help="Empty the store first, instead of adding to it.")
def load(store_dir: str, paths: tuple[str, ...], input_format: str | None, replace: bool) -> None:
    """Load data once into an on-disk store, for commands to read with --store DIR without parsing again.

    With no PATH, the packaged data is loaded; the ontology always is. Sources already in the store are
    skipped (use --replace to start again). A progress bar on stderr shows the bytes read.

    \b
    Example:
        ecmgraph load --store england.db england-national.nt
    """
    from pathlib import Path

    from ecmgraph import resources
    from ecmgraph.store import build_store, default_paths, expand_paths

    files = [str(resources.ontology_path()), *(expand_paths(paths) if paths else default_paths())]
    total = sum(Path(f).stat().st_size for f in files if f != "-")
    with click.progressbar(length=total, label="loading", file=sys.stderr, show_eta=True) as bar:
        dataset = build_store(store_dir, paths, input_format=input_format, replace=replace, progress=bar.update)
    quads = sum(s.quads for s in dataset.sources)
    click.echo(f"{store_dir}: {len(dataset.sources)} sources, {quads} statements", err=True)
