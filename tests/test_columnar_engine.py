"""The columnar engine: every policy rule compiled, and a rule it cannot vouch for left to
the set-at-a-time engine, never evaluated differently.

Equality with pySHACL, finding by finding and byte for byte, is held in
tests/test_three_engines.py; these tests are about the compilation itself.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta, timezone

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from pathways.audit import audit_cases
from pathways.audit.engines import DEFAULT_ENGINE, columnar
from pathways.audit.rules import shapes_graph
from pathways.cases import CaseBatch, read_cases, read_csv
from pathways.cases.synth import cases_csv, synthesise
from pathways.model.resources import SAMPLE_CASES
from pathways.model.vocabulary import RDF, SH


def _signature(result):
    return sorted(
        (f.case_id, f.severity, f.rule, f.focus_event, f.message, f.evidence, f.node, f.source, f.quote)
        for f in result.findings
    )


@pytest.fixture(scope="module")
def batch():
    cases, _ = synthesise(400, seed=31, deviation_share=0.8)
    return CaseBatch(cases=read_cases([SAMPLE_CASES]).cases + read_csv(cases_csv(cases), "synthetic.csv").cases)


def test_it_is_the_default_engine():
    assert DEFAULT_ENGINE == "columnar"


def test_every_policy_rule_is_compiled():
    """A rule of shapes/policy.ttl without a compiled form would still be audited (by the
    set-at-a-time engine), but slowly: changing a rule means updating its compiled form."""
    shapes = shapes_graph()
    policy_rules = {
        constraint
        for shape in shapes.subjects(RDF.type, SH.NodeShape)
        for constraint in shapes.objects(shape, SH.sparql)
        if str(constraint).rsplit("#", 1)[1][0].islower()
        and not str(constraint).rsplit("#", 1)[1].endswith(("structure", "cardinality"))
    }
    assert len(policy_rules) == 6
    assert policy_rules == set(columnar.compiled_rules())


def test_the_columnar_engine_equals_the_set_at_a_time_engine(batch):
    columnar_result = audit_cases(batch, engine_name="columnar")
    setwise_result = audit_cases(batch, engine_name="fast")
    assert _signature(columnar_result) == _signature(setwise_result)
    kinds = {f.rule.partition(":")[0] for f in setwise_result.findings}
    assert {"existence", "precedence", "role", "timescale", "requirement", "service-hours"} <= kinds
    reports = [
        sorted(
            (str(v.focus), str(v.shape), str(v.severity), str(v.value), v.messages)
            for r in result.results
            for v in r.validation
        )
        for result in (columnar_result, setwise_result)
    ]
    assert reports[0] == reports[1]


def test_a_rule_whose_text_changed_is_left_to_the_set_at_a_time_engine(batch, monkeypatch):
    """A compiled form is pinned to the digest of its rule's text: when the shapes change,
    the rule is evaluated from the shapes themselves, and the findings stay the shapes'."""
    timescale = next(c for c in columnar.COMPILED if str(c).endswith("#timescale"))
    stale = replace(columnar.COMPILED[timescale], digest="0" * 16)
    monkeypatch.setitem(columnar.COMPILED, timescale, stale)
    columnar._compiled_for.cache_clear()
    try:
        assert timescale not in columnar.compiled_rules()
        assert _signature(audit_cases(batch, engine_name="columnar")) == _signature(
            audit_cases(batch, engine_name="fast")
        )
    finally:
        monkeypatch.undo()
        columnar._compiled_for.cache_clear()
    assert timescale in columnar.compiled_rules()


def test_the_digest_reads_the_rule_text():
    rule = next(iter(columnar.COMPILED))
    assert columnar.constraint_digest(rule) == columnar.COMPILED[rule].digest
    assert len(columnar.constraint_digest(rule)) == 16


def test_workers_give_the_same_findings_in_the_same_order(batch, monkeypatch):
    """Asked for workers, the columnar engine still audits in this process (polars' thread
    pool, which uses every core, does not survive fork), chunk by chunk, in order."""
    from pathways.audit import engines

    assert not engines.ENGINES["columnar"].forks
    one = audit_cases(batch, engine_name="columnar")
    monkeypatch.setitem(engines.ENGINES, "columnar", replace(engines.ENGINES["columnar"], chunk=50))
    seen = []
    two = audit_cases(batch, engine_name="columnar", workers=2, progress=lambda done, total: seen.append(done))
    assert [r.findings for r in one.results] == [r.findings for r in two.results]
    assert len(seen) == -(-len(batch.cases) // 50) and seen[-1] == len(batch.cases)


def test_the_events_table_states_what_the_case_graph_states():
    """Each column holds what the case graph's writer states for the property mapped to it."""
    from rdflib import Graph

    from pathways.cases.rdf import case_ntriples, event_iri

    record = read_cases([SAMPLE_CASES]).cases[0]
    tables = columnar.case_tables([record])
    graph = Graph().parse(data=case_ntriples([record]), format="nt")
    for row in tables.events.iter_rows(named=True):
        event = event_iri(record.case_id, row["seq"])
        for prop, column in columnar.CASE_COLUMNS.items():
            stated = graph.value(event, prop)
            value = row[column]
            if column in {"first", "last", "bank_holiday"}:
                assert bool(stated) == value, (column, row)
            elif column == "hour":
                assert (stated is None) == (value is None)
                if value is not None:
                    assert stated.toPython() * 10_000 == value
            elif stated is None:
                assert value is None, (column, row)
            else:
                assert str(stated) == str(value), (column, row)


@given(
    moment=st.datetimes(min_value=datetime(2000, 1, 1), max_value=datetime(2040, 12, 31)),
    offset=st.one_of(st.none(), st.integers(min_value=-12 * 60, max_value=14 * 60)),
    whole=st.booleans(),
    fold=st.integers(min_value=0, max_value=1),
)
@example(moment=datetime(2025, 3, 30, 1, 30), offset=None, whole=True, fold=0)  # the hour the clocks skip
@example(moment=datetime(2025, 10, 26, 1, 30), offset=None, whole=True, fold=0)  # the hour that comes twice
@example(moment=datetime(2025, 10, 26, 1, 30), offset=None, whole=True, fold=1)
def test_the_clock_columns_are_the_writers(moment, offset, whole, fold):
    """The events table's hour column is the case graph's pw:hourIndex times 10,000, its
    minute column the UK clock minute and its text the time's ISO text, for naive UK times
    (either side of a clock change, in the hour skipped, both passes through the hour
    repeated), times with any offset, with or without microseconds."""
    from decimal import Decimal

    from pathways.cases import workdays

    moment = moment.replace(fold=fold)
    if whole:
        moment = moment.replace(microsecond=0)
    if offset is not None:
        moment = moment.replace(tzinfo=timezone(timedelta(minutes=offset)))
    hours, minutes, at = columnar._clock_columns([None, moment])
    written = Decimal(str(round(workdays.hour_index(moment), 4)))
    clock = workdays.uk_local(moment)
    assert hours.to_list() == [None, written * 10_000]
    assert minutes.to_list() == [None, clock.hour * 60 + clock.minute]
    assert at.to_list() == [None, moment.isoformat()]
