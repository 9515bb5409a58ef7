"""Validation against the statutory rules: the rules catalogue, as-of dates, both engines and the report model.

The rules live in ``shapes/`` as SHACL shapes (one or more per rule, each carrying its rule id, severity, kind of
finding, sources and message); :class:`Catalogue` reads them, nothing else keeps a copy. A validation
(:func:`validate`) goes:

1. **Date the shapes** (:func:`dated_shapes`, in :mod:`~ecmgraph.validation.catalogue`): drop the shapes of rules
   not selected or not yet in force on the as-of date, lower the severity of those whose rule applied at a lower
   level then, and replace ``$asOf`` in every ``sh:select`` with the date. Both engines run this same shapes graph.
2. **Prepare the data** (:mod:`~ecmgraph.validation.run`): :func:`ecmgraph.normalise.normalise` (the few
   entailments the shapes rely on), and only if asked, RDFS or OWL-RL inference; data from several sources is
   merged into the default graph (:func:`prepare`); all of it taken out again afterwards (:func:`prepared`). A
   remote endpoint is not changed: it is first checked to hold the ontology and those entailments
   (:func:`ecmgraph.normalise.require_normalised`), and refused with the way to add them if it does not.
3. **Run an engine.** ``ecmgraph`` (:func:`run_shapes`, in :mod:`~ecmgraph.validation.compile`): each constraint
   as *one* SPARQL query over all its focus nodes (the target joined with the constraint's body), on pyoxigraph or
   on the endpoint. ``pyshacl`` (:func:`run_pyshacl`, in :mod:`~ecmgraph.validation.reference`): the reference
   engine, on an rdflib copy of the data.
4. **Assemble the report** (:func:`assemble`, in :mod:`~ecmgraph.validation.report`), the same for both engines:
   one finding per focus node, shape and value; Core messages filled with labels; each finding placed in its
   authority; findings about an authority that does not exist on the date dropped; ``--only`` applied; a stable
   order.
"""

from ecmgraph.validation.catalogue import (
    EARLIEST_AS_OF,
    ENGINES,
    INFERENCE,
    KINDS,
    SEVERITIES,
    Catalogue,
    Rule,
    ShapeError,
    ShapeInfo,
    check_as_of,
    dated_shapes,
    load_catalogue,
    load_shapes,
    shapes_files,
)
from ecmgraph.validation.compile import Constraint, run_shapes, shape_constraints
from ecmgraph.validation.reference import run_pyshacl
from ecmgraph.validation.report import (
    AuthorityInfo,
    Finding,
    RawResult,
    ValidationReport,
    assemble,
)
from ecmgraph.validation.run import prepare, prepared, refuse_breaches, validate, validation_engine

__all__ = [
    "EARLIEST_AS_OF",
    "ENGINES",
    "INFERENCE",
    "KINDS",
    "SEVERITIES",
    "AuthorityInfo",
    "Catalogue",
    "Constraint",
    "Finding",
    "RawResult",
    "Rule",
    "ShapeError",
    "ShapeInfo",
    "ValidationReport",
    "assemble",
    "check_as_of",
    "dated_shapes",
    "load_catalogue",
    "load_shapes",
    "prepare",
    "prepared",
    "refuse_breaches",
    "run_pyshacl",
    "run_shapes",
    "shape_constraints",
    "shapes_files",
    "validate",
    "validation_engine",
]
