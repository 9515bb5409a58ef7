#!/usr/bin/env python3
"""Build ``data/england.ttl`` from the England reference table ``data/reference/authorities.csv``.

Every row of the table (one ONS GSS code) becomes an authority: typed with its kind class, classified with its
kind concept, with its code, statistical geography, ONS name, region, parent county, start and end dates, and
the sources its row cites. The output is deterministic: the same CSV always gives the same bytes.

    python scripts/build_reference.py            # regenerate data/england.ttl
    python scripts/build_reference.py --check    # exit 1 if data/england.ttl is out of date

Exit codes: 0 success (or up to date), 1 out of date, 3 the CSV is unreadable or breaks a rule below.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import io
import re
import sys
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.plugins.serializers.turtle import TurtleSerializer
from rdflib.term import Node

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_CSV = ROOT / "data" / "reference" / "authorities.csv"
DEFAULT_OUTPUT = ROOT / "data" / "england.ttl"

# The write-or-check step the build scripts share (scripts/build_output.py), from this script's folder.
if str(ROOT / "scripts") not in sys.path:
    sys.path.append(str(ROOT / "scripts"))
# The vocabulary comes from the package (its closed ECM namespace rejects a misspelt term); from a checkout where
# ecmgraph is not installed, the package beside this script is used.
if str(ROOT) not in sys.path:
    sys.path.append(str(ROOT))
from build_output import write_or_check  # noqa: E402

from ecmgraph.namespaces import (  # noqa: E402
    DCTERMS,
    ECM,
    ECMID,
    LEG,
    ORG,
    PROV,
    RDF,
    RDFS,
    SKOS,
    STATGEO,
    XSD,
)

OGL3 = URIRef("http://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/")
# The IRI ecmgraph.resources.packaged_iri gives the packaged file, so the dataset description and the loader's
# provenance graph speak of the same thing.
DATASET = URIRef("https://w3id.org/ecmgraph/data/england.ttl")

COLUMNS = (
    "gss_code",
    "name",
    "kind",
    "region_code",
    "region_name",
    "parent_county_code",
    "start_date",
    "end_date",
    "source",
)

#: kind in the CSV -> (kind class, kind concept in ecm:AuthorityKinds, the GSS prefixes it may carry).
#: `other` (sui generis) is City of London E09000001 and the Isles of Scilly, coded E07000025 before April 2009
#: and E06000053 since: an upper-tier authority whatever its code says.
KINDS: dict[str, tuple[URIRef, URIRef, tuple[str, ...]]] = {
    "county": (ECM.CountyCouncil, ECM.CountyKind, ("E10",)),
    "unitary": (ECM.UnitaryAuthority, ECM.UnitaryKind, ("E06",)),
    "metropolitan_district": (ECM.MetropolitanDistrictCouncil, ECM.MetropolitanDistrictKind, ("E08",)),
    "london_borough": (ECM.LondonBoroughCouncil, ECM.LondonBoroughKind, ("E09",)),
    "district": (ECM.DistrictCouncil, ECM.DistrictKind, ("E07",)),
    "other": (ECM.SuiGenerisAuthority, ECM.SuiGenerisKind, ("E06", "E07", "E09")),
}

#: Council names, as skos:altLabel. Only names a seed document or the reference table itself gives: the ONS
#: name stays the preferred label. Seeds are cited by number and paragraph, as in docs/rules.md.
COUNCIL_NAMES: dict[str, tuple[str, ...]] = {
    "E10000028": ("Staffordshire County Council",),  # seed 000 front §3.1
    "E07000192": ("Cannock Chase Council", "Cannock Chase District Council"),  # seed 000 heading; Section 8 §8.8
    "E10000018": ("Leicestershire County Council",),  # data/README.md on seed 001 (whose text says "LCC")
    "E06000032": ("Luton Borough Council", "Luton Council"),  # seed 004 §2.3, and the letter of 11 Feb 2005
    "E07000075": ("Rochford District Council",),  # seed 004, the letter's address
    # The reference table's own notes (authorities.csv `source` column).
    "E10000005": ("Cornwall County Council",),
    "E07000025": ("Council of the Isles of Scilly",),
    "E06000053": ("Council of the Isles of Scilly",),
    "E09000001": ("City of London Corporation",),
}

#: A council whose GSS code changed: (old code, new code), from SOURCES.md "Code changes".
CODE_CHANGES: tuple[tuple[str, str], ...] = (
    ("E07000002", "E06000055"),  # Bedford, unitary from 2009-04-01
    ("E06000048", "E06000057"),  # Northumberland, 2013-04-01
    ("E08000020", "E08000037"),  # Gateshead, 2013-04-01
    ("E07000100", "E07000240"),  # St Albans, 2012-04-01
    ("E07000104", "E07000241"),  # Welwyn Hatfield, 2012-04-01
    ("E07000097", "E07000242"),  # East Hertfordshire, 2013-04-01
    ("E07000101", "E07000243"),  # Stevenage, 2013-04-01
    ("E08000016", "E08000038"),  # Barnsley, 2025-04-01 (SI 2024/1328)
    ("E08000019", "E08000039"),  # Sheffield, 2025-04-01 (SI 2024/1328)
)


@dataclass(frozen=True)
class SourceTag:
    """One provenance tag of the CSV's `source` column, and the resource that describes it."""

    slug: str
    title: str
    description: str
    licence: URIRef | None = None
    publisher: URIRef | None = None
    references: URIRef | None = None


ONS = ECMID["org/ons"]

#: Tag (the text before any space or bracket) -> its description, from SOURCES.md. An unknown tag is an error:
#: a new kind of provenance must be described before it is published.
SOURCE_TAGS: dict[str, SourceTag] = {
    "ONS-CHD-2024-07": SourceTag(
        "ons-chd-2024-07",
        "Code History Database (July 2024)",
        "The ONS Code History Database, July 2024 release (ChangeHistory.csv, ArcGIS item "
        "d7be63c8bd144ae0a26c6593eb5e00b7), read through its per-entity-type conversion in "
        "open-innovations/geography-code-adder at commit 5c33e2d9f4c969d9c9b69d2fe6c8a07ba0e58b7b. "
        "Source of each code, name, parent code, region and end date.",
        licence=OGL3,
        publisher=ONS,
    ),
    "drkane-geo-lookups-2026-06": SourceTag(
        "drkane-geo-lookups-2026-06",
        "drkane/geo-lookups (June 2026)",
        "Local authority lookups (la_all_codes.csv, utla_all_codes.csv) in the drkane/geo-lookups repository at "
        "commit e20a072d5fc0918437abaa3622be63f40b71d9dd; its readme says the data are from the ONS Open "
        "Geography Portal under the Open Government Licence v3.0. The only data-file source for E08000038 "
        "Barnsley and E08000039 Sheffield, and for the 2025-03-31 end of E08000016 and E08000019.",
        licence=OGL3,
    ),
    "start:LGA1972": SourceTag(
        "start-lga1972",
        "Start date by rule: Local Government Act 1972",
        "Start date 1974-04-01, applied by rule to the E07, E08 and E10 codes that already existed when GSS "
        "coding began (the CHD operative date 2009-01-01 is a coding artefact). Not verified district by "
        "district.",
        references=LEG["ukpga/1972/70"],
    ),
    "start:LonGovAct1963": SourceTag(
        "start-longovact1963",
        "Start date by rule: London Government Act 1963",
        "Start date 1965-04-01 (commencement of the London Government Act 1963) for the E09 London boroughs.",
        references=LEG["ukpga/1963/33"],
    ),
    "start:LGCE1992-waves": SourceTag(
        "start-lgce1992-waves",
        "Start date: Local Government Commission for England structural review waves",
        "Start date of the unitary authorities created in the four waves of 1995-04-01, 1996-04-01, "
        "1997-04-01 and 1998-04-01 (E06000001 to E06000046), and of Worcestershire (1998-04-01).",
    ),
    "start:CHD-operative-date": SourceTag(
        "start-chd-operative-date",
        "Start date: the code's operative date in the ONS Code History Database",
        "Start date is the operative date the ONS Code History Database gives the code (codes created after "
        "2009-01-01). For a council whose code changed, the council is older than the code.",
        licence=OGL3,
        publisher=ONS,
    ),
    "start:SI1996/1867": SourceTag(
        "start-si1996-1867",
        "Start date: SI 1996/1867, Schedule 1",
        "Start date 1998-04-01 of the new district of Malvern Hills (SI 1996/1867, Schedule 1).",
        references=LEG["uksi/1996/1867"],
    ),
    "start:SI2024/1328": SourceTag(
        "start-si2024-1328",
        "Start date: SI 2024/1328 (Barnsley and Sheffield (Boundary Change) Order 2024)",
        "Start date 2025-04-01 of the Barnsley and Sheffield codes that followed the boundary change.",
        references=LEG["uksi/2024/1328"],
    ),
    "end:SI2024/1328": SourceTag(
        "end-si2024-1328",
        "End date: SI 2024/1328 (Barnsley and Sheffield (Boundary Change) Order 2024)",
        "End date 2025-03-31 of the Barnsley and Sheffield codes replaced after the boundary change.",
        references=LEG["uksi/2024/1328"],
    ),
}

#: Tags that carry no source, only a note (the note keeps the row's own words).
NOTE_ONLY_TAGS = frozenset({"start:blank"})

_GSS = re.compile(r"E(0[6-9]|10|12)\d{6}")
_TAG = re.compile(r"(?:(start|end):)?([A-Za-z][A-Za-z0-9/.-]*)")
_SLUG = re.compile(r"[^a-z0-9]+")


class ReferenceDataError(Exception):
    """The reference table cannot be read, or a row breaks a rule this script relies on."""


@dataclass(frozen=True)
class AuthorityRow:
    """One row of authorities.csv: one GSS code of one authority, over the days it was valid."""

    gss_code: str
    name: str
    kind: str
    region_code: str
    region_name: str
    parent_county_code: str | None
    start_date: dt.date | None
    end_date: dt.date | None
    sources: tuple[str, ...]
    notes: tuple[str, ...]
    editorial_notes: tuple[str, ...]


def _date(text: str, where: str) -> dt.date | None:
    if not text:
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise ReferenceDataError(f"{where}: {text!r} is not a date (YYYY-MM-DD)") from None


def _split_source(text: str, where: str) -> tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]:
    """The `source` column as (source tags, notes, editorial notes), each in the row's order.

    A part that is exactly a known tag is a source. A part that starts with a known tag and says more is a
    source and a note. `UNSURE…` and `xcheck:…` parts are editorial notes; any other part is a note.
    """
    tags: list[str] = []
    notes: list[str] = []
    editorial: list[str] = []
    for part in (p.strip() for p in text.split("|")):
        if not part:
            continue
        if part.startswith(("UNSURE", "xcheck:")):
            editorial.append(part)
            continue
        match = _TAG.match(part)
        tag = None
        if match:
            prefix, head = match.groups()
            tag = f"{prefix}:{head}" if prefix else head
        if tag in SOURCE_TAGS:
            if tag not in tags:
                tags.append(tag)
            if part != tag:
                notes.append(part)
        elif tag in NOTE_ONLY_TAGS:
            notes.append(part)
        elif match and match.group(1):
            raise ReferenceDataError(f"{where}: unknown provenance tag {tag!r}; describe it in SOURCE_TAGS")
        else:
            notes.append(part)
    if not any(not t.startswith(("start:", "end:")) for t in tags):
        raise ReferenceDataError(f"{where}: no data source tag (e.g. ONS-CHD-2024-07) in {text!r}")
    return tuple(tags), tuple(notes), tuple(editorial)


def read_authorities(path: Path) -> list[AuthorityRow]:
    """Read authorities.csv into rows, in file order.

    Raises ReferenceDataError when the file is missing or unreadable, the header is not the expected one, or a
    row has a bad code, kind, date or provenance tag.
    """
    try:
        with path.open(newline="", encoding="utf-8") as handle:
            reader = csv.DictReader(handle)
            if tuple(reader.fieldnames or ()) != COLUMNS:
                raise ReferenceDataError(f"{path}: header is {reader.fieldnames}, expected {list(COLUMNS)}")
            records = list(reader)
    except OSError as error:
        raise ReferenceDataError(f"{path}: {error.strerror}") from error
    rows: list[AuthorityRow] = []
    seen: set[str] = set()
    for line, record in enumerate(records, start=2):
        where = f"{path}:{line}"
        code = record["gss_code"].strip()
        kind = record["kind"].strip()
        if not _GSS.fullmatch(code) or code.startswith("E12"):
            raise ReferenceDataError(f"{where}: {code!r} is not an authority GSS code")
        if code in seen:
            raise ReferenceDataError(f"{where}: {code} appears twice")
        seen.add(code)
        if kind not in KINDS:
            raise ReferenceDataError(f"{where}: unknown kind {kind!r}; expected one of {', '.join(KINDS)}")
        if not code.startswith(KINDS[kind][2]):
            raise ReferenceDataError(f"{where}: kind {kind} does not fit code {code}")
        region = record["region_code"].strip()
        if not (_GSS.fullmatch(region) and region.startswith("E12")):
            raise ReferenceDataError(f"{where}: {region!r} is not a region (E12) code")
        parent = record["parent_county_code"].strip() or None
        if parent is not None and not parent.startswith("E10"):
            raise ReferenceDataError(f"{where}: parent county {parent!r} is not a county (E10) code")
        start = _date(record["start_date"].strip(), where)
        end = _date(record["end_date"].strip(), where)
        if start and end and end < start:
            raise ReferenceDataError(f"{where}: ends ({end}) before it starts ({start})")
        sources, notes, editorial = _split_source(record["source"], where)
        rows.append(
            AuthorityRow(
                gss_code=code,
                name=record["name"].strip(),
                kind=kind,
                region_code=region,
                region_name=record["region_name"].strip(),
                parent_county_code=parent,
                start_date=start,
                end_date=end,
                sources=sources,
                notes=notes,
                editorial_notes=editorial,
            )
        )
    _check_links(rows, path)
    return rows


def _check_links(rows: Sequence[AuthorityRow], path: Path) -> None:
    """Parents are counties in the table; each code change joins an old code to its next-day successor."""
    by_code = {row.gss_code: row for row in rows}
    for row in rows:
        if row.parent_county_code and row.parent_county_code not in by_code:
            raise ReferenceDataError(f"{path}: {row.gss_code}'s parent {row.parent_county_code} is not in the table")
    for old, new in CODE_CHANGES:
        if old not in by_code or new not in by_code:
            raise ReferenceDataError(f"{path}: code change {old} -> {new} names a code not in the table")
        end, start = by_code[old].end_date, by_code[new].start_date
        if end is None or start is None or start - end != dt.timedelta(days=1):
            raise ReferenceDataError(f"{path}: {old} ends {end}, but {new} starts {start}, not the next day")


def authority_iri(code: str) -> URIRef:
    """``ecmid:authority/{GSS}``."""
    return ECMID[f"authority/{code}"]


def region_iri(code: str) -> URIRef:
    """``ecmid:region/{GSS}``."""
    return ECMID[f"region/{code}"]


def source_iri(tag: str) -> URIRef:
    """``ecmid:source/{slug}`` for a provenance tag of the CSV."""
    return ECMID[f"source/{SOURCE_TAGS[tag].slug}"]


def _english(text: str) -> Literal:
    return Literal(text, lang="en")


def _date_literal(day: dt.date) -> Literal:
    return Literal(day.isoformat(), datatype=XSD.date)


def new_graph() -> Graph:
    """An empty graph with ecmgraph's prefixes, and only those (rdflib's defaults would vary by version)."""
    graph = Graph(bind_namespaces="none")
    # Turtle cannot abbreviate ecmid:authority/E10000028 (a "/" in a local name), so each kind of ecmid: thing
    # gets a prefix of its own: authority:E10000028 reads as what it is.
    for prefix, namespace in (
        ("ecm", ECM),
        ("ecmid", ECMID),
        ("authority", Namespace(ECMID["authority/"])),
        ("region", Namespace(ECMID["region/"])),
        ("source", Namespace(ECMID["source/"])),
        ("org-id", Namespace(ECMID["org/"])),
        ("statgeo", STATGEO),
        ("leg", LEG),
        ("dcterms", DCTERMS),
        ("org", ORG),
        ("prov", PROV),
        ("rdf", RDF),
        ("rdfs", RDFS),
        ("skos", SKOS),
        ("xsd", XSD),
    ):
        graph.bind(prefix, namespace)
    return graph


def _add_sources(graph: Graph, tags: Iterable[str]) -> None:
    graph.add((ONS, RDF.type, ORG.Organization))
    graph.add((ONS, RDFS.label, _english("Office for National Statistics")))
    for tag in tags:
        info = SOURCE_TAGS[tag]
        node = source_iri(tag)
        graph.add((node, RDF.type, PROV.Entity))
        graph.add((node, RDFS.label, _english(info.title)))
        graph.add((node, DCTERMS.title, _english(info.title)))
        graph.add((node, DCTERMS.description, _english(info.description)))
        if info.licence is not None:
            graph.add((node, DCTERMS.license, info.licence))
        if info.publisher is not None:
            graph.add((node, DCTERMS.publisher, info.publisher))
        if info.references is not None:
            graph.add((node, DCTERMS.references, info.references))


def _add_dataset(graph: Graph, tags: Iterable[str]) -> None:
    graph.add((DATASET, RDF.type, PROV.Entity))
    graph.add((DATASET, DCTERMS.title, _english("English local authorities by ONS GSS code")))
    graph.add(
        (
            DATASET,
            DCTERMS.description,
            _english(
                "Every English upper-tier (children's services) authority and every non-metropolitan district "
                "that has held an ONS GSS code, 2009 to June 2026, one resource per code; generated from "
                "data/reference/authorities.csv by scripts/build_reference.py."
            ),
        )
    )
    graph.add((DATASET, DCTERMS.license, OGL3))
    graph.add(
        (
            DATASET,
            DCTERMS.rights,
            _english(
                "Contains data from the Office for National Statistics (Code History Database July 2024; LAD to "
                "County April 2021 lookup) licensed under the Open Government Licence v3.0; contains public "
                "sector information licensed under the Open Government Licence v3.0 (legislation.gov.uk)."
            ),
        )
    )
    for tag in tags:
        graph.add((DATASET, PROV.wasDerivedFrom, source_iri(tag)))


def authority_graph(rows: Sequence[AuthorityRow]) -> Graph:
    """The England reference graph: authorities, regions, code changes, sources and the dataset itself."""
    graph = new_graph()
    used_tags = sorted({tag for row in rows for tag in row.sources})
    _add_dataset(graph, used_tags)
    _add_sources(graph, used_tags)
    for row in rows:
        region = region_iri(row.region_code)
        graph.add((region, RDF.type, ECM.Region))
        graph.add((region, DCTERMS.identifier, Literal(row.region_code)))
        graph.add((region, RDFS.label, _english(row.region_name)))
        graph.add((region, SKOS.prefLabel, _english(row.region_name)))
        graph.add((region, ECM.statisticalGeography, STATGEO[row.region_code]))
        graph.add((region, DCTERMS.source, source_iri("ONS-CHD-2024-07")))

        node = authority_iri(row.gss_code)
        kind_class, kind_concept, _ = KINDS[row.kind]
        graph.add((node, RDF.type, kind_class))
        graph.add((node, ORG.classification, kind_concept))
        graph.add((node, DCTERMS.identifier, Literal(row.gss_code)))
        graph.add((node, ECM.statisticalGeography, STATGEO[row.gss_code]))
        graph.add((node, RDFS.label, _english(row.name)))
        graph.add((node, SKOS.prefLabel, _english(row.name)))
        for name in COUNCIL_NAMES.get(row.gss_code, ()):
            graph.add((node, SKOS.altLabel, _english(name)))
        graph.add((node, ECM.region, region))
        # Only a real district has a parent county. ONS files the Isles of Scilly (E07000025, kind `other`)
        # under the statistical county "Cornwall and Isles of Scilly", but Cornwall County Council never
        # covered Scilly: the row's note says so, and no parentCounty is stated.
        if row.parent_county_code and row.kind == "district":
            graph.add((node, ECM.parentCounty, authority_iri(row.parent_county_code)))
        if row.start_date:
            graph.add((node, ECM.startDate, _date_literal(row.start_date)))
        if row.end_date:
            graph.add((node, ECM.endDate, _date_literal(row.end_date)))
        for tag in row.sources:
            graph.add((node, DCTERMS.source, source_iri(tag)))
        for note in row.notes:
            graph.add((node, SKOS.note, _english(note)))
        for note in row.editorial_notes:
            graph.add((node, SKOS.editorialNote, _english(note)))
    for old, new in CODE_CHANGES:
        graph.add((authority_iri(old), DCTERMS.isReplacedBy, authority_iri(new)))
        graph.add((authority_iri(new), DCTERMS.replaces, authority_iri(old)))
    return graph


HEADER = """\
# England's local authorities by ONS GSS code: GENERATED, do not edit by hand.
#
# Generated by scripts/build_reference.py from data/reference/authorities.csv (sources, method and licence in
# data/reference/SOURCES.md). Regenerate: python scripts/build_reference.py
# Verify it is in step with the CSV: python scripts/build_reference.py --check
#
# Contains data from the Office for National Statistics (Code History Database July 2024; LAD to County
# April 2021 lookup) licensed under the Open Government Licence v3.0; contains public sector information
# licensed under the Open Government Licence v3.0 (legislation.gov.uk).

"""


#: Reading order of the file: the dataset, its sources, then regions, then authorities by code.
_SECTIONS = (str(DATASET), str(ECMID["source/"]), str(ECMID["org/"]), str(ECMID["region/"]), str(ECMID["authority/"]))


def _reading_order(subject: Node) -> tuple[int, str]:
    text = str(subject)
    rank = next((i for i, start in enumerate(_SECTIONS) if text.startswith(start)), len(_SECTIONS))
    return rank, text


class _OrderedTurtleSerializer(TurtleSerializer):
    """rdflib's Turtle, with subjects in reading order rather than by how often they are referenced."""

    def orderSubjects(self) -> list[Node]:
        return sorted(super().orderSubjects(), key=_reading_order)


def render(graph: Graph) -> str:
    """The graph as Turtle, with the generated-file header: the same graph always gives the same text."""
    stream = io.BytesIO()
    _OrderedTurtleSerializer(graph).serialize(stream, encoding="utf-8")
    return HEADER + stream.getvalue().decode("utf-8").rstrip("\n") + "\n"


def build(csv_path: Path = DEFAULT_CSV) -> str:
    """The Turtle text of data/england.ttl for the given CSV. Raises ReferenceDataError."""
    return render(authority_graph(read_authorities(csv_path)))


def main(argv: Sequence[str] | None = None) -> int:
    """Regenerate data/england.ttl, or with --check say whether it is in step with the CSV."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--csv", type=Path, default=DEFAULT_CSV, help="the reference table (default: %(default)s)")
    parser.add_argument(
        "-o", "--output", type=Path, default=DEFAULT_OUTPUT, help="the Turtle file (default: %(default)s)"
    )
    parser.add_argument("--check", action="store_true", help="write nothing; exit 1 if the output is out of date")
    args = parser.parse_args(argv)
    try:
        text = build(args.csv)
    except ReferenceDataError as error:
        print(f"Error: {error}", file=sys.stderr)
        return 3
    return write_or_check(
        args.output, text, check=args.check, source=args.csv, command="python scripts/build_reference.py"
    )


if __name__ == "__main__":
    sys.exit(main())
