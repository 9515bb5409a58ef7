"""The repository's documents stand alone: README.md, the other Markdown files and every command's --help.

(a) Every file they name exists in the repository, and none names a developer's file outside it (QUESTIONS.md,
RULES.md, DESIGN.md, ../shared/). (b) Every ``ecmgraph …`` command line in README.md's code blocks runs, with
the exit code the README gives it, in a scratch folder that holds the example inputs it names (`my-authority.ttl`
and the like); those with ``--endpoint`` run against a real Oxigraph server (slow). (c) What the README states
about the output (its sample report, the number of rules, the JSON keys, the in-force dates, the exit codes,
labels that name the same authority) is checked against what ecmgraph does.
"""

from __future__ import annotations

import fnmatch
import functools
import json
import re
import shlex
import shutil
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

import click
import pytest
from click.testing import CliRunner, Result

from ecmgraph.cli import cli
from ecmgraph.validation import load_catalogue

ROOT = Path(__file__).resolve().parents[1]
README = ROOT / "README.md"
FIXTURES = Path(__file__).parent / "fixtures"
#: The README's example endpoint; the endpoint tests put a real server's URL in its place.
EXAMPLE_ENDPOINT = "http://localhost:7878/query"

#: Names of the developers' own documents, which live outside the repository: nothing in it may send a reader there.
OUTSIDE = re.compile(r"\b(?:QUESTIONS|RULES|DESIGN)\.md\b|(?<![\w-])shared/|\.\./shared\b")

#: The example inputs README.md's commands name, as the scratch folder holds them: a query, an authority's own
#: graph (the fixture Exampleshire) and a national N-Triples file (the same, in N-Triples).
EXAMPLE_INPUTS = {
    "my-query.rq": "SELECT ?a ?name WHERE { ?a a ecm:CountyCouncil ; rdfs:label ?name } ORDER BY ?name LIMIT 5\n",
    "my-authority.ttl": FIXTURES / "load" / "exampleshire.ttl",
    "england-national.nt": FIXTURES / "load" / "exampleshire.nt",
}
#: The folders of the repository the commands may name (``data/seed/…``), linked into the scratch folder.
REPOSITORY_FOLDERS = ("data", "ontology", "shapes", "queries")

#: Markdown files whose file names need not exist in the repository as it is, which the path check leaves aside
#: (the check for the developers' outside files still applies to them).
ELSEWHERE = {
    "data/reference/SOURCES.md": "the reference table's sources: files of the repositories it was built from",
    "CHANGELOG.md": "the history names files as they were (`ecmgraph/sparql.py` is now …)",
}

#: README commands whose exit code is not 0, with the reason (say, "ECM014 breaches: …"). Every other command
#: must exit 0.
EXPECTED_EXIT: dict[str, tuple[int, str]] = {}

#: The README's sample outputs: the first line of each sample, and the arguments that print it.
SAMPLES: dict[str, list[str]] = {
    "Validation of packaged data as at 2009-06-01:": ["validate", "--as-of", "2009-06-01"],
    "      01 02 03": ["query", "run", "compliance-matrix", "-p", "authority", "Luton", "-p", "date", "2009-06-01"],
}


# ------------------------------------------------------------------------------------------------- the files


@functools.cache
def committed() -> frozenset[str]:
    """The files of the repository (``git ls-files``), as POSIX paths from its root."""
    if not (ROOT / ".git").exists() or shutil.which("git") is None:
        pytest.skip("not a git checkout: the documents are checked in the repository")
    out = subprocess.run(["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, check=True).stdout
    return frozenset(p for p in out.decode("utf-8").split("\0") if p)


@functools.cache
def committed_dirs() -> frozenset[str]:
    return frozenset(str(parent) for p in committed() for parent in PurePosixPath(p).parents if str(parent) != ".")


def entries(base: str) -> set[str]:
    """The names directly inside the repository folder ``base`` ("" for the root)."""
    prefix = f"{base}/" if base else ""
    return {p[len(prefix) :].split("/", 1)[0] for p in committed() | committed_dirs() if p.startswith(prefix)}


def exists(path: str) -> bool:
    """Whether ``path`` (a file, a folder ending in /, or a glob) is in the repository."""
    path = path.rstrip("/")
    if any(c in path for c in "*?["):
        return any(fnmatch.fnmatchcase(p, path) for p in committed())
    return path in committed() or path in committed_dirs()


def ignored(path: str) -> bool:
    """Whether git ignores ``path``: an output ecmgraph or the benchmark writes (``bench/out/…``), not a file."""
    return subprocess.run(["git", "check-ignore", "-q", "--no-index", path], cwd=ROOT).returncode == 0


def problem(token: str, base: str) -> str | None:
    """What is wrong with a file a document in folder ``base`` names, or None if it is fine or is not a path."""
    token = token.strip("\"'(),;:!?").rstrip(".")
    if OUTSIDE.search(token):
        return "names a file outside the repository"
    if not token or "://" in token or token.startswith(("/", "~", "$", "-", ".venv")):
        return None
    if any(c in token for c in ":{}<>…=@%|\\"):
        return None  # a prefixed name, a template, an IRI or an expression, not a file
    if "/" in token:
        first = token.split("/", 1)[0]
        for folder in (base, ""):
            if first in entries(folder):
                path = f"{folder}/{token}" if folder else token
                return None if exists(path) or ignored(path) else "does not exist"
        return None  # the first part is no file or folder of the repository: an IRI tail, a media type…
    if token.endswith(".md"):  # a bare name: a Markdown file of that name somewhere in the repository
        return None if any(PurePosixPath(p).name == token for p in committed()) else "does not exist"
    return None


@dataclass(frozen=True)
class Markdown:
    path: str
    text: str

    @property
    def folder(self) -> str:
        parent = str(PurePosixPath(self.path).parent)
        return "" if parent == "." else parent

    def code_blocks(self) -> list[str]:
        return re.findall(r"^```[^\n]*\n(.*?)^```", self.text, flags=re.M | re.S)

    def prose(self) -> str:
        return re.sub(r"^```[^\n]*\n.*?^```", "", self.text, flags=re.M | re.S)

    def named_paths(self) -> Iterator[str]:
        """Every token that may name a file, in code spans and code blocks."""
        for span in re.findall(r"`([^`\n]+)`", self.prose()):
            yield from span.split()
        for block in self.code_blocks():
            yield from block.split()

    def links(self) -> Iterator[str]:
        """The target of every relative link (without its #fragment)."""
        for target in re.findall(r"\]\(([^)\s]+)\)", self.prose()):
            if not target.startswith(("http://", "https://", "mailto:", "#")):
                yield target.split("#", 1)[0]


def markdown_files() -> list[Markdown]:
    return [Markdown(p, (ROOT / p).read_text(encoding="utf-8")) for p in sorted(committed()) if p.endswith(".md")]


def check_link(path: str, base: str) -> str | None:
    """A relative link's target, from the folder of its document."""
    target = PurePosixPath(base) / path if base else PurePosixPath(path)
    parts: list[str] = []
    for part in target.parts:
        if part == "..":
            if not parts:
                return "points outside the repository"
            parts.pop()
        elif part != ".":
            parts.append(part)
    return None if exists("/".join(parts)) else "does not exist"


@pytest.mark.parametrize(
    "name", [p for p in sorted(committed()) if p.endswith(".md")] if (ROOT / ".git").exists() else []
)
def test_every_file_a_markdown_file_names_is_in_the_repository(name: str) -> None:
    document = Markdown(name, (ROOT / name).read_text(encoding="utf-8"))
    found = []
    for token in document.named_paths():
        why = problem(token, document.folder)
        if why and (name not in ELSEWHERE or OUTSIDE.search(token)):
            found.append(f"{token}: {why}")
    for target in document.links():
        if why := check_link(target, document.folder) or (OUTSIDE.search(target) and "names a file outside"):
            found.append(f"link {target}: {why}")
    assert not found, f"{name} names: " + "; ".join(sorted(set(found)))


def all_commands(group: click.Group = cli, prefix: str = "") -> list[str]:
    out = [prefix.strip()] if not prefix else []
    for name, command in sorted(group.commands.items()):
        out.append(f"{prefix}{name}")
        if isinstance(command, click.Group):
            out.extend(all_commands(command, f"{prefix}{name} "))
    return out


def invoke(args: list[str], **kwargs: object) -> Result:
    return CliRunner().invoke(cli, args, **kwargs)


@pytest.mark.parametrize("name", all_commands())
def test_every_file_a_help_text_names_is_in_the_repository(name: str) -> None:
    result = invoke([*name.split(), "--help"])
    assert result.exit_code == 0, result.output
    found = [f"{t}: {why}" for t in result.stdout.split() if (why := problem(t, ""))]
    assert not found, f"ecmgraph {name} --help names: " + "; ".join(sorted(set(found)))


def test_the_path_check_catches_what_it_should() -> None:
    """The checker itself: outside files, missing repository paths and links are found; the rest is let be."""
    assert problem("../shared/QUESTIONS.md", "") and problem("`shared/seeds/`", "") and problem("RULES.md", "")
    assert problem("data/no-such-file.ttl", "") == "does not exist"
    assert problem("NO-SUCH.md", "") == "does not exist"
    assert problem("seed/*.trig", "data") is None and problem("data/seed/*.trig", "") is None
    assert problem("seed/*.nothing", "data") == "does not exist"
    for fine in ("text/turtle", "org:heldBy/org:holds", "source/seed003/3.5", "https://w3id.org/x/y", "/tmp/a.ttl"):
        assert problem(fine, "") is None, fine
    assert check_link("../README.md", "data") is None and check_link("../../x.md", "data")


# ----------------------------------------------------------------------------------------- the README commands


@dataclass(frozen=True)
class Command:
    text: str  # as the README writes it
    args: tuple[str, ...]

    @property
    def needs_endpoint(self) -> bool:
        return EXAMPLE_ENDPOINT in self.args


def readme_commands() -> list[Command]:
    """Every ``ecmgraph …`` command line of README.md's code blocks (also after ``&&``), in order."""
    out = []
    for block in Markdown("README.md", README.read_text(encoding="utf-8")).code_blocks():
        for line in block.splitlines():
            for part in line.split("&&"):
                if not part.strip().startswith(("ecmgraph ", ".venv/bin/ecmgraph ")):
                    continue
                words = shlex.split(part.strip())
                if words:
                    out.append(Command(" ".join(["ecmgraph", *words[1:]]), tuple(words[1:])))
    return out


def scratch(folder: Path) -> None:
    """The scratch folder the README's commands run in: the example inputs and the repository's data folders."""
    for name, content in EXAMPLE_INPUTS.items():
        if isinstance(content, Path):
            shutil.copyfile(content, folder / name)
        else:
            (folder / name).write_text(content, encoding="utf-8")
    for name in REPOSITORY_FOLDERS:
        (folder / name).symlink_to(ROOT / name, target_is_directory=True)


def run_readme_command(command: Command, endpoint: str | None = None) -> Result:
    args = [endpoint if a == EXAMPLE_ENDPOINT and endpoint else a for a in command.args]
    return invoke(args)


def check_exit(command: Command, result: Result) -> str | None:
    expected, why = EXPECTED_EXIT.get(command.text, (0, ""))
    if result.exit_code == expected:
        return None
    detail = (result.stderr or result.stdout).strip().splitlines()[-1:] or [""]
    return f"{command.text}: exit {result.exit_code}, expected {expected} {why}: {detail[0][:300]}"


def test_the_readme_has_commands_to_run() -> None:
    commands = readme_commands()
    assert len(commands) > 20
    assert {c.args[0] for c in commands} >= {"stats", "sparql", "query", "validate", "rules", "infer", "load"}
    assert all(c.text in {d.text for d in commands} for c in commands)
    assert set(EXPECTED_EXIT) <= {c.text for c in commands}, "EXPECTED_EXIT names a command the README lost"


def test_every_readme_command_runs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Every local command of the README, in order, in one scratch folder (``load`` builds the store that the
    next ``stats --store`` reads); the endpoint ones are in the slow test below."""
    scratch(tmp_path)
    monkeypatch.chdir(tmp_path)
    failures = []
    for command in readme_commands():
        if command.needs_endpoint:
            continue
        if (why := check_exit(command, run_readme_command(command))) is not None:
            failures.append(why)
    assert not failures, "\n".join(failures)
    for written in ("answer.csv", "posts.csv", "report.xml", "inferred.ttl", "all.nq", "england.db"):
        if any(f"-o {written}" in c.text or f"--store {written}" in c.text for c in readme_commands()):
            assert (tmp_path / written).exists(), f"{written} was not written"


@pytest.mark.slow
def test_every_readme_command_with_an_endpoint_runs(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, oxigraph: object
) -> None:
    """The README's --endpoint commands against a real Oxigraph server holding the packaged data prepared as the
    README says (``infer --profile normalise --include-input --format nquads``)."""
    scratch(tmp_path)
    monkeypatch.chdir(tmp_path)
    prepared = invoke(["infer", "--profile", "normalise", "--include-input", "--format", "nquads", "-o", "all.nq"])
    assert prepared.exit_code == 0, prepared.output
    url = oxigraph.serve((tmp_path / "all.nq").read_bytes())  # type: ignore[attr-defined]
    commands = [c for c in readme_commands() if c.needs_endpoint]
    assert len(commands) >= 4
    failures = [why for c in commands if (why := check_exit(c, run_readme_command(c, url))) is not None]
    assert not failures, "\n".join(failures)


# ------------------------------------------------------------------------------------- what the README states


def readme() -> str:
    return README.read_text(encoding="utf-8")


def test_the_readme_sample_outputs_are_what_ecmgraph_prints(monkeypatch: pytest.MonkeyPatch) -> None:
    """Each sample output in the README (a code block that is no command) is what its command prints: its lines,
    in order, "…" standing for lines left out (on a terminal 120 columns wide, the README's own width)."""
    monkeypatch.setenv("COLUMNS", "120")
    samples = [
        b
        for b in Markdown("README.md", readme()).code_blocks()
        if not re.match(r"\s*(ecmgraph|python3?|\.venv|sed|pyshacl|curl|oxigraph)\b|\s*>>> ", b)
        and not re.match(r"^\w+/\s", b)  # the Layout block
    ]
    assert samples, "the README shows no sample output"
    for sample in samples:
        lines = [line.rstrip() for line in sample.splitlines()]
        args = next((a for first, a in SAMPLES.items() if lines[0].startswith(first)), None)
        assert args is not None, f"add the command that prints this sample to SAMPLES: {lines[0]!r}"
        result = invoke(args)
        printed = [line.rstrip() for line in result.stdout.splitlines()]
        position = 0
        for line in lines:
            if line.strip() in ("…", "..."):
                continue
            assert line in printed[position:], f"ecmgraph {' '.join(args)} does not print, at this point: {line!r}"
            position = printed.index(line, position) + 1


def test_the_number_of_rules_the_readme_gives() -> None:
    rules = load_catalogue().rules
    stated = {int(n) for n in re.findall(r"\b(\d+) statutory rules\b", readme())}
    assert stated == {len(rules)}
    assert re.search(rf"ECM001[–-]ECM{len(rules):03d}", readme())
    first = invoke(["validate", "--fail-on", "none"]).stdout.splitlines()[0]
    assert f": {len(rules)} rules," in first


def test_the_in_force_dates_the_readme_gives() -> None:
    """ "ECM001 and ECM019 are Info before 2008-01-01, ECM002 and ECM003 before 2008-03-21": as the shapes say."""
    match = re.search(
        r"\((ECM\d{3}) and\s+(ECM\d{3}) are (\w+) before ([\d-]+), (ECM\d{3}) and\s+(ECM\d{3}) before ([\d-]+)\)",
        readme(),
    )
    assert match, "the README no longer gives the in-force dates in this form: update the test"
    a, b, level, day_ab, c, d, day_cd = match.groups()
    rules = load_catalogue().rules
    stated = {a: day_ab, b: day_ab, c: day_cd, d: day_cd}
    dated = {r.id: r.in_force_from.isoformat() for r in rules.values() if r.in_force_from}
    assert dated == stated
    assert {rules[r].severity_before for r in stated} == {level}


def test_the_json_report_holds_the_keys_the_readme_lists() -> None:
    paragraph = re.search(r"JSON reports \(`--format json`.*?\n\n", readme(), flags=re.S)
    assert paragraph, "the README no longer documents the JSON report"
    text = paragraph.group(0)
    head, _, tail = text.partition(" each with ")
    top = re.sub(r"\([^)]*\)", "", head)  # the parts in brackets are the keys of an object, listed apart
    documented_top = set(re.findall(r"`(\w+)`", top)) | ({"schema_version"} if "`schema_version`" in head else set())
    documented_result = set(re.findall(r"`(\w+)`", tail.split(". ", 1)[0]))
    report = json.loads(invoke(["validate", "--format", "json", "--fail-on", "none"]).stdout)
    assert set(report) == documented_top
    assert report["schema_version"] == int(re.search(r"`schema_version` (\d+)", text).group(1))
    assert report["results"], "the packaged data gives results"
    assert set(report["results"][0]) == documented_result
    summary = re.search(r"`summary` \(([^)]*)\)", text)
    if summary:
        assert set(re.findall(r"`(\w+)`", summary.group(1))) <= set(report["summary"])


def test_the_readme_has_the_table_of_exit_codes_and_ecmgraph_keeps_it(
    fixtures: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    table = dict(re.findall(r"^\| (\d) \| (.+) \|$", readme(), flags=re.M))
    assert sorted(table) == ["0", "1", "2", "3", "4"]
    assert invoke(["rules"]).exit_code == 0
    violation = str(fixtures / "rules" / "ECM001" / "fail-recorded-vacancy.ttl")  # a recorded vacancy: a breach
    assert invoke(["validate", violation, "--rule", "ECM001", "--as-of", "2010-01-01"]).exit_code == 1
    assert invoke(["validate", violation, "--rule", "ECM001", "--fail-on", "none"]).exit_code == 0
    assert invoke(["stats", "--no-such-option"]).exit_code == 2
    missing = invoke(["stats", "no/such/file.ttl"])
    assert missing.exit_code == 3 and missing.stderr.startswith("Error: ") and "hint:" in missing.stderr
    assert invoke(["sparql", "SELECT * WHERE { ?s ?p }"]).exit_code == 3  # a SPARQL syntax error
    assert invoke(["query", "run", "no-such-query"]).exit_code == 3
    unknown = invoke(["validate", "--rule", "ECM0001"])
    assert unknown.exit_code == 3 and "did you mean" in unknown.stderr  # "suggests the closest ones"
    assert invoke(["validate", "--as-of", "2004-11-14"]).exit_code == 3  # "a date before 2004-11-15"
    updates = invoke(["sparql", "INSERT DATA { <urn:a> <urn:b> <urn:c> }"])
    assert updates.exit_code == 3  # "Updates are refused"
    down = invoke(["sparql", "ASK {}", "--endpoint", "http://127.0.0.1:9/query", "--timeout", "2"])
    assert down.exit_code == 3  # "a server that is down … is an error (exit code 3)"

    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("a bug")

    monkeypatch.setattr("ecmgraph.validation.load_catalogue", broken)
    internal = invoke(["rules"])
    assert internal.exit_code == 4 and "--debug" in internal.stderr and len(internal.stderr.splitlines()) == 1


def test_a_report_is_the_same_bytes_every_time() -> None:
    """ "The same input always gives the same bytes"."""
    first = invoke(["validate", "--format", "json", "--fail-on", "none", "--as-of", "2009-06-01"]).stdout
    assert first == invoke(["validate", "--format", "json", "--fail-on", "none", "--as-of", "2009-06-01"]).stdout


def test_the_names_the_readme_gives_for_one_authority_are_one_authority() -> None:
    """ "`Staffordshire`, `staffordshire county council`, `E10000028` and `https://…/E10000028` are the same"."""
    names = re.search(r"in any case: (`[^`]+`), (`[^`]+`), (`[^`]+`) and\s+(`[^`]+`) are the same authority", readme())
    assert names, "the README no longer lists the names of one authority in this form: update the test"
    answers = {
        invoke(
            [
                "query",
                "run",
                "who-is-accountable",
                "-p",
                "authority",
                n.strip("`"),
                "-p",
                "topic",
                "safeguarding",
                "--format",
                "csv",
            ]
        ).stdout
        for n in names.groups()
    }
    assert len(answers) == 1 and next(iter(answers)).count("\n") > 1


def test_the_help_lists_every_command_and_every_command_takes_h() -> None:
    """ "`ecmgraph --help` lists the commands"; "`-h/--help` on every command"."""
    top = invoke(["--help"]).stdout
    for name in cli.commands:
        assert re.search(rf"^\s+{name}\b", top, flags=re.M), name
    for name in all_commands():
        assert invoke([*name.split(), "-h"]).exit_code == 0, name
    assert invoke(["--version"]).stdout.startswith("ecmgraph, version ")


def test_the_layout_names_folders_that_exist() -> None:
    block = next(b for b in Markdown("README.md", readme()).code_blocks() if re.match(r"^\w+/\s", b))
    for line in block.splitlines():
        folder = line.split()[0]
        assert (ROOT / folder).is_dir(), folder
        for named in re.findall(r"\b[\w/-]+\.(?:py|ttl|md)\b", line):
            assert exists(f"{folder.rstrip('/')}/{named}") or exists(named), (folder, named)


def test_data_readme_names_each_seed_document_by_file_and_title() -> None:
    """The seed documents are described in the repository: data/README.md names each by its file and title."""
    import rdflib

    from ecmgraph import resources
    from ecmgraph.render.rulesdoc import source_documents

    text = (ROOT / "data" / "README.md").read_text(encoding="utf-8")
    documents = source_documents(rdflib.Graph().parse(resources.data_dir() / "sources.ttl"))
    assert len(documents) == 5
    for document in documents.values():
        row = next((line for line in text.splitlines() if f"`{document.file}`" in line), None)
        assert row is not None, f"data/README.md does not name {document.file}"
        assert f"*{document.title.split(' (')[0]}" in row, document.label
