"""A rule explained by example, as ``ecmgraph validate --explain RULE`` prints it."""

from __future__ import annotations

import textwrap
from collections.abc import Mapping, Sequence

import rdflib

from ecmgraph import resources
from ecmgraph.render.rulesdoc import SourceDocument, citations, source_documents
from ecmgraph.validation import Finding, Rule
from ecmgraph.validation.examples import Explanation, RuleExample

_WIDTH = 112


def _level(rule: Rule) -> str:
    if rule.in_force_from is None:
        return rule.level
    before = f"{rule.severity_before} before" if rule.severity_before else "not checked before"
    return f"{rule.level} from {rule.in_force_from.isoformat()}, {before}"


def _wrapped(text: str, indent: str = "  ", hanging: str = "    ") -> list[str]:
    return textwrap.wrap(
        text, _WIDTH, initial_indent=indent, subsequent_indent=hanging, break_long_words=False, break_on_hyphens=False
    )


def _shown(example: RuleExample) -> str:
    """The example's name as the repository has it (``shapes/examples/ECM001-breaks.trig``)."""
    return f"shapes/examples/{example.path.name}"


def _graph(example: RuleExample) -> list[str]:
    return [f"    {line}".rstrip() for line in example.text.rstrip("\n").split("\n")]


def _findings(findings: Sequence[Finding], rule: str) -> list[str]:
    if not findings:
        return [f"  No finding for {rule}: the graph conforms to the rule."]
    lines: list[str] = []
    for f in findings:
        lines += _wrapped(f"{f.rule} {f.severity} {f.kind}: {f.message}")
    return lines


def render_explanation(explanation: Explanation, documents: Mapping[str, SourceDocument] | None = None) -> str:
    """The rule (id, title, level and when in force, what each shape checks, the statute and sources), the example
    that breaks it with the findings it gives, and the example corrected with what it gives (nothing)."""
    if documents is None:
        sources = rdflib.Graph().parse(resources.data_dir() / "sources.ttl", format="turtle")
        documents = source_documents(sources)
    rule, day = explanation.rule, explanation.as_of.isoformat()
    lines = [f"{rule.id} ({_level(rule)}): {rule.title}", ""]
    lines += _wrapped(f"Statute: {citations(rule.statute, documents, markdown=False)}.", indent="", hanging="  ")
    lines += _wrapped(f"Sources: {citations(rule.sources, documents, markdown=False)}.", indent="", hanging="  ")
    lines += ["", "What it checks, one finding each (breach: the data contradicts the rule; gap: it lacks a fact):"]
    for shape in rule.shapes:
        name = shape.iri.rsplit("#", 1)[-1]
        severity = "" if shape.severity == rule.level else f", {shape.severity}"
        lines += _wrapped(f"{name} ({shape.kind}{severity}): {shape.description}")
    breaks, fixed = explanation.breaks, explanation.fixed
    lines += ["", f"An example that breaks it ({_shown(breaks)}):", "", *_graph(breaks), ""]
    command = f"ecmgraph validate {_shown(breaks)} --no-reference --as-of {day} --rule {rule.id}"
    lines += [*_wrapped(f"What it gives, validated alone as at {day} (as {command} does):", "", "  "), ""]
    lines += _findings(explanation.breaks_findings, rule.id)
    lines += ["", f"The fix ({_shown(fixed)}):", "", *_graph(fixed), ""]
    lines += ["What it gives then, validated the same way:", ""]
    lines += _findings(explanation.fixed_findings, rule.id)
    return "\n".join(lines) + "\n"
