"""Counts per step, arrow and timescale over a batch (the Audit page's heatmap and
timeliness), checked against the sample's ground truth (examples/sample-cases-truth.csv)."""

from __future__ import annotations

import pytest

from pathways.audit import audit_cases
from pathways.audit.conformance import pathway_heat, timeliness
from pathways.cases import read_cases
from pathways.model.graph import pathway_graph, trigger
from pathways.model.policy import pathways
from pathways.model.resources import SAMPLE_CASES


@pytest.fixture(scope="module")
def result():
    return audit_cases(read_cases([SAMPLE_CASES]))


@pytest.mark.parametrize("plan", [(p.authority.id, p.id) for p in pathways()], ids="/".join)
def test_every_case_starts_at_the_trigger_and_ends_somewhere_counted_once(result, plan):
    heat = pathway_heat(result, *plan)
    digraph = pathway_graph(*plan)
    cases = [r for r in result.results if (r.case.authority, r.case.pathway) == plan]
    assert heat.cases == len(cases)
    assert heat.steps[trigger(digraph)].reached == len(cases)
    ends = sum(heat.steps[n].reached for n, kind in digraph.nodes(data="kind") if kind == "end")
    assert ends <= len(cases)
    assert all(0 <= c.reached <= heat.cases for c in heat.steps.values())


def test_a_decision_by_another_role_is_counted_on_its_step(result):
    # CE-002: 'team-manager-agrees-step-down' recorded by the line manager (ground truth)
    heat = pathway_heat(result, "cheshire-east", "step-down-assessment")
    assert heat.steps["team-manager-agrees-step-down"].other_role == 1


def test_a_late_step_lowers_the_share_kept_to_its_timescale(result):
    # CE-012: the C&F assessment completed 3 working days past the 45 (ground truth)
    [row] = [t for t in timeliness(result, "cheshire-east", "step-up-early-help") if "45 days" in t.label]
    assert row.kept < len(row.measured)
    assert max(row.measured) == 48
