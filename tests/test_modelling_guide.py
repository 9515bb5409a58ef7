"""The modelling guide's examples (docs/examples/) validate with exactly the findings docs/modelling.md states.

The guide gives each example's findings in a ```findings block: its first line the command (``$ ecmgraph
validate docs/examples/X.ttl [--no-reference] --as-of DATE``), then one line per finding: the shape, the
severity, breach or gap, the focus node and, where it is another IRI, the value (``ecmid:`` stands for
``https://w3id.org/ecmgraph/id/``, ``ecm:`` for the ontology's namespace), or ``(none)``. The expectations are read from the guide itself, so the two
cannot drift. After a deliberate change to the rules, ``ECMGRAPH_REGENERATE_GUIDE=1 pytest
tests/test_modelling_guide.py`` writes the findings ecmgraph now gives into the guide, to review with git diff.
"""

from __future__ import annotations

import json
import os
import re
import shlex
from pathlib import Path

import pytest

from ecmgraph.namespaces import ECM, ECMID

ROOT = Path(__file__).resolve().parents[1]
GUIDE = ROOT / "docs" / "modelling.md"
EXAMPLES = ROOT / "docs" / "examples"
BLOCK = re.compile(r"^```findings\n(?P<body>.*?)^```\n", flags=re.M | re.S)
NONE = "(none)"


def _blocks(text: str) -> list[tuple[str, list[str]]]:
    """Each findings block of the guide: its command line and its finding lines."""
    out = []
    for match in BLOCK.finditer(text):
        command, *findings = match["body"].splitlines()
        assert command.startswith("$ ecmgraph validate "), command
        out.append((command.removeprefix("$ "), [] if findings == [NONE] else findings))
    return out


def _short(iri: str) -> str:
    for prefix, namespace in (("ecmid:", str(ECMID)), ("ecm:", str(ECM))):
        if iri.startswith(namespace):
            return prefix + iri.removeprefix(namespace)
    return f"<{iri}>"


def _findings(run, command: str) -> list[str]:
    """What the command finds, one line per finding, sorted, in the guide's columns (aligned for reading; the
    test compares the cells, not the spaces)."""
    args = shlex.split(command)[1:]
    result = run([*args, "--format", "json"])
    assert result.exit_code in (0, 1), result.stderr
    lines = []
    for r in json.loads(result.stdout)["results"]:
        cells = [r["shape"].rsplit("#", 1)[1], r["severity"], r["kind"], _short(r["focus"])]
        value = r.get("value") or {}
        if value.get("type") == "uri" and value["value"] != r["focus"]:
            cells.append(_short(value["value"]))
        lines.append(cells)
    widths = [max(len(c[i]) for c in lines) for i in range(4)] if lines else []
    return sorted(
        "  ".join(cell.ljust(widths[i]) if i < 4 else cell for i, cell in enumerate(c)).rstrip() for c in lines
    )


GUIDE_BLOCKS = _blocks(GUIDE.read_text(encoding="utf-8")) if GUIDE.is_file() else []


@pytest.mark.parametrize(("command", "expected"), GUIDE_BLOCKS, ids=[c for c, _ in GUIDE_BLOCKS])
def test_each_example_gives_exactly_the_findings_the_guide_states(run, command: str, expected: list[str]) -> None:
    assert [line.split() for line in _findings(run, command)] == [line.split() for line in expected]


def test_every_example_file_is_validated_in_the_guide_and_says_what_it_describes() -> None:
    files = sorted(p.name for p in EXAMPLES.iterdir() if p.suffix in (".ttl", ".trig"))
    named = {shlex.split(c)[2].removeprefix("docs/examples/") for c, _ in GUIDE_BLOCKS}
    assert len(files) >= 8 and set(files) == named
    for name in files:
        header = (EXAMPLES / name).read_text(encoding="utf-8").split("\n\n", 1)[0]
        assert header.startswith("# ") and len(header.splitlines()) >= 2, f"{name} has no comment header"


def test_a_block_that_states_other_findings_fails(run) -> None:
    command, expected = GUIDE_BLOCKS[0]
    assert expected, "the first example has findings to state"
    assert [line.split() for line in _findings(run, command)] != [line.split() for line in expected[1:]]


@pytest.mark.skipif(not os.environ.get("ECMGRAPH_REGENERATE_GUIDE"), reason="set ECMGRAPH_REGENERATE_GUIDE=1")
def test_regenerate_the_guide_s_findings(run) -> None:
    def block(match: re.Match[str]) -> str:
        command = match["body"].splitlines()[0].removeprefix("$ ")
        return "```findings\n$ " + command + "\n" + "\n".join(_findings(run, command) or [NONE]) + "\n```\n"

    GUIDE.write_text(BLOCK.sub(block, GUIDE.read_text(encoding="utf-8")), encoding="utf-8")
