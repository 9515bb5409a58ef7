"""The packaged ontology, shapes, data and queries: the one place that knows where they are.

In an installed wheel the four asset folders ship inside the package as ``ecmgraph/assets/{name}``; in a source
checkout they are the top-level folders of the repository, beside the package.
"""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path

from ecmgraph.namespaces import BASE

ASSET_FOLDERS = ("ontology", "shapes", "data", "queries")

#: File name endings ecmgraph reads as RDF, each with its format name (see ecmgraph.store.FORMATS).
RDF_EXTENSIONS: dict[str, str] = {
    ".ttl": "turtle",
    ".turtle": "turtle",
    ".trig": "trig",
    ".nt": "ntriples",
    ".nq": "nquads",
    ".jsonld": "jsonld",
    ".json": "jsonld",
    ".rdf": "rdfxml",
    ".owl": "rdfxml",
    ".xml": "rdfxml",
}


def asset_dir(name: str) -> Path:
    """The folder of one packaged asset kind: ``ontology``, ``shapes``, ``data`` or ``queries``."""
    if name not in ASSET_FOLDERS:
        raise ValueError(f"unknown asset folder {name!r}; expected one of {', '.join(ASSET_FOLDERS)}")
    packaged = Path(str(files("ecmgraph"))) / "assets" / name
    if packaged.is_dir():
        return packaged
    return Path(str(files("ecmgraph"))).parent / name


def ontology_path() -> Path:
    """The packaged OWL ontology, ``ontology/ecm.ttl``."""
    return asset_dir("ontology") / "ecm.ttl"


def shapes_dir() -> Path:
    """The packaged SHACL shapes folder."""
    return asset_dir("shapes")


def rule_examples_dir() -> Path:
    """The packaged examples of the rules: ``shapes/examples/ECM001-breaks.trig`` and ``…-fixed.trig``, one pair
    a rule."""
    return asset_dir("shapes") / "examples"


def data_dir() -> Path:
    """The packaged authority data folder: what every command reads when given no data paths."""
    return asset_dir("data")


def queries_dir() -> Path:
    """The packaged SPARQL queries folder."""
    return asset_dir("queries")


def rdf_files(folder: Path) -> list[Path]:
    """Every RDF file under ``folder`` (recursively, by extension), in a stable order."""
    return sorted(
        (p for p in folder.rglob("*") if p.is_file() and p.suffix.lower() in RDF_EXTENSIONS),
        key=lambda p: p.relative_to(folder).as_posix(),
    )


def packaged_iri(path: Path) -> str | None:
    """A stable IRI for a packaged file (``https://w3id.org/ecmgraph/data/seed/luton.trig``), else None.

    Stable across machines and install locations, so that reports on packaged data are byte-identical.
    """
    resolved = path.resolve()
    for name in ASSET_FOLDERS:
        root = asset_dir(name).resolve()
        if resolved == root or root in resolved.parents:
            return f"{BASE}{name}/{resolved.relative_to(root).as_posix()}"
    return None
