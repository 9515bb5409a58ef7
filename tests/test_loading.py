"""Loading: every format, named graphs and provenance, the packaged defaults, errors, and no network."""

from __future__ import annotations

import io
from pathlib import Path

import pyoxigraph as ox
import pytest
import rdflib
from rdflib.compare import isomorphic

from ecmgraph import resources
from ecmgraph.errors import ParseError, SourceNotFound, UnknownFormat
from ecmgraph.namespaces import ONTOLOGY_GRAPH, PROVENANCE_GRAPH
from ecmgraph.store import load_dataset, load_source

FORMATS = ["ttl", "trig", "nt", "nq", "jsonld", "rdf"]


def data_triples(dataset, graphs) -> rdflib.Graph:
    """The triples of the given named graphs, as an rdflib graph."""
    out = rdflib.Graph()
    wanted = {ox.NamedNode(g) for g in graphs}
    nt = ox.serialize([q.triple for q in dataset.store if q.graph_name in wanted], format=ox.RdfFormat.N_TRIPLES)
    return out.parse(data=nt, format="nt")


@pytest.mark.parametrize("ext", FORMATS)
def test_each_format_loads_the_same_triples(fixtures: Path, ext: str) -> None:
    path = fixtures / "load" / f"exampleshire.{ext}"
    dataset = load_dataset([str(path)], with_ontology=False)
    (source,) = dataset.sources
    expected = rdflib.Graph().parse(fixtures / "load" / "exampleshire.ttl")
    assert isomorphic(data_triples(dataset, source.graphs), expected)
    assert source.quads == len(expected)


def test_a_triples_file_becomes_one_named_graph_named_after_it(fixtures: Path) -> None:
    path = fixtures / "load" / "exampleshire.ttl"
    (source,) = load_dataset([str(path)], with_ontology=False).sources
    assert source.graphs == (path.resolve().as_uri(),)
    assert source.format == "turtle"


def test_a_trig_file_keeps_its_own_graphs(fixtures: Path) -> None:
    (source,) = load_dataset([str(fixtures / "load" / "exampleshire.trig")], with_ontology=False).sources
    assert source.graphs == ("https://w3id.org/ecmgraph/id/source/example/1",)


def test_provenance_says_which_file_each_graph_came_from(fixtures: Path) -> None:
    path = fixtures / "load" / "exampleshire.trig"
    dataset = load_dataset([str(path)], with_ontology=False)
    derived = list(
        dataset.store.quads_for_pattern(
            ox.NamedNode("https://w3id.org/ecmgraph/id/source/example/1"),
            ox.NamedNode("http://www.w3.org/ns/prov#wasDerivedFrom"),
            None,
            ox.NamedNode(PROVENANCE_GRAPH),
        )
    )
    assert [q.object for q in derived] == [ox.NamedNode(path.resolve().as_uri())]


def test_a_folder_loads_every_rdf_file_in_it_in_order(fixtures: Path) -> None:
    dataset = load_dataset([str(fixtures / "load")], with_ontology=False)
    assert [Path(s.label).name for s in dataset.sources] == sorted(f"exampleshire.{ext}" for ext in FORMATS)


def test_stdin_is_read_as_turtle_by_default(fixtures: Path) -> None:
    data = (fixtures / "load" / "exampleshire.ttl").read_bytes()
    dataset = load_dataset(["-"], with_ontology=False, stdin=io.BytesIO(data))
    assert dataset.sources[0].label == "<stdin>"
    assert dataset.sources[0].quads == len(rdflib.Graph().parse(data=data, format="turtle"))


def test_the_input_format_overrides_the_extension(fixtures: Path, tmp_path: Path) -> None:
    odd = tmp_path / "exampleshire.data"
    odd.write_bytes((fixtures / "load" / "exampleshire.nt").read_bytes())
    with pytest.raises(UnknownFormat):
        load_dataset([str(odd)], with_ontology=False)
    assert load_dataset([str(odd)], with_ontology=False, input_format="ntriples").sources[0].format == "ntriples"


def test_no_paths_means_the_packaged_data_and_the_ontology_is_always_there() -> None:
    dataset = load_dataset([])
    assert dataset.sources[0].iri == ONTOLOGY_GRAPH
    packaged = {s.iri for s in dataset.sources[1:]}
    assert packaged == {resources.packaged_iri(p) for p in resources.rdf_files(resources.data_dir())}
    assert all(iri.startswith("https://w3id.org/ecmgraph/data/") for iri in packaged)


def test_naming_the_packaged_ontology_does_not_load_it_twice() -> None:
    dataset = load_dataset([str(resources.ontology_path())])
    assert [s.iri for s in dataset.sources] == [ONTOLOGY_GRAPH]


def test_a_missing_file_is_source_not_found() -> None:
    with pytest.raises(SourceNotFound) as caught:
        load_dataset(["no/such/file.ttl"])
    assert caught.value.exit_code == 3
    assert caught.value.file == "no/such/file.ttl"


def test_a_parse_error_names_file_line_and_column(fixtures: Path) -> None:
    path = str(fixtures / "bad" / "broken.ttl")
    with pytest.raises(ParseError) as caught:
        load_dataset([path], with_ontology=False)
    error = caught.value
    assert (error.file, error.line) == (path, 4)
    assert error.column is not None
    assert error.one_line().startswith(f"{path}:4:")


def test_a_failed_file_leaves_nothing_half_loaded(fixtures: Path) -> None:
    store = ox.Store()
    with pytest.raises(ParseError):
        load_source(store, str(fixtures / "bad" / "broken.ttl"))
    assert len(store) == 0


def _pointed_at(remote, fixtures: Path, tmp_path: Path, name: str) -> str:
    """The fixture ``bad/NAME`` copied with its remote references pointed at the loopback server ``remote``."""
    path = tmp_path / name
    path.write_text(remote.point_at_me((fixtures / "bad" / name).read_text(encoding="utf-8")), encoding="utf-8")
    assert remote.url in path.read_text(encoding="utf-8")  # the data does refer to the server
    return str(path)


def test_a_remote_json_ld_context_is_refused_not_fetched(
    fixtures: Path, tmp_path: Path, remote, no_network: list
) -> None:
    with pytest.raises(ParseError) as caught:
        load_dataset([_pointed_at(remote, fixtures, tmp_path, "remote-context.jsonld")], with_ontology=False)
    assert "remote @context" in caught.value.message
    assert "never fetches" in (caught.value.hint or "")
    assert remote.requests == [] and no_network == []


def test_an_rdf_xml_external_entity_is_not_fetched(fixtures: Path, tmp_path: Path, remote, no_network: list) -> None:
    try:
        dataset = load_dataset([_pointed_at(remote, fixtures, tmp_path, "external-entity.rdf")], with_ontology=False)
    except ParseError:
        pass  # refusing the document is as good as ignoring the entity
    else:
        assert dataset.sources[0].quads == 1
        assert not [q for q in dataset.store if "FETCHED" in str(q.object)]
    assert remote.requests == [] and no_network == []


def test_an_rdf_xml_dtd_is_not_fetched(fixtures: Path, tmp_path: Path, remote, no_network: list) -> None:
    dataset = load_dataset([_pointed_at(remote, fixtures, tmp_path, "external-dtd.rdf")], with_ontology=False)
    assert dataset.sources[0].quads == 1
    assert remote.requests == [] and no_network == []


def test_owl_imports_stay_plain_triples(fixtures: Path, tmp_path: Path, remote, no_network: list) -> None:
    dataset = load_dataset([_pointed_at(remote, fixtures, tmp_path, "imports-remote.ttl")], with_ontology=False)
    assert dataset.sources[0].quads == 2
    assert remote.requests == [] and no_network == []


def test_two_files_naming_the_same_graph_both_keep_it(fixtures: Path) -> None:
    first, second = load_dataset([str(fixtures / "shared-graph")], with_ontology=False).sources
    assert first.graphs == second.graphs == ("https://w3id.org/ecmgraph/id/source/seed003/1.2",)
    assert first.quads == second.quads == 2


def test_packaged_sources_are_named_by_their_place_in_the_package() -> None:
    labels = [s.label for s in load_dataset([]).sources[1:]]
    assert "data/england.ttl" in labels
    assert all(label.startswith("data/") for label in labels)
