"""Reading case files: the reader chosen by file name, size limits, ids unique across files.

``read_cases`` is the entry point for paths, ``read_bytes`` for uploads (the explorer).
CSV event logs go to :mod:`~pathways.cases.csv_input`, XES logs to
:mod:`~pathways.cases.xes`, Turtle and JSON-LD to
:mod:`~pathways.cases.rdf_input`; a case id read from two files is rejected in the second
(:func:`refuse_duplicate_ids`). Nothing is dropped silently: cases in = read + rejected.
"""

from __future__ import annotations

import gc
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path

from pathways.cases.csv_input import read_csv
from pathways.cases.limits import MAX_FILE_BYTES
from pathways.cases.rdf_input import read_rdf
from pathways.cases.records import CaseBatch, Rejection
from pathways.cases.resolving import Resolver
from pathways.cases.xes import read_xes
from pathways.errors import InputError

__all__ = ["collector_paused", "read_bytes", "read_cases", "refuse_duplicate_ids"]


@contextmanager
def collector_paused() -> Iterator[None]:
    """Pause Python's cyclic garbage collector while a file's records are built.

    Reading 100,000 cases creates millions of small objects and no reference cycles; the
    collector, triggered by allocation counts, would walk the growing heap over and over
    (measured: 40% of the time of reading a 100,000-case file). Anything cyclic is
    collected as soon as it is resumed.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _decode(data: bytes, source: str, max_bytes: int = MAX_FILE_BYTES) -> str:
    if len(data) > max_bytes:
        raise InputError(f"{source}: file is larger than {max_bytes // (1024 * 1024):,} MB")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(f"{source}: not UTF-8 text (byte {exc.start})") from None


def read_cases(
    paths: Iterable[str | Path], lookup: Resolver | None = None, max_bytes: int = MAX_FILE_BYTES
) -> CaseBatch:
    """Read case records from CSV, Turtle (.ttl) or JSON-LD (.jsonld/.json) files; ``lookup``
    resolves names (the model's, or the model's plus an activity map's). Every file is read
    whole (:func:`~pathways.cases.batches.read_batches` reads a large one a batch at a time)."""
    batch = CaseBatch()
    for path in paths:
        batch.extend(_read_path(Path(path), lookup, max_bytes))
    refuse_duplicate_ids(batch)
    return batch


def _read_path(path: Path, lookup: Resolver | None = None, max_bytes: int = MAX_FILE_BYTES) -> CaseBatch:
    try:
        if path.stat().st_size > max_bytes:
            raise InputError(f"{path}: file is larger than {max_bytes // (1024 * 1024):,} MB")
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(f"{path}: cannot be read: {exc.strerror or exc}") from None
    return read_bytes(data, str(path), lookup, max_bytes)


def read_bytes(data: bytes, source: str, lookup: Resolver | None = None, max_bytes: int = MAX_FILE_BYTES) -> CaseBatch:
    """Read case records from the bytes of one file, choosing the reader by file name."""
    with collector_paused():
        return _read_bytes(data, source, lookup, max_bytes)


def _read_bytes(data: bytes, source: str, lookup: Resolver | None = None, max_bytes: int = MAX_FILE_BYTES) -> CaseBatch:
    text = _decode(data, source, max_bytes)
    suffix = Path(source).suffix.lower()
    if suffix == ".ttl":
        return read_rdf(text, source, "turtle", lookup)
    if suffix in {".jsonld", ".json"}:
        return read_rdf(text, source, "json-ld", lookup)
    if suffix in {".csv", ".txt", ""}:
        return read_csv(text, source, lookup)
    if suffix == ".xes":
        return read_xes(text, source, lookup)
    raise InputError(f"{source}: unknown file type {suffix!r}; use .csv, .xes, .ttl or .jsonld")


def refuse_duplicate_ids(batch: CaseBatch, seen: dict[str, str] | None = None) -> None:
    """Reject every case whose id was already read from another file (ids must be unique);
    ``seen`` holds the ids read before, with their files (batches of a large file share it)."""
    seen = {} if seen is None else seen
    kept = []
    for record in batch.cases:
        if record.case_id in seen and seen[record.case_id] != record.source:
            batch.rejected.append(
                Rejection(
                    record.source,
                    record.case_id,
                    f"{record.source}: case {record.case_id!r} also in {seen[record.case_id]}",
                )
            )
            continue
        seen[record.case_id] = record.source
        kept.append(record)
    batch.cases = kept
