"""Every rule on its own fixtures: the rule fires on each failing fixture and stays silent on each passing one, at the
right severity, kind and focus node, through ``ecmgraph validate --format json``, with each engine.

The fixtures are ``tests/fixtures/rules/ECMnnn/{pass,fail}-*.ttl``, named after what they show; each folder's
``manifest.yaml`` gives, per case, the file, an optional ``as_of`` (default 2010-01-01), the rules to run (default:
the folder's) and every finding expected of those rules: rule (default the folder's), severity, kind and focus.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import Result

from ecmgraph.validation import load_catalogue

RULES_DIR = Path(__file__).parent / "fixtures" / "rules"
DEFAULT_AS_OF = "2010-01-01"
ECMID = "https://w3id.org/ecmgraph/id/"
ECM = "https://w3id.org/ecmgraph/def#"


def _manifests() -> dict[str, dict[str, Any]]:
    return {
        folder.name: yaml.safe_load((folder / "manifest.yaml").read_text(encoding="utf-8"))
        for folder in sorted(RULES_DIR.iterdir())
        if folder.is_dir()
    }


def _expand(name: str) -> str:
    for prefix, ns in (("ecmid:", ECMID), ("ecm:", ECM)):
        if name.startswith(prefix):
            return ns + name[len(prefix) :]
    return name


def _cases() -> list[Any]:
    params = []
    for rule, manifest in _manifests().items():
        for case in manifest["cases"]:
            as_of = str(case.get("as_of", DEFAULT_AS_OF))
            params.append(pytest.param(rule, case, as_of, id=f"{rule}/{case['file']}@{as_of}"))
    return params


def expected(rule: str, case: dict[str, Any]) -> set[tuple[str, str, str, str]]:
    """The findings a manifest case expects, as (rule, severity, kind, focus IRI)."""
    return {(e.get("rule", rule), e["severity"], e["kind"], _expand(e["focus"])) for e in case["expect"]}


def found(result: Result) -> set[tuple[str, str, str, str]]:
    """The findings of a ``validate --format json`` run, as (rule, severity, kind, focus IRI)."""
    data = json.loads(result.stdout)
    return {(r["rule"], r["severity"], r["kind"], r["focus"]) for r in data["results"]}


# pySHACL (the reference engine) takes about 2 s a fixture, ecmgraph's engine a tenth of that: the quick run
# checks every fixture with ecmgraph's engine, the slow run (`-m slow`) shows pySHACL agrees on each.
@pytest.mark.parametrize("engine", ["ecmgraph", pytest.param("pyshacl", marks=pytest.mark.slow)])
@pytest.mark.parametrize(("rule", "case", "as_of"), _cases())
def test_rule_fixture(run: Callable[..., Result], rule: str, case: dict[str, Any], as_of: str, engine: str) -> None:
    rules = case.get("rules", [rule])
    args = [
        "validate",
        str(RULES_DIR / rule / case["file"]),
        "--format",
        "json",
        "--as-of",
        as_of,
        "--engine",
        engine,
        "--fail-on",
        "none",
    ]
    for r in rules:
        args += ["--rule", r]
    result = run(args)
    assert result.exit_code == 0, result.stderr
    assert found(result) == expected(rule, case)


def test_every_rule_has_passing_and_failing_fixtures() -> None:
    manifests = _manifests()
    assert sorted(manifests) == sorted(load_catalogue().rules)
    for rule, manifest in manifests.items():
        assert manifest["rule"] == rule
        files = {c["file"] for c in manifest["cases"]}
        on_disk = {p.name for p in (RULES_DIR / rule).glob("*.ttl")}
        assert files == on_disk, f"{rule}: manifest and folder differ"
        assert any(f.startswith("pass-") for f in files) and any(f.startswith("fail-") for f in files), rule
        for case in manifest["cases"]:
            mine = {e for e in expected(rule, case) if e[0] == rule}
            if case["file"].startswith("fail-"):
                assert mine, f"{rule}/{case['file']}: a failing fixture must expect a finding of {rule}"
            else:
                assert not mine, f"{rule}/{case['file']}: a passing fixture must expect no finding of {rule}"


@pytest.mark.parametrize("rule", sorted(_manifests()))
def test_every_shape_fires_on_some_fixture(run: Callable[..., Result], rule: str) -> None:
    # Every shape of the rule (each kind of finding it makes) is shown by at least one of its failing fixtures.
    fired: set[str] = set()
    for case in _manifests()[rule]["cases"]:
        if case["file"].startswith("fail-"):
            args = [
                "validate",
                str(RULES_DIR / rule / case["file"]),
                "--format",
                "json",
                "--fail-on",
                "none",
                "--as-of",
                str(case.get("as_of", DEFAULT_AS_OF)),
                "--rule",
                rule,
            ]
            fired |= {r["shape"] for r in json.loads(run(args).stdout)["results"]}
    catalogue = load_catalogue()
    missing = sorted(s for s in catalogue.shapes if catalogue.shapes[s].rule == rule and s not in fired)
    assert not missing, f"shapes of {rule} no failing fixture shows: {missing}"
