"""What a batch of audited cases did on each pathway: counts an auditor reads off a chart.

For each step of a pathway: how many cases carried it out, how many skipped it where the
text requires it (the audit's existence findings), were late on a timescale the step is
regulated by, or had it done by a role the text does not give it; for each arrow, how
many cases went that way (consecutive steps of their route). For each timescale: how many
cases it could be measured on (both steps recorded), how many kept to it (no finding on
it), and the measured times in its unit. Everything is counted from the audit's own
findings and the cases' events; nothing here decides a departure.

>>> from pathways.audit import audit_cases
>>> from pathways.cases import read_cases
>>> from pathways.model.resources import SAMPLE_CASES
>>> result = audit_cases(read_cases([SAMPLE_CASES]))
>>> heat = pathway_heat(result, "knowsley", "step-up-planned")
>>> heat.cases
3
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime
from itertools import pairwise
from statistics import median

from pathways.audit.findings import AuditResult
from pathways.cases.trace import trace_case
from pathways.cases.workdays import hour_index, month_day_index, uk_local, working_days_between
from pathways.model.graph import pathway_graph

__all__ = ["PathwayHeat", "StepCounts", "Timeliness", "kinds_by_pathway", "pathway_heat", "timeliness"]


def kinds_by_pathway(result: AuditResult) -> list[tuple[str, str, str]]:
    """(authority, pathway, rule kind) of every finding: the grid of where departures are."""
    return [(r.case.authority, r.case.pathway, f.rule_kind) for r in result.results for f in r.findings]


@dataclass
class StepCounts:
    """What the cases did at one step."""

    reached: int = 0
    skipped: int = 0
    late: int = 0
    other_role: int = 0


@dataclass
class PathwayHeat:
    """One pathway's counts over the audited cases on it."""

    authority: str
    pathway: str
    cases: int = 0
    steps: dict[str, StepCounts] = field(default_factory=dict)
    transitions: Counter = field(default_factory=Counter)


def pathway_heat(result: AuditResult, authority_id: str, pathway_id: str) -> PathwayHeat:
    """Counts per step and per arrow for the audited cases of one pathway."""
    digraph = pathway_graph(authority_id, pathway_id)
    heat = PathwayHeat(authority_id, pathway_id, steps={node: StepCounts() for node in digraph})
    for case in result.results:
        record = case.case
        if (record.authority, record.pathway) != (authority_id, pathway_id):
            continue
        heat.cases += 1
        done = [e.node for e in record.events if e.node in digraph]
        end = trace_case(record, digraph, case.findings).end  # end states are reached, not recorded
        if end and end in digraph and end not in done:
            done.append(end)
        for node in set(done):
            heat.steps[node].reached += 1
        for a, b in pairwise(done):
            if digraph.has_edge(a, b):
                heat.transitions[a, b] += 1
        marked: dict[str, set[str]] = {}
        for finding in case.findings:
            if finding.node in heat.steps:  # by template: the part of the rule id before its colon
                marked.setdefault(finding.rule.partition(":")[0], set()).add(finding.node)
        for node in marked.get("existence", ()):
            heat.steps[node].skipped += 1
        for node in marked.get("timescale", ()):
            heat.steps[node].late += 1
        for node in marked.get("role", ()):
            heat.steps[node].other_role += 1
    return heat


@dataclass
class Timeliness:
    """How the audited cases kept to one timescale."""

    label: str
    limit: str
    unit: str
    source: str
    measured: list[float] = field(default_factory=list)
    kept: int = 0

    @property
    def share_kept(self) -> float | None:
        return self.kept / len(self.measured) if self.measured else None

    @property
    def median(self) -> float | None:
        return median(self.measured) if self.measured else None


def _measure(unit: str, start, end) -> float | None:
    """The time between two events in a timescale's unit (None where it cannot be counted)."""
    if unit == "working_days":
        return float(working_days_between(start.day, end.day))
    if unit in {"days", "same_day"}:
        return float((end.day - start.day).days)
    if unit == "weeks":
        return (end.day - start.day).days / 7
    if unit == "months":  # as the audit counts them: month ends read as the same day
        return (month_day_index(end.day) - month_day_index(start.day)) / 31
    if unit == "hours" and isinstance(start.when, datetime) and isinstance(end.when, datetime):
        return hour_index(uk_local(end.when)) - hour_index(uk_local(start.when))
    return None


def timeliness(result: AuditResult, authority_id: str, pathway_id: str) -> list[Timeliness]:
    """Each countable timescale of the pathway: measured on every case that recorded both its
    steps, kept where the audit found nothing against it."""
    digraph = pathway_graph(authority_id, pathway_id)
    rows = []
    for row in digraph.graph["timescales"]:
        unit = row.audit_unit or row.unit
        # only what the audit checks as a limit: not the weekday rule, a check point, an
        # approximate duration (never a departure), a review interval, or a restatement
        if row.kind in {"weekday", "check_point", "approximate"} or row.restates or row.from_step == row.to_step:
            continue
        entry = Timeliness(row.label, row.describe(), unit.replace("_", " "), row.source)
        for case in result.results:
            record = case.case
            if (record.authority, record.pathway) != (authority_id, pathway_id):
                continue
            first = {}
            for event in record.events:
                first.setdefault(event.node, event)
            if row.from_step not in first or row.to_step not in first:
                continue
            start, end = first[row.from_step], first[row.to_step]
            if row.kind == "lookback":  # the most recent 'from' on or before the 'to', as the audit reads it
                earlier = [e for e in record.events if e.node == row.from_step and e.day <= end.day]
                start = earlier[-1] if earlier else start
            value = _measure(unit, start, end)
            if value is None:
                continue
            entry.measured.append(value)
            rule = f"timescale:{str(row.iri).rsplit('/', 1)[-1]}"
            if not any(f.rule == rule for f in case.findings):
                entry.kept += 1
        if entry.measured:
            rows.append(entry)
    return rows
