#!/usr/bin/env python3
"""Build ``data/sources.ttl``: the five seed documents and every paragraph of them that ecmgraph can cite.

Each seed document (a text file of the ``--seeds`` folder; the texts are not distributed with ecmgraph) becomes
an ``ecm:SourceDocument`` (``ecmid:source/seed000`` … ``seed004``) with its title, publisher, dates and rights as
far as the document itself states them. Each of its paragraphs becomes an ``ecm:SourceParagraph``
(``ecmid:source/seed003/3.5``) with ``dcterms:isPartOf`` the document, ``ecm:paragraphRef`` ("§3.5"),
``rdfs:label`` ("seed 003 §3.5") and ``ecm:excerpt`` (the first ~200 characters of its text). Paragraphs are
found in the text by a pattern per seed: the seeds number their paragraphs in five different ways (data/README.md
tabulates them).

    python scripts/build_sources.py --seeds DIR            # regenerate data/sources.ttl from the seed texts in DIR
    python scripts/build_sources.py --seeds DIR --check    # exit 1 if data/sources.ttl is out of date

Exit codes: 0 success (or up to date), 1 out of date, 3 a seed is missing or no longer has the expected shape.
"""

from __future__ import annotations

import argparse
import io
import re
import sys
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import Graph, Literal, URIRef
from rdflib.plugins.serializers.turtle import TurtleSerializer
from rdflib.term import Node

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_OUTPUT = ROOT / "data" / "sources.ttl"

# The write-or-check step the build scripts share (scripts/build_output.py), from this script's folder.
if str(ROOT / "scripts") not in sys.path:
    sys.path.append(str(ROOT / "scripts"))
# The vocabulary comes from the package (its closed ECM namespace rejects a misspelt term); from a checkout where
# ecmgraph is not installed, the package beside this script is used.
if str(ROOT) not in sys.path:
    sys.path.append(str(ROOT))
from build_output import write_or_check  # noqa: E402

from ecmgraph.namespaces import DCTERMS, ECM, ECMID, PROV, RDF, RDFS, SKOS, XSD  # noqa: E402

# The IRI ecmgraph.resources.packaged_iri gives the packaged file.
DATASET = URIRef("https://w3id.org/ecmgraph/data/sources.ttl")

EXCERPT_LENGTH = 200


class SeedFormatError(Exception):
    """A seed file is missing, or its text no longer has the shape this script expects."""


@dataclass(frozen=True)
class Paragraph:
    """One citable unit of a seed: its IRI key (after ``seedNNN/``), its reference as cited, and its text."""

    key: str
    ref: str
    text: str


@dataclass
class _Collector:
    """Paragraphs in document order; text may be appended to any paragraph already opened."""

    paragraphs: dict[str, tuple[str, list[str]]] = field(default_factory=dict)

    def open(self, key: str, ref: str) -> None:
        if key not in self.paragraphs:
            self.paragraphs[key] = (ref, [])

    def add(self, key: str, text: str) -> None:
        if text.strip():
            self.paragraphs[key][1].append(text.strip())

    def result(self) -> list[Paragraph]:
        return [Paragraph(key, ref, " ".join(parts)) for key, (ref, parts) in self.paragraphs.items()]


# --- seed 000: Cannock Chase Council, report of the Chief Executive to Council, 24 January 2007 ----------------
#
# A front page (§1.1–§3.3) and a body of Sections 1–12 that number their paragraphs again (§1.1 is both a front
# paragraph and, in principle, a body one): front paragraphs are "front-3.1", body ones "s8-8.5". Section 1 has
# no numbered paragraphs: its one item "1. Background" is "s1-1" ("Section 1 §1") and the paragraphs of that
# item are "s1-p1" … in order ("Section 1 ¶1"). Section 10 numbers its one
# paragraph "10." ("s10-10"). Unnumbered paragraphs elsewhere (front §3.2 runs on for three) belong to the
# numbered paragraph before them. Every section is also citable whole ("s1", "Section 1").

_S000_SECTION = re.compile(r"^\s*Section (\d+)\s*$")
_S000_NUMBERED = re.compile(r"^\s*(\d+)\.(\d+)\s+(\S.*)$")
_S000_HEADING = re.compile(r"^\s*(\d+)\.\s+(\S.*)$")
_S000_UNNUMBERED = re.compile(r"^ [A-Z]")


def paragraphs_000(lines: Sequence[str]) -> list[Paragraph]:
    """Seed 000's heading, front paragraphs, sections and body paragraphs."""
    out = _Collector()
    out.open("heading", "heading")
    current = "heading"
    section: int | None = None  # None on the front page
    unnumbered = 0
    item = "heading"
    for index, line in enumerate(lines):
        following = lines[index + 1] if index + 1 < len(lines) else ""
        if match := _S000_SECTION.match(line):
            section, unnumbered = int(match.group(1)), 0
            current = f"s{section}"
            out.open(current, f"Section {section}")
            continue
        if match := _S000_NUMBERED.match(line):
            number = f"{match.group(1)}.{match.group(2)}"
            current = f"front-{number}" if section is None else f"s{section}-{number}"
            out.open(current, f"front §{number}" if section is None else f"Section {section} §{number}")
            out.add(current, match.group(3))
            continue
        if match := _S000_HEADING.match(line):
            if section is not None and following.strip():
                # "10. At present elected members …" runs on: a paragraph numbered like a heading (Section 10).
                current = f"s{section}-{match.group(1)}"
                out.open(current, f"Section {section} §{match.group(1)}")
                out.add(current, match.group(2))
            elif section is not None:
                # A heading standing alone ("1. Background"): the item it opens is citable ("s1-1", "Section 1
                # §1") where its text is unnumbered paragraphs (Section 1); elsewhere it stays empty, and unused.
                out.open(f"s{section}-{match.group(1)}", f"Section {section} §{match.group(1)}")
                item = f"s{section}-{match.group(1)}"
            continue
        if section is not None and (current == f"s{section}" or current.startswith(f"s{section}-p")):
            # A section without numbered paragraphs (Section 1): each unnumbered paragraph is "¶n".
            if _S000_UNNUMBERED.match(line):
                unnumbered += 1
                current = f"s{section}-p{unnumbered}"
                out.open(current, f"Section {section} ¶{unnumbered}")
            out.add(item, line)
        out.add(current, line)
    paragraphs = out.result()
    # A whole section's text is that of its paragraphs, so that its excerpt is its opening.
    return [
        Paragraph(p.key, p.ref, " ".join(q.text for q in paragraphs if q.key.startswith(p.key + "-")))
        if re.fullmatch(r"s\d+", p.key)
        else p
        for p in paragraphs
    ]


# --- seed 001: Leicestershire County Council, Appendices A–C -------------------------------------------------
#
# Appendices A and B are tables whose first column is the paragraph number of the 2005 guidance they summarise
# (5.6 … in A, 4.4 … in B). A number repeats over several rows, and rows with no number belong to the number
# above: all of them make one paragraph ("appA-5.7", "App. A §5.7"). App. B §4.5 lists one Children Act 2004
# section per row, and each row is citable on its own ("appB-4.5-s11", "App. B §4.5 (s11 row)"). Appendix C
# quotes the LSCB Regulations 2006: its items (a)(i)–(vi) and (b)–(e) are citable ("appC-a-iv", "appC-b").

_S001_APPENDIX = re.compile(r"^APPENDIX ([ABC])\s*$")
_S001_NUMBER = re.compile(r"^\t(\d+\.\d+)\s*$")
_S001_EMPTY_CELL = re.compile(r"^\t\s*$")
_S001_TABLE_HEADINGS = {
    "Paragraph",
    "Responsibility",
    "Responsibilities",
    "Action Taken",
    "Action taken",
    "Future Action",
    "Functions and Services",
    "Leadership and Accountability",
    "Partnerships and Governance",
}
_S001_ACT_ROW = re.compile(r"Children Act\s+2004 Sections? ([0-9(), a-z]+?)\s*[–-]")
_S001_C_ROMAN = re.compile(r"^\((i|ii|iii|iv|v|vi)\)\s*(.*)$")
_S001_C_LETTER = re.compile(r"^\(([b-e])\)\s*(.*)$")


def _act_row_key(sections: str) -> tuple[str, str]:
    """ "11" -> ("s11", "s11"); "13, 14, 15 and 16" -> ("s13-16", "ss13–16"); "20(9)(d)" -> ("s20", "s20(9)(d)")."""
    numbers = re.findall(r"\d+", sections.split("(")[0])
    if len(numbers) > 1:
        return f"s{numbers[0]}-{numbers[-1]}", f"ss{numbers[0]}–{numbers[-1]}"
    return f"s{numbers[0]}", "s" + sections.strip()


def paragraphs_001(lines: Sequence[str]) -> list[Paragraph]:
    """Seed 001's appendices, their numbered paragraphs, the §4.5 rows, the notes and the items of App. C."""
    out = _Collector()
    appendix = ""
    current: str | None = None
    row_key: str | None = None
    for line in lines:
        if match := _S001_APPENDIX.match(line):
            appendix = match.group(1)
            out.open(f"app{appendix}", f"App. {appendix}")
            current, row_key = f"app{appendix}", None
            continue
        if not appendix:
            continue
        stripped = line.strip()
        if appendix == "C":
            if match := _S001_C_ROMAN.match(stripped):
                out.open("appC-a", "App. C (a)")
                current = f"appC-a-{match.group(1)}"
                out.open(current, f"App. C (a)({match.group(1)})")
                out.add(current, match.group(2))
                out.add("appC-a", stripped)
            elif match := _S001_C_LETTER.match(stripped):
                current = f"appC-{match.group(1)}"
                out.open(current, f"App. C ({match.group(1)})")
                out.add(current, match.group(2))
            elif stripped.startswith("‘To develop"):
                current = "appC-a"
                out.open(current, "App. C (a)")
                out.add(current, stripped.lstrip("‘"))
            out.add("appC", stripped)
            continue
        if match := _S001_NUMBER.match(line):
            current = f"app{appendix}-{match.group(1)}"
            out.open(current, f"App. {appendix} §{match.group(1)}")
            row_key = None
            continue
        if stripped == "RESPONSIBILITIES IDENTIFIED ELSEWHERE":
            current, row_key = "appA-elsewhere", None
            out.open(current, "App. A (responsibilities identified elsewhere)")
            continue
        if stripped == "Notes":
            current, row_key = f"app{appendix}-notes", None
            out.open(current, f"App. {appendix} notes")
            continue
        if _S001_EMPTY_CELL.match(line) or stripped in _S001_TABLE_HEADINGS or current is None:
            continue
        if current == "appB-4.5" and (match := _S001_ACT_ROW.match(stripped)):
            key, ref = _act_row_key(match.group(1))
            row_key = f"appB-4.5-{key}"
            out.open(row_key, f"App. B §4.5 ({ref} row)")
        if current != f"app{appendix}":  # not the appendix's title: a paragraph, a row, the notes
            out.add(current, stripped)
            if row_key is not None:
                out.add(row_key, stripped)
        out.add(f"app{appendix}", stripped)
    return out.result()


# --- seed 002: Nottinghamshire Children and Young People's Partnership Board, 21 January 2009 ----------------
#
# Paragraphs numbered 1–28 ("§17"), a heading (meeting, date, agenda item, author, title) and the signature.

_S002_NUMBERED = re.compile(r"^(\d+)\.\s+(\S.*)$")
_S002_HEADINGS = {
    "Purpose of report",
    "Information and advice",
    "Background",
    "Updated statutory guidance on Children's Trusts",
    "Key changes",
    "Action needed",
    "Consultation on the roles and responsibilities of the Lead Member for Children's Services and the Director "
    "of Children's Services",
    "Lead member",
    "Director of Children's Services",
    "Consultation questions",
    "RECOMMENDATION",
}


def paragraphs_002(lines: Sequence[str]) -> list[Paragraph]:
    """Seed 002's heading, numbered paragraphs and signature."""
    out = _Collector()
    out.open("heading", "heading")
    current = "heading"
    for line in lines:
        stripped = " ".join(line.split())
        if stripped in _S002_HEADINGS:
            continue
        if stripped == "ANTHONY MAY":
            current = "signature"
            out.open(current, "signature")
        elif match := _S002_NUMBERED.match(line):
            current = match.group(1)
            out.open(current, f"§{current}")
            stripped = match.group(2)
        out.add(current, stripped)
    return out.result()


# --- seed 003: DCSF statutory guidance (2009) ---------------------------------------------------------------
#
# Paragraphs 1.1–4.5 ("**3.44**" or "- 3.5**"), which run on across page breaks, round the footnotes; footnotes
# 1–35 ("fn10", "fn 10"); Appendix 1 (sections 18 and 19 of the Children Act 2004: "app1", "app1-s18",
# "app1-s19"); Appendix 2 ("app2"); the cover (title) and the back cover (reference, ISBN, copyright).

_S003_NUMBERED = re.compile(r"^\s*(?:-\s*)?(?:\*\*)?(\d\.\d+)\*\*\s*(.*)$")
_S003_FOOTNOTE = re.compile(r"^<sup>(\d+)</sup>\s*(.*)$")
_S003_HEADING = re.compile(r"^#+\s*(.*)$")


def paragraphs_003(lines: Sequence[str]) -> list[Paragraph]:
    """Seed 003's cover, numbered paragraphs, footnotes, appendices and back cover."""
    out = _Collector()
    out.open("cover", "cover")
    current: str | None = "cover"
    for line in lines:
        stripped = line.strip()
        if stripped.startswith("<b>") or stripped == "---":
            continue  # the table of contents; a rule before Appendix 1's footnote
        if match := _S003_FOOTNOTE.match(stripped):
            key = f"fn{match.group(1)}"
            out.open(key, f"fn {match.group(1)}")
            out.add(key, match.group(2))
            if current == "app1" or (current or "").startswith("app1-"):
                out.add("app1", stripped)
            continue
        if match := _S003_HEADING.match(stripped):
            title = match.group(1).strip("*: ")
            if current == "cover" and title not in ("Contents",) and not title.startswith("Section"):
                out.add("cover", title)
            if title.startswith("Appendix 1"):
                current = "app1"
                out.open(current, "App. 1")
            elif title.startswith("Appendix 2"):
                current = "app2"
                out.open(current, "App. 2")
            elif current is not None and current.startswith("app1") and title.startswith("Section 1"):
                number = title.split()[1].rstrip(":")
                current = f"app1-s{number}"
                out.open(current, f"App. 1 s{number}")
                out.add(current, title)
                out.add("app1", title)
            elif current == "app2":
                out.add("app2", title)
            elif title == "Contents":
                current = None
            continue
        if match := _S003_NUMBERED.match(stripped):
            current = match.group(1)
            out.open(current, f"§{current}")
            out.add(current, match.group(2))
            continue
        if stripped.startswith("You can download this publication"):
            current = "back-cover"
            out.open(current, "back cover")
        if current is None:
            continue
        out.add(current, stripped)
        if current.startswith("app1-"):
            out.add("app1", stripped)
    return out.result()


# --- seed 004: Rochford District Council, 2005, and the letter of 11 February 2005 (its Appendix 1) ----------
#
# The report's paragraphs 1.1–5.1 ("§2.3"), its title, signature, background papers and contact; then the letter
# (Appendix 1, §2.3): its date and address, its body paragraphs in order ("app1-p1", "App. 1 ¶1"), the IDeA's
# letterhead, the signatures, and the note on the enclosed map.

_S004_NUMBERED = re.compile(r"^(?:-\s*)?(\d+\.\d+)\s+(\S.*)$")
_S004_SECTION = re.compile(r"^\d+ [A-Z ]+$")


def _blocks(lines: Iterable[str]) -> Iterator[list[str]]:
    """Runs of non-blank lines."""
    block: list[str] = []
    for line in lines:
        if line.strip():
            block.append(line.strip())
        elif block:
            yield block
            block = []
    if block:
        yield block


def paragraphs_004(lines: Sequence[str]) -> list[Paragraph]:
    """Seed 004's report paragraphs and the paragraphs of the letter in its Appendix 1."""
    out = _Collector()
    letter_start = next((i for i, line in enumerate(lines) if line.strip() == "11th February 2005"), None)
    if letter_start is None:
        raise SeedFormatError("seed 004: the letter dated 11th February 2005 was not found")
    out.open("heading", "heading")
    current = "heading"
    for line in lines[:letter_start]:
        stripped = line.strip()
        if not stripped or _S004_SECTION.match(stripped):
            continue
        if match := _S004_NUMBERED.match(stripped):
            current = match.group(1)
            out.open(current, f"§{current}")
            stripped = match.group(2)
        elif stripped == "Roger Crofts":
            current = "signature"
            out.open(current, "signature")
        elif stripped.startswith("Background Papers"):
            current = "background-papers"
            out.open(current, "background papers")
        elif stripped.startswith("For further information"):
            current = "contact"
            out.open(current, "contact")
        out.add(current, stripped)

    out.open("app1", "App. 1")
    body = 0
    carry: list[str] = []
    for block in _blocks(lines[letter_start:]):
        text = " ".join(block)
        out.add("app1", text)
        first = block[0]
        if first == "11th February 2005" or first.startswith("Mr Paul Warren"):
            key, ref = "app1-address", "App. 1 date and address"
        elif first.startswith(("Dear ", "East of England Children", "continued", "page ")):
            continue  # salutation, subject line, page furniture
        elif first.startswith("Improvement and Development Agency") or first.startswith("Executive Director:"):
            key, ref = "app1-letterhead", "App. 1 letterhead"
        elif first.startswith(("Yours sincerely", "Councillor Lawrence Patterson", "Executive Member", "Regional")):
            key, ref = "app1-signatures", "App. 1 signatures"
        elif first.startswith("These locations are nearest"):
            key, ref = "app1-map-note", "App. 1 map note"
        else:
            carry.append(text)
            if text.endswith(":"):
                continue  # "… will take place on:" runs on into the next block
            body += 1
            key, ref = f"app1-p{body}", f"App. 1 ¶{body}"
            text = " ".join(carry)
            carry = []
        out.open(key, ref)
        out.add(key, text)
    return out.result()


# --- the documents ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class SeedDocument:
    """What each seed document states about itself, and how to find its paragraphs."""

    seed: str  # "000"
    file: str
    title: str
    description: str
    publisher: URIRef
    rights: str
    paragraphs: Callable[[Sequence[str]], list[Paragraph]]
    statutory_guidance: bool = False
    date: Literal | None = None  # dcterms:date: the meeting the document was written for
    issued: Literal | None = None  # dcterms:issued: only where the document states it
    identifiers: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()


_NO_LICENCE = (
    "The document states no licence or reuse terms. It is a public-sector (local government) document, made "
    "public by its publisher; no open licence is asserted for it here."
)

SEEDS: tuple[SeedDocument, ...] = (
    SeedDocument(
        seed="000",
        file="000_da9f827a7016b7bf.txt",
        title="Appointment of an Elected Member for Children's Services",
        description=(
            "Cannock Chase Council: report of the Chief Executive to Council, 24 January 2007, on appointing an "
            "elected member as the Council's champion for children's services in the District, with the "
            "background of Staffordshire Children's Trust and the Locality Boards."
        ),
        publisher=ECMID["authority/E07000192"],
        rights=_NO_LICENCE,
        paragraphs=paragraphs_000,
        date=Literal("2007-01-24", datatype=XSD.date),
        notes=("dcterms:date is the date of the Council meeting the report was written for (its heading).",),
    ),
    SeedDocument(
        seed="001",
        file="001_d816d18687dce49c.txt",
        title=(
            "Responsibilities of the Lead Member for Children and Young People's Services, of the Director of "
            "Children and Young People's Service and of the Local Safeguarding Children Board (Appendices A–C)"
        ),
        description=(
            "Leicestershire County Council: three appendices setting the responsibilities in the 2005 statutory "
            "guidance (paragraph by paragraph) against the action taken and the action to come."
        ),
        publisher=ECMID["authority/E10000018"],
        rights=_NO_LICENCE,
        paragraphs=paragraphs_001,
        notes=(
            "The document is undated and names no report or meeting; its publisher is given by the notes that came "
            'with the seed texts (its text says "LCC" and "County Council").',
        ),
    ),
    SeedDocument(
        seed="002",
        file="002_d00170b69079b3f2.txt",
        title="Statutory Guidance on Children's Trusts",
        description=(
            "Report of the Corporate Director for Children and Young People's Services to the Nottinghamshire "
            "Children and Young People's Partnership Board, 21 January 2009 (agenda item 5), on the updated "
            "statutory guidance on Children's Trusts (2008) and the consultation on the draft guidance on the "
            "roles of the Lead Member and the Director of Children's Services."
        ),
        publisher=ECMID["body/E10000024/ctb"],
        rights=_NO_LICENCE,
        paragraphs=paragraphs_002,
        date=Literal("2009-01-21", datatype=XSD.date),
        notes=("dcterms:date is the date of the Board meeting the report was written for (its heading).",),
    ),
    SeedDocument(
        seed="003",
        file="003_d41f3be8f1f7a191.txt",
        title=(
            "The Roles and Responsibilities of the Lead Member for Children's Services and the Director of "
            "Children's Services"
        ),
        description=(
            "DCSF statutory guidance issued under sections 18(7) and 19(2) of the Children Act 2004 (§1.12), "
            "replacing the 2005 guidance (§1.14), with sections 18 and 19 of the Act in its Appendix 1."
        ),
        publisher=ECMID["org/dcsf"],
        rights=(
            "© Crown copyright 2009. Extracts from this document may be reproduced for non-commercial research, "
            "education or training purposes on the condition that the source is acknowledged. For any other use "
            "please contact licensing@opsi.gsi.gov.uk (the document's back cover). Crown copyright, but the "
            "document states no open licence: the Open Government Licence is not asserted for it here."
        ),
        paragraphs=paragraphs_003,
        statutory_guidance=True,
        issued=Literal("2009", datatype=XSD.gYear),
        identifiers=("DCSF-00686-2009", "ISBN 978-1-84775-485-1"),
        notes=("dcterms:issued is the year of the document's Crown copyright notice (its back cover).",),
    ),
    SeedDocument(
        seed="004",
        file="004_f56cb7e10c2cf65a.txt",
        title="East of England Children's Services Member Network",
        description=(
            "Rochford District Council: report of the Corporate Director (Finance & External Services) asking "
            "Members whether to join the East of England Children's Services Member Network, with (Appendix 1) "
            "the letter of 11 February 2005 from Luton Borough Council and the Improvement and Development Agency "
            "inviting the Council to nominate members to its first meeting."
        ),
        publisher=ECMID["authority/E07000075"],
        rights=_NO_LICENCE,
        paragraphs=paragraphs_004,
        notes=(
            "The report itself is undated; the letter in its Appendix 1 is dated 11 February 2005 and asks for "
            "nominations by the end of February 2005.",
        ),
    ),
)


def document_iri(seed: str) -> URIRef:
    """``ecmid:source/seed003``."""
    return ECMID[f"source/seed{seed}"]


def paragraph_iri(seed: str, key: str) -> URIRef:
    """``ecmid:source/seed003/3.5``."""
    return ECMID[f"source/seed{seed}/{key}"]


def excerpt(text: str, length: int = EXCERPT_LENGTH) -> str:
    """The opening of a paragraph's text: no markup, no telephone or e-mail, cut at a word and marked "…" if cut."""
    text = re.sub(r"<sup>\d+</sup>", "", text)
    text = re.sub(r"\*+|</?b>", "", text)
    text = re.sub(r"\[([^\]]*)\]\((?:https?|mailto):[^)]*\)", r"\1", text)  # [label](link) -> label
    # Telephone numbers and e-mail addresses (of named officers, in seeds 002 and 004) stay in the seed texts.
    text = re.sub(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+", "[e-mail]", text)
    text = re.sub(r"\b0\d{2,4}(?: ?\d){6,8}\b", "[telephone]", text)
    text = " ".join(text.split())
    if len(text) <= length:
        return text
    cut = text[:length]
    if " " in cut:
        cut = cut[: cut.rindex(" ")]
    return cut.rstrip(" ,;:–-") + " …"


def read_seed(seeds: Path, document: SeedDocument) -> list[Paragraph]:
    """The paragraphs of one seed document, in document order. Raises SeedFormatError."""
    path = seeds / document.file
    if not path.is_file():
        raise SeedFormatError(f"seed {document.seed}: {path} not found")
    lines = path.read_text(encoding="utf-8").splitlines()
    paragraphs = [p for p in document.paragraphs(lines) if p.text]
    keys = [p.key for p in paragraphs]
    if len(set(keys)) != len(keys):
        raise SeedFormatError(f"seed {document.seed}: a paragraph key repeats")
    for key in EXPECTED_KEYS[document.seed]:
        if key not in keys:
            raise SeedFormatError(f"seed {document.seed}: paragraph {key!r} not found; has the text changed?")
    return paragraphs


#: Paragraphs each seed must yield: a guard against a pattern that silently stops matching.
EXPECTED_KEYS: dict[str, tuple[str, ...]] = {
    "000": (
        "heading",
        "front-1.1",
        "front-3.2",
        "front-3.3",
        "s1",
        "s1-1",
        "s1-p8",
        "s1-p12",
        "s8-8.5",
        "s10-10",
        "s12-12.1",
    ),
    "001": (
        "appA",
        "appA-5.6",
        "appA-5.14",
        "appA-elsewhere",
        "appA-notes",
        "appB-4.4",
        "appB-4.5-s10",
        "appB-4.5-s11",
        "appB-4.5-s12",
        "appB-4.5-s13-16",
        "appB-4.5-s17",
        "appB-4.5-s20",
        "appB-4.14",
        "appB-4.21",
        "appB-notes",
        "appC",
        "appC-a",
        "appC-a-vi",
        "appC-e",
    ),
    "002": ("heading", "1", "17", "28", "signature"),
    "003": (
        "cover",
        "1.1",
        "2.17",
        "3.5",
        "3.17",
        "3.44",
        "4.5",
        "fn1",
        "fn10",
        "fn35",
        "app1",
        "app1-s18",
        "app1-s19",
        "app2",
        "back-cover",
    ),
    "004": (
        "heading",
        "1.1",
        "2.3",
        "5.1",
        "signature",
        "contact",
        "app1",
        "app1-address",
        "app1-p1",
        "app1-p12",
        "app1-letterhead",
        "app1-signatures",
    ),
}


def _english(text: str) -> Literal:
    return Literal(text, lang="en")


def sources_graph(seeds: Path) -> tuple[Graph, dict[URIRef, int]]:
    """The graph of the five documents and their paragraphs, and each subject's rank in reading order."""
    graph = Graph()
    for prefix, namespace in (
        ("ecm", ECM),
        ("dcterms", DCTERMS),
        ("prov", PROV),
        ("rdfs", RDFS),
        ("skos", SKOS),
        ("xsd", XSD),
        ("source", ECMID["source/"]),
        ("authority", ECMID["authority/"]),
        ("body", ECMID["body/"]),
        ("org-id", ECMID["org/"]),
    ):
        graph.bind(prefix, namespace, override=True, replace=True)
    for document in SEEDS:
        graph.bind(f"seed{document.seed}", ECMID[f"source/seed{document.seed}/"], override=True, replace=True)
    order: dict[URIRef, int] = {DATASET: 0}
    # The publishers (authorities, the DCSF) and seed 003's statutory basis are described elsewhere in data/
    # (england.ttl, law.ttl): here only what each document states about itself.
    graph.add((DATASET, RDF.type, PROV.Entity))
    graph.add((DATASET, DCTERMS.title, _english("The seed documents of ecmgraph and their paragraphs")))
    graph.add(
        (
            DATASET,
            DCTERMS.description,
            _english(
                "The five public documents ecmgraph was built from, and every paragraph of them that the ontology, "
                "shapes, data and queries can cite, each with an excerpt of its opening words; generated from "
                "the seed texts by scripts/build_sources.py."
            ),
        )
    )
    for document in SEEDS:
        doc = document_iri(document.seed)
        order[doc] = len(order)
        graph.add((DATASET, PROV.wasDerivedFrom, doc))
        graph.add((doc, RDF.type, ECM.SourceDocument))
        if document.statutory_guidance:
            graph.add((doc, RDF.type, ECM.StatutoryGuidance))
        graph.add((doc, RDFS.label, _english(f"seed {document.seed}")))
        graph.add((doc, DCTERMS.title, _english(document.title)))
        graph.add((doc, DCTERMS.description, _english(document.description)))
        graph.add((doc, DCTERMS.publisher, document.publisher))
        graph.add((doc, DCTERMS.rights, _english(document.rights)))
        graph.add((doc, ECM.seedFile, Literal(document.file)))
        if document.date is not None:
            graph.add((doc, DCTERMS.date, document.date))
        if document.issued is not None:
            graph.add((doc, DCTERMS.issued, document.issued))
        for identifier in document.identifiers:
            graph.add((doc, DCTERMS.identifier, Literal(identifier)))
        for note in document.notes:
            graph.add((doc, SKOS.note, _english(note)))
        for paragraph in read_seed(seeds, document):
            node = paragraph_iri(document.seed, paragraph.key)
            order[node] = len(order)
            graph.add((node, RDF.type, ECM.SourceParagraph))
            if document.statutory_guidance:
                graph.add((node, RDF.type, ECM.GuidanceParagraph))
            graph.add((node, DCTERMS.isPartOf, doc))
            graph.add((node, ECM.paragraphRef, Literal(paragraph.ref)))
            graph.add((node, RDFS.label, _english(f"seed {document.seed} {paragraph.ref}")))
            graph.add((node, ECM.excerpt, Literal(excerpt(paragraph.text))))
    return graph, order


HEADER = """\
# The seed documents and their paragraphs: GENERATED, do not edit by hand.
#
# Generated by scripts/build_sources.py from the seed texts (the files data/README.md lists). Regenerate:
# python scripts/build_sources.py --seeds DIR    Verify it is in step: python scripts/build_sources.py --seeds DIR --check
#
# Every paragraph IRI here names a graph of the seed authority data (data/seed/*.trig): the triples that
# paragraph supports. ecm:excerpt is the opening of the paragraph's text, for finding it in the document.

"""


def render(graph: Graph, order: dict[URIRef, int]) -> str:
    """The graph as Turtle in document order, with the generated-file header: same input, same bytes."""

    def reading_order(subject: Node) -> tuple[int, str]:
        return order.get(subject, len(order)), str(subject)  # type: ignore[call-overload]

    class _Ordered(TurtleSerializer):
        def orderSubjects(self) -> list[Node]:
            return sorted(super().orderSubjects(), key=reading_order)

    stream = io.BytesIO()
    _Ordered(graph).serialize(stream, encoding="utf-8")
    return HEADER + stream.getvalue().decode("utf-8").rstrip("\n") + "\n"


def build(seeds: Path) -> str:
    """The Turtle text of data/sources.ttl for the seed folder. Raises SeedFormatError."""
    return render(*sources_graph(seeds))


def main(argv: Sequence[str] | None = None) -> int:
    """Regenerate data/sources.ttl, or with --check say whether it is in step with the seeds."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--seeds", type=Path, required=True, help="the folder of the source documents' texts (000_….txt …)"
    )
    parser.add_argument(
        "-o", "--output", type=Path, default=DEFAULT_OUTPUT, help="the Turtle file (default: %(default)s)"
    )
    parser.add_argument("--check", action="store_true", help="write nothing; exit 1 if the output is out of date")
    args = parser.parse_args(argv)
    try:
        text = build(args.seeds)
    except SeedFormatError as error:
        print(f"Error: {error}", file=sys.stderr)
        return 3
    return write_or_check(
        args.output, text, check=args.check, source=args.seeds, command="python scripts/build_sources.py"
    )


if __name__ == "__main__":
    sys.exit(main())
