"""Turning a case's trace and findings into a flowchart overlay."""

from __future__ import annotations

from collections.abc import Iterable

from pathways.audit import Finding
from pathways.cases import CaseRecord, Trace

from .flowchart import Overlay


def case_overlay(record: CaseRecord, trace: Trace, findings: Iterable[Finding] = ()) -> Overlay:
    """The overlay of one case: its route, the dates of each step, skipped steps and findings."""
    findings = list(findings)
    dates: dict[str, list[str]] = {}
    for event in record.events:
        dates.setdefault(event.node, []).append(event.day.strftime("%d %b %Y"))
    by_node: dict[str, list[tuple[str, str]]] = {}
    notes: dict[str, list[str]] = {}
    for finding in findings:
        if finding.node:
            by_node.setdefault(finding.node, []).append((finding.severity, finding.rule_kind))
            notes.setdefault(finding.node, []).append(f"{finding.severity}: {finding.message}")
    skipped = set(trace.skipped) | {f.node for f in findings if f.rule.partition(":")[0] == "existence"}
    return Overlay(
        case_id=record.case_id,
        route=list(trace.route),
        visited=dates,
        skipped=skipped,
        findings=by_node,
        notes=notes,
        reached=trace.end,
    )
