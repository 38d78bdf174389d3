"""A third SHACL engine, shacl-engine (rdf-ext, on Node.js), gives pySHACL's results on the
shapes ``pathways export --format shapes`` writes and the data graphs ``pathways validate
--data-graph`` writes.

shacl-engine pre-binds ``$this`` into each query as a fixed term (Comunica's initial
bindings), so it refuses a query that groups by ``$this`` ("Tried to bind variable ?this in
a GROUP BY operator"), and it reads one ``sh:select`` per constraint: the shapes are written
without either (W3C SHACL §5.3.1 allows both, but engines differ). This test holds it to
plain pySHACL on the same files, result by result: focus node, source shape, severity,
value and message.

Its messages fill each ``{?name}`` with the N-Triples form of the value (``"Team
Manager"@en``) where pySHACL and Jena write the lexical form (``Team Manager``); SHACL
(§5.3.2) leaves the form open. No message template holds a double quote (checked below),
so every quoted literal in one of shacl-engine's messages is a value it filled in, and
reading each back to its lexical form is exact.

shacl-engine starts a query engine for every query, about a tenth of a second each, so a
case takes ten to twenty seconds: the cases are chosen rather than all run. From the
conformance suite, the sample and synthetic cases, the audit (which
``tests/test_three_engines.py`` holds to pySHACL) picks the first case with a finding of
each rule kind and severity, and one case with none per authority; a hand-damaged case
exercises the structural shapes. Each case is its own data graph (its pathway's rules and
its triples, as the audit's engines validate it), validated by shacl-engine in as many
Node processes as there are cores. The test is skipped only when Node.js or the pinned
packages are missing (``make shacl-engine`` installs them with npm).
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from collections import Counter
from pathlib import Path

import pytest
from conformance_suite import load_cases
from pyshacl import validate
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import XSD

from pathways import audit_cases, read_cases
from pathways.audit.portable import portable_shapes
from pathways.audit.results import ValidationResult, results_from_report
from pathways.audit.rules import data_graph, shapes_graph
from pathways.cases.synth import cases_csv, synthesise
from pathways.model import sparql_cache
from pathways.model.resources import SAMPLE_CASES
from pathways.model.vocabulary import PW, SH

ENGINE = Path(__file__).resolve().parent / "shacl-engine"
NODE = shutil.which("node")

pytestmark = pytest.mark.skipif(
    NODE is None or not (ENGINE / "node_modules" / "shacl-engine").is_dir(),
    reason="Node.js or shacl-engine is not installed (`make shacl-engine` installs it with npm)",
)

Key = tuple[str, str, str, str | None, tuple[str, ...]]

# A literal in N-Triples form: its quoted lexical form, then a language tag or a datatype.
_NT_LITERAL = re.compile(r'"((?:[^"\\]|\\.)*)"(?:@[A-Za-z0-9-]+|\^\^<[^>]*>)?')
_NT_ESCAPE = re.compile(r"\\(u[0-9A-Fa-f]{4}|U[0-9A-Fa-f]{8}|.)")
_ESCAPED = {"t": "\t", "b": "\b", "n": "\n", "r": "\r", "f": "\f", '"': '"', "'": "'", "\\": "\\"}


def lexical(message: str) -> str:
    r'''A shacl-engine message with each filled-in N-Triples literal read back to its lexical form.

    >>> print(lexical(r"""Wrong role: '"Team Manager"@en' was "decided" by "a \"b\""@en."""))
    Wrong role: 'Team Manager' was decided by a "b".
    '''

    def unescape(match: re.Match[str]) -> str:
        code = match.group(1)
        return chr(int(code[1:], 16)) if code[0] in "uU" and len(code) > 1 else _ESCAPED[code]

    return _NT_LITERAL.sub(lambda m: _NT_ESCAPE.sub(unescape, m.group(1)), message)


def key(result: ValidationResult, read=lambda m: m) -> Key:
    value = None if result.value is None else str(result.value)
    messages = tuple(sorted(read(str(m)) for m in result.messages))
    return (str(result.focus), str(result.shape), str(result.severity), value, messages)


@pytest.fixture(scope="module")
def shapes(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Graph]:
    """The portable shapes, as ``pathways export --format shapes`` writes them."""
    path = tmp_path_factory.mktemp("shapes") / "shapes.ttl"
    graph = portable_shapes(shapes_graph())
    path.write_text(graph.serialize(format="turtle"), encoding="utf-8")
    return path, graph


def chosen_cases(folder: Path) -> dict[str, Graph]:
    """The cases run through shacl-engine, each as its own data graph, by case id."""
    sources = {
        "suite.csv": load_cases()[0],
        "sample.csv": SAMPLE_CASES.read_text(encoding="utf-8"),
        "synthetic.csv": cases_csv(synthesise(60, seed=21, deviation_share=0.7)[0]),
    }
    for name, text in sources.items():
        (folder / name).write_text(text, encoding="utf-8")
    batch = read_cases(sorted(folder / name for name in sources))
    assert not batch.rejected, batch.rejected
    audited = audit_cases(batch).results
    chosen: dict[str, object] = {}
    seen: set[tuple[str, str]] = set()
    clean: Counter[str] = Counter()
    for result in audited:
        kinds = {(f.rule.split(":")[0], f.severity) for f in result.findings}
        record = result.case
        if kinds - seen:
            seen |= kinds
            chosen[record.case_id] = record
        elif not kinds and not clean[record.authority]:
            clean[record.authority] += 1
            chosen[record.case_id] = record
    assert {kind for kind, _ in seen} >= {
        "existence",
        "precedence",
        "role",
        "timescale",
        "requirement",
        "service-hours",
    }
    assert {severity for _, severity in seen} == {"Violation", "Warning", "Info"}
    return {case_id: data_graph([record]) for case_id, record in chosen.items()}


def damaged(graph: Graph) -> Graph:
    """A case's data graph with the mistakes the structural shapes look for: a second case
    id, an event without a date, one with two roles, a day index written as a string, two
    hour indexes equal in value but not the same term, and a step of another pathway."""
    case = next(graph.subjects(PW.caseId, None))
    events = sorted(graph.objects(case, PW.event), key=lambda e: int(graph.value(e, PW.sequence)))
    assert len(events) >= 5
    graph.add((case, PW.caseId, Literal("a second id")))
    graph.remove((events[0], PW.date, None))
    other_role = next(r for r in graph.subjects(None, PW.Role) if r != graph.value(events[1], PW.byRole))
    graph.add((events[1], PW.byRole, other_role))
    graph.set((events[2], PW.dayIndex, Literal("3")))
    graph.set((events[3], PW.hourIndex, Literal("12.5", datatype=XSD.decimal)))
    graph.add((events[3], PW.hourIndex, Literal("12.50", datatype=XSD.decimal)))
    graph.set((events[4], PW.carriesOut, URIRef("https://w3id.org/stepupdown/elsewhere/not-a-step")))
    return graph


def pyshacl_keys(data: Graph, shapes: Graph) -> Counter[Key]:
    sparql_cache.install()
    _, report, _ = validate(data, shacl_graph=shapes, inference="none", allow_warnings=True)
    return Counter(key(r) for r in results_from_report(report))


def run_shacl_engine(shapes: Path, files: list[Path]) -> None:
    """Validate ``files`` with shacl-engine, one Node process per core, each writing its reports."""
    workers = max(1, min(len(files), len(os.sched_getaffinity(0))))
    parts = [files[i::workers] for i in range(workers)]
    processes = [
        subprocess.Popen(
            [NODE, str(ENGINE / "validate.mjs"), str(shapes), *map(str, part)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for part in parts
    ]
    for process in processes:
        _, err = process.communicate(timeout=3600)
        assert process.returncode == 0, err[-4000:]


def test_no_message_template_holds_a_double_quote(shapes) -> None:
    """What makes reading shacl-engine's filled-in values back exact."""
    _, graph = shapes
    templates = [str(m) for m in graph.objects(None, SH.message)]
    assert templates and not [t for t in templates if '"' in t]


def test_no_query_groups_by_this_and_one_select_per_constraint(shapes) -> None:
    _, graph = shapes
    queries = [str(q) for q in graph.objects(None, SH.select)]
    assert queries
    assert not [q for q in queries if re.search(r"GROUP\s+BY[^{}]*\$this\b", q, re.IGNORECASE)]
    assert all(len(set(graph.objects(c, SH.select))) == 1 for c in graph.objects(None, SH.sparql))


def test_shacl_engine_gives_pyshacls_results(shapes, tmp_path: Path) -> None:
    shapes_file, shapes_graph_ = shapes
    graphs = chosen_cases(tmp_path)
    longest = max(graphs.values(), key=lambda g: len(set(g.subjects(PW.sequence, None))))
    graphs["damaged"] = damaged(longest + Graph())  # a copy: the union with an empty graph
    files = []
    for name, graph in graphs.items():
        path = tmp_path / f"{re.sub(r'[^A-Za-z0-9-]', '_', name)}.nt"
        path.write_text(graph.serialize(format="nt"), encoding="utf-8")
        files.append(path)
    run_shacl_engine(shapes_file, files)
    references: dict[str, Counter[Key]] = {}
    for name, path in zip(graphs, files, strict=True):
        theirs = Graph().parse(f"{path}.report.nt", format="nt")
        engine = Counter(key(r, lexical) for r in results_from_report(theirs))
        reference = pyshacl_keys(Graph().parse(path, format="nt"), shapes_graph_)
        assert engine == reference, (
            f"{name}: shacl-engine only: {sorted((engine - reference).elements())}\n"
            f"pySHACL only: {sorted((reference - engine).elements())}"
        )
        references[name] = reference
    assert sum(sum(r.values()) for r in references.values()) > 15, "the chosen cases have findings"
    damaged_problems = {m for k in references["damaged"] for m in k[4]}
    assert {
        "Malformed case record: more than one case id.",
        "Malformed event: no date.",
        "Malformed event: more than one byRole.",
        "Malformed event: dayIndex is not an integer.",
        "Malformed event: more than one hourIndex.",
        "Malformed event: the step is not a step of the case's pathway.",
    } <= damaged_problems
