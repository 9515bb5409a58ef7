"""Each rule explained by example: a small graph that breaks it, the same graph corrected, both validated for real.

The examples are packaged data (``shapes/examples/ECM001-breaks.trig`` and ``ECM001-fixed.trig``, one pair a
rule). Each file says in its header the findings it gives (``# Findings of ECM001: ECM001-vacant``, or ``none``),
and is validated alone (no reference data), as at :data:`EXAMPLE_AS_OF`, for its rule only.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path

from ecmgraph import resources
from ecmgraph.errors import UsageProblem
from ecmgraph.store import load_dataset
from ecmgraph.validation.catalogue import Catalogue, Rule, load_catalogue, rule_id_of
from ecmgraph.validation.report import Finding
from ecmgraph.validation.run import validate

#: The day every example is validated as at: after the last in-force date of the rules (2008-03-21).
EXAMPLE_AS_OF = dt.date(2009, 6, 1)
_FINDINGS = re.compile(r"^# Findings of (ECM\d{3}): (.+)$", re.M)


@dataclass(frozen=True)
class RuleExample:
    """One example graph of a rule, and the findings of that rule its header says it gives (shape names)."""

    rule: str
    path: Path
    expected: tuple[str, ...]  # "ECM001-vacant", once per finding; empty for a corrected graph

    @property
    def text(self) -> str:
        """The graph as written (TriG)."""
        return self.path.read_text(encoding="utf-8")


@dataclass(frozen=True)
class Explanation:
    """A rule, its example that breaks it and the example corrected, each with the findings it gives."""

    rule: Rule
    breaks: RuleExample
    fixed: RuleExample
    breaks_findings: tuple[Finding, ...]
    fixed_findings: tuple[Finding, ...]
    as_of: dt.date = EXAMPLE_AS_OF


def read_example(path: Path) -> RuleExample:
    """An example file with the findings its header states. Raises ValueError for a file without that header."""
    text = path.read_text(encoding="utf-8")
    match = _FINDINGS.search(text)
    if match is None:
        raise ValueError(f"{path}: no '# Findings of ECMnnn: …' line")
    found = match[2].split()
    return RuleExample(match[1], path, () if found == ["none"] else tuple(found))


def rule_examples(rule_id: str, folder: Path | None = None) -> tuple[RuleExample, RuleExample]:
    """The example that breaks the rule and the one that corrects it (``ECM001-breaks.trig``, ``-fixed.trig``)."""
    folder = folder or resources.rule_examples_dir()
    return read_example(folder / f"{rule_id}-breaks.trig"), read_example(folder / f"{rule_id}-fixed.trig")


def example_findings(example: RuleExample) -> tuple[Finding, ...]:
    """What validating the example gives for its rule: alone, as at :data:`EXAMPLE_AS_OF`."""
    report = validate(load_dataset([str(example.path)]), as_of=EXAMPLE_AS_OF, rules=[example.rule])
    return report.findings


def explain_rule(given: str, catalogue: Catalogue | None = None) -> Explanation:
    """The rule named by ``given`` (``ECM001``, ``ecm001``, ``1``, ``01``) with its two examples run for real.

    Raises UsageProblem (exit code 2), listing the rules, for a name that is no rule.
    """
    catalogue = catalogue or load_catalogue()
    rule_id = rule_id_of(given)
    if rule_id not in catalogue.rules:
        first, last = min(catalogue.rules), max(catalogue.rules)
        raise UsageProblem(
            f"--explain: unknown rule {given!r}",
            hint=f"give one of {first} to {last} (or its number, 1 to {int(last[3:])}); ecmgraph rules lists them",
        )
    breaks, fixed = rule_examples(rule_id)
    return Explanation(catalogue.rules[rule_id], breaks, fixed, example_findings(breaks), example_findings(fixed))
