"""Hostile data files and stores (issue 18): each limit is an input error naming the file, line and limit, never
a crash; a failed load keeps the store as it was; blank nodes keep their identity across bulk-load chunks.

Inputs that once crashed the process run in a child process, so a regression fails the test, not pytest.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pyoxigraph as ox
import pytest

from ecmgraph import limits
from ecmgraph.errors import LimitExceeded, ParseError, SourceNotFound, StoreError
from ecmgraph.store import build_store, load_dataset, open_store


def ecmgraph(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    """``ecmgraph ARGS…`` in a child process: its exit code and output, whatever happens to it."""
    return subprocess.run(
        [sys.executable, "-m", "ecmgraph", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "COLUMNS": "120"},
    )


def one_error_line(result: subprocess.CompletedProcess[str]) -> str:
    """The single ``Error:`` line of a failed command (and nothing else on stderr but progress)."""
    errors = [line for line in result.stderr.splitlines() if line.startswith("Error:")]
    assert len(errors) == 1, result.stderr
    assert "Traceback" not in result.stderr
    return errors[0]


def test_jsonld_nested_too_deep_is_an_input_error_not_a_crash(tmp_path: Path) -> None:
    n = 5000
    (tmp_path / "deep.jsonld").write_text(
        '{"@id": "http://e/x",\n "http://e/p": ' + '{"http://e/p": ' * n + "1" + "}" * n + "}"
    )
    result = ecmgraph("stats", "--no-reference", "deep.jsonld", cwd=tmp_path)
    assert result.returncode == 3
    line = one_error_line(result)
    assert "deep.jsonld:2:" in line and "1,000 deep" in line


def test_jsonld_depth_counts_brackets_outside_strings_only(tmp_path: Path) -> None:
    braces = "{" * 2000
    path = tmp_path / "strings.jsonld"
    path.write_text(f'{{"@id": "http://e/x", "http://e/p": "{braces}"}}')
    dataset = load_dataset([str(path)], with_ontology=False)
    assert dataset.sources[0].quads == 1


def test_rdfxml_nested_entities_are_refused_before_any_expansion(tmp_path: Path) -> None:
    entities = ['<!ENTITY l0 "lol">'] + [f'<!ENTITY l{i} "' + f"&l{i - 1};" * 10 + '">' for i in range(1, 9)]
    path = tmp_path / "laughs.rdf"
    path.write_text(
        '<?xml version="1.0"?>\n<!DOCTYPE rdf:RDF [ ' + " ".join(entities) + " ]>\n"
        '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" '
        'xmlns:rdfs="http://www.w3.org/2000/01/rdf-schema#">'
        '<rdf:Description rdf:about="http://example.org/t"><rdfs:label>&l8;</rdfs:label></rdf:Description></rdf:RDF>'
    )
    with pytest.raises(ParseError, match="refers to other entities") as caught:
        load_dataset([str(path)], with_ontology=False)
    assert caught.value.line == 2 and caught.value.exit_code == 3


def _rdfxml_with_entity(tmp_path: Path, references: int) -> Path:
    path = tmp_path / "abbreviated.rdf"
    body = "".join(
        f'<rdf:Description rdf:about="&ex;t{i}"><rdfs:label>&ex;</rdfs:label></rdf:Description>'
        for i in range(references)
    )
    path.write_text(
        '<?xml version="1.0"?>\n<!DOCTYPE rdf:RDF [ <!ENTITY ex "http://example.org/"> ]>\n'
        '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" '
        f'xmlns:rdfs="http://www.w3.org/2000/01/rdf-schema#">{body}</rdf:RDF>'
    )
    return path


def test_rdfxml_entities_that_abbreviate_iris_are_accepted(tmp_path: Path) -> None:
    dataset = load_dataset([str(_rdfxml_with_entity(tmp_path, 3))], with_ontology=False)
    graph = ox.NamedNode(dataset.sources[0].iri)
    quads = list(dataset.store.quads_for_pattern(None, None, None, graph))
    assert {q.object.value for q in quads} == {"http://example.org/"}  # type: ignore[union-attr]
    assert {q.subject.value for q in quads} == {f"http://example.org/t{i}" for i in range(3)}  # type: ignore[union-attr]


def test_rdfxml_entity_expansion_over_the_limit_is_refused(tmp_path: Path) -> None:
    path = _rdfxml_with_entity(tmp_path, 10)
    with limits.using(limits.Limits(max_entity_expansion=100)), pytest.raises(LimitExceeded, match="over the limit"):
        load_dataset([str(path)], with_ontology=False)


def test_rdfxml_nested_too_deep_is_refused_at_once(tmp_path: Path) -> None:
    n = 40000
    path = tmp_path / "deep.rdf"
    path.write_text(
        '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:e="http://e/">\n<rdf:Description>'
        + "<e:p><rdf:Description>" * n
        + "</rdf:Description></e:p>" * n
        + "</rdf:Description></rdf:RDF>"
    )
    with pytest.raises(LimitExceeded, match="RDF/XML elements nest more than 1,000 deep") as caught:
        load_dataset([str(path)], with_ontology=False)
    assert caught.value.line == 2


@pytest.mark.parametrize(
    ("name", "statement"),
    [
        ("long.nt", '<http://e/s> <http://e/p> "{long}" .\n'),
        ("long.ttl", "<http://e/{long}> <http://e/p> 1 .\n"),
    ],
)
def test_a_literal_or_iri_over_16_mib_is_an_input_error_with_its_line(
    tmp_path: Path, name: str, statement: str
) -> None:
    path = tmp_path / name
    with path.open("w") as out:
        out.write('<http://e/s> <http://e/p> "short" .\n')
        out.write(statement.format(long="a" * (limits.MAX_TOKEN_BYTES + 10)))
    with pytest.raises(LimitExceeded, match="longer than 16 MiB") as caught:
        load_dataset([str(path)], with_ontology=False)
    assert caught.value.line == 2 and caught.value.exit_code == 3


def test_a_file_over_the_size_limit_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "small.ttl"
    path.write_text("<http://e/s> <http://e/p> 1 .\n")
    with limits.using(limits.Limits(max_file_bytes=10)), pytest.raises(LimitExceeded, match="over the limit of 10"):
        load_dataset([str(path)], with_ontology=False)


@pytest.mark.parametrize("ext", ["ttl", "nt", "trig", "nq", "jsonld", "rdf"])
def test_a_utf8_byte_order_mark_is_ignored_in_every_format(tmp_path: Path, ext: str) -> None:
    text = {
        "ttl": '<http://e/s> <http://e/p> "x" .\n',
        "nt": '<http://e/s> <http://e/p> "x" .\n',
        "trig": '<http://e/s> <http://e/p> "x" .\n',
        "nq": '<http://e/s> <http://e/p> "x" .\n',
        "jsonld": '{"@id": "http://e/s", "http://e/p": "x"}',
        "rdf": '<?xml version="1.0"?><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" '
        'xmlns:e="http://e/"><rdf:Description rdf:about="http://e/s"><e:p>x</e:p></rdf:Description></rdf:RDF>',
    }[ext]
    path = tmp_path / f"bom.{ext}"
    path.write_bytes(limits.UTF8_BOM + text.encode())
    dataset = load_dataset([str(path)], with_ontology=False)
    assert dataset.sources[0].quads == 1


def test_a_byte_order_mark_on_an_n_triples_file_bulk_loaded_is_ignored(tmp_path: Path) -> None:
    path = tmp_path / "bom.nt"
    path.write_bytes(limits.UTF8_BOM + b'<http://e/s> <http://e/p> "x" .\n')
    dataset = build_store(tmp_path / "db", [str(path)])
    assert [s.quads for s in dataset.sources if s.label.endswith("bom.nt")] == [1]


def test_a_corrupt_store_is_an_input_error_with_a_hint(tmp_path: Path) -> None:
    junk = tmp_path / "junkstore"
    junk.mkdir()
    (junk / "CURRENT").write_text("MANIFEST-000001\n")
    (junk / "MANIFEST-000001").write_bytes(os.urandom(1000))
    with pytest.raises(StoreError) as caught:
        open_store(junk)
    assert caught.value.exit_code == 3
    assert "damaged" in caught.value.message and "--replace" in (caught.value.hint or "")


def test_a_failed_load_leaves_no_store_behind(tmp_path: Path) -> None:
    bad = tmp_path / "bad.ttl"
    bad.write_text('@prefix e: <http://e/> .\ne:s e:p "abc .\n')
    with pytest.raises(ParseError):
        build_store(tmp_path / "newstore", [str(bad)])
    assert not (tmp_path / "newstore").exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bad.ttl"]  # no half-built folder either
    with pytest.raises(SourceNotFound):
        open_store(tmp_path / "newstore")


def test_a_failed_load_into_a_store_keeps_the_store_as_it_was(tmp_path: Path) -> None:
    good, bad = tmp_path / "good.nt", tmp_path / "bad.ttl"
    good.write_text('<http://e/s> <http://e/p> "x" .\n')
    bad.write_text('@prefix e: <http://e/> .\ne:s e:p "abc .\n')
    before = build_store(tmp_path / "db", [str(good)])
    labels = [s.label for s in before.sources]
    size = len(before.store)
    del before
    with pytest.raises(ParseError):
        build_store(tmp_path / "db", [str(bad)])
    after = open_store(tmp_path / "db")
    assert [s.label for s in after.sources] == labels and len(after.store) == size
    with pytest.raises(ParseError):
        build_store(tmp_path / "db", [str(bad)], replace=True)
    assert len(open_store(tmp_path / "db").store) == size


def test_load_refuses_a_folder_that_is_not_a_store(tmp_path: Path) -> None:
    folder = tmp_path / "documents"
    folder.mkdir()
    (folder / "letter.txt").write_text("keep me")
    good = tmp_path / "good.nt"
    good.write_text('<http://e/s> <http://e/p> "x" .\n')
    for replace in (False, True):
        with pytest.raises(StoreError):
            build_store(folder, [str(good)], replace=replace)
    assert sorted(p.name for p in folder.iterdir()) == ["letter.txt"]


def test_one_blank_node_at_both_ends_of_a_file_larger_than_a_chunk_stays_one_node(tmp_path: Path) -> None:
    path = tmp_path / "blank.nt"
    lines = ['_:shared <http://e/name> "first" .']
    lines += [f'<http://e/s{i}> <http://e/p> "{i}" .' for i in range(50)]
    lines += ['_:shared <http://e/name> "last" .', '_:other <http://e/name> "other" .']
    path.write_text("\n".join(lines) + "\n")
    assert path.stat().st_size > 10 * 64
    dataset = build_store(tmp_path / "db", [str(path)], chunk_bytes=64)
    name = ox.NamedNode("http://e/name")
    subjects: dict[str, set[object]] = {}
    for quad in dataset.store.quads_for_pattern(None, name, None, None):
        subjects.setdefault(quad.subject.value, set()).add(quad.object.value)  # type: ignore[union-attr]
    assert sorted(sorted(values) for values in subjects.values()) == [["first", "last"], ["other"]]


def test_blank_nodes_of_two_files_stay_apart_in_a_store(tmp_path: Path) -> None:
    for name in ("a.nt", "b.nt"):
        (tmp_path / name).write_text(f'_:b1 <http://e/name> "{name}" .\n')
    dataset = build_store(tmp_path / "db", [str(tmp_path / "a.nt"), str(tmp_path / "b.nt")], chunk_bytes=16)
    subjects = {q.subject for q in dataset.store.quads_for_pattern(None, ox.NamedNode("http://e/name"), None, None)}
    assert len(subjects) == 2


@pytest.mark.parametrize("ext", ["ttl", "nt"])
def test_triple_terms_nested_too_deep_are_an_input_error_not_a_crash(tmp_path: Path, ext: str) -> None:
    n = 20000
    object_ = '"1"' if ext == "nt" else "1"
    (tmp_path / f"star.{ext}").write_text(
        f"<http://e/s> <http://e/p> {object_} .\n<http://e/s> <http://e/p> "
        + "<<( <http://e/s> <http://e/p> " * n
        + object_
        + " )>>" * n
        + " .\n"
    )
    result = ecmgraph("stats", "--no-reference", f"star.{ext}", cwd=tmp_path)
    assert result.returncode == 3
    line = one_error_line(result)
    assert f"star.{ext}:2:" in line and "triple terms" in line and "1,000 deep" in line


def test_triple_terms_nested_too_deep_are_refused_by_the_bulk_loader(tmp_path: Path) -> None:
    n = 2000
    path = tmp_path / "star.nt"
    path.write_text("<http://e/s> <http://e/p> " + "<<( <http://e/s> <http://e/p> " * n + '"1"' + " )>>" * n + " .\n")
    with pytest.raises(LimitExceeded, match="triple terms"):
        build_store(tmp_path / "db", [str(path)])
    assert not (tmp_path / "db").exists()


def test_max_file_size_holds_the_user_s_files_to_it_not_the_packaged_ones(tmp_path: Path, run) -> None:
    small, large = tmp_path / "small.ttl", tmp_path / "large.ttl"
    small.write_text("<http://e/s> <http://e/p> 1 .\n")
    large.write_text("<http://e/s> <http://e/p> 1 .\n" * 100)
    assert run(["--max-file-size", "1K", "stats", str(small)]).exit_code == 0  # the packaged data is larger
    refused = run(["--max-file-size", "1K", "stats", str(large)])
    assert refused.exit_code == 3
    assert refused.stderr.startswith(f"Error: {large}: the file is 3,000 bytes, over the limit of 1,024 bytes")


@pytest.mark.parametrize(
    "args", [["infer", "--profile", "rdfs"], ["validate", "--engine", "pyshacl"]], ids=["infer", "pyshacl"]
)
def test_a_triple_term_where_rdflib_works_is_an_input_error_not_an_internal_one(tmp_path: Path, run, args) -> None:
    """rdflib (under owlrl and pySHACL) has no RDF 1.2 triple terms: exit 3 with a hint, not exit 4."""
    data = tmp_path / "quoted.nt"
    data.write_text("<http://e/s> <http://e/p> <<( <http://e/a> <http://e/b> <http://e/c> )>> .\n", encoding="utf-8")
    result = run([args[0], str(data), *args[1:]])
    assert result.exit_code == 3, result.stderr
    assert result.stderr.startswith("Error: the data holds an RDF 1.2 triple term")
    assert "ecmgraph engine" in result.stderr and "Traceback" not in result.stderr
