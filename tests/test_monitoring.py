"""Monitoring as the procedures ask for it (Knowsley 4.16 §6 and §7), counted on audited cases.

The expectations on the shipped sample are read by hand from ``examples/sample-cases.csv``
(each case's last row: its date and ``level_after``) and from its ground truth
(``examples/sample-cases-truth.csv``: the cases given a deviation, with the severity the
audit should report); those on synthetic cases from the generated cases themselves, never
from the module's own reading of them.
"""

from __future__ import annotations

import csv
import dataclasses
from collections import Counter
from datetime import date
from pathlib import Path

import pytest
from rdflib import Graph, Literal, URIRef

from pathways.audit import audit_cases
from pathways.audit.monitoring import (
    DEPARTURE_SEVERITIES,
    MONITORING_COLUMNS,
    NO_LEVEL,
    arrangements,
    iso_week,
    monitoring_counts,
    monitoring_rows,
)
from pathways.cases import read_cases, read_csv
from pathways.cases.synth import cases_csv, synthesise
from pathways.cases.workdays import uk_local
from pathways.model.loading import load_model
from pathways.model.vocabulary import PW, RDF, RDFS

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "examples" / "sample-cases.csv"
SOURCES = ROOT / "ontology" / "sources"

STEP_DOWN = ("step-down-cin", "step-down-assessment")
STEP_UP = ("step-up-planned", "step-up-unplanned")

# The sample's Knowsley step-down cases, read off their last rows by hand:
# K-001 last event 29 Aug 2024 (a Thursday: the week of Monday 26 Aug), level after CIN;
# K-002 11 Mar 2021, Level 3; K-003 29 Apr 2021, Level 2; K-004 7 Sep 2022, CSC;
# K-005 24 Sep 2021, Level 2; K-006 28 Sep 2023, CSC.
STEP_DOWN_WEEKS = {
    ("2021-W10", date(2021, 3, 8), "Level 3"): 1,
    ("2021-W17", date(2021, 4, 26), "Level 2"): 1,
    ("2021-W38", date(2021, 9, 20), "Level 2"): 1,
    ("2022-W36", date(2022, 9, 5), "Children's Social Care"): 1,
    ("2023-W39", date(2023, 9, 25), "Children's Social Care"): 1,
    ("2024-W35", date(2024, 8, 26), "Child in Need (CIN)"): 1,
}
# ... and its step-up cases: K-007 24 Sep 2021, Level 3; K-008 21 Aug 2025, Level 3;
# K-009 17 Apr 2024, CSC; K-010 11 Nov 2024, Level 3; K-011 15 May 2023, Level 3;
# K-012 11 Mar 2025, Level 3.
STEP_UP_WEEKS = {
    ("2021-W38", date(2021, 9, 20), "Level 3"): 1,
    ("2023-W20", date(2023, 5, 15), "Level 3"): 1,
    ("2024-W16", date(2024, 4, 15), "Children's Social Care"): 1,
    ("2024-W46", date(2024, 11, 11), "Level 3"): 1,
    ("2025-W11", date(2025, 3, 10), "Level 3"): 1,
    ("2025-W34", date(2025, 8, 18), "Level 3"): 1,
}
# The ground truth's deviations (all Violation or Warning): K-002, K-003 on step down from
# CIN; K-005, K-006 after an assessment; K-008, K-009 planned step up; K-011 unplanned.
ADHERENCE = {
    "step-down-cin": (3, 2),
    "step-down-assessment": (3, 2),
    "step-up-planned": (3, 2),
    "step-up-unplanned": (3, 1),
}


@pytest.fixture(scope="module")
def sample_result():
    return audit_cases(read_cases([SAMPLE]))


@pytest.fixture(scope="module")
def sample_monitoring(sample_result):
    return {m.arrangement.iri.rsplit("/", 1)[-1]: m for m in monitoring_counts(sample_result)}


def _weeks(monitored) -> dict:
    return {(w.week, w.week_starting, w.level): w.cases for w in monitored.weeks}


def test_the_arrangements_are_read_from_the_model_with_their_paragraph_and_words():
    found = {a.iri.rsplit("/", 1)[-1]: a for a in arrangements(authority_ids=["knowsley"])}
    assert set(found) == {
        "monitoring-step-down-performance",
        "monitoring-step-up-performance",
        "monitoring-step-down-adherence",
        "monitoring-step-up-adherence",
    }
    down = found["monitoring-step-down-adherence"]
    assert [p for p, _ in down.pathways] == list(STEP_DOWN)
    assert down.monitored_by == ("Team Manager of the Family First Duty Team",)
    assert down.escalates_to[-2:] == (
        "Head of Service of Early Help and Prevention",
        "Head of Service for Child in Need and Child Protection",
    )
    assert down.forum == "Weekly transfer meeting"
    assert down.paragraph.endswith("§7") and down.section_title == "Adherence to Process"
    up = found["monitoring-step-up-adherence"]
    assert [p for p, _ in up.pathways] == list(STEP_UP)
    assert up.monitored_by == ("MASH Team Manager",) and up.escalates_to[0] == "Family First MASH Manager"
    assert found["monitoring-step-down-performance"].paragraph.endswith("§6")
    assert found["monitoring-step-down-performance"].monitored_by == ()  # "in partnership": nobody named
    text = " ".join(" ".join(p.read_text(encoding="utf-8").split()) for p in SOURCES.glob("knowsley-*.txt"))
    for arrangement in found.values():
        for quote in arrangement.quote.split(" \u2026 "):
            assert quote in text, quote


def test_an_authority_with_no_arrangement_has_none():
    assert arrangements(authority_ids=["cheshire-east"]) == []


def test_the_sample_step_downs_a_week_by_the_level_reached(sample_monitoring):
    for name in ("monitoring-step-down-performance", "monitoring-step-down-adherence"):
        monitored = sample_monitoring[name]
        assert _weeks(monitored) == STEP_DOWN_WEEKS
        assert monitored.cases == 6
        # levels lowest first (the model's pw:rank), every level counted once
        assert monitored.levels[:2] == ("Level 2", "Level 3")
        assert set(monitored.levels) == {"Level 2", "Level 3", "Child in Need (CIN)", "Children's Social Care"}
        assert [w.week_starting for w in monitored.weeks] == sorted(w.week_starting for w in monitored.weeks)


def test_the_sample_step_ups_a_week_by_the_level_reached(sample_monitoring):
    for name in ("monitoring-step-up-performance", "monitoring-step-up-adherence"):
        assert _weeks(sample_monitoring[name]) == STEP_UP_WEEKS
        assert sample_monitoring[name].levels == ("Level 3", "Children's Social Care")


def test_the_sample_adherence_per_pathway(sample_monitoring, sample_truth):
    for monitored in sample_monitoring.values():
        for row in monitored.adherence:
            assert (row.audited, row.departing) == ADHERENCE[row.pathway], row
    # the hand-written table agrees with the ground truth file
    deviant = Counter()
    with SAMPLE.open(newline="", encoding="utf-8") as handle:
        pathway_of = {r["case_id"]: r["pathway"] for r in csv.DictReader(handle) if r["authority"] == "knowsley"}
    for row in sample_truth:
        if row["case_id"] in pathway_of and row["expected_severity"] in DEPARTURE_SEVERITIES:
            deviant[pathway_of[row["case_id"]]] += 1
    assert {p: n for p, (_, n) in ADHERENCE.items()} == dict(deviant)
    share = sample_monitoring["monitoring-step-up-adherence"].adherence[1].share
    assert share == pytest.approx(1 / 3)


def test_only_the_authorities_audited_are_monitored(sample_result):
    only = dataclasses.replace(
        sample_result, results=[r for r in sample_result.results if r.case.authority != "knowsley"]
    )
    assert only.results and monitoring_counts(only) == []
    step_down = [r for r in sample_result.results if r.case.pathway in STEP_DOWN and r.case.authority == "knowsley"]
    monitored = monitoring_counts(dataclasses.replace(sample_result, results=step_down))
    assert len(monitored) == 4  # the step-up arrangements too, with nothing on them
    empty = [m for m in monitored if m.arrangement.pathways[0][0] in STEP_UP]
    assert len(empty) == 2
    for m in empty:
        assert m.weeks == [] and [(a.audited, a.departing, a.share) for a in m.adherence] == [(0, 0, None)] * 2


def test_a_best_practice_finding_is_no_departure(sample_result):
    """Only a must or a should not kept to (Violation, Warning) is a departure from the standards."""
    results = []
    for r in sample_result.results:
        if r.case.case_id == "K-002":  # its one finding, a Violation, read as best practice instead
            r = dataclasses.replace(r, findings=[dataclasses.replace(f, severity="Info") for f in r.findings])
        results.append(r)
    monitored = monitoring_counts(dataclasses.replace(sample_result, results=results))
    row = next(a for a in monitored[0].adherence if a.pathway == "step-down-cin")
    assert (row.audited, row.departing) == (3, 1)


def test_a_case_that_reached_no_end_and_records_no_level():
    text = (
        "case_id,authority,pathway,activity,timestamp,role\n"
        "X-1,knowsley,step-down-cin,need-reduced,2025-01-05T10:00+00:00,Social Worker\n"  # a Sunday
    )
    monitored = monitoring_counts(audit_cases(read_csv(text, "x.csv")))
    down = monitored[0]
    assert [(w.week, w.week_starting, w.level, w.cases) for w in down.weeks] == [
        ("2025-W01", date(2024, 12, 30), NO_LEVEL, 1)
    ]


def test_a_recorded_level_is_read_by_any_of_its_names():
    """A record that stops before an end state, with its level after written as an alternative
    name of the level (skos:altLabel), counts at that level."""
    text = (
        "case_id,authority,pathway,activity,timestamp,role,level_after\n"
        "X-2,knowsley,step-down-cin,need-reduced,2025-01-06T10:00+00:00,Social Worker,level 2 early help\n"
    )
    down = monitoring_counts(audit_cases(read_csv(text, "x.csv")))[0]
    assert [(w.week, w.level) for w in down.weeks] == [("2025-W02", "Level 2")]


def test_synthetic_cases_counted_from_their_records():
    cases, truth = synthesise(150, seed=1_416, authority="knowsley", deviation_share=0.4)
    result = audit_cases(read_csv(cases_csv(cases), "synthetic.csv"))
    assert len(result.results) == 150
    expected_weeks: dict[tuple[str, ...], Counter] = {STEP_DOWN: Counter(), STEP_UP: Counter()}
    deviant = {d.case_id for d in truth if d.expected_severity in DEPARTURE_SEVERITIES}
    expected_adherence: Counter = Counter()
    for case in cases:
        group = STEP_DOWN if case.pathway in STEP_DOWN else STEP_UP
        last = uk_local(case.events[-1].when).date()
        year, week, weekday = last.isocalendar()
        expected_weeks[group][f"{year}-W{week:02d}", last.toordinal() - weekday + 1, case.level_after or NO_LEVEL] += 1
        expected_adherence[case.pathway, "audited"] += 1
        expected_adherence[case.pathway, "departing"] += case.case_id in deviant
    for monitored in monitoring_counts(result):
        group = STEP_DOWN if monitored.arrangement.pathways[0][0] in STEP_DOWN else STEP_UP
        got = Counter({(w.week, w.week_starting.toordinal(), w.level): w.cases for w in monitored.weeks})
        assert got == expected_weeks[group]
        for row in monitored.adherence:
            assert (row.audited, row.departing) == (
                expected_adherence[row.pathway, "audited"],
                expected_adherence[row.pathway, "departing"],
            )
    assert sum(expected_adherence[p, "departing"] for p in STEP_DOWN + STEP_UP) == len(deviant) > 20


def test_an_arrangement_added_to_the_model_is_monitored_without_code():
    """Nothing is Knowsley's in the code: an arrangement stated for another authority's
    pathway is counted the same way."""
    graph = Graph()
    for triple in load_model():
        graph.add(triple)
    pathway = next(
        p for p in graph.subjects(RDF.type, PW.Pathway) if str(p).endswith("cheshire-east/step-down-assessment")
    )
    added = URIRef("urn:example:monitoring")
    graph.add((added, RDF.type, PW.MonitoringArrangement))
    graph.add((added, RDFS.label, Literal("Step downs counted monthly")))
    graph.add((added, PW.onPathway, pathway))
    graph.add((added, PW.forum, Literal("Monthly panel")))
    result = audit_cases(read_cases([SAMPLE]))
    monitored = [m for m in monitoring_counts(result, graph) if m.arrangement.authority == "cheshire-east"]
    assert [m.arrangement.label for m in monitored] == ["Step downs counted monthly"]
    assert monitored[0].cases == 3 and monitored[0].arrangement.paragraph == ""
    assert sum(w.cases for w in monitored[0].weeks) == 3


def test_rows_for_a_csv(sample_monitoring):
    rows = monitoring_rows(sample_monitoring.values())
    assert all(set(row) <= set(MONITORING_COLUMNS) for row in rows)
    weekly = [r for r in rows if r["measure"] == "cases a week"]
    adherence = [r for r in rows if r["measure"] == "adherence"]
    assert len(weekly) == 4 * 6 and len(adherence) == 4 * 2
    row = next(r for r in adherence if r["pathway"] == "step-up-unplanned" and "Adherence" in r["arrangement"])
    assert (row["cases"], row["cases_with_departure"], row["share_with_departure"]) == (3, 1, "0.333")
    assert row["departures_raised_with"].startswith("Family First MASH Manager > ")


def test_iso_week_at_the_turn_of_a_year():
    assert iso_week(date(2024, 12, 30)) == ("2025-W01", date(2024, 12, 30))
    assert iso_week(date(2027, 1, 1)) == ("2026-W53", date(2026, 12, 28))
