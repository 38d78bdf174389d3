"""Synthetic case logs of 500 cases per authority: every injected deviation is found and
no compliant case gets a finding."""

from __future__ import annotations

import pytest

from pathways.audit import audit_cases as audit
from pathways.cases import read_csv
from pathways.cases.synth import DEVIATIONS, cases_csv, synthesise
from pathways.model.policy import obligations, pathways


@pytest.mark.parametrize("authority", ["cheshire-east", "knowsley"])
def test_500_synthetic_cases_every_deviation_found_and_no_false_finding(authority):
    cases, truth = synthesise(500, seed=500, authority=authority, deviation_share=0.3)
    batch = read_csv(cases_csv(cases), f"{authority}.csv")
    assert not batch.rejected
    result = audit(batch)
    assert result.cases_in == 500 == len(result.results)
    found = {r.case.case_id: {(f.rule, f.severity) for f in r.findings} for r in result.results}
    deviant = {d.case_id: d for d in truth}
    assert 100 < len(deviant) < 200
    # every kind of deviation the authority's obligations allow (Knowsley keeps no step to
    # a service's hours)
    kept_to_hours = any(
        o.template == "service-hours" for p in pathways() if p.authority.id == authority for o in obligations(None, p)
    )
    assert {d.deviation for d in truth} == set(DEVIATIONS) - (set() if kept_to_hours else {"out-of-hours"})
    missed = [d for d in truth if (d.expected_rule, d.expected_severity) not in found[d.case_id]]
    assert missed == []
    false_alarms = {case: rules for case, rules in found.items() if case not in deviant and rules}
    assert false_alarms == {}


def test_synthesis_is_reproducible():
    first = cases_csv(synthesise(40, seed=9)[0])
    assert first == cases_csv(synthesise(40, seed=9)[0])
    assert first != cases_csv(synthesise(40, seed=10)[0])
