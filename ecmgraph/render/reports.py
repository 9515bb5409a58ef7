"""Validation reports as text (for people), JSON (for programs), Turtle (a SHACL validation report) and JUnit XML (for CI).

Every renderer is deterministic: the same report gives the same bytes (findings are already sorted by
:func:`ecmgraph.validation.assemble`; Turtle is sorted; IRIs of results are numbered in that order).

JSON schema, version 1 (``schema_version``): ``validated`` (what was validated), ``as_of``, ``engine``,
``inference``, ``rules`` (the ids checked), ``only`` (``breaches``, ``gaps`` or null), ``conforms``,
``evidence`` (``earliest`` and ``latest``, the days the data's evidence is dated, or null), ``summary``
(``results``, ``breaches``, ``gaps`` and, for each severity, the number of ``breach`` and ``gap`` findings) and
``results``: one object
per finding with ``rule``, ``severity`` (Violation, Warning, Info), ``kind`` (breach, gap), ``focus`` (IRI),
``focus_label``, ``authority`` (IRI or null), ``authority_label``, ``authority_code``, ``value`` (a SPARQL JSON
term object or null), ``path`` (IRI or null), ``message``, ``shape`` (IRI), ``constraint_component`` and
``sources`` (IRIs), ``fix`` (what to add or change in the data to resolve it: the last sentence of ``message``)
and ``statute`` (the provisions the message cites: one object each with ``provision``, its legislation.gov.uk
identifier, ``citation``, as in "Children Act 2004 s18(1)", and ``url``, its page on legislation.gov.uk). New keys
may be added within a version; none is removed or renamed.
"""

from __future__ import annotations

import hashlib
import json
import re
import xml.etree.ElementTree as ET
from collections import defaultdict
from collections.abc import Mapping, Sequence

import pyoxigraph as ox

from ecmgraph.namespaces import DCTERMS, ECM, ECMID, LEG, RDF, SH, VALIDATION_BASE, XSD, legislation_url
from ecmgraph.render.tables import json_term, render_graph
from ecmgraph.results import Graph, cell_text
from ecmgraph.validation import SEVERITIES, Finding, Rule, ValidationReport, load_catalogue
from ecmgraph.words import counted

SCHEMA_VERSION = 1
FORMATS = ("text", "turtle", "json", "junit")

_SH = str(SH)
_ECM = str(ECM)
_DCTERMS = str(DCTERMS)
_XSD = str(XSD)
_RDF_TYPE = str(RDF.type)
_REPORTS = VALIDATION_BASE
_SEED = re.compile(re.escape(str(ECMID)) + r"source/seed(\d{3})(?:/(.+))?$")
_LEGISLATION = re.compile(re.escape(str(LEG)) + r"(ukpga|uksi)/(\d{4})/(\d+)(/.*)?$")
#: Acts the rules cite, by their legislation.gov.uk year/chapter, for citations people read.
_ACTS = {
    "1989/41": "Children Act 1989",
    "1989/42": "Local Government and Housing Act 1989",
    "2004/31": "Children Act 2004",
    "2006/21": "Childcare Act 2006",
    "2006/41": "National Health Service Act 2006",
    "2006/47": "Safeguarding Vulnerable Groups Act 2006",
}


def cite(iri: str) -> str:
    """A source IRI as a short citation: ``seed 003 §3.5``, ``Children Act 2004 s18(1)``, ``SI 2007/1792``."""
    seed = _SEED.match(iri)
    if seed:
        doc, para = seed.groups()
        return f"seed {doc}" + (f" {_paragraph(para)}" if para else "")
    law = _LEGISLATION.match(iri)
    if law:
        kind, year, number, rest = law.groups()
        name = _ACTS.get(f"{year}/{number}", f"{kind} {year}/{number}") if kind == "ukpga" else f"SI {year}/{number}"
        return name + _provision(rest or "")
    return iri


def _paragraph(key: str) -> str:
    patterns = (
        (r"fn(\d+)", r"fn \1"),
        (r"app(\d+)-s(\d+)", r"App. \1 (s\2)"),
        (r"app(\d+)", r"App. \1"),
        (r"app([A-Z])-(\d[\d.]*)-s(\d+)-(\d+)", r"App. \1 §\2 (ss\3-\4 row)"),
        (r"app([A-Z])-(\d[\d.]*)-s(\d+)", r"App. \1 §\2 (s\3 row)"),
        (r"app([A-Z])-(\d[\d.]*)", r"App. \1 §\2"),
        (r"app([A-Z])", r"App. \1"),
        (r"front-(\d[\d.]*)", r"front §\1"),
        (r"s(\d+)-p(\d+)", r"Section \1 ¶\2"),
        (r"s(\d+)-(\d[\d.]*)", r"Section \1 §\2"),
        (r"s(\d+)", r"Section \1"),
        (r"(\d[\d.]*)", r"§\1"),
    )
    for pattern, replacement in patterns:
        if re.fullmatch(pattern, key):
            return re.sub(pattern, replacement, key)
    return key


def _provision(rest: str) -> str:
    parts = rest.strip("/").split("/") if rest else []
    out = ""
    while len(parts) >= 2:
        kind, number, parts = parts[0], parts[1], parts[2:]
        if kind == "section":
            out += f" s{number}"
            while parts and parts[0].isdigit():
                out += f"({parts.pop(0)})"
        elif kind == "schedule":
            out += f" Sch. {number}"
        elif kind == "paragraph":
            out += f" para {number}"
        elif kind == "part":
            out += f" Part {number}"
        else:
            out += f" {kind} {number}"
    return out


# -------------------------------------------------------------------------------------------------------- text


def render_text(report: ValidationReport, rules: Mapping[str, Rule] | None = None, *, gaps: bool = False) -> str:
    """The report for people: the breaches first, in full, by authority; then the gaps (missing data, not
    breaches) counted per rule, or, with ``gaps``, listed by authority too. ``rules`` gives the rules' titles
    (default: the packaged rules')."""
    if rules is None:
        rules = load_catalogue().rules
    lines = [_heading(report), *_evidence_line(report), ""]
    if report.only == "gaps":
        lines.append("Breaches: not reported (--only gaps).")
    elif not report.breaches:
        lines.append("0 breaches: nothing the data records breaks a rule checked.")
    else:
        places = len({f.authority for f in report.breaches})
        lines += [
            f"{counted(len(report.breaches), 'breach', 'breaches')} in {counted(places, 'authority', 'authorities')}:",
            "",
        ]
        lines += _by_authority(report, report.breaches, collapse=False)
    if lines[-1]:
        lines.append("")
    if report.only == "breaches":
        lines.append("Gaps: not reported (--only breaches).")
    elif not report.gaps:
        lines.append("0 gaps: the data records everything the rules checked need.")
    else:
        places = len({f.authority for f in report.gaps})
        lines.append(
            f"{counted(len(report.gaps), 'gap', 'gaps')} in {counted(places, 'authority', 'authorities')}: facts the "
            "rules need that the data does not record (missing data, not breaches). By rule:"
        )
        lines += _gaps_by_rule(report, rules)
        lines.append("")
        if gaps:
            lines += _by_authority(report, report.gaps, collapse=True)
        else:
            lines.append("List them with 'ecmgraph validate --gaps' (add --rule ID for one rule).")
    return "\n".join(lines).rstrip("\n") + "\n"


#: How strongly each severity's rule binds, in words that a gap can carry without reading as a breach.
_STRENGTH = {"Violation": "must", "Warning": "should", "Info": "note"}


def _evidence_line(report: ValidationReport) -> list[str]:
    if report.evidence is None:
        return ["The data's evidence carries no date."]
    earliest, latest = report.evidence
    span = earliest.isoformat() if earliest == latest else f"{earliest.isoformat()} to {latest.isoformat()}"
    older = f", older than {report.as_of.isoformat()}: facts may have changed since" if latest < report.as_of else ""
    return [f"Evidence in the data is dated {span} (latest {latest.isoformat()}{older})."]


def _gaps_by_rule(report: ValidationReport, rules: Mapping[str, Rule]) -> list[str]:
    per_rule: dict[str, list[Finding]] = defaultdict(list)
    for f in report.gaps:
        per_rule[f.rule].append(f)
    out = []
    for rule_id in sorted(per_rule):
        found = per_rule[rule_id]
        places = len({f.authority for f in found})
        rule = rules.get(rule_id)
        strength = _STRENGTH[found[0].severity]
        title = f"  {rule.title}" if rule else ""
        out.append(
            f"  {rule_id} {strength:<6} {len(found):>5} in {counted(places, 'authority', 'authorities'):<16}{title}"
        )
    return out


def _by_authority(report: ValidationReport, findings: Sequence[Finding], *, collapse: bool) -> list[str]:
    """Findings grouped by authority; with ``collapse``, the gaps of authorities known only from reference data
    one line each."""
    groups: dict[str | None, list[Finding]] = defaultdict(list)
    for f in findings:
        groups[f.authority].append(f)
    lines: list[str] = []
    collapsed: list[str] = []
    for authority, found in groups.items():
        info = report.authorities.get(authority or "")
        title = info.title if info else "Not placed in any authority"
        if collapse and info is not None and not info.detailed:
            collapsed.append(f"  {title}: gaps for {' '.join(sorted({f.rule for f in found}))} ({len(found)})")
            continue
        lines.append(title)
        for f in found:
            sources = "; ".join(cite(s) for s in f.sources)
            level = f.severity if f.kind == "breach" else f"gap, {_STRENGTH[f.severity]}"
            lines.append(f"  {f.rule} {level}: {f.message} [{sources}]")
        lines.append("")
    if collapsed:
        lines.append(
            f"Reference data only: {len(collapsed)} authorities for which the data records nothing but "
            "their name, kind and dates, so every rule that needs their posts or bodies has a gap"
        )
        lines.extend(collapsed)
        lines.append("")
    return lines


def _heading(report: ValidationReport) -> str:
    inference = "no inference" if report.inference == "none" else f"{report.inference.upper()} inference"
    rules = f"{len(report.rules)} rules" if len(report.rules) != 1 else f"rule {report.rules[0]}"
    only = {"breaches": ", breaches only", "gaps": ", gaps only"}.get(report.only or "", "")
    return (
        f"Validation of {report.source} as at {report.as_of.isoformat()}: {rules}, engine {report.engine}, "
        f"{inference}{only}"
    )


# -------------------------------------------------------------------------------------------------------- JSON


def report_dict(report: ValidationReport) -> dict[str, object]:
    """The report as the JSON schema of this module's docstring describes it."""
    counts = report.counts()
    summary: dict[str, object] = {
        "results": len(report.findings),
        "breaches": len(report.breaches),
        "gaps": len(report.gaps),
    }
    summary.update({s: dict(counts[s]) for s in SEVERITIES})
    results = []
    for f in report.findings:
        info = report.authorities.get(f.authority or "")
        results.append(
            {
                "rule": f.rule,
                "severity": f.severity,
                "kind": f.kind,
                "focus": cell_text(f.focus, compact_iris=False),
                "focus_label": f.focus_label,
                "authority": f.authority,
                "authority_label": info.label if info else None,
                "authority_code": info.code if info else None,
                "value": None if f.value is None else json_term(f.value),
                "path": f.path,
                "message": f.message,
                "shape": f.shape,
                "constraint_component": f.component,
                "sources": list(f.sources),
                "fix": f.fix,
                "statute": [{"provision": i, "citation": cite(i), "url": legislation_url(i)} for i in f.statute],
            }
        )
    return {
        "schema_version": SCHEMA_VERSION,
        "validated": report.source,
        "as_of": report.as_of.isoformat(),
        "engine": report.engine,
        "inference": report.inference,
        "rules": list(report.rules),
        "only": report.only,
        "conforms": report.conforms,
        "evidence": (
            {"earliest": report.evidence[0].isoformat(), "latest": report.evidence[1].isoformat()}
            if report.evidence
            else None
        ),
        "summary": summary,
        "results": results,
    }


def render_json(report: ValidationReport) -> str:
    """The report as JSON (schema version 1)."""
    return json.dumps(report_dict(report), indent=2, ensure_ascii=False) + "\n"


# ------------------------------------------------------------------------------------------------------ Turtle


def report_iri(report: ValidationReport) -> str:
    """A stable IRI for the report: a digest of its date, rules, engine and findings (not of file names)."""
    content = {k: v for k, v in report_dict(report).items() if k != "validated"}
    digest = hashlib.sha256(json.dumps(content, sort_keys=True).encode("utf-8")).hexdigest()[:16]
    return f"{_REPORTS}{digest}"


def report_triples(report: ValidationReport) -> list[ox.Triple]:
    """The report as a standard ``sh:ValidationReport``, with the rule id (``dcterms:identifier``), finding kind
    (``ecm:findingKind``), sources (``dcterms:source``), authority (``dcterms:coverage``, when it has one, as the
    text report files it), the fix (``ecm:fix``) and the provisions the message cites (``ecm:statutoryBasis``) on
    each result."""

    def n(iri: str) -> ox.NamedNode:
        return ox.NamedNode(iri)

    root = n(report_iri(report))
    triples = [
        ox.Triple(root, n(_RDF_TYPE), n(_SH + "ValidationReport")),
        ox.Triple(root, n(_SH + "conforms"), ox.Literal(str(report.conforms).lower(), datatype=n(_XSD + "boolean"))),
        ox.Triple(root, n(_DCTERMS + "temporal"), ox.Literal(report.as_of.isoformat(), datatype=n(_XSD + "date"))),
    ]
    width = max(4, len(str(len(report.findings))))
    for i, f in enumerate(report.findings, 1):
        r = n(f"{root.value}/result/{i:0{width}d}")
        triples += [
            ox.Triple(root, n(_SH + "result"), r),
            ox.Triple(r, n(_RDF_TYPE), n(_SH + "ValidationResult")),
            ox.Triple(r, n(_SH + "focusNode"), f.focus),
            ox.Triple(r, n(_SH + "resultSeverity"), n(_SH + f.severity)),
            ox.Triple(r, n(_SH + "sourceShape"), n(f.shape)),
            ox.Triple(r, n(_SH + "sourceConstraintComponent"), n(f.component)),
            ox.Triple(r, n(_SH + "resultMessage"), ox.Literal(f.message, language="en")),
            ox.Triple(r, n(_DCTERMS + "identifier"), ox.Literal(f.rule)),
            ox.Triple(r, n(_ECM + "findingKind"), n(_ECM + f.kind.capitalize())),
        ]
        if f.value is not None:
            triples.append(ox.Triple(r, n(_SH + "value"), f.value))
        if f.path is not None:
            triples.append(ox.Triple(r, n(_SH + "resultPath"), n(f.path)))
        if f.authority is not None:  # so a report loaded into a store can be read per authority
            triples.append(ox.Triple(r, n(_DCTERMS + "coverage"), n(f.authority)))
        triples += [ox.Triple(r, n(_DCTERMS + "source"), n(s)) for s in f.sources]
        if f.fix:
            triples.append(ox.Triple(r, n(_ECM + "fix"), ox.Literal(f.fix, language="en")))
        triples += [ox.Triple(r, n(_ECM + "statutoryBasis"), n(s)) for s in f.statute]
    return triples


def render_turtle(report: ValidationReport) -> str:
    """The report as Turtle: a SHACL validation report, sorted."""
    return render_graph(Graph(tuple(report_triples(report))), "turtle")


# ------------------------------------------------------------------------------------------------------- JUnit


def render_junit(
    report: ValidationReport, rules: Mapping[str, Rule], fail_on: str, *, fail_on_gaps: bool = False
) -> str:
    """JUnit XML for CI: a test suite per authority, a test case per rule checked; breaches at or above ``fail_on``
    are failures (``type="breach …"``); gaps (missing data) are skipped cases (``type="gap …"`` in the message),
    or failures too with ``fail_on_gaps``."""
    threshold = len(SEVERITIES) if fail_on == "none" else SEVERITIES.index(fail_on.capitalize()) + 1
    failing = set(SEVERITIES[:threshold]) if fail_on != "none" else set()
    by_place: dict[str | None, list[Finding]] = defaultdict(list)
    for f in report.findings:
        by_place[f.authority].append(f)
    places = sorted(set(report.authorities) | set(by_place), key=lambda a: _place_key(report, a))
    root = ET.Element("testsuites", {"name": "ecmgraph validate", "tests": "0", "failures": "0"})
    total = failures_total = 0
    for place in places:
        info = report.authorities.get(place or "")
        title = info.title if info else "Not placed in any authority"
        code = (info.code or place.rsplit("/", 1)[-1]) if info and place else "none"
        suite = ET.SubElement(root, "testsuite", {"name": title, "tests": str(len(report.rules)), "failures": "0"})
        failures = 0
        for rule_id in report.rules:
            found = [f for f in by_place.get(place, []) if f.rule == rule_id]
            rule = rules.get(rule_id)
            case = ET.SubElement(
                suite,
                "testcase",
                {"classname": f"ecmgraph.validate.{code}", "name": f"{rule_id} {rule.title if rule else ''}".strip()},
            )
            bad = [f for f in found if f.severity in failing and (f.kind == "breach" or fail_on_gaps)]
            if bad:
                failures += 1
                failure = ET.SubElement(
                    case, "failure", {"type": f"{bad[0].severity} {bad[0].kind}", "message": bad[0].message}
                )
                failure.text = "\n".join(f"{f.severity} {f.kind}: {f.message}" for f in bad)
            missing = [f for f in found if f.kind == "gap" and f not in bad]
            if missing and not bad:
                skipped = ET.SubElement(case, "skipped", {"message": f"gap: {missing[0].message}"})
                skipped.text = "\n".join(f"{f.severity} gap: {f.message}" for f in missing)
            rest = [f for f in found if f not in bad and (f not in missing or bad)]
            if rest:
                out = ET.SubElement(case, "system-out")
                out.text = "\n".join(f"{f.severity} {f.kind}: {f.message}" for f in rest)
        suite.set("failures", str(failures))
        total += len(report.rules)
        failures_total += failures
    root.set("tests", str(total))
    root.set("failures", str(failures_total))
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"


def _place_key(report: ValidationReport, place: str | None) -> tuple[bool, str, str]:
    info = report.authorities.get(place or "")
    return (info is None, info.label if info else "", place or "")


def render(
    report: ValidationReport,
    fmt: str,
    *,
    rules: Mapping[str, Rule],
    fail_on: str = "violation",
    gaps: bool = False,
    fail_on_gaps: bool = False,
) -> str:
    """Render the report in one of :data:`FORMATS` (``gaps``: list the gaps in the text report, not only count
    them; ``fail_on_gaps``: gaps are JUnit failures too)."""
    if fmt == "text":
        return render_text(report, rules, gaps=gaps)
    if fmt == "json":
        return render_json(report)
    if fmt == "turtle":
        return render_turtle(report)
    if fmt == "junit":
        return render_junit(report, rules, fail_on, fail_on_gaps=fail_on_gaps)
    raise ValueError(f"unknown report format {fmt!r}; expected one of {', '.join(FORMATS)}")
