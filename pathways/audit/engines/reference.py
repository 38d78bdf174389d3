"""The reference engine: plain pySHACL, one case at a time.

Each case is validated on its own data graph (the case's triples beside its pathway's
rules graph) with pySHACL, the reference implementation of SHACL and SHACL-SPARQL
(W3C SHACL §5, SPARQL-based constraints). It is slow (seconds a case) and is what the
other engines are proven against, finding by finding.
"""

from __future__ import annotations

from rdflib import Graph

from pathways.audit.findings import CaseResult, findings_from_results
from pathways.audit.results import results_from_report
from pathways.audit.rules import rules_graph, shapes_graph
from pathways.cases.rdf import case_graph
from pathways.cases.records import CaseRecord
from pathways.model.shacl import shacl_report

__all__ = ["audit_case", "audit_records"]


def audit_case(record: CaseRecord) -> CaseResult:
    """Validate one case with pySHACL and read the report into findings."""
    data = Graph()
    for triple in rules_graph(record.authority, record.pathway):
        data.add(triple)
    case_graph(record, data)
    report = shacl_report(data, shapes_graph(), inplace=True)
    validation = results_from_report(report)
    return CaseResult(record, findings_from_results(validation, record), validation)


def audit_records(records: list[CaseRecord]) -> list[CaseResult]:
    """Validate cases one by one with pySHACL (the reference semantics)."""
    return [audit_case(record) for record in records]
