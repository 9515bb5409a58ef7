"""The fuzz suite, briefly: property-based tests of the input policy, and a fixed-seed run of the mutation fuzzer
(tests/fuzz/) over the packaged data, the fixtures and the packaged queries. ``python -m tests.fuzz --minutes N``
runs the fuzzer at length (CONTRIBUTING.md).
"""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
from pathlib import Path

import click
import pytest
from click.testing import CliRunner
from fuzz import runner  # tests/fuzz/, imported as tests/*.py import conftest
from fuzz.mutate import Case, Generator
from fuzz.worker import TRACEBACK_MARKS
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ecmgraph import limits
from ecmgraph.cli import cli
from ecmgraph.cli.base import ByteSize
from ecmgraph.errors import LimitExceeded
from ecmgraph.sparql_text import code_mask

#: Deterministic examples: CI runs the same ones every time (a new failure is a change, not luck).
PROPERTY = settings(derandomize=True, deadline=None, suppress_health_check=[HealthCheck.too_slow])


# --- the runner sees each way of breaking the promise -----------------------------------------------------------


def test_the_runner_sees_a_traceback_a_signal_death_a_connection_and_a_changed_file() -> None:
    commands = ["fine", "traceback", "printed", "segfault", "connect @TCP@", "scribble", "errors", "hang"]
    cases = [Case(n, c.split()[0], "none", c.split()) for n, c in enumerate(commands)]
    summary = runner.run(cases, time_limit=2, worker=[*runner.WORKER, "tests.fuzz.badcli:cli"])
    failures = {o.case.command: o.failures for o in summary.failing}
    assert failures == {
        "traceback": ["traceback"],
        "printed": ["traceback"],
        "segfault": ["signal"],
        "connect": ["connection"],
        "scribble": ["changed-file"],
        "errors": ["exit-code", "error-lines"],
        "hang": ["timeout"],
    }
    assert summary.by_exit["signal 11"] == 1 and summary.inputs == len(commands)


def test_a_failing_input_is_saved_with_a_script_that_reruns_it(tmp_path: Path) -> None:
    case = Case(1, "scribble", "none", ["scribble"], {"input.ttl": b"<a> <b> <c> ."})
    summary = runner.run([case], failures_dir=tmp_path, worker=[*runner.WORKER, "tests.fuzz.badcli:cli"])
    saved = tmp_path / "case-000001"
    assert summary.by_failure["changed-file"] == 1
    assert (saved / "inputs" / "input.ttl").read_bytes() == b"<a> <b> <c> ."
    assert json.loads((saved / "case.json").read_text())["changed"] == ["scribbled.txt"]
    assert "ecmgraph scribble" in (saved / "repro.sh").read_text()


def test_only_the_output_file_and_the_store_folder_may_change() -> None:
    before = {"input.ttl": "file 1", "db": "dir", "db/a": "file 2"}
    after = {"input.ttl": "file 1", "db": "dir", "db/a": "file 3", "sub": "dir", "sub/out.txt": "file 4", "x": "f"}
    assert runner.changed_paths(before, after, ["sub/out.txt", "db/"]) == ["x"]
    assert runner.changed_paths(before, after, []) == ["db/a", "sub", "sub/out.txt", "x"]
    assert runner.changed_paths({"a": "1"}, {}, ["."]) == ["a"]  # "-o ." does not allow the whole folder


def test_a_seed_gives_the_same_cases() -> None:
    def first(seed: int) -> list[dict[str, object]]:
        generator = Generator(seed, huge=1000)
        return [next(generator).to_json() for _ in range(25)]

    assert first(5) == first(5)
    assert first(5) != first(6)
    assert {c["command"] for c in first(5)} == {"stats", "validate", "sparql", "query run", "load"}


# --- the fuzzer, briefly ----------------------------------------------------------------------------------------


def _promise_kept(summary: runner.Summary) -> None:
    report = [
        f"case {o.case.id} {o.case.command} ({o.case.mutation}) {o.case.args[:8]}: {o.failures}\n{o.stderr[:600]}"
        for o in summary.failing
    ]
    assert not report, summary.text() + "\n" + "\n".join(report)


def test_mutated_inputs_keep_the_promise() -> None:
    summary = runner.run(Generator(20261203, huge=100_000), limit=25, time_limit=60)
    _promise_kept(summary)
    assert summary.inputs == 25 and set(summary.by_command) == set(Generator.COMMANDS)


@pytest.mark.slow
def test_more_mutated_inputs_keep_the_promise() -> None:
    summary = runner.run(Generator(18, huge=(16 << 20) + 1), limit=300, jobs=2, time_limit=120)
    _promise_kept(summary)
    assert summary.inputs == 300


# --- properties of the input policy -----------------------------------------------------------------------------


@PROPERTY
@given(st.text(max_size=12))
def test_a_date_is_read_only_when_written_yyyy_mm_dd(text: str) -> None:
    try:
        date = limits.parse_date(text)
    except ValueError:
        return
    assert date.isoformat() == text and isinstance(date, dt.date)


JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(alphabet='ab"\\{}[]\n', max_size=6),
    lambda children: st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=3), children, max_size=3),
    max_leaves=30,
)


def _depth(value: object) -> int:
    if isinstance(value, list):
        return 1 + max(map(_depth, value), default=0)
    if isinstance(value, dict):
        return 1 + max(map(_depth, value.values()), default=0)
    return 0


@PROPERTY
@given(JSON_VALUES, st.integers(min_value=0, max_value=6), st.booleans())
def test_json_is_refused_exactly_when_it_nests_deeper_than_the_limit(value: object, limit: int, indent: bool) -> None:
    data = json.dumps(value, indent=1 if indent else None).encode()
    policy = limits.Limits(max_depth=limit)
    try:
        limits.check_json_depth(data, "x.jsonld", policy)
    except LimitExceeded:
        assert _depth(value) > limit
    else:
        assert _depth(value) <= limit


@PROPERTY
@given(st.text(alphabet="{}()[]<>\"'#\n\\ ?xSELECT", max_size=80), st.integers(min_value=0, max_value=4))
def test_a_query_is_checked_without_any_error_but_an_input_error(text: str, depth: int) -> None:
    mask = code_mask(text)
    assert len(mask) == len(text) and mask.count("\n") == text.count("\n")
    nesting, deepest = 0, 0
    for char in mask:
        nesting += (char in "{([") - (char in "})]")
        deepest = max(deepest, nesting)
    try:
        limits.check_query(text, "q.rq", mask, limits.Limits(max_query_depth=depth))
    except LimitExceeded:
        assert deepest > depth
    else:
        assert deepest <= depth


@PROPERTY
@given(st.text(max_size=8))
def test_a_size_is_a_positive_number_of_bytes_or_a_usage_error(text: str) -> None:
    try:
        value = ByteSize().convert(text, None, None)
    except click.BadParameter:
        return
    assert isinstance(value, int) and value >= 1


def _one_line_or_none(stderr: str) -> None:
    assert not any(mark in stderr for mark in TRACEBACK_MARKS), stderr
    assert sum(line.startswith("Error:") for line in stderr.splitlines()) <= 1, stderr


@settings(PROPERTY, max_examples=40)
@given(st.binary(max_size=300), st.sampled_from([".ttl", ".nt", ".nq", ".trig", ".jsonld", ".rdf"]))
def test_any_bytes_as_a_data_file_are_read_or_an_input_error(tmp_path_factory, data: bytes, suffix: str) -> None:
    # 300 bytes cannot nest deep enough to reach a parser's stack, so this runs in-process.
    path = tmp_path_factory.mktemp("bytes") / f"input{suffix}"
    path.write_bytes(data)
    result = CliRunner().invoke(cli, ["stats", "--no-reference", str(path)], catch_exceptions=True)
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert result.exit_code in (0, 3), result.stderr
    _one_line_or_none(result.stderr)


@settings(PROPERTY, max_examples=20)
@given(st.text(max_size=40).filter(lambda t: "\x00" not in t))
def test_any_parameter_value_is_answered_or_an_input_error(value: str) -> None:
    data = Path(__file__).parent / "fixtures" / "queries" / "exampleshire.trig"
    result = CliRunner().invoke(
        cli,
        [
            "query",
            "run",
            "who-is-accountable",
            "-p",
            "authority",
            value,
            "-p",
            "topic",
            "safeguarding",
            "--no-reference",
            str(data),
        ],
    )
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert result.exit_code in (0, 3), result.stderr
    _one_line_or_none(result.stderr)


# --- what the fuzz suite found ----------------------------------------------------------------------------------


def _nests_too_deep(text: bytes, pieces: list[int] | None = None, depth: int = 3) -> bool:
    check = limits.NestingCheck("x.ttl", limits.Limits(max_depth=depth))
    cuts = [0, *sorted(set(pieces or [])), len(text)]
    try:
        for start, end in zip(cuts, cuts[1:]):
            check.feed(text[start:end])
        check.feed(b"")
    except LimitExceeded:
        return True
    return False


CHAIN = b"<<( <urn:s> <urn:p> " * 4 + b"<urn:o>" + b" )>>" * 4


@pytest.mark.parametrize(
    "before",
    [b"", b'<urn:a> <urn:b> "#", ', b'<urn:a> <urn:b> """\n#""", ', b"<urn:a#b> <urn:c#d> ", b"<urn:a> <urn:b> '>>', "],
    ids=["alone", "after a string holding #", "after a long string", "after hash IRIs", "after a string holding >>"],
)
def test_triple_terms_too_deep_are_seen_whatever_comes_before_them_on_the_line(before: bytes) -> None:
    text = before + CHAIN + b" .\n"
    assert _nests_too_deep(text)
    assert all(_nests_too_deep(text, [cut]) for cut in range(len(text)))  # read in two pieces, cut anywhere


def test_a_comment_closes_no_triple_term() -> None:
    text = b"<urn:s> <urn:p> " + b"<<( <urn:s> <urn:p> # >> >> )>>\n" * 4 + b"<urn:o>" + b" )>>" * 4 + b" .\n"
    assert _nests_too_deep(text)
    assert all(_nests_too_deep(text, [cut]) for cut in range(len(text)))


def test_triple_terms_within_the_limit_are_read_with_brackets_in_comments_and_strings() -> None:
    text = b'<urn:s> <urn:p> ">> )>>" .\n# <<( <<( <<(\n' + CHAIN + b" .\n"
    assert not _nests_too_deep(text, depth=4)
    assert all(not _nests_too_deep(text, [cut], depth=4) for cut in range(len(text)))


TOKENS = [b"<<( ", b" )>>", b"<<", b">>", b'"', b'"""', b"'", b"#", b"\n", b"<urn:a#b>", b"\\", b" ", b"x"]


@PROPERTY
@given(st.lists(st.sampled_from(TOKENS), max_size=40), st.lists(st.integers(min_value=0, max_value=400), max_size=4))
def test_triple_term_nesting_is_followed_the_same_however_the_text_is_cut(tokens: list[bytes], cuts: list[int]) -> None:
    text = b"".join(tokens)
    assert _nests_too_deep(text, [c for c in cuts if c <= len(text)]) == _nests_too_deep(text)


def test_deep_triple_terms_behind_comments_are_an_input_error_not_a_crash(tmp_path: Path) -> None:
    # Each line's comment held a ">>" that the depth check took for a closing one: 200,000 levels killed the process.
    path = tmp_path / "deep.ttl"
    depth = 5000
    path.write_bytes(
        b"<urn:s> <urn:p> " + b"<<( <urn:s> <urn:p> # >>\n" * depth + b"<urn:o>" + b" )>>" * depth + b" .\n"
    )
    result = subprocess.run(
        [sys.executable, "-m", "ecmgraph", "stats", "--no-reference", str(path)], capture_output=True, text=True
    )
    assert result.returncode == 3, result.stderr[-2000:]
    assert result.stderr.startswith("Error: ") and result.stderr.count("\n") == 1
    assert "deep.ttl:1001: triple terms (<< … >>) nest more than 1,000 deep" in result.stderr


def test_a_parse_error_quotes_a_huge_token_shortened(tmp_path: Path) -> None:
    # pyoxigraph quotes the token it stopped at: a 2 MB word gave a 2 MB Error: line.
    path = tmp_path / "long.ttl"
    path.write_bytes(b"<urn:s> <urn:p> <urn:o> .\n" + b"a" * 2_000_000 + b" .\n")
    result = CliRunner().invoke(cli, ["stats", "--no-reference", str(path)])
    assert result.exit_code == 3
    assert len(result.stderr) < 1000, result.stderr[:200]
    assert f"long.ttl:2:1: invalid turtle: {'a' * 60}… (2,000,000 characters) is not a valid subject" in result.stderr


def test_a_parse_error_quotes_a_long_text_of_rdf_xml_shortened(tmp_path: Path) -> None:
    # RDF/XML's parser quotes the whole text event it did not expect: a page of prose gave a line of 1,888 characters.
    path = tmp_path / "text.rdf"
    path.write_text("words and more words " * 500, encoding="utf-8")
    result = CliRunner().invoke(cli, ["stats", "--no-reference", str(path)])
    assert result.exit_code == 3
    assert result.stderr.startswith("Error: ") and len(result.stderr) < 800, result.stderr[:200]
    assert "invalid rdfxml: Unexpected text event: " in result.stderr and " characters) (hint: " in result.stderr
