"""``docs/rules.md``, the rules reference, generated from the shapes (``python -m ecmgraph.render.rulesdoc``).

The rules' titles, levels, in-force dates, sources, and each shape's finding, focus, check and message come from
the packaged shapes, the same catalogue ``ecmgraph rules`` prints; the names of the classes a shape focuses on
from the ontology; the titles of the legislation from ``data/law.ttl`` and of the source documents ("seed 003")
from ``data/sources.ttl``. Nothing here restates a rule: edit the shapes, then regenerate.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass

import rdflib
from rdflib.namespace import DCTERMS, RDFS, SH

from ecmgraph import resources
from ecmgraph.namespaces import ECM, ECMID, ECMSH, LEG, PREFIXES, legislation_url
from ecmgraph.render.reports import cite
from ecmgraph.validation import EARLIEST_AS_OF, Rule, load_catalogue, load_shapes
from ecmgraph.words import counted

#: The command that writes the reference, as the file and the test name it.
COMMAND = "python -m ecmgraph.render.rulesdoc > docs/rules.md"

_SEED = re.compile("^" + re.escape(str(ECMID)) + r"source/(seed\d{3})(?:/.*)?$")
#: An example of a seed paragraph's IRI, for the text.
_PARAGRAPH = f"{ECMID}source/seed003/3.5"


@dataclass(frozen=True)
class SourceDocument:
    """One of the seed documents, as ``data/sources.ttl`` describes it."""

    key: str  # "seed003"
    label: str  # "seed 003"
    title: str
    file: str
    date: str
    identifiers: tuple[str, ...]
    description: str

    @property
    def anchor(self) -> str:
        """The anchor of its heading (``#seed-003``)."""
        return self.label.replace(" ", "-")


def source_documents(graph: rdflib.Graph) -> dict[str, SourceDocument]:
    """The seed documents of a graph holding ``data/sources.ttl``, by key (``seed003``), in order."""
    out: dict[str, SourceDocument] = {}
    for node in sorted(graph.subjects(rdflib.RDF.type, ECM.SourceDocument), key=str):
        match = _SEED.match(str(node))
        if match is None:
            continue
        date = graph.value(node, DCTERMS.date) or graph.value(node, DCTERMS.issued)
        out[match[1]] = SourceDocument(
            key=match[1],
            label=str(graph.value(node, RDFS.label) or match[1]),
            title=str(graph.value(node, DCTERMS.title) or ""),
            file=str(graph.value(node, ECM.seedFile) or ""),
            date=str(date) if date is not None else "undated",
            identifiers=tuple(sorted(str(i) for i in graph.objects(node, DCTERMS.identifier))),
            description=str(graph.value(node, DCTERMS.description) or ""),
        )
    return out


def _compact(iri: str) -> str:
    """``ecm:ChildrensServicesAuthority``: an IRI with its prefix from :data:`ecmgraph.namespaces.PREFIXES`."""
    for prefix, namespace in PREFIXES.items():
        if iri.startswith(namespace):
            return f"{prefix}:{iri[len(namespace) :]}"
    return f"<{iri}>"


def shape_focus(shapes: rdflib.Graph, ontology: rdflib.Graph) -> dict[str, str]:
    """What each shape's results are about, in words: ``each children's services authority (`ecm:…`)``."""

    def label(iri: rdflib.term.Node) -> str | None:
        value = ontology.value(iri, RDFS.label)
        return str(value) if value is not None else None

    out: dict[str, str] = {}
    for node in set(shapes.subjects(DCTERMS.identifier, None)):
        holders = [node, *shapes.subjects(SH.property, node)]
        parts: list[str] = []
        for holder in holders:
            for cls in sorted(shapes.objects(holder, SH.targetClass), key=str):
                name = label(cls)
                parts.append(f"each {name} (`{_compact(str(cls))}`)" if name else f"each `{_compact(str(cls))}`")
            for prop in sorted(shapes.objects(holder, SH.targetObjectsOf), key=str):
                name = label(prop)
                what = f"each {name} (any object of `{_compact(str(prop))}`)"
                parts.append(what if name else f"each object of `{_compact(str(prop))}`")
            for prop in sorted(shapes.objects(holder, SH.targetSubjectsOf), key=str):
                parts.append(f"each subject of `{_compact(str(prop))}`")
            for target in sorted(shapes.objects(holder, SH.targetNode), key=str):
                parts.append(f"`{_compact(str(target))}`")
        out[str(node)] = " and ".join(parts) if parts else "no declared target"
    return out


def legislation_titles(law: rdflib.Graph, iris: Iterable[str]) -> dict[str, str]:
    """The label ``data/law.ttl`` gives each legislation IRI (the IRI itself when it has none)."""
    return {iri: str(law.value(rdflib.URIRef(iri), RDFS.label) or iri) for iri in iris}


def _md(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def citations(iris: Sequence[str], documents: Mapping[str, SourceDocument], *, markdown: bool = True) -> str:
    """Sources as readable citations, linked: each provision to legislation.gov.uk; the paragraphs of a seed
    document together, after the document linked to its entry below (``seed 003 §1.2, §3.15``). Not
    ``markdown``: plain text, each provision followed by its page on legislation.gov.uk in brackets."""
    out: list[str] = []
    seeds: dict[str, list[str]] = {}
    for iri in iris:
        text = cite(iri)
        seed = _SEED.match(iri)
        if seed:
            if seed[1] not in seeds:
                seeds[seed[1]] = []
                out.append(seed[1])  # a placeholder, filled below
            document = documents.get(seed[1])
            label = document.label if document else seed[1]
            seeds[seed[1]].append(text.removeprefix(label).strip())
        elif iri.startswith(str(LEG)):
            out.append(f"[{text}]({iri})" if markdown else f"{text} ({legislation_url(iri)})")
        else:
            out.append(text)
    for i, item in enumerate(out):
        if item in seeds:
            document = documents.get(item)
            head = f"[{document.label}](#{document.anchor})" if document and markdown else item
            head = document.label if document and not markdown else head
            paragraphs = ", ".join(p for p in seeds[item] if p)
            out[i] = f"{head} {paragraphs}".strip()
    return "; ".join(out)


def _level(rule: Rule) -> str:
    if rule.in_force_from is None:
        return f"{rule.level} on every date from {EARLIEST_AS_OF.isoformat()}"
    before = f"{rule.severity_before} before that day" if rule.severity_before else "not checked before that day"
    return f"{rule.level} from {rule.in_force_from.isoformat()}; {before}"


def render_reference(
    rules: Mapping[str, Rule],
    focus: Mapping[str, str],
    documents: Mapping[str, SourceDocument],
    legislation: Mapping[str, str],
) -> str:
    """The rules reference (``docs/rules.md``) for ``rules``, with each shape's ``focus``, the seed ``documents``
    and the ``legislation`` titles the rules cite."""
    intro = INTRO.strip().format(
        command=COMMAND, count=len(rules), earliest=EARLIEST_AS_OF.isoformat(), shapes=str(ECMSH)
    )
    out = [intro, ""]
    out += ["## The rules", "", "| rule | title | level | in force from | findings |", "|---|---|---|---|---|"]
    for r in rules.values():
        kinds = [s.kind for s in r.shapes]
        findings = ", ".join(counted(kinds.count(k), k) for k in ("breach", "gap") if k in kinds)
        since = (
            f"{r.in_force_from.isoformat()} ({r.severity_before or 'not checked'} before)"
            if r.in_force_from
            else EARLIEST_AS_OF.isoformat()
        )
        out.append(f"| [{r.id}](#{r.id.lower()}) | {_md(r.title)} | {r.level} | {since} | {findings} |")
    for r in rules.values():
        out += ["", f"### {r.id}", "", f"**{r.title}**", ""]
        out.append(f"- **Level:** {_level(r)}.")
        out.append(f"- **Sources:** {citations(r.sources, documents)}.")
        out.append(f"- **Statute its findings cite:** {citations(r.statute, documents)}.")
        out.append(f"- **Example:** `ecmgraph validate --explain {r.id}` prints a graph that breaks it and the fix.")
        out.append("- **Shapes:**")
        for shape in r.shapes:
            name = shape.iri.rsplit("#", 1)[-1]
            severity = "" if shape.severity == r.level else f", at {shape.severity}"
            out.append(
                f"  - `ecmsh:{name}`: a **{shape.kind}**{severity}, about {focus.get(shape.iri, 'its focus')}. "
                f"{shape.description}"
            )
            if shape.sources != r.sources:
                out.append(f"    Sources: {citations(shape.sources, documents)}.")
            if shape.message:
                out.append(f"    It says: “{shape.message}”")
    cited_seeds = _cited_by(rules, lambda iri: m[1] if (m := _SEED.match(iri)) else None)
    out += ["", SOURCES_INTRO.strip().format(paragraph=_PARAGRAPH)]
    for key, document in documents.items():
        out += ["", f"### {document.label}", ""]
        ids = f"; {', '.join(document.identifiers)}" if document.identifiers else ""
        line = f"*{document.title}* (file `{document.file}`; {document.date}{ids}). {document.description}"
        citing = cited_seeds.get(key)
        line += f" Cited by {_rule_links(citing)}." if citing else " No rule cites it; the data does."
        out.append(line)
    cited_law = _cited_by(rules, lambda iri: iri if iri.startswith(str(LEG)) else None, statute=True)
    out += ["", LEGISLATION_INTRO.strip(), "", "| cited as | provision | rules |", "|---|---|---|"]
    for iri in sorted(cited_law, key=_natural):
        title = legislation.get(iri, iri)
        out.append(f"| {_md(cite(iri))} | [{_md(title)}]({iri}) | {_rule_links(cited_law[iri])} |")
    return "\n".join(out) + "\n"


def _natural(text: str) -> str:
    return re.sub(r"\d+", lambda m: m.group().zfill(6), text)


def _cited_by(
    rules: Mapping[str, Rule], key: Callable[[str], str | None], *, statute: bool = False
) -> dict[str, list[str]]:
    """For each source key (a seed, a provision) the rules citing it, in id order; with ``statute``, the provisions
    their findings cite count too."""
    out: dict[str, list[str]] = {}
    for r in rules.values():
        for s in (*r.sources, *r.statute) if statute else r.sources:
            k = key(s)
            if k is not None and r.id not in out.setdefault(k, []):
                out[k].append(r.id)
    return out


def _rule_links(ids: Sequence[str]) -> str:
    return ", ".join(f"[{i}](#{i.lower()})" for i in ids)


def rules_reference() -> str:
    """The reference for the packaged shapes, ontology and data: what ``docs/rules.md`` holds."""
    catalogue = load_catalogue()
    ontology = rdflib.Graph().parse(resources.ontology_path(), format="turtle")
    sources = rdflib.Graph().parse(resources.data_dir() / "sources.ttl", format="turtle")
    law = rdflib.Graph().parse(resources.data_dir() / "law.ttl", format="turtle")
    cited = {s for r in catalogue.rules.values() for s in (*r.sources, *r.statute)}
    return render_reference(
        catalogue.rules,
        shape_focus(load_shapes(), ontology),
        source_documents(sources),
        legislation_titles(law, sorted(cited)),
    )


INTRO = """
# The statutory rules ecmgraph checks

GENERATED from the shapes (`shapes/ecm-rules.ttl`), with the titles of the legislation and of the source
documents from `data/law.ttl` and `data/sources.ttl`; a test keeps it in step. Edit the shapes, not this file,
and regenerate it:

```
{command}
```

`ecmgraph validate` checks data against these {count} rules, ECM001 to ECM027, and every result it reports
carries its rule's id, its level, whether it is a breach or a gap, a message and the rule's sources;
`--rule ID` and `--ignore ID` choose rules by id. `ecmgraph rules` prints the same catalogue (`--format json`
for programs). The rules come from the Children Act 2004 and the orders that brought its sections 18 and 19
into force, the other Acts and regulations the guidance rests on, and the statutory guidance on the roles of
the Lead Member for Children's Services and the Director of Children's Services (2009, [seed 003](#seed-003));
`shapes/README.md` says how they are written in SHACL.

## How to read a rule

- **Level.** Levels follow the wording of the source: `Violation` where it says an authority *must* (an Act, a
  regulation or the statutory guidance), `Warning` where the statutory guidance says it *should* (authorities
  must have regard to it), `Info` for a point worth knowing. A few rules the two roles rest on are checked as
  Violations where the guidance says *should*; their messages quote its words. A rule's level is that of its
  most severe shape; a shape at another level says so.
  `ecmgraph validate --fail-on LEVEL` exits with code 1 when a result at or above that level is reported.
- **In force.** A rule with a date applies in full from that day; before it, it is checked at the level given
  for the time before (Info). Every other rule applies on every date from {earliest}, the day the Children Act
  2004 received Royal Assent, the earliest date `--as-of` accepts. Validating as at a date (`--as-of DATE`,
  default today) applies the rules, and the levels, in force that day.
- **Breach or gap.** A *breach* is something the data records that contradicts the rule (a recorded vacancy in
  the Director of Children's Services post, two posts where the law allows one); a *gap* is something the rule
  needs that the data does not record. Unknown is not vacant: a post whose holder the data does not record is a
  gap, never a vacancy.
- **Shapes.** A rule has one SHACL shape for each situation it reports (`ecmsh:` is
  `{shapes}`). Each says what its results are about (its focus: an authority, a post, a
  person, a board), what it checks, and what it says: `{{?authorityLabel}}`, `{{?postLabel}}`, `{{?personLabel}}`
  and the like in a message are filled in with the names of the authority, post or person concerned (`{{$this}}`
  and `{{?value}}` with those of the focus and the value found), `{{$asOf}}` with the date validated as at. Every
  message says what is wrong, where and since when, cites the statute with its page on legislation.gov.uk (for
  a rule resting on the statutory guidance, the section under which authorities must have regard to it), and
  ends with the fix: what to add to or change in the data.
- **Examples.** `ecmgraph validate --explain ECM001` (or `--explain 1`) prints a rule with a small graph that
  breaks it, the finding that graph gives, and the graph corrected, which gives none; the graphs are
  `shapes/examples/ECM001-breaks.trig` and `ECM001-fixed.trig`, one pair a rule.
- **Sources.** Legislation is cited as "Children Act 2004 s18(1)" (section 18, subsection 1) or "SI 2007/1792"
  (a statutory instrument), each linked to legislation.gov.uk and listed, with its full title,
  [at the end](#legislation-cited). A source document is cited by its number and paragraph: "seed 003 §3.5" is
  paragraph 3.5 of seed 003, "fn 34" its footnote 34, "App. 1" its Appendix 1; the five seed documents are
  [listed below](#the-source-documents) with their titles and files.
"""

SOURCES_INTRO = """
## The source documents

ecmgraph was built from five public documents, the *seed documents*, numbered 000 to 004 by the name of their
file; the rules cite them as "seed 003 §3.5". `data/README.md` describes them and how each numbers its
paragraphs (seed 000's front page and body, seed 001's appendices), and `data/sources.ttl` records each document
with every paragraph that can be cited and its opening words (`ecm:excerpt`): a citation such as "seed 003 §3.5"
is the `rdfs:label` of the paragraph `{paragraph}`. The texts of the
documents are not distributed with ecmgraph.
"""

LEGISLATION_INTRO = """
## Legislation cited

Each provision the rules cite, by its legislation.gov.uk identifier, with the title `data/law.ttl` records for
it.
"""


def main(argv: Sequence[str] | None = None) -> int:
    """``python -m ecmgraph.render.rulesdoc``: print docs/rules.md generated from the shapes."""
    args = list(sys.argv[1:] if argv is None else argv)
    if args:
        print(f"usage: {COMMAND}", file=sys.stderr)
        return 2
    sys.stdout.write(rules_reference())
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
