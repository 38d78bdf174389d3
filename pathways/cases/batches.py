"""Reading case files in batches of cases: a file larger than memory comfortably holds is
audited a batch at a time instead of refused.

:func:`read_batches` yields the cases of some files as :class:`CaseBatch` es. A file up to
:data:`~pathways.cases.limits.BATCH_BYTES` (and any file that is not CSV) is one batch,
read as :func:`~pathways.cases.files.read_cases` reads it. A larger CSV file is cut, at
line ends, into blocks of about that size, each moved back to where its last case's rows
begin so that no case is split, and each block is read with the file's header and its
own row numbers (every message names the file's row). The rows of a case must therefore
be next to each other in such a file (as exports sorted by case are, and as ``pathways
synth`` writes them); a case whose rows come back after other cases' is refused with one
line naming it and its row, never audited in two halves. Nothing above
:data:`~pathways.cases.limits.MAX_FILE_BYTES` (configurable: ``pathways validate
--max-file-mb``) is read.

>>> from pathways.model.resources import SAMPLE_CASES
>>> [len(batch.cases) for batch in read_batches([SAMPLE_CASES])]
[24]
>>> [len(batch.cases) for batch in read_batches([SAMPLE_CASES], batch_bytes=5_000)][:4]
[2, 2, 2, 3]
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Iterator
from pathlib import Path

from pathways.cases.csv_input import column_names, read_csv
from pathways.cases.files import collector_paused, read_bytes, refuse_duplicate_ids
from pathways.cases.limits import BATCH_BYTES, MAX_FILE_BYTES
from pathways.cases.records import CaseBatch
from pathways.cases.resolving import Resolver, resolver
from pathways.errors import InputError

__all__ = ["read_batches", "too_large"]

_CSV_SUFFIXES = {".csv", ".txt", ""}


def too_large(path: Path, max_bytes: int) -> str | None:
    """Why ``path`` is not read (larger than ``max_bytes``), or None."""
    size = path.stat().st_size
    if size > max_bytes:
        return f"{path}: file is larger than {max_bytes // 2**20:,} MB (the limit: raise it with --max-file-mb)"
    return None


def read_batches(
    paths: Iterable[str | Path],
    lookup: Resolver | None = None,
    *,
    max_bytes: int = MAX_FILE_BYTES,
    batch_bytes: int = BATCH_BYTES,
) -> Iterator[CaseBatch]:
    """The cases of ``paths``, a batch at a time; a case id read from two files is rejected
    in the second, as :func:`~pathways.cases.files.read_cases` does."""
    lookup = lookup or resolver()
    seen: dict[str, str] = {}
    for name in paths:
        path = Path(name)
        try:
            refused = too_large(path, max_bytes)
            size = path.stat().st_size
        except OSError as exc:
            raise InputError(f"{path}: cannot be read: {exc.strerror or exc}") from None
        if refused:
            raise InputError(refused)
        if size > batch_bytes and path.suffix.lower() in _CSV_SUFFIXES:
            batches = _csv_batches(path, lookup, batch_bytes)
        else:
            batches = iter([_whole(path, lookup, max_bytes)])
        for batch in batches:
            refuse_duplicate_ids(batch, seen)
            yield batch


def _whole(path: Path, lookup: Resolver, max_bytes: int) -> CaseBatch:
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(f"{path}: cannot be read: {exc.strerror or exc}") from None
    return read_bytes(data, str(path), lookup, max_bytes)


def _csv_batches(path: Path, lookup: Resolver, batch_bytes: int) -> Iterator[CaseBatch]:
    """The cases of one large CSV file, a block of whole cases at a time."""
    source = str(path)
    with open(path, "rb") as handle:
        header_line = handle.readline()
        header_text = _decoded(header_line, source, 0).removeprefix("\ufeff")
        if header_text.count('"') % 2:
            raise InputError(f"{source}, row 1: the header has a quoted field over a line break")
        header = next(csv.reader([header_text]), [])
        columns = column_names(header)
        position = columns.index("case_id") if "case_id" in columns else None
        offset = len(header_line)  # of the block in the file, for a message about its bytes
        first_row = 2
        earlier: set[str] = set()  # case ids of the blocks already read
        carry = b""
        while True:
            chunk = handle.read(batch_bytes)
            data = carry + chunk
            if not chunk:
                block, carry = data, b""
            else:
                end = data.rfind(b"\n") + 1
                if end == 0:
                    carry = data  # one line longer than a block: read on
                    continue
                start = end if position is None else _last_case_start(data, end, position, source, first_row)
                if start == 0:  # one case so far: read on (up to a limit)
                    if len(data) > 4 * batch_bytes:
                        raise InputError(
                            f"{source}, row {first_row}: one case has rows over more than {len(data):,} bytes; "
                            "raise --batch-mb"
                        )
                    carry = data
                    continue
                block, carry = data[:start], data[start:]
            if block.strip() or (not chunk and first_row == 2):
                text = header_text + _decoded(block, source, offset)
                with collector_paused():
                    batch = read_csv(text, source, lookup, first_row=first_row)
                _refuse_split_cases(batch, earlier, source, first_row)
                yield batch
            first_row += block.count(b"\n")
            offset += len(block)
            if not chunk:
                return


def _decoded(data: bytes, source: str, offset: int) -> str:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise InputError(f"{source}: not UTF-8 text (byte {offset + exc.start})") from None


def _case_id(line: bytes, position: int, source: str, row: int) -> str:
    text = line.decode("utf-8", errors="replace")
    if text.count('"') % 2:
        raise InputError(
            f"{source}, row {row}: a quoted field over a line break where the file is cut into batches; "
            "a file this large must have one record a line"
        )
    record = next(csv.reader([text]), [])
    return record[position].strip() if position < len(record) else ""


def _last_case_start(data: bytes, end: int, position: int, source: str, first_row: int) -> int:
    """Where the rows of the last case of ``data[:end]`` begin (so the next block starts
    with that whole case; 0 when they are all one case's); blank lines go with it."""
    lines_before = data.count(b"\n", 0, end)

    def line_at(stop: int) -> tuple[int, bytes]:
        begin = data.rfind(b"\n", 0, stop - 1) + 1
        return begin, data[begin : stop - 1]

    stop, case = end, None
    row = first_row + lines_before - 1
    while stop > 0:
        begin, line = line_at(stop)
        found = _case_id(line, position, source, row) if line.strip(b" \t\r,") else None
        if found is not None:
            if case is None:
                case = found
            elif found != case:
                return stop
        stop, row = begin, row - 1
    return end if case is None else 0  # blank lines only; or one case


def _refuse_split_cases(batch: CaseBatch, earlier: set[str], source: str, first_row: int) -> None:
    ids = [r.case_id for r in batch.cases] + [r.case_id for r in batch.rejected if r.case_id]
    for case_id in ids:
        if case_id in earlier:
            raise InputError(
                f"{source}, row {first_row} on: case {case_id!r} has rows here and before row {first_row}, "
                "after other cases' rows; a file this large is read in batches of whole cases, so each case's "
                "rows must be next to each other (sort the file by case_id)"
            )
    earlier.update(ids)
