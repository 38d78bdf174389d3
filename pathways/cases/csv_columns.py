"""Reading a regular CSV event log a column at a time, each distinct value resolved once.

The row-at-a-time reader (:mod:`~pathways.cases.csv_input`) builds a raw case per case
and resolves it event by event: on 100,000 cases, 30 s of an audit's 50. This reader
gives the same :class:`~pathways.cases.records.CaseBatch` (the same cases, in the same
order, with the same events, and the same rejections, word for word) from columns:

1. polars reads the file's lines; a line without a quote character is split at its
   commas (which is how :mod:`csv` reads it), and the lines with one are given to
   :mod:`csv` itself;
2. every check the row reader makes is made over whole columns, on the distinct values:
   each authority, pathway, activity, role, outcome, evidence and concern name is looked
   up once with the resolver's own functions, and ISO 8601 timestamps are parsed as
   columns (any other spelling, and a time in the hours the UK clocks change, once per
   distinct value by :func:`~pathways.cases.timestamps.parse_timestamp`);
3. a case that any check might reject is handed, with its rows, to the row reader, so
   every rejection is that reader's; the other cases become :class:`ColumnRecord` s,
   whose events stay in the columns (:class:`CaseColumns`) until something reads them.
   The columnar engine audits the columns themselves and makes events only for the cases
   it reports on.

A file is read this way only when it is *regular*: one record a line (no quoted field
over a line break, no lone carriage return), the header on its first line and at most
:data:`WIDEST` columns wide, every line of the header's width (or blank), and no field
holding the four ASCII information separators (U+001C to U+001F), the only characters
Python's :meth:`str.strip` removes and polars' ``strip_chars`` keeps. Any other file is
read row at a time. ``tests/test_csv_columns.py`` holds the two readers equal on generated
files, and the audits of both readings to the same findings.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable
from datetime import UTC, date, datetime, timedelta

import polars as pl
from rdflib import URIRef

from pathways.cases import workdays
from pathways.cases.records import CaseBatch, CaseRecord, Event
from pathways.cases.resolving import Resolver, finish, fold, known_keys, split_keys
from pathways.cases.timestamps import check_date, parse_timestamp, sort_key
from pathways.errors import RowError, UsageError

__all__ = [
    "WIDEST",
    "CaseColumns",
    "ColumnRecord",
    "detach_columns",
    "read_regular_csv",
    "release_columns",
    "shared_columns",
]

WIDEST = 64
"""A header wider than this is read row at a time (the blank-row test reads every column)."""

_SEPARATORS = "\x1c\x1d\x1e\x1f"
_CASE_FIELDS = ("authority", "pathway", "level_before", "level_after")
_OPTIONAL = ("evidence", "concerns", "level_before", "level_after", "outcome")

# Timestamps parsed as columns: exactly the ISO 8601 spellings datetime.fromisoformat reads
# the same way (anything else, including "Z", goes to parse_timestamp).
_ISO_DATE = r"\d{4}-\d{2}-\d{2}"
_ISO_CLOCK = r"[T ]\d{2}:\d{2}(?::\d{2})?"
_ISO_OFFSET = r"[+-](?:[01]\d|2[0-3]):[0-5]\d"
_AWARE = f"^{_ISO_DATE}{_ISO_CLOCK}{_ISO_OFFSET}$"
_NAIVE = f"^{_ISO_DATE}{_ISO_CLOCK}$"
_DATED = f"^{_ISO_DATE}$"
_UK = "Europe/London"
_UNIX = datetime(1970, 1, 1, tzinfo=UTC)
_MICROSECOND = timedelta(microseconds=1)


def read_regular_csv(
    text: str, source: str, lookup: Resolver, header: list[str], wanted: dict[str, int], first_row: int = 2
) -> CaseBatch | None:
    """The cases of a regular CSV file, as the row reader would give them; ``None`` when
    the file is not regular (then the row reader reads it).

    ``header`` is the header as :mod:`csv` read it and ``wanted`` the position of each
    column read, by its name (aliases already applied); ``first_row`` is the row number of
    the first line after the header (a batch of a larger file starts further on).
    """
    if len(header) > WIDEST or any(separator in text for separator in _SEPARATORS):
        return None
    rows = _regular_rows(text, header, wanted, first_row)
    if rows is None:
        return None
    if rows.is_empty():
        return finish({}, {}, source, lookup)  # no events: the row reader's error
    return _Columns(rows, source, lookup).batch()


def _regular_rows(text: str, header: list[str], wanted: dict[str, int], first_row: int) -> pl.DataFrame | None:
    """The non-blank records as columns (the wanted ones, stripped, with their row
    numbers), or ``None`` when the file is not regular.

    polars reads the lines, and the fields of each line split at its commas, which is how
    :mod:`csv` reads a line without a quote character; the lines with one are given to
    :mod:`csv` itself, and if they do not come back one record a line (a quoted field
    runs over a line break) the file is not regular.
    """
    if "\r" in text and _BARE_RETURN.search(text):
        return None  # csv ends a record at a lone carriage return; the lines here would not
    end = text.find("\n")
    first_line = text if end < 0 else text[:end]
    if next(csv.reader([first_line]), None) != header:
        return None  # a header over several lines
    width = len(header)
    data = text.encode()
    try:
        return _split(data, width, wanted, first_row)
    except pl.exceptions.PolarsError:
        return None  # whatever polars cannot read, the row reader reads (or says why not)


def _split(data: bytes, width: int, wanted: dict[str, int], first_row: int) -> pl.DataFrame | None:
    lines = pl.read_csv(
        data,
        has_header=False,
        separator="\x1f",
        quote_char=None,
        new_columns=["line"],
        infer_schema=False,
        skip_rows=1,
    ).with_row_index("row", offset=first_row)
    if lines.is_empty():
        return _no_rows()
    used = sorted(set(wanted.values()))
    line = pl.col("line").fill_null("")
    quoted = line.str.contains('"', literal=True)
    commas = line.str.count_matches(",", literal=True)
    blank = ~line.str.contains(r"[^\s,]")  # commas and white space only (\s: what strip_chars strips)
    checks = lines.select(quoted.alias("quoted"), (blank & ~quoted).alias("blank"), (commas == width - 1).alias("fits"))
    if not (checks["quoted"] | checks["blank"] | checks["fits"]).all():
        return None
    split = pl.col("line").str.split_exact(",", width - 1)
    plain = lines.filter(~checks["quoted"] & ~checks["blank"]).select(
        "row", *(split.struct.field(f"field_{i}").str.strip_chars().alias(f"c{i}") for i in used)
    )
    parts = [plain]
    quoted_lines = lines.filter(checks["quoted"])
    if not quoted_lines.is_empty():
        try:
            records = list(csv.reader(quoted_lines["line"].to_list()))
        except csv.Error:
            return None
        if len(records) != len(quoted_lines) or any(len(r) not in (width, 0) for r in records):
            return None
        kept = [
            (row, [r[i].strip() for i in used])
            for row, r in zip(quoted_lines["row"], records, strict=True)
            if any(v.strip() for v in r)
        ]
        parts.append(
            pl.DataFrame(
                {"row": [row for row, _ in kept], **{f"c{i}": [r[k] for _, r in kept] for k, i in enumerate(used)}},
                schema={"row": pl.UInt32, **{f"c{i}": pl.String for i in used}},
            )
        )
    rows = pl.concat(parts, how="vertical_relaxed")
    return rows.select(
        pl.col("row").cast(pl.Int64),
        *(pl.col(f"c{wanted[c]}").alias(c) if c in wanted else pl.lit("").alias(c) for c in _ALL_COLUMNS),
    )


def _no_rows() -> pl.DataFrame:
    return pl.DataFrame(schema={"row": pl.Int64, **dict.fromkeys(_ALL_COLUMNS, pl.String)})


_BARE_RETURN = re.compile("\r(?!\n)")
_ALL_COLUMNS = ("case_id", "authority", "pathway", "activity", "timestamp", "role", *_OPTIONAL)


def _mapped(column: pl.Expr | str, mapping: dict, dtype: pl.DataType) -> pl.Expr:
    """A column's values through a dict made from its distinct values."""
    keys = list(mapping)
    return (pl.col(column) if isinstance(column, str) else column).replace_strict(
        keys, [mapping[k] for k in keys], default=None, return_dtype=dtype
    )


class _Columns:
    """One regular file's rows, checked and resolved a column at a time."""

    def __init__(self, rows: pl.DataFrame, source: str, lookup: Resolver) -> None:
        self.rows = rows
        self.source = source
        self.lookup = lookup
        self.today = date.today()
        self.nodes: dict[str, URIRef] = {}
        self.roles: dict[str, URIRef] = {}

    # -------------------------------------------------------------- names, once each

    def _case_fields(self, rows: pl.DataFrame) -> tuple[pl.DataFrame, pl.DataFrame]:
        """Each case's fields, first row and whether they contradict each other (then the
        row reader says where); authorities are matched case-insensitively, as it does."""
        spelled = {a: a.casefold() for a in rows["authority"].unique().to_list()}
        rows = rows.with_columns(_mapped("authority", spelled, pl.String))
        single = [pl.col(name).filter(pl.col(name) != "").first().fill_null("").alias(name) for name in _CASE_FIELDS]
        clash = pl.any_horizontal(pl.col(name).filter(pl.col(name) != "").n_unique() > 1 for name in _CASE_FIELDS)
        return rows, rows.group_by("case_id", maintain_order=True).agg(
            pl.col("row").min().alias("first_row"), *single, clash.alias("clash")
        )

    def _known_pathways(self, cases: pl.DataFrame) -> pl.DataFrame:
        pairs = cases.select("authority", "pathway").unique().rows()
        return pl.DataFrame(
            [(*pair, pair in self.lookup.pathways) for pair in pairs],
            schema={"authority": pl.String, "pathway": pl.String, "known": pl.Boolean},
            orient="row",
        )

    def _steps(self, rows: pl.DataFrame) -> pl.DataFrame:
        found = []
        for authority, pathway, activity in rows.select("authority", "pathway", "activity").unique().rows():
            node = self.lookup.steps(authority, pathway).get(fold(activity))
            if node is not None:
                self.nodes[str(node)] = node
            found.append((authority, pathway, activity, None if node is None else str(node)))
        return pl.DataFrame(
            found,
            schema={"authority": pl.String, "pathway": pl.String, "activity": pl.String, "node": pl.String},
            orient="row",
        )

    def _roles(self, rows: pl.DataFrame) -> pl.DataFrame:
        found = []
        for authority, role in rows.select("authority", "role").unique().rows():
            iri = self.lookup.roles(authority).get(fold(role))
            if iri is not None:
                self.roles[str(iri)] = iri
            found.append((authority, role, None if iri is None else str(iri)))
        return pl.DataFrame(
            found, schema={"authority": pl.String, "role": pl.String, "role_iri": pl.String}, orient="row"
        )

    def _outcomes(self, rows: pl.DataFrame) -> pl.DataFrame:
        found = []
        for node, outcome in rows.filter(pl.col("outcome") != "").select("node", "outcome").unique().rows():
            found.append((node, outcome, self.lookup.outcomes(self.nodes[node]).get(fold(outcome)) or None))
        return pl.DataFrame(found, schema={"node": pl.String, "outcome": pl.String, "branch": pl.String}, orient="row")

    def _keys(self, values: list[str], known: dict[str, str], what: str) -> dict[str, tuple[str, ...] | None]:
        """Each distinct evidence or concerns cell as the model spells its keys (``None``:
        some key is unknown, and the row reader will say which)."""
        spelled: dict[str, tuple[str, ...] | None] = {}
        for value in values:
            try:
                spelled[value] = known_keys(split_keys(value), known, what, "")
            except RowError:
                spelled[value] = None
        return spelled

    # -------------------------------------------------------------- timestamps as columns

    def _times(self, rows: pl.DataFrame) -> pl.DataFrame:
        """Each row's instant to order by (``order``: microseconds, UTC), its UK date
        (``day``), whether it has a time and a zone, and whether it is readable; the
        spellings not parsed here, and the clock-change hours, are read in Python."""
        text = pl.col("timestamp")
        first_day = pl.date(workdays.FIRST_YEAR, 1, 1)
        last_day = pl.date(workdays.LAST_YEAR, 12, 31)
        stated = text.str.slice(0, 10).str.to_date("%Y-%m-%d", strict=False)
        iso = text.str.replace(" ", "T", literal=True)
        aware = iso.str.to_datetime("%Y-%m-%dT%H:%M%:z", time_unit="us", time_zone="UTC", strict=False).fill_null(
            iso.str.to_datetime("%Y-%m-%dT%H:%M:%S%:z", time_unit="us", time_zone="UTC", strict=False)
        )
        naive = iso.str.to_datetime("%Y-%m-%dT%H:%M", time_unit="us", strict=False).fill_null(
            iso.str.to_datetime("%Y-%m-%dT%H:%M:%S", time_unit="us", strict=False)
        )
        frame = rows.select(
            "timestamp",
            pl.when(text.str.contains(_AWARE))
            .then(pl.lit("aware"))
            .when(text.str.contains(_NAIVE))
            .then(pl.lit("naive"))
            .when(text.str.contains(_DATED))
            .then(pl.lit("dated"))
            .otherwise(pl.lit(None))
            .alias("kind"),
        ).unique("timestamp")
        frame = frame.with_columns(
            stated.alias("stated"),
            pl.when(pl.col("kind") == "aware").then(aware).alias("instant"),
            pl.when(pl.col("kind") == "naive").then(naive).alias("naive"),
        )
        local = pl.col("instant").dt.convert_time_zone(_UK).dt.replace_time_zone(None)
        placed = pl.col("naive").dt.replace_time_zone(_UK, ambiguous="earliest", non_existent="null")
        midnight = pl.col("stated").cast(pl.Datetime("us")).dt.replace_time_zone(_UK, non_existent="null")
        frame = frame.with_columns(
            pl.when(pl.col("kind") == "aware")
            .then(local)
            .when(pl.col("kind") == "naive")
            .then(pl.col("naive"))
            .alias("clock"),
            pl.when(pl.col("kind") == "aware")
            .then(pl.col("instant"))
            .when(pl.col("kind") == "naive")
            .then(placed.dt.convert_time_zone("UTC"))
            .when(pl.col("kind") == "dated")
            .then(midnight.dt.convert_time_zone("UTC"))
            .dt.epoch("us")
            .alias("order"),
        )
        # Left to Python: other spellings, values the columns could not read, and the hour
        # the clocks go back (a time's second pass through it is told apart by its fold).
        in_range = pl.col("stated").is_between(first_day, last_day) & (pl.col("stated") <= self.today)
        repeated = (pl.col("clock").dt.month() == 10) & (pl.col("clock").dt.hour() == 1)
        columnar = (
            pl.col("kind").is_not_null()
            & pl.col("stated").is_not_null()
            & pl.col("order").is_not_null()
            & ~(repeated.fill_null(False))
            & ((pl.col("kind") == "dated") | pl.col("clock").is_not_null())
        )
        frame = frame.with_columns(columnar.alias("columnar"), in_range.alias("in_range"))
        done = frame.filter(pl.col("columnar")).select(
            "timestamp",
            pl.col("order"),
            pl.when(pl.col("kind") == "dated").then(pl.col("stated")).otherwise(pl.col("clock").dt.date()).alias("day"),
            (pl.col("kind") != "dated").alias("timed"),
            (pl.col("kind") == "aware").alias("zoned"),
            pl.col("in_range").alias("readable"),
        )
        rest = [self._python_time(t) for t in frame.filter(~pl.col("columnar"))["timestamp"].to_list()]
        schema = {
            "timestamp": pl.String,
            "order": pl.Int64,
            "day": pl.Date,
            "timed": pl.Boolean,
            "zoned": pl.Boolean,
            "readable": pl.Boolean,
        }
        self.python_times = {row[0]: row[-1] for row in rest}
        return pl.concat([done, pl.DataFrame([row[:-1] for row in rest], schema=schema, orient="row")])

    def _python_time(self, text: str) -> tuple:
        """One timestamp the columns do not read, read as the row reader reads it."""
        try:
            when = parse_timestamp(text)
            check_date(when, self.today)
        except ValueError:
            return (text, None, None, None, None, False, None)
        zoned = isinstance(when, datetime) and when.tzinfo is not None
        if zoned:
            when = workdays.uk_local(when).replace(tzinfo=None)
        micros = (sort_key(when) - _UNIX) // _MICROSECOND
        day = when.date() if isinstance(when, datetime) else when
        return (text, micros, day, isinstance(when, datetime), zoned, True, when)

    # -------------------------------------------------------------- the batch

    def batch(self) -> CaseBatch:
        rows, cases = self._case_fields(self.rows)
        cases = cases.join(self._known_pathways(cases), on=["authority", "pathway"], how="left", maintain_order="left")
        good = cases.filter(pl.col("known") & ~pl.col("clash"))
        rows = rows.drop("authority", "pathway", "level_before", "level_after").join(
            good.select("case_id", "authority", "pathway"), on="case_id", how="left", maintain_order="left"
        )
        resolvable = rows.filter(pl.col("authority").is_not_null())
        steps, roles = self._steps(resolvable), self._roles(resolvable)
        rows = rows.join(steps, on=["authority", "pathway", "activity"], how="left", maintain_order="left").join(
            roles, on=["authority", "role"], how="left", maintain_order="left"
        )
        outcomes = self._outcomes(rows.filter(pl.col("node").is_not_null()))
        evidence = self._keys(rows["evidence"].unique().to_list(), self.lookup.evidence_keys, "evidence")
        concerns = self._keys(rows["concerns"].unique().to_list(), self.lookup.concern_keys, "concern")
        times = self._times(rows)
        self.evidence, self.concerns = evidence, concerns
        rows = (
            rows.join(outcomes, on=["node", "outcome"], how="left", maintain_order="left")
            .join(times, on="timestamp", how="left", maintain_order="left")
            .with_columns(
                _mapped("evidence", {k: v is not None for k, v in evidence.items()}, pl.Boolean).alias("evidence_ok"),
                _mapped("concerns", {k: v is not None for k, v in concerns.items()}, pl.Boolean).alias("concerns_ok"),
            )
        )
        in_force = {a: d for a, d in self.lookup.in_force.items() if d is not None}
        rows = (
            rows.with_columns(_mapped("authority", in_force, pl.Date).alias("in_force"))
            if in_force
            else rows.with_columns(pl.lit(None, dtype=pl.Date).alias("in_force"))
        )
        last_day = pl.col("day").sort_by("order", "row").last()
        sound_row = (
            pl.col("authority").is_not_null()
            & pl.col("node").is_not_null()
            & pl.col("role_iri").is_not_null()
            & pl.col("readable").fill_null(False)
            & ((pl.col("outcome") == "") | pl.col("branch").is_not_null())
            & pl.col("evidence_ok")
            & pl.col("concerns_ok")
            & ~pl.col("case_id").str.contains("\x00", literal=True)
            & (pl.col("case_id") != "")
        )
        rows = rows.with_columns(
            pl.struct("case_id", "node", "timestamp", "role_iri").is_duplicated().alias("repeated")
        )
        verdict = rows.group_by("case_id", maintain_order=True).agg(
            sound_row.all().alias("sound"),
            pl.col("repeated").any(),
            (pl.col("zoned").filter(pl.col("timed")).n_unique() > 1).alias("mixed"),
            (last_day < pl.col("in_force").first()).fill_null(False).alias("early"),
        )
        clean = verdict.filter(pl.col("sound") & ~pl.col("repeated") & ~pl.col("mixed") & ~pl.col("early"))["case_id"]
        records = self._records(rows.filter(pl.col("case_id").is_in(clean.implode())), cases)
        doubtful = self.rows.filter(~pl.col("case_id").is_in(clean.implode()))
        return self._merge(records, self._row_at_a_time(doubtful), cases)

    def _row_at_a_time(self, rows: pl.DataFrame) -> CaseBatch:
        """The doubtful cases, read by the row reader from their rows: its records, and
        its rejections in its order."""
        from pathways.cases.csv_input import RowReader  # the row reader imports this module

        reader = RowReader(self.source)
        if rows.is_empty():
            return CaseBatch()
        rows = rows.sort("row")
        names = rows.columns[1:]
        for line_number, *values in rows.iter_rows():
            reader.take(line_number, dict(zip(names, values, strict=True)))  # in the file's order: sorted above
        return finish(reader.raws, reader.broken, self.source, self.lookup)

    def _records(self, rows: pl.DataFrame, cases: pl.DataFrame) -> list[tuple[int, CaseRecord]]:
        """The clean cases' records, each with its first row (to keep the file's order).

        Their events stay in columns (:class:`CaseColumns`) until something reads them:
        the columnar engine audits the columns themselves, so only the cases a report
        shows are ever made into :class:`~pathways.cases.records.Event` objects.
        """
        if rows.is_empty():
            return []
        rows = (
            rows.join(cases.select("case_id", "first_row"), on="case_id", how="left", maintain_order="left")
            .sort("first_row", "order", "row")
            .with_columns(pl.col("case_id").rle_id().alias("index"))
        )
        concerns = self.concerns
        said = (
            rows.group_by("index", maintain_order=True)
            .agg(
                pl.col("case_id").first(),
                pl.col("first_row").first(),
                pl.col("authority").first(),
                pl.col("pathway").first(),
                pl.col("concerns").filter(pl.col("concerns") != "").unique().alias("concerns"),
                pl.len().alias("length"),
            )
            .join(
                cases.select("case_id", "level_before", "level_after"), on="case_id", how="left", maintain_order="left"
            )
        )
        columns = CaseColumns(self, rows)
        plans = {key: plan.iri for key, plan in self.lookup.pathways.items()}
        source = self.source.split(",")[0]
        out = []
        for index, (case_id, first_row, authority, pathway, cells, before, after) in enumerate(
            said.select(
                "case_id", "first_row", "authority", "pathway", "concerns", "level_before", "level_after"
            ).iter_rows()
        ):
            keys = {key for cell in cells for key in concerns[cell] or ()}
            record = ColumnRecord(
                case_id, authority, pathway, plans[authority, pathway], None, keys, before, after, source
            )
            record.columns, record.index = columns, index
            out.append((first_row, record))
        columns.records = [record for _, record in out]
        return out

    def _merge(self, records: list[tuple[int, CaseRecord]], doubtful: CaseBatch, cases: pl.DataFrame) -> CaseBatch:
        """Clean and doubtful cases in the order the file first names them."""
        first = dict(cases.select("case_id", "first_row").iter_rows())
        merged = records + [(first[record.case_id], record) for record in doubtful.cases]
        merged.sort(key=lambda item: item[0])
        return CaseBatch(cases=[record for _, record in merged], rejected=doubtful.rejected)


class CaseColumns:
    """The events of one file's clean cases as columns, case after case in the records'
    order and each case's events in time order: what the columnar engine audits, and what
    a :class:`ColumnRecord` makes its events from when they are first read."""

    def __init__(self, read: _Columns, rows: pl.DataFrame) -> None:
        self.nodes, self.roles = read.nodes, read.roles
        self.labels = {iri: read.lookup.label(role) for iri, role in read.roles.items()}
        self.python_times = read.python_times
        self.evidence_keys = read.evidence
        self.lookup = read.lookup
        self.rows = rows.select(
            "index",
            pl.int_range(1, pl.len() + 1).over("index").alias("seq"),
            "node",
            "role_iri",
            "timestamp",
            "day",
            pl.when(pl.col("timed"))
            .then(
                pl.from_epoch("order", time_unit="us")
                .dt.replace_time_zone("UTC")
                .dt.convert_time_zone(_UK)
                .dt.replace_time_zone(None)
            )
            .alias("clock"),
            "row",
            pl.col("branch").fill_null(""),
            "evidence",
            "authority",
            "pathway",
        )
        plans = pl.DataFrame(
            [(a, p, str(plan.iri)) for (a, p), plan in read.lookup.pathways.items()],
            schema={"authority": pl.String, "pathway": pl.String, "pathway_iri": pl.String},
            orient="row",
        )
        self.rows = self.rows.join(plans, on=["authority", "pathway"], how="left", maintain_order="left").drop(
            "authority", "pathway"
        )
        self._node_ids: dict[tuple[str, str], str] = {}
        self.records: list[ColumnRecord] = []

    def of(self, records: list[CaseRecord]) -> pl.DataFrame:
        """The rows of ``records`` (all of them :class:`ColumnRecord` of these columns),
        with ``case``, each record's position in the list, case after case."""
        chosen = pl.DataFrame(
            {"index": [r.index for r in records], "case": range(len(records))},
            schema={"index": pl.UInt32, "case": pl.Int32},
        )
        return self.rows.join(chosen, on="index", how="inner").sort("case", "seq")

    def exact_times(self, rows: pl.DataFrame) -> dict[int, datetime]:
        """The times of ``rows``, by position, read in Python (where the clock column is
        not the time the row reader gives: a second pass through the autumn hour, a time
        in the hour the clocks skip, a spelling the columns do not read)."""
        if not self.python_times:
            return {}
        found = rows["timestamp"].is_in(list(self.python_times)).arg_true().to_list()
        texts = rows["timestamp"].gather(found).to_list() if found else []
        return {
            i: self.python_times[t]
            for i, t in zip(found, texts, strict=True)
            if isinstance(self.python_times[t], datetime)
        }

    def times(self, rows: pl.DataFrame) -> list[datetime | None]:
        """Each row's time as the row reader gives it (``None`` for a date alone): the
        clock column, or the time read in Python where the columns did not read it."""
        times = rows["clock"].to_list()
        python = self.python_times
        if python:
            for i, text in enumerate(rows["timestamp"].to_list()):
                if text in python:
                    when = python[text]
                    times[i] = when if isinstance(when, datetime) else None
        return times

    def release(self) -> None:
        """Let go of the rows (see :func:`release_columns`)."""
        self.rows = None  # type: ignore[assignment]

    def make_events(self, records: list[ColumnRecord]) -> None:
        """Make the events of many records at once (what a report of their findings
        reads): one pass over their rows, not one per record."""
        waiting = [r for r in records if r._events is None and r.columns is self]
        if not waiting:
            return
        if self.rows is None:
            raise UsageError(
                f"the events of case {waiting[0].case_id!r} were let go once its batch was audited; "
                "read the file again to see them"
            )
        rows = self.of(waiting)
        made = self._made(rows, rows["case"].to_list())
        for position, record in enumerate(waiting):
            record._events = made.get(position, [])

    def _made(self, rows: pl.DataFrame, owners: list[int]) -> dict[int, list[Event]]:
        """The events of ``rows``, by their owner (a position in ``owners``' list)."""
        times = self.times(rows)
        pairs = rows.select("pathway_iri", "node").unique().rows()
        for pathway, node in pairs:
            if (pathway, node) not in self._node_ids:
                self._node_ids[pathway, node] = self.lookup.node_id(URIRef(pathway), self.nodes[node])
        node_ids, nodes, labels, roles = self._node_ids, self.nodes, self.labels, self.roles
        python, evidence_keys = self.python_times, self.evidence_keys
        by_owner: dict[int, list[Event]] = {owner: [] for owner in dict.fromkeys(owners)}
        columns = [
            rows[name].to_list()
            for name in ("seq", "node", "role_iri", "timestamp", "day", "row", "branch", "evidence", "pathway_iri")
        ]
        for owner, seq, node, role, text, day, row, branch, evidence, pathway, clock in zip(
            owners, *columns, times, strict=True
        ):
            by_owner[owner].append(
                Event(
                    seq,
                    node_ids[pathway, node],
                    nodes[node],
                    python.get(text, day) if clock is None else clock,
                    labels[role],
                    roles[role],
                    evidence_keys[evidence] or (),
                    row,
                    branch,
                )
            )
        return by_owner


class ColumnRecord(CaseRecord):
    """A :class:`~pathways.cases.records.CaseRecord` whose events are made from the file's
    columns when first read; equal to the record the row reader makes of the same rows."""

    __slots__ = ("_events", "columns", "index")  # a million of them are kept by a large audit
    columns: CaseColumns
    index: int

    def __init__(
        self,
        case_id: str,
        authority: str,
        pathway: str,
        pathway_iri: URIRef,
        events: list[Event] | None = None,
        concerns: set[str] | None = None,
        level_before: str = "",
        level_after: str = "",
        source: str = "",
    ) -> None:
        self._events: list[Event] | None = None
        self.columns = None  # type: ignore[assignment]
        CaseRecord.__init__(
            self, case_id, authority, pathway, pathway_iri, events, concerns or set(), level_before, level_after, source
        )

    @property
    def events(self) -> list[Event]:
        if self._events is None:
            # Whatever reads one record's events usually reads them all (a heatmap, a
            # timeline of every case): every record of the file still without its events
            # gets them now, in one pass over the columns.
            self.columns.make_events(self.columns.records)
        return self._events

    @events.setter
    def events(self, value: list[Event] | None) -> None:
        self._events = value
        if value is not None:
            self.columns = None  # type: ignore[assignment]  # the events are no longer the columns'

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, CaseRecord):
            return NotImplemented
        return _fields(self) == _fields(other)

    __hash__ = None  # type: ignore[assignment]  # as the record it stands for


def detach_columns(records: Iterable[CaseRecord]) -> None:
    """Make now the events of every :class:`ColumnRecord` among ``records`` and detach it
    from its columns, so that nothing reads them again: before processes are forked, whose
    copies of polars' thread pool would wait for ever on it."""
    by_columns: dict[int, tuple[CaseColumns, list[ColumnRecord]]] = {}
    for record in records:
        columns = getattr(record, "columns", None)
        if columns is not None:
            by_columns.setdefault(id(columns), (columns, []))[1].append(record)
    for columns, attached in by_columns.values():
        columns.make_events(attached)
        for record in attached:
            record.columns = None  # type: ignore[assignment]


def release_columns(records: Iterable[CaseRecord]) -> None:
    """Let go of the columns of ``records``: events already made are kept, any other is
    refused from now on (what a command does once a batch is audited and only its
    findings are reported, so that memory holds one batch at a time)."""
    for record in records:
        columns = getattr(record, "columns", None)
        if columns is not None:
            columns.release()


def shared_columns(records: list[CaseRecord]) -> CaseColumns | None:
    """The columns every record of ``records`` reads its events from, if they share one
    (then an engine may read the columns instead of the events)."""
    first = getattr(records[0], "columns", None) if records else None
    if first is None or any(getattr(r, "columns", None) is not first for r in records):
        return None
    return first


def _fields(record: CaseRecord) -> tuple:
    return (
        record.case_id,
        record.authority,
        record.pathway,
        record.pathway_iri,
        record.events,
        record.concerns,
        record.level_before,
        record.level_after,
        record.source,
    )
