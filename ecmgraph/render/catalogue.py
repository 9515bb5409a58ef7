"""The rules catalogue, as ``ecmgraph rules`` prints it: text, JSON, or a Markdown table (shapes/README.md's)."""

from __future__ import annotations

import json
from collections.abc import Mapping

from ecmgraph.namespaces import legislation_url
from ecmgraph.render.reports import cite
from ecmgraph.validation import Rule

RULES_FORMATS = ("text", "json", "markdown")


def render_rules(rules: Mapping[str, Rule], fmt: str) -> str:
    """The rules catalogue (``ecmgraph rules``) as text, JSON or a Markdown table (shapes/README.md's)."""
    if fmt == "json":
        return json.dumps([r.to_dict() for r in rules.values()], indent=2, ensure_ascii=False) + "\n"
    if fmt == "markdown":
        return _rules_markdown(rules)
    if fmt != "text":
        raise ValueError(f"unknown format {fmt!r}; expected one of {', '.join(RULES_FORMATS)}")
    lines = []
    for r in rules.values():
        lines.append(f"{r.id} {r.level}: {r.title}")
        if r.in_force_from:
            before = f"; {r.severity_before} before that day" if r.severity_before else "; not checked before that day"
            lines.append(f"  in force from {r.in_force_from.isoformat()}{before}")
        lines.append(f"  sources: {'; '.join(cite(s) for s in r.sources)}")
        lines.append(f"  statute: {'; '.join(f'{cite(s)} ({legislation_url(s)})' for s in r.statute)}")
        for shape in r.shapes:
            name = shape.iri.rsplit("#", 1)[-1]
            lines.append(f"  {name} ({shape.severity} {shape.kind}): {shape.description}")
            lines.append(f"    message: {shape.message}")
        lines.append("")
    return "\n".join(lines)


def _rules_markdown(rules: Mapping[str, Rule]) -> str:
    def cell(text: str) -> str:
        return text.replace("|", "\\|").replace("\n", " ")

    lines = ["| rule | level | shape | finding | what it checks | sources |", "|---|---|---|---|---|---|"]
    for r in rules.values():
        level = r.level + (
            f" (from {r.in_force_from.isoformat()}; {r.severity_before} before)"
            if r.in_force_from and r.severity_before
            else ""
        )
        for i, shape in enumerate(r.shapes):
            name = shape.iri.rsplit("#", 1)[-1]
            first = i == 0
            severity = "" if shape.severity == r.level else f" ({shape.severity})"
            lines.append(
                "| "
                + " | ".join(
                    [
                        f"{r.id} {cell(r.title)}" if first else "",
                        level if first else "",
                        f"`ecmsh:{name}`",
                        shape.kind + severity,
                        cell(shape.description),
                        cell("; ".join(cite(s) for s in r.sources)) if first else "",
                    ]
                )
                + " |"
            )
    return "\n".join(lines) + "\n"
