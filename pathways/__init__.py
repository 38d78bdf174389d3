"""Pathways: a cited knowledge model of Step Up / Step Down procedures.

The policy facts live in ``ontology/`` (Turtle). This package loads them, derives the
pathway graphs, validates case records against them and renders them; it holds no
policy fact of its own. The stages are sub-packages, each importing only the ones
before it::

    model    the Turtle, loaded offline: policy records, citations, pathway graphs
    cases    case records: readers, names, working days, the case graph, trace, synth
    audit    SHACL engines, findings and the batch audit
    compare  two authorities side by side, from their alignment
    render   tables, the HTML report, BPMN, Mermaid, GraphML and RDF exports, palette
    cli      the ``pathways`` command: the one place that also uses ``viz``

The names below are the public API (loaded on first use, so ``import pathways`` is cheap)::

    >>> import pathways
    >>> graph = pathways.pathway_graph("knowsley", "step-up-planned")
    >>> batch = pathways.read_cases([pathways.SAMPLE_CASES])
    >>> result = pathways.audit_cases(batch)
    >>> result.cases_in == len(batch.cases) + len(batch.rejected)
    True
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

_API = {
    # the policy model
    "load_model": "pathways.model",
    "authorities": "pathways.model",
    "pathways": "pathways.model",
    "pathway": "pathways.model",
    "pathway_graph": "pathways.model",
    "timescales": "pathways.model",
    "requirements": "pathways.model",
    "citation": "pathways.model",
    "pathway_summary": "pathways.model",
    # case records
    "read_cases": "pathways.cases",
    "read_bytes": "pathways.cases",
    "CaseBatch": "pathways.cases",
    "CaseRecord": "pathways.cases",
    "trace_case": "pathways.cases",
    "SAMPLE_CASES": "pathways.model.resources",
    # the audit
    "audit_cases": "pathways.audit",
    "audit_case": "pathways.audit",
    "AuditResult": "pathways.audit",
    "Finding": "pathways.audit",
    "ENGINES": "pathways.audit",
    # comparison
    "compare_authorities": "pathways.compare",
    # errors
    "PathwaysError": "pathways.errors",
    "InputError": "pathways.errors",
    "ModelError": "pathways.errors",
}

# the names of _API, and the version (tests/test_layout.py checks they agree)
__all__ = [
    "ENGINES",
    "SAMPLE_CASES",
    "AuditResult",
    "CaseBatch",
    "CaseRecord",
    "Finding",
    "InputError",
    "ModelError",
    "PathwaysError",
    "__version__",
    "audit_case",
    "audit_cases",
    "authorities",
    "citation",
    "compare_authorities",
    "load_model",
    "pathway",
    "pathway_graph",
    "pathway_summary",
    "pathways",
    "read_bytes",
    "read_cases",
    "requirements",
    "timescales",
    "trace_case",
]


def __getattr__(name: str) -> Any:
    module = _API.get(name)
    if module is None:
        raise AttributeError(f"module 'pathways' has no attribute {name!r}")
    value = getattr(import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_API))


if TYPE_CHECKING:  # the same names, for type checkers and editors
    from pathways.audit import ENGINES, AuditResult, Finding, audit_case, audit_cases
    from pathways.cases import CaseBatch, CaseRecord, read_bytes, read_cases, trace_case
    from pathways.compare import compare_authorities
    from pathways.errors import InputError, ModelError, PathwaysError
    from pathways.model import (
        authorities,
        citation,
        load_model,
        pathway,
        pathway_graph,
        pathway_summary,
        pathways,
        requirements,
        timescales,
    )
    from pathways.model.resources import SAMPLE_CASES
