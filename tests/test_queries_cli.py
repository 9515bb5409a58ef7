"""The query commands: list, show, run; labels or IRIs, --as-of, formats, errors and their exit codes."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from ecmgraph import resources
from ecmgraph.queries import catalogue

DATA = str(Path(__file__).parent / "fixtures" / "queries" / "exampleshire.trig")
CUSTOM = str(Path(__file__).parent / "fixtures" / "queries" / "custom" / "label-search.rq")
ID = "https://w3id.org/ecmgraph/id/"


def test_list_names_every_query_with_its_question_and_parameters(run) -> None:
    result = run(["query", "list", "--format", "csv"])
    assert result.exit_code == 0
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert [r["name"] for r in rows] == sorted(catalogue())
    who = next(r for r in rows if r["name"] == "who-is-accountable")
    assert who["summary"].startswith("Who is accountable") and who["parameters"] == "authority, topic, [date]"


def test_list_as_a_table_fits_and_counts(run) -> None:
    result = run(["query", "list"])
    assert result.exit_code == 0 and f"({len(catalogue())} rows)" in result.stdout


def test_show_prints_the_file_as_it_is(run) -> None:
    result = run(["query", "show", "who-is-accountable"])
    assert result.exit_code == 0
    assert result.stdout == (resources.queries_dir() / "who-is-accountable.rq").read_text(encoding="utf-8")


def test_run_the_example_on_known_data(run) -> None:
    result = run(
        [
            "query",
            "run",
            "who-is-accountable",
            "-p",
            "authority",
            "Exampleshire",
            "-p",
            "topic",
            "safeguarding",
            DATA,
            "--no-reference",
            "--as-of",
            "2024-06-30",
            "--format",
            "csv",
        ]
    )
    assert result.exit_code == 0, result.stderr
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert {r["post"] for r in rows} == {
        ID + "post/E10999999/dcs",
        ID + "post/E10999999/lead-member",
        ID + "body/E10999999/lscb",
    }
    assert all(r["provision"].startswith("http://www.legislation.gov.uk/id/") for r in rows)


def test_a_label_a_code_and_an_iri_give_the_same_answer(run) -> None:
    outputs = {
        run(["query", "run", "relevant-partners", "-p", "authority", value, DATA, "--format", "csv"]).stdout
        for value in (
            "Exampleshire",
            "exampleshire",
            "E10999999",
            ID + "authority/E10999999",
            "ecmid:authority/E10999999",
        )
    }
    assert len(outputs) == 1 and outputs.pop().count("\n") == 13  # header + partner kinds


def test_as_of_sets_the_date(run) -> None:
    before = run(["query", "run", "vacant-posts", DATA, "--as-of", "2016-02-01", "--format", "csv"])
    same = run(["query", "run", "vacant-posts", DATA, "-p", "date", "2016-02-01", "--format", "csv"])
    assert before.exit_code == 0 and before.stdout == same.stdout
    assert ID + "post/E10999999/chief-executive" in before.stdout


def test_every_table_format(run) -> None:
    for fmt in ("table", "csv", "tsv", "json", "markdown"):
        result = run(["query", "run", "post-history", "-p", "post", "ecmid:post/E06999999/dcs", DATA, "--format", fmt])
        assert result.exit_code == 0, (fmt, result.stderr)
    doc = json.loads(
        run(["query", "run", "post-history", "-p", "post", "ecmid:post/E06999999/dcs", DATA, "--format", "json"]).stdout
    )
    assert doc["head"]["vars"] == ["from", "to", "knownOn", "kind", "holder", "holderName"]
    assert len(doc["results"]["bindings"]) == 4


def test_a_table_too_wide_is_cut_and_says_so_while_csv_keeps_every_cell_whole(run) -> None:
    args = [
        "query",
        "run",
        "who-is-accountable",
        "-p",
        "authority",
        "Exampleshire",
        "-p",
        "topic",
        "safeguarding",
        DATA,
        "--no-reference",
    ]
    table = run(args)
    assert table.exit_code == 0
    assert table.stdout.splitlines()[-1] == (
        "(6 rows; long cells cut with …: a wider terminal, or --format csv, shows them whole)"
    )
    assert len(table.stdout.splitlines()) < 12  # one line a row, not a block per row
    whole = run([*args, "--format", "csv"])
    assert whole.exit_code == 0 and "Champion children's safety in the cabinet" in whole.stdout


def test_an_rq_file_with_a_header_runs_as_a_query(run) -> None:
    result = run(["query", "run", CUSTOM, "-p", "label", "Sample Vale", DATA, "--format", "csv"])
    assert result.exit_code == 0
    assert result.stdout.splitlines() == ["thing", ID + "authority/E07999998"]


def test_output_to_a_file(run, tmp_path: Path) -> None:
    out = tmp_path / "answer.csv"
    result = run(["query", "run", "vacant-posts", DATA, "--as-of", "2024-06-30", "--format", "csv", "-o", str(out)])
    assert result.exit_code == 0 and result.stdout == ""
    assert ID + "post/E06999999/lead-member" in out.read_text(encoding="utf-8")


def _one_error_line(result, code: int = 3) -> str:
    assert result.exit_code == code, (result.stdout, result.stderr)
    assert result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: "), result.stderr
    return lines[0]


def test_an_unknown_query_is_exit_3_with_the_closest_names(run) -> None:
    line = _one_error_line(run(["query", "run", "who-is-acountable"]))
    assert "no packaged query 'who-is-acountable'" in line and "who-is-accountable" in line
    assert "who-is-accountable" in _one_error_line(run(["query", "show", "who-is-acountable"]))


def test_an_unknown_parameter_is_exit_3_with_the_parameters(run) -> None:
    line = _one_error_line(run(["query", "run", "relevant-partners", "-p", "authorty", "Exampleshire", DATA]))
    assert "no parameter 'authorty'" in line and "authority" in line


def test_a_missing_parameter_is_exit_3_with_an_example(run) -> None:
    line = _one_error_line(run(["query", "run", "who-is-accountable", "-p", "authority", "Exampleshire", DATA]))
    assert "needs topic" in line and "ecmgraph query run who-is-accountable -p authority" in line


def test_a_name_that_matches_nothing_is_exit_3_with_suggestions(run) -> None:
    line = _one_error_line(run(["query", "run", "relevant-partners", "-p", "authority", "Exampelshire", DATA]))
    assert "no authority matches 'Exampelshire'" in line and "closest: 'Exampleshire'" in line


def test_a_name_that_matches_several_things_is_exit_3_naming_them(run) -> None:
    line = _one_error_line(run(["query", "run", "scrutiny-bodies", "-p", "authority", "Newtown", DATA]))
    assert "matches 2 things" in line and "E06999996" in line and "E06999997" in line


def test_as_of_on_a_query_that_has_no_date_is_exit_3(run) -> None:
    line = _one_error_line(
        run(["query", "run", "fact-sources", "-p", "entity", "Exampleshire", DATA, "--as-of", "2024-01-01"])
    )
    assert "not answered as at a date" in line


def test_endpoint_and_paths_together_are_a_usage_error(run) -> None:
    result = run(["query", "run", "vacant-posts", DATA, "--endpoint", "http://127.0.0.1:9/query"])
    assert result.exit_code == 2


def test_an_endpoint_that_is_down_is_exit_3(run) -> None:
    pytest.importorskip("ecmgraph.endpoint")
    line = _one_error_line(
        run(["query", "run", "vacant-posts", "--endpoint", "http://127.0.0.1:9/query", "--timeout", "2"])
    )
    assert "cannot reach http://127.0.0.1:9/query" in line
    line = _one_error_line(
        run(
            [
                "sparql",
                "SELECT * WHERE { ?s ?p ?o } LIMIT 1",
                "--endpoint",
                "http://127.0.0.1:9/query",
                "--timeout",
                "2",
            ]
        )
    )
    assert "cannot reach" in line


def test_sparql_endpoint_and_paths_together_are_a_usage_error(run) -> None:
    result = run(["sparql", "SELECT * WHERE { ?s ?p ?o }", DATA, "--endpoint", "http://127.0.0.1:9/query"])
    assert result.exit_code == 2


def test_a_broken_header_is_exit_3_naming_the_file(run) -> None:
    bad = str(Path(__file__).parent / "fixtures" / "queries" / "bad" / "unknown-key.rq")
    line = _one_error_line(run(["query", "run", bad]))
    assert line.startswith(f"Error: {bad}: unknown #+ header key 'exmaple'")


def test_a_date_parameter_in_another_iso_form_is_exit_3(run) -> None:
    """YYYY-MM-DD only, as --as-of: 20090331 and the week date 2009-W14-2 are not taken for 2009-03-31."""
    for value in ("20090331", "2009-W14-2"):
        line = _one_error_line(run(["query", "run", "statutory-post-holders", "-p", "date", value, DATA]))
        assert f"{value!r} is not a date" in line


def test_a_query_file_that_is_not_utf8_is_exit_3(run, tmp_path) -> None:
    path = tmp_path / "latin1.rq"
    path.write_bytes("#+ summary: Qui est là ?\nSELECT ?s WHERE { ?s ?p ?o }\n".encode("latin-1"))
    line = _one_error_line(run(["query", "run", str(path), DATA]))
    assert "latin1.rq:1: the query is not UTF-8 text" in line
