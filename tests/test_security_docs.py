"""README.md's Security section and SECURITY.md say what is true: each limit's default is the one in the code,
each option and environment variable named exists and sets that limit, and the report goes where it should."""

from __future__ import annotations

import re
from pathlib import Path

import click
import pytest

from ecmgraph import endpoint, limits
from ecmgraph.cli import cli

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")
SECURITY = (ROOT / "SECURITY.md").read_text(encoding="utf-8")


def _section(text: str, title: str) -> str:
    match = re.search(rf"^## {title}\n(.*?)(?=^## )", text, re.S | re.M)
    assert match, f"no section {title!r}"
    return match.group(1)


def _limits_table() -> dict[str, tuple[str, str]]:
    rows = {}
    for line in _section(README, "Security").splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if line.startswith("|") and len(cells) == 3 and cells[0] not in ("limit", "---"):
            rows[cells[0]] = (cells[1], cells[2])
    return rows


def _mib(n: int) -> str:
    assert n % limits.MIB == 0
    return f"{n // limits.MIB:,} MiB"


D = limits.DEFAULT
#: Each row of the table: the default it must state, from the code.
DEFAULTS = {
    "data file size": "no limit" if D.max_file_bytes is None else f"{D.max_file_bytes:,} bytes",
    "nesting of JSON-LD objects and arrays, RDF/XML elements, triple terms": f"{D.max_depth:,} levels",
    "text added by RDF/XML internal entities, per file": _mib(D.max_entity_expansion),
    "one literal or IRI": _mib(limits.MAX_TOKEN_BYTES),
    "query length": f"{D.max_query_chars:,} characters",
    "query nesting of braces, parentheses, brackets": f"{D.max_query_depth:,} levels",
    "query operators and group keywords": f"{D.max_query_operators:,}",
    "`SERVICE` in a local query": "allowed" if D.allow_service else "refused",
    "time of a local query": "no limit",
    "time of an endpoint's whole answer": f"{endpoint.DEFAULT_TIMEOUT:g} s (at most {endpoint.MAX_TIMEOUT:,.0f})",
    "size of an endpoint's answer": _mib(endpoint.DEFAULT_MAX_RESPONSE),
}


def test_the_security_section_gives_every_limit_and_no_other() -> None:
    assert sorted(_limits_table()) == sorted(DEFAULTS)


@pytest.mark.parametrize("row", sorted(DEFAULTS))
def test_each_limit_s_stated_default_is_the_code_s(row: str) -> None:
    stated, _ = _limits_table()[row]
    assert stated.startswith(DEFAULTS[row]), (row, stated)


def _command(*path: str) -> click.Command:
    command: click.Command = cli
    for name in path:
        assert isinstance(command, click.Group)
        command = command.commands[name]
    return command


def _option(command: click.Command, flag: str) -> click.Option:
    options = [p for p in command.params if isinstance(p, click.Option) and flag in p.opts]
    assert options, f"{command.name} has no {flag}"
    return options[0]


def test_the_options_and_variables_named_exist_where_the_table_says() -> None:
    table = _limits_table()
    assert table["data file size"][1] == "`--max-file-size SIZE`, `ECMGRAPH_MAX_FILE_SIZE`"
    assert _option(cli, "--max-file-size").envvar == "ECMGRAPH_MAX_FILE_SIZE"
    assert table["size of an endpoint's answer"][1] == "`--max-response SIZE`, `ECMGRAPH_MAX_RESPONSE`"
    assert _option(cli, "--max-response").envvar == "ECMGRAPH_MAX_RESPONSE"
    assert table["`SERVICE` in a local query"][1] == "`--allow-service` (`sparql`)"
    assert _option(_command("sparql"), "--allow-service").is_flag
    assert table["time of a local query"][1] == "`--timeout SECONDS` (`sparql`, `query run`)"
    for path in (("sparql",), ("query", "run")):
        command = _command(*path)
        timeout = _option(command, "--timeout")
        assert not timeout.required and timeout.default in (None, getattr(click.core, "UNSET", None))
        assert "none by default for local data" in (timeout.help or "")
    rows_without_option = [row for row, (_, how) in table.items() if how == "—"]
    assert len(rows_without_option) == 6


def test_security_md_asks_for_a_private_report_on_the_project_s_repository() -> None:
    pyproject = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    homepage = re.search(r'^Homepage = "([^"]+)"', pyproject, re.M)
    assert homepage and homepage.group(1) in SECURITY
    assert "security advisory" in SECURITY and "privately" in SECURITY
    assert "@" not in SECURITY.replace("`@context`", "")  # no e-mail address made up


def test_the_readme_and_security_md_point_at_each_other_and_at_the_fuzzer() -> None:
    section = _section(README, "Security")
    assert "`SECURITY.md`" in section and "`tests/fuzz/`" in section and "`CONTRIBUTING.md`" in section
    assert "README" in SECURITY and "python -m tests.fuzz --minutes N" in SECURITY
