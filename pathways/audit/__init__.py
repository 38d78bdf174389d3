"""The audit: case records checked against the policy with SHACL, findings that cite it.

What lives here, in the order of the data flow:

- :mod:`~pathways.audit.rules`: what the shapes read (each pathway's rules graph, the shapes);
- :mod:`~pathways.audit.engines`: the engines side by side (the pySHACL reference and the
  set-at-a-time Oxigraph engine) behind one registry;
- :mod:`~pathways.audit.results`: SHACL validation results as plain values;
- :mod:`~pathways.audit.findings`: findings, case results and batch results;
- :mod:`~pathways.audit.batch`: the public entry, :func:`audit_cases`, and
  :mod:`~pathways.audit.workers`: the worker pool it may use.

May import :mod:`pathways.model` and :mod:`pathways.cases`; never the renderers, the
comparison, the CLI, ``viz`` or the explorer.
"""

from pathways.audit.batch import audit_case, audit_cases
from pathways.audit.engines import DEFAULT_ENGINE, ENGINES
from pathways.audit.findings import (
    FINDING_COLUMNS,
    RULE_KINDS,
    SEVERITIES,
    AuditResult,
    CaseResult,
    Finding,
    findings_rows,
    summary_rows,
)
from pathways.audit.monitoring import monitoring_counts
from pathways.audit.rules import data_graph, shapes_graph
from pathways.audit.workers import available_cores

__all__ = [
    "DEFAULT_ENGINE",
    "ENGINES",
    "FINDING_COLUMNS",
    "RULE_KINDS",
    "SEVERITIES",
    "AuditResult",
    "CaseResult",
    "Finding",
    "audit_case",
    "audit_cases",
    "available_cores",
    "data_graph",
    "findings_rows",
    "monitoring_counts",
    "shapes_graph",
    "summary_rows",
]
