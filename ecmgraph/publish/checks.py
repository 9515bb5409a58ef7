"""The pages of the SHACL gate: what was checked, a page per rule with the authorities it finds, and the
compliance matrix (the cells of ``ecmgraph query run compliance-matrix``: breach, not recorded, conforms, not
applicable), all as at the day the site was published for."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import Any

import pyoxigraph as ox

from ecmgraph import compliance
from ecmgraph.engines import Engine
from ecmgraph.namespaces import legislation_url
from ecmgraph.publish.model import SiteData
from ecmgraph.publish.pages import Pages, relative
from ecmgraph.queries import get_query, run_packaged
from ecmgraph.render.reports import cite
from ecmgraph.results import Table
from ecmgraph.store import Dataset
from ecmgraph.validation import Finding, Rule, ValidationReport, load_catalogue

#: The matrix's cells: their symbol and the class the stylesheet colours them by.
CELLS = {
    "breach": ("X", "breach"),
    "not recorded": ("?", "gap"),
    "conforms": (".", "conforms"),
    "not applicable": ("-", "na"),
    "not validated": (" ", "na"),
}


def rule_page(rule_id: str) -> str:
    """The site path of a rule's page."""
    return f"rules/{rule_id}.html"


def compliance_table(dataset: Dataset, day: dt.date, report: ValidationReport | None = None) -> Table:
    """The packaged query ``compliance-matrix``'s answer as at ``day``, from ``report`` (the gate's validation of
    the same data on that day) where given, else validating again."""

    def with_report(on: dt.date) -> Engine:
        return compliance.report_engine(dataset, None, None, on, report if on == day else None)

    return run_packaged(dataset, get_query("compliance-matrix"), {"date": day.isoformat()}, provider=with_report)


def check_pages(
    site: SiteData, pages: Pages, report: ValidationReport, allowed: bool, matrix: Table
) -> dict[str, bytes]:
    """``checks.html``, ``rules/ECMnnn.html`` for each rule checked, and ``compliance.html`` (from ``matrix``,
    the answer of :func:`compliance_table`)."""
    catalogue = load_catalogue()
    rules = [catalogue.rules[r] for r in report.rules if r in catalogue.rules]
    out = {"checks.html": _checks(site, pages, report, rules, allowed)}
    for rule in rules:
        out[rule_page(rule.id)] = _rule(site, pages, report, rule)
    out["compliance.html"] = _matrix(matrix, site, pages, report, rules)
    return out


def _finding(site: SiteData, page: str, finding: Finding) -> dict[str, Any]:
    target = site.page_of(finding.authority) if finding.authority else None
    return {
        "rule": finding.rule,
        "rule_href": relative(page, rule_page(finding.rule)),
        "severity": finding.severity,
        "message": finding.message,
        "authority": site.label(finding.authority) if finding.authority else "Not placed in any authority",
        "href": relative(page, target) if target else "",
    }


def _sources(site: SiteData, page: str, sources: tuple[str, ...]) -> list[dict[str, Any]]:
    out = []
    for source in sources:
        target = site.page_of(source)
        out.append(
            {
                "text": site.labels.get(source) or cite(source),
                "href": relative(page, target) if target else None,
                "external": legislation_url(source),
            }
        )
    return out


def _checks(site: SiteData, pages: Pages, report: ValidationReport, rules: list[Rule], allowed: bool) -> bytes:
    """What was checked before publishing: when, with which rules and engine, the breaches, the gaps per rule."""
    per_rule: dict[str, list[str | None]] = defaultdict(list)
    for gap in report.gaps:
        per_rule[gap.rule].append(gap.authority)
    evidence = (
        f"Evidence in the data is dated {report.evidence[0].isoformat()} to {report.evidence[1].isoformat()}."
        if report.evidence
        else "The data's evidence carries no date."
    )
    check = {
        "engine": report.engine,
        "inference": "no inference" if report.inference == "none" else f"{report.inference} inference",
        "evidence": evidence,
        "allowed": allowed,
        "breaches": [_finding(site, "checks.html", b) for b in report.breaches],
        "gap_count": len(report.gaps),
        "gaps": [{"rule": r, "count": len(a), "authorities": len(set(a))} for r, a in sorted(per_rule.items())],
        "rules": [
            {
                "id": r.id,
                "href": rule_page(r.id),
                "level": r.level,
                "title": r.title,
                "in_force": r.in_force_from.isoformat() if r.in_force_from else "always",
            }
            for r in rules
        ],
    }
    return pages.render("checks.html", "checks.html", "What was checked", check=check).encode()


def _rule(site: SiteData, pages: Pages, report: ValidationReport, rule: Rule) -> bytes:
    """A rule's page: its level, in-force day, sources and shapes, and what it finds in the data."""
    page = rule_page(rule.id)
    found = [f for f in report.findings if f.rule == rule.id]
    view = {
        "id": rule.id,
        "level": rule.level,
        "in_force": rule.in_force_from.isoformat() if rule.in_force_from else "",
        "level_before": rule.severity_before or "",
        "sources": _sources(site, page, rule.sources),
        "shapes": [
            {
                "iri": s.iri,
                "kind": s.kind,
                "severity": s.severity,
                "checks": s.description,
                "message": s.message,
                "sources": _sources(site, page, s.sources),
            }
            for s in rule.shapes
        ],
        "breaches": [_finding(site, page, f) for f in found if f.kind == "breach"],
        "gaps": [_finding(site, page, f) for f in found if f.kind == "gap"],
    }
    return pages.render("rule.html", page, f"{rule.id}: {rule.title}", rule=view).encode()


def _matrix(table: Table, site: SiteData, pages: Pages, report: ValidationReport, rules: list[Rule]) -> bytes:
    """The compliance matrix as the packaged query gives it, authorities down and rules across."""
    day = report.as_of
    column = {name: i for i, name in enumerate(table.columns)}
    cells: dict[str, dict[str, tuple[str, str]]] = defaultdict(dict)
    for row in table.rows:
        who, rule, result, level = (row[column[c]] for c in ("authority", "rule", "result", "level"))
        if not isinstance(who, ox.NamedNode) or not isinstance(rule, ox.Literal) or not isinstance(result, ox.Literal):
            continue
        cells[who.value][rule.value] = (result.value, level.value if isinstance(level, ox.Literal) else "")
    ids = [r.id for r in rules]
    rows = []
    for authority in sorted(cells, key=lambda a: (site.label(a).lower(), a)):
        target = site.page_of(authority)
        rows.append(
            {
                "text": site.label(authority),
                "href": relative("compliance.html", target) if target else None,
                "cells": [_cell(cells[authority].get(r)) for r in ids],
            }
        )
    legend = [{"symbol": s, "class": c, "text": name} for name, (s, c) in CELLS.items() if name != "not validated"]
    return pages.render(
        "compliance.html",
        "compliance.html",
        f"Compliance matrix as at {day.isoformat()}",
        rules=[{"id": r.id, "title": r.title, "href": rule_page(r.id)} for r in rules],
        rows=rows,
        legend=legend,
    ).encode()


def _cell(found: tuple[str, str] | None) -> dict[str, str]:
    result, level = found or ("not validated", "")
    symbol, css = CELLS.get(result, (" ", "na"))
    return {"symbol": symbol, "class": css, "title": f"{result}, {level}" if level else result}
