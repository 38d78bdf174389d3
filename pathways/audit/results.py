"""SHACL validation results as plain values, read from and written to report graphs.

Both engines produce the same :class:`ValidationResult` rows: pySHACL's report graph is
read into them, the set-at-a-time engine makes them directly. Findings are built from the
rows, and a report graph is only written when someone asks for one (``--format ttl``):
building an rdflib graph per case was a large part of the cost of a big audit.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from rdflib import BNode, Graph, Literal
from rdflib.term import Node

from pathways.model.vocabulary import PW, RDF, SH


@dataclass(frozen=True)
class ValidationResult:
    """One sh:ValidationResult: the focus node, severity, shape, constraint and messages."""

    focus: Node
    severity: Node
    shape: Node
    constraint: Node | None
    component: Node | None
    value: Node | None
    messages: tuple[str, ...]
    path: Node | None = None

    def add_to(self, report: Graph) -> BNode:
        """Write this result into a report graph, as pySHACL writes it."""
        node = BNode()
        report.add((node, RDF.type, SH.ValidationResult))
        report.add((node, SH.focusNode, self.focus))
        report.add((node, SH.resultSeverity, self.severity))
        report.add((node, SH.sourceShape, self.shape))
        for predicate, value in (
            (SH.sourceConstraint, self.constraint),
            (SH.sourceConstraintComponent, self.component),
            (SH.value, self.value),
            (SH.resultPath, self.path),
        ):
            if value is not None:
                report.add((node, predicate, value))
        for message in self.messages:
            report.add((node, SH.resultMessage, Literal(message)))
        return node


def results_from_report(report: Graph) -> list[ValidationResult]:
    """The validation results of a report graph (pySHACL's output)."""
    return [
        ValidationResult(
            focus=report.value(node, SH.focusNode),
            severity=report.value(node, SH.resultSeverity),
            shape=report.value(node, SH.sourceShape),
            constraint=report.value(node, SH.sourceConstraint),
            component=report.value(node, SH.sourceConstraintComponent),
            value=report.value(node, SH.value),
            messages=tuple(sorted(str(m) for m in report.objects(node, SH.resultMessage))),
            path=report.value(node, SH.resultPath),
        )
        for node in report.subjects(RDF.type, SH.ValidationResult)
    ]


def report_graph(results: Iterable[ValidationResult]) -> Graph:
    """A SHACL validation report (sh:ValidationReport) holding the given results.

    ``sh:conforms`` is false when there is any result, whatever its severity, as the SHACL
    specification defines it; the audit's exit code is what treats only Violations as failing.
    """
    report = Graph()
    report.bind("sh", SH)
    report.bind("pw", PW)
    root = BNode()
    report.add((root, RDF.type, SH.ValidationReport))
    conforms = True
    for result in results:
        report.add((root, SH.result, result.add_to(report)))
        conforms = False
    report.add((root, SH.conforms, Literal(conforms)))
    return report
