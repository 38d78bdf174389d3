"""Auditing a batch in worker processes, one chunk of cases at a time.

Cases are independent, so a batch splits into chunks audited side by side. The workers
are forked from the process that read the batch: they inherit the cases and the loaded
model, so only the chunk bounds go to a worker and only the findings come back (most
cases have none). Each worker freezes what it inherited (``gc.freeze``) so the garbage
collector neither walks nor copies the parent's objects. Forking is only done from a
single-threaded caller (the CLI); the explorer audits in its own process.
"""

from __future__ import annotations

import gc
import multiprocessing
import os
from collections.abc import Callable, Iterator

from pathways.cases.records import CaseRecord

# The batch being audited, inherited by the forked workers (never pickled).
_CASES: list[CaseRecord] = []
_AUDIT: Callable[[list[CaseRecord]], list] | None = None


def available_cores() -> int:
    """The CPU cores this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def _audit_chunk(bounds: tuple[int, int]) -> list[tuple[list, list]]:
    start, end = bounds
    return [(r.findings, r.validation) for r in _AUDIT(_CASES[start:end])]


def audit_in_workers(
    cases: list[CaseRecord],
    audit_chunk: Callable[[list[CaseRecord]], list],
    chunk: int,
    workers: int,
) -> Iterator[tuple[int, list[tuple[list, list]]]]:
    """Audit ``cases`` in chunks across ``workers`` forked processes, yielding each chunk's
    start and its (findings, validation results) per case, in order."""
    global _CASES, _AUDIT
    _CASES, _AUDIT = cases, audit_chunk
    bounds = [(start, min(start + chunk, len(cases))) for start in range(0, len(cases), chunk)]
    try:
        with multiprocessing.get_context("fork").Pool(workers, initializer=gc.freeze) as pool:
            for (start, _), results in zip(bounds, pool.imap(_audit_chunk, bounds), strict=True):
                yield start, results
    finally:
        _CASES, _AUDIT = [], None
