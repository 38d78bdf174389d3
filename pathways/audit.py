"""Auditing case records against the policy with SHACL (pySHACL is the reference engine).

Each case is validated on its own small data graph: the case's triples, the policy
model, the facts derived from the pathway graph (``pw:requiredBefore``) and the shapes
themselves (the policy shapes read their own severity to pick the facts of the matching
modality). The SHACL report is then read back into :class:`Finding` rows that quote the
rule and cite its paragraph.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import lru_cache

import networkx as nx
from pyshacl import validate
from rdflib import BNode, Graph, URIRef
from rdflib.term import Node

from . import engine, sparql_cache
from .case_rdf import STRUCTURAL_SHAPES, case_graph, case_iri, case_ntriples, well_formed_as_written
from .cases import CaseBatch, CaseRecord
from .catalogue import citation, label, node_id, pathway
from .graph import pathway_graph
from .model import SHAPES_DIR, load_graph, load_model
from .shacl_results import ValidationResult, report_graph, results_from_report
from .vocab import DCTERMS, PPLAN, PW, RDF, RDFS, SH, TIME
from .workers import audit_in_workers

sparql_cache.install()

SEVERITIES = ("Violation", "Warning", "Info")
RULE_KINDS = {
    "required-step": "required step",
    "step-order": "order of steps",
    "step-role": "role",
    "timescale": "timescale",
    "requirement": "requirement",
    "case-structure": "malformed case",
    "event-structure": "malformed event",
    "event-cardinality": "malformed event",
}


@lru_cache(maxsize=1)
def shapes_graph() -> Graph:
    """All SHACL shapes under ``shapes/``."""
    return load_graph(sorted(SHAPES_DIR.glob("*.ttl")))


def required_before(digraph: nx.DiGraph) -> list[tuple[str, str]]:
    """(A, B) pairs where A lies on every route from the trigger to B (A dominates B).

    Triggers and end states are left out: the trigger is the situation a case starts in,
    not something recorded, and nothing comes after an end state.
    """
    start = next(n for n, kind in digraph.nodes(data="kind") if kind == "trigger")
    idom = nx.immediate_dominators(digraph, start)
    pairs = []
    for node in idom:
        dominator = idom[node]
        while dominator != start and dominator != node:
            if digraph.nodes[dominator]["kind"] in {"activity", "decision"}:
                pairs.append((dominator, node))
            dominator = idom[dominator]
    return pairs


def _describe(model: Graph, seeds: Iterable[Node], into: Graph) -> None:
    """Copy the triples about each seed, following blank nodes, sections, documents and
    authorities, so a rule's citation can be read from the copy."""
    pending, seen = list(seeds), set()
    while pending:
        subject = pending.pop()
        if subject in seen:
            continue
        seen.add(subject)
        for triple in model.triples((subject, None, None)):
            into.add(triple)
            value = triple[2]
            if isinstance(value, BNode) or triple[1] in _FOLLOW:
                pending.append(value)


_FOLLOW = {
    PW.source,
    DCTERMS.isPartOf,
    PW.authority,
    PW.modality,
    PW.timescaleKind,
    TIME.unitType,
    PW.auditUnit,
    TIME.dayOfWeek,
    PW.performedBy,
    PW.decidedBy,
    PW.involves,
    PW.partOf,
}


@lru_cache(maxsize=32)
def rules_graph(authority_id: str, pathway_id: str) -> Graph:
    """What the shapes read to audit a case of one pathway: the pathway's part of the model
    (its steps, roles, timescales, requirements and their citations), the class hierarchy,
    the facts derived from the pathway graph (``pw:requiredBefore``) and the shapes."""
    model = load_model()
    plan = pathway(authority_id, pathway_id, model)
    graph = Graph()
    members = set(model.subjects(PPLAN.isStepOfPlan, plan.iri))
    seeds: set[Node] = {plan.iri, *members, *model.subjects(PW.onPathway, plan.iri)}
    seeds |= {r for r in model.subjects(PW.appliesTo, None) if model.value(r, PW.appliesTo) in members}
    seeds |= {r for r in model.subjects(PW.partOf, None) if model.value(r, PW.partOf) in seeds}
    seeds |= set(model.subjects(RDF.type, PW.Role)) & set(model.subjects(PW.authority, plan.authority.iri))
    seeds |= set(model.subjects(RDF.type, PW.Modality))
    _describe(model, seeds, graph)
    for triple in model.triples((None, RDFS.subClassOf, None)):
        graph.add(triple)
    for triple in shapes_graph():
        graph.add(triple)
    digraph = pathway_graph(authority_id, pathway_id)
    for earlier, later in required_before(digraph):
        graph.add((URIRef(digraph.nodes[earlier]["iri"]), PW.requiredBefore, URIRef(digraph.nodes[later]["iri"])))
    return graph


@dataclass(frozen=True)
class Finding:
    """One departure of a case from the policy, with the rule and its citation."""

    case_id: str
    severity: str
    rule: str
    rule_kind: str
    message: str
    source: str
    quote: str
    focus_event: str
    node: str
    evidence: str

    def as_row(self) -> dict:
        return {
            "case_id": self.case_id,
            "severity": self.severity,
            "rule": self.rule,
            "message": self.message,
            "source": self.source,
            "focus_event": self.focus_event,
            "evidence": self.evidence,
            "node": self.node,
            "quote": self.quote,
        }


FINDING_COLUMNS = ["case_id", "severity", "rule", "message", "source", "focus_event", "evidence"]


@dataclass
class CaseResult:
    """The audit of one case: its findings and the SHACL validation results behind them."""

    case: CaseRecord
    findings: list[Finding]
    validation: list[ValidationResult] = field(default_factory=list)

    @property
    def report(self) -> Graph:
        """The case's SHACL validation report, as a graph (built on demand)."""
        return report_graph(self.validation)

    @property
    def conforms(self) -> bool:
        return not any(f.severity == "Violation" for f in self.findings)


@dataclass
class AuditResult:
    """The audit of a batch: every case's result and every rejected input, none lost."""

    results: list[CaseResult] = field(default_factory=list)
    rejected: list = field(default_factory=list)

    @property
    def findings(self) -> list[Finding]:
        return [f for r in self.results for f in r.findings]

    @property
    def cases_in(self) -> int:
        return len(self.results) + len(self.rejected)

    def by_severity(self) -> Counter:
        return Counter(f.severity for f in self.findings)

    def by_rule(self) -> Counter:
        return Counter((f.rule, f.severity) for f in self.findings)

    @property
    def has_violations(self) -> bool:
        return any(f.severity == "Violation" for f in self.findings)

    def report_graph(self) -> Graph:
        """One SHACL validation report for the whole batch."""
        return report_graph(v for result in self.results for v in result.validation)


def audit_case(record: CaseRecord) -> CaseResult:
    """Validate one case with pySHACL and read the report into findings."""
    data = Graph()
    for triple in rules_graph(record.authority, record.pathway):
        data.add(triple)
    case_graph(record, data)
    _, report, _ = validate(
        data,
        shacl_graph=shapes_graph(),
        inference="none",
        advanced=True,
        allow_warnings=True,
        inplace=True,
        abort_on_first=False,
    )
    validation = results_from_report(report)
    return CaseResult(record, findings_from_results(validation, record), validation)


ENGINES = ("fast", "pyshacl")
CHUNK = 250


def audit_cases_fast(records: list[CaseRecord]) -> list[CaseResult]:
    """Validate many cases in one pass of the set-at-a-time engine (see engine.py)."""
    keys = sorted({(r.authority, r.pathway) for r in records})
    rules = [rules_graph(*key) for key in keys]
    assured = STRUCTURAL_SHAPES if well_formed_as_written(records, rules) else frozenset()
    validation = engine.validate_fast(
        rules, case_ntriples(records), shapes_graph(), lambda: _ontology_for(tuple(keys)), assured
    )
    by_case: dict[str, list[ValidationResult]] = {}
    for result in validation:
        by_case.setdefault(str(result.focus).split("/event/", 1)[0], []).append(result)
    results = []
    for record in records:
        own = by_case.get(str(case_iri(record.case_id)), [])
        results.append(CaseResult(record, findings_from_results(own, record) if own else [], own))
    return results


@lru_cache(maxsize=16)
def _ontology_for(keys: tuple[tuple[str, str], ...]) -> Graph:
    graph = Graph()
    for key in keys:
        for triple in rules_graph(*key):
            graph.add(triple)
    return graph


def audit(
    batch: CaseBatch,
    progress: Callable[[int, int], None] | None = None,
    engine_name: str = "fast",
    workers: int = 1,
) -> AuditResult:
    """Audit every case of a batch; rejected inputs are carried into the result.

    ``engine_name`` "fast" evaluates the shapes set-at-a-time (chunks of cases);
    "pyshacl" validates case by case with pySHACL, the reference semantics. With
    ``workers`` > 1 the chunks are audited in that many forked processes (see workers.py);
    the results are the same, in the same order.
    """
    if engine_name not in ENGINES:
        raise ValueError(f"unknown engine {engine_name!r}; use one of {', '.join(ENGINES)}")
    result = AuditResult(rejected=list(batch.rejected))
    total = len(batch.cases)
    # Chunks of cases on one pathway load one rules graph, not all eight.
    order = sorted(range(total), key=lambda i: (batch.cases[i].authority, batch.cases[i].pathway))
    cases = [batch.cases[i] for i in order]
    audit_chunk = audit_cases_fast if engine_name == "fast" else audit_cases_pyshacl
    chunk = CHUNK if engine_name == "fast" else 1
    if workers > 1 and total > chunk:
        _warm(cases)
        chunks = audit_in_workers(cases, audit_chunk, chunk, workers)
    else:
        chunks = (
            (start, [(r.findings, r.validation) for r in audit_chunk(cases[start : start + chunk])])
            for start in range(0, total, chunk)
        )
    audited: list[CaseResult | None] = [None] * total
    done = 0
    for start, rows in chunks:
        for offset, (findings, validation) in enumerate(rows):
            audited[order[start + offset]] = CaseResult(cases[start + offset], findings, validation)
        done += len(rows)
        if progress is not None:
            progress(done, total)
    result.results = audited
    return result


def audit_cases_pyshacl(records: list[CaseRecord]) -> list[CaseResult]:
    """Validate cases one by one with pySHACL (the reference semantics)."""
    return [audit_case(record) for record in records]


def _warm(cases: list[CaseRecord]) -> None:
    """Load what every chunk needs once, before workers are forked, so they inherit it."""
    keys = sorted({(r.authority, r.pathway) for r in cases})
    for key in keys:
        engine.warm([rules_graph(*key)], shapes_graph())
    load_model()


def _local(node: Node) -> str:
    return str(node).rsplit("#", 1)[-1].rsplit("/", 1)[-1]


def findings_from_results(results: Iterable[ValidationResult], record: CaseRecord) -> list[Finding]:
    """Read SHACL validation results into findings, in event order."""
    model = load_model()
    shapes = shapes_graph()
    events = {str(case_iri(record.case_id)) + f"/event/{e.sequence}": e for e in record.events}
    findings = []
    for result in results:
        severity = _local(result.severity)
        focus, value, constraint = result.focus, result.value, result.constraint
        message = result.messages[0] if result.messages else ""
        kind = (
            _local(constraint)
            if constraint is not None and (constraint, RDF.type, SH.SPARQLConstraint) in shapes
            else "structure"
        )
        event = events.get(str(focus))
        rule_fact = value if isinstance(value, URIRef) else None
        cited = citation(model, rule_fact) if rule_fact is not None else None
        node = _rule_node(model, record, kind, rule_fact, event)
        if cited is not None:
            message = f"{message} ({cited}: \u201c{cited.quote}\u201d)" if cited.quote else f"{message} ({cited})"
        if kind == "structure":
            message = message or f"{label(shapes, result.shape)}: {_local(result.path or '')}"
        findings.append(
            Finding(
                case_id=record.case_id,
                severity=severity,
                rule=f"{kind}:{_rule_id(record, rule_fact)}" if rule_fact is not None else kind,
                rule_kind=RULE_KINDS.get(kind, kind),
                message=message,
                source=str(cited) if cited else "",
                quote=cited.quote if cited else "",
                focus_event=f"event {event.sequence}: {event.node} ({event.when_text()})" if event else "case",
                node=node,
                evidence=_evidence(record, kind, event, node),
            )
        )
    order = {severity: i for i, severity in enumerate(SEVERITIES)}
    return sorted(findings, key=lambda f: (order.get(f.severity, 9), f.rule, f.focus_event, f.message))


def _rule_id(record: CaseRecord, fact: URIRef) -> str:
    text = node_id(record.pathway_iri, fact)
    return text if text != str(fact) else _local(fact)


def _rule_node(model: Graph, record: CaseRecord, kind: str, fact: URIRef | None, event) -> str:
    """The flowchart node a finding belongs on (for the case overlay)."""
    if kind == "timescale" and fact is not None:
        target = model.value(fact, PW.runsTo)
        return node_id(record.pathway_iri, target) if target is not None else ""
    if kind in {"required-step", "step-order"} and fact is not None:
        return node_id(record.pathway_iri, fact)
    if kind == "requirement" and fact is not None:
        step = model.value(fact, PW.appliesTo) or model.value(model.value(fact, PW.partOf), PW.appliesTo)
        return node_id(record.pathway_iri, step) if step is not None else ""
    return event.node if event is not None else ""


def _evidence(record: CaseRecord, kind: str, event, node: str) -> str:
    """What in the case record the finding rests on, in words."""
    if kind == "required-step":
        done = ", ".join(f"{e.node} ({e.day.isoformat()})" for e in record.events)
        return f"no event for {node}; events: {done}"
    if event is not None:
        extra = f"; evidence: {', '.join(event.evidence)}" if event.evidence else ""
        return f"{event.node} on {event.when_text()} by {event.role}{extra}"
    return ""


def rule_labels() -> dict[str, str]:
    """The rule kinds and their labels, as the shapes state them."""
    shapes = shapes_graph()
    return {
        _local(c): label(shapes, c)
        for c in shapes.subjects(RDF.type, SH.SPARQLConstraint)
        if (c, RDFS.label, None) in shapes
    }


def summary_rows(result: AuditResult) -> list[dict]:
    """Findings counted per rule and severity, most frequent first."""
    counts = result.by_rule()
    return [
        {"rule": rule, "severity": severity, "findings": n}
        for (rule, severity), n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
    ]


def findings_rows(findings: Iterable[Finding]) -> list[dict]:
    return [f.as_row() for f in findings]
