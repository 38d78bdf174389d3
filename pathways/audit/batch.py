"""Auditing a batch of cases: chunks, workers, progress, and every input accounted for.

Cases are independent, so a batch is cut into chunks of one pathway each (each chunk
loads one rules graph) and the chunks are audited by the chosen engine, in forked worker
processes when asked. The result holds one :class:`CaseResult` per case read, in the
order read, and every rejected input: cases in = audited + rejected.
"""

from __future__ import annotations

from collections.abc import Callable

from pathways.audit.engines import DEFAULT_ENGINE, engine
from pathways.audit.findings import AuditResult, CaseResult
from pathways.audit.workers import audit_in_workers
from pathways.cases.csv_columns import detach_columns
from pathways.cases.records import CaseBatch, CaseRecord
from pathways.model.loading import load_model

__all__ = ["audit_case", "audit_cases"]


def audit_cases(
    batch: CaseBatch,
    progress: Callable[[int, int], None] | None = None,
    engine_name: str = DEFAULT_ENGINE,
    workers: int = 1,
) -> AuditResult:
    """Audit every case of a batch; rejected inputs are carried into the result.

    ``engine_name`` names one of :data:`pathways.audit.engines.ENGINES` (the default
    evaluates the shapes set-at-a-time; "pyshacl" validates case by case, the reference
    semantics). With ``workers`` > 1 the chunks are audited in that many forked processes
    (by an engine that forks; the columnar engine uses every core by itself); the results
    are the same, in the same order. ``progress(done, total)`` is called after
    each chunk.
    """
    chosen = engine(engine_name)
    result = AuditResult(rejected=list(batch.rejected))
    total = len(batch.cases)
    # Chunks of cases on one pathway load one rules graph, not all eight.
    order = sorted(range(total), key=lambda i: (batch.cases[i].authority, batch.cases[i].pathway))
    cases = [batch.cases[i] for i in order]
    if workers > 1 and total > chosen.chunk and chosen.forks:
        detach_columns(cases)  # the workers read events; polars, which makes them, must not run in a fork
        chosen.prepare(cases)
        load_model()
        chunks = audit_in_workers(cases, chosen.audit_records, chosen.chunk, workers)
    else:
        chunks = (
            (start, [(r.findings, r.validation) for r in chosen.audit_records(cases[start : start + chosen.chunk])])
            for start in range(0, total, chosen.chunk)
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


def audit_case(record: CaseRecord, engine_name: str = DEFAULT_ENGINE) -> CaseResult:
    """Audit one case record (for a case page or a flowchart overlay)."""
    return engine(engine_name).audit_records([record])[0]
