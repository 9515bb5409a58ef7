#!/usr/bin/env python3
"""Generate a deterministic synthetic England for ecmgraph's benchmarks, with known rule violations.

Every children's services authority of the reference table (``data/reference/authorities.csv``) becomes a *unit*:
the authority with its districts, its statutory posts and about 20 years of holders (with vacancies, periods
whose holder is not recorded, historic joint DCS appointments and vacancy cover), its councillors, cabinet,
senior management team, LSCB, Children's Trust Board and scrutiny committees with their memberships, its relevant
partners (about 20,000 schools across England at scale 1), its Children and Young People's Plans, its own lists of
responsibilities, and the synthetic documents every fact cites. The patterns and IRIs are those of the modelling
guide, ``ontology/README.md``.

Nothing in it is real apart from the authorities themselves (names, codes, kinds, regions and dates from the
reference table): every person, post holder, date of office, school and partner is invented, and labelled
"(synthetic)" where a label could be mistaken for a fact.

On top of a baseline that conforms to every rule (docs/rules.md) as at ``--as-of`` (no finding at all), violations of
every rule ECM001-ECM027 are injected into 2-5 % of the authorities that exist on that date (at least one per rule,
at every scale). ``manifest.json`` lists what the validator must report: for each injection the rule, the focus
node, the severity and the kind of finding (breach or gap), plus findings that an injection may also cause
(``allowed``).

Scale: 1 is every authority of the table once (about a million triples); a fractional scale takes a sample of the
units (never fewer than ``MIN_UNITS``, so that every rule can be injected); a scale above 1 adds copies of
England whose keys carry a suffix (``E10000028-2``) and have no statistical geography, since none exists for them.

Deterministic: seeded ``random.Random`` per unit, sorted output, no timestamps: the same arguments always give the
same bytes.

    python bench/generate.py --scale 1 --out bench/out/scale-1
    python bench/generate.py --scale 0.01 --out /tmp/tiny --formats nt

Writes ``england-synthetic.nt`` and/or ``england-synthetic.ttl`` and ``manifest.json`` into ``--out``.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import hashlib
import json
import math
import random
import re
import sys
import time
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
REFERENCE_CANDIDATES = (ROOT / "data" / "reference" / "authorities.csv",)

DEFAULT_AS_OF = dt.date(2026, 1, 1)
DEFAULT_SEED = 2004
HISTORY_START = dt.date(2005, 4, 1)  # the first statutory guidance on the DCS and LM (2005; seed 003 §1.14)
LSCB_START = dt.date(2006, 4, 1)  # LSCB Regulations 2006 (seed 001 App. C)
MIN_UNITS = 8
BASE_NAME = "england-synthetic"
SCHEMA_VERSION = 1

# --- terms -------------------------------------------------------------------------------------------------------

ID = "https://w3id.org/ecmgraph/id/"
ECM_NS = "https://w3id.org/ecmgraph/def#"
NS = {
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "ecm": ECM_NS,
    "org": "http://www.w3.org/ns/org#",
    "foaf": "http://xmlns.com/foaf/0.1/",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "dcterms": "http://purl.org/dc/terms/",
    "prov": "http://www.w3.org/ns/prov#",
}


def _n(ns: str, local: str) -> str:
    return f"<{NS[ns]}{local}>"


def ecm(local: str) -> str:
    return f"<{ECM_NS}{local}>"


def ident(path: str) -> str:
    return f"<{ID}{path}>"


A = _n("rdf", "type")
LABEL = _n("rdfs", "label")
PREF = _n("skos", "prefLabel")
IDENTIFIER = _n("dcterms", "identifier")
SOURCE = _n("dcterms", "source")
TITLE = _n("dcterms", "title")
ISSUED = _n("dcterms", "issued")
PUBLISHER = _n("dcterms", "publisher")
DESCRIPTION = _n("dcterms", "description")
CLASSIFICATION = _n("org", "classification")
POST_IN = _n("org", "postIn")
REPORTS_TO = _n("org", "reportsTo")
ORGANIZATION = _n("org", "organization")
MEMBER = _n("org", "member")
ROLE = _n("org", "role")
SUB_ORG = _n("org", "subOrganizationOf")
FOAF_PERSON = _n("foaf", "Person")
FOAF_NAME = _n("foaf", "name")
MEMBERSHIP = _n("org", "Membership")
START = ecm("startDate")
END = ecm("endDate")
XSD_DATE = NS["xsd"] + "date"
XSD_BOOLEAN = NS["xsd"] + "boolean"

MEMBER_ROLE, CHAIR_ROLE, OBSERVER_ROLE = ecm("MemberRole"), ecm("ChairRole"), ecm("ParticipantObserverRole")

#: The Children Act 2004 s18(2) functions (individuals of ecm:StatutoryFunction in the ontology).
FUNCTIONS = (
    ("EducationFunctions", "education functions"),
    ("ChildrensSocialServicesFunctions", "children's social services functions"),
    ("LeavingCareFunctions", "leaving care functions (Children Act 1989 ss23C-24D)"),
    ("CooperationAndPlanningFunctions", "cooperation and planning functions (Children Act 2004 ss10-12, 17)"),
    ("NHSPartnershipFunctions", "NHS partnership arrangements for children"),
    ("ChildcareFunctions", "childcare functions (Childcare Act 2006 Part 1)"),
)
OUTCOMES = ("BeHealthy", "StaySafe", "EnjoyAndAchieve", "MakeAPositiveContribution", "AchieveEconomicWellBeing")

#: kind in the CSV -> (kind class, kind concept); as scripts/build_reference.py maps them.
KINDS = {
    "county": ("CountyCouncil", "CountyKind"),
    "unitary": ("UnitaryAuthority", "UnitaryKind"),
    "metropolitan_district": ("MetropolitanDistrictCouncil", "MetropolitanDistrictKind"),
    "london_borough": ("LondonBoroughCouncil", "LondonBoroughKind"),
    "district": ("DistrictCouncil", "DistrictKind"),
    "other": ("SuiGenerisAuthority", "SuiGenerisKind"),
}
CSA_KINDS = ("county", "unitary", "metropolitan_district", "london_borough", "other")

# Sizes per kind of unit: council seats and schools (about 20,000 schools across England at scale 1).
SEATS = {"county": 66, "unitary": 54, "metropolitan_district": 66, "london_borough": 60, "other": 28}
DISTRICT_SEATS = 40
SCHOOLS = {"county": 255, "unitary": 80, "metropolitan_district": 100, "london_borough": 70, "other": 12}
#: The first of the four-yearly elections of each kind (synthetic: all seats at once).
ELECTION_YEAR = {
    "county": 2005,
    "unitary": 2007,
    "metropolitan_district": 2008,
    "london_borough": 2006,
    "other": 2005,
    "district": 2007,
}
PARTNERS = (  # (key, class, label)
    ("pct", "PrimaryCareTrust", "Primary Care Trust"),
    ("police", "ChiefOfficerOfPolice", "Chief Officer of Police"),
    ("police-authority", "PoliceAuthority", "Police Authority"),
    ("probation", "LocalProbationBoard", "Local Probation Board"),
    ("yot", "YouthOffendingTeam", "Youth Offending Team"),
    ("lsc", "LearningAndSkillsCouncil", "Learning and Skills Council"),
    ("connexions", "ConnexionsService", "Connexions Service"),
    ("jobcentre-plus", "JobcentrePlus", "Jobcentre Plus"),
    ("sha", "StrategicHealthAuthority", "Strategic Health Authority"),
    ("college-1", "College", "College 1"),
    ("college-2", "College", "College 2"),
    ("voluntary-1", "VoluntarySectorBody", "Voluntary Sector Body 1"),
    ("voluntary-2", "VoluntarySectorBody", "Voluntary Sector Body 2"),
)


def lit(text: str, lang: str | None = "en") -> str:
    escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r")
    return f'"{escaped}"@{lang}' if lang else f'"{escaped}"'


def date_lit(day: dt.date) -> str:
    return f'"{day.isoformat()}"^^<{XSD_DATE}>'


TRUE = f'"true"^^<{XSD_BOOLEAN}>'
FALSE = f'"false"^^<{XSD_BOOLEAN}>'
DAY = dt.timedelta(days=1)


def days(n: int) -> dt.timedelta:
    return dt.timedelta(days=n)


# --- reference data ----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Row:
    code: str
    name: str
    kind: str
    region_code: str
    region_name: str
    parent: str
    start: dt.date | None
    end: dt.date | None


def reference_csv() -> Path:
    for candidate in REFERENCE_CANDIDATES:
        if candidate.is_file():
            return candidate
    raise SystemExit("bench/generate.py: no reference table (data/reference/authorities.csv)")


def read_reference(path: Path) -> list[Row]:
    rows = []
    with path.open(newline="", encoding="utf-8") as handle:
        for r in csv.DictReader(handle):
            rows.append(
                Row(
                    code=r["gss_code"],
                    name=r["name"],
                    kind=r["kind"],
                    region_code=r["region_code"],
                    region_name=r["region_name"],
                    parent=r["parent_county_code"],
                    start=dt.date.fromisoformat(r["start_date"]) if r["start_date"] else None,
                    end=dt.date.fromisoformat(r["end_date"]) if r["end_date"] else None,
                )
            )
    return rows


def exists_on(row: Row, day: dt.date) -> bool:
    return (row.start is None or row.start <= day) and (row.end is None or row.end >= day)


# --- timelines -----------------------------------------------------------------------------------------------------


@dataclass
class Segment:
    """One stretch of a post's history: a tenure (holder recorded), a recorded vacancy, or nothing recorded."""

    kind: str  # "tenure", "vacancy" or "unrecorded"
    start: dt.date
    end: dt.date | None  # inclusive; None = open (current)
    person: str | None = None  # person key, for tenures
    cover: bool = False


@dataclass
class Person:
    key: str
    name: str
    vetting: dt.date | None = None
    training: dt.date | None = None


@dataclass
class Unit:
    """One children's services authority (or a copy of one), with its districts and everything it generates."""

    row: Row
    key: str  # the authority's IRI key: its GSS code, or GSS-{copy} for copies of England
    copy: int
    districts: list[tuple[Row, str]]  # (row, key)
    rng: random.Random = field(repr=False, default_factory=random.Random)
    people: dict[str, Person] = field(default_factory=dict)
    timelines: dict[str, list[Segment]] = field(default_factory=dict)
    councillors: list[tuple[str, dt.date, dt.date | None]] = field(default_factory=list)
    person_memberships: dict[str, list[tuple[str, dt.date, dt.date | None, str]]] = field(default_factory=dict)
    terms: list[tuple[dt.date, dt.date | None]] = field(default_factory=list)
    mayor: bool = False
    district_models: dict[str, dict] = field(default_factory=dict)
    injections: set[str] = field(default_factory=set)
    joint_with: str | None = None  # key of the unit whose current DCS also holds this unit's DCS post
    extra: dict = field(default_factory=dict)  # what the injections chose (district keys, the joint partner)
    person_counter: int = 0

    @property
    def iri(self) -> str:
        return ident(f"authority/{self.key}")

    @property
    def label(self) -> str:
        return self.row.name if self.copy == 0 else f"{self.row.name} (synthetic copy {self.copy})"

    def exists_on(self, day: dt.date) -> bool:
        return exists_on(self.row, day)

    def new_person(self) -> str:
        self.person_counter += 1
        key = f"bench-{self.key.lower()}-{self.person_counter:04d}"
        self.people[key] = Person(key, f"Person {self.key}-{self.person_counter:04d} (synthetic)")
        return key


def window(row: Row) -> tuple[dt.date, dt.date | None]:
    start = max(row.start or HISTORY_START, HISTORY_START)
    return start, row.end


def terms_for(row: Row, kind: str, as_of: dt.date) -> list[tuple[dt.date, dt.date | None]]:
    """Four-year council terms from the first election on or before the window start, clipped to the window."""
    start, end = window(row)
    horizon = end if end is not None and end < as_of else as_of
    year = ELECTION_YEAR[kind]
    while dt.date(year, 5, 5) > start:
        year -= 4
    while dt.date(year + 4, 5, 5) <= start:
        year += 4
    elections = []
    while dt.date(year, 5, 5) <= horizon:
        elections.append(dt.date(year, 5, 5))
        year += 4
    terms = []
    for i, election in enumerate(elections):
        s = max(election, start)
        if i + 1 < len(elections):
            e: dt.date | None = elections[i + 1] - DAY
        else:
            e = end if end is not None and end < as_of else None
        terms.append((s, e))
    return terms


def officer_timeline(unit: Unit, start: dt.date, end: dt.date | None, as_of: dt.date, *, vetted: bool) -> list[Segment]:
    """Officers one after another (2-8 years each), sometimes with a recorded vacancy or an unrecorded stretch between.

    The last tenure is open if the authority still exists, and starts at least 200 days before ``as_of`` (so that an
    injection can end it before that day).
    """
    rng = unit.rng
    horizon = end if end is not None and end < as_of else as_of
    segments: list[Segment] = []
    t = start
    while True:
        length = days(rng.randint(550, 2900))
        person = unit.new_person()
        if vetted:
            unit.people[person].vetting = t
        if t + length >= horizon - days(200):
            segments.append(Segment("tenure", t, end if end is not None and end < as_of else None, person))
            return segments
        segments.append(Segment("tenure", t, t + length - DAY, person))
        t = t + length
        roll = rng.random()
        if roll < 0.2:  # a recorded vacancy of 1-8 months
            gap = days(rng.randint(30, 240))
            if t + gap < horizon - days(400):
                segments.append(Segment("vacancy", t, t + gap - DAY))
                t = t + gap
        elif roll < 0.3:  # the holder is simply not recorded for a while
            gap = days(rng.randint(30, 180))
            if t + gap < horizon - days(400):
                segments.append(Segment("unrecorded", t, t + gap - DAY))
                t = t + gap


def merge_slots(per_term: list[str | None], terms: list[tuple[dt.date, dt.date | None]]) -> list[Segment]:
    """Holders per term as tenures, with consecutive terms of the same holder merged into one."""
    segments: list[Segment] = []
    for holder, (s, e) in zip(per_term, terms):
        if holder is None:
            continue
        if segments and segments[-1].person == holder and segments[-1].end == s - DAY:
            segments[-1].end = e
        else:
            segments.append(Segment("tenure", s, e, holder))
    return segments


def build_unit(unit: Unit, as_of: dt.date) -> None:
    """Phase 1: everything of one unit that does not depend on other units."""
    rng = unit.rng
    row = unit.row
    start, end = window(row)
    unit.terms = terms_for(row, row.kind, as_of)
    terms = unit.terms
    per_term_sitting, unit.councillors = elect_councillors(
        unit, terms, max(10, round(SEATS[row.kind] * rng.uniform(0.85, 1.15)))
    )
    # Member designations per term, chosen among that term's councillors.
    unit.mayor = row.kind in ("unitary", "metropolitan_district", "london_borough") and rng.random() < 0.08
    slots = ["leader", "lead-member", "supporting-member-1", "supporting-member-2"] + [f"cabinet-{n}" for n in range(5)]
    if unit.mayor:
        slots.remove("leader")
    chosen: dict[str, list[str | None]] = {s: [] for s in slots}
    scrutiny: dict[str, list[list[str]]] = {"scrutiny-children-and-young-people": [], "scrutiny-adult-social-care": []}
    previous: dict[str, str | None] = {}
    for i, _ in enumerate(terms):
        pool = list(per_term_sitting[i])
        taken: set[str] = set()
        for slot in slots:
            prev = previous.get(slot)
            if prev is not None and prev in pool and prev not in taken and rng.random() < 0.6:
                holder = prev
            else:
                holder = rng.choice([p for p in pool if p not in taken])
            taken.add(holder)
            chosen[slot].append(holder)
            previous[slot] = holder
        rest = [p for p in pool if p not in taken]
        rng.shuffle(rest)
        scrutiny["scrutiny-children-and-young-people"].append(sorted(rest[:9]))
        scrutiny["scrutiny-adult-social-care"].append(sorted(rest[9:16]))
    for slot in slots:
        segments = merge_slots(chosen[slot], terms)
        if slot.startswith("cabinet-"):
            for seg in segments:
                unit.person_memberships.setdefault("cabinet", []).append((seg.person, seg.start, seg.end, "member"))
        else:
            unit.timelines[slot] = segments
    for body, per_term in scrutiny.items():
        # one membership per person per run of consecutive terms
        spans: list[list] = []
        open_span: dict[str, int] = {}
        for i, members in enumerate(per_term):
            for p in members:
                j = open_span.get(p)
                if j is not None and spans[j][2] == i - 1:
                    spans[j][2] = i
                else:
                    open_span[p] = len(spans)
                    spans.append([p, i, i])
        for p, first, last in spans:
            unit.person_memberships.setdefault(body, []).append((p, terms[first][0], terms[last][1], "member"))
    if unit.mayor:
        mayor_holders: list[str | None] = []
        prev_mayor: str | None = None
        for _ in terms:
            if prev_mayor is None or rng.random() < 0.4:
                prev_mayor = unit.new_person()
            mayor_holders.append(prev_mayor)
        unit.timelines["elected-mayor"] = merge_slots(mayor_holders, terms)
    for post in ("lead-member",):
        for seg in unit.timelines[post]:
            person = unit.people[seg.person]  # type: ignore[index]
            person.vetting = person.vetting or seg.start
    # Officers.
    unit.timelines["dcs"] = officer_timeline(unit, start, end, as_of, vetted=True)
    unit.timelines["chief-executive"] = officer_timeline(unit, start, end, as_of, vetted=False)
    unit.timelines["dass"] = officer_timeline(unit, start, end, as_of, vetted=False)
    unit.timelines["lscb-chair"] = officer_timeline(unit, max(start, LSCB_START), end, as_of, vetted=False)
    # Districts (two-tier areas): their own CE, leader, children's champion and lead officer.
    for drow, dkey in unit.districts:
        unit.district_models[dkey] = build_district(unit, drow, as_of)


def elect_councillors(
    unit: Unit, terms: list[tuple[dt.date, dt.date | None]], seats: int
) -> tuple[list[list[str]], list[tuple[str, dt.date, dt.date | None]]]:
    """All seats elected every four years; about two thirds of sitting members return. Returns who sits in each
    term, and each councillor's run (person, first day, last day or None), with their safeguarding training."""
    rng = unit.rng
    sitting: list[str] = []
    runs: dict[str, list[int]] = {}
    per_term: list[list[str]] = []
    for i, _ in enumerate(terms):
        kept = [p for p in sitting if rng.random() < 0.65]
        while len(kept) < seats:
            kept.append(unit.new_person())
        sitting = kept
        per_term.append(list(sitting))
        for p in sitting:
            runs.setdefault(p, []).append(i)
    councillors = []
    for person, term_ids in runs.items():
        first, last = term_ids[0], term_ids[-1]
        councillors.append((person, terms[first][0], terms[last][1]))
        unit.people[person].training = terms[first][0] + days(rng.randint(20, 120))
    return per_term, councillors


def build_district(unit: Unit, drow: Row, as_of: dt.date) -> dict:
    rng = unit.rng
    start, end = window(drow)
    terms = terms_for(drow, "district", as_of)
    per_term, councillors = elect_councillors(unit, terms, max(20, round(DISTRICT_SEATS * rng.uniform(0.75, 1.25))))
    model: dict = {"terms": terms, "timelines": {}, "councillors": councillors}
    per_slot: dict[str, list[str | None]] = {"leader": [], "childrens-champion": []}
    prev: dict[str, str] = {}
    for i, _ in enumerate(terms):
        taken: set[str] = set()
        for slot, holders in per_slot.items():
            if slot in prev and prev[slot] in per_term[i] and prev[slot] not in taken and rng.random() < 0.6:
                holder = prev[slot]
            else:
                holder = rng.choice([p for p in per_term[i] if p not in taken])
            taken.add(holder)
            holders.append(holder)
            prev[slot] = holder
    for slot, holders in per_slot.items():
        model["timelines"][slot] = merge_slots(holders, terms)
    model["timelines"]["chief-executive"] = officer_timeline(unit, start, end, as_of, vetted=False)
    model["timelines"]["lead-officer"] = officer_timeline(unit, start, end, as_of, vetted=False)
    return model


# --- units ---------------------------------------------------------------------------------------------------------


def select_units(rows: list[Row], scale: float, seed: int, as_of: dt.date) -> list[tuple[Row, int]]:
    """The (authority row, copy number) of every unit at ``scale``, in a stable order."""
    csas = sorted((r for r in rows if r.kind in CSA_KINDS), key=lambda r: r.code)
    whole, fraction = int(scale), scale - int(scale)
    chosen = [(r, c) for c in range(whole) for r in csas]
    extra = round(fraction * len(csas))
    if whole == 0:
        extra = max(extra, MIN_UNITS)
    if extra:
        rng = random.Random(f"{seed}/sample")
        order = list(csas)
        rng.shuffle(order)
        # A sample must hold two counties that have districts on the as-of date (for ECM014 and ECM017), and a
        # majority of authorities that exist on that date (injections go only there).
        with_districts = {r.parent for r in rows if r.kind == "district" and exists_on(r, as_of)}
        must = [r for r in order if r.code in with_districts and exists_on(r, as_of)][:2]
        rest = [r for r in order if r not in must]
        living = [r for r in rest if exists_on(r, as_of)]
        gone = [r for r in rest if not exists_on(r, as_of)]
        n_gone = min(len(gone), (extra - len(must)) // 8)
        picked = must + living[: extra - len(must) - n_gone] + gone[:n_gone]
        chosen += [(r, whole) for r in sorted(picked, key=lambda r: r.code)]
    return chosen


def make_units(rows: list[Row], scale: float, seed: int, as_of: dt.date) -> list[Unit]:
    districts_of: dict[str, list[Row]] = defaultdict(list)
    for r in rows:
        if r.kind == "district" and r.parent:
            districts_of[r.parent].append(r)
    units = []
    for row, copy in select_units(rows, scale, seed, as_of):
        key = row.code if copy == 0 else f"{row.code}-{copy + 1}"
        dkeys = [
            (d, d.code if copy == 0 else f"{d.code}-{copy + 1}")
            for d in sorted(districts_of[row.code], key=lambda d: d.code)
        ]
        unit = Unit(row=row, key=key, copy=copy, districts=dkeys, rng=random.Random(f"{seed}/unit/{key}"))
        build_unit(unit, as_of)
        units.append(unit)
    return units


# --- history across units: joint DCS appointments and vacancy cover in the past --------------------------------------


def splice(timeline: list[Segment], new: Segment) -> list[Segment]:
    """``timeline`` with ``new`` laid over it (both closed intervals), cutting what it overlaps."""
    assert new.end is not None
    out: list[Segment] = []
    for seg in timeline:
        seg_end = seg.end or dt.date.max
        if seg_end < new.start or seg.start > new.end:
            out.append(seg)
            continue
        if seg.start < new.start:
            out.append(Segment(seg.kind, seg.start, new.start - DAY, seg.person, seg.cover))
        if seg.end is None or seg.end > new.end:
            out.append(Segment(seg.kind, new.end + DAY, seg.end, seg.person, seg.cover))
    out.append(new)
    out.sort(key=lambda s: s.start)
    return out


def holder_on(timeline: list[Segment], day: dt.date) -> Segment | None:
    for seg in timeline:
        if seg.kind == "tenure" and seg.start <= day and (seg.end is None or seg.end >= day):
            return seg
    return None


def add_history(units: list[Unit], seed: int, as_of: dt.date) -> dict[str, int]:
    """Past joint DCS appointments (one person, two authorities' DCS posts) and past vacancy cover (isCover)."""
    rng = random.Random(f"{seed}/history")
    by_region: dict[tuple[int, str], list[Unit]] = defaultdict(list)
    for u in units:
        by_region[(u.copy, u.row.region_code)].append(u)
    counts = {"historic_joint_dcs": 0, "historic_cover": 0}
    limit = as_of - days(730)
    for group in by_region.values():
        for u in group:
            neighbours = [v for v in group if v is not u]
            if not neighbours:
                continue
            # Vacancy cover by a neighbour's DCS.
            for seg in list(u.timelines["dcs"]):
                if seg.kind == "vacancy" and seg.end is not None and seg.end < limit and rng.random() < 0.5:
                    v = rng.choice(neighbours)
                    a, b = holder_on(v.timelines["dcs"], seg.start), holder_on(v.timelines["dcs"], seg.end)
                    if a is not None and a is b:
                        u.timelines["dcs"] = splice(
                            u.timelines["dcs"], Segment("tenure", seg.start, seg.end, a.person, cover=True)
                        )
                        counts["historic_cover"] += 1
            # A joint appointment for a year or two, in about one unit in ten.
            if rng.random() < 0.1:
                v = rng.choice(neighbours)
                candidates = [
                    s
                    for s in v.timelines["dcs"]
                    if s.kind == "tenure"
                    and not s.cover
                    and s.end is not None
                    and s.end < limit
                    and (s.end - s.start).days > 500
                    and u.exists_on(s.start)
                    and u.exists_on(s.end)
                    and s.start >= window(u.row)[0]
                ]
                if candidates:
                    s = rng.choice(candidates)
                    inner = Segment("tenure", s.start + days(120), s.end - days(60), s.person)
                    u.timelines["dcs"] = splice(u.timelines["dcs"], inner)
                    counts["historic_joint_dcs"] += 1
    return counts


# --- injections --------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Variant:
    """One way of breaking one rule, and what the validator must then report."""

    id: str
    rule: str
    severity: str  # Violation, Warning or Info
    kind: str  # breach or gap
    focus: str  # what the focus node is: authority, dcs-post, lm-post, ce-post, lscb, ctb, dcs-holder, ...
    what: str
    needs: str = ""  # "county" (a county with districts on the as-of date), "no-districts", "pair"
    #: rules that may also report because of this injection (the manifest's "allowed"), each with the focus it
    #: would report on: "same" (the injection's focus), "dcs-post" or "lm-post" (the authority's posts)
    also: tuple[tuple[str, str], ...] = ()


VARIANTS: tuple[Variant, ...] = (
    Variant(
        "ECM001-vacancy",
        "ECM001",
        "Violation",
        "breach",
        "authority",
        "the DCS post has a recorded vacancy and no holder",
    ),
    Variant(
        "ECM001-unrecorded",
        "ECM001",
        "Violation",
        "gap",
        "authority",
        "the DCS post's holder is not recorded on the date",
    ),
    Variant(
        "ECM002-vacancy", "ECM002", "Violation", "breach", "authority", "the Lead Member post has a recorded vacancy"
    ),
    Variant(
        "ECM002-unrecorded", "ECM002", "Violation", "gap", "authority", "the Lead Member post's holder is not recorded"
    ),
    Variant(
        "ECM003-not-councillor",
        "ECM003",
        "Violation",
        "gap",
        "lm-post",
        "the Lead Member holds no councillor post of the authority",
    ),
    Variant(
        "ECM004-wrong-line",
        "ECM004",
        "Violation",
        "breach",
        "dcs-post",
        "the DCS reports to the DASS, not the Chief Executive",
    ),
    Variant("ECM004-no-line", "ECM004", "Violation", "gap", "dcs-post", "no reporting line is recorded for the DCS"),
    Variant(
        "ECM005-not-on-lscb", "ECM005", "Violation", "gap", "dcs-post", "no LSCB membership is recorded for the DCS"
    ),
    Variant("ECM006-not-on-ctb", "ECM006", "Warning", "gap", "dcs-post", "the CTB records no membership of the DCS"),
    Variant(
        "ECM007-not-on-smt",
        "ECM007",
        "Violation",
        "gap",
        "dcs-post",
        "no senior management team membership for the DCS",
    ),
    Variant("ECM008-councillor", "ECM008", "Violation", "breach", "dcs-holder", "the DCS holds a councillor seat"),
    Variant(
        "ECM009-no-lscb",
        "ECM009",
        "Violation",
        "gap",
        "authority",
        "no LSCB is recorded for the authority",
        also=(("ECM005", "dcs-post"), ("ECM011", "lm-post")),
    ),
    Variant(
        "ECM010-vacancy",
        "ECM010",
        "Violation",
        "breach",
        "authority",
        "the Chief Executive post has a recorded vacancy",
    ),
    Variant(
        "ECM010-unrecorded", "ECM010", "Violation", "gap", "authority", "the Chief Executive's holder is not recorded"
    ),
    Variant(
        "ECM011-no-observer", "ECM011", "Warning", "gap", "lm-post", "no LSCB link is recorded for the Lead Member"
    ),
    Variant(
        "ECM011-full-member", "ECM011", "Warning", "breach", "lm-post", "the Lead Member is a full member of the LSCB"
    ),
    Variant("ECM012-chair-is-officer", "ECM012", "Warning", "breach", "lscb", "the LSCB chair is the authority's DASS"),
    Variant("ECM013-dcs-is-dass", "ECM013", "Warning", "breach", "dcs-holder", "the DCS also holds the DASS post"),
    Variant(
        "ECM013-justified",
        "ECM013",
        "Info",
        "breach",
        "dcs-holder",
        "the DCS also holds the DASS post, with a recorded justification",
    ),
    Variant(
        "ECM014-district-lm",
        "ECM014",
        "Violation",
        "breach",
        "district-lm-post",
        "a district council has a statutory Lead Member post",
        needs="county",
        also=tuple((r, "same") for r in ("ECM003", "ECM011", "ECM018", "ECM022", "ECM023", "ECM027")),
    ),
    Variant(
        "ECM015-no-plan", "ECM015", "Violation", "gap", "authority", "no Children and Young People's Plan is recorded"
    ),
    Variant(
        "ECM016-no-trust",
        "ECM016",
        "Violation",
        "gap",
        "authority",
        "no cooperation arrangements (children's trust) are recorded",
        needs="no-districts",
    ),
    Variant(
        "ECM017-district-absent",
        "ECM017",
        "Warning",
        "gap",
        "authority",
        "a district does not take part in the children's trust",
        needs="county",
    ),
    Variant(
        "ECM018-lm-not-in-cabinet",
        "ECM018",
        "Warning",
        "gap",
        "lm-post",
        "no cabinet membership is recorded for the Lead Member",
    ),
    Variant(
        "ECM019-dass-accountable",
        "ECM019",
        "Violation",
        "breach",
        "function",
        "the DASS post is recorded as accountable for education functions",
    ),
    Variant(
        "ECM020-ce-unaccountable",
        "ECM020",
        "Warning",
        "gap",
        "ce-post",
        "the Chief Executive is not recorded as accountable to the Council",
    ),
    Variant(
        "ECM021-joint-dcs",
        "ECM021",
        "Info",
        "breach",
        "dcs-holder",
        "one person holds the DCS posts of two authorities",
        needs="pair",
    ),
    Variant(
        "ECM022-dcs-unvetted", "ECM022", "Info", "gap", "dcs-holder", "no vetting registration is recorded for the DCS"
    ),
    Variant(
        "ECM022-lm-unvetted",
        "ECM022",
        "Info",
        "gap",
        "lm-holder",
        "no vetting registration is recorded for the Lead Member",
    ),
    Variant(
        "ECM023-lm-unaccountable",
        "ECM023",
        "Warning",
        "gap",
        "lm-post",
        "the Lead Member is not recorded as accountable to the Leader",
    ),
    Variant(
        "ECM024-vacancy",
        "ECM024",
        "Violation",
        "breach",
        "authority",
        "the Leader (or elected Mayor) post has a recorded vacancy",
    ),
    Variant(
        "ECM024-unrecorded",
        "ECM024",
        "Violation",
        "gap",
        "authority",
        "the Leader's (or Mayor's) holder is not recorded",
    ),
    Variant(
        "ECM025-no-scrutiny", "ECM025", "Info", "gap", "authority", "no scrutiny committee covers children's services"
    ),
    Variant("ECM026-no-school", "ECM026", "Warning", "gap", "ctb", "the CTB has no school representative"),
    Variant("ECM026-no-gp", "ECM026", "Warning", "gap", "ctb", "the CTB has no lead GP"),
    Variant(
        "ECM027-supporting-untrained",
        "ECM027",
        "Info",
        "gap",
        "supporting-holder",
        "no safeguarding training for a supporting member",
    ),
    Variant(
        "ECM027-scrutiny-untrained",
        "ECM027",
        "Info",
        "gap",
        "scrutiny-member",
        "no safeguarding training for a scrutiny member",
    ),
)
VARIANT = {v.id: v for v in VARIANTS}

#: Variant prefixes that must not meet on one authority: one would hide or change the other's finding.
CONFLICTS = (
    (
        {"ECM001-vacancy", "ECM001-unrecorded"},
        {"ECM008-councillor", "ECM013-dcs-is-dass", "ECM013-justified", "ECM021-joint-dcs", "ECM022-dcs-unvetted"},
    ),
    ({"ECM002-vacancy", "ECM002-unrecorded"}, {"ECM003-not-councillor", "ECM022-lm-unvetted"}),
    ({"ECM003-not-councillor"}, {"ECM022-lm-unvetted"}),
    ({"ECM009-no-lscb"}, {"ECM005-not-on-lscb", "ECM011-no-observer", "ECM011-full-member", "ECM012-chair-is-officer"}),
    ({"ECM012-chair-is-officer"}, {"ECM013-dcs-is-dass", "ECM013-justified"}),
    ({"ECM021-joint-dcs"}, {"ECM008-councillor", "ECM013-dcs-is-dass", "ECM013-justified", "ECM022-dcs-unvetted"}),
    ({"ECM025-no-scrutiny"}, {"ECM027-scrutiny-untrained"}),
)
RATE = 0.03  # of the authorities existing on the as-of date, per rule (split among the rule's variants)


def conflicting(a: str, b: str) -> bool:
    a, b = a.split(":")[0], b.split(":")[0]  # "ECM021-joint-dcs:partner" is the other end of a joint appointment
    if a == b or VARIANT[a].rule == VARIANT[b].rule:
        return True
    return any((a in x and b in y) or (b in x and a in y) for x, y in CONFLICTS)


def schedule(units: list[Unit], seed: int, as_of: dt.date) -> None:
    """Choose, for each variant, the authorities it is injected into (deterministic; at least one per rule)."""
    rng = random.Random(f"{seed}/inject")
    living = [u for u in units if u.exists_on(as_of)]
    counties = [u for u in living if any(exists_on(d, as_of) for d, _ in u.districts)]
    plain = [u for u in living if not any(exists_on(d, as_of) for d, _ in u.districts)]
    per_rule: dict[str, list[Variant]] = defaultdict(list)
    for v in VARIANTS:
        per_rule[v.rule].append(v)
    wanted = {}
    for variants in per_rule.values():
        total = max(len(variants), round(RATE * len(living)))
        for i, v in enumerate(variants):
            wanted[v.id] = total // len(variants) + (1 if i < total % len(variants) else 0)
    # the most constrained first
    order = sorted(VARIANTS, key=lambda v: (v.needs == "", v.needs != "pair", v.id))
    for v in order:
        pool = {"county": counties, "no-districts": plain}.get(v.needs, living)
        candidates = list(pool)
        rng.shuffle(candidates)
        candidates.sort(key=lambda u: len(u.injections))  # spread injections over the authorities
        placed = 0
        for u in candidates:
            if placed >= wanted[v.id]:
                break
            if any(conflicting(v.id, w) for w in u.injections):
                continue
            if v.needs == "pair":
                partner = next(
                    (
                        p
                        for p in candidates
                        if p is not u
                        and p.joint_with is None
                        and not any(conflicting(v.id, w) for w in p.injections)
                        and p.row.region_code == u.row.region_code
                    ),
                    None,
                )
                partner = partner or next(
                    (
                        p
                        for p in candidates
                        if p is not u and p.joint_with is None and not any(conflicting(v.id, w) for w in p.injections)
                    ),
                    None,
                )
                if partner is None:
                    continue
                partner.joint_with = u.key
                partner.injections.add(v.id + ":partner")
            u.injections.add(v.id)
            placed += 1
        if placed == 0:
            raise SystemExit(f"bench/generate.py: cannot inject {v.id} at this scale: too few authorities")


# --- emission ------------------------------------------------------------------------------------------------------


class Out:
    """Collects triples as N-Triples terms."""

    def __init__(self) -> None:
        self.triples: list[tuple[str, str, str]] = []

    def add(self, s: str, p: str, o: str) -> None:
        self.triples.append((s, p, o))


def cut_current(
    timeline: list[Segment], as_of: dt.date, rng: random.Random, then: str | None
) -> tuple[list[Segment], dt.date]:
    """End the current tenure some weeks before ``as_of``; then a vacancy (``then="vacancy"``), nothing, or a new
    tenure slot (``then="tenure"``: returned open segment's start) follows."""
    last = timeline[-1]
    assert last.kind == "tenure" and last.end is None, "the last segment must be an open tenure"
    room = (as_of - last.start).days
    back = rng.randint(20, max(21, min(180, room - 30)))
    cut = as_of - days(back)
    if cut <= last.start:
        cut = last.start + DAY
    out = timeline[:-1] + [Segment("tenure", last.start, cut - DAY, last.person, last.cover)]
    if then == "vacancy":
        out.append(Segment("vacancy", cut, None))
    return out, cut


def apply_injections(units: list[Unit], as_of: dt.date, seed: int) -> list[dict]:
    """Change the units' models for their injections; return the expected findings (manifest entries)."""
    by_key = {u.key: u for u in units}
    expected: list[dict] = []
    for u in units:
        rng = random.Random(f"{seed}/inject/{u.key}")
        leader_key = "elected-mayor" if u.mayor else "leader"
        for vid in sorted(u.injections):
            if vid.endswith(":partner"):
                continue
            v = VARIANT[vid]
            focus = None
            if vid in (
                "ECM001-vacancy",
                "ECM002-vacancy",
                "ECM010-vacancy",
                "ECM024-vacancy",
                "ECM001-unrecorded",
                "ECM002-unrecorded",
                "ECM010-unrecorded",
                "ECM024-unrecorded",
            ):
                post = {"ECM001": "dcs", "ECM002": "lead-member", "ECM010": "chief-executive", "ECM024": leader_key}[
                    v.rule
                ]
                u.timelines[post], _ = cut_current(
                    u.timelines[post], as_of, rng, "vacancy" if vid.endswith("vacancy") else None
                )
                focus = u.iri
            elif vid == "ECM003-not-councillor":
                tl = u.timelines["lead-member"]
                tl, cut = cut_current(tl, as_of, rng, None)
                person = u.new_person()
                u.people[person].vetting = cut
                u.people[person].training = cut
                tl.append(Segment("tenure", cut, None, person))
                u.timelines["lead-member"] = tl
                focus = ident(f"post/{u.key}/lead-member")
            elif v.focus == "dcs-post":
                focus = ident(f"post/{u.key}/dcs")
            elif v.focus == "lm-post":
                focus = ident(f"post/{u.key}/lead-member")
            elif v.focus == "ce-post":
                focus = ident(f"post/{u.key}/chief-executive")
            elif vid == "ECM008-councillor":
                holder = holder_on(u.timelines["dcs"], as_of)
                assert holder is not None and holder.person is not None
                u.councillors.append((holder.person, as_of - days(rng.randint(60, 400)), None))
                u.people[holder.person].training = as_of - days(30)
                focus = ident(f"person/{holder.person}")
            elif vid == "ECM012-chair-is-officer":
                dass = holder_on(u.timelines["dass"], as_of)
                tl, cut = cut_current(u.timelines["lscb-chair"], as_of, rng, None)
                tl.append(Segment("tenure", max(cut, dass.start), None, dass.person))  # type: ignore[union-attr]
                u.timelines["lscb-chair"] = tl
                focus = ident(f"body/{u.key}/lscb")
            elif vid in ("ECM013-dcs-is-dass", "ECM013-justified"):
                dcs = holder_on(u.timelines["dcs"], as_of)
                tl, cut = cut_current(u.timelines["dass"], as_of, rng, None)
                tl.append(Segment("tenure", max(cut, dcs.start), None, dcs.person))  # type: ignore[union-attr]
                u.timelines["dass"] = tl
                focus = ident(f"person/{dcs.person}")  # type: ignore[union-attr]
            elif vid == "ECM014-district-lm":
                living = [(d, k) for d, k in u.districts if exists_on(d, as_of)]
                drow, dkey = rng.choice(living)
                u.extra["district-lm"] = dkey
                focus = ident(f"post/{dkey}/lead-member")
            elif vid == "ECM017-district-absent":
                living = [(d, k) for d, k in u.districts if exists_on(d, as_of)]
                drow, dkey = rng.choice(living)
                u.extra["district-absent"] = dkey
                focus = u.iri
            elif v.focus == "authority":
                focus = u.iri
            elif v.focus == "lscb":
                focus = ident(f"body/{u.key}/lscb")
            elif v.focus == "ctb":
                focus = ident(f"body/{u.key}/ctb")
            elif vid == "ECM019-dass-accountable":
                focus = ecm("EducationFunctions")
            elif vid == "ECM021-joint-dcs":
                partner = next(p for p in units if p.joint_with == u.key)
                mine = holder_on(u.timelines["dcs"], as_of)
                tl, cut = cut_current(partner.timelines["dcs"], as_of, rng, None)
                tl.append(Segment("tenure", max(cut, mine.start), None, mine.person))  # type: ignore[union-attr]
                partner.timelines["dcs"] = tl
                u.extra["joint-partner"] = partner.key
                focus = ident(f"person/{mine.person}")  # type: ignore[union-attr]
            elif vid == "ECM022-dcs-unvetted":
                holder = holder_on(u.timelines["dcs"], as_of)
                u.people[holder.person].vetting = None  # type: ignore[union-attr,index]
                focus = ident(f"person/{holder.person}")  # type: ignore[union-attr]
            elif vid == "ECM022-lm-unvetted":
                holder = holder_on(u.timelines["lead-member"], as_of)
                u.people[holder.person].vetting = None  # type: ignore[union-attr,index]
                focus = ident(f"person/{holder.person}")  # type: ignore[union-attr]
            elif vid == "ECM027-supporting-untrained":
                holder = holder_on(u.timelines["supporting-member-1"], as_of)
                u.people[holder.person].training = None  # type: ignore[union-attr,index]
                focus = ident(f"person/{holder.person}")  # type: ignore[union-attr]
            elif vid == "ECM027-scrutiny-untrained":
                current = sorted(
                    p
                    for p, s, e, _ in u.person_memberships["scrutiny-children-and-young-people"]
                    if s <= as_of and (e is None or e >= as_of)
                )
                person = rng.choice(current)
                u.people[person].training = None
                u.extra["untrained"] = person
                focus = ident(f"person/{person}")
            assert focus is not None, vid
            expected.append(
                {
                    "rule": v.rule,
                    "variant": vid,
                    "focus": focus[1:-1],
                    "severity": v.severity,
                    "kind": v.kind,
                    "authority": u.iri[1:-1],
                    "what": v.what,
                }
            )
    # A person can be untrained for two reasons (supporting member and scrutiny member): one finding per person.
    _ = by_key
    return expected


def emit(units: list[Unit], as_of: dt.date, out: Out) -> dict[str, int]:
    counts: dict[str, int] = defaultdict(int)
    regions: dict[str, str] = {}
    for u in units:
        regions[u.row.region_code] = u.row.region_name
        emit_unit(u, as_of, out, counts)
    for code, name in sorted(regions.items()):
        r = ident(f"region/{code}")
        out.add(r, A, ecm("Region"))
        out.add(r, LABEL, lit(name))
        out.add(r, IDENTIFIER, lit(code, None))
    dataset = ident("source/bench-synthetic-england")
    out.add(dataset, A, ecm("SourceDocument"))
    out.add(dataset, TITLE, lit("Synthetic England for ecmgraph benchmarks (bench/generate.py)"))
    out.add(
        dataset,
        DESCRIPTION,
        lit(
            "Generated for benchmarking: apart from the authorities' names, codes, kinds, regions and dates (England "
            "reference table, ONS, Open Government Licence v3.0), every person, holder, date of office, school and "
            "partner is invented. Not real data."
        ),
    )
    return counts


def authority_triples(out: Out, row: Row, key: str, copy: int, label: str, parent_key: str | None) -> str:
    a = ident(f"authority/{key}")
    cls, concept = KINDS[row.kind]
    out.add(a, A, ecm(cls))
    out.add(a, LABEL, lit(label))
    out.add(a, PREF, lit(label))
    out.add(a, IDENTIFIER, lit(key, None))
    out.add(a, CLASSIFICATION, ecm(concept))
    out.add(a, ecm("region"), ident(f"region/{row.region_code}"))
    if copy == 0:
        out.add(a, ecm("statisticalGeography"), f"<http://statistics.data.gov.uk/id/statistical-geography/{row.code}>")
    if parent_key:
        out.add(a, ecm("parentCounty"), ident(f"authority/{parent_key}"))
    if row.start:
        out.add(a, START, date_lit(row.start))
    if row.end:
        out.add(a, END, date_lit(row.end))
    return a


class Emitter:
    """Writes one unit: helpers that know the unit's key, its source documents and its counters."""

    def __init__(self, unit: Unit, out: Out, counts: dict[str, int]) -> None:
        self.u, self.out, self.counts = unit, out, counts
        self.membership_n: dict[tuple[str, str], int] = defaultdict(int)
        self.sources: set[tuple[str, int]] = set()

    def source(self, key: str, day: dt.date) -> str:
        year = min(max(day.year, HISTORY_START.year), 2025)
        self.sources.add((key, year))
        return ident(f"source/bench-{key.lower()}-{year}")

    def post(self, key: str, post_key: str, cls: str, label: str, post_in: str | None = None) -> str:
        p = ident(f"post/{key}/{post_key}")
        self.out.add(p, A, ecm(cls))
        self.out.add(p, LABEL, lit(label))
        self.out.add(p, POST_IN, post_in or ident(f"authority/{key}"))
        self.counts["posts"] += 1
        return p

    def timeline(self, key: str, post_key: str, segments: list[Segment]) -> None:
        post = ident(f"post/{key}/{post_key}")
        n_tenure = n_vacancy = 0
        for seg in segments:
            if seg.kind == "unrecorded":
                continue
            if seg.kind == "tenure":
                n_tenure += 1
                node = ident(f"tenure/{key}/{post_key}/{n_tenure}")
                self.out.add(node, A, ecm("Tenure"))
                self.out.add(node, ecm("holder"), ident(f"person/{seg.person}"))
                if seg.cover:
                    self.out.add(node, ecm("isCover"), TRUE)
                self.counts["tenures"] += 1
            else:
                n_vacancy += 1
                node = ident(f"vacancy/{key}/{post_key}/{n_vacancy}")
                self.out.add(node, A, ecm("Vacancy"))
                self.counts["vacancies"] += 1
            self.out.add(node, ecm("post"), post)
            self.out.add(node, START, date_lit(seg.start))
            if seg.end is not None:
                self.out.add(node, END, date_lit(seg.end))
            self.out.add(node, SOURCE, self.source(key, seg.start))

    def membership(
        self,
        key: str,
        body_key: str,
        start: dt.date,
        end: dt.date | None,
        role: str,
        *,
        post: str | None = None,
        member: str | None = None,
        represents: str | None = None,
    ) -> None:
        self.membership_n[(key, body_key)] += 1
        node = ident(f"membership/{key}/{body_key}/{self.membership_n[(key, body_key)]}")
        self.out.add(node, A, MEMBERSHIP)
        self.out.add(node, ORGANIZATION, ident(f"body/{key}/{body_key}"))
        if post is not None:
            self.out.add(node, ecm("memberPost"), post)
        if member is not None:
            self.out.add(node, MEMBER, member)
        self.out.add(node, ROLE, role)
        self.out.add(node, START, date_lit(start))
        if end is not None:
            self.out.add(node, END, date_lit(end))
        if represents is not None:
            self.out.add(node, ecm("represents"), represents)
        self.out.add(node, SOURCE, self.source(key, start))
        self.counts["memberships"] += 1

    def body(self, key: str, body_key: str, cls: str, label: str, of: str | None = None) -> str:
        b = ident(f"body/{key}/{body_key}")
        self.out.add(b, A, ecm(cls))
        self.out.add(b, LABEL, lit(label))
        self.out.add(b, ecm("bodyOf"), of or ident(f"authority/{key}"))
        self.counts["bodies"] += 1
        return b

    def org(self, slug: str, cls: str, label: str) -> str:
        o = ident(f"org/{slug}")
        self.out.add(o, A, ecm(cls))
        self.out.add(o, LABEL, lit(label))
        return o

    def person(self, person: Person) -> None:
        p = ident(f"person/{person.key}")
        self.out.add(p, A, FOAF_PERSON)
        self.out.add(p, FOAF_NAME, lit(person.name, None))
        if person.vetting is not None:
            self.out.add(p, ecm("vettingRegistration"), date_lit(person.vetting))
        if person.training is not None:
            self.out.add(p, ecm("safeguardingTraining"), date_lit(person.training))
        self.counts["people"] += 1

    def finish_sources(self) -> None:
        for key, year in sorted(self.sources):
            s = ident(f"source/bench-{key.lower()}-{year}")
            self.out.add(s, A, ecm("SourceDocument"))
            self.out.add(s, TITLE, lit(f"Annual governance statement {year}, authority {key} (synthetic)"))
            self.out.add(s, ISSUED, date_lit(dt.date(year, 12, 31)))
            self.out.add(s, PUBLISHER, ident(f"authority/{key}"))
            self.counts["source_documents"] += 1


def current(start: dt.date, end: dt.date | None, as_of: dt.date) -> bool:
    return start <= as_of and (end is None or end >= as_of)


def emit_unit(u: Unit, as_of: dt.date, out: Out, counts: dict[str, int]) -> None:
    inj = u.injections
    extra = u.extra
    em = Emitter(u, out, counts)
    k, name = u.key, u.label
    a = authority_triples(out, u.row, k, u.copy, name, None)
    counts["authorities"] += 1
    start, end = window(u.row)
    close = end if end is not None and end < as_of else None
    leader_key = "elected-mayor" if u.mayor else "leader"

    # Bodies.
    council = em.body(k, "council", "FullCouncil", f"{name} Council (full council)")
    em.body(k, "cabinet", "Cabinet", f"{name} Cabinet")
    em.body(k, "smt", "SeniorManagementTeam", f"{name} Corporate Management Team")
    has_lscb = "ECM009-no-lscb" not in inj
    if has_lscb:
        em.body(k, "lscb", "LocalSafeguardingChildrenBoard", f"{name} Local Safeguarding Children Board")
    trust = None
    if "ECM016-no-trust" not in inj:
        trust = em.body(k, "childrens-trust", "ChildrensTrust", f"{name} Children's Trust")
        out.add(a, ecm("cooperationArrangements"), trust)
    ctb = em.body(k, "ctb", "ChildrensTrustBoard", f"{name} Children's Trust Board")
    if trust is not None:
        out.add(ctb, SUB_ORG, trust)
    em.body(k, "lsp", "LocalStrategicPartnership", f"{name} Local Strategic Partnership")
    scrutiny_bodies = ["scrutiny-adult-social-care"]
    if "ECM025-no-scrutiny" not in inj:
        scrutiny_bodies.append("scrutiny-children-and-young-people")
    for body in scrutiny_bodies:
        covers = body == "scrutiny-children-and-young-people"
        b = em.body(
            k,
            body,
            "OverviewAndScrutinyCommittee",
            f"{name} {'Children and Young People' if covers else 'Adult Social Care'} Scrutiny Committee",
        )
        out.add(b, ecm("coversChildrensServices"), TRUE if covers else FALSE)
        if covers:
            out.add(b, ecm("scrutinises"), ident(f"post/{k}/dcs"))
            out.add(b, ecm("scrutinises"), ident(f"post/{k}/lead-member"))
        else:
            out.add(b, ecm("scrutinises"), ident(f"post/{k}/dass"))

    # Posts.
    dcs = em.post(k, "dcs", "DirectorOfChildrensServices", f"Director of Children's Services, {name}")
    ce = em.post(k, "chief-executive", "ChiefExecutive", f"Chief Executive, {name}")
    dass = em.post(k, "dass", "DirectorOfAdultSocialServices", f"Director of Adult Social Services, {name}")
    lm = em.post(k, "lead-member", "LeadMemberForChildrensServices", f"Lead Member for Children's Services, {name}")
    leader = em.post(
        k,
        leader_key,
        "ElectedMayor" if u.mayor else "Leader",
        f"{'Elected Mayor' if u.mayor else 'Leader of the Council'}, {name}",
    )
    supporting = [
        em.post(
            k, f"supporting-member-{n}", "SupportingMember", f"Supporting Member {n} for Children's Services, {name}"
        )
        for n in (1, 2)
    ]
    if has_lscb:
        em.post(
            k, "lscb-chair", "LSCBChair", f"Chair, {name} Local Safeguarding Children Board", ident(f"body/{k}/lscb")
        )
    if "ECM004-no-line" not in inj:
        line = dass if "ECM004-wrong-line" in inj else ce
        out.add(dcs, REPORTS_TO, line)
        out.add(dcs, ecm("accountableTo"), line)
    for fn, _ in FUNCTIONS:
        out.add(dcs, ecm("accountableFor"), ecm(fn))
    if "ECM019-dass-accountable" in inj:
        out.add(dass, ecm("accountableFor"), ecm("EducationFunctions"))
    out.add(dass, REPORTS_TO, ce)
    out.add(dass, ecm("accountableTo"), ce)
    if "ECM020-ce-unaccountable" not in inj:
        out.add(ce, ecm("accountableTo"), council)
    out.add(leader, ecm("accountableTo"), council)
    if "ECM023-lm-unaccountable" not in inj:
        out.add(lm, ecm("accountableTo"), leader)
    out.add(lm, ecm("challenges"), dcs)
    for s in supporting:
        out.add(s, ecm("accountableTo"), lm)
    if "ECM013-justified" in inj:
        out.add(
            dcs,
            ecm("combinedRoleJustification"),
            lit("The Council judged the combined role sustainable, with a deputy for each service (synthetic)."),
        )
    if "ECM021-joint-dcs" in inj:
        out.add(dcs, ecm("jointAppointmentWith"), ident(f"post/{extra['joint-partner']}/dcs"))
    if u.joint_with is not None:
        out.add(dcs, ecm("jointAppointmentWith"), ident(f"post/{u.joint_with}/dcs"))

    # Holders.
    for post_key in (
        "dcs",
        "chief-executive",
        "dass",
        "lead-member",
        leader_key,
        "supporting-member-1",
        "supporting-member-2",
    ):
        em.timeline(k, post_key, u.timelines[post_key])
    if has_lscb:
        em.timeline(k, "lscb-chair", u.timelines["lscb-chair"])
    for person, s, e in u.councillors:
        slug = person.removeprefix("bench-")
        em.post(k, f"councillor-{slug}", "Councillor", f"Councillor ({u.people[person].name}), {name}")
        em.timeline(k, f"councillor-{slug}", [Segment("tenure", s, e, person)])

    # Memberships: posts on boards, people on the cabinet and the scrutiny committees.
    body_start = start
    lscb_start = max(start, LSCB_START)
    if has_lscb:
        if "ECM005-not-on-lscb" not in inj:
            em.membership(k, "lscb", lscb_start, close, MEMBER_ROLE, post=dcs)
        em.membership(k, "lscb", lscb_start, close, CHAIR_ROLE, post=ident(f"post/{k}/lscb-chair"))
        if "ECM011-no-observer" not in inj:
            role = MEMBER_ROLE if "ECM011-full-member" in inj else OBSERVER_ROLE
            em.membership(k, "lscb", lscb_start, close, role, post=lm)
        for pkey in ("pct", "police", "probation", "yot"):
            partner = ident(f"org/{k.lower()}-{pkey}")
            em.membership(k, "lscb", lscb_start, close, MEMBER_ROLE, member=partner, represents=partner)
    em.membership(k, "smt", body_start, close, CHAIR_ROLE, post=ce)
    if "ECM007-not-on-smt" not in inj:
        em.membership(k, "smt", body_start, close, MEMBER_ROLE, post=dcs)
    em.membership(k, "smt", body_start, close, MEMBER_ROLE, post=dass)
    em.membership(k, "cabinet", body_start, close, CHAIR_ROLE, post=leader)
    if "ECM018-lm-not-in-cabinet" not in inj:
        em.membership(k, "cabinet", body_start, close, MEMBER_ROLE, post=lm)
    for person, s, e, _ in u.person_memberships.get("cabinet", []):
        em.membership(k, "cabinet", s, e, MEMBER_ROLE, member=ident(f"person/{person}"))
    for body in scrutiny_bodies:
        for person, s, e, _ in u.person_memberships[body]:
            em.membership(k, body, s, e, MEMBER_ROLE, member=ident(f"person/{person}"))
    if "ECM006-not-on-ctb" not in inj:
        em.membership(k, "ctb", body_start, close, MEMBER_ROLE, post=dcs)
    em.membership(k, "ctb", body_start, close, CHAIR_ROLE, post=lm)
    for pkey in ("police", "connexions"):
        partner = ident(f"org/{k.lower()}-{pkey}")
        em.membership(k, "ctb", body_start, close, MEMBER_ROLE, member=partner, represents=partner)
    if "ECM026-no-school" not in inj:
        school = ident(f"org/{k.lower()}-school-0001")
        em.membership(k, "ctb", body_start, close, MEMBER_ROLE, member=school, represents=school)
    if "ECM026-no-gp" not in inj:
        # The ontology has no class for a lead GP: a person on the board who represents the Primary Care Trust,
        # the only health member of the board (so that removing them leaves health unrepresented).
        gp = u.new_person()
        u.people[gp].name = f"Lead GP for children, {name} (synthetic)"
        em.membership(
            k,
            "ctb",
            body_start,
            close,
            MEMBER_ROLE,
            member=ident(f"person/{gp}"),
            represents=ident(f"org/{k.lower()}-pct"),
        )

    # Partners and schools.
    for pkey, cls, label in PARTNERS:
        o = em.org(f"{k.lower()}-{pkey}", cls, f"{label}, {name} (synthetic)")
        out.add(o, ecm("relevantPartnerOf"), a)
        if trust is not None:
            out.add(o, ecm("takesPartIn"), trust)
        counts["partners"] += 1
    n_schools = max(3, round(SCHOOLS[u.row.kind] * u.rng.uniform(0.7, 1.3)))
    for n in range(1, n_schools + 1):
        o = em.org(f"{k.lower()}-school-{n:04d}", "School", f"School {n:04d}, {name} (synthetic)")
        out.add(o, IDENTIFIER, lit(f"bench-{k}-{n:04d}", None))
        out.add(o, ecm("relevantPartnerOf"), a)
        if trust is not None:
            out.add(o, ecm("takesPartIn"), trust)
        counts["schools"] += 1

    # Children and Young People's Plans: three-year plans from 2006, the last one covering the as-of date.
    if "ECM015-no-plan" not in inj:
        year = 2006
        while dt.date(year, 4, 1) <= (close or as_of):
            ps, pe = dt.date(year, 4, 1), dt.date(year + 3, 3, 31)
            if pe >= start:
                plan = ident(f"plan/{k}/{year}")
                out.add(plan, A, ecm("ChildrenAndYoungPeoplesPlan"))
                out.add(plan, LABEL, lit(f"{name} Children and Young People's Plan {year}-{year + 3}"))
                out.add(plan, ecm("planOf"), a)
                out.add(plan, ecm("preparedBy"), trust or a)
                out.add(plan, START, date_lit(max(ps, start)))
                out.add(plan, END, date_lit(pe))
                out.add(plan, ISSUED, date_lit(max(ps, start) - days(30)))
                out.add(plan, SOURCE, em.source(k, ps))
            year += 3

    # The authority's own responsibilities.
    for n, (fn, label) in enumerate(FUNCTIONS, 1):
        r = ident(f"responsibility/dcs/{k}-{n}")
        out.add(r, A, ecm("Responsibility"))
        out.add(r, PREF, lit(f"Lead the {label} of {name}"))
        out.add(r, ecm("responsibilityOf"), dcs)
        out.add(r, ecm("concerns"), ecm(fn))
        out.add(r, ecm("servesOutcome"), ecm(OUTCOMES[n % len(OUTCOMES)]))
        out.add(r, SOURCE, em.source(k, start))
    for n, outcome in enumerate(OUTCOMES, 1):
        r = ident(f"responsibility/lead-member/{k}-{n}")
        out.add(r, A, ecm("Responsibility"))
        out.add(r, PREF, lit(f"Political leadership for children in {name}: outcome {n}"))
        out.add(r, ecm("responsibilityOf"), lm)
        out.add(r, ecm("servesOutcome"), ecm(outcome))
        out.add(r, SOURCE, em.source(k, start))

    # Districts of a two-tier area.
    for drow, dkey in u.districts:
        model = u.district_models[dkey]
        d = authority_triples(
            out, drow, dkey, u.copy, drow.name if u.copy == 0 else f"{drow.name} (synthetic copy {u.copy})", k
        )
        counts["districts"] += 1
        dname = drow.name
        dstart, dend = window(drow)
        dclose = dend if dend is not None and dend < as_of else None
        if extra.get("district-absent") != dkey:  # (ECM017 reads either statement of a district's part)
            out.add(d, ecm("relevantPartnerOf"), a)
        if trust is not None and extra.get("district-absent") != dkey:
            out.add(d, ecm("takesPartIn"), trust)
        dcouncil = em.body(dkey, "council", "FullCouncil", f"{dname} Council (full council)")
        em.body(dkey, "locality-board", "LocalityBoard", f"{dname} Locality Children's Board")
        if trust is not None:
            out.add(ident(f"body/{dkey}/locality-board"), SUB_ORG, trust)
        dce = em.post(dkey, "chief-executive", "ChiefExecutive", f"Chief Executive, {dname}")
        dleader = em.post(dkey, "leader", "Leader", f"Leader of the Council, {dname}")
        champion = em.post(
            dkey,
            "childrens-champion",
            "ChildrensChampion",
            f"Elected Member for Children's Services (champion), {dname}",
        )
        officer = em.post(
            dkey, "lead-officer", "DistrictLeadOfficer", f"Lead Officer for Children and Young People, {dname}"
        )
        out.add(dce, ecm("accountableTo"), dcouncil)
        out.add(dleader, ecm("accountableTo"), dcouncil)
        out.add(officer, REPORTS_TO, dce)
        for post_key, segments in model["timelines"].items():
            em.timeline(dkey, post_key, segments)
        for person, s, e in model["councillors"]:
            slug = person.removeprefix("bench-")
            em.post(dkey, f"councillor-{slug}", "Councillor", f"Councillor ({u.people[person].name}), {dname}")
            em.timeline(dkey, f"councillor-{slug}", [Segment("tenure", s, e, person)])
        em.membership(dkey, "locality-board", dstart, dclose, CHAIR_ROLE, post=champion)
        em.membership(dkey, "locality-board", dstart, dclose, MEMBER_ROLE, post=officer)
        if extra.get("district-lm") == dkey:
            em.post(
                dkey, "lead-member", "LeadMemberForChildrensServices", f"Lead Member for Children's Services, {dname}"
            )

    for person in u.people.values():
        em.person(person)
    em.finish_sources()


# --- output --------------------------------------------------------------------------------------------------------

_PN_LOCAL = re.compile(r"^[A-Za-z_][A-Za-z0-9_-]*$")


def write_ntriples(lines: list[str], path: Path, header: str) -> None:
    with path.open("w", encoding="utf-8", newline="\n") as handle:
        handle.write(header)
        for line in lines:
            handle.write(line)


def turtle_term(term: str, prefixes: list[tuple[str, str]]) -> str:
    if term.startswith("<"):
        value = term[1:-1]
        if value.startswith(ID):
            return f"<{value[len(ID) :]}>"
        for prefix, ns in prefixes:
            if value.startswith(ns) and _PN_LOCAL.match(value[len(ns) :]):
                return f"{prefix}:{value[len(ns) :]}"
        return term
    if term.endswith(f"^^<{XSD_DATE}>"):
        return term[: -len(f"<{XSD_DATE}>")] + "xsd:date"
    if term == TRUE:
        return "true"
    if term == FALSE:
        return "false"
    return term


def write_turtle(triples: list[tuple[str, str, str]], path: Path, header: str) -> None:
    """Triples (sorted) as Turtle: one block per subject, relative IRIs against ``@base`` for ecmid: things."""
    prefixes = sorted(NS.items())
    with path.open("w", encoding="utf-8", newline="\n") as handle:
        handle.write(header)
        handle.write(f"@base <{ID}> .\n")
        for prefix, ns in prefixes:
            handle.write(f"@prefix {prefix}: <{ns}> .\n")
        subject = None
        predicate = None
        for s, p, o in triples:
            if s != subject:
                if subject is not None:
                    handle.write(" .\n")
                handle.write(
                    f"\n{turtle_term(s, prefixes)}\n    {'a' if p == A else turtle_term(p, prefixes)} {turtle_term(o, prefixes)}"
                )
                subject, predicate = s, p
            elif p != predicate:
                handle.write(f" ;\n    {'a' if p == A else turtle_term(p, prefixes)} {turtle_term(o, prefixes)}")
                predicate = p
            else:
                handle.write(f",\n        {turtle_term(o, prefixes)}")
        if subject is not None:
            handle.write(" .\n")


def law_triples() -> tuple[list[tuple[str, str, str]], list[str]]:
    """The packaged data that names no authority (the law, the seed paragraphs, topics…), as N-Triples terms.

    Every top-level ``data/*.ttl`` except ``england.ttl`` is read; a file that describes an authority's things
    (an ``…/id/authority/``, ``post/``, ``body/``… subject) is left out: the synthetic authorities replace them.
    Blank nodes are renamed in the order they are read, so that the output stays the same bytes.
    """
    import pyoxigraph as ox  # only here: the generator itself needs nothing beyond the standard library

    authority_things = tuple(f"{ID}{kind}/" for kind in ("authority", "post", "body", "tenure", "membership"))
    triples: list[tuple[str, str, str]] = []
    used = []
    for path in sorted((ROOT / "data").glob("*.ttl")):
        if path.name == "england.ttl":
            continue
        parsed = list(ox.parse(path=str(path), format=ox.RdfFormat.TURTLE))
        if any(isinstance(t.subject, ox.NamedNode) and t.subject.value.startswith(authority_things) for t in parsed):
            continue
        blanks: dict[str, str] = {}

        def term(t: object) -> str:
            if isinstance(t, ox.BlankNode):
                return "_:" + blanks.setdefault(t.value, f"{path.stem}{len(blanks)}")
            return str(t)

        triples.extend((term(t.subject), term(t.predicate), term(t.object)) for t in parsed)
        used.append(str(path.relative_to(ROOT)))
    return triples, used


def sample_parameters(units: list[Unit], as_of: dt.date, merged: list[tuple[str, str, str]]) -> dict[str, str]:
    """Values for the packaged queries' parameters, from an authority with no injection (a county if any)."""
    living = [u for u in units if u.exists_on(as_of)]
    clean = [u for u in living if not u.injections and u.joint_with is None] or living
    county = next((u for u in clean if any(exists_on(d, as_of) for d, _ in u.districts)), None)
    u = county or clean[0]
    holder = holder_on(u.timelines["dcs"], as_of)
    return {
        "authority": u.iri[1:-1],
        "county": (county or u).iri[1:-1],
        "post": f"{ID}post/{u.key}/dcs",
        "person": f"{ID}person/{holder.person}" if holder else "",
        "thing": f"{ID}post/{u.key}/dcs",
        "entity": f"{ID}post/{u.key}/dcs",
        "region": f"{ID}region/{u.row.region_code}",
        "role": f"{ECM_NS}DirectorOfChildrensServices",
        "outcome": f"{ECM_NS}StaySafe",
        # a label, as analysts give it, where the packaged topics are there to look it up in
        "topic": "safeguarding"
        if any(o == lit("safeguarding") for _, _, o in merged)
        else f"{ECM_NS}ChildrensSocialServicesFunctions",
        "date": as_of.isoformat(),
    }


def sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def scale_name(scale: float) -> str:
    return f"{scale:g}"


def generate(
    scale: float,
    out_dir: Path,
    *,
    seed: int = DEFAULT_SEED,
    as_of: dt.date = DEFAULT_AS_OF,
    formats: Iterable[str] = ("nt", "ttl"),
    with_law: bool = True,
    quiet: bool = False,
) -> dict:
    """Generate the synthetic England at ``scale`` into ``out_dir``; return the manifest (also written there)."""
    if scale <= 0 or not math.isfinite(scale):
        raise SystemExit("bench/generate.py: --scale must be a positive number")
    began = time.perf_counter()
    rows = read_reference(reference_csv())
    units = make_units(rows, scale, seed, as_of)
    history = add_history(units, seed, as_of)
    schedule(units, seed, as_of)
    expected = apply_injections(units, as_of, seed)
    out = Out()
    counts = emit(units, as_of, out)
    law, law_files = law_triples() if with_law else ([], [])
    out.triples.extend(law)
    triples = sorted(set(out.triples))
    if len(triples) != len(out.triples):
        dupes = len(out.triples) - len(triples)
        if dupes > len(law):  # the law files may repeat a few triples among themselves; the generator must not
            raise AssertionError(f"the generator emitted {dupes} duplicate triples")
    out_dir.mkdir(parents=True, exist_ok=True)
    header = (
        f"# Synthetic England for ecmgraph benchmarks: NOT REAL DATA (bench/generate.py --scale {scale_name(scale)} "
        f"--seed {seed} --as-of {as_of.isoformat()}).\n"
    )
    files = {}
    formats = list(formats)
    if "nt" in formats:
        path = out_dir / f"{BASE_NAME}.nt"
        write_ntriples([f"{s} {p} {o} .\n" for s, p, o in triples], path, header)
        files["nt"] = path
    if "ttl" in formats:
        path = out_dir / f"{BASE_NAME}.ttl"
        write_turtle(triples, path, header)
        files["ttl"] = path
    living = [u for u in units if u.exists_on(as_of)]
    samples = sample_parameters(units, as_of, law)
    expected.sort(key=lambda e: (e["rule"], e["focus"], e["variant"]))

    def also_focus(entry: dict, where: str) -> str:
        key = entry["authority"].rsplit("/", 1)[1]
        return {"same": entry["focus"], "dcs-post": f"{ID}post/{key}/dcs", "lm-post": f"{ID}post/{key}/lead-member"}[
            where
        ]

    allowed = sorted(
        (
            {"rule": rule, "focus": also_focus(e, where), "because": e["variant"]}
            for e in expected
            for rule, where in VARIANT[e["variant"]].also
        ),
        key=lambda x: (x["rule"], x["focus"]),
    )
    by_rule: dict[str, dict] = {}
    for rule in sorted({v.rule for v in VARIANTS}):
        hits = [e for e in expected if e["rule"] == rule]
        by_rule[rule] = {
            "injected": len(hits),
            "authorities": len({e["authority"] for e in hits}),
            "rate": round(len({e["authority"] for e in hits}) / len(living), 4) if living else 0.0,
            "variants": sorted({e["variant"] for e in hits}),
        }
    manifest = {
        "schema_version": SCHEMA_VERSION,
        "generator": "bench/generate.py",
        "scale": scale,
        "seed": seed,
        "as_of": as_of.isoformat(),
        "triples": len(triples),
        "files": {fmt: path.name for fmt, path in files.items()},
        "sha256": {fmt: sha256(path) for fmt, path in files.items()},
        "merged_packaged_files": law_files,
        "reference_table": "data/reference/authorities.csv",
        "units": len(units),
        "authorities_existing_on_as_of": len(living),
        "counts": dict(sorted({**counts, **history}.items())),
        "variants": {
            v.id: {"rule": v.rule, "severity": v.severity, "kind": v.kind, "focus": v.focus, "what": v.what}
            for v in VARIANTS
        },
        "by_rule": by_rule,
        "samples": samples,
        "expected": expected,
        "allowed": allowed,
        "notes": [
            "Compare on (focus, rule, severity); 'kind' is the finding kind the generator means (breach or gap).",
            "Every expected finding must be reported; a reported finding must be expected or allowed.",
            "Authorities that do not exist on as_of carry history only and must not be reported.",
        ],
    }
    (out_dir / "manifest.json").write_text(json.dumps(manifest, indent=1, sort_keys=False) + "\n", encoding="utf-8")
    if not quiet:
        print(
            f"{len(triples):,} triples, {len(units)} units ({len(living)} existing on {as_of}), "
            f"{len(expected)} injected findings; {time.perf_counter() - began:.1f} s -> {out_dir}",
            file=sys.stderr,
        )
    return manifest


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0], formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--scale", type=float, required=True, help="1 = every authority once (about 1 million triples)")
    parser.add_argument("--out", type=Path, required=True, help="output folder")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    parser.add_argument(
        "--as-of",
        type=dt.date.fromisoformat,
        default=DEFAULT_AS_OF,
        help="the date the injected findings hold on (default %(default)s)",
    )
    parser.add_argument("--formats", default="nt,ttl", help="comma list of nt, ttl (default %(default)s)")
    parser.add_argument(
        "--no-law",
        action="store_true",
        help="do not merge the packaged data that names no authority (law, seed paragraphs, topics)",
    )
    args = parser.parse_args(argv)
    formats = [f.strip() for f in args.formats.split(",") if f.strip()]
    if not formats or set(formats) - {"nt", "ttl"}:
        parser.error("--formats takes nt, ttl or both")
    generate(args.scale, args.out, seed=args.seed, as_of=args.as_of, formats=formats, with_law=not args.no_law)
    return 0


if __name__ == "__main__":
    sys.exit(main())
