"""The packaged reference data as background to the user's own files.

Given files of their own, users still need the law, England's authorities, the source documents, the
responsibilities and the topics: labels are looked up in them, and rules read them (is this authority a
children's services authority? which districts does this county have?). :func:`load_with_reference` loads the
user's files, then every packaged reference file (all of ``data/`` but the seed authorities' graphs) that is not
among them, each in its own named graph marked as background. An authority of the user's files that carries the
GSS code of a reference authority under another IRI is *recognised* as it: its facts are joined to the reference
authority's IRI, so that they stand with the reference facts instead of beside them. The authorities the user's
files describe are the dataset's :attr:`~ecmgraph.store.Dataset.scope`: the ones the rules judge.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from pathlib import Path

import pyoxigraph as ox

from ecmgraph import resources
from ecmgraph.namespaces import sparql_prologue
from ecmgraph.store import Dataset, expand_paths, load_dataset, load_source, source_iri

#: Pairs of an authority IRI of the user's graphs and the reference authority with the same GSS code.
_SAME_CODE = (
    sparql_prologue()
    + """SELECT DISTINCT ?user ?reference WHERE {
  VALUES ?g { %(user)s }
  GRAPH ?g { ?user dcterms:identifier ?code }
  VALUES ?h { %(background)s }
  GRAPH ?h { ?reference dcterms:identifier ?code ; a ?kind }
  ?kind rdfs:subClassOf* ecm:Authority .
  FILTER (?user != ?reference && isIRI(?user))
}"""
)

#: The authorities the user's graphs describe: a subject there, or what a post, body or suborganisation there
#: belongs to.
_DESCRIBED = (
    sparql_prologue()
    + """SELECT DISTINCT ?a WHERE {
  VALUES ?g { %(user)s }
  { GRAPH ?g { ?a ?p ?o } } UNION { GRAPH ?g { ?x org:postIn|ecm:bodyOf|org:subOrganizationOf ?a } }
  ?a a/rdfs:subClassOf* ecm:Authority .
}"""
)

_RENAME = """DELETE { GRAPH ?g { ?old ?p ?o } } INSERT { GRAPH ?g { ?new ?p ?o } }
WHERE { VALUES ?g { %(user)s } VALUES (?old ?new) { %(pairs)s } GRAPH ?g { ?old ?p ?o } } ;
DELETE { GRAPH ?g { ?s ?p ?old } } INSERT { GRAPH ?g { ?s ?p ?new } }
WHERE { VALUES ?g { %(user)s } VALUES (?old ?new) { %(pairs)s } GRAPH ?g { ?s ?p ?old } }"""


def reference_paths() -> list[str]:
    """The packaged reference files: every RDF file of ``data/`` but the seed authorities' graphs."""
    seed = resources.data_dir() / "seed"
    return [str(p) for p in resources.rdf_files(resources.data_dir()) if not p.is_relative_to(seed)]


def load_with_reference(
    paths: Sequence[str] = (),
    *,
    input_format: str | None = None,
    store_dir: str | Path | None = None,
    reference: bool = True,
) -> Dataset:
    """Load ``paths`` (none: the packaged data, which holds the reference data already) with the packaged
    reference data beside them unless ``reference`` is false; recognise the user's authorities by GSS code and
    say which ones the user's files describe (the dataset's ``scope``).

    Raises what :func:`ecmgraph.store.load_dataset` raises.
    """
    dataset = load_dataset(paths, input_format=input_format, store_dir=store_dir)
    if not paths or not reference:
        return dataset
    own = {s.iri for s in dataset.sources}
    own |= {source_iri(p) for p in expand_paths(paths)}
    for path in reference_paths():
        if source_iri(path) not in own:
            source = load_source(dataset.store, path)
            dataset.sources.append(dataclasses.replace(source, background=True))
    user = _graphs(dataset, background=False)
    background = _graphs(dataset, background=True)
    if not user or not background:
        return dataset
    values = {"user": _values(user), "background": _values(background)}
    pairs = {row["user"].value: row["reference"].value for row in dataset.select(_SAME_CODE % values)}
    if pairs:
        written = " ".join(f"(<{old}> <{new}>)" for old, new in sorted(pairs.items()))
        dataset.store.update(_RENAME % {**values, "pairs": written})
        dataset.aliases.update(pairs)
    dataset.scope = frozenset(row["a"].value for row in dataset.select(_DESCRIBED % values))
    return dataset


def _graphs(dataset: Dataset, *, background: bool) -> list[str]:
    """The named graphs of the user's sources (or of the background ones), not the ontology's."""
    ontology = source_iri(str(resources.ontology_path()))
    return sorted({g for s in dataset.sources if s.background == background and s.iri != ontology for g in s.graphs})


def _values(graphs: Sequence[str]) -> str:
    return " ".join(str(ox.NamedNode(g)) for g in graphs)
