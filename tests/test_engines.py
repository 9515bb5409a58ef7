"""Two engines, one answer: ecmgraph's one-query-per-shape engine and pySHACL find the same results on every rule
fixture and on the packaged data; and what both rely on (dated shapes, normalisation, no inference, no network)."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
from pathlib import Path

import pyoxigraph as ox
import pytest
import rdflib
from rdflib.namespace import SH

from ecmgraph import inference
from ecmgraph.engines import Engine
from ecmgraph.errors import InputError
from ecmgraph.namespaces import ENTAILED_GRAPH
from ecmgraph.normalise import normalise
from ecmgraph.store import load_dataset
from ecmgraph.validation import (
    Catalogue,
    ShapeError,
    dated_shapes,
    load_catalogue,
    load_shapes,
    prepare,
    run_shapes,
    shape_constraints,
    validate,
    validation_engine,
)

RULES_DIR = Path(__file__).parent / "fixtures" / "rules"
BAD_DIR = Path(__file__).parent / "fixtures" / "bad"
REPO = Path(__file__).resolve().parents[1]
ECM = "https://w3id.org/ecmgraph/def#"
ECMID = "https://w3id.org/ecmgraph/id/"


def _fixture_runs() -> list[tuple[Path, str]]:
    """Every fixture file with every as-of date its manifest uses."""
    import yaml

    runs = set()
    for folder in sorted(p for p in RULES_DIR.iterdir() if p.is_dir()):
        manifest = yaml.safe_load((folder / "manifest.yaml").read_text(encoding="utf-8"))
        for case in manifest["cases"]:
            runs.add((folder / case["file"], str(case.get("as_of", "2010-01-01"))))
    return sorted(runs)


def _findings(path: list[str], as_of: dt.date, engine: str) -> set[tuple[str, str, str, str, str, str]]:
    report = validate(load_dataset(path), as_of=as_of, engine=engine)
    return {(f.key() + (f.shape.rsplit("#", 1)[-1], f.message)) for f in report.findings}


def test_the_engines_are_compared_on_every_rule_s_fixtures() -> None:
    runs = _fixture_runs()
    assert len(runs) > 100
    assert {path.parent.name for path, _ in runs} == {f"ECM{n:03d}" for n in range(1, 28)}


# One test per fixture and date, so that pytest-xdist can spread them (together about a minute of pySHACL).
@pytest.mark.slow
@pytest.mark.parametrize(
    ("path", "as_of"), _fixture_runs(), ids=lambda v: f"{v.parent.name}/{v.name}" if isinstance(v, Path) else v
)
def test_both_engines_agree_on_every_fixture_with_every_rule(path: Path, as_of: str) -> None:
    # Every rule (not only the folder's) on the fixture: same focus node, rule, severity, kind, shape and message.
    day = dt.date.fromisoformat(as_of)
    ours, theirs = _findings([str(path)], day, "ecmgraph"), _findings([str(path)], day, "pyshacl")
    assert ours == theirs


@pytest.mark.slow
@pytest.mark.parametrize("as_of", ["2009-06-01"])
def test_both_engines_agree_on_the_packaged_data(as_of: str) -> None:
    day = dt.date.fromisoformat(as_of)
    ours, theirs = _findings([], day, "ecmgraph"), _findings([], day, "pyshacl")
    assert ours == theirs
    assert len(ours) > 1000  # England's reference authorities all have gaps: the comparison is not vacuous
    assert {f[1] for f in ours} >= {"ECM001", "ECM005", "ECM006", "ECM011", "ECM012", "ECM017", "ECM026"}


# --------------------------------------------------------------------------------------------- dated shapes


def _severity(graph: rdflib.Graph, shape: str) -> rdflib.term.Node | None:
    return graph.value(rdflib.URIRef("https://w3id.org/ecmgraph/shapes#" + shape), SH.severity)


def _deactivated(graph: rdflib.Graph, shape: str) -> bool:
    return graph.value(rdflib.URIRef("https://w3id.org/ecmgraph/shapes#" + shape), SH.deactivated) == rdflib.Literal(
        True
    )


def test_shapes_are_dated_before_either_engine_runs() -> None:
    shapes, catalogue = load_shapes(), load_catalogue()
    rules = list(catalogue.rules)
    early = dated_shapes(shapes, catalogue, dt.date(2007, 6, 1), rules)
    assert _severity(early, "ECM001-vacant") == SH.Info
    assert _severity(early, "ECM019-other-post-accountable") == SH.Info
    assert _severity(early, "ECM002-vacant") == SH.Info
    assert _severity(early, "ECM004-wrong-line") == SH.Violation
    between = dated_shapes(shapes, catalogue, dt.date(2008, 2, 1), rules)
    assert _severity(between, "ECM001-vacant") == SH.Violation and _severity(between, "ECM002-vacant") == SH.Info
    later = dated_shapes(shapes, catalogue, dt.date(2009, 1, 1), rules)
    assert _severity(later, "ECM002-no-post") == SH.Violation
    for select in later.objects(None, SH.select):
        assert "$asOf" not in select and '"2009-01-01"^^<http://www.w3.org/2001/XMLSchema#date>' in select
    assert "$asOf" in next(iter(shapes.objects(None, SH.select)))  # the packaged graph itself is untouched


def test_unselected_rules_are_deactivated() -> None:
    shapes, catalogue = load_shapes(), load_catalogue()
    dated = dated_shapes(shapes, catalogue, dt.date(2009, 1, 1), ["ECM004"])
    assert not _deactivated(dated, "ECM004-wrong-line")
    assert _deactivated(dated, "ECM001-vacant")
    assert {c.shape.rsplit("#", 1)[-1] for c in shape_constraints(dated)} == {"ECM004-wrong-line", "ECM004-no-line"}


def test_a_date_before_royal_assent_is_an_input_error() -> None:
    with pytest.raises(InputError, match="2004-11-15"):
        validate(load_dataset([]), as_of=dt.date(2004, 11, 14))
    validate(load_dataset([str(RULES_DIR / "ECM009" / "pass-lscb-established.ttl")]), as_of=dt.date(2004, 11, 15))


def test_rule_ids_are_checked_with_suggestions() -> None:
    catalogue = load_catalogue()
    assert catalogue.select(["ecm004", "ECM001"], ["ECM001"]) == ("ECM004",)
    with pytest.raises(InputError, match="ECM0004") as excinfo:
        catalogue.select(["ECM0004"])
    assert "did you mean ECM004" in (excinfo.value.hint or "")
    with pytest.raises(InputError, match="--ignore"):
        catalogue.select([], ["ECM099"])


def test_the_catalogue_is_read_from_the_shapes() -> None:
    catalogue = load_catalogue()
    assert list(catalogue.rules) == [f"ECM{n:03d}" for n in range(1, 28)]
    ecm013 = catalogue.rules["ECM013"]
    assert ecm013.level == "Warning" and {s.severity for s in ecm013.shapes} == {"Warning", "Info"}
    assert catalogue.rules["ECM001"].in_force_from == dt.date(2008, 1, 1)
    assert catalogue.rules["ECM001"].severity_before == "Info"
    for rule in catalogue.rules.values():
        assert rule.title and rule.sources
        assert {s.kind for s in rule.shapes} <= {"breach", "gap"}
        for shape in rule.shapes:
            assert shape.message and shape.description, shape.iri


def test_every_cited_source_is_described_in_the_packaged_data() -> None:
    described = rdflib.Graph()
    for name in ("sources.ttl", "law.ttl"):
        described.parse(REPO / "data" / name, format="turtle")
    subjects = {str(s) for s in described.subjects()}
    cited = {src for rule in load_catalogue().rules.values() for src in rule.sources}
    assert cited and cited <= subjects, sorted(cited - subjects)


# ---------------------------------------------------------------------------------------------- the engine


def test_unsupported_shape_features_are_errors_naming_the_shape() -> None:
    graph = rdflib.Graph().parse(
        data="""
        @prefix sh: <http://www.w3.org/ns/shacl#> . @prefix ecm: <https://w3id.org/ecmgraph/def#> .
        @prefix dcterms: <http://purl.org/dc/terms/> .
        <urn:shape:x> a sh:PropertyShape ; dcterms:identifier "X001" ; sh:severity sh:Violation ;
            ecm:findingKind ecm:Gap ; sh:targetClass ecm:Authority ; sh:path ecm:region ; sh:pattern "^E" .
    """,
        format="turtle",
    )
    with pytest.raises(ShapeError, match="urn:shape:x.*shacl#pattern"):
        shape_constraints(graph)


def test_the_engine_runs_one_query_per_constraint() -> None:
    shapes, catalogue = load_shapes(), load_catalogue()
    dated = dated_shapes(shapes, catalogue, dt.date(2009, 1, 1), list(catalogue.rules))
    constraints = shape_constraints(dated)
    assert len(constraints) == len(catalogue.shapes)  # one per shape: every shape has exactly one constraint

    class Counting(Engine):
        def __init__(self) -> None:
            self.queries = 0
            self.inner = validation_engine(prepare(load_dataset([])))

        @property
        def label(self) -> str:
            return "counting"

        def query(self, text, bindings=None, *, source="<query>", prefixes=None):  # type: ignore[no-untyped-def]
            self.queries += 1
            return self.inner.query(text, bindings, source=source, prefixes=prefixes)

    counting = Counting()
    run_shapes(dated, counting)
    assert counting.queries == len(constraints)


# ------------------------------------------------------------------------------------------- normalisation


def test_normalisation_writes_inverse_sub_and_symmetric_properties_and_holders() -> None:
    dataset = load_dataset(
        [
            str(RULES_DIR / "ECM020" / "pass-council-holds-chief-executive-to-account.ttl"),
            str(RULES_DIR / "ECM025" / "pass-scrutiny-committee-scrutinises-dcs.ttl"),
            str(RULES_DIR / "ECM001" / "pass-joint-dcs-of-two-authorities.ttl"),
        ]
    )
    added = normalise(dataset)
    assert added > 0 and normalise(dataset) == 0  # idempotent
    graph = ox.NamedNode(ENTAILED_GRAPH)

    def has(s: str, p: str, o: str) -> bool:
        return bool(list(dataset.store.quads_for_pattern(ox.NamedNode(s), ox.NamedNode(p), ox.NamedNode(o), graph)))

    ce, council = ECMID + "post/E06999001/chief-executive", ECMID + "body/E06999001/council"
    assert has(ce, ECM + "accountableTo", council)  # inverse of ecm:holdsToAccount
    dcs, committee = ECMID + "post/E06999001/dcs", ECMID + "body/E06999001/scrutiny-people"
    assert has(committee, ECM + "holdsToAccount", dcs) and has(dcs, ECM + "accountableTo", committee)
    assert has(ECMID + "post/E06999001/dcs", ECM + "jointAppointmentWith", ECMID + "post/E06999002/dcs")
    assert has(ECMID + "post/E06999002/dcs", "http://www.w3.org/ns/org#heldBy", ECMID + "person/jo-joint")


def test_validation_computes_no_closure_unless_asked(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[str] = []
    real = inference.closure

    def spy(graph: rdflib.Graph, profile: str) -> rdflib.Graph:
        calls.append(profile)
        return real(graph, profile)

    monkeypatch.setattr(inference, "closure", spy)
    path = [str(RULES_DIR / "ECM004" / "fail-dcs-reports-to-deputy-chief-executive.ttl")]
    plain = validate(load_dataset(path), as_of=dt.date(2010, 1, 1), rules=["ECM004"])
    assert calls == []
    for engine in ("ecmgraph", "pyshacl"):
        inferred = validate(
            load_dataset(path), as_of=dt.date(2010, 1, 1), rules=["ECM004"], inference="rdfs", engine=engine
        )
        assert {f.key() for f in inferred.findings} == {f.key() for f in plain.findings}
    assert calls == ["rdfs", "rdfs"]


def test_validation_never_touches_the_network(tmp_path: Path, remote, no_network: list) -> None:
    # The data owl:imports an ontology from a loopback server that records what it is asked for: an engine that
    # followed owl:imports (pySHACL's do_owl_imports, say) would ask it, and Python's sockets record any other try.
    imports = tmp_path / "imports-remote.ttl"
    imports.write_text(
        remote.point_at_me((BAD_DIR / "imports-remote.ttl").read_text(encoding="utf-8")), encoding="utf-8"
    )
    for engine in ("ecmgraph", "pyshacl"):
        report = validate(
            load_dataset([str(RULES_DIR / "ECM014"), str(imports)]), as_of=dt.date(2010, 1, 1), engine=engine
        )
        assert report.findings  # the ECM014 fixtures that fail do fail: the data was validated
    assert remote.requests == [] and no_network == []


def test_importing_the_cli_does_not_import_pyshacl_or_owlrl() -> None:
    code = "import sys, ecmgraph.cli; print(sorted(m for m in ('pyshacl', 'owlrl') if m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert json.loads(out.replace("'", '"')) == []


# ------------------------------------------------------------------------------------------ national scale


def test_the_engine_finds_every_injected_violation_of_the_synthetic_england(tmp_path: Path) -> None:
    # bench/generate.py injects violations of every rule into a synthetic England and lists what a validator must
    # report: an independent check of the shapes, on data shaped like real authorities'. (pySHACL takes many
    # minutes on these ~60,000 triples; bench/run.py compares the two engines there, the fixtures above here.)
    out = tmp_path / "bench"
    subprocess.run(
        [sys.executable, str(REPO / "bench" / "generate.py"), "--scale", "0.01", "--out", str(out), "--formats", "nt"],
        check=True,
        capture_output=True,
    )
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    expected = {(e["focus"], e["rule"], e["severity"], e["kind"]) for e in manifest["expected"]}
    allowed = {(a["focus"], a["rule"]) for a in manifest["allowed"]}
    as_of = dt.date.fromisoformat(manifest["as_of"])
    report = validate(load_dataset([str(out / "england-synthetic.nt")]), as_of=as_of)
    found = {f.key() for f in report.findings}
    assert expected <= found, sorted(expected - found)
    assert not {k for k in found - expected if (k[0], k[1]) not in allowed}
    assert {rule for _, rule, _, _ in expected} == {f"ECM{n:03d}" for n in range(1, 28)}


def test_a_catalogue_needs_ids_kinds_and_severities() -> None:
    graph = rdflib.Graph().parse(
        data="""
        @prefix sh: <http://www.w3.org/ns/shacl#> . @prefix dcterms: <http://purl.org/dc/terms/> .
        <urn:shape:y> a sh:NodeShape ; dcterms:identifier "Y001" ; sh:targetNode <urn:x> .
    """,
        format="turtle",
    )
    with pytest.raises(ShapeError, match="urn:shape:y"):
        Catalogue.from_graph(graph)
