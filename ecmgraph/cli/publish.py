"""The ``publish`` command: the data as a static linked-data site, for people and machines."""

from __future__ import annotations

import datetime as dt

import click

from ecmgraph.cli.base import Date, cli, data_options, reference_option, store_option


@cli.command()
@data_options
@reference_option
@store_option
@click.option(
    "-o",
    "--output",
    "folder",
    required=True,
    metavar="DIR",
    help="Write the site to DIR: a new or empty folder, or a site published before (replaced whole, only once "
    "the new one is complete).",
)
@click.option(
    "--base-url",
    required=True,
    metavar="URL",
    help="The address the site will be served from (for the sitemap, the dumps' and catalogue's links, the "
    "serving rules), e.g. https://example.org/ecm/. Pages link relatively and work from any address.",
)
@click.option(
    "--as-of",
    type=Date(),
    help="Validate, show holders and draw charts as at DATE (default: today; not before 2004-11-15).",
)
@click.option(
    "--allow-breaches",
    is_flag=True,
    help="Publish even if the data breaches a rule (the site's checks page lists the breaches).",
)
@click.option(
    "-j",
    "--jobs",
    type=click.IntRange(min=1),
    metavar="N",
    help="Make the pages in N processes (default: one a CPU). The site is the same for any N.",
)
def publish(
    paths: tuple[str, ...],
    input_format: str | None,
    no_reference: bool,
    store_dir: str | None,
    folder: str,
    base_url: str,
    as_of: dt.date | None,
    allow_breaches: bool,
    jobs: int | None,
) -> None:
    """Publish the data (the packaged data when no PATH is given) as a static linked-data site in DIR.

    The data is first validated against the statutory rules as at --as-of: with breaches, nothing is published
    (exit code 1, the breaches on standard error) unless --allow-breaches. The site has a page per authority,
    post, person, body, topic, provision and source paragraph, each with its statements and their sources and
    its documents as Turtle, JSON-LD and N-Triples; an index of the authorities by region and tier with an
    offline search; what was checked; dumps with checksums, VoID, DCAT and a sitemap; and the serving rules
    (.htaccess, serving/nginx.conf, serving/w3id.htaccess). The same input gives the same bytes.

    \b
    Example:
        ecmgraph publish -o site --base-url https://example.org/ecm/ --as-of 2009-06-01
        python -m http.server -d site
    """
    from pathlib import Path

    from ecmgraph.api import load
    from ecmgraph.publish import BreachesFound
    from ecmgraph.publish import publish as publish_site
    from ecmgraph.render.reports import render_text
    from ecmgraph.validation import ValidationReport

    data = load(*paths, input_format=input_format, store=store_dir, reference=not no_reference)
    try:
        site = publish_site(data, folder, base_url=base_url, as_of=as_of, allow_breaches=allow_breaches, jobs=jobs)
    except BreachesFound as refused:
        if isinstance(refused.report, ValidationReport):
            click.echo(render_text(refused.report).rstrip("\n"), err=True)
        raise
    report = site.report
    click.echo(
        f"Published {site.pages} pages and {len(site.files) - site.pages} other files ({_size(site.size)}) in "
        f"{Path(folder)} for {base_url}, as at {report.as_of.isoformat()}: {len(report.breaches)} breaches, "
        f"{len(report.gaps)} gaps.",
        err=True,
    )


def _size(n: int) -> str:
    if n < 1024:
        return f"{n} bytes"
    return f"{n / 1024:.1f} KiB" if n < 1024 * 1024 else f"{n / 1024 / 1024:.1f} MiB"
