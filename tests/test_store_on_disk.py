"""An on-disk store: built once by `ecmgraph load`, then read by any command with --store, parsing nothing."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from ecmgraph import store as store_module
from ecmgraph.errors import ParseError
from ecmgraph.store import build_store, load_dataset, open_store

EXAMPLESHIRE_NT = str(Path(__file__).parent / "fixtures" / "load" / "exampleshire.nt")


def quads(dataset) -> tuple[int, set]:
    """How many quads, and every quad without a blank node (blank node labels differ from load to load)."""
    import pyoxigraph as ox

    every = list(dataset.store)
    named = {q for q in every if not isinstance(q.subject, ox.BlankNode) and not isinstance(q.object, ox.BlankNode)}
    return len(every), named


def test_a_store_holds_what_loading_in_memory_holds(tmp_path: Path) -> None:
    build_store(tmp_path / "db", [EXAMPLESHIRE_NT, "data/"])
    on_disk = open_store(tmp_path / "db")
    in_memory = load_dataset([EXAMPLESHIRE_NT, "data/"])
    assert quads(on_disk) == quads(in_memory)
    assert sorted(s.iri for s in on_disk.sources) == sorted(s.iri for s in in_memory.sources)
    assert {s.iri: s.quads for s in on_disk.sources} == {s.iri: s.quads for s in in_memory.sources}


def test_n_triples_are_bulk_loaded_in_chunks_that_end_at_line_ends(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(store_module, "_CHUNK_BYTES", 100)
    progress: list[int] = []
    build_store(tmp_path / "db", [EXAMPLESHIRE_NT], progress=progress.append)
    assert quads(open_store(tmp_path / "db")) == quads(load_dataset([EXAMPLESHIRE_NT]))
    assert (
        sum(progress)
        == Path(EXAMPLESHIRE_NT).stat().st_size + Path(store_module.resources.ontology_path()).stat().st_size
    )
    assert len(progress) > 5


def test_a_parse_error_in_a_later_chunk_gives_the_line_in_the_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    bad = tmp_path / "bad.nt"
    lines = Path(EXAMPLESHIRE_NT).read_text().splitlines()
    bad.write_text("\n".join(lines[:20] + ["<http://example.org/a> <http://example.org/b> ."] + lines[20:]) + "\n")
    monkeypatch.setattr(store_module, "_CHUNK_BYTES", 200)
    with pytest.raises(ParseError) as caught:
        build_store(tmp_path / "db", [str(bad)])
    assert caught.value.line == 21


def test_loading_again_skips_sources_already_in_the_store(tmp_path: Path) -> None:
    build_store(tmp_path / "db", [EXAMPLESHIRE_NT])
    again = build_store(tmp_path / "db", [EXAMPLESHIRE_NT])
    assert len(again.sources) == 2
    assert len(again.store) == len(load_dataset([EXAMPLESHIRE_NT]).store)


def test_the_load_command_then_stats_from_the_store(run, tmp_path: Path) -> None:
    db = str(tmp_path / "db")
    loaded = run(["load", "--store", db, EXAMPLESHIRE_NT])
    assert loaded.exit_code == 0, loaded.stderr
    assert "2 sources" in loaded.stderr and loaded.stdout == ""
    from_store = json.loads(run(["stats", "--store", db, "--as-of", "2010-01-01", "--format", "json"]).stdout)
    from_file = json.loads(
        run(["stats", EXAMPLESHIRE_NT, "--no-reference", "--as-of", "2010-01-01", "--format", "json"]).stdout
    )
    for key in ("triples", "authorities", "posts", "bodies", "people", "childrens_services_authorities"):
        assert from_store[key] == from_file[key]
    answer = run(["sparql", "SELECT ?p WHERE { ?p a ecm:ChiefExecutive }", "--store", db, "--format", "csv"])
    assert answer.stdout.splitlines()[1] == "https://w3id.org/ecmgraph/id/post/E10999999/chief-executive"


def test_replace_starts_the_store_again(run, tmp_path: Path) -> None:
    db = str(tmp_path / "db")
    run(["load", "--store", db, EXAMPLESHIRE_NT])
    run(["load", "--store", db, "--replace", "tests/fixtures/shared-graph"])
    figures = json.loads(run(["stats", "--store", db, "--format", "json"]).stdout)
    assert figures["people"] == 0
    assert [s["source"] for s in figures["sources"]][1:] == [
        "tests/fixtures/shared-graph/a.trig",
        "tests/fixtures/shared-graph/b.trig",
    ]


def test_a_missing_store_is_an_input_error_with_the_command_to_build_it(run, tmp_path: Path) -> None:
    result = run(["stats", "--store", str(tmp_path / "nope")])
    assert result.exit_code == 3
    assert "ecmgraph load --store" in result.stderr


def test_paths_and_a_store_together_are_an_input_error(run, tmp_path: Path) -> None:
    db = str(tmp_path / "db")
    run(["load", "--store", db, EXAMPLESHIRE_NT])
    result = run(["stats", "--store", db, EXAMPLESHIRE_NT])
    assert result.exit_code == 3
    assert "not both" in result.stderr


def test_a_site_published_from_a_store_in_worker_processes_is_the_same(tmp_path: Path) -> None:
    from ecmgraph.publish import publish

    build_store(tmp_path / "db", [EXAMPLESHIRE_NT])
    made = {}
    for jobs in (1, 2):  # two: the workers read the store the main process opened
        folder = tmp_path / f"site-{jobs}"
        publish(
            open_store(tmp_path / "db"),
            folder,
            base_url="https://example.org/ecm/",
            as_of=dt.date(2009, 6, 1),
            allow_breaches=True,
            jobs=jobs,
        )
        made[jobs] = {
            p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()
        }
    assert len(made[1]) > 400 and made[1] == made[2]
