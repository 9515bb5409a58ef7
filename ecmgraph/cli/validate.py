"""Commands that check data against the statutory rules: ``validate`` and ``rules``."""

from __future__ import annotations

import datetime as dt

import click

from ecmgraph.cli.base import Date, Seconds, cli, data_options, output_option, reference_option, store_option


def _ids(values: tuple[str, ...]) -> list[str]:
    """Rule ids from a repeated option, each value possibly a comma-separated list."""
    return [part.strip() for value in values for part in value.split(",") if part.strip()]


@cli.command()
@data_options
@reference_option
@store_option
@click.option(
    "--rule",
    "rules",
    multiple=True,
    metavar="ID",
    help="Check only this rule (repeat it, or give a comma-separated list). Default: every rule.",
)
@click.option("--ignore", "ignored", multiple=True, metavar="ID", help="Do not check this rule (repeatable).")
@click.option(
    "--as-of",
    type=Date(),
    help="Validate as at DATE: the rules in force then, at their level then, and "
    "the posts, holders and memberships current then (default: today; not before 2004-11-15).",
)
@click.option(
    "--only",
    type=click.Choice(["breaches", "gaps"]),
    help="Report only breaches (the data contradicts a rule) or only gaps (the data lacks what a rule needs).",
)
@click.option(
    "--fail-on",
    type=click.Choice(["violation", "warning", "info", "none"]),
    default="violation",
    show_default=True,
    help="Exit with code 1 when a breach at or above this severity is reported (gaps too with --fail-on-gaps).",
)
@click.option(
    "--fail-on-gaps",
    is_flag=True,
    help="Count gaps (facts the rules need that the data does not record) as failures for --fail-on too.",
)
@click.option(
    "--all-authorities",
    is_flag=True,
    help="Judge every authority in the data, the reference data's too, not only those the PATHs describe.",
)
@click.option(
    "--gaps",
    "list_gaps",
    is_flag=True,
    help="In the text report, list every gap by authority, not only their counts per rule.",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "turtle", "json", "junit"]),
    default="text",
    show_default=True,
    help="text for people, json (schema in README), turtle (a SHACL validation report) or junit (for CI).",
)
@click.option(
    "--engine",
    type=click.Choice(["ecmgraph", "pyshacl"]),
    default="ecmgraph",
    show_default=True,
    help="ecmgraph's own SPARQL engine (fast), or pySHACL (the reference; slower).",
)
@click.option(
    "--inference",
    type=click.Choice(["none", "rdfs", "owlrl"]),
    default="none",
    show_default=True,
    help="Expand the data with RDFS or OWL-RL entailments first (never needed by the rules; slow).",
)
@click.option(
    "--endpoint",
    metavar="URL",
    help="Validate the data of this SPARQL 1.1 endpoint instead of files. It "
    "must hold the ontology and the links 'ecmgraph infer --profile normalise' writes (checked first).",
)
@click.option(
    "--timeout",
    type=Seconds(),
    default=60.0,
    show_default=True,
    metavar="SECONDS",
    help="How long to wait for each answer of --endpoint.",
)
@click.option(
    "--explain",
    "explain",
    metavar="RULE",
    help="Print the rule (ECM001, ecm001 or 1) with a small graph that breaks it, the finding it gives, and the "
    "fix (the graph corrected), both validated for real; reads no data.",
)
@output_option
def validate(
    paths: tuple[str, ...],
    input_format: str | None,
    no_reference: bool,
    store_dir: str | None,
    rules: tuple[str, ...],
    ignored: tuple[str, ...],
    as_of: dt.date | None,
    only: str | None,
    fail_on: str,
    fail_on_gaps: bool,
    all_authorities: bool,
    list_gaps: bool,
    fmt: str,
    engine: str,
    inference: str,
    endpoint: str | None,
    timeout: float,
    explain: str | None,
    output: str | None,
    force: bool,
) -> None:
    """Check the data against the statutory rules ECM001-ECM027 (the packaged data when no PATH is given).

    Every result is a breach (the data records something that contradicts the rule) or a gap (the data lacks
    what the rule needs: a post whose holder is not recorded is a gap, never a vacancy). The text report lists
    the breaches first, then counts the gaps per rule (--gaps lists them). Exit code 0 when no breach at or
    above --fail-on is reported, 1 when one is (gaps count too with --fail-on-gaps), 3 on an input error.
    Each finding says what is wrong, where, since when, the statute (with its legislation.gov.uk link) and the
    fix; --explain RULE shows a rule with a graph that breaks it and the same graph corrected.

    \b
    Example:
        ecmgraph validate
        ecmgraph validate data/seed/staffordshire.trig --as-of 2009-06-01
        ecmgraph validate --gaps --rule ECM001
        ecmgraph validate my-authority.ttl --rule ECM001,ECM004 --format junit -o report.xml
        ecmgraph validate --explain ECM001
    """
    from ecmgraph.api import load, validate
    from ecmgraph.output import write_output
    from ecmgraph.render.reports import render
    from ecmgraph.validation import load_catalogue

    if explain is not None:
        from ecmgraph.render.explain import render_explanation
        from ecmgraph.validation.examples import explain_rule

        if paths or store_dir or endpoint:
            raise click.UsageError("--explain reads no data: give it without PATHs, --store or --endpoint")
        write_output(render_explanation(explain_rule(explain)), output, force=force)
        return
    if endpoint and (paths or store_dir):
        raise click.UsageError("give data (PATHs or --store) or --endpoint, not both")
    catalogue = load_catalogue()
    dataset = None if endpoint else load(*paths, input_format=input_format, store=store_dir, reference=not no_reference)
    report = validate(
        dataset,
        as_of=as_of,
        rules=_ids(rules),
        ignore=_ids(ignored),
        only=only,
        engine=engine,
        inference=inference,
        endpoint=endpoint,
        timeout=timeout,
        all_authorities=all_authorities,
    )
    text = render(report, fmt, rules=catalogue.rules, fail_on=fail_on, gaps=list_gaps, fail_on_gaps=fail_on_gaps)
    write_output(text, output, force=force)
    if report.fails(fail_on, gaps=fail_on_gaps):
        click.get_current_context().exit(1)


@cli.command()
@click.argument("ids", nargs=-1, metavar="[ID]...")
@click.option("--format", "fmt", type=click.Choice(["text", "json", "markdown"]), default="text", show_default=True)
@output_option
def rules(ids: tuple[str, ...], fmt: str, output: str | None, force: bool) -> None:
    """List the statutory rules: id, level, title, when in force, sources, and what each shape checks and says.

    The catalogue is read from the packaged shapes: it is what `ecmgraph validate` checks. docs/rules.md is the
    same catalogue as a reference, with the titles of the legislation and of the source documents it cites.

    \b
    Example:
        ecmgraph rules
        ecmgraph rules ECM001 ECM013 --format json
    """
    from ecmgraph.output import write_output
    from ecmgraph.render.catalogue import render_rules
    from ecmgraph.validation import load_catalogue

    catalogue = load_catalogue()
    chosen = catalogue.resolve(_ids(ids), "rules") if ids else tuple(catalogue.rules)
    write_output(render_rules({r: catalogue.rules[r] for r in chosen}, fmt), output, force=force)
