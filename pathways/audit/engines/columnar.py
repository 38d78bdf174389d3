"""A columnar engine: the policy shapes evaluated as joins over whole tables of events.

The set-at-a-time engine still loads every case into a triple store and runs each rule's
SPARQL over it; that costs about half a millisecond a case, most of it in the store. This
engine splits each rule in two, as its query already is:

* the **model side** (what the rule reads from the policy: obligations, their steps,
  limits, labels, modalities, the shapes' severities) is a SPARQL query run once per
  pathway with Oxigraph over the same rules graph the other engines read
  (:func:`pathways.audit.rules.rules_graph`);
* the **case side** (what the rule reads from a case: its events, their steps, roles,
  dates and day indexes) is a handful of joins over an events table in polars, through
  one declared mapping from the case vocabulary to columns (:data:`CASE_COLUMNS`).

Each compiled rule names the SHA-256 of the constraint it was compiled from (its
``sh:select`` and ``sh:message`` text). A constraint whose text differs, a constraint
without a compiled form, or a shape with anything beyond a target class, a severity and
SPARQL constraints, is evaluated by the set-at-a-time engine instead, on the same cases,
so a change to the shapes can make this engine slower but never different.
``tests/test_columnar_engine.py`` requires every policy rule of ``shapes/policy.ttl`` to
compile, and the three-engine differential (``tests/test_three_engines.py``,
``make differential``) holds the engines to identical findings, byte for byte.

Why polars (not DuckDB): the case side is a few equi-joins, anti-joins and group-bys per
rule over tables built in this process; polars runs them multi-threaded on Arrow columns
without a SQL layer, and its expressions map one to one onto the query patterns they
replace (``join(how="anti")`` is ``FILTER NOT EXISTS``). DuckDB would add a second query
language beside SPARQL for the same joins.

The messages are filled in as pySHACL fills them in (each ``{?name}`` replaced by the
lexical form of the solution's value), with SPARQL's arithmetic and number printing
reproduced where a message shows a computed number (see :func:`hours_text`).
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from functools import lru_cache
from operator import attrgetter

import polars as pl
from pyoxigraph import Literal as OxLiteral
from rdflib import Graph, URIRef

from pathways.audit.engines import setwise
from pathways.audit.findings import CaseResult, findings_from_results
from pathways.audit.results import ValidationResult
from pathways.audit.rules import rules_graph, shapes_graph
from pathways.cases import workdays
from pathways.cases.csv_columns import CaseColumns, shared_columns
from pathways.cases.rdf import STRUCTURAL_SHAPES, case_iri, well_formed_as_written
from pathways.cases.records import CaseRecord
from pathways.model.vocabulary import PROV, PW, RDF, SH, SHP

__all__ = ["CASE_COLUMNS", "audit_records", "compiled_rules", "hours_text", "prepare"]

# ------------------------------------------------------------------ the case vocabulary as columns

#: The one mapping from the case graph's vocabulary (pathways/cases/rdf.py writes it) to the
#: columns of the events table: each property of an event, and the column holding it.
CASE_COLUMNS: dict[URIRef, str] = {
    PW.sequence: "seq",
    PW.carriesOut: "step",
    PW.byRole: "role",
    PW.date: "date",
    PW.dayIndex: "day",
    PW.workingDayIndex: "working_day",
    PW.monthDayIndex: "month_day",
    PW.isoWeekday: "weekday",
    PW.hourIndex: "hour",  # the decimal hour index times 10,000, as an integer (exact)
    PW.minuteOfDay: "minute",
    PROV.startedAtTime: "at",
    PW.onBankHoliday: "bank_holiday",
    PW.firstOfStep: "first",
    PW.lastOfStep: "last",
    PW.outcome: "outcome",
}
#: Properties of a case and the table holding them (one row per value).
CASE_LISTS = {PW.concern: "concerns", PW.evidence: "evidence", PW.carriedOut: "carried"}

_HOUR_SCALE = 10_000


@lru_cache(maxsize=1)
def calendar() -> pl.DataFrame:
    """Every day of the supported years with the indexes the case graph gives it, computed
    by the functions the case writer uses (:mod:`pathways.cases.workdays`)."""
    first = date(workdays.FIRST_YEAR, 1, 1)
    days = [first + timedelta(days=n) for n in range((date(workdays.LAST_YEAR, 12, 31) - first).days + 1)]
    holidays = workdays.england_bank_holidays()
    return pl.DataFrame(
        {
            "when": days,
            "date": [d.isoformat() for d in days],
            "day": [workdays.day_index(d) for d in days],
            "working_day": [workdays.working_day_index(d) for d in days],
            "month_day": [workdays.month_day_index(d) for d in days],
            "weekday": [d.isoweekday() for d in days],
            "bank_holiday": [d in holidays for d in days],
        },
        schema={
            "when": pl.Date,
            "date": pl.String,
            "day": pl.Int64,
            "working_day": pl.Int64,
            "month_day": pl.Int64,
            "weekday": pl.Int64,
            "bank_holiday": pl.Boolean,
        },
    )


@lru_cache(maxsize=65_536)
def _literal_term(text: str) -> str:
    """A plain literal as Oxigraph writes it (the key terms are compared on)."""
    return str(OxLiteral(text))


_EPOCH_SECONDS = int(datetime.combine(workdays.EPOCH, time(), tzinfo=workdays.UK).timestamp())


def _hour_index(moment: datetime) -> int:
    """The case graph's ``pw:hourIndex`` times 10,000, exactly.

    The writer states ``round(hours, 4)`` of the float hours since the epoch. For a whole
    number of seconds ``s`` that is the nearest integer to ``25 s / 9`` (the float is within
    an ulp of it, and a ninth is never near a half), so it is computed in integers; a time
    with microseconds takes the writer's own function.
    """
    if moment.microsecond:
        return round(round(workdays.hour_index(moment), 4) * _HOUR_SCALE)
    local = moment if moment.tzinfo is not None else moment.replace(tzinfo=workdays.UK)
    return (50 * (int(local.timestamp()) - _EPOCH_SECONDS) + 9) // 18


def _minute_of_day(moment: datetime) -> int:
    clock = workdays.uk_local(moment)
    return clock.hour * 60 + clock.minute


def _clock_columns(times: list[datetime | None]) -> tuple[pl.Series, pl.Series, pl.Series]:
    """The hour index (times 10,000), UK clock minute and ISO text of each time (None for
    a date): :func:`_clock_series` of the times polars reads exactly as Python does."""
    plain = [w if w is not None and w.tzinfo is None and not w.fold and not w.microsecond else None for w in times]
    exact = {i: w for i, (w, p) in enumerate(zip(times, plain, strict=True)) if w is not None and p is None}
    return _clock_series(pl.Series("clock", plain, dtype=pl.Datetime("us")), exact)


def _clock_series(clock: pl.Series, exact: dict[int, datetime]) -> tuple[pl.Series, pl.Series, pl.Series]:
    """The hour index (times 10,000), UK clock minute and ISO text of each naive UK clock
    time of ``clock``, with the times of ``exact`` (by position) in their place.

    The clock times are converted in one pass (polars reads them on the UK clock, the
    earlier instant of an hour the clocks go back, as Python does for ``fold=0``). The
    times of ``exact`` (an aware time, a second pass through the autumn hour, ``fold=1``,
    a time with microseconds), and a time in the hour the clocks skip, take the per-time
    functions above.
    """
    whole = clock.dt.microsecond() == 0
    plain = clock.set(~whole.fill_null(True), None)
    instant = plain.dt.replace_time_zone("Europe/London", ambiguous="earliest", non_existent="null")
    seconds = instant.dt.epoch("s") - _EPOCH_SECONDS
    hours = (seconds * 50 + 9) // 18
    minutes = clock.dt.hour().cast(pl.Int64) * 60 + clock.dt.minute().cast(pl.Int64)
    text = pl.select(
        pl.when(whole)
        .then(clock.dt.strftime("%Y-%m-%dT%H:%M:%S"))
        .otherwise(clock.dt.strftime("%Y-%m-%dT%H:%M:%S%.6f"))
    ).to_series()
    missing = set(exact) | set((clock.is_not_null() & hours.is_null()).arg_true().to_list())
    if missing:
        values = clock.to_list()
        hours, minutes, text = hours.to_list(), minutes.to_list(), text.to_list()
        for i in missing:
            moment = exact.get(i) or values[i]
            hours[i], minutes[i], text[i] = _hour_index(moment), _minute_of_day(moment), moment.isoformat()
        hours, minutes = pl.Series(hours, dtype=pl.Int64), pl.Series(minutes, dtype=pl.Int64)
        text = pl.Series(text, dtype=pl.String)
    return hours.alias("hour"), minutes.alias("minute"), text.alias("at")


@dataclass
class CaseTables:
    """The cases of one pathway as tables: events, evidence keys, and the case facts
    conditions read (steps carried out, outcomes recorded, concerns)."""

    records: list[CaseRecord]
    events: pl.DataFrame
    evidence: pl.DataFrame
    facts: pl.DataFrame


def case_tables(records: list[CaseRecord]) -> CaseTables:
    """The events of ``records`` as one table, with the values the case graph states.

    Each column holds what :func:`pathways.cases.rdf.case_ntriples` writes for the
    property :data:`CASE_COLUMNS` maps to it, computed by the same functions: the day
    indexes come from :func:`calendar`, the first and last event of each step from the
    events' order. Records read from a CSV file's columns
    (:class:`~pathways.cases.csv_columns.ColumnRecord`) are tabled from those columns,
    without making their events.
    """
    columns = shared_columns(records)
    if columns is not None:
        return _column_tables(records, columns)
    flat = [event for record in records for event in record.events]
    owner = [index for index, record in enumerate(records) for _ in record.events]
    times = list(map(attrgetter("when"), flat))
    timed = [None if type(w) is date else w for w in times]
    events = _events_table(
        owner,
        list(map(attrgetter("sequence"), flat)),
        list(map(str, map(attrgetter("node_iri"), flat))),
        list(map(str, map(attrgetter("role_iri"), flat))),
        [w if type(w) is date else w.date() for w in times],
        _clock_columns(timed),
        [event.outcome or None for event in flat],
    )
    evidence = pl.DataFrame(
        [
            (index, str(event.node_iri), _literal_term(key))
            for index, event in zip(owner, flat, strict=True)
            for key in event.evidence
        ],
        schema=_EVIDENCE,
        orient="row",
    )
    said = [(i, "outcome", _literal_term(e.outcome)) for i, e in zip(owner, flat, strict=True) if e.outcome]
    return _tables(records, events, evidence, said)


_EVIDENCE = {"case": pl.Int32, "step": pl.String, "key": pl.String}


def _column_tables(records: list[CaseRecord], columns: CaseColumns) -> CaseTables:
    """:func:`case_tables` of records whose events are a file's columns, from the columns."""
    rows = columns.of(records)
    keys = {cell: [_literal_term(k) for k in spelled or ()] for cell, spelled in columns.evidence_keys.items()}
    events = _events_table(
        rows["case"],
        rows["seq"],
        rows["node"],
        rows["role_iri"],
        rows["day"],
        _clock_series(rows["clock"], columns.exact_times(rows)),
        rows["branch"].replace("", None),
    )
    evidence = (
        rows.select(
            "case",
            pl.col("node").alias("step"),
            pl.col("evidence")
            .replace_strict(list(keys), list(keys.values()), return_dtype=pl.List(pl.String))
            .alias("key"),
        )
        .explode("key")
        .drop_nulls("key")
        .cast(_EVIDENCE)
    )
    stated = rows.filter(pl.col("branch") != "").select("case", "branch").rows()
    said = [(case, "outcome", _literal_term(branch)) for case, branch in stated]
    return _tables(records, events, evidence, said)


def _events_table(owner, seq, step, role, when, clock: tuple[pl.Series, pl.Series, pl.Series], outcome) -> pl.DataFrame:
    """The events table from its columns (each a list or a series, one value an event, in
    case and then time order): the calendar's day indexes joined on, and whether each event
    is the first or last of its step in its case."""
    hours, minutes, at = clock
    events = pl.DataFrame(
        {
            "case": owner,
            "seq": seq,
            "step": step,
            "role": role,
            "when": when,
            "hour": hours,
            "minute": minutes,
            "at": at,
            "outcome": outcome,
        },
        schema={
            "case": pl.Int32,
            "seq": pl.Int64,
            "step": pl.String,
            "role": pl.String,
            "when": pl.Date,
            "hour": pl.Int64,
            "minute": pl.Int64,
            "at": pl.String,
            "outcome": pl.String,
        },
    )
    position = pl.int_range(pl.len()).over("case")
    return (
        events.join(calendar(), on="when", how="left", maintain_order="left")
        .with_columns(position.alias("position"))
        .with_columns(
            (pl.col("position") == pl.col("position").min().over("case", "step")).alias("first"),
            (pl.col("position") == pl.col("position").max().over("case", "step")).alias("last"),
        )
        .drop("when", "position")
    )


def _tables(
    records: list[CaseRecord], events: pl.DataFrame, evidence: pl.DataFrame, said: list[tuple[int, str, str]]
) -> CaseTables:
    """The case tables, with the facts conditions read: each step carried out, each outcome
    stated (``said``), each concern of a case."""
    said = said + [(index, "concern", _literal_term(c)) for index, r in enumerate(records) for c in sorted(r.concerns)]
    facts = pl.concat(
        [
            events.filter(pl.col("first")).select(
                "case", pl.lit("step").alias("kind"), pl.format("<{}>", "step").alias("term")
            ),
            pl.DataFrame(said, schema={"case": pl.Int32, "kind": pl.String, "term": pl.String}, orient="row"),
        ]
    )
    return CaseTables(records=records, events=events, evidence=evidence, facts=facts)


# ------------------------------------------------------------------ the model side, once per pathway

_PREFIXES = """
PREFIX pw: <https://w3id.org/stepupdown/pathways#>
PREFIX sh: <http://www.w3.org/ns/shacl#>
PREFIX shp: <https://w3id.org/stepupdown/shapes#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX p-plan: <http://purl.org/net/p-plan#>
PREFIX time: <http://www.w3.org/2006/time#>
PREFIX dcterms: <http://purl.org/dc/terms/>
PREFIX xsd: <http://www.w3.org/2001/XMLSchema#>
"""


class ModelSide:
    """The model side of the rules for one pathway: SPARQL over its rules graph, once."""

    def __init__(self, graph: Graph) -> None:
        self.graph = graph
        self.store = setwise.load_store([self.graph])
        self.pathway = next(str(p) for p in self.graph.subjects(RDF.type, PW.Pathway))
        self._frames: dict[str, pl.DataFrame] = {}

    def table(self, query: str) -> pl.DataFrame:
        """The solutions of ``query`` as a table of strings: IRIs and literals by their
        lexical form, and each term also in N-Triples form as ``<name>_term``."""
        if query not in self._frames:
            text = _PREFIXES + query.replace("$pathway", f"<{self.pathway}>")
            solutions = self.store.query(text)
            names = [v.value for v in solutions.variables]
            rows: dict[str, list] = {n: [] for n in names}
            rows.update({f"{n}_term": [] for n in names})
            for solution in solutions:
                for name in names:
                    value = solution[name]
                    rows[name].append(None if value is None else value.value)
                    rows[f"{name}_term"].append(None if value is None else str(value))
            self._frames[query] = pl.DataFrame(rows, schema={n: pl.String for n in rows})
        return self._frames[query]


def model_side(authority: str, pathway: str) -> ModelSide:
    """The model side of a pathway's rules, kept with (and keyed by) its rules graph, so a
    model loaded afresh is read afresh."""
    return _model_side(rules_graph(authority, pathway))


@lru_cache(maxsize=32)
def _model_side(graph: Graph) -> ModelSide:
    return ModelSide(graph)


# Every rule applies an obligation only where its conditions hold (the same five lines in
# each rule of shapes/policy.ttl): these are the obligations' conditions, by kind.
_CONDITIONS = """
SELECT ?value ?property ?term WHERE {
    VALUES ?property { pw:appliesIfStep pw:appliesIfOutcome pw:conditionKey pw:unlessStep pw:unlessOutcome }
    ?value ?property ?term .
}
"""
_CONDITION_FACT = {
    "appliesIfStep": ("step", True),
    "appliesIfOutcome": ("outcome", True),
    "conditionKey": ("concern", True),
    "unlessStep": ("step", False),
    "unlessOutcome": ("outcome", False),
}


def applicable(pairs: pl.DataFrame, model: ModelSide, cases: CaseTables) -> pl.DataFrame:
    """The rows of ``pairs`` (with ``case`` and ``value`` columns) whose obligation's
    conditions hold for the case: every ``pw:appliesIf…`` and ``pw:conditionKey`` met,
    no ``pw:unless…`` met (a condition the record cannot establish holds no obligation)."""
    conditions = model.table(_CONDITIONS)
    if conditions.is_empty() or pairs.is_empty():
        return pairs
    conditions = conditions.with_columns(pl.col("property").str.replace(r"^.*#", "").alias("name")).with_columns(
        pl.col("name").replace_strict({k: v[0] for k, v in _CONDITION_FACT.items()}).alias("kind"),
        pl.col("name").replace_strict({k: v[1] for k, v in _CONDITION_FACT.items()}).alias("required"),
    )
    keys = pairs.select("case", "value").unique()
    checks = keys.join(conditions.select("value", "kind", "required", pl.col("term_term").alias("term")), on="value")
    met = checks.join(cases.facts, on=["case", "kind", "term"], how="semi")
    unmet_required = checks.filter(pl.col("required")).join(met, on=["case", "value", "kind", "term"], how="anti")
    met_unless = met.filter(~pl.col("required"))
    failing = pl.concat([unmet_required.select("case", "value"), met_unless.select("case", "value")]).unique()
    return pairs.join(failing, on=["case", "value"], how="anti")


_DAY_NAMES = """
SELECT ?weekday ?dayName WHERE {
    ?day pw:isoWeekday ?weekday ; rdfs:label ?dayName .
    FILTER(STRSTARTS(STR(?day), "http://www.w3.org/2006/time#"))
}
"""


def _day_names(model: ModelSide, weekday: str, name: str) -> pl.DataFrame:
    return model.table(_DAY_NAMES).select(
        pl.col("weekday").cast(pl.Int64).alias(weekday), pl.col("dayName").alias(name)
    )


def _clock(minute: pl.Expr) -> pl.Expr:
    """A UK clock minute as HH:MM (the shapes' FLOOR and padding)."""
    hour, rest = minute // 60, minute % 60
    return pl.format("{}:{}", hour.cast(pl.String).str.zfill(2), rest.cast(pl.String).str.zfill(2))


# ------------------------------------------------------------------ the rules, compiled


@dataclass(frozen=True)
class Solution:
    """One solution of a rule: its focus (case index and event sequence, or None for the
    case), the shape it belongs to, the obligation and the values the message reads."""

    case: int
    seq: int | None
    shape: str
    value: str
    bindings: dict[str, str]


Kernel = Callable[[CaseTables, ModelSide], Iterable[Solution]]


def _solutions(frame: pl.DataFrame, names: Iterable[str], event: bool) -> Iterable[Solution]:
    names = list(names)
    for row in frame.iter_rows(named=True):
        yield Solution(
            row["case"],
            row["seq"] if event else None,
            row["currentShape"],
            row["value"],
            {n: row[n] for n in names if row[n] is not None},
        )


_EXISTENCE = """
SELECT ?currentShape ?value ?step ?dueStep ?stepLabel ?dueLabel ?modalWord WHERE {
    ?currentShape sh:sparql shp:existence ; sh:severity ?severity .
    ?modality pw:severity ?severity ; rdfs:label ?modalityWord .
    ?value a pw:Existence ; pw:onPathway $pathway ; pw:modality ?modality ; pw:target ?step ; pw:dueBy ?dueStep .
    ?step p-plan:isStepOfPlan $pathway .
    ?step rdfs:label ?stepLabel . ?dueStep rdfs:label ?dueLabel .
    OPTIONAL { ?value pw:wording ?wording }
    BIND(COALESCE(?wording, ?modalityWord) AS ?modalWord)
}
"""


def existence(cases: CaseTables, model: ModelSide) -> Iterable[Solution]:
    """shp:existence: a required step missing although a step it is due by was reached."""
    rules = model.table(_EXISTENCE)
    if rules.is_empty():
        return ()
    events = cases.events
    due = events.filter(pl.col("first")).select(
        "case", pl.col("step").alias("dueStep"), pl.col("date").alias("dueDate")
    )
    rows = due.join(rules, on="dueStep").join(events.select("case", "step").unique(), on=["case", "step"], how="anti")
    rows = applicable(rows, model, cases)
    grouped = rows.group_by("case", "currentShape", "value", "stepLabel", "modalWord").agg(
        pl.format("'{}' ({})", "dueLabel", "dueDate").min().alias("reached")
    )
    return _solutions(grouped, ("stepLabel", "modalWord", "reached"), event=False)


_PRECEDENCE = """
SELECT ?currentShape ?value ?step ?other ?sign ?stepLabel ?otherLabel ?modalWord WHERE {
    ?value a pw:Precedence ; pw:target ?step ; pw:modality ?modality .
    ?value ?ordering ?other .
    FILTER(?ordering IN (pw:follows, pw:precedes))
    BIND(IF(?ordering = pw:follows, -1, 1) AS ?sign)
    ?currentShape sh:sparql shp:precedence ; sh:severity ?severity .
    ?modality pw:severity ?severity ; rdfs:label ?modalityWord .
    ?step rdfs:label ?stepLabel . ?other rdfs:label ?otherLabel .
    OPTIONAL { ?value pw:wording ?wording }
    BIND(COALESCE(?wording, ?modalityWord) AS ?modalWord)
}
"""

_WHEN = r"T(..:..).*$"


def precedence(cases: CaseTables, model: ModelSide) -> Iterable[Solution]:
    """shp:precedence: a step on the wrong side of a step the text orders it against
    (first events, by the clock when both are timed, else by date)."""
    rules = model.table(_PRECEDENCE)
    if rules.is_empty():
        return ()
    firsts = cases.events.filter(pl.col("first")).select("case", "seq", "step", "day", "date", "hour", "at")
    others = firsts.select(
        "case",
        pl.col("step").alias("other"),
        pl.col("day").alias("otherDay"),
        pl.col("date").alias("otherDate"),
        pl.col("hour").alias("otherHour"),
        pl.col("at").alias("otherAt"),
    )
    rows = firsts.join(rules, on="step").join(others, on=["case", "other"])
    timed = pl.col("hour").is_not_null() & pl.col("otherHour").is_not_null()
    gap = pl.when(timed).then(pl.col("hour") - pl.col("otherHour")).otherwise(pl.col("day") - pl.col("otherDay"))
    rows = rows.filter(gap * pl.col("sign").cast(pl.Int64) > 0)
    rows = applicable(rows, model, cases)
    negative = pl.col("sign").cast(pl.Int64) < 0
    rows = rows.with_columns(
        pl.when(timed).then(pl.col("at").str.replace(_WHEN, " $1")).otherwise(pl.col("date")).alias("when"),
        pl.when(timed)
        .then(pl.col("otherAt").str.replace(_WHEN, " $1"))
        .otherwise(pl.col("otherDate"))
        .alias("otherWhen"),
        pl.when(negative).then(pl.lit("after")).otherwise(pl.lit("before")).alias("required"),
        pl.when(negative).then(pl.lit("before")).otherwise(pl.lit("after")).alias("relation"),
    )
    names = ("stepLabel", "when", "relation", "otherLabel", "otherWhen", "modalWord", "required")
    return _solutions(rows, names, event=True)


_ROLE = """
SELECT ?currentShape ?value ?step ?accepted ?expectedLabel ?stepLabel ?verb WHERE {
    ?value pw:target ?step ; pw:modality ?modality ; pw:role ?accepted .
    ?value a ?template .
    FILTER(?template IN (pw:DecidedBy, pw:PerformedBy))
    ?currentShape sh:sparql shp:role ; sh:severity ?severity .
    ?modality pw:severity ?severity .
    ?accepted rdfs:label ?expectedLabel .
    ?step rdfs:label ?stepLabel .
    BIND(IF(?template = pw:DecidedBy, "decided", "carried out") AS ?verb)
}
"""
_ROLES = "SELECT ?value ?role WHERE { ?value pw:role ?role }"
_LABELS = "SELECT ?role ?roleLabel WHERE { ?role rdfs:label ?roleLabel }"


def role(cases: CaseTables, model: ModelSide) -> Iterable[Solution]:
    """shp:role: an event of a step whose decision-maker or performer the text names,
    recorded by another role (the accepted roles named in alphabetical order)."""
    rules = model.table(_ROLE)
    if rules.is_empty():
        return ()
    rows = cases.events.select("case", "seq", "step", "role").join(rules, on="step")
    accepted = model.table(_ROLES).select("value", "role")
    rows = rows.join(accepted, on=["value", "role"], how="anti")
    rows = applicable(rows, model, cases)
    rows = rows.join(model.table(_LABELS).select("role", "roleLabel"), on="role")
    grouped = rows.group_by("case", "seq", "currentShape", "value", "stepLabel", "verb", "roleLabel").agg(
        pl.col("expectedLabel").n_unique().alias("count"),
        pl.col("expectedLabel").min().alias("low"),
        pl.col("expectedLabel").max().alias("high"),
    )
    grouped = grouped.with_columns(
        pl.when(pl.col("count") == 1)
        .then(pl.col("low"))
        .otherwise(
            pl.format("{} or {}", "low", "high")
            + pl.when(pl.col("count") > 2)
            .then(pl.format(" (or one of {} more)", (pl.col("count") - 2).cast(pl.String)))
            .otherwise(pl.lit(""))
        )
        .alias("expected")
    )
    return _solutions(grouped, ("stepLabel", "verb", "roleLabel", "expected"), event=True)


_SERVICE_HOURS = """
SELECT ?currentShape ?value ?step ?hours ?hoursLabel ?stepLabel ?outLabel ?modalWord WHERE {
    ?value a pw:WithinServiceHours ; pw:target ?step ; pw:modality ?modality ;
           pw:serviceHours ?hours ; pw:outOfHoursStep ?outStep .
    ?hours rdfs:label ?hoursLabel .
    ?currentShape sh:sparql shp:service-hours ; sh:severity ?severity .
    ?modality pw:severity ?severity ; rdfs:label ?modalityWord .
    ?step rdfs:label ?stepLabel . ?outStep rdfs:label ?outLabel .
    OPTIONAL { ?value pw:wording ?wording }
    BIND(COALESCE(?wording, ?modalityWord) AS ?modalWord)
}
"""
_OPENING = """
SELECT ?hours ?weekday ?opens ?closes WHERE {
    ?hours pw:openingHours ?open .
    ?open time:dayOfWeek/pw:isoWeekday ?weekday ; pw:opensAtMinute ?opens ; pw:closesAtMinute ?closes .
}
"""
_TODAY = """
SELECT ?hours ?weekday ?todayLabel WHERE {
    ?hours pw:openingHours ?today . ?today time:dayOfWeek/pw:isoWeekday ?weekday ; rdfs:label ?todayLabel
}
"""


def service_hours(cases: CaseTables, model: ModelSide) -> Iterable[Solution]:
    """shp:service-hours: a timed event of a step kept for a service's hours, outside
    every opening window of its day (never on a bank holiday, never for an untimed event)."""
    rules = model.table(_SERVICE_HOURS)
    if rules.is_empty():
        return ()
    events = cases.events.filter(pl.col("minute").is_not_null() & ~pl.col("bank_holiday"))
    rows = events.select("case", "seq", "step", "minute", "weekday", "date").join(rules, on="step")
    rows = rows.join(_day_names(model, "weekday", "dayName"), on="weekday")
    opening = model.table(_OPENING).select(
        "hours", pl.col("weekday").cast(pl.Int64), pl.col("opens").cast(pl.Int64), pl.col("closes").cast(pl.Int64)
    )
    inside = (
        rows.select("case", "seq", "hours", "weekday", "minute")
        .unique()
        .join(opening, on=["hours", "weekday"])
        .filter((pl.col("minute") >= pl.col("opens")) & (pl.col("minute") <= pl.col("closes")))
        .select("case", "seq", "hours")
        .unique()
    )
    rows = rows.join(inside, on=["case", "seq", "hours"], how="anti")
    rows = applicable(rows, model, cases)
    today = model.table(_TODAY).select("hours", pl.col("weekday").cast(pl.Int64), "todayLabel")
    rows = rows.join(today, on=["hours", "weekday"], how="left")
    rows = rows.with_columns(
        pl.coalesce("todayLabel", pl.format("no hours on {}", "dayName")).alias("todayHours"),
        _clock(pl.col("minute")).alias("clock"),
    )
    names = ("stepLabel", "dayName", "date", "clock", "hoursLabel", "todayHours", "outLabel", "modalWord")
    return _solutions(rows, names, event=True)


_REQUIREMENT = """
SELECT ?currentShape ?value ?step ?stepLabel ?requirementLabel ?key WHERE {
    ?currentShape sh:sparql shp:requirement ; sh:severity ?severity .
    ?modality pw:severity ?severity .
    ?value pw:appliesTo|pw:partOf/pw:appliesTo ?step .
    ?value a pw:Requirement ; pw:modality ?modality ; pw:recordedAs ?key ; rdfs:label ?requirementLabel .
    ?step rdfs:label ?stepLabel .
}
"""
_EVIDENCED_ON = "SELECT ?value ?shown WHERE { ?value pw:evidencedOn ?shown }"
_WITHIN = """
SELECT ?value ?window ?anchor ?days WHERE {
    ?value pw:appliesWithin ?window . ?window pw:runsFrom ?anchor ; time:numericDuration ?days .
}
"""
_CONDITION_KEY = "SELECT ?value ?condition WHERE { ?value pw:conditionKey ?condition }"


def requirement(cases: CaseTables, model: ModelSide) -> Iterable[Solution]:
    """shp:requirement: a step carried out that a requirement applies to, with the
    requirement's evidence key recorded on none of its events (nor where it may be shown)."""
    rules = model.table(_REQUIREMENT)
    if rules.is_empty():
        return ()
    carried = cases.events.select("case", "step").unique()
    rows = carried.join(rules, on="step").with_columns(pl.col("key_term").alias("key_nt"))
    evidence = cases.evidence.unique()
    rows = rows.join(evidence.rename({"key": "key_nt"}), on=["case", "step", "key_nt"], how="anti")
    shown = model.table(_EVIDENCED_ON).select("value", pl.col("shown").alias("step"))
    shown_on = shown.join(evidence, on="step").select("case", "value", pl.col("key").alias("key_nt")).unique()
    rows = rows.join(shown_on, on=["case", "value", "key_nt"], how="anti")
    rows = applicable(rows, model, cases)
    windows = model.table(_WITHIN)
    if not windows.is_empty() and not rows.is_empty():
        firsts = cases.events.filter(pl.col("first")).select("case", "step", "day")
        checks = (
            rows.select("case", "value", "step")
            .unique()
            .join(windows.select("value", "window", "anchor", pl.col("days").cast(pl.Float64)), on="value")
        )
        met = (
            checks.join(firsts.rename({"step": "anchor", "day": "anchorDay"}), on=["case", "anchor"])
            .join(firsts.rename({"day": "stepDay"}), on=["case", "step"])
            .filter(pl.col("stepDay") - pl.col("anchorDay") <= pl.col("days"))
            .select("case", "value", "step", "window")
            .unique()
        )
        unmet = checks.join(met, on=["case", "value", "step", "window"], how="anti").select("case", "value", "step")
        rows = rows.join(unmet.unique(), on=["case", "value", "step"], how="anti")
    rows = rows.join(model.table(_CONDITION_KEY).select("value", "condition"), on="value", how="left")
    rows = rows.with_columns(
        pl.when(pl.col("condition").is_not_null())
        .then(pl.format("; applies as the case records {}", "condition"))
        .otherwise(pl.lit(""))
        .alias("when")
    )
    names = ("stepLabel", "requirementLabel", "key", "when")
    rows = rows.select("case", "currentShape", "value", *names).unique()
    return _solutions(rows, names, event=False)


_TIMESCALE = """
SELECT ?currentShape ?value ?to ?from ?kindId ?timescaleLabel ?fromLabel ?toLabel ?unit ?limit
       ?unitName ?weekdayRequired ?weekdayName ?expectation WHERE {
    ?value pw:runsTo ?to ; a pw:Timescale ; pw:onPathway $pathway ; pw:runsFrom ?from ;
           pw:modality ?modality ; pw:timescaleKind ?kind ; rdfs:label ?timescaleLabel .
    ?currentShape sh:sparql shp:timescale ; sh:severity ?severity .
    ?modality pw:severity ?severity .
    ?kind dcterms:identifier ?kindId .
    ?from rdfs:label ?fromLabel .
    ?to rdfs:label ?toLabel .
    FILTER NOT EXISTS { ?value pw:restates ?restated }
    OPTIONAL { ?value time:numericDuration ?amount }
    OPTIONAL { ?value time:unitType ?statedUnit }
    OPTIONAL { ?value pw:auditUnit ?auditUnit }
    OPTIONAL { ?value time:dayOfWeek ?dayOfWeek . ?dayOfWeek pw:isoWeekday ?weekdayRequired ; rdfs:label ?weekdayName }
    OPTIONAL { ?statedUnit pw:reportedUnit ?statedCode }
    BIND(COALESCE(?auditUnit, ?statedUnit) AS ?unit)
    BIND(IF(?unit = time:unitWeek, ?amount * 7, IF(?unit = time:unitMonth, ?amount * 31, ?amount)) AS ?limit)
    BIND(IF(?unit = pw:unitWorkingDay,
            "working days (the start day not counted, nor weekends or bank holidays in England)",
         IF(?unit = time:unitMonth, "months", IF(?unit = time:unitHour, "hours",
            "calendar days (the start day not counted)"))) AS ?unitName)
    BIND(CONCAT(REPLACE(STR(COALESCE(?amount, "")), "\\\\.0+$", ""), " ",
                REPLACE(COALESCE(?statedCode, ""), "_", " ")) AS ?stated)
    BIND(IF(?kindId IN ("deadline", "review"), CONCAT("allows at most ", ?stated),
         IF(?kindId = "lookback", CONCAT("requires it within the ", ?stated, " before"),
         IF(?kindId IN ("minimum", "notice"), CONCAT("requires at least ", ?stated),
         IF(?kindId = "approximate", CONCAT("expects approximately ", ?stated),
         IF(?kindId = "same_day", "requires the same day",
            CONCAT("requires a ", COALESCE(?weekdayName, "set weekday"))))))) AS ?expectation)
}
"""
_UNITS = {
    "https://w3id.org/stepupdown/pathways#unitWorkingDay": "working_day",
    "http://www.w3.org/2006/time#unitMonth": "month_day",
    "http://www.w3.org/2006/time#unitHour": "hour",
}


def hours_text(elapsed: int) -> str:
    """``REPLACE(STR(ROUND(?elapsed * 10) / 10), "\\.0$", "")`` for an hour difference held
    times 10,000, as SPARQL computes it on decimals: ROUND takes halves towards positive
    infinity, and a whole number of hours is written without ``.0`` (as rdflib prints it,
    and as the rule now writes it for engines that print ``2.0``).

    >>> [hours_text(k) for k in (270_000, 270_500, -12_500, -500, 1_200_000)]
    ['27', '27.1', '-1.2', '0', '120']
    """
    tenths = (elapsed + 500) // 1000
    whole, tenth = divmod(abs(tenths), 10)
    return ("-" if tenths < 0 else "") + str(whole) + (f".{tenth}" if tenth else "")


def _when(day_name: str, date_text: str, minute: int | None) -> str:
    return f"{day_name} {date_text}" + ("" if minute is None else f" {minute // 60:02d}:{minute % 60:02d}")


# The columns a timescale reads at each of its ends, named as the rule names them
# (?dT, ?wF...): T for the event of its 'to' step, F for the event of its 'from' step.
_END_COLUMNS = {"date": "date", "day": "d", "working_day": "w", "month_day": "m", "weekday": "weekday", "hour": "h",
                "minute": "minute"}  # fmt: skip


def _ends(side: str) -> list[pl.Expr]:
    return [pl.col(column).alias(name + side) for column, name in _END_COLUMNS.items()]


def timescale(cases: CaseTables, model: ModelSide) -> Iterable[Solution]:
    """shp:timescale: a timescale not met between the first events of its two steps (a
    look-back from the latest 'from' event), in its unit, for each kind of timescale."""
    rules = model.table(_TIMESCALE)
    if rules.is_empty():
        return ()
    events = cases.events
    to = events.filter(pl.col("first")).select("case", "seq", pl.col("step").alias("to"), *_ends("T"))
    origin = events.filter(pl.col("first") | pl.col("last")).select(
        "case", pl.col("seq").alias("seqF"), pl.col("step").alias("from"), "first", "last", *_ends("F")
    )
    rules = rules.with_columns(
        pl.col("limit").cast(pl.Float64),
        pl.col("weekdayRequired").cast(pl.Int64),
        pl.col("unit").replace_strict(_UNITS, default="day").alias("measure"),
    )
    rows = to.join(rules, on="to").join(origin, on=["case", "from"])
    lookback = pl.col("kindId") == "lookback"
    rows = rows.filter(
        pl.when(lookback).then(pl.col("last")).otherwise(pl.col("first")) & (pl.col("seqF") != pl.col("seq"))
    )
    elapsed = (
        pl.when(pl.col("unit").is_null())
        .then(None)
        .when(pl.col("measure") == "working_day")
        .then(pl.col("wT") - pl.col("wF"))
        .when(pl.col("measure") == "month_day")
        .then(pl.col("mT") - pl.col("mF"))
        .when(pl.col("measure") == "hour")
        .then(pl.col("hT") - pl.col("hF"))
        .otherwise(pl.col("dT") - pl.col("dF"))
    )
    rows = rows.with_columns(elapsed.alias("elapsed"))
    # the limit in the elapsed column's scale (an hour index is held times 10,000)
    scale = pl.when(pl.col("measure") == "hour").then(pl.lit(float(_HOUR_SCALE))).otherwise(pl.lit(1.0))
    limit = pl.col("limit") * scale
    kind = pl.col("kindId")
    departs = (
        pl.when(kind.is_in(["deadline", "review", "lookback"]))
        .then(pl.col("elapsed") > limit)
        .when(kind.is_in(["minimum", "notice"]))
        .then(pl.col("elapsed") < limit)
        .when(kind == "same_day")
        .then(pl.col("dT") != pl.col("dF"))
        .when(kind == "weekday")
        .then(pl.col("weekdayT") != pl.col("weekdayRequired"))
        .otherwise(False)
    )
    rows = rows.filter(departs.fill_null(False))
    rows = applicable(rows, model, cases)
    rows = rows.join(_day_names(model, "weekdayF", "dayNameF"), on="weekdayF").join(
        _day_names(model, "weekdayT", "actualDayName"), on="weekdayT"
    )
    for row in rows.iter_rows(named=True):
        measured = _measured(row)
        if measured is None:
            continue
        bindings = {
            "timescaleLabel": row["timescaleLabel"],
            "measured": measured,
            "fromLabel": row["fromLabel"],
            "fromWhen": _when(row["dayNameF"], row["dateF"], row["minuteF"]),
            "toLabel": row["toLabel"],
            "toWhen": _when(row["actualDayName"], row["dateT"], row["minuteT"]),
            "expectation": row["expectation"],
        }
        yield Solution(row["case"], row["seq"], row["currentShape"], row["value"], bindings)


def _measured(row: dict) -> str | None:
    """The shape's ?measured: what the case shows, in the timescale's unit (None where the
    query leaves it unbound, so it gives no solution)."""
    kind, elapsed = row["kindId"], row["elapsed"]
    if kind == "weekday":
        return f"held on a {row['actualDayName']}"
    if kind == "same_day":
        days = row["dT"] - row["dF"]
        return f"{days} calendar day{'' if days == 1 else 's'} later"
    if elapsed is None:
        return None
    if row["measure"] == "month_day":
        return f"under {elapsed // 31 + 1} months"
    if row["measure"] == "hour":
        return f"{hours_text(elapsed)} hours"
    return f"{elapsed} {row['unitName']}"


# ------------------------------------------------------------------ compiling the shapes


@dataclass(frozen=True)
class Compiled:
    """A rule of the shapes with its columnar form: the constraint's text digest it was
    compiled from, the focus class its shapes must target, and the evaluator."""

    digest: str
    target: URIRef
    kernel: Kernel


# The digests of the constraint texts (sh:select and sh:message) each kernel implements.
COMPILED: dict[URIRef, Compiled] = {
    SHP.existence: Compiled("d9705de783e8e0cc", PW.Case, existence),
    SHP.precedence: Compiled("415f318b4f5dd10d", PW.Event, precedence),
    SHP.role: Compiled("59bc6f26ce55e675", PW.Event, role),
    SHP.timescale: Compiled("7f8e9075d2487475", PW.Event, timescale),
    SHP["service-hours"]: Compiled("beda29b7eefa5489", PW.Event, service_hours),
    SHP.requirement: Compiled("572d661df332e156", PW.Case, requirement),
}


def constraint_digest(constraint: URIRef, shapes: Graph | None = None) -> str:
    """The SHA-256 (first 16 hex digits) of a constraint's query and messages, whitespace
    folded: what a compiled rule is pinned to."""
    shapes = shapes if shapes is not None else shapes_graph()
    text = " ".join(str(shapes.value(constraint, SH.select) or "").split())
    messages = sorted(str(m) for m in shapes.objects(constraint, SH.message))
    return hashlib.sha256("\n".join([text, *messages]).encode()).hexdigest()[:16]


def compiled_rules() -> dict[URIRef, tuple[Compiled, tuple[URIRef, ...]]]:
    """The constraints this engine evaluates, each with the shapes using it.

    A constraint is compiled when its digest matches its kernel's and every shape using it
    is a plain node shape (target class, severity, SPARQL constraints) of the kernel's
    target class; every other constraint is left to the set-at-a-time engine.
    """
    return _compiled_for(shapes_graph())


@lru_cache(maxsize=4)
def _compiled_for(shapes: Graph) -> dict[URIRef, tuple[Compiled, tuple[URIRef, ...]]]:
    compiled = {}
    for constraint, rule in COMPILED.items():
        users = tuple(sorted(shapes.subjects(SH.sparql, constraint)))
        plain = all(
            shapes.value(shape, SH.targetClass) == rule.target
            and {p for p in shapes.predicates(shape, None) if str(p).startswith(str(SH))}
            <= {SH.targetClass, SH.severity, SH.sparql}
            for shape in users
        )
        if users and plain and constraint_digest(constraint, shapes) == rule.digest:
            compiled[constraint] = (rule, users)
    return compiled


def _messages(constraint: URIRef) -> tuple[str, ...]:
    return tuple(sorted(str(m) for m in shapes_graph().objects(constraint, SH.message)))


def _fill(templates: tuple[str, ...], bindings: dict[str, str]) -> tuple[str, ...]:
    """Each message with every ``{?name}`` or ``{$name}`` replaced, as pySHACL does."""
    out = []
    for message in templates:
        for name, value in bindings.items():
            message = re.sub(f"{{[?$]{name}}}", value, message)
        out.append(message)
    return tuple(sorted(out))


def _audit_pathway(records: list[CaseRecord], authority: str, pathway: str) -> dict[int, list[ValidationResult]]:
    model = model_side(authority, pathway)
    cases = case_tables(records)
    severity = {}
    shapes = shapes_graph()
    results: dict[int, list[ValidationResult]] = {}
    for constraint, (rule, users) in compiled_rules().items():
        templates = _messages(constraint)
        for shape in users:
            severity[str(shape)] = shapes.value(shape, SH.severity) or SH.Violation
        for solution in rule.kernel(cases, model):
            case = str(case_iri(cases.records[solution.case].case_id))
            focus = URIRef(case if solution.seq is None else f"{case}/event/{solution.seq}")
            value = URIRef(solution.value)
            bindings = {"this": str(focus), "value": solution.value, **solution.bindings}
            results.setdefault(solution.case, []).append(
                ValidationResult(
                    focus=focus,
                    severity=severity[solution.shape],
                    shape=URIRef(solution.shape),
                    constraint=constraint,
                    component=SH.SPARQLConstraintComponent,
                    value=value,
                    messages=_fill(templates, bindings),
                )
            )
    return results


def audit_records(records: list[CaseRecord]) -> list[CaseResult]:
    """Audit many cases with the compiled rules; anything not compiled goes to the
    set-at-a-time engine (so the findings are always the shapes')."""
    keys = sorted({(r.authority, r.pathway) for r in records})
    rules = [rules_graph(*key) for key in keys]
    if not well_formed_as_written(records, rules):
        return setwise.audit_records(records)
    compiled = compiled_rules()
    by_record: dict[int, list[ValidationResult]] = {}
    groups: dict[tuple[str, str], list[int]] = {}
    for i, r in enumerate(records):
        groups.setdefault((r.authority, r.pathway), []).append(i)
    for key, indexes in groups.items():
        own = _audit_pathway([records[i] for i in indexes], *key)
        for local, found in own.items():
            by_record[indexes[local]] = found
    assured = STRUCTURAL_SHAPES | {shape for _, users in compiled.values() for shape in users}
    rest = setwise.remaining_results(records, assured)
    for index, found in rest.items():
        by_record.setdefault(index, []).extend(found)
    columns = shared_columns(records)
    if columns is not None:  # the findings quote the events of the cases they are about
        columns.make_events([records[i] for i in by_record])
    return [
        CaseResult(record, findings_from_results(by_record[i], record) if i in by_record else [], by_record.get(i, []))
        for i, record in enumerate(records)
    ]


def prepare(records: list[CaseRecord]) -> None:
    """Run the model side of every rule for the pathways of ``records`` now (before
    workers are forked, so they inherit the tables)."""
    compiled_rules()
    for key in sorted({(r.authority, r.pathway) for r in records}):
        model = model_side(*key)
        empty = case_tables([])
        for rule, _ in compiled_rules().values():
            list(rule.kernel(empty, model))
        model.table(_CONDITIONS)
