"""The cheap, targeted normalisation the shapes rely on, in place of a reasoner (no OWL-RL closure is computed).

:data:`STEPS` are the few entailments the shapes need, each one SPARQL query over the union of the data and the
ontology:

- the sub-properties the ontology declares (``ecm:scrutinises`` gives ``ecm:holdsToAccount``);
- the inverse properties it declares (``ecm:holdsToAccount`` gives ``ecm:accountableTo`` and back), of the stated
  triples and of those the sub-properties give;
- its symmetric properties (``ecm:jointAppointmentWith``), of the stated triples and of those the first two
  steps give;
- ``org:heldBy`` and ``org:holds`` between a post and the holder of any of its tenures (timeless, as the
  modelling guide says; the shapes still decide who holds a post on a date from the tenures themselves).

Each step reads only what the data states (the later steps follow the earlier ones' entailments through
property paths instead of reading their output), so the steps give the same triples run together, in any order,
locally or on a remote endpoint. Subclass semantics need nothing here: the shapes reach kinds through
``rdf:type/rdfs:subClassOf*``.

Where the data lives decides how it is normalised:

- **locally**, :func:`normalise` writes the entailments into the graph :data:`ecmgraph.store.ENTAILED_GRAPH`
  before every validation; :func:`entailments` returns them without writing (``ecmgraph infer --profile
  normalise``);
- **on a SPARQL endpoint**, ecmgraph never writes: :func:`check_endpoint` asks the endpoint whether the ontology
  is there and whether any entailment is missing (one ASK per step, which stops at the first missing triple),
  and ``ecmgraph validate --endpoint`` refuses (:func:`require_normalised`) data that lacks them, since its
  results would be silently wrong; :func:`missing_triples` computes the missing triples on the endpoint
  (``ecmgraph infer --profile normalise --endpoint URL``) for the user to load into the store. The endpoint
  must hold the ontology: the steps read ``owl:inverseOf`` and the others from it.
"""

from __future__ import annotations

import urllib.parse
from dataclasses import dataclass

import pyoxigraph as ox

from ecmgraph import resources
from ecmgraph.engines import Engine
from ecmgraph.errors import EndpointError, InputError
from ecmgraph.namespaces import ENTAILED_GRAPH, ONTOLOGY_GRAPH, sparql_prologue
from ecmgraph.results import Graph
from ecmgraph.store import Dataset

_PROLOGUE = sparql_prologue()


@dataclass(frozen=True)
class Step:
    """One kind of entailment: what it adds, the triple it writes, and where that triple is missing."""

    adds: str
    template: str
    pattern: str

    @property
    def construct(self) -> str:
        """The CONSTRUCT that returns every missing triple of this kind."""
        return f"{_PROLOGUE}CONSTRUCT {{ {self.template} }} WHERE {{ {self.pattern} }}"

    @property
    def ask(self) -> str:
        """The ASK that says whether any triple of this kind is missing (it can stop at the first)."""
        return f"{_PROLOGUE}ASK {{ {self.pattern} }}"


# ?s ?p ?o as stated, or as a sub-property entails it (a union of two cheap patterns, not a zero-or-more path).
_STATED_OR_SUB = "{{ {s} {p} {o} }} UNION {{ {r} rdfs:subPropertyOf+ {p} . {s} {r} {o} }}"
_INVERSE = "{{ {p} owl:inverseOf {q} }} UNION {{ {q} owl:inverseOf {p} }}"

#: The entailments the shapes need, in the order they are reported.
STEPS: tuple[Step, ...] = (
    Step(
        "sub-properties",
        "?s ?super ?o",
        "?sub rdfs:subPropertyOf+ ?super . FILTER (?sub != ?super) ?s ?sub ?o . FILTER NOT EXISTS { ?s ?super ?o }",
    ),
    Step(
        "inverse properties",
        "?o ?q ?s",
        _INVERSE.format(p="?p", q="?q")
        + " "
        + _STATED_OR_SUB.format(s="?s", p="?p", o="?o", r="?r")
        + " FILTER (!isLiteral(?o)) FILTER NOT EXISTS { ?o ?q ?s }",
    ),
    Step(
        "symmetric properties",
        "?o ?p ?s",
        "?p a owl:SymmetricProperty . { "
        + _STATED_OR_SUB.format(s="?s", p="?p", o="?o", r="?r")
        + " } UNION { "
        + _INVERSE.format(p="?p", q="?q")
        + " "
        + _STATED_OR_SUB.format(s="?o", p="?q", o="?s", r="?r2")
        + " } FILTER (!isLiteral(?o)) FILTER NOT EXISTS { ?o ?p ?s }",
    ),
    Step(
        "post holders",
        "?post org:heldBy ?person",
        "?tenure ecm:post ?post ; ecm:holder ?person . FILTER NOT EXISTS { ?post org:heldBy ?person }",
    ),
    Step(
        "held posts",
        "?person org:holds ?post",
        "?tenure ecm:post ?post ; ecm:holder ?person . FILTER NOT EXISTS { ?person org:holds ?post }",
    ),
)

#: Whether the ecmgraph ontology is there (the steps read its property axioms).
ONTOLOGY_ASK = f"{_PROLOGUE}ASK {{ <{ONTOLOGY_GRAPH}> a owl:Ontology }}"


# ----------------------------------------------------------------------------------------------------- locally


def entailments(dataset: Dataset) -> tuple[ox.Triple, ...]:
    """The triples :func:`normalise` would add to the dataset (those it does not already state), sorted.

    The dataset is only read: it may be a read-only store.
    """
    found: set[ox.Triple] = set()
    for step in STEPS:
        found.update(dataset.store.query(step.construct, use_default_graph_as_union=True))  # type: ignore[arg-type]
    return tuple(sorted(found, key=str))


def normalise(dataset: Dataset) -> int:
    """Add the entailments of :data:`STEPS` that the data does not already state, in the entailed graph; return
    how many were added.

    Idempotent for the packaged ontology: running it twice adds nothing the second time. (Each FILTER NOT EXISTS
    tests one fully bound triple, an index lookup, not a join, over which it grows quadratically on pyoxigraph.)
    Each step is one SPARQL Update whose ``USING`` clauses make the merge of the store's named graphs its default
    graph, so that no triple passes through Python (at national scale half the time of reading
    :func:`entailments` and writing them back); a store with a blank-node graph name or triples in its default
    graph, which ``USING`` cannot name, takes that slower way.
    """
    graph = ox.NamedNode(ENTAILED_GRAPH)
    graphs = list(dataset.store.named_graphs())
    in_default = next(iter(dataset.store.quads_for_pattern(None, None, None, ox.DefaultGraph())), None)
    if in_default is not None or not all(isinstance(g, ox.NamedNode) for g in graphs):
        added = entailments(dataset)
        dataset.store.extend([ox.Quad(t.subject, t.predicate, t.object, graph) for t in added])
        return len(added)
    using = "".join(f"USING <{g.value}>\n" for g in graphs)
    before = len(dataset.store)
    for step in STEPS:
        dataset.store.update(
            f"{_PROLOGUE}INSERT {{ GRAPH <{ENTAILED_GRAPH}> {{ {step.template} }} }}\n{using}WHERE {{ {step.pattern} }}"
        )
    return len(dataset.store) - before


# -------------------------------------------------------------------------------------------- on an endpoint


@dataclass(frozen=True)
class Readiness:
    """What an endpoint holds of what ecmgraph's rules need: the ontology, and which entailments are missing."""

    has_ontology: bool
    missing: tuple[str, ...]  # the ``adds`` of each step with at least one missing triple, in STEPS order

    @property
    def ready(self) -> bool:
        """Whether ecmgraph's rules give the right results on the endpoint's data."""
        return self.has_ontology and not self.missing


def check_endpoint(endpoint: Engine) -> Readiness:
    """Ask the endpoint whether it holds the ontology and every entailment of :data:`STEPS`: one ASK each.

    Raises EndpointError when the endpoint fails.
    """
    has_ontology = endpoint.ask(ONTOLOGY_ASK)
    missing = tuple(step.adds for step in STEPS if endpoint.ask(step.ask))
    return Readiness(has_ontology, missing)


def require_normalised(endpoint: Engine) -> None:
    """Raise InputError, saying what is missing and how to add it, unless the endpoint's data is ready for the
    rules (:func:`check_endpoint`). Raises EndpointError when the endpoint fails.
    """
    readiness = check_endpoint(endpoint)
    if readiness.ready:
        return
    store = store_url(endpoint.label)
    links = f"links ecmgraph's rules need ({', '.join(readiness.missing)})"
    whole = (
        "or load the data as 'ecmgraph infer --profile normalise --include-input --format nquads PATH...' "
        "writes it, the ontology and those links included"
    )
    if not readiness.has_ontology:
        also = f", and {links}" if readiness.missing else ""
        raise InputError(
            f"{endpoint.label} lacks ecmgraph's ontology (no <{ONTOLOGY_GRAPH}> a owl:Ontology), which the "
            f"rules read{also}: its results would be wrong",
            hint=f"load the ontology into the store ({_ontology_load(store)}) and validate again, {whole}",
        )
    raise InputError(
        f"the data of {endpoint.label} lacks {links}: its results would be wrong",
        hint=f"compute them with 'ecmgraph infer --profile normalise --endpoint {endpoint.label} --format ntriples "
        f"-o missing.nt' and load that file into the store "
        f"({_load_command('application/n-triples', 'missing.nt', store + '?default')}), {whole}",
    )


def missing_triples(endpoint: Engine) -> tuple[ox.Triple, ...]:
    """The triples of :data:`STEPS` that the endpoint's data lacks, computed on the endpoint, sorted.

    Loaded into the endpoint's store, they make it ready for the rules (:func:`check_endpoint`). Raises
    InputError if the endpoint does not hold the ontology (the steps read its axioms), EndpointError when it fails.
    """
    if not endpoint.ask(ONTOLOGY_ASK):
        raise InputError(
            f"{endpoint.label} does not hold ecmgraph's ontology (no <{ONTOLOGY_GRAPH}> a owl:Ontology), "
            "whose property axioms say which links are missing",
            hint=f"load the ontology into the store first ({_ontology_load(store_url(endpoint.label))})",
        )
    found: set[ox.Triple] = set()
    for step in STEPS:
        result = endpoint.query(step.construct)
        if not isinstance(result, Graph):
            raise EndpointError(f"{endpoint.label} did not answer a CONSTRUCT query with triples")
        found.update(result.triples)
    return tuple(sorted(found, key=str))


def store_url(query_url: str) -> str:
    """The endpoint's Graph Store Protocol URL as Oxigraph serves it (``…/query`` → ``…/store``), if it can tell."""
    parts = urllib.parse.urlsplit(query_url)
    if parts.path.endswith("/query") and not parts.query:
        return urllib.parse.urlunsplit(parts._replace(path=parts.path[: -len("query")] + "store"))
    return "URL-of-the-store"


def _load_command(media_type: str, file: str, target: str) -> str:
    """How to load a file with the Graph Store Protocol (Oxigraph serves it at /store)."""
    return (
        f"Graph Store Protocol; Oxigraph: curl -X POST -H 'Content-Type: {media_type}' --data-binary @{file} '{target}'"
    )


def _ontology_load(store: str) -> str:
    path = resources.ontology_path()
    return _load_command("text/turtle", str(path), f"{store}?graph={ONTOLOGY_GRAPH}")
