"""Findings: what the audit says about a case, read from SHACL validation results.

A :class:`Finding` is one departure of a case from the policy: its severity (from the
modality of the fact departed from), the rule, the message with the paragraph and the
policy's words, the event it concerns and the evidence in the record. Both engines give
:class:`~pathways.audit.results.ValidationResult` rows; they become findings here, once.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache

from rdflib import Graph, URIRef

from pathways.audit.results import ValidationResult, report_graph
from pathways.audit.rules import shapes_graph
from pathways.cases.rdf import event_iri
from pathways.cases.records import CaseRecord
from pathways.model.citations import citation
from pathways.model.loading import load_model
from pathways.model.policy import node_id
from pathways.model.terms import label, local_name
from pathways.model.vocabulary import PPLAN, PW, RDF, SH

__all__ = [
    "FINDING_COLUMNS",
    "RULE_KINDS",
    "SEVERITIES",
    "AuditResult",
    "CaseResult",
    "Finding",
    "findings_from_results",
    "findings_rows",
    "summary_rows",
]

SEVERITIES = ("Violation", "Warning", "Info")
RULE_KINDS = {
    "existence": "required step",
    "precedence": "stated order",
    "role": "role",
    "timescale": "timescale",
    "service-hours": "service hours",
    "requirement": "requirement",
    "case-structure": "malformed case",
    "event-structure": "malformed event",
}


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


def findings_from_results(results: Iterable[ValidationResult], record: CaseRecord) -> list[Finding]:
    """Read SHACL validation results into findings, in event order."""
    model = load_model()
    shapes = shapes_graph()
    prefix = str(event_iri(record.case_id, 0))[:-1]
    events = {f"{prefix}{e.sequence}": e for e in record.events}
    findings = []
    for result in results:
        severity = local_name(result.severity)
        focus, value, constraint = result.focus, result.value, result.constraint
        message = result.messages[0] if result.messages else ""
        kind = _rule_kind(shapes, constraint)
        event = events.get(str(focus))
        rule_fact = value if isinstance(value, URIRef) else None
        cited = _citation(model, rule_fact) if rule_fact is not None else None
        node = _rule_node(model, record, kind, rule_fact, event)
        if cited is not None:
            message = f"{message} ({cited}: \u201c{cited.quote}\u201d)" if cited.quote else f"{message} ({cited})"
        if kind == "structure":
            message = message or f"{label(shapes, result.shape)}: {local_name(result.path or '')}"
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


@lru_cache(maxsize=256)
def _rule_kind(shapes: Graph, constraint) -> str:
    """A policy rule's name (its constraint's local name), or "structure" for a core constraint."""
    if constraint is not None and (constraint, RDF.type, SH.SPARQLConstraint) in shapes:
        return local_name(constraint)
    return "structure"


@lru_cache(maxsize=4096)
def _citation(model: Graph, fact: URIRef):
    """A fact's citation, read once per fact (a large audit cites the same facts over and over)."""
    return citation(model, fact)


def _rule_id(record: CaseRecord, fact: URIRef) -> str:
    text = node_id(record.pathway_iri, fact)
    return text if text != str(fact) else local_name(fact)


def _rule_node(model: Graph, record: CaseRecord, kind: str, fact: URIRef | None, event) -> str:
    """The flowchart node a finding belongs on (for the case overlay)."""
    if fact is not None and kind in _FACT_KINDS:
        return _fact_node(model, record.pathway_iri, kind, fact)
    return event.node if event is not None else ""


_FACT_KINDS = {"timescale", "existence", "precedence", "role", "service-hours", "requirement"}


@lru_cache(maxsize=4096)
def _fact_node(model: Graph, pathway_iri: URIRef, kind: str, fact: URIRef) -> str:
    """The node of the fact a finding departs from, on the case's pathway (read once per fact)."""
    if kind == "timescale" and fact is not None:
        # A notice or a look-back regulates the step that gives the notice or must be recent
        # (its 'from'); every other timescale the step that comes too late or too early.
        regulated = model.value(model.value(fact, PW.timescaleKind), PW.regulates) or PW.runsTo
        target = model.value(fact, regulated)
        return node_id(pathway_iri, target) if target is not None else ""
    if kind in {"existence", "precedence", "role", "service-hours", "requirement"}:
        # a fact stated for several pathways names a step of each: this case's is the one
        links = (PW.target,) if kind != "requirement" else (PW.appliesTo,)
        candidates = [s for link in links for s in model.objects(fact, link)]
        candidates += [s for group in model.objects(fact, PW.partOf) for s in model.objects(group, PW.appliesTo)]
        own = sorted(s for s in candidates if (s, PPLAN.isStepOfPlan, pathway_iri) in model)
        return node_id(pathway_iri, own[0]) if own else ""
    return ""


def _evidence(record: CaseRecord, kind: str, event, node: str) -> str:
    """What in the case record the finding rests on, in words."""
    if kind == "existence":
        done = ", ".join(f"{e.node} ({e.day.isoformat()})" for e in record.events)
        return f"no event for {node}; events: {done}"
    if event is not None:
        extra = f"; evidence: {', '.join(event.evidence)}" if event.evidence else ""
        return f"{event.node} on {event.when_text()} by {event.role}{extra}"
    return ""


def summary_rows(result: AuditResult) -> list[dict]:
    """Findings counted per rule and severity, most frequent first."""
    counts = result.by_rule()
    return [
        {"rule": rule, "severity": severity, "findings": n}
        for (rule, severity), n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
    ]


def findings_rows(findings: Iterable[Finding]) -> list[dict]:
    return [f.as_row() for f in findings]
