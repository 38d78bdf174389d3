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

from pathways.cases.limits import MAX_FILE_BYTES
from pathways.cases.records import CaseBatch
from pathways.cases.resolving import RawCase, RawEvent, Resolver, finish, resolver, split_keys, take_case_fields
from pathways.errors import InputError

__all__ = ["COLUMN_ALIASES", "REQUIRED_COLUMNS", "read_csv"]

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
_OPTIONAL_COLUMNS = ("evidence", "concerns", "level_before", "level_after", "outcome")


def read_csv(text: str, source: str, lookup: Resolver | None = None) -> CaseBatch:
    """Read a CSV event log; file-level problems raise InputError, row problems reject a case."""
    lookup = lookup or resolver()
    csv.field_size_limit(MAX_FILE_BYTES)  # a long field is a row problem, not a csv.Error traceback
    if not text.strip():
        raise InputError(f"{source}: empty file")
    reader = csv.reader(io.StringIO(text, newline=""))
    header = next(reader)
    columns = [COLUMN_ALIASES.get(h.strip().casefold(), h.strip().casefold()) for h in header]
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
    wanted = [(c, position[c]) for c in (*REQUIRED_COLUMNS, *_OPTIONAL_COLUMNS) if c in position]
    raws: dict[str, RawCase] = {}
    broken: dict[str, str] = {}
    taken: dict[str, tuple[str, ...]] = {}
    for line_number, values in enumerate(reader, start=2):
        if not any(v.strip() for v in values):
            continue
        if len(values) != len(columns):
            case_id = values[position["case_id"]].strip() if len(values) > position["case_id"] else ""
            broken.setdefault(case_id, f"{source}, row {line_number}: {len(values)} fields, header has {len(columns)}")
            continue
        row = {c: values[i].strip() for c, i in wanted}
        case_id = row["case_id"]
        if not case_id:
            broken.setdefault("", f"{source}, row {line_number}: empty case_id")
            continue
        raw = raws.get(case_id)
        if raw is None:
            raw = raws[case_id] = RawCase(case_id, f"{source}, case {case_id}")
        fields = tuple(row.get(name, "") for name in _CASE_FIELDS)
        if taken.get(case_id) != fields:  # the case's fields as an earlier row took them need no second look
            conflict = take_case_fields(raw, row)
            if conflict:
                broken.setdefault(case_id, f"{source}, row {line_number}: {conflict}")
                continue
            taken[case_id] = fields
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
    return finish(raws, broken, source, lookup)
