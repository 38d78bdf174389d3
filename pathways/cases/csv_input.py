"""Reading CSV event logs: one row per event, in the usual process-mining shape.

Columns ``case_id, authority, pathway, activity, timestamp, role`` are required (XES
names such as ``case:concept:name`` are accepted as aliases); ``evidence``, ``concerns``,
``level_before``, ``level_after`` and ``outcome`` (which way a decision went: one of its
branches, as ``pathways show`` lists them) are optional. A file-level problem (no header,
missing columns) raises :class:`~pathways.errors.InputError`; a problem in a row rejects
its case with one line naming the row.
"""

from __future__ import annotations

import csv
import io
from collections import Counter

from pathways.cases.csv_columns import read_regular_csv
from pathways.cases.limits import MAX_FILE_BYTES
from pathways.cases.records import CaseBatch
from pathways.cases.resolving import RawCase, RawEvent, Resolver, finish, resolver, split_keys, take_case_fields
from pathways.errors import InputError

__all__ = ["COLUMN_ALIASES", "OPTIONAL_COLUMNS", "REQUIRED_COLUMNS", "RowReader", "column_names", "read_csv"]

REQUIRED_COLUMNS = ("case_id", "authority", "pathway", "activity", "timestamp", "role")
COLUMN_ALIASES = {
    "case:concept:name": "case_id",
    "case": "case_id",
    "concept:name": "activity",
    "time:timestamp": "timestamp",
    "org:role": "role",
    "org:resource": "role",
    "case:authority": "authority",
    "case:pathway": "pathway",
}


_CASE_FIELDS = ("authority", "pathway", "level_before", "level_after", "concerns")
OPTIONAL_COLUMNS = ("evidence", "concerns", "level_before", "level_after", "outcome")


def read_csv(
    text: str, source: str, lookup: Resolver | None = None, row_at_a_time: bool = False, first_row: int = 2
) -> CaseBatch:
    """Read a CSV event log; file-level problems raise InputError, row problems reject a case.

    A regular file is read a column at a time (:mod:`~pathways.cases.csv_columns`), any
    other row at a time; ``row_at_a_time`` reads every file row at a time (the reference
    the column reader is tested against: the same cases and rejections, word for word).
    ``first_row`` is the number rows are counted from after the header (a batch of a
    larger file, :mod:`~pathways.cases.batches`, starts further on).
    """
    lookup = lookup or resolver()
    csv.field_size_limit(MAX_FILE_BYTES)  # a long field is a row problem, not a csv.Error traceback
    if not text or text.isspace():  # (not text.strip(): a copy of the whole file)
        raise InputError(f"{source}: empty file")
    header = _header(text)
    columns = column_names(header)
    duplicated = sorted(c for c, n in Counter(columns).items() if c and n > 1)  # linear: a header may be wide
    if duplicated:
        raise InputError(f"{source}: duplicate column(s) {', '.join(duplicated)} in the header")
    missing = [c for c in REQUIRED_COLUMNS if c not in columns]
    if missing:
        hint = " (is the file comma-separated?)" if len(columns) == 1 and len(header[0]) > 20 else ""
        raise InputError(
            f"{source}: missing column(s) {', '.join(missing)}{hint}; required: {', '.join(REQUIRED_COLUMNS)}"
        )
    position = {c: i for i, c in enumerate(columns)}
    # only the columns read are taken from a row: any others are ignored, however many
    wanted = [(c, position[c]) for c in (*REQUIRED_COLUMNS, *OPTIONAL_COLUMNS) if c in position]
    regular = None if row_at_a_time else read_regular_csv(text, source, lookup, header, dict(wanted), first_row)
    if regular is not None:
        return regular
    reader = csv.reader(io.StringIO(text, newline=""))
    next(reader)
    rows = RowReader(source)
    for line_number, values in enumerate(reader, start=first_row):
        if not any(v.strip() for v in values):
            continue
        if len(values) != len(columns):
            case_id = values[position["case_id"]].strip() if len(values) > position["case_id"] else ""
            rows.refuse(case_id, f"{source}, row {line_number}: {len(values)} fields, header has {len(columns)}")
            continue
        rows.take(line_number, {c: values[i].strip() for c, i in wanted})
    return finish(rows.raws, rows.broken, source, lookup)


def column_names(header: list[str]) -> list[str]:
    """The header's names as the reader knows them: case and spacing ignored, aliases applied.

    >>> column_names(["Case:Concept:Name", " Activity ", "time:timestamp"])
    ['case_id', 'activity', 'timestamp']
    """
    return [COLUMN_ALIASES.get(h.strip().casefold(), h.strip().casefold()) for h in header]


def _header(text: str) -> list[str]:
    """The header record, read from its line alone when it has no quote character (so the
    whole file is not copied for it)."""
    end = text.find("\n")
    first = text if end < 0 else text[: end + 1]
    return next(csv.reader(io.StringIO(first if '"' not in first else text, newline="")))


class RowReader:
    """The cases of a CSV file as its rows are taken one at a time: each case's raw
    events and fields, and the cases already refused, each with its first problem."""

    def __init__(self, source: str) -> None:
        self.source = source
        self.raws: dict[str, RawCase] = {}
        self.broken: dict[str, str] = {}
        self._taken: dict[str, tuple[str, ...]] = {}

    def refuse(self, case_id: str, message: str) -> None:
        """Refuse a case; the first problem found is the one reported."""
        self.broken.setdefault(case_id, message)

    def take(self, line_number: int, row: dict[str, str]) -> None:
        """Take one row (its columns' values, stripped) into its case."""
        case_id = row["case_id"]
        if not case_id:
            self.refuse("", f"{self.source}, row {line_number}: empty case_id")
            return
        raw = self.raws.get(case_id)
        if raw is None:
            raw = self.raws[case_id] = RawCase(case_id, f"{self.source}, case {case_id}")
        fields = tuple(row.get(name, "") for name in _CASE_FIELDS)
        if self._taken.get(case_id) != fields:  # the case's fields as an earlier row took them need no second look
            conflict = take_case_fields(raw, row)
            if conflict:
                self.refuse(case_id, f"{self.source}, row {line_number}: {conflict}")
                return
            self._taken[case_id] = fields
        raw.events.append(
            RawEvent(
                line_number,
                row["activity"],
                row["timestamp"],
                row["role"],
                split_keys(row.get("evidence", "")),
                row.get("outcome", ""),
            )
        )
